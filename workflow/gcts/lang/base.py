"""What a language profile says: everything in the pipeline that differs from one language to another.

A profile is data (patterns, settings) plus two small hooks (``make_nlp``, ``tune_tokenizer``). Add a language by
writing a module with one ``Profile`` and registering it in ``gcts.lang`` (or calling ``gcts.lang.register``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

# Character classes shared by the profiles (one definition each).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"              # CJK ideographs
CJK_PUNCT = "\u3000-\u303f\uff00-\uffef"                      # CJK symbols and punctuation, full-width forms
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
FOOTNOTE_SEPARATOR = re.compile(r"^\s*_{5,}\s*$")             # the rule above a page's footnotes

# Script checks: share of CJK ideographs among CJK ideographs and Latin letters (text.ingest.check_language).
# (refuse below, warn below, refuse above, warn above)
SCRIPTS = {"han": (0.5, 0.95, 1.0, 1.0), "latin": (0.0, 0.0, 0.05, 0.0)}


@dataclass(frozen=True)
class Profile:
    code: str                       # ISO 639-1, as in file names (A_RES_68_276.zh.txt) and the manifest
    name: str                       # English name, for figures and messages
    script: str                     # a key of SCRIPTS
    joiner: str                     # between two words or two wrapped pieces of a line: " " or ""
    cased: bool                     # letters have case (matching folds it; mid-sentence verbs are lower-case)
    spacy_lang: str                 # spaCy's blank language
    # the layout of a resolution text
    assembly: re.Pattern            # the line that opens the preamble ("The General Assembly,")
    assembly_text: str              # that line as printed, for messages
    adopted: re.Pattern             # group 1: the adoption date in the title block
    closing: tuple                  # patterns of the meeting and date lines after the last paragraph
    operative: re.Pattern           # group 1: an operative paragraph's number at the start of a line
    terminators: str                # characters that end a paragraph (others mean it goes on)
    preamble: str                   # "line": every line opens a preambular paragraph; "capital": a capitalised
                                    # line after a blank line does
    footnotes: str                  # "separator": bodies below a '_____' rule, digits as markers;
                                    # "superscript": body lines and markers in superscript digits
    footnote_line: re.Pattern       # a footnote body line (group 1: its marker)
    hyphenation: bool               # line-end hyphens to keep (compounds) or drop (split words)
    pillar_heading: re.Pattern      # group 1: the pillar of a heading ("Pillar III: …")
    pillar_numerals: dict           # group 1 -> pillar id, where the heading does not use roman numerals
    # words, terms and similarity
    unit: re.Pattern                # what containment counts (words, or characters)
    term_word: re.Pattern           # one word of a candidate term
    min_term_chars: int             # shorter words are stop words in terms
    stop_words: object              # scikit-learn stop words of word n-gram features (None: none)
    align_tfidf: dict               # TfidfVectorizer settings of paragraph similarity (compare.align)
    group_tfidf: dict               # TfidfVectorizer settings of near-duplicate CV groups (annotate.pillar_cv)
    term_match: str                 # "tokens": lexicon terms on whole tokens; "substring": anywhere
    marks_bold_verbs: bool          # text set in bold is the marked operative verb (PDF/DOCX import)
    color: str                      # of this language's bars in figures
    spacy_config: dict = field(default_factory=dict)
    annex: re.Pattern | None = None          # the line that opens an annexed text ("Annex", "Annex II")
    section_mark: re.Pattern | None = None   # a section number on a line of its own ("II"), a title after it
    tune_tokenizer: Callable | None = None   # (nlp, words) -> None: keep lexicon phrases whole

    @property
    def spaced(self) -> bool:
        """Words are separated by spaces."""
        return self.joiner == " "

    def fold(self, text: str) -> str:
        """The form matching compares: lower case where letters have case."""
        return text.lower() if self.cased else text

    def join(self, words) -> str:
        return self.joiner.join(words)

    def make_nlp(self):
        """A blank spaCy pipeline of this language (no model, no network)."""
        import spacy

        return spacy.blank(self.spacy_lang, config=self.spacy_config)
