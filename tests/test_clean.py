"""Cleaning steps on real snippets of the three texts and on hand-written edge cases."""

import pytest

from gcts.text.clean import join_pieces, keep_line_end_hyphen, remove_spans, squeeze
from gcts.text.segment import segment_text

MINI_EN = """A/RES/99/1
General Assembly
Distr.: General

 99/1. A test resolution

The General Assembly,

Recalling its earlier work on informa-
tion and on counter-
terrorism,

1.
Decides to remain seized of the matter.
"""


@pytest.mark.parametrize("left,right,keep", [
    ("United Nations counter-", "terrorism efforts", True),     # 72/284 preambular 3
    ("including through public-", "private partnership", True),  # 72/284 preambular 16
    ("the first-", "ever United Nations", True),                 # 72/284 operative 82
    ("comprehensive, gender-", "sensitive assistance", True),    # 75/291 operative 113
    ("Global Counter-", "Terrorism Coordination", True),         # capitalised second part
    ("on informa-", "tion sharing", False),                      # a word split at the line end
    ("the implemen-", "tation of", False),
])
def test_line_end_hyphen(left, right, keep):
    assert keep_line_end_hyphen(left, right) is keep


def test_hyphen_vocabulary_decides():
    vocab = {"information", "co-operation"}
    assert keep_line_end_hyphen("co-", "operation", vocab)
    assert not keep_line_end_hyphen("informa-", "tion", vocab)


def test_join_pieces_english():
    pieces = ["Renewing ", "its ", "unwavering ", "commitment to the United Nations counter-",
              "terrorism efforts and informa-", "tion exchange,"]
    assert join_pieces(pieces, "en") == ("Renewing its unwavering commitment to the United Nations "
                                         "counter-terrorism efforts and information exchange,")


def test_join_pieces_chinese():
    assert join_pieces(["联合国系统特", "别是反恐怖主义执行工作队"], "zh") == "联合国系统特别是反恐怖主义执行工作队"


def test_remove_spans():
    assert remove_spans([(0, 10), (12, 20)], [(3, 5), (15, 16)]) == [(0, 3), (5, 10), (12, 15), (16, 20)]
    assert remove_spans([(0, 4)], []) == [(0, 4)]


def test_squeeze():
    assert squeeze("  a \n b\t\tc ") == "a b c"


def test_minimal_english_document():
    seg = segment_text(MINI_EN, "en", "mini")
    (pre,) = [p for p in seg.paragraphs if p.kind == "preambular"]
    (op,) = [p for p in seg.paragraphs if p.kind == "operative"]
    assert pre.text == "Recalling its earlier work on information and on counter-terrorism,"
    assert op.text == "Decides to remain seized of the matter." and op.number == 1
    assert seg.header["symbol"] == "A/RES/99/1" and seg.header["title"] == "A test resolution"
