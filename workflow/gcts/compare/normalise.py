"""Numbers, dates and references written the same way in every language.

``tokens(text, lang)`` finds resolution and document symbols, dates, article, paragraph, session
and review numbers, and other numbers, and returns each as a language-neutral token with its
character offsets in the text:

    第66/10号决议 / resolution 66/10                 -> res:66/10
    第1373(2001)号决议 / resolution 1373 (2001)       -> res:1373(2001)
    A/RES/60/288                                      -> res:60/288
    A/71/858                                          -> doc:A/71/858
    2011年11月18日 / 18 November 2011                 -> date:2011-11-18
    2016 年 4 月 / April 2016                         -> month:2016-04
    第 12 条 / article 12                             -> art:12
    第 42 段 / paragraph 42                           -> para:42
    第七十届会议 / seventieth session                 -> session:70
    第四次双年度审查 / fourth biennial review          -> review:4

The patterns of each language are its profile's ``number_patterns`` (gcts.lang.numbers).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from ..lang import profile
from ..lang.numbers import FULLWIDTH, en_ordinal, zh_number  # noqa: F401  (part of this module's interface)


class Token(NamedTuple):
    token: str
    start: int
    end: int


@lru_cache(maxsize=None)
def _compiled(lang: str):
    pats = profile(lang).number_patterns
    if not pats:
        raise ValueError(f"language {lang!r} has no number patterns (its profile's number_patterns)")
    return [(re.compile(p), f) for p, f in pats]


def tokens(text: str, lang: str) -> list[Token]:
    """Language-neutral tokens of the numbers, dates and references of a text, in text order."""
    patterns = _compiled(lang)
    text = text.translate(FULLWIDTH)
    taken = [False] * len(text)
    out = []
    for rx, build in patterns:
        for m in rx.finditer(text):
            if any(taken[m.start():m.end()]):
                continue
            toks = build(m)
            if not toks:
                continue
            taken[m.start():m.end()] = [True] * (m.end() - m.start())
            out += [Token(t, m.start(), m.end()) for t in toks]
    return sorted(out, key=lambda t: (t.start, t.token))
