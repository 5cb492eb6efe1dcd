"""The checks a text passes before any route lands it in data/raw/ or segments it: the main run
(gcts.sources.corpus), the inbox and fetch (gcts.sources.inbox.land) call the same functions here, so
no route can land what another refuses.

size (ingest.check_size) -> encoding (ingest.decode) -> line length -> language and structure
(segment_text: the script of the declared language, numbered operative paragraphs) -> the symbol in
the title block matches the one claimed.
"""

from __future__ import annotations

import re
import warnings

from ..errors import InputError
from ..lang import codes
from .ingest import MAX_BYTES, check_size, decode
from .segment import segment_text

# A PDF or DOCX far larger than a resolution (about 0.2-2 MB) is the wrong file; refused before it is read.
MAX_ORIGINAL_BYTES = 200 * 2**20
# A line of a resolution text is one paragraph at most (the embedded corpus: under 1,000 characters).
# A far longer line is appended junk (a dump, a binary blob decoded as text), not a heading artefact.
MAX_LINE = 100_000


def check_lines(text: str, source, max_line: int = MAX_LINE) -> None:
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > max_line:
            raise InputError(source, f"line {number} (from character {start}) is {len(line):,} characters long; "
                                     f"a paragraph of a resolution is a few thousand at most (limit {max_line:,}): "
                                     "junk appended to the text? Remove it and try again")
        start += len(line) + 1


def check_resolution(text: str, lang: str, source, symbol: str | None = None,
                     claim: str = "its name says"):
    """Segment ``text`` as a resolution in ``lang``; refuse it if a line is absurdly long, the script is
    not ``lang``'s, it has no numbered operative paragraphs, or its title block names another symbol than
    ``symbol`` ("the text is X, but <claim> Y"). Returns (the Segmented text, the warnings raised)."""
    check_lines(text, source)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        seg = segment_text(text, lang, source)
    found = seg.header.get("symbol")
    if symbol and found and found != symbol:
        raise InputError(source, f"the text is {found}, but {claim} {symbol}")
    return seg, list(caught)


def check_text(text: str, lang: str, source, symbol: str | None = None, claim: str = "its name says",
               max_bytes: int = MAX_BYTES) -> list[str]:
    """Every check of the main run on a text about to land (e.g. converted from a PDF): size, line length and,
    for a language the pipeline segments, language and structure. Returns notes for the user: the paragraph
    counts and the segmenter's warnings."""
    check_size(len(text.encode("utf-8")), source, max_bytes)
    if lang not in codes():                         # kept, not segmented (e.g. a Russian PDF)
        check_lines(text, source)
        if not re.search(r"\w", text):
            raise InputError(source, "no text")
        return []
    seg, caught = check_resolution(text, lang, source, symbol, claim)
    ops = sum(p.kind == "operative" for p in seg.paragraphs)
    return [f"{len(seg.paragraphs) - ops} preambular and {ops} operative paragraphs"] + \
        [str(w.message).removeprefix(f"{source}: ") for w in caught]


def check_text_bytes(data: bytes, source, max_bytes: int = MAX_BYTES) -> str:
    """A text file's bytes: size, then encoding. Returns the text."""
    check_size(len(data), source, max_bytes)
    return decode(data, source)


def check_original_size(size: int, source, max_bytes: int = MAX_ORIGINAL_BYTES) -> None:
    if size > max_bytes:
        raise InputError(source, f"is {size / 2**20:.1f} MB; a resolution's PDF or Word file is a few MB at most "
                                 f"and the limit is {max_bytes / 2**20:.0f} MB: is this the right file?")
