"""The split oracle's certificates: never a wrong answer on links whose split structure is known."""

from __future__ import annotations

import itertools
import random

import pytest

from qinfo.entropy_cones import LinkModel, split_decomposition
from qinfo.entropy_cones._link_oracle import TABLE, UNDETERMINED, LinkDiagram, _corank, decompose
from qinfo.entropy_cones._link_samples import BLOCKS
from qinfo.entropy_cones import tangled_split_link


def wrong_answers(diagram: LinkDiagram, truth, sub: frozenset) -> list[str]:
    """Certified claims of the oracle that contradict the known decomposition."""
    dec = decompose(diagram, sub)
    true_pieces = truth(sub)
    out = [f"{sorted(q)} is one piece but the oracle separates it: {dec}"
           for q in true_pieces if not any(q <= p for p in dec.pieces)]
    out += [f"{sorted(p)} certified non-split ({r}) but it splits: {true_pieces}"
            for p, r in zip(dec.pieces, dec.reasons) if r != UNDETERMINED and p not in true_pieces]
    return out


@pytest.mark.parametrize("seed", range(8))
def test_tangled_diagrams_of_known_split_links_get_no_wrong_answer(seed):
    rng = random.Random(seed)
    blocks = [rng.choice(sorted(BLOCKS)) for _ in range(rng.randint(2, 3))]
    known = tangled_split_link(blocks, tangle_length=rng.randint(4, 12), seed=seed)
    diagram = LinkDiagram.from_link(known.pd)
    m = diagram.n_components
    for r in range(2, m + 1):
        for sub in itertools.combinations(range(m), r):
            assert not wrong_answers(diagram, known.truth, frozenset(sub)), (blocks, sub)


def test_truth_of_a_tangled_split_link_is_the_blocks():
    known = tangled_split_link(["borromean", "hopf"], seed=3)
    pieces = known.truth(frozenset(range(5)))
    assert sorted(map(len, pieces)) == [2, 3]
    three = next(p for p in pieces if len(p) == 3)
    pair = sorted(three)[:2]
    assert len(known.truth(frozenset(pair))) == 2  # two Borromean rings are unlinked


@pytest.mark.parametrize("name", ["L6a4", "L7n1", "L8n2", "L9a40", "L10n32", "K5a1"])
def test_corank_is_invariant_under_reidemeister_moves(name):
    import spherogram

    state = random.getstate()
    random.seed(5)
    try:
        tangled = spherogram.Link(name)
        tangled.backtrack(25)  # random Reidemeister moves that add crossings
    finally:
        random.setstate(state)
    a, b = LinkDiagram.from_link(name), LinkDiagram.from_link(tangled)
    assert len(b.pd) > len(a.pd)
    everything = frozenset(range(a.n_components))
    for prime, t in [(3, 2), (5, 4), (7, 6), (2**31 - 1, 123456789), (2**31 - 1, 98765)]:
        chars = {c: t for c in everything}
        assert _corank(a, everything, prime, chars) == _corank(b, everything, prime, chars)


def test_corank_is_additive_over_a_disjoint_union():
    first = LinkDiagram.from_link("L6a4").pd
    shift = 1 + max(e for c in first for e in c)
    second = [tuple(e + shift for e in c) for c in LinkDiagram.from_link("L8n2").pd]
    union = LinkDiagram.from_link(first + second)
    assert union.n_components == 5
    parts = union.diagram_pieces(frozenset(range(5)))
    for prime, t in [(7, 6), (2**31 - 1, 31337)]:
        chars = dict.fromkeys(range(5), t)
        whole = _corank(union, frozenset(range(5)), prime, chars)
        assert whole == sum(_corank(union, p, prime, chars) for p in parts) >= 2


@pytest.mark.parametrize("n", [4, 5])
def test_brunnian_links_are_certified_by_the_oracle_alone(n):
    model = LinkModel.brunnian(list("ABCD"[: n - 1]) + ["O"])
    everything = frozenset(range(n))
    assert model.split_decomposition(everything).reasons == ("Alexander module coranks",)
    for c in range(n):  # and every proper sublink is totally split
        d = model.split_decomposition(everything - {c})
        assert d.certified and len(d.pieces) == n - 1


def test_table_links_are_non_split_by_membership():
    assert split_decomposition("L10n32").reasons == (TABLE,)  # the example
    assert split_decomposition("8^2_1").reasons == (TABLE,)


def test_a_dt_code_string_is_not_a_table_membership():
    import spherogram

    dt = spherogram.Link("L6a4").DT_code(DT_alpha=True)  # "DT[...]", parsed, not looked up
    assert split_decomposition(dt).reasons != (TABLE,)


def test_table_links_are_never_certified_split_and_all_decided_up_to_7_crossings():
    from qinfo.entropy_cones._link_samples import oracle_rates_on_table

    whole, subs = oracle_rates_on_table(7)  # the table rule switched off
    assert whole.questions == 18 and whole.wrong == 0 and whole.undetermined == 0
    assert subs.undetermined == 0


def test_split_link_rates_count_wrong_answers():
    from qinfo.entropy_cones._link_samples import OracleRates
    from qinfo.entropy_cones._link_oracle import SplitDecomposition

    rates = OracleRates()
    a, b = frozenset({0}), frozenset({1})
    rates.add(SplitDecomposition(a | b, (a, b), ("single component",) * 2), [a | b])  # wrong: separated
    rates.add(SplitDecomposition(a | b, (a | b,), ("linking numbers",)), [a, b])     # wrong: not one piece
    rates.add(SplitDecomposition(a | b, (a | b,), ("undetermined",)), [a, b])        # allowed
    assert (rates.questions, rates.wrong, rates.undetermined) == (3, 2, 1)
