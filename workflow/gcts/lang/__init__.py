"""Language profiles: everything that differs between the languages of the resolutions.

``profile(code)`` is the one place that says which languages the pipeline reads; an unknown code fails there, with
the list of supported ones. ``register`` adds a profile at run time (a notebook, a test)."""

from __future__ import annotations

from . import en, zh
from .base import Profile

# The six official languages of the United Nations: what a document can be fetched in.
OFFICIAL = {"zh": "Chinese", "en": "English", "fr": "French", "es": "Spanish", "ru": "Russian", "ar": "Arabic"}
CANONICAL = "en"      # the language of canonical labels (verb_en) and of the pillar headings the model learns from

_PROFILES: dict[str, Profile] = {p.code: p for p in (zh.PROFILE, en.PROFILE)}


class UnsupportedLanguage(ValueError):
    pass


def profile(code: str) -> Profile:
    try:
        return _PROFILES[code]
    except (KeyError, TypeError):
        raise UnsupportedLanguage(f"language {code!r} is not supported (supported: {', '.join(_PROFILES)}); "
                                  "add a profile in workflow/gcts/lang/") from None


def codes() -> tuple[str, ...]:
    """The supported languages, in the order of the registry."""
    return tuple(_PROFILES)


def register(p: Profile) -> None:
    _PROFILES[p.code] = p
    from .nlp import blank
    blank.cache_clear()


def unregister(code: str) -> None:
    _PROFILES.pop(code, None)
    from .nlp import blank
    blank.cache_clear()


def name(code: str) -> str:
    """English name of a language code (profiled or official)."""
    return _PROFILES[code].name if code in _PROFILES else OFFICIAL.get(code, code)
