"""TEST FIXTURES, NOT UN DOCUMENTS: resolution PDFs and DOCX files typeset here from the real
paragraphs of the embedded corpus, and a local HTTP server that serves them.

A fixture keeps every paragraph's words, numbers, sections, bold lead-in verbs (Chinese) and
footnote markers and bodies as segmented from data/raw/. What is made up is the page: A4, our
fonts (Noto Sans CJK SC for Chinese body text, SimHei for the bold verbs, DejaVu Serif for
English),
our line breaks and page breaks, and running headers/footers in the UN style with the job number
of the source (English) or the placeholder 00-00000 (Chinese: the text version has none).
"""

from __future__ import annotations

import io
import os
import re
import threading
import time
import warnings
import zipfile
from functools import lru_cache
from importlib.util import find_spec
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse
from xml.sax.saxutils import escape

from gcts.text.clean import join_pieces, squeeze
from gcts.text.segment import segment_text

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
MARK = re.compile("\ue000(\\d+)\ue001")


def fonts_dir() -> Path:
    return Path(find_spec("mplfonts").origin).parent / "fonts"


# --- from a real raw text to a layout --------------------------------------------------------

def corpus_layout(raw: str, lang: str) -> dict:
    """Title lines, paragraphs as styled tokens, footnotes and closing lines of a real text."""
    seg = segment_text(raw, lang, "fixture")
    marks = {(n["marker_start"], n["marker_end"]): n["marker"] for n in seg.footnotes
             if n["marker_start"] is not None}
    paragraphs = []
    for p in seg.paragraphs:
        pieces = []
        for a, b in p.pieces:
            s, pos = "", a
            for (ca, cb), k in sorted(marks.items()):
                if a <= ca < b:
                    s += raw[pos:ca] + f"\ue000{k}\ue001"
                    pos = cb
            pieces.append(s + raw[pos:b])
        joined = squeeze(join_pieces(pieces, lang))
        tokens = []
        for i, part in enumerate(re.split(r"(\*\*.+?\*\*)", joined)):
            for j, bit in enumerate(MARK.split(part)):
                if j % 2:
                    tokens.append((bit, "sup"))
                elif bit:
                    tokens.append((bit.strip("*"), "bold" if i % 2 else "normal"))
        plain = squeeze("".join(t for t, style in tokens if style != "sup"))
        assert plain == p.text, (p.kind, p.number, plain, p.text)      # the fixture keeps the words
        paragraphs.append({"kind": p.kind, "number": p.number, "section": p.section, "tokens": tokens})
    arts = seg.artefacts
    block = "".join(raw[a["start"]:a["end"]] for a in arts if a["kind"] == "title")
    title = [[ln.strip() for ln in group.split("\n") if ln.strip()] for group in re.split(r"\n\s*\n", block)]
    closing = [ln.strip() for a in arts if a["kind"] == "closing" for ln in raw[a["start"]:a["end"]].split("\n")]
    return {"title": [g for g in title if g], "paragraphs": paragraphs,
            "footnotes": {n["marker"]: n["text"] for n in seg.footnotes},
            "closing": [c for c in closing if c], "header": seg.header}


# --- typesetting -------------------------------------------------------------------------------

class Typesetter:
    """A small line breaker on top of fpdf2: A4, first-line indent, 6 pt between paragraphs,
    footnotes at the foot of the page that carries their marker, running header and footer."""

    TOP, BOTTOM, LEFT, RIGHT = 72.0, 770.0, 72.0, 523.0

    def __init__(self, lang: str, symbol: str, running_title: str, job: str, spacing: float = 6.0,
                 justify: bool = False):
        from fpdf import FPDF

        self.lang, self.symbol, self.running_title, self.job = lang, symbol, running_title, job
        self.spacing, self.justify = spacing, justify      # space between paragraphs; justified lines
        self.pdf = FPDF(unit="pt", format="A4")
        self.pdf.set_auto_page_break(False)
        if lang == "zh":
            self.pdf.add_font("body", "", str(fonts_dir() / "NotoSansCJKsc-Regular.otf"))
            self.pdf.add_font("verb", "", str(fonts_dir() / "SimHei.ttf"))
            self.fonts = {"normal": ("body", ""), "bold": ("verb", ""), "sup": ("body", "")}
        else:
            ttf = Path(find_spec("matplotlib").origin).parent / "mpl-data" / "fonts" / "ttf"
            self.pdf.add_font("serif", "", str(ttf / "DejaVuSerif.ttf"))
            self.pdf.add_font("serif", "B", str(ttf / "DejaVuSerif-Bold.ttf"))
            self.fonts = {"normal": ("serif", ""), "bold": ("serif", "B"), "sup": ("serif", "")}
        self.size, self.pitch, self.indent = (10.0, 15.0, 20.0) if lang == "zh" else (10.0, 12.0, 36.0)
        self.notes_here: list = []
        self.notes_text: dict = {}
        self.widths: dict = {}
        self.note_lines: dict = {}
        self.y = self.TOP

    def _font(self, style: str, size: float | None = None):
        family, shape = self.fonts[style]
        self.pdf.set_font(family, shape, (size or self.size) * (0.65 if style == "sup" else 1.0))

    def width(self, text: str, style: str, size: float | None = None) -> float:
        key = (text, style, size)
        if key not in self.widths:
            self._font(style, size)
            self.widths[key] = self.pdf.get_string_width(text)
        return self.widths[key]

    def units(self, tokens):
        """Unbreakable units: English words; Chinese single characters and Latin runs. A footnote
        marker sticks to what precedes it."""
        pattern = r"\S+\s*|\s+" if self.lang == "en" else r"[A-Za-z0-9/().,\-]+\s*|\s+|."
        out = []
        for text, style in tokens:
            if style == "sup" and out:
                out[-1].append((text, style))
                continue
            for u in re.findall(pattern, text):
                out.append([(u, style)])
        return out

    def lines(self, tokens, first: float, size: float | None = None):
        lines, line, x = [], [], first
        for unit in self.units(tokens):
            w = sum(self.width(t, s, size) for t, s in unit)
            trim = sum(self.width(t.rstrip(), s, size) for t, s in unit)
            if line and x + trim > self.RIGHT:
                lines.append(line)
                line, x = [], self.LEFT
                if not unit[0][0].strip():
                    continue
            line.extend(unit)
            x += w
        if line:
            lines.append(line)
        return lines

    def draw(self, segments, x: float, y: float, size: float | None = None, stretch: float = 0.0):
        if stretch > 0:                               # justified: each unit placed on its own
            units = [seg for seg in segments if seg[0]]
            gaps = sum(1 for t, _ in units[:-1] if self.lang == "zh" or t.endswith(" "))
            extra = stretch / gaps if gaps else 0.0
            for text, style in units:
                self.draw([(text, style)], x, y, size)
                x += self.width(text, style, size) + (extra if self.lang == "zh" or text.endswith(" ") else 0.0)
            return
        merged = []
        for text, style in segments:                  # one text object per run of one style
            if merged and merged[-1][1] == style:
                merged[-1] = (merged[-1][0] + text, style)
            else:
                merged.append((text, style))
        for text, style in merged:
            self._font(style, size)
            rise = 3.5 if style == "sup" else 0.0
            self.pdf.text(x, y - rise, text)
            x += self.pdf.get_string_width(text)

    def notes_height(self, notes) -> float:
        if not notes:
            return 0.0
        for k in notes:
            if k not in self.note_lines:
                self.note_lines[k] = self.lines(self.note_tokens(k), self.LEFT, 8.0)
        return 18.0 + sum(len(self.note_lines[k]) for k in notes) * 10.0

    def note_tokens(self, k):
        return [(str(k), "sup"), (" " + self.notes_text[k], "normal")] if self.lang == "zh" \
            else [(str(k), "sup"), ("  " + self.notes_text[k], "normal")]

    def new_page(self):
        self.pdf.add_page()
        self.notes_here = []
        self.y = self.TOP
        if self.pdf.page > 1:
            self.pdf.set_font("Helvetica", "", 8)
            self.pdf.text(self.LEFT, 40, self.symbol)
            self._font("normal", 8)
            self.pdf.text(self.LEFT, 50, self.running_title)
            self.y = self.TOP + 10

    def finish_page(self):
        if self.notes_here:
            y = self.BOTTOM - self.notes_height(self.notes_here) + 12
            self.pdf.set_font("Helvetica", "", 10)
            self.pdf.text(self.LEFT, y, "_" * 18)
            y += 14
            for k in self.notes_here:
                for line in self.note_lines[k]:
                    self.draw(line, self.LEFT, y, 8.0)
                    y += 10
        self.pdf.set_font("Helvetica", "", 8)
        self.pdf.text(self.LEFT, 800, self.job)

    def block(self, tokens, first_indent: float, gap: float | None = None, justify: bool = False,
              keep: bool = False):
        lines = self.lines(tokens, self.LEFT + first_indent)
        if self.y > self.TOP + 10:
            self.y += self.spacing if gap is None else gap
        if keep and self.y + (len(lines) + 1) * self.pitch > self.BOTTOM - self.notes_height(self.notes_here):
            self.finish_page()                        # a heading stays whole and with what follows
            self.new_page()
        for i, line in enumerate(lines):
            notes = [int(t) for t, s in line if s == "sup"]
            need = self.notes_height(self.notes_here + notes)
            if self.y + self.pitch > self.BOTTOM - need:
                self.finish_page()
                self.new_page()
            self.y += self.pitch
            x0 = self.LEFT + (first_indent if i == 0 else 0.0)
            stretch = 0.0
            if justify and i < len(lines) - 1:
                stretch = self.RIGHT - x0 - sum(self.width(t, s_) for t, s_ in line[:-1]) \
                    - self.width(line[-1][0].rstrip(), line[-1][1])
            self.draw(line, x0, self.y, stretch=stretch)
            self.notes_here += notes

    def typeset(self, layout) -> bytes:
        self.notes_text = layout["footnotes"]
        self.new_page()
        for group in layout["title"]:                 # lines of one group without a gap
            for i, t in enumerate(group):
                self.block([(t, "bold" if re.match(r"^\d+/\d+\.", group[0]) else "normal")], 0.0,
                           gap=10.0 if i == 0 else 0.0)
        section = ""
        for p in layout["paragraphs"]:
            if p["section"] and p["section"] != section:
                section = p["section"]
                self.block([(section, "bold")], 0.0, gap=12.0, keep=True)
            lead = [(f"{p['number']}. ", "normal")] if p["kind"] == "operative" else []
            self.block(lead + p["tokens"], self.indent, justify=self.justify)
        for c in layout["closing"]:
            self.block([(c, "normal")], 0.0, gap=10.0)
        self.finish_page()
        total = self.pdf.page
        for n in range(2, total + 1):                 # page counters "2/5" on the job number's line
            self.pdf.page = n
            self.pdf.set_font("Helvetica", "", 8)
            self.pdf.text(self.RIGHT - 20, 800, f"{n}/{total}")
        self.pdf.page = total
        return bytes(self.pdf.output())


def resolution_pdf(name: str, lang: str, symbol: str, job: str, **style) -> bytes:
    """A fixture PDF typeset from data/raw/<name> (style: spacing=, justify= of Typesetter)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        layout = corpus_layout((RAW / name).read_text(encoding="utf-8"), lang)
    title = layout["header"]["title"]
    return Typesetter(lang, symbol, title, job, **style).typeset(layout)


# symbol: (raw file, language, job number printed in the footer)
CORPUS = {"A/RES/68/276": ("A_RES_68_276.zh.txt", "zh", "00-00000 (C)"),
          "A/RES/72/284": ("A_RES_72_284.en.txt", "en", "18-10508"),
          "A/RES/75/291": ("A_RES_75_291.en.txt", "en", "21-08974")}


@lru_cache(maxsize=None)
def corpus_pdf(symbol: str, spacing: float = 6.0, justify: bool = False) -> bytes:
    """The fixture PDF of one embedded document (built once per test session)."""
    name, lang, job = CORPUS[symbol]
    return resolution_pdf(name, lang, symbol, job, spacing=spacing, justify=justify)


@lru_cache(maxsize=None)
def corpus_docx(symbol: str, numbering: bool = False) -> bytes:
    name, lang, _ = CORPUS[symbol]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        layout = corpus_layout((RAW / name).read_text(encoding="utf-8"), lang)
    return resolution_docx(layout, lang, numbering)


# --- DOCX ----------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def resolution_docx(layout: dict, lang: str, numbering: bool = False) -> bytes:
    """A minimal Word file: one paragraph per title line / paragraph, bold runs, footnotes as
    Word footnotes. With ``numbering`` the operative numbers come from Word's list numbering
    (numbering.xml) instead of typed text."""
    def run(text, bold=False, sup=False):
        props = ("<w:b/>" if bold else "") + ('<w:vertAlign w:val="superscript"/>' if sup else "")
        return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'

    body, notes = [], []
    for group in layout["title"]:
        body.append(f"<w:p>{run(('' if lang == 'zh' else ' ').join(group))}</w:p>")
    section = ""
    for p in layout["paragraphs"]:
        if p["section"] and p["section"] != section:
            section = p["section"]
            body.append(f"<w:p>{run(section, bold=True)}</w:p>")
        runs = []
        if p["kind"] == "operative" and not numbering:
            runs.append(run(f"{p['number']}.\t".replace("\t", " ")))
        for text, style in p["tokens"]:
            if style == "sup":
                fid = len(notes) + 1
                notes.append((fid, layout["footnotes"][int(text)]))
                runs.append(f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                            f'<w:footnoteReference w:id="{fid}"/></w:r>')
            else:
                runs.append(run(text, bold=style == "bold"))
        ppr = ('<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="7"/></w:numPr></w:pPr>'
               if numbering and p["kind"] == "operative" else "")
        body.append(f"<w:p>{ppr}{''.join(runs)}</w:p>")
    for c in layout["closing"]:
        body.append(f"<w:p>{run(c)}</w:p>")
    doc = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{"".join(body)}</w:body></w:document>'
    foot = "".join(f'<w:footnote w:id="{i}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                   f'<w:footnoteRef/></w:r>{run(" " + t)}</w:p></w:footnote>' for i, t in notes)
    foot = (f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="{W}">'
            f'<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            f'{foot}</w:footnotes>')
    num = (f'<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="3">'
           f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
           f'</w:abstractNum><w:num w:numId="7"><w:abstractNumId w:val="3"/></w:num></w:numbering>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", doc)
        z.writestr("word/footnotes.xml", foot)
        if numbering:
            z.writestr("word/numbering.xml", num)
    return buf.getvalue()


# --- a local document server ---------------------------------------------------------------------

class DocServer:
    """Serves /api/symbol/access?s=<symbol>&l=<lang>&t=pdf on 127.0.0.1 from a table of
    behaviours: ("pdf", bytes), ("sleep", seconds), ("truncate", bytes, n_sent), ("html", text),
    ("drop",), ("chunked-cut", bytes, n_sent), ("no-length", bytes), ("flaky", bytes).
    Anything else is a 404. ``requests`` lists the (symbol, lang) pairs asked for."""

    def __init__(self, routes: dict):
        self.routes = routes
        self.requests: list = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                q = parse_qs(urlparse(self.path).query)
                key = (q.get("s", [""])[0], q.get("l", [""])[0])
                server.requests.append(key)
                how = server.routes.get(key, ("404",))
                try:
                    if how[0] == "pdf":
                        self._send(200, "application/pdf", how[1])
                    elif how[0] == "sleep":
                        time.sleep(how[1])
                        self._send(200, "application/pdf", b"%PDF-1.4\n%%EOF\n")
                    elif how[0] == "truncate":
                        self.send_response(200)
                        self.send_header("Content-Type", "application/pdf")
                        self.send_header("Content-Length", str(len(how[1])))
                        self.end_headers()
                        self.wfile.write(how[1][:how[2]])
                        self.wfile.flush()
                        self.close_connection = True
                    elif how[0] == "html":
                        self._send(200, "text/html; charset=utf-8", how[1].encode("utf-8"))
                    elif how[0] == "drop":                      # close without an answer
                        self.close_connection = True
                    elif how[0] == "chunked-cut":               # chunked body, cut after n bytes
                        self.send_response(200)
                        self.send_header("Content-Type", "application/pdf")
                        self.send_header("Transfer-Encoding", "chunked")
                        self.end_headers()
                        part = how[1][:how[2]]
                        self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                        self.wfile.flush()
                        self.close_connection = True
                    elif how[0] == "no-length":                 # body until the connection closes
                        self.send_response(200)
                        self.send_header("Content-Type", "application/pdf")
                        self.end_headers()
                        self.wfile.write(how[1])
                        self.close_connection = True
                    elif how[0] == "flaky":                     # 503 first, then the PDF
                        if server.requests.count(key) == 1:
                            self._send(503, "text/html", b"busy")
                        else:
                            self._send(200, "application/pdf", how[1])
                    else:
                        self._send(404, "text/html", b"<html><body>Document not found</body></html>")
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _send(self, status, ctype, body):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/api/symbol/access"

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def closed_port_url() -> str:
    """An address on 127.0.0.1 where nothing listens (connection refused: 'offline')."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/symbol/access"


def drop_documents(work: Path, pairs) -> None:
    """In a scratch copy: forget (symbol, lang) texts -- blank their manifest cells, delete the files."""
    import pandas as pd

    path = work / "data" / "resolutions.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    for symbol, lang in pairs:
        row = df["symbol"] == symbol
        (work / df.loc[row, f"{lang}_path"].iloc[0]).unlink()
        df.loc[row, [f"{lang}_path", f"{lang}_sha256", f"{lang}_source"]] = ""
    df.to_csv(path, index=False, lineterminator="\n")


if __name__ == "__main__":               # write the fixtures to look at them: python tests/pdf_fixtures.py DIR
    import sys

    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    for sym, (name, _, _) in CORPUS.items():
        (out / name.replace(".txt", ".pdf")).write_bytes(corpus_pdf(sym))
        (out / name.replace(".txt", ".docx")).write_bytes(corpus_docx(sym))
    print(os.listdir(out))
