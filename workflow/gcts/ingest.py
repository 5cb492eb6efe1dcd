"""Read a raw text safely: UTF-8 only, not empty, in the language the manifest says."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import InputError

SUPPORTED = ("zh", "en")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")


def script_share(text: str) -> float:
    """Share of CJK ideographs among CJK ideographs and Latin letters (0 for pure English)."""
    cjk = len(CJK.findall(text))
    latin = len(LATIN.findall(text))
    return cjk / (cjk + latin) if cjk + latin else 0.0


def check_language(text: str, lang: str, source) -> None:
    if lang not in SUPPORTED:
        raise InputError(source, f"language {lang!r} is not supported (supported: {', '.join(SUPPORTED)})")
    share = script_share(text)
    if lang == "zh" and share < 0.5:
        raise InputError(source, f"expected Chinese text, but only {share:.0%} of its letters are Chinese characters")
    if lang == "en" and share > 0.05:
        raise InputError(source, f"expected English text, but {share:.0%} of its letters are Chinese characters")


def decode(data: bytes, source) -> str:
    """UTF-8 (an optional BOM is kept as a character so offsets stay exact)."""
    if not data.strip():
        raise InputError(source, "the file is empty or holds only white space")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(source, f"not valid UTF-8 (byte {e.start}: {data[e.start:e.start + 4]!r}); "
                                 "convert it to UTF-8 first") from None
    if not text.strip(" \t\r\n\ufeff\u3000"):
        raise InputError(source, "the file is empty or holds only white space")
    return text


def read_text(path, lang: str) -> str:
    """Read a raw resolution text, checking encoding, emptiness and language."""
    path = Path(path)
    if lang not in SUPPORTED:
        raise InputError(path, f"language {lang!r} is not supported (supported: {', '.join(SUPPORTED)})")
    if path.suffix.lower() == ".pdf":
        raise InputError(path, "is a PDF; convert it with the fetch/inbox step (gcts.pdf) before segmenting")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    text = decode(data, path)
    check_language(text, lang, path)
    return text
