"""Bring your own file: a PDF, DOCX or TXT put in data/inbox/ as <stem>.<lang>.<ext>
(e.g. A_RES_66_282.zh.pdf) is copied into data/raw/, converted to text, checked, checksummed and
listed in the manifest. A downloaded PDF (gcts.sources.fetch) lands the same way (``land``).

Nothing in data/raw/ is ever replaced: a document that already has a text is refused.
"""

from __future__ import annotations

import logging
import os
import re
import zipfile
import zlib
from datetime import datetime, timezone
from pathlib import Path
from xml.etree import ElementTree

from ..errors import InputError
from ..text import checks
from ..text.checks import check_original_size, check_text_bytes
from ..text.ingest import check_size
from ..lang import codes, profile
from .manifest import (OFFICIAL, check_symbol, copy_atomic, manifest_lock, read_manifest, record_document,
                       remove_stale_parts, sha256_of, tmp_dir, write_atomic)
from .pdf import BOLD_FONTS, SUPERSCRIPT, check_pattern, converter as pdf_converter, mark_bold, pdf_to_text

TYPES = ("pdf", "docx", "txt")
NAME = re.compile(r"(A_RES_([0-9]{2,3})_([0-9]{1,4}))\.([a-z]{2})\.([A-Za-z]+)")
EXAMPLE = "A_RES_66_282.zh.pdf"


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_name(name: str) -> tuple[str, str, str]:
    """'A_RES_66_282.zh.pdf' -> ('A/RES/66/282', 'zh', 'pdf'); anything else is refused."""
    if any(c in name for c in "/\\\0") or ".." in name or any(ord(c) < 32 for c in name):
        raise InputError(name, "the name contains path characters ('/', '\\\\', '..' or control "
                               f"characters); refused. Name files like {EXAMPLE}")
    m = NAME.fullmatch(name)
    if not m:
        raise InputError(name, f"name not understood; it must be <symbol with _>.<language>.<pdf|docx|txt>, "
                               f"e.g. {EXAMPLE}")
    stem, session, number, lang, ext = m.groups()
    if lang not in OFFICIAL:
        raise InputError(name, f"language {lang!r} is not one of {', '.join(OFFICIAL)}")
    if ext.lower() not in TYPES:
        raise InputError(name, f"type .{ext} is not supported (use .pdf, .docx or .txt)")
    symbol = check_symbol(f"A/RES/{session}/{number}", name)
    return symbol, lang, ext.lower()


# --- conversion ------------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FORMATS = {"decimal": lambda n: str(n), "lowerLetter": lambda n: "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26],
           "upperLetter": lambda n: "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(n - 1) % 26],
           "lowerRoman": lambda n: _roman(n).lower(), "upperRoman": lambda n: _roman(n)}


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _on(props, tag: str) -> bool:
    el = props.find(W + tag) if props is not None else None
    return el is not None and el.get(W + "val", "true") not in ("0", "false", "none")


class _Numbering:
    """Word list numbering (numbering.xml, direct or through the paragraph style): the label of
    each numbered paragraph, e.g. '12.' or '(a)'."""

    def __init__(self, z: zipfile.ZipFile, read):
        self.levels, self.nums, self.style_num, self.count = {}, {}, {}, {}
        if "word/numbering.xml" in z.namelist():
            root = ElementTree.fromstring(read("word/numbering.xml"))
            for a in root.iter(W + "abstractNum"):
                for lvl in a.iter(W + "lvl"):
                    fmt, text, start = lvl.find(W + "numFmt"), lvl.find(W + "lvlText"), lvl.find(W + "start")
                    self.levels[(a.get(W + "abstractNumId"), lvl.get(W + "ilvl"))] = (
                        fmt.get(W + "val") if fmt is not None else "decimal",
                        text.get(W + "val") if text is not None else "%1.",
                        int(start.get(W + "val")) if start is not None else 1)
            for n in root.iter(W + "num"):
                ref = n.find(W + "abstractNumId")
                if ref is not None:
                    self.nums[n.get(W + "numId")] = ref.get(W + "val")
        if "word/styles.xml" in z.namelist():
            for st in ElementTree.fromstring(read("word/styles.xml")).iter(W + "style"):
                num = st.find(f"{W}pPr/{W}numPr")
                if num is not None:
                    self.style_num[st.get(W + "styleId")] = num

    def label(self, p) -> str:
        ppr = p.find(W + "pPr")
        num = ppr.find(W + "numPr") if ppr is not None else None
        if num is None and ppr is not None and ppr.find(W + "pStyle") is not None:
            num = self.style_num.get(ppr.find(W + "pStyle").get(W + "val"))
        if num is None or num.find(W + "numId") is None:
            return ""
        num_id = num.find(W + "numId").get(W + "val")
        ilvl = num.find(W + "ilvl").get(W + "val") if num.find(W + "ilvl") is not None else "0"
        abstract = self.nums.get(num_id)
        if (abstract, ilvl) not in self.levels:
            return ""
        counts = self.count.setdefault(num_id, {})
        counts[ilvl] = counts.get(ilvl, self.levels[(abstract, ilvl)][2] - 1) + 1
        for deeper in [k for k in counts if int(k) > int(ilvl)]:
            del counts[deeper]
        fmt, text, _ = self.levels[(abstract, ilvl)]
        label = text
        for k, n in counts.items():
            kfmt = self.levels.get((abstract, k), ("decimal",))[0]
            label = label.replace(f"%{int(k) + 1}", FORMATS.get(kfmt, str)(n))
        return label if fmt in FORMATS else ""


# A resolution's word/document.xml is well under 5 MB and compresses about 5 to 15 times.
MAX_MEMBER_BYTES = 32 * 2**20
MAX_RATIO = 200


def zip_member(z: zipfile.ZipFile, name: str, source) -> bytes:
    """One member of a ZIP (DOCX), refused before it is read if its declared size or compression ratio is
    out of bounds (a zip bomb); reading stops at the declared size (zipfile) and at the limit."""
    info = z.getinfo(name)
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > MAX_MEMBER_BYTES or ratio > MAX_RATIO:
        raise InputError(source, f"{name} inside the Word file unpacks to {info.file_size / 2**20:.1f} MB "
                                 f"({ratio:.0f} times its packed size); the limits are {MAX_MEMBER_BYTES // 2**20} MB "
                                 f"and {MAX_RATIO} times: refused as a possible zip bomb")
    with z.open(info) as member:
        data = member.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise InputError(source, f"{name} inside the Word file unpacks to more than {MAX_MEMBER_BYTES // 2**20} MB")
    return data


def docx_text(path, lang: str, source=None) -> str:
    """Raw text of a Word file: one line per paragraph with a blank line between; bold runs as
    **…** (Chinese); footnote references as superscripts (Chinese) or digits (English); the
    footnotes after a separator line at the end."""
    source = source or path
    try:
        with zipfile.ZipFile(path) as z:
            def read(name):
                return zip_member(z, name, source)
            body = ElementTree.fromstring(read("word/document.xml"))
            notes_xml = read("word/footnotes.xml") if "word/footnotes.xml" in z.namelist() else None
            numbering = _Numbering(z, read)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, zlib.error, EOFError, NotImplementedError) as e:
        raise InputError(source, f"not a readable Word (.docx) file: {e}") from None
    note_bodies = {}
    if notes_xml:
        for fn in ElementTree.fromstring(notes_xml).iter(W + "footnote"):
            if fn.get(W + "type") in (None, "normal"):
                text = "".join(t.text or "" for t in fn.iter(W + "t"))
                note_bodies[fn.get(W + "id")] = re.sub(r"\s+", " ", text).strip()
    known = lang in codes()
    bold_verbs = known and profile(lang).marks_bold_verbs           # the Chinese route: bold = the marked verb
    superscript = known and profile(lang).footnotes == "superscript"   # markers and bodies in superscript digits
    order, paragraphs = [], []
    for p in body.iter(W + "p"):
        chars = []
        label = numbering.label(p)
        if label:
            chars += [(c, False) for c in label + " "]
        for r in p.iter(W + "r"):
            props = r.find(W + "rPr")
            bold = bold_verbs and _on(props, "b")
            sup = props is not None and props.find(W + "vertAlign") is not None \
                and props.find(W + "vertAlign").get(W + "val") == "superscript"
            for el in r:
                if el.tag == W + "t":
                    text = el.text or ""
                    if sup and text.strip().isdigit() and superscript:
                        text = text.translate(SUPERSCRIPT)
                    chars += [(c, bold and not sup) for c in text]
                elif el.tag in (W + "tab", W + "br", W + "cr"):
                    chars.append((" ", False))
                elif el.tag == W + "footnoteReference":
                    order.append(el.get(W + "id"))
                    mark = str(len(order))
                    chars += [(c, False) for c in (mark.translate(SUPERSCRIPT) if superscript else mark)]
        text = "".join(c for c, _ in chars)
        if text.strip():
            paragraphs.append(mark_bold(chars).strip() if bold_verbs else re.sub(r"[ \t]+", " ", text).strip())
    if not paragraphs:
        raise InputError(source, "the Word file holds no text")
    notes = [(k, note_bodies.get(fid, "")) for k, fid in enumerate(order, start=1)]
    if notes:
        if superscript:
            paragraphs += [f"{str(k).translate(SUPERSCRIPT)} {t}" for k, t in notes]
        else:
            paragraphs += ["__________________"] + [f"{k} {t}" for k, t in notes]
    return "\n\n".join(paragraphs) + "\n"


def converter(ext: str) -> str:
    return f"gcts.sources.pdf ({pdf_converter()})" if ext == "pdf" else "gcts.sources.inbox.docx_text"


def to_text(path, ext: str, lang: str, bold: str | None = BOLD_FONTS, source=None) -> str:
    """The raw text of an original file (pdf, docx or txt), after the size and encoding checks."""
    source = source or path
    size = Path(path).stat().st_size
    if ext == "txt":
        check_size(size, source)                 # before reading, like the main run
        return check_text_bytes(Path(path).read_bytes(), source)
    check_original_size(size, source)
    if ext == "pdf":
        return pdf_to_text(path, lang, bold, source)
    if ext == "docx":
        return docx_text(path, lang, source)
    raise InputError(source, f"type .{ext} is not supported (use .pdf, .docx or .txt)")


def check_text(text: str, symbol: str, lang: str, source) -> list[str]:
    """The main run's checks (gcts.text.checks): size, lines, language, numbered operative paragraphs and,
    when the title block names a symbol, the document it claims to be. Returns notes and warnings."""
    return checks.check_text(text, lang, source, symbol, claim="its name says")


# --- landing a file ------------------------------------------------------------------------------

def land(original, symbol: str, lang: str, ext: str, provenance: str, *, manifest, raw_dir, root=".",
         bold: str | None = BOLD_FONTS, move: bool = False, source=None) -> dict:
    """Convert and check ``original``, then add it (kept as data/raw/<stem>.<lang>.<ext> unless it
    is the text itself) and its text (data/raw/<stem>.<lang>.txt) and record both in the manifest.
    Each file appears in one rename; if a step fails, the files placed so far are removed.
    ``source`` names the file in messages (default: its path)."""
    original = Path(original)
    source = source or original
    stem = check_symbol(symbol, original).replace("/", "_")
    text = to_text(original, ext, lang, bold, source)
    notes = check_text(text, symbol, lang, source)
    raw_dir, root = Path(raw_dir), Path(root)
    raw_dir.mkdir(parents=True, exist_ok=True)
    text_dest = raw_dir / f"{stem}.{lang}.txt"
    orig_dest = raw_dir / f"{stem}.{lang}.{ext}" if ext != "txt" else None
    tmp = tmp_dir(manifest)
    placed = []
    with manifest_lock(manifest):
        row = read_manifest(manifest, root)
        row = row[row["symbol"] == symbol]
        if row.empty:
            raise InputError(manifest, f"{symbol} is not listed; add its row before importing it")
        if f"{lang}_path" in row.columns and row.iloc[0][f"{lang}_path"]:
            raise InputError(original, f"{symbol} ({lang}) already has a text ({row.iloc[0][f'{lang}_path']}); "
                                       "existing files are never replaced")
        for dest in filter(None, (text_dest, orig_dest)):
            if dest.exists():
                raise InputError(dest, "exists but is not listed in the manifest; existing files are never "
                                       "overwritten: check it, then list it in the manifest or remove it")
        try:
            write_atomic(text.encode("utf-8"), text_dest, tmp)   # a .txt: the bytes checked (UTF-8 is exact)
            placed.append(text_dest)
            if orig_dest is not None:
                if move:
                    os.replace(original, orig_dest)
                else:
                    copy_atomic(original, orig_dest, tmp)
                placed.append(orig_dest)
            for p in placed:
                p.chmod(0o444)                 # like the rest of data/raw: read-only
            values = {"path": rel(text_dest, root), "sha256": sha256_of(text_dest), "source": provenance}
            if orig_dest is not None:
                values.update(original=rel(orig_dest, root), original_sha256=sha256_of(orig_dest))
            record_document(manifest, symbol, lang, values)
        except BaseException:
            for p in placed:
                p.unlink(missing_ok=True)
            raise
    return {**values, "notes": notes}


def rel(path, root) -> str:
    return Path(os.path.relpath(Path(path).resolve(), Path(root).resolve())).as_posix()


# --- the inbox -----------------------------------------------------------------------------------

def inbox_dir(config, root=".") -> Path:
    return Path(root) / config["fetch"]["inbox"]


def scan(config, root=".") -> list[dict]:
    """Each visible file of the inbox with its state: ready, imported, conflict or refused."""
    folder = inbox_dir(config, root)
    if not folder.is_dir():
        return []
    manifest = read_manifest(Path(root) / config["manifest"], root)
    rows = {r["symbol"]: r for _, r in manifest.iterrows()}
    out = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        entry = {"file": path.name, "path": path, "symbol": "", "lang": "", "type": ""}
        try:
            if path.is_symlink():
                raise InputError(path.name, "is a symbolic link; put the file itself in the inbox")
            symbol, lang, ext = parse_name(path.name)
            entry.update(symbol=symbol, lang=lang, type=ext)
            if symbol not in rows:
                raise InputError(path.name, f"{symbol} is not listed in {config['manifest']}; add its row first")
        except InputError as e:
            out.append({**entry, "state": "refused", "note": str(e)})
            continue
        row = rows[symbol]
        listed = row.get(f"{lang}_path", "")
        if not listed:
            out.append({**entry, "state": "ready", "note": f"{symbol} ({lang}) from {ext.upper()}"})
            continue
        digest = sha256_of(path)
        if digest in (row.get(f"{lang}_original_sha256", ""), row.get(f"{lang}_sha256", "")):
            out.append({**entry, "state": "imported", "note": f"already imported as {listed}"})
        else:
            out.append({**entry, "state": "conflict",
                        "note": f"{path.name}: {symbol} ({lang}) already has a text ({listed}) and this file "
                                "differs from it; existing files are never replaced: remove the file from the inbox"})
    return out


def inbox_listing(config, root=".") -> list[str]:
    """Name, size and modification time of each inbox file (re-runs the inbox rule when they change)."""
    folder = inbox_dir(config, root)
    if not folder.is_dir():
        return []
    return [f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith(".")]


def import_inbox(config, root=".", log: logging.Logger | None = None) -> list[dict]:
    """Import every ready inbox file; returns one record per file with its state and message."""
    log = log or logging.getLogger("gcts.sources.inbox")
    root = Path(root)
    bold = check_pattern(config["fetch"].get("bold_fonts", BOLD_FONTS), "config fetch.bold_fonts")
    for stale in remove_stale_parts((root / config["manifest"]).parent / ".tmp"):   # if any
        log.info("removed %s, left by an interrupted run", stale)
    results = []
    for entry in scan(config, root):
        if entry["state"] == "ready":
            symbol, lang, ext = entry["symbol"], entry["lang"], entry["type"]
            src = rel(entry["path"], root)
            provenance = f"imported by hand from {src} on {now()}; " + (
                f"{ext.upper()} sha256 {sha256_of(entry['path'])}; text by {converter(ext)}"
                if ext != "txt" else "text file as received")
            try:
                done = land(entry["path"], symbol, lang, ext, provenance, manifest=root / config["manifest"],
                            raw_dir=root / config["raw_dir"], root=root,
                            bold=bold)
                entry = {**entry, "state": "imported now",
                         "note": f"{symbol} ({lang}): imported {src} -> {done['path']} "
                                 f"(sha256 {done['sha256'][:12]}…; {'; '.join(done['notes'])})"}
            except InputError as e:
                entry = {**entry, "state": "refused", "note": f"{symbol} ({lang}): {e}"}
        level = logging.ERROR if entry["state"] in ("refused", "conflict") else logging.INFO
        log.log(level, "%s: %s", entry["state"], entry["note"])
        results.append({k: v for k, v in entry.items() if k != "path"})
    return results


def summary(results: list[dict]) -> str:
    """The closing message of an import: counts, and each file that could not be imported."""
    bad = [r for r in results if r["state"] in ("refused", "conflict")]
    lines = [f"inbox: {sum(r['state'] == 'imported now' for r in results)} file(s) imported, "
             f"{sum(r['state'] == 'imported' for r in results)} imported before, {len(bad)} refused."]
    lines += [f"  - {r['note']}" for r in bad]
    return "\n".join(lines)


def pending_note(config, root=".") -> str:
    """For the end-of-run note: inbox files waiting to be imported or refused ('' if none)."""
    try:
        entries = scan(config, root)
    except InputError as e:
        return f"The inbox could not be checked: {e}"
    ready = [e["file"] for e in entries if e["state"] == "ready"]
    bad = [e["note"] for e in entries if e["state"] in ("refused", "conflict")]
    lines = []
    if ready:
        lines.append(f"{len(ready)} file(s) in {config['fetch']['inbox']}/ wait to be imported: {', '.join(ready)}")
        lines.append("  import them with: uv run snakemake --cores 2 inbox")
    if bad:
        lines.append(f"{len(bad)} file(s) in {config['fetch']['inbox']}/ cannot be imported:")
        lines += [f"  - {b}" for b in bad]
    return "\n".join(lines)
