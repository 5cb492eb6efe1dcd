"""Real UN ODS PDFs (tests/data/ods/, 15 General Assembly resolutions in English; SOURCES.md gives the
printed operative numbering): each one imported through the inbox route into a scratch copy of the
project, then segmented from the text that route wrote to data/raw/.

The rules checked are general, not tuned per document: operative paragraphs (annex paragraphs for a
resolution that adopts an annexed text) equal the printed numbering; preambular paragraphs equal
what the segmenter finds on the PyMuPDF text of the same PDF (stored beside it); no paragraph keeps a
page artefact or a footnote digit (gcts.text.artefacts: job numbers, page counters, the symbol,
barcodes, superscript digits, digits glued to a word or a year); every footnote's marker is found in
a paragraph, or in a heading.
"""

import datetime as dt
import re
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

from gcts.sources.inbox import import_inbox
from gcts.text.artefacts import paragraph_artefacts
from gcts.text.segment import segment_text

from .conftest import ROOT, copy_project

ODS = ROOT / "tests" / "data" / "ods"
PDFS = sorted(p.name for p in ODS.glob("*.pdf"))
CONFIG = {"manifest": "data/resolutions.csv", "raw_dir": "data/raw",
          "fetch": {"inbox": "data/inbox", "bold_fonts": "Bold|Black|Heavy|Hei"}}


def printed() -> dict:
    """{file: (symbol, title, printed count, counted in the annex?)} from the table of SOURCES.md."""
    out = {}
    for line in (ODS / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[0].endswith(".pdf"):
            m = re.match(r"(\d+)( in the annex)?", cells[3])
            out[cells[0]] = (cells[1], cells[2], int(m.group(1)), bool(m.group(2)))
    return out


def segment(text: str, source: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return segment_text(text, "en", source)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Every PDF imported once through the inbox route into a scratch project: {file: (text, pages)}."""
    work = copy_project(tmp_path_factory.mktemp("real") / "project")
    table = printed()
    manifest = pd.read_csv(work / "data/resolutions.csv", dtype=str, keep_default_na=False)
    rows = []
    for name in PDFS:
        symbol, title = table[name][:2]
        reference = segment((ODS / name.replace(".pdf", ".pymupdf.txt")).read_text(encoding="utf-8"), name)
        adopted = dt.datetime.strptime(reference.header["adopted_text"], "%d %B %Y").date().isoformat()
        # not reviews of the Strategy: each resolution in a series of its own (order: its session)
        rows.append({"symbol": symbol, "title": title, "session": symbol.split("/")[2], "adopted": adopted,
                     "review": "", "series": "r" + symbol.removeprefix("A/RES/").replace("/", "_")})
        shutil.copy(ODS / name, work / "data/inbox" / name)
    pd.concat([manifest, pd.DataFrame(rows)], ignore_index=True).fillna("").to_csv(
        work / "data/resolutions.csv", index=False)
    results = import_inbox(CONFIG, work)
    states = {r["file"]: r["state"] for r in results}
    out = {}
    for name in PDFS:
        text = work / "data/raw" / name.replace(".pdf", ".txt")
        out[name] = (states.get(name), text.read_text(encoding="utf-8") if text.exists() else "")
    assert (ROOT / "data/raw").exists() and not any((ROOT / "data/raw").glob("A_RES_78_*"))   # not the repo's
    return out


@pytest.mark.parametrize("name", PDFS)
def test_real_pdf_segments_as_printed(imported, name):
    state, text = imported[name]
    assert state == "imported now", state
    symbol, _, count, in_annex = printed()[name]
    seg = segment(text, name)
    reference = segment((ODS / name.replace(".pdf", ".pymupdf.txt")).read_text(encoding="utf-8"), name)
    paras = seg.paragraphs
    assert seg.header["symbol"] == symbol
    operative = [p.number for p in paras if p.kind == "operative"]
    annex = [p.number for p in paras if p.kind == "annex" and p.number > 0]
    if in_annex:
        assert operative == [1] and annex == list(range(1, count + 1))     # the adopting paragraph, unnumbered
    else:
        assert operative == list(range(1, count + 1))
    assert sum(p.kind == "preambular" for p in paras) == sum(p.kind == "preambular" for p in reference.paragraphs)
    pages = len(re.findall(r"^\d{1,3}/(\d{1,3})$", text, re.M)) + 1      # counters on pages 2..N
    found = {(p.kind, p.number): paragraph_artefacts(p.text, symbol, pages) for p in paras}
    assert not {k: v for k, v in found.items() if v}
    assert not [p.section for p in paras if re.search(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]|\d{2}-\d{5}", p.section)]
    headings = "".join(text[a["start"]:a["end"]] for a in seg.artefacts if a["kind"] == "heading")
    unplaced = [n["marker"] for n in seg.footnotes if n["para_number"] is None]
    assert all(re.search(str(k).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")), headings)
               for k in unplaced), unplaced
    assert seg.footnotes or not re.search(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]", text)


def test_annexes_headings_and_kinds(imported):
    """The structure beyond the numbering: annex title and headings in ``section``, roman-numeral
    section headings as headings, not paragraphs."""
    seg = segment(imported["A_RES_78_245.en.pdf"][1], "78/245")
    sections = list(dict.fromkeys(p.section for p in seg.paragraphs if p.section))
    assert [s.split()[0] for s in sections] == ["I", "II", "III", "IV", "V"]
    assert not any(re.fullmatch(r"[IVX]+\b.*", p.text) for p in seg.paragraphs)
    seg = segment(imported["A_RES_80_9.en.pdf"][1], "80/9")
    first = next(p for p in seg.paragraphs if p.kind == "annex")
    assert first.section.startswith("2025 Political Declaration on the Implementation") and first.number == 1
    assert next(p for p in seg.paragraphs if p.kind == "operative").text.startswith("Adopts the 2025 Political")
