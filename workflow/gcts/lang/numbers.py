"""Numbers, dates and references of a language as language-neutral tokens (the profiles' ``number_patterns``).

Each pattern is (regular expression, function of the match -> list of tokens); gcts.compare.normalise applies
them in order. Tokens: ``res:66/10``, ``res:1373(2001)``, ``doc:A/71/858``, ``date:2011-11-18``,
``month:2016-04``, ``year:2016``, ``art:12``, ``para:42``, ``session:70``, ``review:4``, ``num:3``.
"""

from __future__ import annotations

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
# Symbols are written alike in every language: COMMON opens each language's list.
COMMON = [
    (r"A/RES/(\d+)/(\d+)", lambda m: [f"res:{m.group(1)}/{m.group(2)}"]),
    (r"A/(\d+)/((?:L\.)?\d+)", lambda m: [f"doc:A/{m.group(1)}/{m.group(2)}"]),
    (r"(?<![\d/])(\d{1,4})\s*\((\d{4})\)", lambda m: [f"res:{m.group(1)}({m.group(2)})"]),
    (r"(?<![\d/])(\d{2})/(\d{1,3})(?![\d/])", lambda m: [f"res:{m.group(1)}/{m.group(2)}"]),
]
ZH = tuple(COMMON + [
        (r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*和\s*(\d{1,2})\s*日)?", _zh_date),
        (r"(\d{4})\s*年\s*(\d{1,2})\s*月", lambda m: [f"month:{int(m.group(1)):04d}-{int(m.group(2)):02d}"]),
        (r"(\d{4})\s*年", lambda m: [f"year:{m.group(1)}"]),
        (r"第\s*(\d+)\s*条", lambda m: [f"art:{m.group(1)}"]),
        (r"第\s*(\d+)\s*段", lambda m: [f"para:{m.group(1)}"]),
        (rf"第({ZH_NUM})届(?:会议)?", lambda m: [f"session:{zh_number(m.group(1))}"]),
        (rf"第({ZH_NUM})次双年度审查", lambda m: [f"review:{zh_number(m.group(1))}"]),
        (r"(?<![\d.])(\d+)(?![\d.])", lambda m: [f"num:{int(m.group(1))}"]),
])
EN = tuple(COMMON + [
        (rf"\b(\d{{1,2}})(?:\s+and\s+(\d{{1,2}}))?\s+{MONTH_RE}\s+(\d{{4}})\b", _en_date),
        (rf"\b{MONTH_RE}\s+(\d{{4}})\b",
         lambda m: [f"month:{int(m.group(2)):04d}-{MONTHS.index(m.group(1).lower()) + 1:02d}"]),
        (r"\b((?:19|20)\d{2})\b", lambda m: [f"year:{m.group(1)}"]),
        (r"\b[Aa]rticles?\s+(\d+)\b", lambda m: [f"art:{m.group(1)}"]),
        (r"\b[Pp]aragraphs?\s+(\d+)\b", lambda m: [f"para:{m.group(1)}"]),
        (rf"\b{EN_ORD}\s+session\b", _ordinal("session")),
        (rf"\b{EN_ORD}\s+biennial\s+review\b", _ordinal("review")),
        (r"(?<![\d.A-Za-z])(\d+)(?![\d.])", lambda m: [f"num:{int(m.group(1))}"]),   # not a footnote mark
])
