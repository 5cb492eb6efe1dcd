"""Line roles in a raw resolution text: title block, page artefacts, footnotes, closing lines.

Each raw line gets one role. Only lines with role ``content`` or ``heading`` carry the
resolution's own words; everything else is a recorded artefact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..errors import InputError
from ..lang import profile
from ..lang.base import FOOTNOTE_SEPARATOR as SEPARATOR
from ..lang.base import SUPERSCRIPTS

BLANK_CHARS = " \t\r\n\ufeff\u3000\xa0"

# Page artefacts of text extracted from UN PDFs.
SYMBOL_LINE = re.compile(r"^\s*A/RES/\d+/\d+\s*$")
JOB_NUMBER = re.compile(r"^\s*\d{2}-\d{5}(\s*\([A-Z]\))?(\s+\d{6})?\s*$")
BARCODE = re.compile(r"^\s*\*\d{7,}\*\s*$")
PAGE_COUNTER = re.compile(r"^\s*\d{1,3}/\d{1,3}\s*$")


@dataclass
class Line:
    start: int          # offset of the first character of the line
    end: int            # offset after the last character, newline excluded
    text: str
    role: str = "content"

    @property
    def blank(self) -> bool:
        return not self.text.strip(BLANK_CHARS)


def split_lines(text: str) -> list[Line]:
    lines, pos = [], 0
    for raw in text.split("\n"):
        lines.append(Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return lines


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def superscript_number(s: str) -> int:
    """The number written in superscript (or plain) digits."""
    return int(s.translate(str.maketrans(SUPERSCRIPTS, "0123456789")))


def mark_title_block(lines: list[Line], lang: str, source) -> int:
    """Role ``title`` up to the line 'The General Assembly,' / '大会，'; returns its index."""
    prof = profile(lang)
    for i, line in enumerate(lines):
        if prof.assembly.match(line.text):
            for t in lines[: i + 1]:
                t.role = "title"
            return i
    raise InputError(source, f"no line '{prof.assembly_text}' opening the preamble: not a General Assembly resolution text")


def parse_header(lines: list[Line], lang: str) -> dict:
    """Symbol, adoption date and title read from the title block."""
    prof = profile(lang)
    block = [ln.text for ln in lines if ln.role == "title"]
    joined = "\n".join(block)
    head = {"symbol": "", "adopted_text": "", "title": ""}
    m = re.search(r"A/RES/\d+/\d+", joined)
    for i, t in enumerate(block):
        tm = re.match(r"^\s*(\d+)/(\d+)\.\s*(.+)$", t)
        if tm:
            title = [tm.group(3)]
            for nxt in block[i + 1:]:
                if not nxt.strip(BLANK_CHARS):
                    break
                title.append(nxt)
            head["title"] = norm(" ".join(title)) if prof.spaced else "".join(x.strip() for x in title)
            head["symbol"] = f"A/RES/{tm.group(1)}/{tm.group(2)}"
            break
    if m:
        head["symbol"] = m.group(0)
    d = prof.adopted.search(joined)
    if d:
        head["adopted_text"] = norm(d.group(1))
    return head


def mark_page_artefacts(lines: list[Line], title: str) -> None:
    """Running headers/footers of PDF text: symbol lines, job numbers, barcodes, page counters,
    and running-title lines next to them."""
    counters = [PAGE_COUNTER.match(ln.text) for ln in lines]
    totals = [int(m.group(0).split("/")[1]) for m, ln in zip(counters, lines) if m and ln.role == "content"]
    pages = max(set(totals), key=totals.count) if totals else None
    strong = []
    for i, (ln, m) in enumerate(zip(lines, counters)):
        if ln.role != "content":
            continue
        page_counter = m and int(m.group(0).split("/")[1]) == pages and int(m.group(0).split("/")[0]) <= pages
        if SYMBOL_LINE.match(ln.text) or JOB_NUMBER.match(ln.text) or BARCODE.match(ln.text) or page_counter:
            ln.role = "header"
            strong.append(i)
    title_n = norm(title)
    for i in strong:                      # running-title lines sit within a few lines of a counter
        for step in (-1, 1):
            j, seen = i + step, 0
            while 0 <= j < len(lines) and seen < 5:
                ln = lines[j]
                if ln.blank or ln.role == "header":
                    j += step
                    seen += 1
                    continue
                t = norm(ln.text)
                if ln.role == "content" and len(t) >= 6 and title_n and like_title(t, title_n):
                    ln.role = "header"
                    j += step
                    seen += 1
                    continue
                break


def like_title(line: str, title: str) -> bool:
    """Is the line a piece of the title, as a running title prints it: a part of it, shortened, or
    with a typo (at least 90 % of its words are words of the title, or differ from one by a letter
    or two)?"""
    if line in title:
        return True
    words = re.findall(r"\w+", line.lower())
    known = set(re.findall(r"\w+", title.lower()))
    if len(words) < 2 or line.rstrip()[-1:] in ",;.:":
        return False

    def close(w: str) -> bool:
        return w in known or (len(w) >= 4 and any(SequenceMatcher(None, w, k).ratio() >= 0.8 for k in known))
    return sum(close(w) for w in words) >= 0.9 * len(words)


def mark_footnotes(lines: list[Line], lang: str) -> None:
    """Style "separator" (PDF text): the block after a '_____' separator up to the next page header.
    Style "superscript" (the Chinese text version): lines that start with a superscript number."""
    prof = profile(lang)
    if prof.footnotes == "superscript":
        for ln in lines:
            if ln.role == "content" and (m := prof.footnote_line.match(ln.text)) and ln.text[m.end():].strip():
                ln.role = "footnote"
        return
    in_notes = False
    for ln in lines:
        if ln.role == "header":
            in_notes = False
        elif ln.role == "content" and SEPARATOR.match(ln.text):
            ln.role = "separator"
            in_notes = True
        elif in_notes and ln.role == "content":
            ln.role = "footnote"


def annex_start(lines: list[Line], lang: str) -> int | None:
    """Index of the line that opens an annexed text ('Annex'), after the title block; None if none."""
    pattern = profile(lang).annex
    if pattern is None:
        return None
    return next((i for i, ln in enumerate(lines) if ln.role == "content" and pattern.match(ln.text)), None)


def mark_closing(lines: list[Line], lang: str) -> None:
    """Meeting and date lines after the last paragraph, and before an annexed text."""
    closing = profile(lang).closing
    annex = annex_start(lines, lang)
    for stretch in ([lines] if annex is None else [lines, lines[:annex]]):
        for ln in reversed(stretch):
            if ln.blank or ln.role in ("header", "footnote", "separator"):
                continue
            if ln.role == "content" and any(p.match(ln.text) for p in closing):
                ln.role = "closing"
                continue
            break


def classify(text: str, lang: str, source) -> tuple[list[Line], dict]:
    lines = split_lines(text)
    mark_title_block(lines, lang, source)
    header = parse_header(lines, lang)
    mark_page_artefacts(lines, header["title"])
    mark_footnotes(lines, lang)
    mark_closing(lines, lang)
    for ln in lines:
        if ln.blank and ln.role == "content":
            ln.role = "blank"
    return lines, header
