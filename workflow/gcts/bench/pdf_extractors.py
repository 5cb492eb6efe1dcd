"""PDF extractors compared on the real UN ODS PDFs of tests/data/ods/ (a benchmark, not a test).

    uv run --group bench python -m gcts.bench.pdf_extractors [--out results/benchmarks/pdf_extractors.csv]

For each PDF and candidate: the candidate's text is segmented (gcts.text.segment) and compared with
the printed numbering (SOURCES.md) and with the segmentation of the PyMuPDF text of the same PDF
stored beside it. Candidates: the project's route (gcts.sources.pdf on pypdfium2), and the plain
text of pypdfium2, pypdf (plain and layout mode) and pdfminer.six (through pdfplumber). A
candidate whose library is not installed is skipped and said so (pdfplumber and pypdf are in the
``bench`` dependency group). Reported per PDF and candidate:

- ``numbered`` found / ``printed``: operative paragraphs (annex paragraphs for a resolution that
  adopts an annexed text), against the numbering printed in the PDF;
- ``preambular`` found / ``preambular_ref``: against the segmenter on the PyMuPDF text;
- ``artefacts``: paragraphs that keep a page artefact (see ``gcts.text.artefacts``);
- ``unplaced_notes``: footnotes whose marker was not found in any paragraph;
- ``s_per_page``, ``cpu_s_per_page``: conversion seconds per page, wall clock and CPU of this
  process (best of ``--repeat`` runs; segmentation not counted). On a shared machine the wall
  clock grows with the load; the CPU time does not.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
import warnings
from importlib.util import find_spec
from pathlib import Path

from ..errors import InputError
from ..text.artefacts import paragraph_artefacts
from ..text.segment import segment_text

ODS = Path(__file__).resolve().parents[3] / "tests" / "data" / "ods"


def printed_counts(sources: Path) -> dict[str, tuple[int, bool]]:
    """{file name: (printed count, counted in the annex?)} from the table of SOURCES.md."""
    out = {}
    for line in sources.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[0].endswith(".pdf"):
            m = re.match(r"(\d+)( in the annex)?", cells[3])
            if m:
                out[cells[0]] = (int(m.group(1)), bool(m.group(2)))
    return out


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(str(path)))


def _route(path: Path) -> str:
    from ..sources.pdf import pdf_to_text

    return pdf_to_text(path, "en", source=path.name)


def _pypdfium2(path: Path) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    return "\n".join(doc[i].get_textpage().get_text_range().replace("\r\n", "\n") for i in range(len(doc)))


def _pypdf(path: Path, mode: str = "plain") -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text(extraction_mode=mode) for p in PdfReader(str(path)).pages)


def _pdfplumber(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return "\n".join(p.extract_text() or "" for p in pdf.pages)


CANDIDATES = {                       # name: (module needed, converter)
    "gcts route (pypdfium2)": ("pypdfium2", _route),
    "pypdfium2 text": ("pypdfium2", _pypdfium2),
    "pypdf": ("pypdf", _pypdf),
    "pypdf layout": ("pypdf", lambda p: _pypdf(p, "layout")),
    "pdfminer.six (pdfplumber)": ("pdfplumber", _pdfplumber),
}


def measure(text: str, source: str, pages: int) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            seg = segment_text(text, "en", source)
        except InputError as e:
            return {"error": e.problem}
    paras = seg.paragraphs
    return {"operative": sum(p.kind == "operative" for p in paras),
            "annex": sum(p.kind == "annex" and p.number > 0 for p in paras),
            "preambular": sum(p.kind == "preambular" for p in paras),
            "artefacts": sum(bool(paragraph_artefacts(p.text, seg.header.get("symbol", ""), pages))
                             for p in paras),
            "unplaced_notes": sum(n["para_number"] is None for n in seg.footnotes), "error": ""}


def run(folder: Path = ODS, repeat: int = 1) -> list[dict]:
    printed = printed_counts(folder / "SOURCES.md")
    missing = {name for name, (module, _) in CANDIDATES.items() if find_spec(module) is None}
    for name in sorted(missing):
        print(f"skipped {name}: {CANDIDATES[name][0]} is not installed (uv sync --group bench)", file=sys.stderr)
    rows = []
    for pdf in sorted(folder.glob("*.pdf")):
        pages = _pages(pdf)
        count, in_annex = printed.get(pdf.name, (None, False))
        ref = measure((folder / pdf.name.replace(".pdf", ".pymupdf.txt")).read_text(encoding="utf-8"),
                      pdf.name, pages)
        for name, (module, convert) in [("PyMuPDF (stored text)", (None, None))] + list(CANDIDATES.items()):
            if name in missing:
                continue
            if convert is None:
                got, seconds, cpu = ref, None, None
            else:
                seconds = cpu = float("inf")
                for _ in range(repeat):
                    t0, c0 = time.perf_counter(), time.process_time()
                    text = convert(pdf)
                    seconds = min(seconds, time.perf_counter() - t0)
                    cpu = min(cpu, time.process_time() - c0)
                got = measure(text, pdf.name, pages)
            numbered = got.get("annex" if in_annex else "operative")
            rows.append({"pdf": pdf.name, "pages": pages, "candidate": name, "printed": count,
                         "numbered": numbered, "preambular_ref": ref.get("preambular"),
                         "preambular": got.get("preambular"), "artefacts": got.get("artefacts"),
                         "unplaced_notes": got.get("unplaced_notes"),
                         "s_per_page": None if seconds is None else round(seconds / pages, 4),
                         "cpu_s_per_page": None if cpu is None else round(cpu / pages, 4),
                         "error": got.get("error", "")})
    return rows


def summary(rows: list[dict]) -> list[dict]:
    """Per candidate: PDFs with the printed numbering, with the reference preambular count,
    paragraphs with artefacts, unplaced footnotes, errors, and seconds per page over all pages."""
    out = []
    for name in dict.fromkeys(r["candidate"] for r in rows):
        rs = [r for r in rows if r["candidate"] == name]
        timed = [r for r in rs if r["s_per_page"] is not None]
        pages = sum(r["pages"] for r in timed)
        out.append({"candidate": name, "pdfs": len(rs),
                    "numbered_ok": sum(r["numbered"] == r["printed"] for r in rs),
                    "preambular_ok": sum(r["preambular"] == r["preambular_ref"] and not r["error"] for r in rs),
                    "artefact_paragraphs": sum(r["artefacts"] or 0 for r in rs),
                    "unplaced_notes": sum(r["unplaced_notes"] or 0 for r in rs),
                    "errors": sum(bool(r["error"]) for r in rs),
                    "s_per_page": round(sum(r["s_per_page"] * r["pages"] for r in timed) / pages, 4)
                    if pages else None,
                    "cpu_s_per_page": round(sum(r["cpu_s_per_page"] * r["pages"] for r in timed) / pages, 4)
                    if pages else None})
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--folder", type=Path, default=ODS)
    ap.add_argument("--out", type=Path, default=Path("results/benchmarks/pdf_extractors.csv"))
    ap.add_argument("--repeat", type=int, default=1, help="conversions per PDF and candidate (best time kept)")
    args = ap.parse_args(argv)
    rows = run(args.folder, args.repeat)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    for r in summary(rows):
        print(" | ".join(f"{k}={v}" for k, v in r.items()))
    print(f"per PDF: {args.out}")


if __name__ == "__main__":
    main()
