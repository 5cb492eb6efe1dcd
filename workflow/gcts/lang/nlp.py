"""spaCy pipelines that work offline: blank English, blank Chinese with the jieba segmenter."""

from __future__ import annotations

import logging
from functools import lru_cache

import spacy


@lru_cache(maxsize=None)
def blank(lang: str):
    """A cached blank spaCy pipeline for 'en' or 'zh' (jieba word segmentation)."""
    if lang == "zh":
        import jieba

        jieba.setLogLevel(logging.WARNING)
        return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    if lang == "en":
        return spacy.blank("en")
    raise ValueError(f"language {lang!r} is not supported (zh, en)")


def tokenize(text: str, lang: str) -> list[str]:
    """Word tokens of a text (jieba words for Chinese, spaCy tokens for English)."""
    return [t.text for t in blank(lang).make_doc(text) if not t.is_space]
