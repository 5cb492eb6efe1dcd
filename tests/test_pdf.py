"""PDF to text (gcts.sources.pdf): fixture PDFs typeset from the real paragraphs of the embedded corpus
(tests/pdf_fixtures.py) must segment into exactly the paragraphs of the original texts."""

import re
import warnings

import pytest
from fpdf import FPDF

from gcts.errors import InputError
from gcts.sources.pdf import font_names, mark_bold, pdf_to_text
from gcts.text.segment import segment_text

from .pdf_fixtures import CORPUS, RAW, corpus_pdf


def segment(text, lang):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return segment_text(text, lang, "test")


def rows(seg):
    return [(p.kind, p.number, p.section, p.text, p.marked_verb, p.footnotes, p.truncated) for p in seg.paragraphs]


def notes(seg):
    return [(n["marker"], n["text"], n["para_kind"], n["para_number"]) for n in seg.footnotes]


@pytest.mark.parametrize("symbol", list(CORPUS))
def test_pdf_text_segments_like_the_original(symbol):
    name, lang, _ = CORPUS[symbol]
    want = segment((RAW / name).read_text(encoding="utf-8"), lang)
    got = segment(pdf_to_text(corpus_pdf(symbol), lang), lang)
    assert got.header == want.header
    assert len(got.paragraphs) == len(want.paragraphs)
    same = sum(a == b for a, b in zip(rows(got), rows(want)))
    assert same == len(want.paragraphs), [(a, b) for a, b in zip(rows(got), rows(want)) if a != b][:2]
    assert notes(got) == notes(want)


@pytest.mark.parametrize("spacing, justify", [(0.0, False), (6.0, True), (0.0, True)],
                         ids=["ragged, no paragraph spacing", "justified", "justified, no paragraph spacing"])
def test_other_layouts_english(spacing, justify):
    # Without space between paragraphs, only first-line indents (and short last lines) separate them.
    want = segment((RAW / "A_RES_72_284.en.txt").read_text(encoding="utf-8"), "en")
    got = segment(pdf_to_text(corpus_pdf("A/RES/72/284", spacing, justify), "en"), "en")
    assert rows(got) == rows(want) and notes(got) == notes(want)


def test_justified_chinese_without_paragraph_spacing():
    # Each character placed on its own: the reader takes some of the stretched gaps next to digits
    # as spaces ("2012 年6月 29日"); apart from spaces the paragraphs are the same.
    def squeeze(r):
        return [tuple(x.replace(" ", "") if isinstance(x, str) else x for x in row) for row in r]
    want = segment((RAW / "A_RES_68_276.zh.txt").read_text(encoding="utf-8"), "zh")
    got = segment(pdf_to_text(corpus_pdf("A/RES/68/276", 0.0, True), "zh"), "zh")
    assert squeeze(rows(got)) == squeeze(rows(want)) and notes(got) == notes(want)


def test_chinese_bold_verbs_recovered_from_font_names():
    text = pdf_to_text(corpus_pdf("A/RES/68/276"), "zh")
    seg = segment(text, "zh")
    ops = [p for p in seg.paragraphs if p.kind == "operative"]
    assert [p.marked_verb for p in ops][:3] == ["再次明确强烈谴责", "重申", "强调指出"]
    assert all(p.marked_verb for p in ops)
    assert "18. 在这方面**着重指出**联合国" in text          # a verb inside the line, not at its start
    assert "68/276. 联合国全球反恐战略审查" in text            # the title is wholly bold: no marks
    assert "¹" in text and "A/68/841。" in text               # raised small digits -> superscripts


def test_without_bold_font_names_the_text_stays_plain():
    # The verbs are set in SimHei; a pattern that matches no font leaves plain text and the
    # verb lexicon has to find the verbs.
    text = pdf_to_text(corpus_pdf("A/RES/68/276"), "zh", bold="NoSuchFont")
    assert "**" not in text
    assert not any(p.marked_verb for p in segment(text, "zh").paragraphs)
    fonts = set(sum(font_names(corpus_pdf("A/RES/68/276")).values(), []))
    assert any("SimHei" in f for f in fonts) and any("NotoSansCJK" in f for f in fonts)


def test_english_page_artefacts_are_left_for_the_segmenter():
    text = pdf_to_text(corpus_pdf("A/RES/72/284"), "en")
    seg = segment(text, "en")
    kinds = {a["kind"] for a in seg.artefacts}
    assert {"header", "separator", "footnote", "title", "closing"} <= kinds
    assert re.search(r"^2/\d+$", text, re.M) and re.search(r"^18-10508$", text, re.M)   # not on one line
    assert "**" not in text                                    # no bold marks in English


def test_mark_bold():
    def chars(s, bold):
        return [(c, b) for c, b in zip(s, bold)]
    assert mark_bold(chars("1. 重申战略", [True] * 3 + [True] * 2 + [False] * 2)) == "1. **重申**战略"
    assert mark_bold(chars("支柱一", [True] * 3)) == "支柱一"      # a heading printed wholly in bold
    assert mark_bold(chars("大会", [False] * 2)) == "大会"


def test_bad_pdfs_are_refused(tmp_path):
    with pytest.raises(InputError, match="not a PDF"):
        pdf_to_text(b"<html>hello</html>", "en", source="x.pdf")
    with pytest.raises(InputError, match=r"broken\.pdf: unreadable PDF"):
        pdf_to_text(b"%PDF-1.4\nthis is not a PDF body", "en", source="broken.pdf")
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 50, 50)                                   # a page without any text
    with pytest.raises(InputError, match="no text layer"):
        pdf_to_text(bytes(pdf.output()), "en", source="scan.pdf")
