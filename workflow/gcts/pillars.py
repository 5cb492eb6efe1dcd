"""Strategy pillar of a paragraph: labels from a resolution's own headings, a bilingual classifier
(scikit-learn Pipeline), and per-paragraph explanations.

Classes: G (the Strategy as a whole) and the four pillars of the Plan of Action, I to IV.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils.validation import check_is_fitted

from .concepts import PILLARS, ConceptMatcher, Lexicon

__all__ = ["PILLARS", "ConceptFeatures", "LanguageNgrams", "explain", "heading_labels", "make_model",
           "weights_table"]

HEADING = {"en": re.compile(r"^\s*Pillar\s+(IV|III|II|I)\b"),
           "zh": re.compile(r"^\s*支柱\s*(一|二|三|四)")}
ZH_NUMERALS = {"一": "I", "二": "II", "三": "III", "四": "IV"}


# --- labels ---------------------------------------------------------------------------------------

def heading_label(section: str, lang: str) -> str:
    """'Pillar III: measures to ...' -> 'III'; '' when the heading is not a pillar heading."""
    m = HEADING.get(lang, HEADING["en"]).match(section or "")
    if not m:
        return ""
    return ZH_NUMERALS.get(m.group(1), m.group(1))


def heading_labels(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Labels a resolution gives itself: operative paragraphs under a pillar heading get that pillar;
    operative paragraphs before the first pillar heading get G. Only documents with pillar headings
    are labelled. Returns pid, label, label_source ('heading' or '')."""
    out = pd.DataFrame({"pid": paragraphs["pid"], "label": "", "label_source": ""})
    for _, doc in paragraphs[paragraphs["kind"] == "operative"].groupby(["doc", "lang"]):
        pillar = [heading_label(s, lang) for s, lang in zip(doc["section"], doc["lang"])]
        numbers = [n for n, p in zip(doc["number"], pillar) if p]
        if not numbers:
            continue
        first = min(numbers)
        for idx, number, section, p in zip(doc.index, doc["number"], doc["section"], pillar):
            label = p or ("G" if number < first and not section else "")
            if label:
                out.loc[idx, ["label", "label_source"]] = [label, "heading"]
    return out


# --- features -------------------------------------------------------------------------------------

def _texts(X) -> pd.DataFrame:
    if not isinstance(X, pd.DataFrame) or not {"text", "lang"} <= set(X.columns):
        raise ValueError("expected a DataFrame with columns 'text' and 'lang'")
    return X


@lru_cache(maxsize=8)
def _matcher(lexicon: Lexicon) -> ConceptMatcher:
    return ConceptMatcher(lexicon)


@lru_cache(maxsize=50_000)
def _hits(lexicon: Lexicon, text: str, lang: str) -> tuple:
    """Terms found in a text (a pure function of its arguments, cached: cross-validation asks
    for the same paragraphs many times)."""
    return tuple(_matcher(lexicon).find(text, lang))


class ConceptFeatures(TransformerMixin, BaseEstimator):
    """Text of either language -> one column per lexicon concept, then (hints=True) one column per
    pillar: the sum of the present concepts pointing to it (a concept pointing to k pillars counts
    1/k for each). A concept's value is exp(-position_decay * p), p the relative position (0 to 1) of
    its first occurrence in the paragraph: 1 when the paragraph opens with it, less further on, as
    the subject of a resolution paragraph comes first (position_decay=0: plain presence 0/1).
    The same concept has the same column whatever the language, which is what carries a model
    across languages."""

    def __init__(self, lexicon: Lexicon | None = None, hints: bool = True, position_decay: float = 1.0):
        self.lexicon = lexicon
        self.hints = hints
        self.position_decay = position_decay

    def fit(self, X, y=None):
        _texts(X)
        if self.lexicon is None:
            raise ValueError("ConceptFeatures needs a lexicon (gcts.concepts.load_lexicon)")
        self.concepts_ = np.array(self.lexicon.ids, dtype=object)
        hint = np.zeros((len(self.concepts_), len(PILLARS)))
        for j, c in enumerate(self.lexicon.concepts):
            for p in c.pillars:
                hint[j, PILLARS.index(p)] = 1 / len(c.pillars)
        self.hint_matrix_ = hint if self.hints else hint[:, :0]
        return self

    def hits(self, X) -> list[tuple]:
        """The terms found in each row (gcts.concepts.Hit: concept, term, start, end)."""
        check_is_fitted(self, "concepts_")
        X = _texts(X)
        return [_hits(self.lexicon, t, lang) for t, lang in zip(X["text"], X["lang"])]

    def transform(self, X):
        col = {c: j for j, c in enumerate(self.concepts_)}
        rows, cols, vals = [], [], []
        for i, (found, text) in enumerate(zip(self.hits(X), X["text"])):
            first: dict[int, int] = {}
            for h in found:
                first.setdefault(col[h.concept], h.start)
            for j, start in sorted(first.items()):
                rows.append(i)
                cols.append(j)
                vals.append(np.exp(-self.position_decay * start / max(len(text), 1)))
        present = sparse.csr_matrix((vals, (rows, cols)), shape=(len(X), len(self.concepts_)))
        return sparse.hstack([present, present @ self.hint_matrix_]).tocsr()

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "concepts_")
        names = [f"concept:{c}" for c in self.concepts_]
        names += [f"hint:{p}" for p in PILLARS][:self.hint_matrix_.shape[1]]
        return np.array(names, dtype=object)

    def concept_weights(self, coef: np.ndarray) -> np.ndarray:
        """Per class and concept, the effect of the concept's presence on the class score: its own
        weight plus its share of the hint weights (the features are linear in presence)."""
        n = len(self.concepts_)
        return coef[:, :n] + coef[:, n:n + self.hint_matrix_.shape[1]] @ self.hint_matrix_.T


class LanguageNgrams(TransformerMixin, BaseEstimator):
    """Word n-gram TF-IDF of the paragraphs in one language; rows in other languages are all zero."""

    def __init__(self, lang: str = "en", ngram_range=(1, 2), min_df: int = 2):
        self.lang = lang
        self.ngram_range = ngram_range
        self.min_df = min_df

    def fit(self, X, y=None):
        X = _texts(X)
        mine = X.loc[X["lang"] == self.lang, "text"]
        if mine.empty:
            raise ValueError(f"LanguageNgrams({self.lang!r}): no training paragraph in that language")
        self.vectorizer_ = TfidfVectorizer(ngram_range=tuple(self.ngram_range), min_df=self.min_df,
                                           sublinear_tf=True, stop_words="english" if self.lang == "en" else None)
        self.vectorizer_.fit(mine)
        return self

    def transform(self, X):
        check_is_fitted(self, "vectorizer_")
        X = _texts(X)
        keep = sparse.diags((X["lang"] == self.lang).to_numpy(dtype=float))
        return (keep @ self.vectorizer_.transform(X["text"])).tocsr()

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "vectorizer_")
        return np.array([f"{self.lang}:{w}" for w in self.vectorizer_.get_feature_names_out()], dtype=object)


def make_model(lexicon: Lexicon, ngrams: bool = False, hints: bool = True, C: float = 1.0,
               position_decay: float = 1.0, seed: int = 0) -> Pipeline:
    """Concept features (+ pillar hints) (+ English word n-grams) -> multinomial logistic regression."""
    return Pipeline([
        ("features", FeatureUnion([("concepts", ConceptFeatures(lexicon, hints, position_decay)),
                                   ("ngrams", LanguageNgrams("en") if ngrams else "drop")])),
        ("clf", LogisticRegression(C=C, class_weight="balanced", max_iter=5000, random_state=seed)),
    ])


def uses_ngrams(model: Pipeline) -> bool:
    return model.named_steps["features"].get_params()["ngrams"] != "drop"


# --- predictions and explanations -----------------------------------------------------------------

def explain(model: Pipeline, X: pd.DataFrame, n_terms: int = 3) -> pd.DataFrame:
    """Per row: pillar, its probability, the probability of every class, and the concepts that
    pushed the chosen class most: contribution = concept value x (its weight for the class minus
    its mean weight over classes), hints included. `pillar_terms` gives each such concept's term as
    written in the paragraph (its most frequent one), `pillar_concepts` the concept ids."""
    X = _texts(X)
    check_is_fitted(model)
    probs = model.predict_proba(X)
    classes = list(model.classes_)
    chosen = probs.argmax(axis=1)
    concepts = model.named_steps["features"].transformer_list[0][1]
    weights = concepts.concept_weights(_coef(model))
    weights = weights - weights.mean(axis=0, keepdims=True)
    values = concepts.transform(X)[:, :len(concepts.concepts_)].toarray()
    index = {c: j for j, c in enumerate(concepts.concepts_)}
    terms, ids = [], []
    for i, (k, found) in enumerate(zip(chosen, concepts.hits(X))):
        by_concept: dict[str, list[str]] = {}
        for h in found:
            by_concept.setdefault(h.concept, []).append(h.term)
        push = {c: values[i, index[c]] * weights[k, index[c]] for c in by_concept}
        top = [c for c in sorted(push, key=lambda c: -push[c]) if push[c] > 0][:n_terms]
        ids.append(top)
        terms.append([max(dict.fromkeys(by_concept[c]), key=by_concept[c].count) for c in top])
    out = pd.DataFrame({"pillar": [classes[k] for k in chosen], "pillar_prob": probs.max(axis=1)},
                       index=X.index)
    for p in PILLARS:
        out[f"prob_{p}"] = probs[:, classes.index(p)] if p in classes else 0.0
    out["pillar_terms"] = terms
    out["pillar_concepts"] = ids
    return out


def _coef(model: Pipeline) -> np.ndarray:
    coef = model.named_steps["clf"].coef_
    return np.vstack([-coef[0], coef[0]]) if coef.shape[0] == 1 else coef   # two classes: one row


def weights_table(model: Pipeline, name: str) -> pd.DataFrame:
    """Concept weights of a fitted model (own weight + share of the hint weights): one row per
    concept and class."""
    concepts = model.named_steps["features"].transformer_list[0][1]
    coef = concepts.concept_weights(_coef(model))
    rows = [{"model": name, "concept": c, "pillar": p, "weight": float(coef[k, j])}
            for k, p in enumerate(model.classes_) for j, c in enumerate(concepts.concepts_)]
    return pd.DataFrame(rows)
