"""English: UN resolutions as extracted from the official PDFs."""

import re

from .base import FOOTNOTE_SEPARATOR, Profile  # noqa: F401  (the separator is what `footnotes` names)

PROFILE = Profile(
    code="en", name="English", script="latin", joiner=" ", cased=True, spacy_lang="en",
    assembly=re.compile(r"^\s*The General Assembly\s*,?\s*$"),    # no comma before an annexed text's adoption
    assembly_text="The General Assembly,",
    adopted=re.compile(r"adopted by the General Assembly\s+on\s+(\d{1,2}\s+\w+\s+\d{4})"),
    closing=(re.compile(r"^\s*\d+(st|nd|rd|th)\s+plenary meeting\s*$", re.I),
             re.compile(r"^\s*\d{1,2}\s+[A-Z][a-z]+\s+\d{4}\s*$")),
    operative=re.compile(r"^\s*(\d{1,3})\s*[.．](?=\s|$|\*)"),
    terminators=",;.:",
    preamble="capital",
    footnotes="separator",
    footnote_line=re.compile(r"^\s*([⁰¹²³⁴⁵⁶⁷⁸⁹]+|\d{1,3}(?=\s))\s*"),   # raised marker: the PDF route
    hyphenation=True,
    # "Pillar I: …" (the reviews) or "I. Measures to …" (the Plan of Action annexed to 60/288)
    pillar_heading=re.compile(r"^\s*(?:Pillar\s+|(?=(?:IV|III|II|I)\.?\s+Measures\s+to\b))(IV|III|II|I)\b"),
    pillar_numerals={},
    unit=re.compile(r"[a-z0-9]+"),
    term_word=re.compile(r"^[a-z][a-z'’]*$"),
    min_term_chars=1,
    stop_words="english",
    align_tfidf={"analyzer": "word", "ngram_range": (1, 2), "sublinear_tf": True, "lowercase": True},
    group_tfidf={"sublinear_tf": True},
    term_match="tokens",
    marks_bold_verbs=False,
    color="#5DA5DA",
    annex=re.compile(r"^\s*Annex(?:\s+[IVX]{1,5})?\s*$"),
    section_mark=re.compile(r"^\s*[IVXL]{1,6}\.?\s*$"),
)
