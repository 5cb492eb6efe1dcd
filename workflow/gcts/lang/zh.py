"""Chinese: UN resolutions in the official text version (operative verbs in bold, footnotes in superscript)."""

import logging
import re
from functools import lru_cache

from .base import HAN, SUPERSCRIPTS, Profile


@lru_cache(maxsize=8)
def _jieba_with(words: tuple):
    """A private jieba segmenter that keeps every lexicon phrase whole (the shared one is left unchanged)."""
    import jieba

    jieba.dt.check_initialized()               # the shared dictionary, loaded once by the blank pipeline
    tok = jieba.Tokenizer()
    tok.FREQ, tok.total, tok.initialized = dict(jieba.dt.FREQ), jieba.dt.total, True   # a copy, not a reload
    for w in sorted(words, key=len):      # shorter first, so a longer phrase is tuned last and stays whole
        if len(w) > 1:
            tok.add_word(w)
            tok.suggest_freq(w, tune=True)
    return tok


def _tune(nlp, words) -> None:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    nlp.tokenizer.jieba_seg = _jieba_with(tuple(sorted(set(words))))


class _ZhProfile(Profile):
    def make_nlp(self):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        return super().make_nlp()


PROFILE = _ZhProfile(
    code="zh", name="Chinese", script="han", joiner="", cased=False, spacy_lang="zh",
    spacy_config={"nlp": {"tokenizer": {"segmenter": "jieba"}}},
    assembly=re.compile(r"^\s*大会\s*[，,]\s*$"),
    assembly_text="大会，",
    adopted=re.compile(r"(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*大会决议"),
    closing=(re.compile(r"^\s*第?\s*\d+\s*次全体会议\s*$"),
             re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")),
    # "18. 在", "18．在", "18.在", "１８．": the number may be full-width and need not be followed by a space
    operative=re.compile(r"^\s*([0-9０-９]{1,3})\s*[.．](?![0-9０-９])"),
    terminators="，；。：,;.:",
    preamble="line",
    footnotes="superscript",
    footnote_line=re.compile(rf"^\s*([{SUPERSCRIPTS}]+)\s*"),
    hyphenation=False,
    pillar_heading=re.compile(r"^\s*支柱\s*(一|二|三|四)"),
    pillar_numerals={"一": "I", "二": "II", "三": "III", "四": "IV"},
    unit=re.compile(rf"[{HAN}A-Za-z0-9]"),
    term_word=re.compile(rf"^[{HAN}]+$"),
    min_term_chars=2,
    stop_words=None,
    align_tfidf={"analyzer": "char", "ngram_range": (1, 3), "sublinear_tf": True},
    group_tfidf={"analyzer": "char", "ngram_range": (1, 2), "sublinear_tf": True},
    term_match="substring",
    marks_bold_verbs=True,
    color="#F17CB0",
    tune_tokenizer=_tune,
    annex=re.compile(r"^\s*附件(?:[一二三四五六七八九十]+)?\s*$"),
)
