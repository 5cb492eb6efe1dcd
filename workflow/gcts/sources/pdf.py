"""PDF to raw text of the shape the segmenter reads (pypdfium2: PDFium, Apache/BSD licences).

PDFium reports each character with its box, baseline, size and font. From those we rebuild the
lines of each page (top to bottom; a small raised digit, a footnote marker, stays on its line
and becomes a superscript digit), then split the page by geometry: header (top band, smaller
type), body, notes (from the '_____' separator) and footer (bottom band: job number, page
counter). Body lines form paragraph blocks: a block starts after a vertical gap larger than the
usual line pitch or at a first-line indent, and goes on over a page break when the next page
starts at the left margin. The header, notes and footer of a page come after the block that
runs past them, on lines of their own, so the segmenter records them as artefacts. English
keeps the printed lines of a block; Chinese joins them into one line, as in the text version of
the documents, and runs in a font whose name matches ``bold`` are marked ``**…**`` (the
operative verbs), unless the whole line is in that font (a heading).

``python -m gcts.sources.pdf FILE.pdf [zh|en]`` prints the text; ``--fonts`` lists the fonts per page.
"""

from __future__ import annotations

import ctypes
import math
import re
import statistics
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..lang import CANONICAL, profile

BOLD_FONTS = r"Bold|Black|Heavy|Hei"      # default: font names that print the marked verbs
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUPERSCRIPT = str.maketrans("0123456789", SUPERSCRIPT_DIGITS)
SEPARATOR = re.compile(r"^\s*_{5,}\s*$")
CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
CJK_GAP = re.compile(rf"(?<=[{CJK}]) +(?=[{CJK}])")
TERMINATORS = ",;.:，；。："
OPERATIVE_START = re.compile(r"^\s*\d{1,3}\s*[.．]\s*")


@dataclass
class Run:
    """A stretch of text in one font and size (PDF points, origin bottom left; ``y`` the baseline)."""

    text: str
    x: float
    y: float
    size: float
    font: str
    bold: bool = False
    x1: float | None = None          # right end of the last character

    def end_x(self) -> float:
        """Right end: measured by pdfium, else estimated (full-width characters 1 em, others 0.55 em)."""
        if self.x1 is not None:
            return self.x1
        return self.x + sum(_em(c) for c in self.text) * self.size


@dataclass
class PdfLine:
    page: int
    runs: list = field(default_factory=list)
    height: float = 842.0            # of the page
    base: float | None = None        # baseline of the line's text (a raised marker aside)

    @property
    def visible(self) -> list:
        return [r for r in self.runs if r.text.strip()]

    @property
    def x(self) -> float:
        return min(r.x for r in self.visible)

    @property
    def y(self) -> float:
        if self.base is not None:
            return self.base
        return self.visible[0].y

    @property
    def size(self) -> float:
        return max(r.size for r in self.visible)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    def end_x(self) -> float:
        return max(r.end_x() for r in self.visible)

    def ends_clause(self) -> bool:
        """Does the line end with punctuation (a footnote marker after it aside)?"""
        body = "".join(r.text for r in self.runs if r.size >= 0.75 * self.size).rstrip()
        return body[-1:] in TERMINATORS

    def measured(self) -> bool:
        """Are the character positions measured (not estimated)?"""
        return all(r.x1 is not None for r in self.visible)


def _em(c: str) -> float:
    if c == " ":
        return 0.25
    return 1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55


def check_pattern(pattern: str | None, where) -> str | None:
    """A font-name regular expression that compiles, or a clear error."""
    try:
        re.compile(pattern or "")
    except re.error as e:
        raise InputError(where, f"{pattern!r} is not a valid regular expression ({e})") from None
    return pattern


def _document(pdf, source):
    """The pdfium document of a PDF path or bytes, or a clear error."""
    import pypdfium2 as pdfium

    data = Path(pdf).read_bytes() if not isinstance(pdf, (bytes, bytearray)) else bytes(pdf)
    if not data.startswith(b"%PDF"):
        raise InputError(source, f"not a PDF (starts with {data[:16]!r})")
    try:
        doc = pdfium.PdfDocument(data)
        pages = len(doc)
    except pdfium.PdfiumError as e:
        raise InputError(source, f"unreadable PDF: {e}") from None
    if not pages:
        raise InputError(source, "unreadable PDF: no pages")
    return doc


def _page_chars(page, bold_re, number, source) -> list[tuple]:
    """(character, left, right, baseline, size, font, bold) of one page in content order."""
    import pypdfium2.raw as pdfium_c

    try:
        tp = page.get_textpage()
        count = tp.count_chars()
    except Exception as e:                # pdfium raises on broken content streams
        raise InputError(source, f"page {number}: text could not be read ({type(e).__name__}: {e})") from None
    d = ctypes.c_double
    left, right, bottom, top, ox, oy = d(), d(), d(), d(), d(), d()
    flags = ctypes.c_int()
    buf = ctypes.create_string_buffer(256)
    out, obj_seen, font, bold, upright, size = [], None, "", False, True, 0.0
    text = tp.get_text_range()
    if len(text) != count:                # characters outside the BMP: one by one
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(tp.raw, i)) for i in range(count))
    for i, c in enumerate(text):
        if c in "\r\n\x00\ufffe\uffff":          # line breaks that pdfium adds
            continue
        if c.isspace():                   # spaces of the PDF and those pdfium puts between words
            if out:
                out.append((" ",) + out[-1][1:])
            continue
        obj = ctypes.cast(pdfium_c.FPDFText_GetTextObject(tp.raw, i), ctypes.c_void_p).value
        if obj != obj_seen:
            obj_seen = obj
            pdfium_c.FPDFText_GetFontInfo(tp.raw, i, buf, len(buf), flags)
            font = buf.value.decode("latin-1")
            bold = bool(bold_re and bold_re.search(font))
            angle = pdfium_c.FPDFText_GetCharAngle(tp.raw, i)
            upright = angle < 0.01 or abs(angle - 2 * math.pi) < 0.01
            size = pdfium_c.FPDFText_GetFontSize(tp.raw, i)      # one font and size per text object
        if not upright:                   # rotated text (margin notes, barcodes): not body text
            continue
        pdfium_c.FPDFText_GetCharOrigin(tp.raw, i, ox, oy)
        pdfium_c.FPDFText_GetCharBox(tp.raw, i, left, right, bottom, top)
        out.append((c, left.value, right.value, oy.value, size, font, bold))
    return out


def _fragments(chars: list[tuple]) -> list[list[tuple]]:
    """Stretches of characters in content order on one baseline; a small raised character (a
    footnote marker) stays with the text it sits on."""
    frags, base, bsize = [], 0.0, 0.0
    for ch in chars:
        c, x0, x1, y, size = ch[:5]
        if c == " ":
            if frags:
                frags[-1].append(ch)
            continue
        if frags:
            if abs(y - base) <= 0.25 * max(size, bsize) or (size < 0.8 * bsize and 0 < y - base < 0.7 * bsize):
                frags[-1].append(ch)
                continue
            if bsize < 0.8 * size and 0 < base - y < 0.7 * size and all(k[4] < 0.8 * size for k in frags[-1]):
                frags[-1].append(ch)      # the fragment began with a marker: the text's baseline
                base, bsize = y, size
                continue
        frags.append([ch])
        base, bsize = y, size
    return frags


def _base(frag: list[tuple]) -> tuple[float, float]:
    """Baseline and size of a fragment's largest characters."""
    size = max(k[4] for k in frag if k[0] != " ")
    return next(k[3] for k in frag if k[0] != " " and k[4] >= 0.8 * size), size


def _runs(chars: list[tuple], y: float) -> list[Run]:
    runs: list[Run] = []
    for c, x0, x1, cy, size, font, bold in chars:
        last = runs[-1] if runs else None
        if last and (c == " " or (last.font == font and abs(last.size - size) < 0.05 and abs(last.y - cy) < 0.5)):
            last.text += c
            if c != " ":
                last.x1 = x1
            continue
        runs.append(Run(c, x0, cy, size, font, bold, x1=x1))
    return runs


def read_lines(pdf, bold: str | None = BOLD_FONTS, source="<pdf>") -> list[PdfLine]:
    """The text lines of a PDF, top to bottom on each page, with the runs that make them up.
    Stretches on one baseline far apart (a job number and a page counter) are separate lines."""
    bold_re = re.compile(bold, re.I) if bold else None
    doc = _document(pdf, source)
    lines: list[PdfLine] = []
    for number in range(1, len(doc) + 1):
        try:
            page = doc[number - 1]
            height = page.get_height()
        except Exception as e:            # pdfium raises on a page it cannot parse
            raise InputError(source, f"page {number}: unreadable ({type(e).__name__}: {e})") from None
        groups: list[list] = []
        for frag in sorted(_fragments(_page_chars(page, bold_re, number, source)), key=lambda f: -_base(f)[0]):
            y, size = _base(frag)
            if groups and abs(groups[-1][0] - y) <= 0.25 * size:
                groups[-1][1].append(frag)
            else:
                groups.append([y, [frag]])
        for y, frags in groups:
            frags.sort(key=lambda f: next(k[1] for k in f if k[0] != " "))
            chars = [k for f in frags for k in f]
            piece: list = []
            last = None                   # the last visible character of the piece
            for k in chars:
                if last and k[0] != " " and k[1] > last[2] + 10 * max(last[4], k[4]):
                    lines.append(PdfLine(number, _runs(_strip(piece), y), height, y))
                    piece = []
                elif last and k[0] != " " and piece[-1][0] != " " and last[4] < 0.8 * k[4] \
                        and k[1] > last[2] + 0.15 * k[4]:
                    piece.append((" ",) + last[1:])      # a gap without a space after a raised marker
                piece.append(k)
                last = k if k[0] != " " else last
            if _strip(piece):
                lines.append(PdfLine(number, _runs(_strip(piece), y), height, y))
    return lines


def _strip(chars: list) -> list:
    """Without the leading spaces (a trailing space stays: '1999 ' + '年' on the next line)."""
    while chars and chars[0][0] == " ":
        chars = chars[1:]
    return chars


def _pitch(lines: list[PdfLine]) -> float:
    """The usual distance between the baselines of two lines of one paragraph."""
    steps = [round((a.y - b.y) * 2) / 2 for a, b in zip(lines, lines[1:])
             if a.page == b.page and 0.5 * a.size < a.y - b.y < 3 * a.size]
    return statistics.mode(steps) if steps else 12.0


def _margins(lines: list[PdfLine]) -> tuple[dict, dict]:
    """Per page: the most common left edge of the lines, and the rightmost line end."""
    left, right = {}, {}
    for page in {ln.page for ln in lines}:
        on_page = [ln for ln in lines if ln.page == page]
        left[page] = statistics.mode(round(ln.x) for ln in on_page)
        right[page] = max(ln.end_x() for ln in on_page)
    return left, right


def _blocks(lines: list[PdfLine]) -> list[list[PdfLine]]:
    """Paragraph blocks of the body lines. A new block starts after a gap larger than the line
    pitch, after a jump upwards, around a footnote separator, and at a first-line indent: a line
    that starts further right than the previous one, or than the left margin when the previous
    line stopped short of the right margin (2 em measured, 8 em estimated; meant for justified
    text) -- in both cases only after a line that ended a clause. At a page break the block goes
    on when the new page starts at the left margin, not with a number, in the same type, after a
    line that ran to the right margin or did not end a clause."""
    pitch = _pitch(lines)
    left, right = _margins(lines)
    blocks: list[list[PdfLine]] = []
    prev = None
    for ln in lines:
        if prev is None:
            new = True
        else:
            em = ln.size
            ended = prev.ends_clause()
            short = prev.end_x() < right[prev.page] - (2 if prev.measured() else 8) * em
            if ln.page != prev.page:
                new = ln.x > left[ln.page] + 0.8 * em or bool(OPERATIVE_START.match(ln.text)) \
                    or abs(ln.size - prev.size) > 0.5 or (ended and short) or not prev.text.strip()
            else:
                indented = ln.x > prev.x + 0.8 * em or (short and ln.x > left[ln.page] + 0.8 * em)
                new = (ended and indented) or prev.y - ln.y > 1.3 * pitch or prev.y - ln.y < 0.5 * min(pitch, em)
            new = new or bool(SEPARATOR.match(ln.text) or SEPARATOR.match(prev.text))
        if new:
            blocks.append([ln])
        else:
            blocks[-1].append(ln)
        prev = ln
    return blocks


def _superscripts(line: PdfLine) -> None:
    """Small digits raised above normal-size text are footnote markers: superscript digits."""
    body = line.size
    for r in line.runs:
        if r.text.strip().isdigit() and r.size < 0.75 * body and r.y > line.y + 0.1 * body:
            r.text = r.text.strip().translate(SUPERSCRIPT) + (" " if r.text[-1:] == " " else "")
            r.bold = False


def body_size(lines: list[PdfLine]) -> float:
    """The type size of most characters (the body text)."""
    sizes = [round(r.size * 2) / 2 for ln in lines for r in ln.visible for c in r.text if not c.isspace()]
    return statistics.mode(sizes) if sizes else 10.0


def page_parts(lines: list[PdfLine], body: float) -> tuple[list, list, list, list]:
    """The lines of one page (top to bottom) as header, body, notes and footer.

    Header: from page 2 on, the lines at the top (upper 12 % of the page) in smaller type than
    the body. Footer: the lines in the lower 10 % of the page set apart from the text above by
    more than 1.6 times their size (job number, page counter, barcode). Notes: from the first
    footnote separator ('_____') to the footer."""
    n = len(lines)
    head = 0
    while head < n and lines[head].page > 1 and lines[head].size < 0.92 * body \
            and lines[head].y > 0.88 * lines[head].height:
        head += 1
    foot = n
    if n > head and lines[-1].y < 0.1 * lines[-1].height:
        top = n - 1
        while top - 1 >= head and lines[top - 1].y < 0.1 * lines[top - 1].height \
                and lines[top - 1].y - lines[top].y <= 1.6 * max(lines[top - 1].size, lines[top].size):
            top -= 1
        above = lines[top - 1] if top > head else None
        if above is None or above.y - lines[top].y > 1.6 * max(above.size, lines[top].size):
            foot = top
    sep = next((i for i in range(head, foot) if SEPARATOR.match(lines[i].text)), foot)
    return lines[:head], lines[head:sep], lines[sep:foot], lines[foot:]


def mark_bold(chars: list[tuple[str, bool]]) -> str:
    """Text from (character, is_bold) pairs with bold runs wrapped in ** -- not when the whole
    paragraph is bold (a heading), never around the operative number."""
    text = "".join(c for c, _ in chars)
    flags = [b for _, b in chars]
    m = OPERATIVE_START.match(text)
    start = m.end() if m else 0
    body = [b for c, b in zip(text[start:], flags[start:]) if c.strip()]
    if not any(body) or all(body):          # no marks, or a heading printed wholly in bold
        return text
    out, i = [], 0
    while i < len(text):
        if i < start or not flags[i] or not text[i].strip():
            out.append(text[i])
            i += 1
            continue
        j = i
        while j < len(text) and (flags[j] or not text[j].strip()):
            j += 1
        run = text[i:j]
        core = run.rstrip()
        out.append(f"**{core}**" if any(ch.isalnum() for ch in core) else core)
        out.append(run[len(core):])
        i = j
    return "".join(out)


def _join_zh(lines: list[PdfLine], right: float) -> list[str]:
    """Chinese: the lines of a block form one line, unless a line ends short of the right margin
    ``right`` (the paragraph ended there) or the next line starts a footnote."""
    out, chars = [], []

    def flush():
        if chars:
            out.append(mark_bold(chars).strip())
            chars.clear()

    for ln in lines:
        piece = [(c, r.bold) for r in ln.runs for c in r.text]
        text = "".join(c for c, _ in piece)
        piece = piece[len(text) - len(text.lstrip()):]
        text = text.lstrip()
        body = text.rstrip()
        keep = 1 if len(body) < len(text) and body[-1:].isascii() else 0   # "1999 " + "年"
        piece = piece[:len(body) + keep]
        if piece and piece[0][0] in SUPERSCRIPT_DIGITS:
            flush()
        if chars and piece:
            a, b = chars[-1][0], piece[0][0]
            if a.isascii() and a.isalnum() and b.isascii() and b.isalnum():
                chars.append((" ", False))
        chars.extend(piece)
        if ln.end_x() < right - 2 * ln.size:
            flush()
    flush()
    return [CJK_GAP.sub("", s) for s in out if s]


def pdf_to_text(pdf, lang: str, bold: str | None = BOLD_FONTS, source="<pdf>") -> str:
    """Raw text of a resolution PDF (a path or the bytes), ready for ``segment_text``.

    The body text comes in paragraph blocks, a paragraph that runs over a page break in one block.
    The page's header, its footnotes (after the separator) and its footer come on lines of their
    own, after the block that ends on or runs past that page."""
    prof = profile(lang)
    lines = read_lines(pdf, bold if prof.marks_bold_verbs else None, source)
    if not any(re.search(r"\w", ln.text) for ln in lines):
        raise InputError(source, "the PDF has no text layer (a scanned image?); OCR is not supported")
    for ln in lines:
        _superscripts(ln)
    size = body_size(lines)
    parts = {}
    for ln in lines:
        parts.setdefault(ln.page, []).append(ln)
    parts = {page: page_parts(on_page, size) for page, on_page in parts.items()}
    body = [ln for head, text, notes, foot in parts.values() for ln in text]
    _, right = _margins(body or lines)

    def block_text(block):
        if not prof.spaced:               # Chinese: the lines of a paragraph make one line
            block = [ln for ln in block if not SEPARATOR.match(ln.text)]
            return "\n\n".join(_join_zh(block, right.get(block[0].page, 0.0))) if block else ""
        return "\n".join(ln.text.rstrip() for ln in block)

    out, done = [], set()

    def furniture(upto: int) -> None:
        for page, (head, _, notes, foot) in parts.items():
            if page <= upto and ("head", page) not in done:
                done.add(("head", page))
                out.append("\n".join(ln.text.rstrip() for ln in head))
            if page < upto and ("foot", page) not in done:
                done.add(("foot", page))
                seps = [ln for ln in notes if SEPARATOR.match(ln.text)]
                rest = [ln for ln in notes if not SEPARATOR.match(ln.text)]
                if prof.footnotes == "separator":
                    out.extend(ln.text.strip() for ln in seps)
                out.append(block_text(rest) if rest else "")
                out.append("\n".join(ln.text.rstrip() for ln in foot))

    for block in _blocks(body) if body else []:
        furniture(block[0].page)
        out.append(block_text(block))
    furniture(max(parts) + 1)
    return "\n\n".join(p for p in out if p.strip()) + "\n"


def converter() -> str:
    """The library that reads the PDFs, with its version (for provenance)."""
    from pypdfium2 import version

    return f"pypdfium2 {version.PYPDFIUM_INFO}, PDFium {version.PDFIUM_INFO}".split("@")[0]


def font_names(pdf, source="<pdf>") -> dict[int, list[str]]:
    """{page: sorted font names}, to choose the ``bold`` pattern for a set of PDFs."""
    out = {}
    for ln in read_lines(pdf, None, source):
        out.setdefault(ln.page, set()).update(r.font for r in ln.visible)
    return {p: sorted(names) for p, names in out.items()}


if __name__ == "__main__":                 # pragma: no cover - a small manual tool
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if "--fonts" in sys.argv:
        for page, names in font_names(args[0], args[0]).items():
            print(page, ", ".join(names))
    else:
        sys.stdout.write(pdf_to_text(args[0], args[1] if len(args) > 1 else CANONICAL, source=args[0]))
