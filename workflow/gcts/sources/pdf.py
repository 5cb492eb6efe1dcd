"""PDF to raw text of the shape the segmenter reads (pypdf, BSD licence).

pypdf reports each stretch of text with its position, size and font (``visitor_text``). From those
we rebuild lines, then paragraphs: a paragraph starts after a vertical gap larger than the usual
line pitch, or at a first-line indent. English keeps the printed lines with a blank line between
paragraphs (page headers, footnotes and hyphenation are left for the segmenter). Chinese joins the
lines of a paragraph into one line, as in the text version of the documents; small raised digits
become superscripts (footnote markers) and runs in a font whose name matches ``bold`` are marked
``**…**`` (the operative verbs), unless the whole line is in that font (a heading).

``python -m gcts.sources.pdf FILE.pdf [zh|en]`` prints the text; ``--fonts`` lists the fonts per page.
"""

from __future__ import annotations

import io
import re
import statistics
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

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
    """A stretch of text in one font at one position (PDF points, origin bottom left)."""

    text: str
    x: float
    y: float
    size: float
    font: str
    bold: bool = False
    widths: dict | None = None      # character -> width in 1/1000 em, from the font, when known

    def end_x(self) -> float:
        """Right end: widths from the font where it gives them, else full-width characters 1 em
        and others 0.55 em."""
        w = self.widths or {}
        return self.x + sum(w[c] / 1000 if c in w else _em(c) for c in self.text) * self.size


@dataclass
class PdfLine:
    page: int
    runs: list = field(default_factory=list)

    @property
    def visible(self) -> list:
        return [r for r in self.runs if r.text.strip()]

    @property
    def x(self) -> float:
        return min(r.x for r in self.visible)

    @property
    def y(self) -> float:
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
        """Are the widths of all characters known from the fonts (not estimated)?"""
        return all(r.widths and all(c in r.widths or _em(c) == 1.0 for c in r.text) for r in self.visible)


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


def _mult(m: list, n: list) -> list:
    return [m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
            m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3],
            m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5]]


def _reader(pdf, source):
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    data = Path(pdf).read_bytes() if not isinstance(pdf, (bytes, bytearray)) else bytes(pdf)
    if not data.startswith(b"%PDF"):
        raise InputError(source, f"not a PDF (starts with {data[:16]!r})")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        _ = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, OSError) as e:
        raise InputError(source, f"unreadable PDF: {e}") from None
    return reader


def _font_widths(font) -> dict:
    """{character: width} of a PDF font resource, through pypdf's font model (empty if unknown)."""
    try:
        from pypdf.generic._font import Font

        f = Font.from_font_resource(font)
        cmap = f.character_map or {}
        out = {cmap.get(raw, raw): float(w) for raw, w in f.character_widths.items()
               if raw != "default" and isinstance(cmap.get(raw, raw), str) and len(cmap.get(raw, raw)) == 1}
    except Exception:                     # a private pypdf interface: estimate widths instead
        return {}
    if any(_em(c) == 1.0 and abs(w - 1000) > 100 for c, w in out.items()):
        return {}                         # Chinese characters not 1 em wide: the mapping is wrong
    return out


def read_lines(pdf, bold: str | None = BOLD_FONTS, source="<pdf>") -> list[PdfLine]:
    """The text lines of a PDF in content order, with the runs that make them up."""
    bold_re = re.compile(bold, re.I) if bold else None
    lines: list[PdfLine] = []
    widths: dict = {}
    for number, page in enumerate(_reader(pdf, source).pages, start=1):
        current = PdfLine(number)
        chunks = []

        def visit(text, cm, tm, font, size):
            if text:
                chunks.append((text, _mult(tm, cm), font, size))

        try:
            page.extract_text(visitor_text=visit)
        except Exception as e:            # pypdf raises many kinds on broken content streams
            raise InputError(source, f"page {number}: text could not be read ({type(e).__name__}: {e})") from None
        for text, m, font, size in chunks:
            if abs(m[1]) > abs(m[0]):     # rotated text (margin notes, barcodes): not body text
                continue
            name = str(font.get("/BaseFont", "")) if font else ""
            if font is not None and id(font) not in widths:
                widths[id(font)] = (font, _font_widths(font))     # keep the font alive: ids stay unique
            known = widths[id(font)][1] if font is not None else None
            eff = float(size) * (abs(m[3]) or 1.0)
            for k, part in enumerate(text.split("\n")):
                far = bool(current.visible) and part.strip() and k == 0 \
                    and m[4] > current.visible[-1].end_x() + 10 * eff     # e.g. job number | page counter
                if k or far:
                    if current.visible:
                        lines.append(current)
                    current = PdfLine(number)
                    part = part.lstrip() if far else part     # the space pypdf put before the gap
                if part:
                    y = m[5] - k * 1.2 * eff
                    current.runs.append(Run(part, m[4], y, eff, name,
                                            bool(bold_re and bold_re.search(name)), known))
        if current.visible:
            lines.append(current)
    return lines


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
    """Paragraph blocks. A new block starts on a new page, after a gap larger than the line pitch,
    after a jump upwards, around a footnote separator, and at a first-line indent: a line that
    starts further right than the previous one, or than the left margin when the previous line
    stopped short of the right margin (2 em with the font's widths, 8 em estimated; meant for
    justified text) -- in both cases only after a line that ended a clause."""
    pitch = _pitch(lines)
    left, right = _margins(lines)
    blocks: list[list[PdfLine]] = []
    prev = None
    for ln in lines:
        new = prev is None or ln.page != prev.page
        if not new:
            em = ln.size
            ended = prev.ends_clause()
            short = prev.end_x() < right[ln.page] - (2 if prev.measured() else 8) * em
            indented = ln.x > prev.x + 0.8 * em or (short and ln.x > left[ln.page] + 0.8 * em)
            new = (ended and indented) or prev.y - ln.y > 1.3 * pitch or prev.y - ln.y < 0.5 * min(pitch, em) \
                or bool(SEPARATOR.match(ln.text) or SEPARATOR.match(prev.text))
        if new:
            blocks.append([ln])
        else:
            blocks[-1].append(ln)
        prev = ln
    return blocks


def _superscripts(line: PdfLine, lang: str) -> None:
    """Small digits next to normal-size text are footnote markers."""
    body = line.size
    for i, r in enumerate(line.runs):
        if r.text.strip().isdigit() and r.size < 0.75 * body:
            if lang == "zh":
                r.text = r.text.translate(SUPERSCRIPT)
                r.bold = False
            elif i == 0 and len(line.runs) > 1 and not line.runs[1].text[:1].isspace():
                r.text = r.text.rstrip() + " "       # footnote body: "1 A/71/858."


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
    """Raw text of a resolution PDF (a path or the bytes), ready for ``segment_text``."""
    lines = read_lines(pdf, bold if lang == "zh" else None, source)
    if not any(re.search(r"\w", ln.text) for ln in lines):
        raise InputError(source, "the PDF has no text layer (a scanned image?); OCR is not supported")
    for ln in lines:
        _superscripts(ln, lang)
    _, right = _margins(lines)
    parts = []
    for block in _blocks(lines):
        if lang == "zh":
            block = [ln for ln in block if not SEPARATOR.match(ln.text)]
            if block:
                parts.extend(_join_zh(block, right[block[0].page]))
        else:
            parts.append("\n".join(ln.text.rstrip() for ln in block))
    return "\n\n".join(p for p in parts if p.strip()) + "\n"


def pypdf_version() -> str:
    from pypdf import __version__

    return __version__


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
        sys.stdout.write(pdf_to_text(args[0], args[1] if len(args) > 1 else "en", source=args[0]))
