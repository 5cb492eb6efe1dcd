"""spaCy pipelines that work offline: one blank pipeline per language profile."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=None)
def blank(lang: str):
    """A cached blank spaCy pipeline of a supported language."""
    from . import profile

    return profile(lang).make_nlp()


def tokenize(text: str, lang: str) -> list[str]:
    """Word tokens of a text (jieba words for Chinese, spaCy tokens for English)."""
    return [t.text for t in blank(lang).make_doc(text) if not t.is_space]
