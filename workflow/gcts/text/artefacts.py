"""Page artefacts and footnote digits left inside paragraph text: general patterns of UN PDFs,
used to check a conversion (tests, benchmark), never to edit a text.

- job number: '25-20385' (two digits, hyphen, five digits);
- page counter: 'n/N' where N is the document's page count and n <= N, not after 'resolution',
  'decision' or another symbol part;
- symbol: the document's own symbol ('A/RES/78/5') inside a paragraph;
- barcode: '*2320108*';
- superscript: a superscript digit (a footnote marker the segmenter did not take out);
- glued marker: digits right after a word's letters or its punctuation ('Development3',
  'Development,3'), or after a year ('20165' is 2016 with footnote 5).
"""

from __future__ import annotations

import re

JOB = re.compile(r"(?<![\d/-])\d{2}-\d{5}(?![\d-])")
COUNTER = re.compile(r"(?<![\w/.-])(?<!resolution )(?<!resolutions )(?<!decision )(\d{1,3})/(\d{1,3})(?![\w/])")
BARCODE = re.compile(r"\*\d{7,}\*")
SUPERSCRIPT = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]")
GLUED = re.compile(r"(?<=[a-z]{2})\d{1,3}\b|(?<=[a-z][,;.:’”)])\d{1,3}\b|\b(?:19|20)\d{2}\d{1,2}\b")


def paragraph_artefacts(text: str, symbol: str = "", pages: int | None = None) -> list[tuple[str, str]]:
    """(kind, matched text) of every artefact found in one paragraph's text."""
    out = [("job number", m.group(0)) for m in JOB.finditer(text)]
    if pages:
        out += [("page counter", m.group(0)) for m in COUNTER.finditer(text)
                if int(m.group(2)) == pages and 1 <= int(m.group(1)) <= pages]
    if symbol and re.search(rf"(?<![\w/]){re.escape(symbol)}(?![\w/])", text):
        out.append(("symbol", symbol))
    out += [("barcode", m.group(0)) for m in BARCODE.finditer(text)]
    out += [("superscript", m.group(0)) for m in SUPERSCRIPT.finditer(text)]
    out += [("glued marker", m.group(0)) for m in GLUED.finditer(text)]
    return out
