"""Segmentation of the three embedded texts: counts, coverage, artefacts, re-joined splits."""

import re
import warnings

import pytest

from gcts.text.layout import BARCODE, JOB_NUMBER, PAGE_COUNTER, SYMBOL_LINE
from gcts.text.segment import segment_text

EXPECTED = {  # (preambular, operative, footnotes)
    "A/RES/68/276": (21, 43, 3),
    # Issue 2 says 36 preambular paragraphs; the text has 38 blank-line-separated paragraphs,
    # each opening with its own lead-in (listed in test_72_284_preamble_lead_ins).
    "A/RES/72/284": (38, 85, 11),
    "A/RES/75/291": (47, 119, 19),
}


@pytest.fixture(scope="module")
def segmented(raw_texts):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {sym: segment_text(text, lang, sym) for sym, (text, lang) in raw_texts.items()}


def paras(seg, kind):
    return [p for p in seg.paragraphs if p.kind == kind]


@pytest.mark.parametrize("symbol", EXPECTED)
def test_counts(segmented, symbol):
    seg = segmented[symbol]
    got = (len(paras(seg, "preambular")), len(paras(seg, "operative")), len(seg.footnotes))
    assert got == EXPECTED[symbol]


@pytest.mark.parametrize("symbol", EXPECTED)
def test_operative_numbers_run_from_one(segmented, symbol):
    numbers = [p.number for p in paras(segmented[symbol], "operative")]
    assert numbers == list(range(1, len(numbers) + 1))


def test_72_284_preamble_lead_ins(segmented):
    firsts = [p.text.split()[0] for p in paras(segmented["A/RES/72/284"], "preambular")]
    assert firsts[:5] == ["Reaffirming", "Recalling", "Recalling", "Recalling", "Renewing"]
    assert all(w[0].isupper() for w in firsts)
    assert len(firsts) == 38


@pytest.mark.parametrize("symbol", EXPECTED)
def test_coverage(segmented, raw_texts, symbol):
    """Every character is in exactly one paragraph span or in a recorded artefact."""
    text = raw_texts[symbol][0]
    seg = segmented[symbol]
    spans = sorted((p.start, p.end) for p in seg.paragraphs)
    for (a1, b1), (a2, b2) in zip(spans, spans[1:]):
        assert b1 <= a2, "paragraph spans overlap"
    in_para = bytearray(len(text))
    for a, b in spans:
        in_para[a:b] = b"\1" * (b - a)
    in_art = bytearray(len(text))
    for art in seg.artefacts:
        in_art[art["start"]:art["end"]] = b"\1" * (art["end"] - art["start"])
    lost = [i for i in range(len(text)) if not in_para[i] and not in_art[i]]
    assert lost == []


@pytest.mark.parametrize("symbol", EXPECTED)
def test_no_page_artefacts_in_text(segmented, symbol):
    seg = segmented[symbol]
    title = seg.header["title"]
    for p in seg.paragraphs:
        assert not re.search(r"A/RES/\d+/\d+", p.text), (p.number, p.text)
        assert not re.search(r"\b\d{2}-\d{5}\b", p.text)
        assert not re.search(r"\*\d{7}\*", p.text)
        assert not re.search(r"(?<![\d/])\d{1,2}/(17|27)\b", p.text)
        assert "__" not in p.text and "**" not in p.text
        if symbol != "A/RES/68/276":
            assert title not in p.text or "entitled" in p.text
    for note in seg.footnotes:
        assert all(note["text"] not in p.text for p in seg.paragraphs)


def test_artefact_kinds_recorded(segmented, raw_texts):
    seg = segmented["A/RES/72/284"]
    text = raw_texts["A/RES/72/284"][0]
    headers = [text[a["start"]:a["end"]] for a in seg.artefacts if a["kind"] == "header"]
    joined = "\n".join(headers)
    assert "18-10508" in joined and "2/17" in joined and "*1810508*" not in joined  # barcode is on page 1
    assert any(a["kind"] == "title" and "*1810508*" in text[a["start"]:a["end"]] for a in seg.artefacts)
    assert "The United Nations Global Counter-Terrorism Strategy Review" in joined
    assert any(a["kind"] == "closing" and "101st plenary meeting" in text[a["start"]:a["end"]]
               for a in seg.artefacts)


def test_header_patterns():
    assert SYMBOL_LINE.match("A/RES/72/284 ")
    assert JOB_NUMBER.match("18-10508 (E)    060718 ") and JOB_NUMBER.match("21-08974")
    assert BARCODE.match("*1810508* ")
    assert PAGE_COUNTER.match("2/17 ") and not PAGE_COUNTER.match("resolution 71/291")


def test_zh_split_paragraphs_rejoined(segmented):
    seg = segmented["A/RES/68/276"]
    pre, op = paras(seg, "preambular"), paras(seg, "operative")
    assert "防止和反对恐怖分子滥用其地位" in pre[8].text            # preambular 9, page break
    assert "联合国系统特别是反恐怖主义执行工作队" in op[19].text     # operative 20, split by footnotes
    assert "相关的问题和趋势" in op[38].text                        # operative 39, page break
    assert op[19].text.endswith("；") and op[38].text.endswith("；")


def test_zh_truncated_kept_and_flagged(segmented, raw_texts):
    op = paras(segmented["A/RES/68/276"], "operative")
    truncated = [p.number for p in segmented["A/RES/68/276"].paragraphs if p.truncated]
    assert truncated == [35]
    assert op[34].text.endswith("其中包括联合国反恐中心的活")          # never filled in
    text = raw_texts["A/RES/68/276"][0]
    assert text[op[34].start:op[34].end].endswith("活")


def test_zh_footnotes_and_bold(segmented):
    seg = segmented["A/RES/68/276"]
    op = paras(seg, "operative")
    assert [(n["marker"], n["text"]) for n in seg.footnotes] == [
        (1, "A/68/841。"), (2, "第 217A(III)号决议。"), (3, "见第 2200A(XXI)号决议，附件。")]
    assert op[3].footnotes == [1] and op[11].footnotes == [2, 3]
    assert "¹" not in op[3].text and "报告，欢迎" in op[3].text
    assert op[0].marked_verb == "再次明确强烈谴责"
    assert op[17].marked_verb == "着重指出" and op[17].text.startswith("在这方面着重指出")


def test_en_number_on_its_own_line(segmented):
    op = paras(segmented["A/RES/72/284"], "operative")
    assert op[0].text.startswith("Reiterates its strong and unequivocal condemnation")
    assert op[1].text.startswith("Reaffirms the United Nations Global Counter-Terrorism Strategy and its")


def test_en_glued_footnote_numbers_separated(segmented):
    seg = segmented["A/RES/72/284"]
    pre, op = paras(seg, "preambular"), paras(seg, "operative")
    assert "in implementing the Strategy and endorsed" in pre[2].text and pre[2].footnotes == [1]
    assert pre[6].text.endswith("Culture of Peace,") and pre[6].footnotes == [2]
    assert "Strategy5" not in op[1].text and op[1].footnotes == [5]
    assert "Human Rights and article 17" in op[18].text and op[18].footnotes == [7, 8]


def test_en_one_word_lines_and_hyphens(segmented):
    pre = paras(segmented["A/RES/72/284"], "preambular")
    assert pre[4].text.startswith("Renewing its unwavering commitment to strengthening international cooperation")
    assert "United Nations counter-terrorism efforts" in pre[2].text        # real hyphen kept
    assert "public-private partnership" in pre[15].text


def test_en_page_break_inside_paragraph(segmented):
    pre = paras(segmented["A/RES/72/284"], "preambular")
    assert "its role in building the capacity of Member States to counter" in pre[3].text


def test_75_291_sections(segmented):
    op = paras(segmented["A/RES/75/291"], "operative")
    assert all(p.section == "" for p in op[:12])
    assert all(p.section.startswith("Pillar ") for p in op[12:])
    sections = {p.number: p.section for p in op}
    assert sections[13] == "Pillar I: measures to address the conditions conducive to terrorism"
    assert sections[101] == ("Pillar IV: measures to ensure respect for human rights for all and the rule of "
                             "law as the fundamental basis of the fight against terrorism")
    assert sections[100].startswith("Pillar III")
    assert all("Pillar" not in p.text[:10] for p in op)


@pytest.mark.parametrize("symbol", EXPECTED)
def test_header(segmented, symbol):
    head = segmented[symbol].header
    assert head["symbol"] == symbol
    assert head["title"]
    assert re.search(r"\d{4}", head["adopted_text"])


def test_offsets_point_at_paragraph(segmented, raw_texts):
    for symbol, seg in segmented.items():
        text = raw_texts[symbol][0]
        for p in seg.paragraphs:
            raw = text[p.start:p.end]
            first = p.text[:4]
            assert first.replace(" ", "") in raw.replace("**", "").replace(" ", "")[:40], (symbol, p.number)
