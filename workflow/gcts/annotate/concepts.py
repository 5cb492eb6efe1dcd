"""The bilingual pillar-concept lexicon (workflow/resources/pillar_terms.yaml) and a matcher that
finds its terms in English or Chinese text, with character offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..lang import codes, profile
from ..resources import read_yaml

PILLARS = ("G", "I", "II", "III", "IV")   # G: the Strategy as a whole; I-IV: the Plan of Action's pillars
ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Concept:
    id: str
    forms: tuple[tuple[str, tuple[str, ...]], ...]   # (language, terms) pairs
    pillars: tuple[str, ...] = ()          # the pillar(s) it points to; () when cross-cutting

    def terms(self, lang: str) -> tuple[str, ...]:
        return dict(self.forms).get(lang, ())


@dataclass(frozen=True, eq=False)
class ConceptLexicon:
    """Immutable: hashed once and shared, not copied, by scikit-learn's clone() (the matcher and
    the term cache are keyed by it; hashing every concept per lookup cost most of a CV run)."""

    concepts: tuple[Concept, ...]
    source: str = ""

    def __post_init__(self):
        object.__setattr__(self, "_key", hash((self.concepts, self.source)))

    def __hash__(self):
        return self._key

    def __eq__(self, other):
        return self is other or (isinstance(other, ConceptLexicon) and self._key == other._key
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


def load_concepts(path) -> ConceptLexicon:
    """Read and check the lexicon; any problem is an InputError naming the file and the concept."""
    path = Path(path)
    data = read_yaml(path, "pillar-concept lexicon")
    if not isinstance(data.get("concepts"), list) or not data["concepts"]:
        raise InputError(path, "expected a mapping with a non-empty list 'concepts'")
    langs = codes()
    concepts, seen_ids, seen_terms = [], {}, {lang: {} for lang in langs}
    for i, entry in enumerate(data["concepts"], start=1):
        where = f"concept #{i}"
        if not isinstance(entry, dict):
            raise InputError(path, f"{where} is not a mapping with id, pillar and terms per language")
        cid = entry.get("id")
        if not isinstance(cid, str) or not ID_RE.match(cid):
            raise InputError(path, f"{where}: id {cid!r} must be lower-case letters, digits and '_'")
        where = f"concept #{i} ({cid})"
        if cid in seen_ids:
            raise InputError(path, f"{where}: id already used by concept #{seen_ids[cid]}")
        seen_ids[cid] = i
        unknown = set(entry) - {"id", "pillar", "note"} - set(codes())
        if unknown:
            raise InputError(path, f"{where}: unknown keys {sorted(unknown)} (allowed: id, pillar, note and the "
                                   f"languages {', '.join(codes())})")
        pillars = entry.get("pillar") or []
        pillars = [pillars] if isinstance(pillars, str) else pillars
        bad = [p for p in pillars if p not in PILLARS] if isinstance(pillars, list) else [pillars]
        if bad:
            raise InputError(path, f"{where}: pillar {bad} is not one of {', '.join(PILLARS)}")
        terms = []
        for lang in langs:                      # every concept has terms in every supported language
            raw = entry.get(lang)
            if not isinstance(raw, list) or not raw:
                raise InputError(path, f"{where}: '{lang}' must be a non-empty list of terms")
            clean = []
            for t in raw:
                if not isinstance(t, str) or not t.strip():
                    raise InputError(path, f"{where}: '{lang}' has an empty or non-text term {t!r}")
                t = t.strip()
                key = profile(lang).fold(t)
                if key in seen_terms[lang]:
                    raise InputError(path, f"{where}: {lang} term {t!r} is also listed under "
                                           f"{seen_terms[lang][key]!r}; a term may belong to one concept only")
                seen_terms[lang][key] = cid
                clean.append(t)
            terms.append((lang, tuple(clean)))
        concepts.append(Concept(cid, tuple(terms), tuple(dict.fromkeys(pillars))))
    return ConceptLexicon(tuple(concepts), str(path))


class ConceptMatcher:
    """Finds lexicon terms: on whole tokens (spaCy PhraseMatcher, case-insensitive where letters have case) or as
    substrings, as the language's profile says (English: tokens; Chinese: substrings). Overlapping matches
    resolve to the longest (then the leftmost)."""

    def __init__(self, lexicon: ConceptLexicon):
        self.lexicon = lexicon
        self._tokens: dict = {}                                   # lang -> PhraseMatcher, built on first use
        self._substrings: dict[str, dict[str, list[tuple[str, str]]]] = {}

    def find(self, text: str, lang: str) -> list[Hit]:
        if profile(lang).term_match == "substring":
            return self._find_substrings(text, lang)
        return self._find_tokens(text, lang)

    def _token_matcher(self, lang: str):
        if lang not in self._tokens:
            from spacy.matcher import PhraseMatcher   # here, not at the top: PILLARS and the lexicon
            from ..lang.nlp import blank              # are read by jobs that need no spaCy
            nlp = blank(lang)
            matcher = PhraseMatcher(nlp.vocab, attr="LOWER" if profile(lang).cased else "ORTH")
            for c in self.lexicon.concepts:
                if c.terms(lang):
                    matcher.add(c.id, [nlp.make_doc(t) for t in c.terms(lang)])
            self._tokens[lang] = matcher
        return self._tokens[lang]

    def _find_tokens(self, text: str, lang: str) -> list[Hit]:
        from spacy.util import filter_spans
        from ..lang.nlp import blank
        nlp = blank(lang)
        doc = nlp.make_doc(text)
        matches = self._token_matcher(lang)(doc)
        spans = [doc[s:e] for _, s, e in matches]
        labels = {(s, e): nlp.vocab.strings[m] for m, s, e in matches}
        return [Hit(labels[(sp.start, sp.end)], sp.text, sp.start_char, sp.end_char)
                for sp in sorted(filter_spans(spans), key=lambda sp: sp.start)]

    def _find_substrings(self, text: str, lang: str) -> list[Hit]:
        if lang not in self._substrings:
            index: dict[str, list[tuple[str, str]]] = {}
            for c in self.lexicon.concepts:
                for t in c.terms(lang):
                    index.setdefault(t[0], []).append((t, c.id))
            for options in index.values():
                options.sort(key=lambda x: -len(x[0]))
            self._substrings[lang] = index
        index = self._substrings[lang]
        hits, i = [], 0
        while i < len(text):
            for term, cid in index.get(text[i], ()):
                if text.startswith(term, i):
                    hits.append(Hit(cid, term, i, i + len(term)))
                    i += len(term)
                    break
            else:
                i += 1
        return hits
