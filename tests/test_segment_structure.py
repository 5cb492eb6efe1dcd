"""Structures of real resolutions beyond the embedded three, on small texts written for the test (not
UN texts): footnote markers (repeated, after a space, glued to a year, raised), running titles that
differ from the title, roman-numeral headings, annexed texts."""

import warnings

from gcts.text.segment import segment_text

HEAD = """United Nations A/RES/99/1

General Assembly Distr.: General

Resolution adopted by the General Assembly on 1 January 2030

99/1. Measures to test the segmenter

The General Assembly,

"""


def seg(body: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return segment_text(HEAD + body, "en", "test")


def test_footnote_markers_plain_digits():
    s = seg("""Recalling its resolution 70/1 of 25 September 20155 and the Agenda,

1. Decides to act in 2031 as agreed in the Agenda 6 and the Plan;7

2. Requests a report of 2032.
__________________

5 Resolution 70/1.
6 Resolution 69/313.
7 A/99/1.

1/1
""")
    texts = [p.text for p in s.paragraphs]                 # plain digits: each marker once (the PDF route
    assert texts[0] == "Recalling its resolution 70/1 of 25 September 2015 and the Agenda,"   # raises them)
    assert texts[1] == "Decides to act in 2031 as agreed in the Agenda and the Plan;"     # 2031 is not cut
    assert texts[2] == "Requests a report of 2032."
    assert [(n["marker"], n["para_kind"]) for n in s.footnotes] == [(5, "preambular"), (6, "operative"),
                                                                    (7, "operative")]


def test_raised_markers_repeated_for_one_footnote():
    s = seg("""Recalling the Agenda,¹ and the Agenda¹ again,

1. Decides to act,² as the Agenda¹ says, in 2030² and 2031;
_______________

¹ Resolution 70/1.
² A/99/2.
""")
    assert [p.text for p in s.paragraphs] == ["Recalling the Agenda, and the Agenda again,",
                                              "Decides to act, as the Agenda says, in 2030 and 2031;"]
    assert s.paragraphs[1].footnotes == [1, 2]
    assert [(n["marker"], n["para_kind"]) for n in s.footnotes] == [(1, "preambular"), (2, "operative")]


def test_running_titles_shortened_or_misspelt_are_page_artefacts():
    body = """Recalling its resolutions,

1. Decides to act on the
A/RES/99/1
Measures to tset the
segmenter
2/3
99-12345
measures, and to continue;

2. Requests a report.
"""
    s = seg(body)
    assert [p.text for p in s.paragraphs][1] == "Decides to act on the measures, and to continue;"


def test_roman_headings_and_an_annexed_text():
    s = segment_text(HEAD.replace("The General Assembly,", "The General Assembly") + """Adopts the declaration contained in the annex to the present resolution.

1st plenary meeting
1 January 2030

Annex

Declaration on testing

We, the States, declare:

I
Measures to prevent

1. Commit to test;

II
Measures to build

2. Commit to build.
""", "en", "test")
    rows = [(p.kind, p.number, p.section) for p in s.paragraphs]
    assert rows == [("operative", 1, ""), ("annex", 0, "Declaration on testing"),
                    ("annex", 1, "I Measures to prevent"), ("annex", 2, "II Measures to build")]
    assert {a["kind"] for a in s.artefacts} >= {"closing", "heading"}
