"""Every reproduction part: its claims hold in the quick form, and a deliberately broken input reads DIFFERS.

The quick forms of the slow parts (stabilizer cone, random tensor networks,
VQC; together minutes) are marked ``slow``; each part also has a default-suite
test on a smaller input or with its expensive step injected, and one in which a
pillar function returns a wrong number and the claim that depends on it says so
(``agrees is False``). Pillar functions are replaced wherever qinfo's modules
hold them (:func:`patch_everywhere`), so the tests do not depend on the names of
the pillars' private modules.
"""

from __future__ import annotations

import dataclasses
import importlib
import sys

import numpy as np
import pytest

from qinfo.reproduce import TARGETS, Context, Section

PARTS = [name for names in TARGETS.values() for name in names]

#: Claims of the quick forms known to differ from the paper (README, "What was reproduced").
KNOWN_DIFFERENCES = {"noisy-MHE quantum test accuracy (10 % flips) vs the paper"}


def patch_everywhere(monkeypatch, original, fake) -> None:
    """Replace ``original`` by ``fake`` in every loaded qinfo module that holds it, under any name."""
    hits = 0
    for name, module in list(sys.modules.items()):
        if not name.startswith("qinfo") or module is None:
            continue
        for attr, value in list(vars(module).items()):
            if value is original:
                monkeypatch.setattr(module, attr, fake)
                hits += 1
    assert hits, f"{original!r} is in no qinfo module"


def part(name: str):
    return importlib.import_module(f"qinfo.reproduce.{name}")


def claims(section: Section) -> dict:
    return {c.name: c.agrees for c in section.claims}


def claim(section: Section, start: str):
    found = [c for c in section.claims if c.name.startswith(start)]
    assert len(found) == 1, (start, [c.name for c in section.claims])
    return found[0]


@pytest.fixture
def ctx(tmp_path):
    return Context(out=tmp_path, quick=True, seed=0, progress=False)


# -- each part in its quick form -----------------------------------------------------------


def _needs(modname: str) -> None:
    """Skip where the part needs an extra that is not installed ([lp], [sat], [links])."""
    if modname.endswith(("_stabilizer_cone", "_links")):
        pytest.importorskip("cvxpy")
    if modname.endswith(("_proofs", "_links")):
        pytest.importorskip("pysat")
    if modname.endswith("_links"):
        pytest.importorskip("spherogram")


@pytest.mark.slow  # all together several minutes: the stabilizer cone ~100 s, RTN ~60-200 s, VQC ~60-160 s
@pytest.mark.parametrize("modname", PARTS, ids=lambda m: m.rsplit(".", 1)[-1])
def test_quick_form_claims_agree(modname, ctx):
    _needs(modname)
    section = importlib.import_module(modname).run(ctx)
    assert section.claims and section.title
    differ = [c.name for c in section.claims if c.agrees is False]
    assert set(differ) <= KNOWN_DIFFERENCES, differ
    assert all(f.is_file() for f in section.figures)


# -- hypergraph min cuts ---------------------------------------------------------------


def test_hypergraph_part_and_a_wrong_min_cut_reads_differs(ctx, monkeypatch):
    """Quick form in full; then with every Hypergraph.entropy_vector doubled the GHZ4 claims differ."""
    from qinfo.entropy_cones import EntropyVector, Hypergraph

    section = part("_hypergraph").run(ctx)
    assert all(a is not False for a in claims(section).values())
    assert claim(section, "single hyperedge").agrees is True
    assert claim(section, "3-party random graphs violating MMI").agrees is True

    real = Hypergraph.entropy_vector
    monkeypatch.setattr(Hypergraph, "entropy_vector",
                        lambda self, *a, **k: EntropyVector(2 * real(self, *a, **k).values))
    broken = part("_hypergraph").run(ctx)
    assert claim(broken, "single hyperedge").agrees is False
    assert claim(broken, "I3(A:B:C) of the GHZ4 hyperedge").measured == 2.0
    assert claim(broken, "I3(A:B:C) of the GHZ4 hyperedge").agrees is False
    # the batch of random models does not go through the broken method: still agrees
    assert claim(broken, "3-party random graphs violating SA or SSA").agrees is True


# -- contraction proofs ----------------------------------------------------------------


def test_proofs_part_and_a_wrong_proof_status_reads_differs(ctx, monkeypatch):
    """Quick form, with prove() answering "refuted" for MMI on graphs: that claim, and only it, differs."""
    _needs("_proofs")
    import qinfo.entropy_cones as ec

    real = ec.prove

    def wrong(inequality, *args, model="graph", **kwargs):
        result = real(inequality, *args, model=model, **kwargs)
        if model == "graph" and "S_A + S_B + S_C + S_ABC" in str(inequality):
            return dataclasses.replace(result, status="refuted")
        return result

    patch_everywhere(monkeypatch, real, wrong)
    section = part("_proofs").run(ctx)
    assert claim(section, "MMI for graph models").agrees is False
    assert claim(section, "MMI for graph models").measured == "refuted"
    others = {k: v for k, v in claims(section).items() if k != "MMI for graph models"}
    assert others and all(v is True for v in others.values()), others


# -- topological links -------------------------------------------------------------------


def test_link_sanity_claims_and_a_wrong_link_entropy_reads_differs(monkeypatch):
    """The Hopf/Borromean/Brunnian checks; with LinkModel.entropy_vector doubled they differ."""
    _needs("_links")
    from qinfo.entropy_cones import EntropyVector, LinkModel

    links = part("_links")
    good = Section("links")
    links._sanity(good)
    assert claim(good, "Hopf link").agrees is True
    assert claim(good, "Borromean rings").agrees is True
    assert claim(good, "4-component Brunnian").agrees is True

    real = LinkModel.entropy_vector
    monkeypatch.setattr(LinkModel, "entropy_vector",
                        lambda self, *a, **k: EntropyVector(2 * real(self, *a, **k).values))
    bad = Section("links")
    links._sanity(bad)
    assert claim(bad, "Hopf link").measured == 3.0
    assert claim(bad, "Hopf link").agrees is False
    assert claim(bad, "Borromean rings").agrees is False
    assert claim(bad, "4-component Brunnian").agrees is False


def test_link_ssa_caveat_is_shown():
    _needs("_links")
    section = Section("links")
    part("_links")._ssa_caveat(section)
    assert claim(section, "caveat").agrees is True


# -- random tensor networks --------------------------------------------------------------


def _run_seed(ctx, k):
    """The seed the RTN part hands its k-th piece."""
    from qinfo._random import spawn_seeds

    return spawn_seeds(ctx.seed, 6)[k]


def _small_two_cut(seed):
    """The two-cut network at D = 64 with flat links (part 2: D = 512 with links), its law and 3 samples.

    Flat links: the predicted law is Marchenko-Pastur in closed form; the free product of
    part 2's link spectra costs a minute to predict.
    """
    from qinfo.tensor_networks import predict_spectrum, two_cut_network

    net = two_cut_network(64, links="flat")
    return 64, predict_spectrum(net, "A"), net.sample_spectra("A", 3, seed=seed, progress=False)


def test_rtn_renyi_and_negativity_on_a_small_network_and_a_wrong_negativity_reads_differs(ctx, monkeypatch):
    import qinfo.tensor_networks as tn

    rtn = part("_rtn")
    section = Section("rtn")
    rtn._renyi_and_negativity(section, ctx, _run_seed(ctx, 5), _small_two_cut(0))
    neg = claim(section, "log negativity of A:B")
    assert neg.agrees is True  # the quick size of the negativity check itself (D_A = 8)
    s_inf = claim(section, "S_inf")
    assert isinstance(s_inf.measured, float) and np.isfinite(s_inf.measured)

    patch_everywhere(monkeypatch, tn.log_negativity, lambda spectrum, *a, **k: 1.0)
    broken = Section("rtn")
    rtn._renyi_and_negativity(broken, ctx, _run_seed(ctx, 5), _small_two_cut(0))
    assert claim(broken, "log negativity of A:B").measured == 1.0
    assert claim(broken, "log negativity of A:B").agrees is False


@pytest.mark.slow  # about 275 samples, 10-25 s
def test_rtn_semiclassical_rows_and_a_wrong_law_reads_differs(ctx, monkeypatch):
    import qinfo.tensor_networks as tn

    rtn = part("_rtn")
    section = Section("rtn")
    rtn._semiclassical(section, ctx, _run_seed(ctx, 4))
    assert claim(section, "S(A) at N = 8").agrees is True

    real = tn.semiclassical_law

    class Shifted:
        """The real law, its entropy moved by 1 nat."""

        def __init__(self, law):
            self.law = law

        def entropy(self):
            return self.law.entropy() + 1.0

        def __getattr__(self, name):
            return getattr(self.law, name)

    patch_everywhere(monkeypatch, real, lambda *a, **k: Shifted(real(*a, **k)))
    broken = Section("rtn")
    rtn._semiclassical(broken, ctx, _run_seed(ctx, 4))
    assert claim(broken, "S(A) at N = 8").agrees is False


# -- VQC captioning ------------------------------------------------------------------------


@pytest.fixture
def tiny_vqc(monkeypatch):
    """The VQC part at a tiny size (2 seeds, 2 captions per combination, 1 epoch), in this process."""
    vqc = part("_vqc")
    monkeypatch.setitem(vqc.SETTINGS, "quick", (2, 2, 1, 1, (0.0,)))
    monkeypatch.setattr("os.cpu_count", lambda: 1)  # the part's own process pool: one worker = here
    return vqc


def _score_always(monkeypatch, value):
    from qinfo.vqc import CaptionModel, ClassicalDisCoCat

    for cls in (CaptionModel, ClassicalDisCoCat):
        monkeypatch.setattr(cls, "score", lambda self, dataset: value)


def test_vqc_part_when_every_model_scores_the_papers_accuracy_agrees(tiny_vqc, ctx, monkeypatch):
    paper = tiny_vqc.PUBLISHED["mhe-noisy"][0]
    _score_always(monkeypatch, paper)
    section = tiny_vqc.run(ctx)
    noisy = claim(section, "noisy-MHE quantum test accuracy")
    assert noisy.measured == round(paper, 4) and noisy.agrees is True
    # equal accuracies with and without the box, quantum and classical: a CI of [0, 0] decides nothing
    assert claim(section, "the trainable image box helps").agrees is None
    assert (ctx.out / "results.json").is_file()


def test_vqc_part_with_models_at_chance_reads_differs(tiny_vqc, ctx, monkeypatch):
    _score_always(monkeypatch, 0.5)
    section = tiny_vqc.run(ctx)
    noisy = claim(section, "noisy-MHE quantum test accuracy")
    assert noisy.measured == 0.5 and noisy.agrees is False


# -- stabilizer cone -----------------------------------------------------------------------
# The 4-party cone, the 6-qubit orbits and the linear-rank classes cost minutes (slow test
# above); _hypergraph_gap has its own tests (test_stabilizer_cone_gap.py).


@pytest.mark.parametrize("sizes, agrees", [([350] * 30 + [360], True), ([350] * 30, False),
                                           ([350] * 30 + [361], False)])
def test_stabilizer_linear_rank_claim_against_injected_classes(ctx, monkeypatch, sizes, agrees):
    """The published 31 classes (10,860 facets): with the class search injected, a wrong count reads DIFFERS."""
    import types

    import qinfo.entropy_cones as ec
    from qinfo.entropy_cones import catalogue

    monkeypatch.setattr(catalogue, "linear_rank", lambda n: catalogue.get("SA", n))
    patch_everywhere(monkeypatch, ec.irredundant_classes,
                     lambda inequalities: [types.SimpleNamespace(size=s) for s in sizes])
    section = Section("stabilizer")
    part("_stabilizer_cone")._linear_rank_facets(ctx, section, np.zeros((0, 31)))
    got = claim(section, "5-party linear rank inequalities")
    assert got.measured == f"{len(sizes)} ({sum(sizes):,})"
    assert got.agrees is agrees
    assert claim(section, "linear-rank classes tight on 30").agrees is None  # quick: full run only


def test_proofs_table_names_the_stage_that_found_the_map(monkeypatch):
    _needs("_proofs")
    import qinfo.entropy_cones._contraction._sat as sat
    from qinfo.entropy_cones import prove

    how = part("_proofs")._how
    assert how(prove("S_A + S_B >= S_AB", progress=False)) == "propagation + local search"
    assert how(prove("S_AB + S_BC >= S_B + S_ABC", progress=False)) == "propagation alone"
    monkeypatch.setattr(sat, "_WALK_FLIPS", 0)
    assert how(prove("S_A + S_B >= S_AB", progress=False)) == "propagation + SAT"
