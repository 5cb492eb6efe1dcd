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

What is specific to a language is the table ``PATTERNS`` (one list of patterns per language).
"""

from __future__ import annotations

import re
from typing import NamedTuple

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]
MONTH_RE = "(" + "|".join(m.capitalize() for m in MONTHS) + ")"
ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
ZH_NUM = "[零〇一二两三四五六七八九十百]+"
EN_UNITS = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
EN_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
            "eighteenth", "nineteenth"]
EN_TENS = ["", "", "twent", "thirt", "fort", "fift", "sixt", "sevent", "eight", "ninet"]   # + "y" / "ieth"
EN_ORD = r"((?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-)?[a-z]+(?:th|st|nd|rd))"
FULLWIDTH = str.maketrans("０１２３４５６７８９（）／", "0123456789()/")   # one character for one: offsets hold


class Token(NamedTuple):
    token: str
    start: int
    end: int


def zh_number(s: str) -> int:
    """Chinese numerals up to 999: 四 4, 十 10, 十二 12, 七十 70, 七十三 73, 一百零五 105."""
    total, digit = 0, 0
    for ch in s:
        if ch == "百":
            total += (digit or 1) * 100
            digit = 0
        elif ch == "十":
            total += (digit or 1) * 10
            digit = 0
        else:
            digit = ZH_DIGITS[ch]
    return total + digit


def en_ordinal(s: str) -> int | None:
    """English ordinal words: fourth 4, twelfth 12, seventieth 70, seventy-third 73; None if not one."""
    s = s.lower()
    if s in EN_UNITS[1:]:
        return EN_UNITS.index(s)
    if s in EN_TEENS:
        return 10 + EN_TEENS.index(s)
    for k, stem in enumerate(EN_TENS):
        if not stem:
            continue
        if s == stem + "ieth":
            return 10 * k
        if s.startswith(stem + "y-") and s[len(stem) + 2:] in EN_UNITS[1:]:
            return 10 * k + EN_UNITS.index(s[len(stem) + 2:])
    return None


def _date(y, m, d) -> str:
    return f"date:{int(y):04d}-{int(m):02d}-{int(d):02d}"


def _en_date(m):
    y, month = m.group(4), MONTHS.index(m.group(3).lower()) + 1
    days = [m.group(1)] + ([m.group(2)] if m.group(2) else [])
    return [_date(y, month, d) for d in days]


def _zh_date(m):
    days = [m.group(3)] + ([m.group(4)] if m.group(4) else [])
    return [_date(m.group(1), m.group(2), d) for d in days]


def _ordinal(prefix):
    def build(m):
        n = en_ordinal(m.group(1))
        return [f"{prefix}:{n}"] if n else []
    return build


# (pattern, tokens of a match), tried in this order; a later pattern never matches inside an earlier match.
COMMON = [
    (r"A/RES/(\d+)/(\d+)", lambda m: [f"res:{m.group(1)}/{m.group(2)}"]),
    (r"A/(\d+)/((?:L\.)?\d+)", lambda m: [f"doc:A/{m.group(1)}/{m.group(2)}"]),
    (r"(?<![\d/])(\d{1,4})\s*\((\d{4})\)", lambda m: [f"res:{m.group(1)}({m.group(2)})"]),
    (r"(?<![\d/])(\d{2})/(\d{1,3})(?![\d/])", lambda m: [f"res:{m.group(1)}/{m.group(2)}"]),
]
PATTERNS = {
    "zh": COMMON + [
        (r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*和\s*(\d{1,2})\s*日)?", _zh_date),
        (r"(\d{4})\s*年\s*(\d{1,2})\s*月", lambda m: [f"month:{int(m.group(1)):04d}-{int(m.group(2)):02d}"]),
        (r"(\d{4})\s*年", lambda m: [f"year:{m.group(1)}"]),
        (r"第\s*(\d+)\s*条", lambda m: [f"art:{m.group(1)}"]),
        (r"第\s*(\d+)\s*段", lambda m: [f"para:{m.group(1)}"]),
        (rf"第({ZH_NUM})届(?:会议)?", lambda m: [f"session:{zh_number(m.group(1))}"]),
        (rf"第({ZH_NUM})次双年度审查", lambda m: [f"review:{zh_number(m.group(1))}"]),
        (r"(?<![\d.])(\d+)(?![\d.])", lambda m: [f"num:{int(m.group(1))}"]),
    ],
    "en": COMMON + [
        (rf"\b(\d{{1,2}})(?:\s+and\s+(\d{{1,2}}))?\s+{MONTH_RE}\s+(\d{{4}})\b", _en_date),
        (rf"\b{MONTH_RE}\s+(\d{{4}})\b",
         lambda m: [f"month:{int(m.group(2)):04d}-{MONTHS.index(m.group(1).lower()) + 1:02d}"]),
        (r"\b((?:19|20)\d{2})\b", lambda m: [f"year:{m.group(1)}"]),
        (r"\b[Aa]rticles?\s+(\d+)\b", lambda m: [f"art:{m.group(1)}"]),
        (r"\b[Pp]aragraphs?\s+(\d+)\b", lambda m: [f"para:{m.group(1)}"]),
        (rf"\b{EN_ORD}\s+session\b", _ordinal("session")),
        (rf"\b{EN_ORD}\s+biennial\s+review\b", _ordinal("review")),
        (r"(?<![\d.A-Za-z])(\d+)(?![\d.])", lambda m: [f"num:{int(m.group(1))}"]),   # not a footnote mark
    ],
}
_COMPILED = {lang: [(re.compile(p), f) for p, f in pats] for lang, pats in PATTERNS.items()}


def tokens(text: str, lang: str) -> list[Token]:
    """Language-neutral tokens of the numbers, dates and references of a text, in text order."""
    if lang not in _COMPILED:
        raise ValueError(f"language {lang!r} has no number patterns ({', '.join(_COMPILED)})")
    text = text.translate(FULLWIDTH)
    taken = [False] * len(text)
    out = []
    for rx, build in _COMPILED[lang]:
        for m in rx.finditer(text):
            if any(taken[m.start():m.end()]):
                continue
            toks = build(m)
            if not toks:
                continue
            taken[m.start():m.end()] = [True] * (m.end() - m.start())
            out += [Token(t, m.start(), m.end()) for t in toks]
    return sorted(out, key=lambda t: (t.start, t.token))
