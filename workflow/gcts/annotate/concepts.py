"""The bilingual pillar-concept lexicon (workflow/resources/pillar_terms.yaml) and a matcher that
finds its terms in English or Chinese text, with character offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..resources import read_yaml

LANGS = ("en", "zh")
PILLARS = ("G", "I", "II", "III", "IV")
ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Concept:
    id: str
    en: tuple[str, ...]
    zh: tuple[str, ...]
    pillars: tuple[str, ...] = ()          # the pillar(s) it points to; () when cross-cutting

    def terms(self, lang: str) -> tuple[str, ...]:
        return getattr(self, lang)


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Immutable: hashed once and shared, not copied, by scikit-learn's clone() (the matcher and
    the term cache are keyed by it; hashing every concept per lookup cost most of a CV run)."""

    concepts: tuple[Concept, ...]
    source: str = ""

    def __post_init__(self):
        object.__setattr__(self, "_key", hash((self.concepts, self.source)))

    def __hash__(self):
        return self._key

    def __eq__(self, other):
        return self is other or (isinstance(other, Lexicon) and self._key == other._key
                                 and (self.concepts, self.source) == (other.concepts, other.source))

    def __deepcopy__(self, memo):
        return self

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.concepts]


@dataclass(frozen=True)
class Hit:
    """One term found in a text: which concept, the text as written, and where."""

    concept: str
    term: str
    start: int
    end: int


def load_lexicon(path) -> Lexicon:
    """Read and check the lexicon; any problem is an InputError naming the file and the concept."""
    path = Path(path)
    data = read_yaml(path, "pillar-concept lexicon")
    if not isinstance(data.get("concepts"), list) or not data["concepts"]:
        raise InputError(path, "expected a mapping with a non-empty list 'concepts'")
    concepts, seen_ids, seen_terms = [], {}, {lang: {} for lang in LANGS}
    for i, entry in enumerate(data["concepts"], start=1):
        where = f"concept #{i}"
        if not isinstance(entry, dict):
            raise InputError(path, f"{where} is not a mapping with id, en, zh")
        cid = entry.get("id")
        if not isinstance(cid, str) or not ID_RE.match(cid):
            raise InputError(path, f"{where}: id {cid!r} must be lower-case letters, digits and '_'")
        where = f"concept #{i} ({cid})"
        if cid in seen_ids:
            raise InputError(path, f"{where}: id already used by concept #{seen_ids[cid]}")
        seen_ids[cid] = i
        unknown = set(entry) - {"id", "pillar", "en", "zh", "note"}
        if unknown:
            raise InputError(path, f"{where}: unknown keys {sorted(unknown)} (allowed: id, pillar, en, zh, note)")
        pillars = entry.get("pillar") or []
        pillars = [pillars] if isinstance(pillars, str) else pillars
        bad = [p for p in pillars if p not in PILLARS] if isinstance(pillars, list) else [pillars]
        if bad:
            raise InputError(path, f"{where}: pillar {bad} is not one of {', '.join(PILLARS)}")
        terms = {}
        for lang in LANGS:
            raw = entry.get(lang)
            if not isinstance(raw, list) or not raw:
                raise InputError(path, f"{where}: '{lang}' must be a non-empty list of terms")
            clean = []
            for t in raw:
                if not isinstance(t, str) or not t.strip():
                    raise InputError(path, f"{where}: '{lang}' has an empty or non-text term {t!r}")
                t = t.strip()
                key = t.lower() if lang == "en" else t
                if key in seen_terms[lang]:
                    raise InputError(path, f"{where}: {lang} term {t!r} is also listed under "
                                           f"{seen_terms[lang][key]!r}; a term may belong to one concept only")
                seen_terms[lang][key] = cid
                clean.append(t)
            terms[lang] = tuple(clean)
        concepts.append(Concept(cid, terms["en"], terms["zh"], tuple(dict.fromkeys(pillars))))
    return Lexicon(tuple(concepts), str(path))


class ConceptMatcher:
    """Finds lexicon terms: English on spaCy tokens (case-insensitive, whole words), Chinese as
    substrings. Overlapping matches resolve to the longest (then the leftmost)."""

    def __init__(self, lexicon: Lexicon):
        from spacy.matcher import PhraseMatcher   # here, not at the top: PILLARS and the lexicon
        from ..lang.nlp import blank                    # are read by jobs that need no spaCy
        self.lexicon = lexicon
        nlp = blank("en")
        self._en = PhraseMatcher(nlp.vocab, attr="LOWER")
        for c in lexicon.concepts:
            self._en.add(c.id, [nlp.make_doc(t) for t in c.en])
        self._zh: dict[str, list[tuple[str, str]]] = {}
        for c in lexicon.concepts:
            for t in c.zh:
                self._zh.setdefault(t[0], []).append((t, c.id))
        for options in self._zh.values():
            options.sort(key=lambda x: -len(x[0]))

    def find(self, text: str, lang: str) -> list[Hit]:
        if lang == "en":
            return self._find_en(text)
        if lang == "zh":
            return self._find_zh(text)
        raise ValueError(f"language {lang!r} is not supported ({', '.join(LANGS)})")

    def _find_en(self, text: str) -> list[Hit]:
        from spacy.util import filter_spans
        from ..lang.nlp import blank
        nlp = blank("en")
        doc = nlp.make_doc(text)
        matches = self._en(doc)
        spans = [doc[s:e] for _, s, e in matches]
        labels = {(s, e): nlp.vocab.strings[m] for m, s, e in matches}
        return [Hit(labels[(sp.start, sp.end)], sp.text, sp.start_char, sp.end_char)
                for sp in sorted(filter_spans(spans), key=lambda sp: sp.start)]

    def _find_zh(self, text: str) -> list[Hit]:
        hits, i = [], 0
        while i < len(text):
            for term, cid in self._zh.get(text[i], ()):
                if text.startswith(term, i):
                    hits.append(Hit(cid, term, i, i + len(term)))
                    i += len(term)
                    break
            else:
                i += 1
        return hits
