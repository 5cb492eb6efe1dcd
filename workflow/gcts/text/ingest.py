"""Read a raw text safely: UTF-8 only, not empty, not too large, in the language the manifest says."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from ..errors import InputError
from ..lang import UnsupportedLanguage, profile
from ..lang.base import HAN, SCRIPTS

CJK = re.compile(f"[{HAN}]")
LATIN = re.compile(r"[A-Za-z]")

# A resolution text is 10-200 kB; anything far larger is the wrong file (a concatenation, a dump) and
# would only make the segmenter slow and memory-hungry. Refused before it is read.
MAX_BYTES = 10 * 2**20
# Binary formats that are sometimes saved with a .txt name: first bytes -> what to tell the user.
MAGIC = {b"%PDF-": "a PDF file; convert it with the fetch/inbox step (gcts.sources.pdf) before segmenting",
         b"PK\x03\x04": "a ZIP archive (e.g. DOCX), not a plain text; export it as UTF-8 text",
         b"\xd0\xcf\x11\xe0": "an old Word/OLE document, not a plain text; export it as UTF-8 text",
         b"\xff\xfe": "UTF-16 (little-endian) text; convert it to UTF-8 first",
         b"\xfe\xff": "UTF-16 (big-endian) text; convert it to UTF-8 first"}
# Mixed-script thresholds: gcts.lang.base.SCRIPTS. Real UN Chinese texts have ~0.5% Latin letters (symbols
# such as A/68/L.50); real English texts have no CJK at all.


def script_share(text: str) -> float:
    """Share of CJK ideographs among CJK ideographs and Latin letters (0 for pure English)."""
    cjk = len(CJK.findall(text))
    latin = len(LATIN.findall(text))
    return cjk / (cjk + latin) if cjk + latin else 0.0


def language(lang: str, source):
    """The profile of a language, or an InputError naming the file."""
    try:
        return profile(lang)
    except UnsupportedLanguage as e:
        raise InputError(source, str(e)) from None


def check_language(text: str, lang: str, source) -> None:
    """Refuse text in the wrong script; warn when a text mixes Chinese and English noticeably."""
    prof = language(lang, source)
    lo, warn_lo, hi, warn_hi = SCRIPTS[prof.script]
    share = script_share(text)
    if share < lo:
        raise InputError(source, f"expected {prof.name} text, but only {share:.0%} of its letters are Chinese "
                                 "characters")
    if share > hi:
        raise InputError(source, f"expected {prof.name} text, but {share:.0%} of its letters are Chinese characters")
    if share < warn_lo:
        warnings.warn(f"{source}: mixed Chinese and English: {1 - share:.0%} of its letters are Latin "
                      f"(a {prof.name} resolution has about 1%); check that this is the {prof.name} text",
                      stacklevel=2)
    if share > warn_hi:
        n = len(CJK.findall(text))
        warnings.warn(f"{source}: mixed Chinese and English: {n} Chinese characters in an {prof.name} text",
                      stacklevel=2)


def decode(data: bytes, source) -> str:
    """UTF-8 (an optional BOM is kept as a character so offsets stay exact)."""
    if not data.strip():
        raise InputError(source, "the file is empty or holds only white space")
    for magic, what in MAGIC.items():
        if data.startswith(magic):
            raise InputError(source, f"is {what}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(source, f"not valid UTF-8 (byte {e.start}: {data[e.start:e.start + 4]!r}); "
                                 "convert it to UTF-8 first") from None
    if "\x00" in text:
        raise InputError(source, f"contains NUL bytes (first at character {text.index(chr(0))}): "
                                 "a binary file, not a text")
    if not text.strip(" \t\r\n\ufeff\u3000\xa0\f\v"):
        raise InputError(source, "the file is empty or holds only white space")
    return text


def check_size(size: int, source, max_bytes: int = MAX_BYTES) -> None:
    """Refuse a text of more than ``max_bytes`` bytes (UTF-8) before it is read or segmented."""
    if size > max_bytes:
        raise InputError(source, f"is {size / 2**20:.1f} MB; a resolution text is well under 1 MB and the limit "
                                 f"is {max_bytes / 2**20:.0f} MB: is this the right file?")


def read_text(path, lang: str, max_bytes: int = MAX_BYTES) -> str:
    """Read a raw resolution text, checking size, encoding, emptiness and language."""
    path = Path(path)
    language(lang, path)
    if path.suffix.lower() == ".pdf":
        raise InputError(path, "is a PDF; convert it with the fetch/inbox step (gcts.sources.pdf) before segmenting")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    check_size(size, path, max_bytes)
    data = path.read_bytes()
    text = decode(data, path)
    check_language(text, lang, path)
    return text
