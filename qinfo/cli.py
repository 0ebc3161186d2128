"""The ``qinfo`` command line: ``qinfo reproduce``, ``qinfo entropy``, ``qinfo rtn``, ``qinfo vqc``.

Every command has ``--help`` with an example line. Bad files and arguments end the
program with a one-line message naming the problem and exit code 2, never a
traceback (``--debug`` shows it): unreadable or corrupt files, JSON of the wrong
shape, unwritable output folders (checked before long work starts), sizes whose
memory estimate exceeds the machine, numbers out of range. Results are printed
before they are saved, and saved atomically (temporary file plus rename). An
unexpected internal failure prints one line asking for a report, exit code 1.
``qinfo reproduce --strict`` exits with code 3 when a claim differs from the
published value (without ``--strict`` a difference is a result: exit code 0).
Pillar modules are imported inside the command functions, so ``qinfo --help``
stays fast.

Shared options: ``--seed N`` (a non-negative int, 0 by default, so every command
is deterministic), ``--progress/--no-progress`` (default: bars only when stderr is
a terminal), ``--workers N`` where the work can be spread over processes
(``reproduce``, ``rtn sample``); integer options are checked when parsed
(:func:`qinfo._validate.check_int`), so a bad value is a one-line usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import textwrap
import zipfile
from pathlib import Path
from typing import Any

from qinfo._optional import MissingExtraError

__all__ = ["main", "build_parser"]

ENTROPY_SCHEMA = """\
input files (examples in examples/data/):
  hypergraph  {"model": "hypergraph",
               "edges": [[["a", "b", "c"], 1.0], [["c", "x"], 2]],
               "boundary": {"a": "A", "b": "B", "c": "O"}}
              edges are [vertices, weight] with >= 2 vertices and weight >= 0;
              boundary maps a vertex to its party (A, B, C, ... or the purifier O);
              every other vertex is bulk. Entropies are in the units of the weights.
  graph       {"model": "graph", "edges": [["a", "x", 1], ["x", "b", 2]],
               "boundary": {"a": "A", "b": "O"}}
              edges are [u, v, weight] triples (networkx's weighted edge list).
  link        {"model": "link", "link": "L6a4", "labels": ["A", "B", "O"],
               "weights": [1, 1, 1]}
              link is a link-table name or a PD code (a list of 4-integer lists);
              labels gives a party or null (bulk) per component; weights default to 1.
  stabilizer  {"model": "stabilizer", "stabilizers": ["XXX", "ZZI", "IZZ"],
               "parties": "ABO"}
              Pauli strings, optionally signed (+/-), character k acting on qubit k;
              parties gives one party letter per qubit. Entropies are in bits.
              A plain-text file works too: one Pauli string per line, '#' comments,
              and a line "parties: ABO" (or the --parties option).
"""


class CLIError(Exception):
    """A user error: printed as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line (exit code 2, no usage dump)."""

    def error(self, message: str):  # noqa: D401 - argparse API
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


#: Exit code of ``qinfo reproduce --strict`` when a claim differs from the published value.
DIFFERS_EXIT = 3


def _int_at_least(low: int):
    """An argparse ``type=`` for ints ``>= low`` (``check_int``), so a bad value is a usage error."""

    def parse(text: str) -> int:
        from qinfo._validate import check_int

        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
        try:
            return check_int("value", value, low)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc).removeprefix("value ")) from None

    parse.__name__ = f"integer >= {low}"  # argparse names the type in some messages
    return parse


def _add_seed(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--seed", type=_int_at_least(0), default=0, metavar="N",
                        help=f"{what} (a non-negative integer; default 0)")


def _add_progress(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show progress bars, or hide them with --no-progress "
                             "(default: only when stderr is a terminal)")


def _add_workers(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--workers", type=_int_at_least(1), default=1, metavar="N",
                        help=f"run {what} in N processes (default 1: in this one); "
                             "the results do not depend on N")


def _executor(args: argparse.Namespace):
    """A process pool of ``--workers`` processes, shut down when the command ends; None for one."""
    if args.workers == 1:
        return None
    from concurrent.futures import ProcessPoolExecutor

    return args.cleanup.enter_context(ProcessPoolExecutor(args.workers))


# -- qinfo reproduce ------------------------------------------------------------------


def _cmd_reproduce(args: argparse.Namespace) -> int:
    from qinfo._io import check_writable_dir, folder_lock
    from qinfo.reproduce import run_reproductions
    from qinfo.reproduce._run import tally

    if args.embeddings is not None and not Path(args.embeddings).is_file():
        raise CLIError(f"--embeddings {args.embeddings}: no such file")
    args.cleanup.enter_context(folder_lock(check_writable_dir(args.out)))
    sections = run_reproductions(args.targets or ["all"], out=Path(args.out), quick=args.quick,
                                 seed=args.seed, progress=args.progress, executor=_executor(args),
                                 embeddings=args.embeddings, resume=args.resume)
    differ = tally(sections)["DIFFERS"]
    if args.strict and differ:
        print(f"{args.prog}: {len(differ)} claim(s) differ from the published values: "
              f"{'; '.join(differ)}", file=sys.stderr)
        return DIFFERS_EXIT
    return 0


# -- qinfo entropy --------------------------------------------------------------------


def _fail(path: Path, message: str) -> CLIError:
    return CLIError(f"{path}: {message}")


def _read_text(path: Path) -> str:
    if not path.exists():
        raise _fail(path, "no such file")
    if path.is_dir():
        raise _fail(path, "is a directory, expected a JSON or text file")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise _fail(path, "not a text file (expected JSON or one Pauli string per line)") from None


def _parse_json(text: str, path: Path) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(path, f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None


# -- shared by the JSON readers of qinfo rtn --

def _require(obj: dict, key: str, path: Path, model: str) -> Any:
    if key not in obj:
        raise _fail(path, f'a {model} needs a "{key}" entry')
    return obj[key]


def _check_keys(obj: dict, allowed: set[str], path: Path, model: str) -> None:
    extra = sorted(set(obj) - allowed)
    if extra:
        raise _fail(path, f"unknown key(s) {', '.join(map(repr, extra))} for a {model} "
                          f"(allowed: {', '.join(sorted(allowed))})")


def _weight(x: Any, where: str, path: Path) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise _fail(path, f"{where}: weight must be a number, got {json.dumps(x)}")
    if isinstance(x, int) and abs(x) > sys.float_info.max:
        raise _fail(path, f"{where}: weight has {len(str(abs(x)))} digits, beyond the range of "
                          f"numbers qinfo computes with (about 1.8e308)")
    return x


def _vertex(v: Any, where: str, path: Path) -> Any:
    if isinstance(v, (str, int)) and not isinstance(v, bool):
        return v
    raise _fail(path, f"{where}: vertex names must be strings or integers, got {json.dumps(v)}")


def _stabilizer_from_text(text: str, path: Path, parties_opt: str | None):
    paulis, parties = [], None
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.lower().startswith("parties"):
            _, _, rest = line.partition(":")
            parties = rest.strip()
            continue
        if not all(c in "+-IXYZixyz_" for c in line) or not line.lstrip("+-"):
            raise _fail(path, f"line {lineno}: not a Pauli string (letters I, X, Y, Z with an "
                              f"optional sign): {line!r}")
        paulis.append(line)
    if not paulis:
        raise _fail(path, "no Pauli strings found")
    parties = parties_opt if parties_opt is not None else parties
    if parties is None:
        raise _fail(path, 'no parties given: add a line "parties: ABO" or use --parties')
    from qinfo.entropy_cones import StabilizerState

    return StabilizerState(paulis, parties)




def read_entropy_model(path: str | Path, parties: str | None = None) -> tuple[str, Any]:
    """Read an entropy-model file for ``qinfo entropy``.

    Parameters
    ----------
    path : str or Path
        A JSON file (hypergraph, graph, link or stabilizer state; the schema is in
        ``qinfo entropy --help`` and the command-line docs) or a text file with one
        Pauli string per line.
    parties : str, optional
        Party letter per qubit for stabilizer states, overriding the file.

    Returns
    -------
    kind : str
        ``"hypergraph"``, ``"graph"``, ``"link"`` or ``"stabilizer"``.
    model : object
        A :class:`~qinfo.entropy_cones.Hypergraph`, a
        :class:`~qinfo.entropy_cones.LinkModel` or a
        :class:`~qinfo.entropy_cones.StabilizerState` (each read by its ``from_dict``).

    Raises
    ------
    CLIError
        The file is missing, not JSON, or does not follow the schema; the message
        starts with the file name.
    """
    path = Path(path)
    text = _read_text(path)
    if not text.lstrip().startswith(("{", "[")):
        return "stabilizer", _stabilizer_from_text(text, path, parties)
    from qinfo.entropy_cones import Hypergraph, LinkModel, StabilizerState

    obj = _parse_json(text, path)
    if not isinstance(obj, dict):
        raise _fail(path, 'expected a JSON object with a "model" entry')
    kind = obj.get("model")
    readers = {"hypergraph": Hypergraph.from_dict, "graph": Hypergraph.from_dict,
               "link": LinkModel.from_dict,
               "stabilizer": lambda o: StabilizerState.from_dict(o, parties=parties)}
    if kind not in readers:
        raise _fail(path, f'"model" must be one of {", ".join(readers)}, got {json.dumps(kind)}')
    try:
        return kind, readers[kind](obj)
    except (ValueError, TypeError, OverflowError) as exc:
        raise _fail(path, _one_line(exc)) from None


def _entropy_vector(kind: str, model: Any, path: Path):
    import numpy as np

    try:
        with np.errstate(over="ignore", invalid="ignore"):  # checked just below
            vec = model.entropy_vector()
    except (ValueError, TypeError, OverflowError) as exc:
        raise _fail(path, _one_line(exc)) from None
    if not np.all(np.isfinite(vec.values)):
        raise _fail(path, "the entropies overflow the range of float64 (cut weights summing past "
                          "about 1.8e308); rescale the weights")
    return vec


_UNITS = {"hypergraph": "units of the edge weights", "graph": "units of the edge weights",
          "link": "units of the component weights", "stabilizer": "bits"}


def _num(x: float) -> float | int:
    """An exact integer as an int, anything else as the float itself (all its digits)."""
    x = float(x)
    return int(x) if x.is_integer() and abs(x) < 2**53 else x


#: ``qinfo entropy`` checks a catalogue family only when enumerating its instances at
#: the vector's party number takes at most this many array entries (a few seconds);
#: see :meth:`qinfo.entropy_cones.Inequality.instances_work`.
ENTROPY_CHECK_BUDGET = 2**23


def _cmd_entropy(args: argparse.Namespace) -> int:
    path = Path(args.file)
    kind, model = read_entropy_model(path, parties=args.parties)
    vec = _entropy_vector(kind, model, path)
    checked, skipped, found = _violations(vec)
    parties = list(vec.labels[: vec.n_parties])
    if args.json:
        out = {"file": str(path), "model": kind, "parties": parties, "purifier": "O",
               "units": "bits" if kind == "stabilizer" else "weight",
               "entropies": {lab: _num(x) for lab, x in zip(vec.labels, vec.values)},
               "checked": checked, "skipped": skipped, "violations": found}
        print(json.dumps(out, indent=2))
        return 0
    print(f"{kind} from {path}: parties {', '.join(parties)} (purifier O); "
          f"entropies in {_UNITS[kind]}")
    width = max(len(lab) for lab in vec.labels) + 2
    for lab, x in zip(vec.labels, vec.values):
        print(f"  S_{lab:<{width}} {_num(x)}")
    nothing = "nothing (one party)" if vec.n_parties == 1 else "nothing"
    print(f"checked every instance of: {', '.join(checked) or nothing}")
    if skipped:
        print(f"skipped (too many instances at {vec.n_parties} parties): {', '.join(skipped)}")
    if not found:
        print("violates none of them")
    else:
        print(f"violates {len(found)} instance(s):")
        for v in found:
            print(f"  {v['entry']:<14} {v['inequality']}   (slack {_num(v['slack'])})")
    return 0


def _violations(vec) -> tuple[list[str], list[str], list[dict]]:
    """Catalogue entries checked and skipped at ``vec``'s party number, and the violations.

    An entry is skipped when enumerating its instances would exceed
    :data:`ENTROPY_CHECK_BUDGET`; slacks are judged relative to the vector's
    scale (:func:`qinfo.entropy_cones.tolerance`).
    """
    from qinfo.entropy_cones import catalogue, violations

    n = vec.n_parties
    names = [m for m in catalogue.names() if catalogue.entry(m).n_parties <= n]
    checked, skipped = [], []
    for name in names:
        e = catalogue.entry(name)
        reps = e.representatives + (e.traced if n > e.n_parties else ())
        work = sum(rep.instances_work(n) for rep in reps)
        (checked if work <= ENTROPY_CHECK_BUDGET else skipped).append(name)
    found = [{"entry": name, "inequality": str(v.inequality), "slack": float(v.slack)}
             for name in checked for v in violations(vec, name)]
    return checked, skipped, found


# -- qinfo rtn -----------------------------------------------------------------------

RTN_SCHEMA = """\
networks:
  two-cut   one bulk vertex between regions A and B, bond dimension DIM on both
            edges: two minimal cuts, spectrum mu_1 [x] pi_1 [x] mu_2 (free product);
            qinfo.tensor_networks.two_cut_network(DIM, links=LINKS)
  FILE.json {"edges": [["a", "x", 64], ["x", "b", [0.5, 0.3, 0.2]]],
             "regions": {"A": ["a"], "B": ["b"]}}
            edges are [u, v, bond dimension] or [u, v, link spectrum] (Schmidt
            coefficients summing to 1, one per dimension); regions name the boundary
            vertices, every other vertex is bulk; an optional "vertices" list gives
            the vertex order. RandomTensorNetwork.save writes this format.
links (two-cut): flat = maximally entangled; two-level = Schmidt coefficients
1:3 on the two halves of A's link and 1:0.2 on the first quarter and the rest of
B's link (the network that qinfo reproduce rtn checks).
"""

def _network_from_json(path: Path):
    from qinfo.tensor_networks import RandomTensorNetwork

    obj = _parse_json(_read_text(path), path)
    try:
        return RandomTensorNetwork.from_dict(obj)
    except (ValueError, TypeError) as exc:
        raise _fail(path, _one_line(exc)) from None


def _cmd_rtn_sample(args: argparse.Namespace) -> int:
    import matplotlib

    matplotlib.use("Agg")  # the command only writes PNG files
    import numpy as np

    from qinfo._io import atomic_path, check_writable_file

    from qinfo.tensor_networks import (
        ks_distance,
        plot_spectrum,
        predict_spectrum,
        sample_spectra,
        two_cut_network,
    )

    if args.network == "two-cut":
        net = two_cut_network(args.dim, links=args.links)
    else:
        net = _network_from_json(Path(args.network))
    if args.region not in net.regions:
        raise CLIError(f"unknown region {args.region!r}; the network has {', '.join(net.regions)}")
    _check_memory(_rtn_bytes(net), f"sampling {args.network}")
    if args.out:
        check_writable_file(args.out)
        _check_figure_format(args.out)
    samples = sample_spectra(net, args.region, args.samples, seed=args.seed,
                             executor=_executor(args), progress=args.progress)
    pred = predict_spectrum(net, args.region)
    entropies = samples.von_neumann
    result = {
        "network": args.network, "region": args.region, "samples": args.samples, "seed": args.seed,
        "regime": pred.regime, "dimension": int(pred.dimension),
        "entropy_mean": float(entropies.mean()),
        "entropy_stderr": float(entropies.std(ddof=1) / np.sqrt(len(entropies)))
        if len(entropies) > 1 else None,
        "entropy_predicted": float(pred.entropy()),
        "ks_distance": float(ks_distance(samples, pred)),
    }
    if args.out:
        result["figure"] = str(args.out)
    if args.json:
        print(json.dumps(result, indent=2), flush=True)
        _save_figure(plot_spectrum(samples, pred), args.out, atomic_path)
        return 0
    err = f" +- {result['entropy_stderr']:.4f}" if result["entropy_stderr"] is not None else ""
    print(f"region {args.region} of {args.network}: {pred.regime}, D = {pred.dimension}, "
          f"{args.samples} samples (seed {args.seed})")
    print(f"  entropy (nats)  sampled {result['entropy_mean']:.4f}{err}   "
          f"predicted {result['entropy_predicted']:.4f}")
    print(f"  KS distance of the pooled spectrum from the prediction: {result['ks_distance']:.4f}")
    if args.out:
        print(f"  figure: {args.out}", flush=True)
        _save_figure(plot_spectrum(samples, pred), args.out, atomic_path)
    return 0


def _save_figure(fig, out: str | None, atomic_path) -> None:
    """Save ``fig`` to ``out`` (if given) atomically, after the result was printed."""
    if out:
        with atomic_path(out) as tmp:
            fig.savefig(tmp, dpi=120, bbox_inches="tight", format=Path(out).suffix[1:] or "png")


def _check_figure_format(out: str) -> None:
    from matplotlib.backend_bases import FigureCanvasBase

    suffix = Path(out).suffix[1:].lower()
    formats = FigureCanvasBase.get_supported_filetypes()
    if suffix and suffix not in formats:
        raise CLIError(f"--out {out}: unknown figure format {suffix!r}; use one of "
                       f"{', '.join(sorted(formats))}")


def _rtn_bytes(net) -> int:
    """A lower bound on the memory of one sample: its random bulk tensors.

    Each bulk tensor has the product of its bond dimensions as complex128
    entries; the contraction needs more on top, so this bound is safe to refuse on.
    """
    from math import prod

    tensors = sum(prod(net.bond_dim(e) for e in net.edges if x in e) for x in net.bulk)
    return 32 * tensors  # drawn as 2n float64, then scaled into a copy


def _available_memory() -> int:
    """Bytes of memory available now (``MemAvailable``), else the physical total."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def _check_memory(needed: int, what: str) -> None:
    """Refuse work whose memory estimate exceeds what the machine has available."""
    have = _available_memory()
    if needed > have:
        raise CLIError(f"{what} needs at least {_gib(needed)} of memory; this machine has "
                       f"{_gib(have)} available (use smaller dimensions)")


def _gib(n: int) -> str:
    return f"{n / 2**30:.3g} GiB"


# -- qinfo vqc -----------------------------------------------------------------------

#: ``--encoding`` choices of ``qinfo vqc train`` and the rows of ``qinfo reproduce vqc``
#: (``ROWS`` in ``qinfo/reproduce/_vqc.py``) whose data and model settings they use.
VQC_ENCODINGS = {"mhe": "mhe-clean", "mhe-noisy": "mhe-noisy", "clip-angle": "clip-angle",
                 "clip-amplitude": "clip-amplitude", "authors-preset": "authors-preset"}


def _vqc_settings(encoding: str, embeddings: str | None = None) -> tuple[dict, dict]:
    """``make_datasets`` keywords and ``CaptionModel`` keywords for ``--encoding``."""
    from qinfo.reproduce._vqc import ROWS

    data, model = (dict(d) for d in ROWS[VQC_ENCODINGS[encoding]])
    if data.get("features") == "clip":
        data["features"] = "clip-like"
        if embeddings is not None:
            data["embeddings"] = embeddings
    elif embeddings is not None:
        raise CLIError(f"--embeddings needs a CLIP encoding (clip-angle, clip-amplitude or authors-preset), "
                       f"not {encoding}")
    return data, model


def _vqc_model(encoding: str, **kwargs):
    from qinfo.vqc import CaptionModel

    model = _vqc_settings(encoding)[1]
    if "preset" in model:
        return CaptionModel.from_preset(model["preset"], **kwargs)
    return CaptionModel(**model, **kwargs)


def _vqc_datasets(config: dict):
    from qinfo.vqc import make_datasets

    data, _ = _vqc_settings(config["encoding"], config.get("embeddings"))
    return make_datasets("relational", config["task"], n_per_combination=config["n_per_combination"],
                         seed=config["seed"], **data)


#: Kind and format version of ``config.json`` in a ``qinfo vqc train`` folder.
CONFIG_KIND, CONFIG_VERSION = "vqc run config", 1
_CONFIG_TYPES = {"encoding": str, "task": str, "seed": int, "epochs": int, "n_per_combination": int}


def _load_config(path: Path) -> dict:
    """Read and check a run's ``config.json`` (every key, its type and range)."""
    from qinfo._io import FileFormatError, load_json

    config = load_json(path, kind=CONFIG_KIND, version=CONFIG_VERSION, required=_CONFIG_TYPES)
    for key, typ in _CONFIG_TYPES.items():
        if not isinstance(config[key], typ) or isinstance(config[key], bool):
            raise FileFormatError(path, CONFIG_KIND, f"{key!r} must be a {typ.__name__}, "
                                                     f"got {json.dumps(config[key])}")
    if config["encoding"] not in VQC_ENCODINGS or config["task"] not in ("binary", "kway"):
        raise FileFormatError(path, CONFIG_KIND, f"unknown encoding {config['encoding']!r} "
                                                 f"or task {config['task']!r}")
    if config["epochs"] < 1 or config["n_per_combination"] < 1:
        raise FileFormatError(path, CONFIG_KIND, "epochs and n_per_combination must be positive")
    return config


def _cmd_vqc_train(args: argparse.Namespace) -> int:
    from qinfo._io import atomic_write, check_writable_dir, folder_lock, save_json

    out = check_writable_dir(args.out)
    args.cleanup.enter_context(folder_lock(out))  # one run at a time per folder
    config = {"encoding": args.encoding, "task": args.task, "seed": args.seed,
              "epochs": args.epochs, "n_per_combination": args.n_per_combination}
    if args.embeddings is not None:
        if not Path(args.embeddings).is_file():
            raise CLIError(f"--embeddings {args.embeddings}: no such file")
        config["embeddings"] = str(Path(args.embeddings).resolve())
        _vqc_settings(args.encoding, config["embeddings"])
    config_file = out / "config.json"
    if config_file.exists() and _load_config(config_file) != config:
        raise CLIError(f"{out} holds a run with other settings ({config_file}); "
                       "use another --out or delete it")
    save_json(config_file, config, kind=CONFIG_KIND, version=CONFIG_VERSION)
    ds = _vqc_datasets(config)
    model = _vqc_model(args.encoding, epochs=args.epochs, seed=args.seed, progress=args.progress)
    # the checkpoint makes an interrupted run resume where it stopped
    model.fit(ds["train"], ds["val"], checkpoint=out / "checkpoint.npz")
    model.save(out / "model.npz")
    metrics = {f"{split}_acc": float(model.score(ds[split])) for split in ("train", "val", "test")}
    metrics["epochs_run"] = len(model.history_)
    print(f"trained {args.encoding} ({args.task}, seed {args.seed}) for {metrics['epochs_run']} "
          f"epochs: accuracy train {metrics['train_acc']:.3f}, val {metrics['val_acc']:.3f}, "
          f"test {metrics['test_acc']:.3f}", flush=True)
    atomic_write(out / "metrics.json", json.dumps(metrics, indent=2) + "\n")
    print(f"saved {out / 'model.npz'}; evaluate with: qinfo vqc evaluate {out} --backend aer")
    return 0


def _cmd_vqc_evaluate(args: argparse.Namespace) -> int:
    import hashlib
    import re

    from qinfo._io import atomic_write, check_writable_dir, folder_lock
    from qinfo.vqc import CaptionModel
    from qinfo.vqc._backends import (MIN_KEPT_SHOTS, ExecutionOptions, JobFailedError, ResumeFile,
                                     ServiceUnavailableError, TooFewShotsError, evaluate)

    run = Path(args.dir)
    for name in ("config.json", "model.npz"):
        if not (run / name).is_file():
            raise CLIError(f"{run}: no {name}; train a model there first with qinfo vqc train --out {run}")
    config = _load_config(run / "config.json")
    # before any paid work: the results must have somewhere to go, and one run at a time
    args.cleanup.enter_context(folder_lock(check_writable_dir(run, arg="DIR")))
    if args.calibrate == args.split:
        raise CLIError(f"--calibrate {args.calibrate}: the calibration split must differ from --split")
    options = ExecutionOptions(shots=args.shots, optimization_level=args.optimization_level,
                               seed_transpiler=args.seed_transpiler, twirling=args.twirling,
                               dynamical_decoupling=args.dd or False,
                               readout_mitigation=args.readout_mitigation, mode=args.mode,
                               max_circuits_per_job=args.max_circuits_per_job)
    # everything that determines the result keys the jobs file; the seed only does on simulators
    settings = {"backend": args.backend, "split": args.split, "calibrate": args.calibrate,
                "method": args.method, "options": options.to_dict(),
                "seed": None if args.backend.startswith("ibm:") else args.seed,
                "model_sha256": hashlib.sha256((run / "model.npz").read_bytes()).hexdigest()}
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:10]
    tag = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{args.backend}-{args.shots or 'default'}-{args.split}")
    jobs_file, out_file = run / f"jobs-{tag}-{digest}.json", run / f"evaluation-{tag}-{digest}.json"
    resume = ResumeFile(jobs_file, settings=settings)
    if jobs_file.exists():
        print(f"resuming from {jobs_file} (same backend, shots, seed, options and model)", file=sys.stderr)
    else:
        others = sorted(p.name for p in run.glob(f"jobs-{tag}-*.json"))
        if others:
            print(f"{', '.join(others)} hold runs with other settings; starting a new record in "
                  f"{jobs_file.name}", file=sys.stderr)
    model = CaptionModel.load(run / "model.npz")
    model.progress = False
    datasets = _vqc_datasets(config)
    try:
        report = evaluate(model, datasets[args.split], args.backend, options=options, method=args.method,
                          calibrate=datasets[args.calibrate] if args.calibrate else None,
                          seed=args.seed, resume=resume, progress=args.progress)
    except TooFewShotsError as exc:
        raise CLIError(f"--shots {exc.shots} is too few for this model: at least {exc.minimum} are "
                       f"needed (the rarest pair passes post-selection with probability "
                       f"{exc.rarest_rate:.4f}; {MIN_KEPT_SHOTS} kept shots per pair)") from exc
    except (ServiceUnavailableError, JobFailedError) as exc:
        raise CLIError(str(exc)) from exc
    result = {"split": args.split, "calibrate": args.calibrate, "seed": args.seed,
              "settings_sha256": digest, **report.to_dict()}
    text = json.dumps(result, indent=2) + "\n"
    print(text if args.json else report.summary(), end="" if args.json else "\n")
    atomic_write(out_file, text)
    print(f"saved {out_file}", file=sys.stderr)
    return 0


# -- the parser -----------------------------------------------------------------------


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _subparser(sub, name: str, *, help: str, description: str, example: str, extra: str = ""):
    epilog = (extra + "\n" if extra else "") + "example:\n  " + example
    parser = sub.add_parser(name, help=help, description=textwrap.fill(description, 80),
                            epilog=epilog,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.set_defaults(prog=parser.prog)  # names the command in error messages
    _add_debug(parser, default=argparse.SUPPRESS)  # so a top-level --debug is not overridden
    return parser


def _add_debug(parser: argparse.ArgumentParser, default=False) -> None:
    parser.add_argument("--debug", action="store_true", default=default,
                        help="show the full traceback of an error")


def build_parser() -> argparse.ArgumentParser:
    """The ``qinfo`` argument parser (also used to render the command-line docs).

    Examples
    --------
    >>> args = build_parser().parse_args(["entropy", "ghz.json", "--json"])
    >>> args.command, args.file, args.json
    ('entropy', 'ghz.json', True)
    """
    parser = _Parser(
        prog="qinfo",
        description="Quantum information theory: entropy cones, random tensor networks, VQCs.",
        epilog="example:\n  qinfo reproduce all --quick --out results/quick",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_debug(parser)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rep = _subparser(
        sub, "reproduce", help="run the reproductions of the papers' claims",
        description="Run the reproductions, print tables, write PNG figures and report.md.",
        example="qinfo reproduce entropy --quick --out results/quick")
    rep.add_argument("targets", nargs="*",
                     help="entropy, rtn, vqc or all (default all)")
    rep.add_argument("--quick", action="store_true", help="short versions (used by make demo)")
    rep.add_argument("--out", default="results", help="output folder (default results/)")
    _add_seed(rep, "root seed; every part derives its randomness from it")
    _add_progress(rep)
    _add_workers(rep, "the parts (each independent of the others)")
    rep.add_argument("--strict", action="store_true",
                     help=f"exit with status {DIFFERS_EXIT} when a claim differs from the published value "
                          "(default: status 0; the differences are in the summary and report.md)")
    rep.add_argument("--embeddings", metavar="FILE",
                     help="vqc: embeddings file of real images for the CLIP rows (default: synthetic)")
    rep.add_argument("--resume", action="store_true",
                     help="reuse the parts an earlier run into the same --out finished with the same "
                          "code, settings and seed (each part saves its record when it ends)")
    rep.set_defaults(func=_cmd_reproduce)

    ent = _subparser(
        sub, "entropy", help="entropy vector of a hypergraph, graph, link or stabilizer state",
        description="Print the entropy vector of the model in FILE and the known entropy "
                    "inequalities it violates.",
        example="qinfo entropy examples/data/ghz4_hyperedge.json --json", extra=ENTROPY_SCHEMA)
    ent.add_argument("file", metavar="FILE", help="JSON model file or text file of Pauli strings")
    ent.add_argument("--parties", metavar="LETTERS",
                     help="party letter per qubit for a stabilizer state, e.g. ABCO")
    ent.add_argument("--json", action="store_true", help="machine-readable output")
    ent.set_defaults(func=_cmd_entropy)

    rtn = _subparser(sub, "rtn", help="random tensor networks",
                     description="Random tensor networks: sample spectra against predictions.",
                     example="qinfo rtn sample two-cut --dim 128 --links two-level --out rtn.png")
    rtn_sub = rtn.add_subparsers(dest="rtn_command", required=True, metavar="COMMAND")
    smp = _subparser(
        rtn_sub, "sample", help="sample a region's spectrum and compare with its prediction",
        description="Sample the entanglement spectrum of a region, compare it with the "
                    "free-probability prediction (entropy, KS distance) and plot both.",
        example="qinfo rtn sample two-cut --dim 128 --links two-level --out rtn.png",
        extra=RTN_SCHEMA)
    smp.add_argument("network", nargs="?", default="two-cut", metavar="NETWORK",
                     help="two-cut (default) or a JSON network file")
    smp.add_argument("--region", default="A", help="region to sample (default A)")
    smp.add_argument("--dim", type=_int_at_least(2), default=64,
                     help="bond dimension of the two-cut network (default 64)")
    smp.add_argument("--links", choices=["flat", "two-level"], default="flat",
                     help="link spectra of the two-cut network (default flat)")
    smp.add_argument("--samples", type=_int_at_least(1), default=50, help="number of samples (default 50)")
    _add_seed(smp, "seed of the samples")
    smp.add_argument("--out", metavar="PNG", help="write the spectrum plot to this PNG file")
    smp.add_argument("--json", action="store_true", help="machine-readable output")
    _add_progress(smp)
    _add_workers(smp, "the samples")
    smp.set_defaults(func=_cmd_rtn_sample)

    vqc = _subparser(sub, "vqc", help="compositional captioning with variational circuits",
                     description="Train caption models and evaluate them on any backend.",
                     example="qinfo vqc train --encoding mhe-noisy --seed 1 --out runs/mhe")
    vqc_sub = vqc.add_subparsers(dest="vqc_command", required=True, metavar="COMMAND")
    trn = _subparser(
        vqc_sub, "train", help="train and save a captioning model",
        description="Train a caption model on the default compositional split (exact "
                    "simulator, Adam) and save it to DIR. An interrupted run resumes from "
                    "DIR/checkpoint.npz when rerun with the same arguments.",
        example="qinfo vqc train --encoding mhe-noisy --seed 1 --out runs/mhe")
    trn.add_argument("--encoding", choices=list(VQC_ENCODINGS), default="mhe-noisy",
                     help="image encoding (default mhe-noisy)")
    trn.add_argument("--task", choices=["binary", "kway"], default="binary",
                     help="binary match or k-way caption choice (default binary)")
    _add_seed(trn, "seed of data, split and model")
    trn.add_argument("--epochs", type=_int_at_least(1), default=60, help="maximum epochs (default 60)")
    trn.add_argument("--n-per-combination", type=_int_at_least(1), default=10,
                     metavar="N", help="caption instances per word combination (default 10)")
    trn.add_argument("--embeddings", metavar="FILE",
                     help="embeddings file of real images (.npz: ids, captions, embeddings; "
                          "see examples/compute_clip_embeddings.py) for the CLIP encodings")
    trn.add_argument("--out", required=True, metavar="DIR", help="folder for the model and metrics")
    _add_progress(trn)
    trn.set_defaults(func=_cmd_vqc_train)

    evl = _subparser(
        vqc_sub, "evaluate", help="evaluate a saved model on a backend",
        description="Evaluate the model saved in DIR on a backend: accuracy with a Wilson "
                    "interval and the mean absolute fidelity error against the exact "
                    "simulator. Backends: statevector, aer, fake_<name> (e.g. fake_brisbane), "
                    "ibm:<name> or ibm:least_busy (saved IBM account), pennylane:<device>. "
                    "Job ids, results and transpiled circuits are saved in DIR in a jobs file "
                    "named after every setting that changes the result, so an interrupted run "
                    "resumes without resubmitting and other settings start a new record.",
        example="qinfo vqc evaluate runs/mhe --backend fake_brisbane --shots 4000 --twirling --dd")
    evl.add_argument("dir", metavar="DIR", help="folder written by qinfo vqc train")
    evl.add_argument("--backend", required=True, metavar="NAME", help="execution target")
    evl.add_argument("--shots", type=_int_at_least(1), help="shots per circuit (default: the backend's)")
    evl.add_argument("--split", choices=["train", "val", "test"], default="test",
                     help="which split to evaluate (default test)")
    _add_seed(evl, "seed of the shot sampling")
    evl.add_argument("--method", choices=["destructive_swap", "swap", "inverse"],
                     default="destructive_swap", help="fidelity test (default destructive_swap)")
    evl.add_argument("--calibrate", choices=["train", "val", "test"], metavar="SPLIT",
                     help="fit the decision threshold on this split, run on the same backend")
    evl.add_argument("--twirling", action="store_true", help="Pauli twirling of gates and measurements")
    evl.add_argument("--dd", nargs="?", const="XX", choices=["XX", "XpXm", "XY4"], metavar="SEQ",
                     help="dynamical decoupling (XX, XpXm or XY4; default XX)")
    evl.add_argument("--readout-mitigation", action="store_true", help="readout-error mitigation")
    evl.add_argument("--mode", choices=["job", "batch", "session"], default="job",
                     help="IBM Runtime execution mode (default job)")
    evl.add_argument("--optimization-level", type=int, choices=[0, 1, 2, 3], default=2,
                     help="transpiler optimisation level (default 2)")
    evl.add_argument("--seed-transpiler", type=_int_at_least(0), default=0,
                     help="transpiler seed, so a rerun transpiles the same circuits (default 0)")
    evl.add_argument("--max-circuits-per-job", type=_int_at_least(1), metavar="N",
                     help="split the circuits into jobs of at most N (default: one job)")
    evl.add_argument("--json", action="store_true", help="machine-readable output")
    _add_progress(evl)
    evl.set_defaults(func=_cmd_vqc_evaluate)
    return parser


#: What the top level turns into one line and exit code 2: the failures that bad
#: input, corrupt files and the machine's limits cause (loaders raise KeyError for a
#: missing entry, numpy raises MemoryError for an impossible size).
EXPECTED_ERRORS = (CLIError, MissingExtraError, ValueError, TypeError, OSError, zipfile.BadZipFile,
                   EOFError, KeyError, MemoryError, OverflowError)


def describe_error(exc: BaseException) -> str:
    """One line for an expected failure, naming the file where there is one.

    Examples
    --------
    >>> describe_error(IsADirectoryError(21, "Is a directory", "run/config.json"))
    'run/config.json: is a directory'
    >>> describe_error(MemoryError())
    'out of memory (MemoryError); try smaller sizes'
    """
    if isinstance(exc, OSError) and exc.strerror:
        where = next((os.fspath(f) for f in (exc.filename, exc.filename2) if f is not None), None)
        reason = exc.strerror[0].lower() + exc.strerror[1:]
        return f"{where}: {reason}" if where else reason
    if isinstance(exc, MemoryError):
        detail = _one_line(exc) if str(exc) else "MemoryError"
        return f"out of memory ({detail}); try smaller sizes"
    if isinstance(exc, KeyError):
        return f"missing entry {exc.args[0]!r}" if exc.args else "missing entry"
    if isinstance(exc, zipfile.BadZipFile):
        return f"not a valid zip archive ({_one_line(exc)})"
    if isinstance(exc, EOFError):
        return f"file ends too early ({_one_line(exc) if str(exc) else 'truncated'})"
    if isinstance(exc, OverflowError):
        return f"number out of range ({_one_line(exc)})"
    return _one_line(exc)


def main(argv: list[str] | None = None) -> int:
    """Run ``qinfo`` with ``argv`` (default ``sys.argv[1:]``) and return the exit code.

    Expected failures (:data:`EXPECTED_ERRORS`: bad files and arguments, a
    missing extra, OS errors, corrupt archives, memory and range limits) print one line to
    stderr and return 2; anything else is an internal error, printed as one
    line asking for a report, and returns 1. ``--debug`` re-raises instead,
    showing the traceback.

    Examples
    --------
    >>> main(["entropy", "no-such-file.json"])
    2
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    args.cleanup = contextlib.ExitStack()  # commands register locks to release here
    try:
        with args.cleanup:
            return args.func(args)
    except KeyboardInterrupt:
        print(f"{args.prog}: interrupted", file=sys.stderr)
        return 130
    except EXPECTED_ERRORS as exc:
        if args.debug:
            raise
        print(f"{args.prog}: error: {describe_error(exc)}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug: say so in one line, keep the traceback for --debug
        if args.debug:
            raise
        print(f"{args.prog}: internal error: {type(exc).__name__}: {_one_line(exc)} "
              "(rerun with --debug for the traceback, and please report it)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
