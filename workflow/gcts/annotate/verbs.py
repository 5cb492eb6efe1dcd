"""Lead-in verbs of resolution paragraphs, in English and Chinese, with a strength from a configurable scale.

    from gcts.annotate.lexicon import load_verb_lexicon, load_scale
    from gcts.annotate.verbs import VerbTagger
    tagger = VerbTagger(load_verb_lexicon("workflow/resources/verbs.yaml"),
                        load_scale("workflow/resources/strength.yaml", "consensus"))
    verbs = tagger.tag(paragraphs)          # one row per paragraph, keyed by pid
    tagger.tag_text("又表示注意到秘书长的报告", "zh")   # one text

The matching is a spaCy component (factory ``gcts_verbs``) built from the lexicon: a PhraseMatcher finds every
lexicon phrase; the lead-in is read from the start of the paragraph (skipping inserts such as 在这方面) as
also-words, modifiers and one verb; later verbs right after a connector (并, "and", a comma) are secondary verbs.
For Chinese the jieba segmenter gets the lexicon phrases as extra words, so a phrase is never split differently
in a paragraph than in the lexicon. When the source marks the lead-in in bold (``marked_verb``), the bold text
is classified instead of the paragraph start.

Output columns (``COLUMNS``): verb (as printed, without also/又), verb_id, verb_en, verb_function, also, modifiers,
strength, strength_axis, verb_source ('bold' or 'lexicon'), verb_start/verb_end (character offsets of `verb` in the
paragraph's `text`), secondary_verbs (ids) and secondary_verbs_text (as printed).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..lang import profile
from ..lang.nlp import blank
from .lexicon import ROLES, Scale, VerbLexicon, check_scale

log = logging.getLogger(__name__)

FACTORY = "gcts_verbs"
COLUMNS = ["pid", "verb", "verb_id", "verb_en", "verb_function", "also", "modifiers", "strength", "strength_axis",
           "verb_source", "verb_start", "verb_end", "secondary_verbs", "secondary_verbs_text"]
SCHEMA = pa.schema([("pid", pa.string()), ("verb", pa.string()), ("verb_id", pa.string()),
                    ("verb_en", pa.string()), ("verb_function", pa.string()), ("also", pa.bool_()),
                    ("modifiers", pa.list_(pa.string())), ("strength", pa.float64()),
                    ("strength_axis", pa.string()), ("verb_source", pa.string()), ("verb_start", pa.int64()),
                    ("verb_end", pa.int64()), ("secondary_verbs", pa.list_(pa.string())),
                    ("secondary_verbs_text", pa.list_(pa.string()))])
CLAUSE_END = set(",;，；。:：")

for _name, _default in [("gcts_kind", None), ("gcts_marked", ""), ("gcts_lead", None), ("gcts_lexicon_lead", None),
                        ("gcts_secondary", None)]:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


@dataclass
class Lead:
    """The lead-in of one text: verb id, the printed verb, its character span, also, modifiers."""

    verb_id: str | None
    verb: str
    start: int
    end: int
    also: bool = False
    modifiers: list = field(default_factory=list)
    end_token: int = 0
    complete: bool = True        # the whole text was read as a lead-in (used for bold text)


class VerbComponent:
    """spaCy component: sets doc._.gcts_lead (a Lead), doc._.gcts_lexicon_lead and doc._.gcts_secondary."""

    def __init__(self, nlp: Language, lexicon: VerbLexicon):
        self.lexicon = lexicon
        self.lang = nlp.lang
        self.cased = profile(self.lang).cased
        self.make_doc = nlp.make_doc
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.phrases = {}
        for p in lexicon.phrases(self.lang):
            key = p.text.lower()
            if key not in self.phrases:
                self.phrases[key] = p
                self.matcher.add(key, [nlp.make_doc(p.text)])
        self.participle = lexicon.participle_connectors(self.lang)

    def __call__(self, doc: Doc) -> Doc:
        best = self._best(doc)
        lead = self._lead(doc, best, doc._.gcts_kind)
        doc._.gcts_lexicon_lead = lead
        start_after = lead.end_token
        marked = doc._.gcts_marked
        if marked:
            lead = self._bold(doc, marked)
            start_after = max(start_after, _token_at(doc, lead.end))
        doc._.gcts_lead = lead
        doc._.gcts_secondary = self._secondary(doc, best, start_after, doc._.gcts_kind)
        return doc

    def _best(self, doc: Doc) -> dict:
        """Longest phrase starting at each token (ties: verb before modifier before also ...)."""
        best = {}
        for key, start, end in self.matcher(doc):
            p = self.phrases[self.matcher.vocab.strings[key]]
            old = best.get(start)
            if old is None or (end, -ROLES.index(p.role)) > (old[0], -ROLES.index(old[1].role)):
                best[start] = (end, p)
        return best

    def _lead(self, doc: Doc, best: dict, kind) -> Lead:
        also, mods, pieces, verb = False, [], [], None
        i = 0
        while i < len(doc):
            tok = doc[i]
            if tok.is_space or (verb is None and not pieces and tok.is_punct):
                i += 1
                continue
            end, p = best.get(i, (None, None))
            if verb is None:
                if p is None or p.role in ("connector", "reported"):
                    break
                if p.role == "also":
                    also = True
                elif p.role == "modifier":
                    mods.append(p.id)
                    pieces.append((i, end))
                elif p.role == "verb":
                    verb = p
                    mods += [m for m in p.modifiers if m not in mods]
                    pieces.append((i, end))
                i = end
                continue
            # after the verb: English modifiers may follow ("Notes with appreciation"), "also" only in preambles
            if p is not None and self.lexicon.follows(self.lang) and (
                    p.role == "modifier" or (p.role == "also" and kind != "operative")):
                if p.role == "also":
                    also = True
                else:
                    mods.append(p.id)
                    pieces.append((i, end))
                i = end
                continue
            break
        if verb is None:                 # unknown lead-in: report the word where reading stopped
            first = next((t for t in doc[i:] if not (t.is_space or t.is_punct)), None)
            if first is None:
                return Lead(None, "", len(doc.text), len(doc.text), also, mods, len(doc), complete=False)
            return Lead(None, first.text, first.idx, first.idx + len(first.text), also, mods, first.i + 1,
                        complete=False)
        a, b = doc[pieces[0][0]].idx, doc[pieces[-1][1] - 1].idx + len(doc[pieces[-1][1] - 1].text)
        text = _join(doc, pieces)
        rest = [t for t in doc[i:] if not (t.is_space or t.is_punct)]
        return Lead(verb.id, text, a, b, also, mods, i, complete=not rest)

    def _bold(self, doc: Doc, marked: str) -> Lead:
        """Classify the source's bold lead-in; its offsets are located in the paragraph text."""
        bold = self.make_doc(marked)
        best = self._best(bold)
        lead = self._lead(bold, best, doc._.gcts_kind)
        if not lead.complete:            # not entirely lexicon phrases: keep the bold text without its also-word
            skip = best[0][0] if 0 in best and best[0][1].role == "also" else 0
            start = bold[skip].idx if skip < len(bold) else 0
            lead = Lead(None, marked[start:].strip(), start, len(marked), skip > 0, [], len(bold), complete=False)
        pos = doc.text.find(marked)
        if pos < 0:
            log.warning("bold lead-in %r is not in the paragraph text; its offsets are those within the bold", marked)
        shift = max(pos, 0)
        return Lead(lead.verb_id, lead.verb, lead.start + shift, lead.end + shift, lead.also, lead.modifiers,
                    lead.end_token, lead.complete)

    def _secondary(self, doc: Doc, best: dict, start: int, kind) -> list[dict]:
        """Verbs after the lead-in that follow a connector, skipping inserts, modifiers and also-words."""
        roles = [None] * len(doc)
        i = 0
        while i < len(doc):
            if i in best:
                end, p = best[i]
                for j in range(i, end):
                    roles[j] = (p, i, end)
                i = end
            else:
                i += 1
        found = []
        for i in range(start, len(doc)):
            if roles[i] is None or roles[i][1] != i or roles[i][0].role != "verb":
                continue
            p, _, end = roles[i]
            if self.cased and not doc[i].text[:1].islower():
                continue
            conn = self._connector_before(doc, roles, i)
            if conn is None or self._reported(doc, roles, i):
                continue
            if self.lexicon.verbs[p.id].has_kinds(self.lang):
                if p.form not in self.lexicon.verbs[p.id].secondary:
                    continue
                wanted = ("preambular" if kind == "preambular" or conn.lower() in self.participle else "operative")
                if kind is not None and p.form != wanted:
                    continue
            elif not self.lexicon.verbs[p.id].secondary:
                continue
            span = doc[i:end]
            found.append({"verb_id": p.id, "text": span.text, "start": span.start_char, "end": span.end_char})
        return found

    def _connector_before(self, doc, roles, i):
        j = i - 1
        while j >= 0:
            r = roles[j]
            if doc[j].is_space or (r and r[0].role in ("insert", "modifier", "also")):
                j = (r[1] if r else j) - 1
                continue
            if r and r[0].role == "connector":
                return doc[r[1]:r[2]].text
            return None
        return None

    def _reported(self, doc, roles, i) -> bool:
        """A reported-speech marker within reach (this clause, or as many clauses back as the lexicon says)."""
        reach, clauses, j = self.lexicon.reported_clauses(self.lang), 0, i - 1
        while j >= 0 and clauses < reach:
            if doc[j].text in CLAUSE_END:
                clauses += 1
            elif roles[j] and roles[j][0].role == "reported":
                return True
            j -= 1
        return False


def _join(doc: Doc, pieces) -> str:
    """Printed text from the first to the last piece, leaving out anything between pieces (e.g. "also")."""
    out = doc[pieces[0][0]:pieces[0][1]].text
    for (a0, a1), (b0, b1) in zip(pieces, pieces[1:]):
        gap = doc[a1:b0].text if b0 > a1 else ""
        glue = doc[a1 - 1].whitespace_ if not gap else (" " if doc[a1 - 1].whitespace_ else "")
        out += glue + doc[b0:b1].text
    return out


def _token_at(doc: Doc, char: int) -> int:
    for t in doc:
        if t.idx >= char:
            return t.i
    return len(doc)


@Language.factory(FACTORY, default_config={"lexicon": ""})
def make_verb_component(nlp: Language, name: str, lexicon: str):
    """Factory: `lexicon` is VerbLexicon.to_json() (the lexicon data and its file name)."""
    return VerbComponent(nlp, VerbLexicon.from_json(lexicon))


def build_pipeline(lexicon: VerbLexicon, lang: str) -> Language:
    """A fresh spaCy pipeline (same settings as gcts.lang.nlp.blank(lang)) with the gcts_verbs component."""
    nlp = spacy.util.load_model_from_config(blank(lang).config, auto_fill=True)
    tune = profile(lang).tune_tokenizer
    if tune is not None:                       # e.g. Chinese: jieba keeps every lexicon phrase whole
        tune(nlp, [p.text for p in lexicon.phrases(lang)])
    nlp.add_pipe(FACTORY, config={"lexicon": lexicon.to_json()})
    return nlp


class VerbTagger:
    """Lead-in verb, modifiers, strength and secondary verbs of each paragraph."""

    def __init__(self, lexicon: VerbLexicon, scale: Scale | None = None):
        if scale is not None:
            check_scale(scale, lexicon)
        self.lexicon, self.scale = lexicon, scale
        self._nlp = {}

    def pipeline(self, lang: str) -> Language:
        if lang not in self._nlp:
            self._nlp[lang] = build_pipeline(self.lexicon, lang)
        return self._nlp[lang]

    def doc(self, text: str, lang: str, kind: str | None = "operative", marked_verb: str = "") -> Doc:
        nlp = self.pipeline(lang)
        doc = nlp.make_doc(text)
        doc._.gcts_kind, doc._.gcts_marked = kind, marked_verb or ""
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        return doc

    def tag_text(self, text: str, lang: str, kind: str = "operative", marked_verb: str = "") -> dict:
        """The output columns (without pid) for one paragraph text."""
        doc = self.doc(text, lang, kind, marked_verb)
        lead, sec = doc._.gcts_lead, doc._.gcts_secondary
        verb = self.lexicon.verbs.get(lead.verb_id)
        strength, axis = self.scale.strength(lead.verb_id) if self.scale and verb else (float("nan"), None)
        return {"verb": lead.verb, "verb_id": lead.verb_id, "verb_en": verb.canonical(kind) if verb else None,
                "verb_function": verb.function if verb else None, "also": lead.also,
                "modifiers": list(lead.modifiers), "strength": strength, "strength_axis": axis,
                "verb_source": "bold" if marked_verb else "lexicon", "verb_start": lead.start,
                "verb_end": lead.end, "secondary_verbs": [s["verb_id"] for s in sec],
                "secondary_verbs_text": [s["text"] for s in sec]}

    def tag(self, paragraphs: pd.DataFrame) -> pd.DataFrame:
        """One row per paragraph (columns COLUMNS), keyed by pid, in the input order."""
        missing = [c for c in ("pid", "lang", "kind", "text") if c not in paragraphs.columns]
        if missing:
            raise ValueError(f"the paragraph table lacks columns {missing}")
        marked = paragraphs["marked_verb"] if "marked_verb" in paragraphs.columns else [""] * len(paragraphs)
        rows = [{"pid": pid, **self.tag_text(text, lang, kind, mv if isinstance(mv, str) else "")}
                for pid, lang, kind, text, mv in zip(paragraphs["pid"], paragraphs["lang"], paragraphs["kind"],
                                                     paragraphs["text"], marked)]
        return pd.DataFrame(rows, columns=COLUMNS)

    def bold_agreement(self, paragraphs: pd.DataFrame) -> pd.DataFrame:
        """For paragraphs with a bold lead-in: the bold reading next to the lexicon reading of the text."""
        rows = []
        if "marked_verb" not in paragraphs.columns:
            return pd.DataFrame(rows, columns=["pid", "bold", "bold_id", "lexicon", "lexicon_id", "agree"])
        for r in paragraphs[paragraphs["marked_verb"].fillna("") != ""].itertuples():
            doc = self.doc(r.text, r.lang, r.kind, r.marked_verb)
            b, x = doc._.gcts_lead, doc._.gcts_lexicon_lead
            rows.append({"pid": r.pid, "bold": b.verb, "bold_id": b.verb_id, "lexicon": x.verb,
                         "lexicon_id": x.verb_id,
                         "agree": (b.verb_id, b.verb, b.also, b.modifiers) == (x.verb_id, x.verb, x.also,
                                                                               x.modifiers)})
        return pd.DataFrame(rows, columns=["pid", "bold", "bold_id", "lexicon", "lexicon_id", "agree"])


def write_verbs(df: pd.DataFrame, path) -> None:
    df.to_parquet(path, index=False, schema=SCHEMA)


def verb_counts(verbs: pd.DataFrame, paragraphs: pd.DataFrame, lexicon: VerbLexicon) -> pd.DataFrame:
    """Per doc x lang x kind x verb_id: paragraphs with that lead-in, and its occurrences as a secondary verb.
    Unknown lead-ins are counted under an empty verb_id."""
    keys = ["doc", "review", "lang", "kind"]
    t = paragraphs[["pid"] + keys].merge(verbs, on="pid", validate="one_to_one")
    t["verb_id"] = t["verb_id"].fillna("")
    lead = t.groupby(keys + ["verb_id"]).size().rename("paragraphs")
    sec = t[keys + ["secondary_verbs"]].explode("secondary_verbs").dropna(subset=["secondary_verbs"])
    sec = sec.groupby(keys + ["secondary_verbs"]).size().rename("secondary")
    sec.index = sec.index.set_names(keys + ["verb_id"])
    out = pd.concat([lead, sec], axis=1).fillna(0).astype(int).reset_index()
    verb = out["verb_id"].map(lexicon.verbs.get)
    out.insert(5, "verb_en", [v.canonical(k) if v else "" for v, k in zip(verb, out["kind"])])
    out.insert(6, "verb_function", [v.function if v else "" for v in verb])
    return out.sort_values(keys + ["verb_id"]).reset_index(drop=True)


UNKNOWN_COLUMNS = ["pid", "doc", "lang", "kind", "number", "verb_source", "lead_in", "text_start", "file"]


def unknown_verbs(verbs: pd.DataFrame, paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Paragraphs whose lead-in is not in the lexicon (to extend the lexicon for a new document)."""
    bad = verbs[verbs["verb_id"].isna()]
    t = paragraphs.merge(bad, on="pid")
    out = pd.DataFrame({"pid": t["pid"], "doc": t["doc"], "lang": t["lang"], "kind": t["kind"],
                        "number": t["number"], "verb_source": t["verb_source"], "lead_in": t["verb"],
                        "text_start": t["text"].str.slice(0, 60), "file": t["file"]}, columns=UNKNOWN_COLUMNS)
    return out
