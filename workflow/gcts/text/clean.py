"""Text cleaning steps, each small and testable: unwrap lines, re-join hyphenation, cut spans."""

from __future__ import annotations

import re

from ..lang import profile

WORD = re.compile(r"[A-Za-z]+")


def squeeze(s: str) -> str:
    """Collapse runs of white space to one space."""
    return re.sub(r"\s+", " ", s).strip()


def remove_spans(pieces, cuts):
    """Pieces (start, end) with the cut spans taken out."""
    out = []
    for a, b in pieces:
        pos = a
        for ca, cb in sorted(cuts):
            if cb <= pos or ca >= b:
                continue
            if ca > pos:
                out.append((pos, ca))
            pos = max(pos, cb)
        if pos < b:
            out.append((pos, b))
    return out


def keep_line_end_hyphen(left: str, right: str, vocab: set[str] | None = None) -> bool:
    """Is the hyphen at the end of a line a real hyphen ("counter-" + "terrorism")?

    Evidence from ``vocab`` (the words of the document) first: the compound seen elsewhere keeps
    the hyphen, the joined word seen elsewhere drops it. Otherwise the hyphen is kept when both
    parts look like words (3+ letters, a vowel, not a bare suffix such as "tion").
    """
    lw = WORD.findall(left)
    rw = WORD.findall(right)
    if not lw or not rw:
        return True
    a, b = lw[-1], rw[0]
    if b[:1].isupper():
        return True
    if vocab is not None:
        if f"{a}-{b}".lower() in vocab:
            return True
        if f"{a}{b}".lower() in vocab:
            return False
        if a.lower() in vocab and b.lower() in vocab:
            return True
    return _wordlike(a) and _wordlike(b)


def _wordlike(w: str) -> bool:
    w = w.lower()
    return len(w) >= 3 and bool(re.search(r"[aeiouy]", w)) and not w.startswith(SUFFIXES)


SUFFIXES = ("tion", "ation", "tation", "sion", "ment", "ness", "ity", "ance", "ence", "ing", "ers", "ism", "ist", "ies",
            "ous", "ive", "ally", "ful", "less", "ble", "ted", "ual", "ial")


def join_pieces(pieces: list[str], lang: str, vocab: set[str] | None = None) -> str:
    """Join the content stretches of one paragraph: Chinese without spaces, English with one
    space, except a line-end hyphen, which is kept (compound) or removed (split word)."""
    if not profile(lang).hyphenation:
        return profile(lang).join(p.strip() for p in pieces)
    out = ""
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if out.endswith("-") and out[-2:-1].isalpha() and piece[:1].isalpha():
            if keep_line_end_hyphen(out, piece, vocab):
                out += piece
            else:
                out = out[:-1] + piece
        else:
            out = f"{out} {piece}" if out else piece
    return out
