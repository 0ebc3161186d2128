"""Fault injection: bad input, corrupt files, unwritable folders and concurrent runs.

Every bad input to every command must end in exit code 2 and one line on
stderr that names the problem, never a traceback, a hang, or a silently
wrong, reused or clipped result (issue #20). The CLI runs in-process
(``qinfo.cli.main``) so the suite stays fast; the ``tried`` fixture counts
the inputs, and the total is printed at the end of the run. Every case is
strict: none is marked ``xfail``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest

from qinfo import _io
from qinfo.cli import main

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "examples" / "data"
GHZ = (DATA / "ghz4_hyperedge.json").read_text()


def run(capsys, *argv):
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse's usage errors, e.g. an integer option out of range
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line(code, err, *fragments, exit_code=2):
    assert code == exit_code, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for frag in fragments:
        assert frag.lower() in lines[0].lower(), (frag, lines[0])
    return lines[0]


def under_a_file(tmp_path: Path) -> Path:
    """A path whose parent is a regular file: unwritable even for root."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    return blocker / "out"


# paths no one can write to, root included (tests run as root: chmod would not stop them)
UNWRITABLE = {
    "under-a-file": lambda tmp: under_a_file(tmp),
    "in-proc": lambda tmp: Path("/proc/qinfo-test-out"),
    "deep-under-a-file": lambda tmp: under_a_file(tmp) / "x" / "y",
}


# -- qinfo entropy: a corpus of bad model files ------------------------------------------------

_BIG = "1" + "0" * 400
ENTROPY_CORPUS = [
    # (id, file content, fragments the one-line message must contain)
    ("empty", "", ["no pauli strings"]),
    ("whitespace", "  \n\t\n", ["no pauli strings"]),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\xff\xfe", ["not a text file"]),
    ("latin-1", "caf\xe9".encode("latin-1"), ["not a text file"]),
    ("truncated-json", GHZ[: len(GHZ) // 2], ["not valid json"]),
    ("json-list", "[1, 2, 3]", ["json object"]),
    ("json-list-of-model", json.dumps([json.loads(GHZ)]), ["json object"]),
    ("json-string", '"hypergraph"', ["not a pauli string"]),
    ("json-null-model", '{"model": null}', ['"model" must be one of']),
    ("unknown-model", '{"model": "matroid"}', ["matroid"]),
    ("edges-object", '{"model": "graph", "edges": {"a": 1}, "boundary": {"a": "A"}}', ["edges"]),
    ("edge-too-short", '{"model": "graph", "edges": [["a"]], "boundary": {"a": "A"}}', ["edge 0"]),
    ("weight-string", '{"model": "graph", "edges": [["a", "b", "1"]], "boundary": {"a": "A", "b": "O"}}',
     ["edge 0", "number"]),
    ("weight-bool", '{"model": "graph", "edges": [["a", "b", true]], "boundary": {"a": "A", "b": "O"}}',
     ["edge 0", "number"]),
    ("weight-nan", '{"model": "graph", "edges": [["a", "b", NaN]], "boundary": {"a": "A", "b": "O"}}',
     ["finite"]),
    ("weight-inf", '{"model": "graph", "edges": [["a", "b", Infinity]], "boundary": {"a": "A", "b": "O"}}',
     ["finite"]),
    ("weight-negative", '{"model": "graph", "edges": [["a", "b", -1]], "boundary": {"a": "A", "b": "O"}}',
     ["non-negative"]),
    ("weight-400-digits-with-a-float",
     '{"model": "hypergraph", "edges": [[["a", "b"], ' + _BIG + '], [["b", "c"], 1.5]], '
     '"boundary": {"a": "A", "b": "B", "c": "O"}}', ["edge 0", "401 digits"]),
    ("weight-400-digits",
     '{"model": "hypergraph", "edges": [[["a", "b"], ' + _BIG + ']], '
     '"boundary": {"a": "A", "b": "O"}}', ["401 digits"]),
    ("weights-past-int64", '{"model": "graph", "edges": [["a", "b", 4611686018427387904], '
     '["a", "b", 4611686018427387904]], "boundary": {"a": "A", "b": "O"}}', ["2**63"]),
    ("float-sum-overflows", '{"model": "graph", "edges": [["a", "x", 1e308], ["x", "b", 1e308], '
     '["a", "b", 1e308]], "boundary": {"a": "A", "b": "O"}}', ["f.json"]),
    ("vertex-list", '{"model": "graph", "edges": [[["a"], "b", 1]], "boundary": {"a": "A", "b": "O"}}',
     ["vertex names"]),
    ("boundary-list", '{"model": "graph", "edges": [["a", "b", 1]], "boundary": ["a", "b"]}', ["boundary"]),
    ("boundary-party-number", '{"model": "graph", "edges": [["a", "b", 1]], "boundary": {"a": 1, "b": "O"}}',
     ["party must be a string"]),
    ("party-gap", '{"model": "graph", "edges": [["a", "b", 1]], "boundary": {"a": "A", "b": "Z"}}',
     ["party"]),
    ("no-parties", '{"model": "graph", "edges": [], "boundary": {}}', ["no party"]),
    ("22-parties", json.dumps({"model": "hypergraph",
                               "edges": [[[f"v{c}", "x"], 1] for c in "ABCDEFGHIJKLMNPQRSTUVWO"],
                               "boundary": {f"v{c}": c for c in "ABCDEFGHIJKLMNPQRSTUVWO"}}),
     ["n_parties=22", "BUDGET['subsets']"]),
    ("unknown-key", '{"model": "graph", "edges": [], "boundary": {}, "wieghts": 1}', ["wieghts"]),
    ("stabilizer-not-pauli", '{"model": "stabilizer", "stabilizers": ["XQ"], "parties": "AO"}', ["f.json"]),
    ("stabilizer-bad-parties", '{"model": "stabilizer", "stabilizers": ["XX", "ZZ"], "parties": 7}',
     ["parties"]),
    ("stabilizer-anticommuting", '{"model": "stabilizer", "stabilizers": ["XI", "ZI"], "parties": "AO"}',
     ["f.json"]),
    ("stabilizer-text-no-parties", "XX\nZZ\n", ["parties"]),
    ("stabilizer-text-garbage", "XX\nhello\nparties: AO\n", ["line 2"]),
    ("link-unknown", '{"model": "link", "link": "L999a999", "labels": ["A", "O"]}', ["L999a999"]),
    ("link-bad-pd", '{"model": "link", "link": [[1, 2, 3, 4]], "labels": ["A", "O"]}', ["pd code"]),
    ("link-labels-string", '{"model": "link", "link": "L2a1", "labels": "AO"}', ["labels"]),
    ("link-weights-object", '{"model": "link", "link": "L2a1", "labels": ["A", "O"], "weights": {}}',
     ["weights"]),
]


@pytest.mark.parametrize("content, fragments", [c[1:] for c in ENTROPY_CORPUS],
                         ids=[c[0] for c in ENTROPY_CORPUS])
def test_entropy_bad_file_is_one_line_naming_the_file(tmp_path, capsys, tried, content, fragments):
    path = tmp_path / "f.json"
    (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
    tried()
    code, out, err = run(capsys, "entropy", path)
    assert_one_line(code, err, "f.json", *fragments)
    assert out == ""


@pytest.mark.parametrize("make", [
    lambda tmp: tmp / "missing.json",
    lambda tmp: tmp,
    lambda tmp: under_a_file(tmp),
    lambda tmp: Path("/proc/self/no-such-file.json"),
], ids=["missing", "a-folder", "under-a-file", "in-proc"])
def test_entropy_unreadable_path(tmp_path, capsys, tried, make):
    tried()
    code, _, err = run(capsys, "entropy", make(tmp_path))
    assert_one_line(code, err)


def test_entropy_every_truncation_of_a_model_file_is_one_line(tmp_path, capsys, tried):
    text = GHZ.strip()
    path = tmp_path / "t.json"
    for k in range(1, len(text)):  # every strict prefix of a JSON object is invalid JSON
        path.write_text(text[:k])
        tried()
        code, out, err = run(capsys, "entropy", path)
        assert_one_line(code, err, "t.json")
        assert out == ""


# -- qinfo entropy: many parties and tiny or huge weights -----------------------------------


def _hypergraph_file(tmp_path: Path, n_parties: int, n_edges: int, scale: float = 1.0,
                     seed: int = 1) -> Path:
    rng = np.random.default_rng(seed)
    letters = "ABCDEFGHIJKLMN"[:n_parties]
    boundary = {f"v{c}": c for c in letters} | {"vO": "O"}
    vertices = [*boundary, "x1", "x2"]
    edges = [[list(rng.choice(vertices, size=int(rng.integers(2, 4)), replace=False)),
              float(rng.integers(1, 6)) * scale] for _ in range(n_edges)]
    for c in [*letters, "O"]:  # every party touches something
        edges.append([[f"v{c}", "x1"], scale])
    path = tmp_path / f"h{n_parties}.json"
    path.write_text(json.dumps({"model": "hypergraph", "edges": edges, "boundary": boundary}))
    return path


@pytest.mark.parametrize("n_parties", [7, 8, 10])
def test_entropy_many_parties_prints_the_vector_and_names_skipped_families(tmp_path, capsys, n_parties):
    """Used to take 8 min at 7 parties and to fail at 8; the cheap families are checked."""
    path = _hypergraph_file(tmp_path, n_parties, 9)
    code, out, err = run(capsys, "entropy", path, "--json")
    assert code == 0, err
    res = json.loads(out)
    assert len(res["entropies"]) == 2**n_parties - 1
    from qinfo.entropy_cones import catalogue

    assert set(res["checked"]) | set(res["skipped"]) == set(catalogue.names())
    assert "holographic-5" in res["skipped"] and "dfz" in res["skipped"]
    if n_parties <= 8:
        assert "SA" in res["checked"]
    assert res["violations"] == [] or all(v["entry"] in res["checked"] for v in res["violations"])
    if n_parties == 10:  # the text output says what it skipped
        code, out, _ = run(capsys, "entropy", path)
        assert "skipped (too many instances at 10 parties): SA, AL, SSA" in out


def test_entropy_of_tiny_weights_is_printed_with_its_digits_and_violates_mmi(tmp_path, capsys):
    """The README's GHZ file scaled by 1e-10: not all zeros, and MMI still fails."""
    obj = json.loads(GHZ)
    obj["edges"][0][1] = 1e-10
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(obj))
    code, out, _ = run(capsys, "entropy", path, "--json")
    res = json.loads(out)
    assert code == 0 and set(res["entropies"].values()) == {1e-10}
    assert {v["entry"] for v in res["violations"]} == {"MMI", "holographic-3"}
    assert res["violations"][0]["slack"] == pytest.approx(-1e-10)
    code, out, _ = run(capsys, "entropy", path)
    assert "S_A     1e-10" in out and "violates 2 instance(s)" in out


@pytest.mark.parametrize("seed", range(12))
def test_entropy_huge_weights_report_no_false_sa_violation(tmp_path, capsys, seed):
    """Weights near 1e14-1e15: every violation printed must be real (SA and SSA never are)."""
    path = _hypergraph_file(tmp_path, 4, 10, scale=10.0 ** (14 + seed % 2) * 1.37, seed=seed)
    code, out, _ = run(capsys, "entropy", path, "--json")
    assert code == 0
    res = json.loads(out)
    assert not [v for v in res["violations"] if v["entry"] in ("SA", "AL", "SSA", "WM")]
    # the printed numbers are the exact values, not rounded
    from qinfo.cli import read_entropy_model

    vec = read_entropy_model(path)[1].entropy_vector()
    assert [res["entropies"][lab] for lab in vec.labels] == vec.values.tolist()


# -- rtn sample ------------------------------------------------------------------------------


@pytest.mark.parametrize("where", list(UNWRITABLE))
def test_rtn_unwritable_out_is_refused_before_sampling(tmp_path, capsys, monkeypatch, tried, where):
    import qinfo.tensor_networks as tn

    def no_sampling(*a, **k):  # proves the refusal comes first
        raise AssertionError("sampled before checking --out")

    monkeypatch.setattr(tn, "sample_spectra", no_sampling)
    tried()
    code, _, err = run(capsys, "rtn", "sample", "--dim", 4, "--samples", 2, "--out",
                       UNWRITABLE[where](tmp_path) / "fig.png")
    assert_one_line(code, err, "--out", "cannot write")


def test_rtn_unknown_figure_format_is_refused_before_sampling(tmp_path, capsys, tried):
    tried()
    code, _, err = run(capsys, "rtn", "sample", "--dim", 4, "--out", tmp_path / "fig.xyz")
    assert_one_line(code, err, "unknown figure format 'xyz'", "png")


def test_rtn_out_that_is_a_folder(tmp_path, capsys, tried):
    tried()
    code, _, err = run(capsys, "rtn", "sample", "--dim", 4, "--samples", 2, "--out", tmp_path)
    assert_one_line(code, err, "--out", "is a folder")


@pytest.mark.parametrize("dim", [100_000, 10**9])
def test_rtn_dimension_past_the_machine_is_refused_with_the_estimate(capsys, tried, dim):
    tried()
    code, _, err = run(capsys, "rtn", "sample", "--dim", dim, "--samples", 1, "--no-progress")
    assert_one_line(code, err, "needs at least", "GiB", "available")


def test_rtn_network_file_with_a_huge_bond_dimension_is_refused(tmp_path, capsys, tried):
    path = tmp_path / "net.json"
    path.write_text(json.dumps({"edges": [["a", "x", 10**7], ["x", "b", 10**7]],
                                "regions": {"A": ["a"], "B": ["b"]}}))
    tried()
    code, _, err = run(capsys, "rtn", "sample", path, "--samples", 1, "--no-progress")
    assert_one_line(code, err, "needs at least")


@pytest.mark.parametrize("content", [
    "", "[]", '{"edges": []}', "{", b"\xff\xfe", '{"edges": [["a", "x", 2]], "regions": []}',
    '{"edges": [["a", "x", "2"]], "regions": {"A": ["a"]}}',
], ids=["empty", "list", "no-regions", "truncated", "binary", "regions-list", "dim-string"])
def test_rtn_bad_network_file(tmp_path, capsys, tried, content):
    path = tmp_path / "net.json"
    (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
    tried()
    code, _, err = run(capsys, "rtn", "sample", path, "--samples", 1, "--no-progress")
    assert_one_line(code, err, "net.json")


def test_rtn_prints_the_result_before_a_failed_save(tmp_path, capsys, monkeypatch):
    """A save that fails after the work must not lose the printed result."""
    out = tmp_path / "fig.png"

    def broken(*a, **k):
        raise OSError(28, "No space left on device", str(out))

    import matplotlib.figure

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", broken)
    code, stdout, err = run(capsys, "rtn", "sample", "--dim", 4, "--samples", 3, "--out", out,
                            "--no-progress")
    assert_one_line(code, err, "no space left")
    assert "entropy (nats)" in stdout and not out.exists()
    assert list(tmp_path.iterdir()) == []  # no half-written or temporary file left


# -- vqc train / evaluate / reproduce: folders and config files -----------------------------

TRAIN = ["vqc", "train", "--encoding", "mhe", "--epochs", "1", "--n-per-combination", "1",
         "--no-progress", "--out"]


@pytest.mark.parametrize("where", list(UNWRITABLE))
@pytest.mark.parametrize("command", ["train", "reproduce"])
def test_unwritable_out_is_refused_before_any_work(tmp_path, capsys, tried, where, command):
    out = UNWRITABLE[where](tmp_path)
    argv = [*TRAIN, out] if command == "train" else ["reproduce", "entropy", "--quick", "--out", out]
    tried()
    code, _, err = run(capsys, *argv)
    assert_one_line(code, err, "--out", "cannot write")


def test_train_out_that_is_a_file(tmp_path, capsys, tried):
    path = tmp_path / "f"
    path.write_text("x")
    tried()
    code, _, err = run(capsys, *TRAIN, path)
    assert_one_line(code, err, "--out", "not a folder")


def _valid_config() -> dict:
    return {"encoding": "mhe", "task": "binary", "seed": 0, "epochs": 1, "n_per_combination": 1}


def _config_text() -> str:
    return json.dumps({"qinfo_kind": "vqc run config", "qinfo_format": 1, **_valid_config()}, indent=2)


CONFIG_CORPUS = [
    ("empty", "", "empty"),
    ("list", "[]", "json list"),
    ("string", '"mhe"', "json string"),
    ("truncated", _config_text()[:40], "not valid json"),
    ("binary", b"\x00\x01\x02\xff", "not utf-8"),
    ("no-stamp", json.dumps(_valid_config()), "no qinfo format stamp"),
    ("other-kind", _config_text().replace("vqc run config", "model"), "it is a qinfo model"),
    ("future-version", _config_text().replace('"qinfo_format": 1', '"qinfo_format": 99'), "version 99"),
    ("missing-key", _config_text().replace('"seed": 0,', ""), "missing 'seed'"),
    ("seed-bool", _config_text().replace('"seed": 0', '"seed": true'), "'seed' must be a int"),
    ("epochs-string", _config_text().replace('"epochs": 1', '"epochs": "1"'), "'epochs' must be a int"),
    ("bad-encoding", _config_text().replace('"mhe"', '"rot13"'), "unknown encoding"),
    ("zero-epochs", _config_text().replace('"epochs": 1', '"epochs": 0'), "positive"),
]


@pytest.mark.parametrize("content, reason", [c[1:] for c in CONFIG_CORPUS],
                         ids=[c[0] for c in CONFIG_CORPUS])
@pytest.mark.parametrize("command", ["train", "evaluate"])
def test_corrupt_config_is_not_a_qinfo_run_config(tmp_path, capsys, tried, content, reason, command):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    config = run_dir / "config.json"
    (config.write_bytes if isinstance(content, bytes) else config.write_text)(content)
    (run_dir / "model.npz").write_bytes(b"never read")
    argv = [*TRAIN, run_dir] if command == "train" else ["vqc", "evaluate", run_dir, "--backend",
                                                         "statevector", "--no-progress"]
    tried()
    code, _, err = run(capsys, *argv)
    assert_one_line(code, err, f"file {config} is not a qinfo vqc run config", reason,
                    "delete it to start over")


@pytest.mark.parametrize("command", ["train", "evaluate"])
def test_config_that_is_a_folder(tmp_path, capsys, tried, command):
    (tmp_path / "config.json").mkdir()
    (tmp_path / "model.npz").write_bytes(b"x")
    argv = [*TRAIN, tmp_path] if command == "train" else ["vqc", "evaluate", tmp_path, "--backend",
                                                          "statevector"]
    tried()
    code, _, err = run(capsys, *argv)
    assert_one_line(code, err, "config.json")


def test_every_byte_flip_of_a_config_is_refused_before_training(tmp_path, capsys, tried):
    """Each single-byte corruption either breaks the file or changes a setting: never trains."""
    good = _config_text().encode()
    config = tmp_path / "config.json"
    for pos in range(len(good)):
        for mask in (0x01, 0x20, 0xFF):
            bad = bytearray(good)
            bad[pos] ^= mask
            if bytes(bad).decode("latin-1").lower() == good.decode().lower() and mask == 0x20:
                continue  # case flips in keys and values are still changes; keep the count honest
            config.write_bytes(bytes(bad))
            tried()
            code, _, err = run(capsys, *TRAIN, tmp_path)
            line = assert_one_line(code, err)
            assert "config.json" in line or "other settings" in line, line


def _evaluate_dir(tmp_path: Path, model: bytes) -> Path:
    run_dir = tmp_path / "run"
    run_dir.mkdir(exist_ok=True)
    _io.save_json(run_dir / "config.json", _valid_config(), kind="vqc run config", version=1)
    (run_dir / "model.npz").write_bytes(model)
    return run_dir


@pytest.fixture(scope="module")
def model_bytes(tmp_path_factory) -> bytes:
    """A real saved model (untrained: only the file format matters here)."""
    from qinfo.vqc import CaptionModel, make_datasets

    ds = make_datasets("relational", "binary", n_per_combination=1, seed=0)
    model = CaptionModel(encoding="mhe", epochs=1, progress=False).fit(ds["train"])
    path = tmp_path_factory.mktemp("model") / "model.npz"
    model.save(path)
    return path.read_bytes()


def _model_corruptions(good: bytes) -> dict[str, bytes]:
    n = len(good)
    return {"empty": b"", "one-byte": good[:1], "truncated-half": good[: n // 2],
            "truncated-end": good[:-10],
            # byte 30 is the first letter of the first member's name in its local header,
            # which zipfile checks against the central directory; bytes 4-25 (version, flags,
            # timestamp, ZIP64 size placeholders) are fields zipfile reads from the central
            # directory instead, so a flip there reads the same data (the npz loader tests
            # below check that)
            "flipped-header": good[:30] + bytes([good[30] ^ 0xFF]) + good[31:],
            "flipped-middle": good[: n // 2] + bytes([good[n // 2] ^ 0xFF]) + good[n // 2 + 1:],
            "zeros": bytes(n), "text": b"hello world\n" * 10}


@pytest.mark.parametrize("kind", ["empty", "one-byte", "truncated-half", "truncated-end",
                                  "flipped-header",
                                  "flipped-middle", "zeros", "text"])
def test_corrupt_model_file_is_one_line_and_exit_2(tmp_path, capsys, tried, model_bytes, kind):
    run_dir = _evaluate_dir(tmp_path, _model_corruptions(model_bytes)[kind])
    tried()
    code, _, err = run(capsys, "vqc", "evaluate", run_dir, "--backend", "statevector", "--no-progress")
    assert_one_line(code, err)


@pytest.mark.parametrize("kind", ["empty", "truncated-half", "flipped-middle", "zeros"])
def test_corrupt_model_file_says_it_is_not_a_qinfo_model(tmp_path, capsys, model_bytes, kind):
    run_dir = _evaluate_dir(tmp_path, _model_corruptions(model_bytes)[kind])
    code, _, err = run(capsys, "vqc", "evaluate", run_dir, "--backend", "statevector", "--no-progress")
    assert_one_line(code, err, "model.npz", "is not a qinfo", "delete it to start over")


# -- the versioned loaders: every byte class of corruption ----------------------------------


def _reference_npz(tmp_path: Path) -> tuple[Path, dict]:
    arrays = {"params": np.linspace(-1, 1, 24), "shape": np.array([3, 8]), "name": np.array("sim4")}
    return _io.save_npz(tmp_path / "ref.npz", arrays, kind="checkpoint", version=1), arrays


def test_npz_loader_every_truncation_and_bit_flip_fails_loudly_or_reads_the_same(tmp_path, tried):
    """No corruption of a saved archive may load as different numbers.

    Every strict prefix must fail. A flipped bit fails, unless it sits in a zip
    field the reader does not use (a timestamp, a version byte): then the data
    must be intact (CRC-32 catches every single-bit error inside a member).
    """
    path, arrays = _reference_npz(tmp_path)
    good = path.read_bytes()
    bad_path = tmp_path / "bad.npz"

    def load(data: bytes):
        bad_path.write_bytes(data)
        tried()
        return _io.load_npz(bad_path, kind="checkpoint", version=1, required=arrays)

    for k in range(len(good)):
        with pytest.raises(_io.FileFormatError) as exc:
            load(good[:k])
        assert str(exc.value).startswith(f"file {bad_path} is not a qinfo checkpoint (")
        assert str(exc.value).endswith("); delete it to start over") and "\n" not in str(exc.value)
    failed = 0
    for p in range(len(good)):
        try:
            got = load(good[:p] + bytes([good[p] ^ 0x01]) + good[p + 1:])
        except _io.FileFormatError:
            failed += 1
            continue
        assert got.keys() == arrays.keys()
        for k in arrays:
            np.testing.assert_array_equal(got[k], arrays[k])
    assert failed > len(good) // 2  # most flips are caught, not just tolerated


def test_npz_loader_refuses_pickles_other_kinds_and_missing_keys(tmp_path, tried):
    path = tmp_path / "x.npz"
    np.savez(path, obj=np.array([{"a": 1}], dtype=object))
    with pytest.raises(_io.FileFormatError, match="pickled"):
        _io.load_npz(path, kind="checkpoint", version=1)
    _io.save_npz(path, {"w": [1.0]}, kind="model", version=1)
    with pytest.raises(_io.FileFormatError, match="it is a qinfo model"):
        _io.load_npz(path, kind="checkpoint", version=1)
    with pytest.raises(_io.FileFormatError, match="format version 1, this qinfo reads 2"):
        _io.load_npz(path, kind="model", version=2)
    with pytest.raises(_io.FileFormatError, match="missing 'params'"):
        _io.load_npz(path, kind="model", version=1, required=["params"])
    np.savez(path, w=[1.0])
    with pytest.raises(_io.FileFormatError, match="no qinfo format stamp"):
        _io.load_npz(path, kind="model", version=1)
    with pytest.raises(_io.FileFormatError, match="a folder"):
        _io.load_npz(tmp_path, kind="model", version=1)
    with pytest.raises(FileNotFoundError):
        _io.load_npz(tmp_path / "none.npz", kind="model", version=1)
    tried(7)


def test_json_loader_every_truncation_fails_loudly(tmp_path, tried):
    path = _io.save_json(tmp_path / "c.json", _valid_config(), kind="run config", version=1)
    good = path.read_text().rstrip()
    for k in range(len(good)):
        path.write_text(good[:k])
        tried()
        with pytest.raises(_io.FileFormatError, match=r"is not a qinfo run config \(.*\); delete it"):
            _io.load_json(path, kind="run config", version=1)


# -- atomic writes and concurrent runs ------------------------------------------------------


def test_atomic_write_leaves_the_old_file_whole_when_the_write_fails(tmp_path, monkeypatch):
    target = tmp_path / "metrics.json"
    target.write_text("old")

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError):
        _io.atomic_write(target, "new")
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["metrics.json"]


def test_concurrent_atomic_writes_to_one_file_leave_one_whole_version(tmp_path):
    target = tmp_path / "result.json"
    payloads = [json.dumps({"writer": i, "data": list(range(5000))}) for i in range(8)]
    threads = [threading.Thread(target=_io.atomic_write, args=(target, p)) for p in payloads]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert target.read_text() in payloads
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]


@pytest.mark.parametrize("command", ["train", "evaluate", "reproduce"])
def test_a_second_run_into_a_busy_folder_is_refused(tmp_path, capsys, tried, command):
    run_dir = _evaluate_dir(tmp_path, b"x")
    argv = {"train": [*TRAIN, run_dir],
            "evaluate": ["vqc", "evaluate", run_dir, "--backend", "statevector"],
            "reproduce": ["reproduce", "entropy", "--quick", "--out", run_dir]}[command]
    with _io.folder_lock(run_dir):  # a run in progress
        tried()
        code, _, err = run(capsys, *argv)
    assert_one_line(code, err, f"folder {run_dir} is in use by another qinfo run", "pid")


def test_the_folder_lock_is_released_after_a_run_and_after_a_crash(tmp_path, capsys):
    code, _, _ = run(capsys, *TRAIN, under_a_file(tmp_path))  # failed run: nothing held
    with _io.folder_lock(tmp_path):
        pass
    proc = subprocess.run([sys.executable, "-c", "import os, sys; from qinfo._io import folder_lock; "
                           f"folder_lock({str(tmp_path)!r}).__enter__(); os._exit(3)"],
                          cwd=ROOT, capture_output=True)
    assert proc.returncode == 3
    with _io.folder_lock(tmp_path):  # the dead process's lock is gone
        pass


def test_a_run_into_a_folder_another_process_is_using_is_refused(tmp_path, capsys, tried):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from qinfo._io import folder_lock\n"
         f"with folder_lock({str(tmp_path)!r}):\n print('locked', flush=True); sys.stdin.read()"],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        tried()
        code, _, err = run(capsys, *TRAIN, tmp_path)
        assert_one_line(code, err, "in use by another qinfo run", f"pid {holder.pid}")
    finally:
        holder.communicate("")
    assert holder.returncode == 0
    with _io.folder_lock(tmp_path):  # free again once that process ended
        pass


@pytest.mark.slow
def test_concurrent_rtn_runs_into_one_file_both_finish_with_a_whole_png(tmp_path):
    out = tmp_path / "fig.png"
    cmd = [sys.executable, "-m", "qinfo", "rtn", "sample", "--dim", "4", "--samples", "3",
           "--no-progress", "--out", str(out)]
    procs = [subprocess.Popen(cmd + ["--seed", str(i)], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for i in range(2)]
    results = [p.communicate() + (p.returncode,) for p in procs]
    assert [r[2] for r in results] == [0, 0], results
    assert out.read_bytes().startswith(b"\x89PNG") and [p.name for p in tmp_path.iterdir()] == ["fig.png"]


# -- the top level: --debug, internal errors, every expected exception type -------------------


@pytest.mark.parametrize("exc", [
    OSError(5, "Input/output error", "run/x.npz"), IsADirectoryError(21, "Is a directory", "cfg"),
    PermissionError(13, "Permission denied", "/root/x"), zipfile.BadZipFile("File is not a zip file"),
    EOFError(), KeyError("params"), MemoryError(), OverflowError("int too large to convert to float"),
    json.JSONDecodeError("Expecting value", "x", 0), ValueError("bad\nvalue"), TypeError("bad type"),
], ids=lambda e: type(e).__name__)
def test_every_expected_failure_is_one_line_and_exit_2(capsys, monkeypatch, tried, exc):
    import qinfo.cli as cli

    def fail(args):
        raise exc

    monkeypatch.setattr(cli, "_cmd_entropy", fail)
    tried()
    code, _, err = run(capsys, "entropy", "x.json")
    line = assert_one_line(code, err, "qinfo entropy: error:")
    if isinstance(exc, OSError):
        assert exc.filename in line


def test_a_missing_extra_is_one_line_naming_it_and_exit_2(capsys, monkeypatch):
    """On a core install, ``qinfo vqc evaluate --backend aer`` read "internal error ... please report it"."""
    import importlib

    import qinfo._optional as optional
    import qinfo.cli as cli

    real = importlib.import_module

    def core_only(name, *a, **k):
        if name.split(".")[0] == "qiskit_aer":
            raise ModuleNotFoundError(f"No module named {name!r}")
        return real(name, *a, **k)

    monkeypatch.setattr(optional.importlib, "import_module", core_only)
    monkeypatch.setattr(cli, "_cmd_entropy", lambda args: optional.require("qiskit_aer", feature="backend 'aer'"))
    code, _, err = run(capsys, "entropy", "x.json")
    assert_one_line(code, err, "qinfo entropy: error:", "qinfo[qiskit]")
    assert "internal error" not in err


def test_debug_shows_the_traceback(capsys, tmp_path):
    from qinfo.cli import CLIError

    with pytest.raises(CLIError):
        main(["--debug", "entropy", str(tmp_path / "missing.json")])
    with pytest.raises(CLIError):
        main(["entropy", str(tmp_path / "missing.json"), "--debug"])
    code, _, err = run(capsys, "entropy", tmp_path / "missing.json")
    assert_one_line(code, err, "missing.json")


def test_an_internal_error_is_one_line_asking_for_a_report(capsys, monkeypatch):
    import qinfo.cli as cli

    def bug(args):
        raise AttributeError("'list' object has no attribute 'get'")

    monkeypatch.setattr(cli, "_cmd_entropy", bug)
    code, _, err = run(capsys, "entropy", "x.json")
    assert_one_line(code, err, "internal error", "AttributeError", "--debug", exit_code=1)


# -- the API entry points: bad input raises ValueError or TypeError naming the argument --------

API_CORPUS = [
    ("parse-typo-letter", lambda: _ineq().parse("S_A + S_Z >= S_AZ"), ValueError, "did you mean"),
    ("parse-25-parties", lambda: _ineq().parse("S_A >= 0", n_parties=25), ValueError, "BUDGET"),
    ("parse-not-a-string", lambda: _ineq().parse(3), TypeError, "text"),
    ("parse-empty", lambda: _ineq().parse(""), ValueError, "empty"),
    ("instances-8-parties", lambda: _ineq().parse("I(A:B|C) >= 0").instances(8), ValueError, "BUDGET"),
    ("orbit-8-parties", lambda: _vec()(np.ones(255)).orbit(), ValueError, "BUDGET"),
    ("vector-nan", lambda: _vec()([1, float("nan"), 1]), ValueError, "finite"),
    ("vector-length", lambda: _vec()([1, 2]), ValueError, "2**N - 1"),
    ("holds-negative-atol", lambda: _ineq().parse("S_A + S_B >= S_AB").holds([1, 1, 1], atol=-1),
     ValueError, "atol"),
    ("violations-bool-rtol", lambda: _cones().violations([1, 1, 1], "SA", rtol=True), TypeError, "rtol"),
    ("in-cone-both", lambda: _cones().in_cone([1, 1, 1], rays=[[1, 1, 0]], inequalities="SA"),
     ValueError, "exactly one"),
    ("in-cone-inf-rays", lambda: _cones().in_cone([1, 1, 0], rays=[[np.inf, 1, 0]]), ValueError, "finite"),
    ("catalogue-dfz-6", lambda: _catalogue().get("dfz", 6), ValueError, "BUDGET"),
    ("catalogue-unknown", lambda: _catalogue().get("nope"), ValueError, "unknown catalogue entry"),
]


def _ineq():
    from qinfo.entropy_cones import Inequality
    return Inequality


def _vec():
    from qinfo.entropy_cones import EntropyVector
    return EntropyVector


def _cones():
    import qinfo.entropy_cones as cones
    return cones


def _catalogue():
    from qinfo.entropy_cones import catalogue
    return catalogue


@pytest.mark.parametrize("call, exc_type, fragment", [c[1:] for c in API_CORPUS],
                         ids=[c[0] for c in API_CORPUS])
def test_api_bad_input_raises_a_clear_error(tried, call, exc_type, fragment):
    tried()
    with pytest.raises(exc_type, match=re.escape(fragment)):
        call()


# -- cases owned by other issues: switched on after the merge ---------------------------------


def test_rtn_bond_dimension_one_predicts_zero_entropy_or_refuses():
    from qinfo.tensor_networks import predict_spectrum, two_cut_network

    try:
        s = predict_spectrum(two_cut_network(1), "A").entropy()
    except ValueError:
        return
    assert abs(s) < 1e-12


def test_rtn_single_region_predicts_a_pure_state_or_refuses():
    import networkx as nx

    from qinfo.tensor_networks import RandomTensorNetwork, predict_spectrum

    net = RandomTensorNetwork(nx.path_graph(["a", "x", "b"]), regions={"A": ["a", "b"]}, bond_dim=4)
    try:
        s = predict_spectrum(net, "A").entropy()
    except ValueError:
        return
    assert abs(s) < 1e-12


def test_ks_distance_of_a_spectrum_with_itself_is_zero():
    from qinfo.tensor_networks import ks_distance

    x = np.random.default_rng(0).dirichlet(np.ones(16))
    assert ks_distance(x, x) == 0.0


@pytest.mark.parametrize("seed", range(10))
def test_split_method_agrees_with_auto_or_is_gone(seed):
    import networkx as nx

    from qinfo.tensor_networks import RandomTensorNetwork, sample_spectrum

    g = nx.gnm_random_graph(7, 10, seed=seed)
    g.add_edges_from([(0, 1), (1, 2)])
    if not nx.is_connected(g):  # a bulk vertex reaching no boundary vertex is refused
        with pytest.raises(ValueError, match="graph is disconnected"):
            RandomTensorNetwork(g, regions={"A": [0], "B": [6]}, bond_dim=2)
        g.remove_nodes_from([v for v in list(g) if not nx.has_path(g, v, 0)])
    net = RandomTensorNetwork(g, regions={"A": [0], "B": [6]}, bond_dim=2)
    auto = sample_spectrum(net, "A", seed=seed, method="auto")
    try:
        split = sample_spectrum(net, "A", seed=seed, method="split")
    except ValueError as exc:
        assert "method" in str(exc)
        return
    np.testing.assert_allclose(np.sort(split), np.sort(auto), atol=1e-10)


@pytest.mark.parametrize("setting", [{"lr": float("nan")}, {"temperature": 0.0}, {"patience": -1},
                                     {"seed": True}, {"epochs": 0}, {"lr": -0.1}],
                         ids=lambda s: next(iter(s)))
def test_caption_model_rejects_bad_hyperparameters(setting):
    from qinfo.vqc import CaptionModel, make_datasets

    with pytest.raises((ValueError, TypeError), match=next(iter(setting))):
        ds = make_datasets("relational", "binary", n_per_combination=1, seed=0)
        CaptionModel(encoding="mhe", epochs=1, progress=False, **setting).fit(ds["train"])


def test_make_datasets_rejects_nan_noise():
    from qinfo.vqc import make_datasets

    with pytest.raises(ValueError, match="noise_std"):
        make_datasets("relational", "binary", n_per_combination=1, seed=0, noise_std=float("nan"))


@pytest.fixture(scope="module")
def trained_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("faults") / "run"
    assert main([*TRAIN, str(out)]) == 0
    return out


def test_evaluate_prints_the_result_before_a_failed_save(trained_dir, capsys, monkeypatch):
    """A save failing after the paid work must not lose the printed result."""
    import qinfo._io

    real = qinfo._io.atomic_write

    def fail_on_result(path, data):
        if Path(path).name.startswith("evaluation-"):
            raise IsADirectoryError(21, "Is a directory", str(path))
        return real(path, data)

    monkeypatch.setattr(qinfo._io, "atomic_write", fail_on_result)
    code, out, err = run(capsys, "vqc", "evaluate", trained_dir, "--backend", "statevector",
                         "--json", "--no-progress")
    assert_one_line(code, err, "evaluation-statevector-")
    assert json.loads(out)["accuracy"] == json.loads(out)["exact_accuracy"]


def test_evaluate_with_another_seed_does_not_reuse_old_shots(trained_dir, capsys):
    # 512 shots: this model needs at least 310 (see the next test), so 64 would be refused
    args = ["vqc", "evaluate", trained_dir, "--backend", "aer", "--shots", "512", "--json", "--no-progress"]
    first = json.loads(run(capsys, *args, "--seed", "0")[1])
    second = json.loads(run(capsys, *args, "--seed", "1")[1])
    fresh_dir = trained_dir.parent / "fresh"
    import shutil

    shutil.copytree(trained_dir, fresh_dir, ignore=shutil.ignore_patterns("jobs-*", "evaluation-*"))
    fresh = json.loads(run(capsys, "vqc", "evaluate", fresh_dir, *args[3:], "--seed", "1")[1])
    assert second["accuracy"] == fresh["accuracy"]
    assert first != second or first == fresh


def test_evaluate_refuses_too_few_shots_stating_the_minimum(trained_dir, capsys):
    code, _, err = run(capsys, "vqc", "evaluate", trained_dir, "--backend", "aer", "--shots", "1",
                       "--no-progress")
    assert_one_line(code, err, "--shots", "at least")


def _checkpoint_corruptions() -> dict[str, bytes]:
    import io

    buf = io.BytesIO()
    np.savez(buf, params=np.zeros(3))  # a real archive, missing every other key
    missing = buf.getvalue()
    return {"empty": b"", "text": b"not a checkpoint\n", "truncated": missing[: len(missing) // 2],
            "missing-keys": missing}


def _train_on_corrupt_checkpoint(tmp_path, capsys, kind):
    _io.save_json(tmp_path / "config.json", _valid_config(), kind="vqc run config", version=1)
    (tmp_path / "checkpoint.npz").write_bytes(_checkpoint_corruptions()[kind])
    return run(capsys, *TRAIN, tmp_path)


@pytest.mark.parametrize("kind", list(_checkpoint_corruptions()))
def test_train_with_a_corrupt_checkpoint_is_one_line(tmp_path, capsys, tried, kind):
    tried()
    code, _, err = _train_on_corrupt_checkpoint(tmp_path, capsys, kind)
    assert_one_line(code, err)


@pytest.mark.parametrize("kind", list(_checkpoint_corruptions()))
def test_corrupt_checkpoint_says_it_is_not_a_qinfo_checkpoint(tmp_path, capsys, kind):
    code, _, err = _train_on_corrupt_checkpoint(tmp_path, capsys, kind)
    assert_one_line(code, err, "checkpoint.npz", "is not a qinfo checkpoint", "delete it to start over")


@pytest.mark.parametrize("content", ["[]", "{", '{"jobs": 5}'], ids=["list", "truncated", "wrong-shape"])
def test_evaluate_with_a_tampered_jobs_file_is_one_line(trained_dir, capsys, content):
    args = ["vqc", "evaluate", trained_dir, "--backend", "aer", "--shots", "512", "--no-progress"]
    assert run(capsys, *args)[0] == 0
    jobs = sorted(trained_dir.glob("jobs-*.json"))
    assert jobs
    for path in jobs:
        path.write_text(content)
    try:
        code, _, err = run(capsys, *args)
    finally:
        for path in jobs:
            path.unlink()
    assert_one_line(code, err, "jobs")
