"""The ``qinfo`` command line: help texts, one-line errors with exit code 2, happy paths."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from qinfo.cli import build_parser, main

DATA = Path(__file__).resolve().parents[2] / "examples" / "data"



def run_cli(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's usage errors, e.g. an integer option out of range
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def assert_one_line_error(code, err, *fragments):
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for frag in fragments:
        assert frag.lower() in lines[0].lower(), (frag, lines[0])


# -- help -----------------------------------------------------------------------------


def _all_commands(parser=None, prefix=()):
    import argparse

    parser = parser or build_parser()
    yield prefix
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _all_commands(sub, prefix + (name,))


@pytest.mark.parametrize("words", list(_all_commands()), ids=lambda w: " ".join(w) or "qinfo")
def test_every_command_has_help_with_an_example_line(words, capsys):
    with pytest.raises(SystemExit) as exc:
        main([*words, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "example:" in out
    example = out.split("example:")[1].strip().splitlines()[0]
    assert example.startswith("qinfo " + " ".join(words))


def test_entropy_help_documents_every_json_model(capsys):
    with pytest.raises(SystemExit):
        main(["entropy", "--help"])
    out = capsys.readouterr().out
    for model in ("hypergraph", "graph", "link", "stabilizer"):
        assert f'"model": "{model}"' in out


# -- bad arguments and files: one line, exit code 2 -----------------------------------


def test_unknown_option_is_a_one_line_error_with_exit_code_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["entropy", "x.json", "--frobnicate"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--frobnicate" in err


def test_missing_file_names_the_file(tmp_path, capsys):
    missing = tmp_path / "nope.json"
    code, _, err = run_cli(capsys, "entropy", str(missing))
    assert_one_line_error(code, err, "nope.json", "no such file")


def test_directory_instead_of_file(tmp_path, capsys):
    code, _, err = run_cli(capsys, "entropy", str(tmp_path))
    assert_one_line_error(code, err, "directory")


def test_malformed_json_gives_line_and_column(tmp_path, capsys):
    path = write(tmp_path, "bad.json", '{"model": "graph", "edges": [["a", "b", 1],,]}')
    code, _, err = run_cli(capsys, "entropy", str(path))
    assert_one_line_error(code, err, "bad.json", "not valid JSON", "line 1")


def test_unknown_model_kind_lists_the_valid_ones(tmp_path, capsys):
    path = write(tmp_path, "m.json", '{"model": "matroid"}')
    code, _, err = run_cli(capsys, "entropy", str(path))
    assert_one_line_error(code, err, "matroid", "hypergraph, graph, link, stabilizer")


def test_unknown_key_is_not_silently_ignored(tmp_path, capsys):
    path = write(tmp_path, "k.json", json.dumps(
        {"model": "graph", "edges": [["a", "b", 1]], "boundary": {"a": "A", "b": "O"},
         "wieghts": [1]}))
    code, _, err = run_cli(capsys, "entropy", str(path))
    assert_one_line_error(code, err, "wieghts")


def test_graph_edge_with_wrong_shape_names_the_edge(tmp_path, capsys):
    path = write(tmp_path, "e.json", json.dumps(
        {"model": "graph", "edges": [["a", "b", 1], ["a", "b"]], "boundary": {"a": "A", "b": "O"}}))
    code, _, err = run_cli(capsys, "entropy", str(path))
    assert_one_line_error(code, err, "edge 1", "[u, v, weight]")


def test_non_numeric_weight_names_the_edge(tmp_path, capsys):
    path = write(tmp_path, "w.json", json.dumps(
        {"model": "hypergraph", "edges": [[["a", "b"], "heavy"]], "boundary": {"a": "A", "b": "O"}}))
    code, _, err = run_cli(capsys, "entropy", str(path))
    assert_one_line_error(code, err, "edge 0", "weight must be a number")


def test_negative_weight_is_rejected(tmp_path, capsys):
    path = write(tmp_path, "neg.json", json.dumps(
        {"model": "graph", "edges": [["a", "x", 1], ["x", "b", -2]],
         "boundary": {"a": "A", "b": "O"}}))
    code, _, err = run_cli(capsys, "entropy", str(path))
    assert_one_line_error(code, err, "neg.json", "-2")


def test_unknown_party_label_is_rejected(tmp_path, capsys):
    path = write(tmp_path, "label.json", json.dumps(
        {"model": "hypergraph", "edges": [[["a", "b"], 1]], "boundary": {"a": "A", "b": "purifier"}}))
    code, _, err = run_cli(capsys, "entropy", str(path))
    assert_one_line_error(code, err, "label.json", "purifier")


def test_unknown_party_letter_for_a_stabilizer_state(tmp_path, capsys):
    path = write(tmp_path, "s.txt", "XX\nZZ\n")
    code, _, err = run_cli(capsys, "entropy", str(path), "--parties", "A?")
    assert_one_line_error(code, err, "s.txt", "?")


def test_text_file_that_is_not_pauli_strings(tmp_path, capsys):
    path = write(tmp_path, "s.txt", "XX\nhello\nparties: AO\n")
    code, _, err = run_cli(capsys, "entropy", str(path))
    assert_one_line_error(code, err, "line 2", "not a Pauli string")


def test_stabilizer_text_without_parties(tmp_path, capsys):
    path = write(tmp_path, "s.txt", "XX\nZZ\n")
    code, _, err = run_cli(capsys, "entropy", str(path))
    assert_one_line_error(code, err, "parties")


def test_console_script_error_has_no_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "qinfo.cli", "entropy", str(tmp_path / "x.json")],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("qinfo entropy: error:")
    assert "Traceback" not in proc.stderr


# -- happy paths ----------------------------------------------------------------------


def test_entropy_of_the_ghz4_hyperedge_is_one_everywhere_and_violates_mmi(capsys):
    code, out, _ = run_cli(capsys, "entropy", str(DATA / "ghz4_hyperedge.json"), "--json")
    assert code == 0
    result = json.loads(out)
    assert result["model"] == "hypergraph" and result["parties"] == ["A", "B", "C"]
    assert set(result["entropies"].values()) == {1}  # one hyperedge: S(I) = w for all I
    assert "MMI" in result["checked"]
    assert [v["entry"] for v in result["violations"]].count("MMI") == 1  # GHZ4 breaks MMI once
    assert all(v["slack"] < 0 for v in result["violations"])


def test_entropy_of_the_star_graph_matches_hand_min_cuts(capsys):
    code, out, _ = run_cli(capsys, "entropy", str(DATA / "star_graph.json"), "--json")
    assert code == 0
    ent = json.loads(out)["entropies"]
    # bulk x joins a, b, c (weight 1) and o (weight 2)
    assert ent == {"A": 1, "B": 1, "C": 1, "AB": 2, "AC": 2, "BC": 2, "ABC": 2}


def test_entropy_of_the_five_qubit_code_text_file(capsys):
    code, out, _ = run_cli(capsys, "entropy", str(DATA / "five_qubit_code.txt"), "--json")
    assert code == 0
    ent = json.loads(out)["entropies"]
    assert all(ent[s] == 1 for s in "ABCD")  # every single qubit maximally mixed
    assert all(v == 2 for k, v in ent.items() if len(k) == 2)  # distance 3: pairs too


def test_entropy_of_ghz4_stabilizer_json_text_output(capsys):
    code, out, _ = run_cli(capsys, "entropy", str(DATA / "ghz4_stabilizer.json"))
    assert code == 0
    assert "entropies in bits" in out
    assert "S_ABC" in out


# -- qinfo rtn ------------------------------------------------------------------------

def test_rtn_rejects_a_bond_dimension_below_two(capsys):
    code, _, err = run_cli(capsys, "rtn", "sample", "--dim", "1")
    assert_one_line_error(code, err, "qinfo rtn sample", "--dim")


def test_rtn_network_file_with_a_bad_edge_names_it(tmp_path, capsys):
    path = write(tmp_path, "net.json", json.dumps(
        {"edges": [["a", "x", 4], ["x", "b", "wide"]], "regions": {"A": ["a"], "B": ["b"]}}))
    code, _, err = run_cli(capsys, "rtn", "sample", str(path))
    assert_one_line_error(code, err, "net.json", "edge 1", "bond dimension")


def test_rtn_network_file_with_a_negative_link_spectrum(tmp_path, capsys):
    path = write(tmp_path, "net.json", json.dumps(
        {"edges": [["a", "x", [1.5, -0.5]], ["x", "b", 2]], "regions": {"A": ["a"], "B": ["b"]}}))
    code, _, err = run_cli(capsys, "rtn", "sample", str(path))
    assert_one_line_error(code, err, "net.json", "negative")


def test_rtn_unknown_region(capsys):
    code, _, err = run_cli(capsys, "rtn", "sample", "--region", "C", "--dim", "4")
    assert_one_line_error(code, err, "region 'C'", "A, B")


def test_rtn_two_cut_entropy_is_log_d_minus_half_and_png_is_written(tmp_path, capsys):
    png = tmp_path / "rtn.png"
    code, out, _ = run_cli(capsys, "rtn", "sample", "two-cut", "--dim", "64", "--samples", "20",
                           "--json", "--no-progress", "--out", str(png))
    assert code == 0
    result = json.loads(out)
    assert result["regime"] == "two cuts" and result["dimension"] == 64
    # Marchenko-Pastur with ratio 1: S = log D - 1/2 up to O(1/D) corrections
    assert abs(result["entropy_predicted"] - (math.log(64) - 0.5)) < 0.02
    assert abs(result["entropy_mean"] - result["entropy_predicted"]) < 0.05
    assert png.stat().st_size > 0 and png.read_bytes()[:4] == b"\x89PNG"


# -- qinfo vqc ------------------------------------------------------------------------


def test_vqc_evaluate_without_a_trained_model(tmp_path, capsys):
    code, _, err = run_cli(capsys, "vqc", "evaluate", str(tmp_path), "--backend", "aer")
    assert_one_line_error(code, err, "qinfo vqc evaluate", "config.json", "qinfo vqc train")


def test_vqc_train_requires_out(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["vqc", "train"])
    assert exc.value.code == 2
    assert "--out" in capsys.readouterr().err


@pytest.fixture(scope="module")
def trained_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("vqc") / "run"
    code = main(["vqc", "train", "--encoding", "mhe", "--epochs", "2", "--n-per-combination", "2",
                 "--no-progress", "--out", str(out)])
    assert code == 0
    return out


def test_vqc_train_writes_model_config_and_metrics(trained_run):
    assert {"model.npz", "config.json", "metrics.json", "checkpoint.npz"} <= {
        p.name for p in trained_run.iterdir()}
    metrics = json.loads((trained_run / "metrics.json").read_text())
    assert all(0 <= metrics[f"{k}_acc"] <= 1 for k in ("train", "val", "test"))


def test_vqc_train_refuses_a_folder_with_other_settings(trained_run, capsys):
    code, _, err = run_cli(capsys, "vqc", "train", "--encoding", "clip-angle", "--epochs", "2",
                           "--out", str(trained_run))
    assert_one_line_error(code, err, "other settings")


def test_vqc_evaluate_statevector_matches_exact_accuracy(trained_run, capsys):
    code, out, _ = run_cli(capsys, "vqc", "evaluate", str(trained_run), "--backend", "statevector",
                           "--json", "--no-progress")
    assert code == 0
    result = json.loads(out)
    assert result["accuracy"] == result["exact_accuracy"]
    assert result["mean_abs_fidelity_error"] < 1e-9
    metrics = json.loads((trained_run / "metrics.json").read_text())
    assert result["exact_accuracy"] == pytest.approx(metrics["test_acc"])


def test_vqc_evaluate_unknown_backend_lists_valid_ones(trained_run, capsys):
    code, _, err = run_cli(capsys, "vqc", "evaluate", str(trained_run), "--backend", "quantum-toaster")
    assert_one_line_error(code, err, "quantum-toaster", "aer", "fake_<name>")


def test_vqc_evaluate_rejects_non_positive_shots(trained_run, capsys):
    code, _, err = run_cli(capsys, "vqc", "evaluate", str(trained_run), "--backend", "aer",
                           "--shots", "0")
    assert_one_line_error(code, err, "shots")


def test_rtn_network_file_with_cuts_in_series(capsys):
    code, out, _ = run_cli(capsys, "rtn", "sample", str(DATA / "rtn_series.json"), "--samples", "4",
                           "--json", "--no-progress")
    assert code == 0
    result = json.loads(out)
    assert result["regime"] == "cuts in series" and result["dimension"] == 32
    assert 0 <= result["ks_distance"] <= 1
