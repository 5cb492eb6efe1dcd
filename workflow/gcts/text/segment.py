"""Split a resolution text into preambular and operative paragraphs, with offsets into the raw file.

``segment_text`` is the entry point. Each paragraph keeps the ``[start, end)`` span it covers in
the raw text; every character outside those spans is a recorded artefact (title block, page
header/footer, footnote, blank, heading, closing line), so nothing is silently lost.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

from ..errors import InputError
from ..lang import profile
from .clean import join_pieces, remove_spans, squeeze
from .ingest import check_language
from .layout import BLANK_CHARS, SUPERSCRIPTS, Line, annex_start, classify, superscript_number

NO_MARKERS = str.maketrans("", "", SUPERSCRIPTS)      # a footnote marker on a heading: not in ``section``
BOLD = re.compile(r"\*\*(.+?)\*\*")


@dataclass
class Paragraph:
    kind: str
    number: int
    section: str
    start: int
    end: int
    text: str = ""
    pieces: list = field(default_factory=list)      # (start, end) of each content stretch
    footnotes: list = field(default_factory=list)   # footnote markers found in the paragraph
    marked_verb: str = ""                          # bold lead-in of the source, if any
    truncated: bool = False


@dataclass
class Segmented:
    header: dict
    paragraphs: list
    footnotes: list      # dicts: marker, text, start, end, para_kind, para_number
    artefacts: list      # dicts: kind, start, end
    warnings: list


def _ends_terminated(text: str, lang: str) -> bool:
    t = text.rstrip(BLANK_CHARS + "*" + SUPERSCRIPTS)
    t = re.sub(r"(?<=[,;.:])\s?\d{1,3}$", "", t)       # a footnote number after the punctuation
    return bool(t) and t[-1] in profile(lang).terminators


def _content_span(line: Line, offset: int = 0) -> tuple[int, int]:
    """The stretch of the line without surrounding white space."""
    body = line.text[offset:]
    lead = len(body) - len(body.lstrip(BLANK_CHARS))
    trail = len(body.rstrip(BLANK_CHARS))
    return line.start + offset + lead, line.start + offset + max(trail, lead)


def _starts_new_preambular(line: Line, lang: str, gap: bool) -> bool:
    if profile(lang).preamble == "line":
        return True
    first = line.text.strip(BLANK_CHARS)[:1]
    return gap and first.isupper()


def _assemble(lines: list[Line], text: str, lang: str, source) -> list[Paragraph]:
    prof = profile(lang)
    operative = prof.operative
    paras: list[Paragraph] = []
    section, part = "", "preambular"
    current: Paragraph | None = None
    gap = False

    def current_text() -> str:
        return "".join(text[a:b] for a, b in current.pieces) if current else ""

    def heading_block(j: int) -> int:
        """Lines from j up to a blank line or a numbered paragraph become a heading (``section``)."""
        nonlocal section
        block = []
        while j < len(lines) and lines[j].role == "content" and not operative.match(lines[j].text):
            block.append(lines[j])
            j += 1
        for x in block:
            x.role = "heading"
        section = squeeze(prof.join(x.text.strip(BLANK_CHARS) for x in block)).translate(NO_MARKERS).strip()
        return j

    annex = annex_start(lines, lang)
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.role != "content":
            gap = True
            i += 1
            continue
        if i == annex:                    # 'Annex', then the annexed text's title
            part, current, gap = "annex", None, True
            ln.role = "heading"
            j = i + 1
            while j < len(lines) and lines[j].role != "content":
                j += 1
            i = heading_block(j)
            continue
        if prof.section_mark and prof.section_mark.match(ln.text) \
                and (gap or current is None or _ends_terminated(current_text(), lang)):
            i = heading_block(i)          # 'II' on its own line, then the section's title
            gap = True
            continue
        m = operative.match(ln.text)
        if m:
            kind = "annex" if part == "annex" else "operative"
            part = part if part == "annex" else "operative"
            number = int(m.group(1))
            a, b = _content_span(ln)
            current = Paragraph(kind, number, section, a, b)
            pa, pb = _content_span(ln, m.end())
            if pb > pa:
                current.pieces.append((pa, pb))
            paras.append(current)
        elif current is not None and not _ends_terminated(current_text(), lang):
            current.pieces.append(_content_span(ln))          # continuation after a wrap or page break
            current.end = current.pieces[-1][1]
        elif part in ("operative", "annex"):
            block = [ln]
            j = i + 1
            while j < len(lines) and lines[j].role == "content" and not operative.match(lines[j].text):
                block.append(lines[j])
                j += 1
            if gap and not _ends_terminated(block[-1].text, lang) and block[0].text.strip()[:1] != "(":
                section = squeeze(prof.join(x.text.strip(BLANK_CHARS) for x in block))
                for x in block:
                    x.role = "heading"
                i = j
                gap = True
                continue
            if current is None:                                # an unnumbered paragraph of an annexed text
                a, b = _content_span(ln)
                current = Paragraph("annex", 0, section, a, b)
                current.pieces.append((a, b))
                paras.append(current)
                gap = False
                i += 1
                continue
            current.pieces.append(_content_span(ln))           # e.g. a sub-paragraph (a), (b) …
            current.end = current.pieces[-1][1]
        elif current is None or _starts_new_preambular(ln, lang, gap):
            a, b = _content_span(ln)
            current = Paragraph("preambular", 1 + sum(p.kind == "preambular" for p in paras), "", a, b)
            current.pieces.append((a, b))
            paras.append(current)
        else:
            current.pieces.append(_content_span(ln))
            current.end = current.pieces[-1][1]
        gap = False
        i += 1
    if annex is not None and not any(p.kind == "operative" for p in paras):
        body = [p for p in paras if p.kind == "preambular"]
        if body and _ends_terminated(current_text_of(body[-1], text), lang) \
                and current_text_of(body[-1], text).rstrip()[-1:] in ".。":
            body[-1].kind, body[-1].number = "operative", 1     # 'Adopts the … annexed': unnumbered
    if not any(p.kind == "operative" for p in paras):
        raise InputError(source, "no numbered operative paragraphs ('1.', '2.', …) found")
    return paras


def current_text_of(p: Paragraph, text: str) -> str:
    return "".join(text[a:b] for a, b in p.pieces)


def _footnote_bodies(lines: list[Line], text: str, lang: str) -> list[dict]:
    prof = profile(lang)
    notes = []
    for ln in lines:
        if ln.role != "footnote":
            continue
        m = prof.footnote_line.match(ln.text)
        a, b = _content_span(ln)
        if m:
            marker = superscript_number(m.group(1))
            notes.append({"marker": marker, "start": a, "end": b,
                          "text": ln.text[m.end():].strip(BLANK_CHARS)})
        elif notes:                                             # a body wrapped over two lines
            notes[-1]["end"] = b
            notes[-1]["text"] = squeeze(notes[-1]["text"] + " " + ln.text.strip(BLANK_CHARS))
    return notes


def _find_markers(paras, notes, lines, text, lang) -> dict:
    """Offsets of footnote markers in paragraph text: {marker: [(start, end), …]} (a marker repeated
    for the same footnote: each occurrence). Plain digits: after a word, its punctuation, a space,
    or glued to a year ('20165': 2016, footnote 5)."""
    found = {}
    raised = any(c in SUPERSCRIPTS for p in paras for a, b in p.pieces for c in text[a:b])   # PDF route
    if profile(lang).footnotes == "superscript" or raised:
        for p in paras:
            for a, b in p.pieces:
                for m in re.finditer(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+ *", text[a:b]):      # a marker repeated: each one
                    found.setdefault(superscript_number(m.group(0).strip()), []).append((a + m.start(), a + m.end()))
        return found
    pieces = sorted((a, b) for p in paras for a, b in p.pieces)
    page_starts = [ln.end for ln in lines if ln.role == "header"]
    low = 0
    for note in notes:
        k = note["marker"]
        sep = max((ln.start for ln in lines if ln.role == "separator" and ln.start < note["start"]), default=0)
        page = max((s for s in page_starts if s < sep), default=0)
        lo = max(low, page)
        hit = None
        for pattern in (rf"(?<=[A-Za-z)\]’”,.;:]){k}(?=[\s,.;:)]|$)", rf"(?<=[,;.:] ){k}(?=\s|$)",
                        rf"(?<=[A-Za-z)\]’”] ){k}(?=\s|$)", rf"(?<=\b(?:19|20)\d\d){k}(?=[\s,.;:)]|$)"):
            for a, b in pieces:
                if b <= lo or a >= sep:
                    continue
                s0 = max(a, lo)
                m = re.search(pattern, text[s0:min(b, sep)])
                if m:
                    hit = (s0 + m.start(), s0 + m.end())
                    break
            if hit:
                break
        if hit:
            found[k] = [hit]
            low = hit[1]
    return found


def _artefacts(lines: list[Line], paras: list[Paragraph], text: str) -> list[dict]:
    """Every stretch of the raw text outside paragraph content, labelled by its line's role.

    A content line's uncovered stretches are its operative number ("number") or white space
    ("blank"). Adjacent stretches of one kind are merged.
    """
    covered = sorted((a, b) for p in paras for a, b in p.pieces)
    out, k = [], 0

    def add(kind, a, b):
        if out and out[-1]["kind"] == kind and out[-1]["end"] == a:
            out[-1]["end"] = b
        elif b > a:
            out.append({"kind": kind, "start": a, "end": b})

    for ln in lines:
        pos, stop = ln.start, min(ln.end + 1, len(text))
        while pos < stop:
            while k < len(covered) and covered[k][1] <= pos:
                k += 1
            if k < len(covered) and covered[k][0] <= pos:
                pos = min(covered[k][1], stop)
                continue
            nxt = min(covered[k][0], stop) if k < len(covered) else stop
            chunk = text[pos:nxt]
            if ln.role == "content":
                kind = "number" if chunk.strip(BLANK_CHARS) else "blank"
            else:
                kind = ln.role
            add(kind, pos, nxt)
            pos = nxt
    return out


def _without_markers(text: str, piece: tuple, cut: list, joiner: str) -> str:
    """The text of one piece with the footnote markers cut out: what stood on either side of a
    marker meets with one joiner between them, none before punctuation ('2019⁷, 42/18' ->
    '2019, 42/18'; 'Persons,¹ reaffirm' -> 'Persons, reaffirm')."""
    out = ""
    for a, b in remove_spans([piece], cut):
        part = text[a:b]
        if out and not (out[-1:].isspace() or part[:1].isspace() or part[:1] in ",;.:)]"):
            out += joiner
        out += part
    return out


def document_vocabulary(text: str) -> set[str]:
    """Lower-case words and hyphenated compounds of a text, leaving out the words broken by a
    line-end hyphen (they are what the vocabulary must decide)."""
    unbroken = re.sub(r"[A-Za-z]+-[ \t]*\n[ \t]*[A-Za-z]+", " ", text)
    return set(re.findall(r"[a-z]+(?:-[a-z]+)*", unbroken.lower()))


def segment_text(text: str, lang: str, source="<text>") -> Segmented:
    """Paragraphs, footnotes and artefacts of one raw resolution text."""
    check_language(text, lang, source)
    lines, header = classify(text, lang, source)
    paras = _assemble(lines, text, lang, source)
    notes = _footnote_bodies(lines, text, lang)
    markers = _find_markers(paras, notes, lines, text, lang)
    prof = profile(lang)
    problems = []
    vocab = document_vocabulary(text) if profile(lang).hyphenation else None

    by_marker = {}
    for p in paras:
        cut = [span for spans in markers.values() for span in spans if any(a <= span[0] < b for a, b in p.pieces)]
        p.footnotes = sorted(k for k, spans in markers.items() if any(span in cut for span in spans))
        for k in p.footnotes:
            by_marker.setdefault(k, p)
        raw_pieces = [_without_markers(text, piece, cut, prof.joiner) for piece in p.pieces]
        joined = join_pieces(raw_pieces, lang, vocab)
        bold = BOLD.search(joined)
        p.marked_verb = bold.group(1).strip() if bold else ""
        p.text = squeeze(joined.replace("**", ""))
        p.truncated = not _ends_terminated(p.text, lang)
        if p.truncated:
            problems.append(f"{p.kind} paragraph {p.number} ends mid-sentence; flagged truncated")
    for note in notes:
        p = by_marker.get(note["marker"])
        note["para_kind"] = p.kind if p else ""
        note["para_number"] = p.number if p else None
        note["marker_start"], note["marker_end"] = markers.get(note["marker"], [(None, None)])[0]
        if p is None:
            problems.append(f"footnote {note['marker']}: its marker was not found in any paragraph")

    ops = [p.number for p in paras if p.kind == "operative"]
    expected = list(range(1, len(ops) + 1))
    if ops != expected:
        dup = sorted({n for n in ops if ops.count(n) > 1})
        skipped = sorted(set(range(1, max(ops) + 1)) - set(ops))
        problems.append(f"operative numbering is not 1..{len(ops)}: duplicated {dup}, skipped {skipped}")
    for msg in problems:
        warnings.warn(f"{source}: {msg}", stacklevel=2)
    return Segmented(header, paras, notes, _artefacts(lines, paras, text), problems)
