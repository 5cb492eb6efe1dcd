"""The verb lexicon (workflow/resources/verbs.yaml) and the strength scales (workflow/resources/strength.yaml).

``load_verb_lexicon(path)`` and ``load_scale(path, name)`` read and check the files; ``VerbLexicon.phrases(lang)`` lists
every phrase the matcher looks for (verb forms with their slots filled in, modifiers, "also" words, inserts,
connectors and reported-speech markers).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import jsonschema

from ..errors import InputError
from ..lang import CANONICAL, codes, profile
from ..resources import read_yaml

ROLES = ("verb", "modifier", "also", "insert", "connector", "reported")   # tie-break order for equal spans
LANG_KEY = "^(?!id$)[a-z]{2}$"   # a language code ("id" is the entry key); codes without a profile are refused

_words = {"type": "array", "items": {"type": "string", "minLength": 1}}
_per_lang = {"type": "object", "additionalProperties": False, "patternProperties": {LANG_KEY: _words}}
_form = {"oneOf": [{"type": "string", "minLength": 1},
                   {"type": "object", "additionalProperties": False, "required": ["form"],
                    "properties": {"form": {"type": "string", "minLength": 1}, "modifiers": _words}}]}
# A verb's forms in one language: one list, or separate operative ("Urges") and preambular ("Urging") forms.
_verb_forms = {"oneOf": [{"type": "array", "items": _form},
                         {"type": "object", "additionalProperties": False, "required": ["operative", "preambular"],
                          "properties": {"operative": {"type": "array", "items": _form},
                                         "preambular": {"type": "array", "items": _form, "minItems": 1}}}]}
LEXICON_SCHEMA = {
    "type": "object",
    "required": ["functions", "also", "modifiers", "modifiers_follow_verb", "slot_fillers", "inserts",
                 "connectors", "participle_connectors", "reported", "reported_clauses", "verbs"],
    "additionalProperties": False,
    "properties": {
        "functions": {"type": "object", "minProperties": 1, "additionalProperties": {"type": "string"}},
        "also": _per_lang, "slot_fillers": _per_lang, "inserts": _per_lang, "connectors": _per_lang,
        "reported": _per_lang, "participle_connectors": _per_lang,
        "modifiers": {"type": "object", "additionalProperties": _per_lang},
        "reported_clauses": {"type": "object", "additionalProperties": False,
                             "patternProperties": {LANG_KEY: {"type": "integer", "minimum": 1}}},
        "modifiers_follow_verb": {"type": "object", "additionalProperties": False,
                                  "patternProperties": {LANG_KEY: {"type": "boolean"}}},
        "verbs": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["id", "function"],
            "minProperties": 3,
            "patternProperties": {LANG_KEY: _verb_forms},
            "properties": {
                "id": {"type": "string", "pattern": "^[a-z][a-z_]*$"},
                "function": {"type": "string"},
                "note": {"type": "string"},
                "secondary": {"type": "array", "items": {"enum": ["operative", "preambular"]}}}}},
    },
}
VERB_KEYS = {"id", "function", "note", "secondary"}


def _schema_error(source, data, schema) -> None:
    """The first problem (by place), told from inside the alternative that fits best (jsonschema's best_match)."""
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.path))
    if errors:
        e = jsonschema.exceptions.best_match([errors[0]])
        where = "/".join(str(p) for p in e.absolute_path) or "(top level)"
        raise InputError(source, f"{where}: {e.message}")


def _read_yaml(path) -> dict:
    return read_yaml(path)


@dataclass(frozen=True)
class Verb:
    id: str
    function: str
    forms: dict           # language -> {"operative": (...), "preambular": (...)} or {"": (...)}: one list for both
    note: str = ""
    secondary: tuple = ("operative", "preambular")   # forms that count as secondary verbs (where forms have kinds)

    def canonical(self, kind: str = "operative") -> str:
        """Canonical lead-in (of the canonical language, gcts.lang.CANONICAL) for a paragraph of this kind."""
        forms = self.forms.get(CANONICAL, {})
        chosen = forms.get(kind) or forms.get("preambular") or forms.get("") or (self.id.replace("_", " "),)
        return _plain(chosen[0]).replace("{mod} ", "")

    def has_kinds(self, lang: str) -> bool:
        """Whether the language's forms differ between operative and preambular paragraphs."""
        return "" not in self.forms.get(lang, {"": ()})


@dataclass(frozen=True)
class Phrase:
    """One string the matcher looks for."""

    text: str
    lang: str
    role: str                   # one of ROLES
    id: str = ""                # verb id or modifier id
    form: str = ""              # 'operative' / 'preambular' for English verb forms
    modifiers: tuple = ()       # modifiers the form itself carries


def _plain(form) -> str:
    return form if isinstance(form, str) else form["form"]


@dataclass
class VerbLexicon:
    source: str
    data: dict = field(repr=False)
    verbs: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict, source="lexicon") -> "VerbLexicon":
        _schema_error(source, data, LEXICON_SCHEMA)
        _check_languages(source, data)
        lex = cls(str(source), data)
        for i, v in enumerate(data["verbs"]):
            where = f"verbs[{i}] ({v['id']})"
            if v["id"] in lex.verbs:
                raise InputError(source, f"{where}: the id is used twice")
            if v["function"] not in data["functions"]:
                raise InputError(source, f"{where}: function {v['function']!r} is not one of "
                                         f"{sorted(data['functions'])}")
            forms = {lang: ({"": tuple(f)} if isinstance(f, list) else {k: tuple(x) for k, x in f.items()})
                     for lang, f in v.items() if lang not in VERB_KEYS}
            for form in (f for per in forms.values() for kind in per.values() for f in kind):
                for m in ([] if isinstance(form, str) else form.get("modifiers", [])):
                    if m not in data["modifiers"]:
                        raise InputError(source, f"{where}: form {_plain(form)!r} names unknown modifier {m!r}")
            lex.verbs[v["id"]] = Verb(v["id"], v["function"], forms, v.get("note", ""),
                                      tuple(v.get("secondary", ("operative", "preambular"))))
        for lang in lex.languages():
            lex._check_conflicts(lang)
        return lex

    def to_json(self) -> str:
        return json.dumps({"source": self.source, "data": self.data}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "VerbLexicon":
        obj = json.loads(text)
        return cls.from_dict(obj["data"], obj["source"])

    def languages(self) -> list[str]:
        """The languages the lexicon has verb forms for."""
        return sorted({lang for v in self.verbs.values() for lang in v.forms})

    def follows(self, lang: str) -> bool:
        """Whether modifiers may follow the verb in this language."""
        return bool(self.data["modifiers_follow_verb"].get(lang, False))

    def reported_clauses(self, lang: str) -> int:
        """How many clauses a reported-speech marker reaches (its own = 1)."""
        return int(self.data["reported_clauses"].get(lang, 1))

    def participle_connectors(self, lang: str) -> set:
        return {w.lower() for w in self.data["participle_connectors"].get(lang, [])}

    def phrases(self, lang: str) -> list[Phrase]:
        """Every phrase of the language, slots expanded; duplicates removed."""
        prof = profile(lang)
        d = self.data
        out = []
        mods = [(mid, f) for mid, per in d["modifiers"].items() for f in per.get(lang, [])]
        for mid, f in mods:
            out.append(Phrase(f, lang, "modifier", mid))
        for role in ("also", "insert", "connector", "reported"):
            key = {"also": "also", "insert": "inserts", "connector": "connectors", "reported": "reported"}[role]
            out += [Phrase(w, lang, role) for w in d[key].get(lang, [])]
        fillers = d["slot_fillers"].get(lang, [])
        sep = prof.joiner
        slot_options = [("", ())] + [(f, ()) for f in fillers] + [(f, (mid,)) for mid, f in mods] + \
                       [(a + sep + f, (mid,)) for a in fillers for mid, f in mods]
        for v in self.verbs.values():
            forms = [(f, kind) for kind, fs in v.forms.get(lang, {}).items() for f in fs]
            for form, kind in forms:
                text, implied = _plain(form), tuple(() if isinstance(form, str) else form.get("modifiers", ()))
                if "{mod}" not in text:
                    out.append(Phrase(text, lang, "verb", v.id, kind, implied))
                    continue
                for fill, extra in slot_options:
                    filled = text.replace("{mod}", fill)
                    filled = " ".join(filled.split()) if prof.spaced else filled
                    out.append(Phrase(filled, lang, "verb", v.id, kind, implied + extra))
        seen, unique = set(), []
        for p in out:
            key = (p.text.lower(), p.role, p.id, p.form, p.modifiers)
            if key not in seen:
                seen.add(key)
                unique.append(p)
        return unique

    def _check_conflicts(self, lang: str) -> None:
        owner = {}
        for p in self.phrases(lang):
            if p.role == "verb" and "{" in p.text:
                raise InputError(self.source, f"verb {p.id}: form {p.text!r} has an unknown slot (only {{mod}})")
            key = p.text.lower()
            claim = (p.role, p.id)
            if key in owner and owner[key] != claim:
                raise InputError(self.source, f"{lang} phrase {p.text!r} belongs to both {owner[key]} and {claim}; "
                                              "a phrase may have one meaning only")
            owner[key] = claim


def load_verb_lexicon(path) -> VerbLexicon:
    """Read and check the verb lexicon (YAML)."""
    return VerbLexicon.from_dict(_read_yaml(path), path)


def _check_languages(source, data: dict) -> None:
    """Every language key of the lexicon must have a profile (gcts.lang)."""
    keys = {k for sec in ("also", "slot_fillers", "inserts", "connectors", "reported", "participle_connectors",
                          "reported_clauses", "modifiers_follow_verb") for k in data[sec]}
    keys |= {k for per in data["modifiers"].values() for k in per}
    keys |= {k for v in data["verbs"] for k in v if k not in VERB_KEYS}
    unknown = sorted(keys - set(codes()))
    if unknown:
        raise InputError(source, f"languages {unknown} have no profile (supported: {', '.join(codes())})")


# ---------------------------------------------------------------- strength scales

_level = {"type": "object", "additionalProperties": False, "required": ["verbs", "source"],
          "properties": {"verbs": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                         "source": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
                         "why": {"type": "string"}}}
SCALES_SCHEMA = {
    "type": "object", "required": ["sources", "scales"], "additionalProperties": False,
    "properties": {
        "sources": {"type": "object", "additionalProperties": {"type": "string"}},
        "scales": {"type": "object", "minProperties": 1, "additionalProperties": {
            "type": "object", "required": ["description", "axes"], "additionalProperties": False,
            "properties": {"description": {"type": "string"},
                           "axes": {"type": "object", "minProperties": 1, "additionalProperties": {
                               "type": "object", "required": ["levels"], "additionalProperties": False,
                               "properties": {"description": {"type": "string"},
                                              "levels": {"type": "array", "minItems": 1, "items": _level}}}}}}},
    },
}


@dataclass(frozen=True)
class Scale:
    """One ordering of verb ids (weak -> strong) on separate axes."""

    name: str
    source: str
    description: str
    axes: dict            # axis -> tuple of levels, each a tuple of verb ids
    citations: dict       # level sources -> text

    def strength(self, verb_id) -> tuple[float, str | None]:
        """(strength in (0, 1], axis) of a verb id; (NaN, None) when the verb is on no axis."""
        for axis, levels in self.axes.items():
            for i, level in enumerate(levels):
                if verb_id in level:
                    return (i + 1) / len(levels), axis
        return math.nan, None

    def verb_ids(self) -> set:
        return {v for levels in self.axes.values() for level in levels for v in level}


def load_scale(path, name: str) -> Scale:
    """Read one named scale of the scales file (YAML)."""
    data = _read_yaml(path)
    _schema_error(path, data, SCALES_SCHEMA)
    if name not in data["scales"]:
        raise InputError(path, f"no scale named {name!r}; the file defines {sorted(data['scales'])}")
    spec = data["scales"][name]
    seen = {}
    axes = {}
    for axis, body in spec["axes"].items():
        levels = []
        for i, level in enumerate(body["levels"]):
            srcs = [level["source"]] if isinstance(level["source"], str) else level["source"]
            for s in srcs:
                if s not in data["sources"]:
                    raise InputError(path, f"scale {name}, axis {axis}, level {i + 1}: source {s!r} is not "
                                           f"listed under `sources` {sorted(data['sources'])}")
            for v in level["verbs"]:
                if v in seen:
                    raise InputError(path, f"scale {name}: verb {v!r} is on {seen[v]} and on {axis} level {i + 1}; "
                                           "a verb may have one place per scale")
                seen[v] = f"{axis} level {i + 1}"
            levels.append(tuple(level["verbs"]))
        axes[axis] = tuple(levels)
    return Scale(name, str(path), spec["description"], axes, dict(data["sources"]))


def check_scale(scale: Scale, lexicon: VerbLexicon) -> None:
    """Every verb id of the scale must be a lexicon verb."""
    unknown = sorted(scale.verb_ids() - set(lexicon.verbs))
    if unknown:
        raise InputError(scale.source, f"scale {scale.name} names verbs that are not in {lexicon.source}: {unknown}")
