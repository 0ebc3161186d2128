"""Hand-built pregroup reductions."""

import pytest

from qinfo.vqc import parse


def test_relational_caption_reduces_to_sentence_with_two_cups():
    d = parse("cube left sphere")
    assert d.cups == ((0, 1), (3, 4)) and str(d.wires[d.output][1]) == "s"


def test_colour_noun_caption_reduces_to_sentence():
    assert parse(("red", "cube")).cups == ((1, 2),)


@pytest.mark.parametrize("caption", ["cube sphere", "left cube", "cube left", "red left cube"])
def test_captions_not_reducing_to_s_are_rejected(caption):
    with pytest.raises(ValueError, match="does not parse to the sentence type"):
        parse(caption)


def test_unknown_words_are_rejected():
    with pytest.raises(ValueError, match="unknown word 'pyramid'"):
        parse("pyramid left cube")
