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
from sklearn.model_selection import GridSearchCV, StratifiedGroupKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils.validation import check_is_fitted

from .concepts import PILLARS, ConceptMatcher, Lexicon

__all__ = ["PILLARS", "ConceptFeatures", "LanguageNgrams", "chosen", "explain", "fitted_pipeline",
           "heading_labels", "make_model", "make_search", "weights_table"]

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
    pillar: the sum of the values of the present concepts pointing to it (a concept pointing to k
    pillars counts 1/k for each).

    A term found at relative position p (0 to 1) of the paragraph weighs exp(-position_decay * p):
    1 when the paragraph opens with it, less further on, as the subject of a resolution paragraph
    comes first (position_decay=0: no weighting). A concept's value is the weight of its first term
    (counts=False) or log(1 + the sum of the weights of all its terms) (counts=True).
    hint_shares=True divides the pillar columns by their sum: each pillar's share of the paragraph's
    pillar-hinted concepts. The same concept has the same column whatever the language, which is
    what carries a model across languages."""

    def __init__(self, lexicon: Lexicon | None = None, hints: bool = True, position_decay: float = 1.0,
                 counts: bool = False, hint_shares: bool = False):
        self.lexicon = lexicon
        self.hints = hints
        self.position_decay = position_decay
        self.counts = counts
        self.hint_shares = hint_shares

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

    def values(self, X) -> np.ndarray:
        """The concept columns (rows x concepts), without the pillar columns."""
        col = {c: j for j, c in enumerate(self.concepts_)}
        out = np.zeros((len(X), len(self.concepts_)))
        for i, (found, text) in enumerate(zip(self.hits(X), X["text"])):
            for h in found:
                j, w = col[h.concept], np.exp(-self.position_decay * h.start / max(len(text), 1))
                out[i, j] = out[i, j] + w if self.counts else max(out[i, j], w)
        return np.log1p(out) if self.counts else out

    def _scale(self, values: np.ndarray) -> np.ndarray:
        """Per row, the factor applied to the pillar columns (1, or 1 / their sum for shares)."""
        if not self.hint_shares:
            return np.ones(len(values))
        total = (values @ self.hint_matrix_).sum(axis=1)
        return np.divide(1.0, total, out=np.zeros_like(total), where=total > 0)

    def transform(self, X):
        v = self.values(X)
        hints = (v @ self.hint_matrix_) * self._scale(v)[:, None]
        return sparse.csr_matrix(np.hstack([v, hints]))

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "concepts_")
        names = [f"concept:{c}" for c in self.concepts_]
        names += [f"hint:{p}" for p in PILLARS][:self.hint_matrix_.shape[1]]
        return np.array(names, dtype=object)

    def concept_weights(self, coef: np.ndarray) -> np.ndarray:
        """Per class and concept, the effect of a unit of the concept on the class score: its own
        weight plus its share of the hint weights (with hint_shares: as if it were the paragraph's
        only pillar-hinted concept)."""
        n = len(self.concepts_)
        return coef[:, :n] + coef[:, n:n + self.hint_matrix_.shape[1]] @ self.hint_matrix_.T

    def contributions(self, X, coef: np.ndarray) -> np.ndarray:
        """Exact additive split of the linear class scores over concepts (rows x classes x concepts):
        value x own weight + value x its hint weights x the row's hint scale."""
        v = self.values(X)
        n = len(self.concepts_)
        own = coef[:, :n]
        via_hints = coef[:, n:n + self.hint_matrix_.shape[1]] @ self.hint_matrix_.T
        return v[:, None, :] * (own[None] + via_hints[None] * self._scale(v)[:, None, None])


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
               position_decay: float = 1.0, counts: bool = False, hint_shares: bool = False,
               seed: int = 0) -> Pipeline:
    """Concept features (+ pillar hints) (+ English word n-grams) -> multinomial logistic regression."""
    return Pipeline([
        ("features", FeatureUnion([("concepts", ConceptFeatures(lexicon, hints, position_decay, counts, hint_shares)),
                                   ("ngrams", LanguageNgrams("en") if ngrams else "drop")])),
        ("clf", LogisticRegression(C=C, class_weight="balanced", max_iter=5000, random_state=seed)),
    ])


GRID_KEYS = {"C": "clf__C", "position_decay": "features__concepts__position_decay",
             "counts": "features__concepts__counts", "hint_shares": "features__concepts__hint_shares"}


def make_search(lexicon: Lexicon, grid: dict, inner_folds: int, seed: int = 0) -> GridSearchCV:
    """The concept model with its settings chosen by an inner grouped, stratified cross-validation
    (macro-F1) on whatever it is fitted on; fit it with groups=... (near-duplicate groups).
    `grid` maps C, position_decay, counts, hint_shares to the lists of values to try."""
    unknown = set(grid) - set(GRID_KEYS)
    if unknown:
        raise ValueError(f"unknown grid keys {sorted(unknown)} (allowed: {', '.join(GRID_KEYS)})")
    return GridSearchCV(make_model(lexicon, seed=seed), {GRID_KEYS[k]: list(v) for k, v in grid.items()},
                        scoring="f1_macro",
                        cv=StratifiedGroupKFold(n_splits=inner_folds, shuffle=True, random_state=seed),
                        error_score="raise")


def chosen(model) -> dict:
    """The settings a fitted search chose, by their grid names ({} for a plain model)."""
    if not isinstance(model, GridSearchCV):
        return {}
    names = {v: k for k, v in GRID_KEYS.items()}
    return {names[k]: v for k, v in model.best_params_.items()}


def fitted_pipeline(model) -> Pipeline:
    return model.best_estimator_ if isinstance(model, GridSearchCV) else model


def uses_ngrams(model: Pipeline) -> bool:
    return model.named_steps["features"].get_params()["ngrams"] != "drop"


# --- predictions and explanations -----------------------------------------------------------------

def explain(model: Pipeline, X: pd.DataFrame, n_terms: int = 3) -> pd.DataFrame:
    """Per row: pillar, its probability, the probability of every class, and the concepts that
    pushed the chosen class most: a concept's contribution to a class score (its value times its own
    and its hint weights, see ConceptFeatures.contributions) minus its mean contribution over the
    classes. `pillar_terms` gives each such concept's term as written in the paragraph (its most
    frequent one), `pillar_concepts` the concept ids."""
    X = _texts(X)
    model = fitted_pipeline(model)
    check_is_fitted(model)
    probs = model.predict_proba(X)
    classes = list(model.classes_)
    chosen_k = probs.argmax(axis=1)
    concepts = model.named_steps["features"].transformer_list[0][1]
    contrib = concepts.contributions(X, _coef(model))
    contrib = contrib - contrib.mean(axis=1, keepdims=True)
    index = {c: j for j, c in enumerate(concepts.concepts_)}
    terms, ids = [], []
    for i, (k, found) in enumerate(zip(chosen_k, concepts.hits(X))):
        by_concept: dict[str, list[str]] = {}
        for h in found:
            by_concept.setdefault(h.concept, []).append(h.term)
        push = {c: contrib[i, k, index[c]] for c in by_concept}
        top = [c for c in sorted(push, key=lambda c: -push[c]) if push[c] > 0][:n_terms]
        ids.append(top)
        terms.append([max(dict.fromkeys(by_concept[c]), key=by_concept[c].count) for c in top])
    out = pd.DataFrame({"pillar": [classes[k] for k in chosen_k], "pillar_prob": probs.max(axis=1)},
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
    model = fitted_pipeline(model)
    concepts = model.named_steps["features"].transformer_list[0][1]
    coef = concepts.concept_weights(_coef(model))
    rows = [{"model": name, "concept": c, "pillar": p, "weight": float(coef[k, j])}
            for k, p in enumerate(model.classes_) for j, c in enumerate(concepts.concepts_)]
    return pd.DataFrame(rows)
