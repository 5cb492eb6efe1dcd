"""Strategy pillar of a paragraph: labels from a resolution's own headings, a bilingual classifier
(scikit-learn Pipeline), and per-paragraph explanations.

Classes: G (the Strategy as a whole) and the four pillars of the Plan of Action, I to IV.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedGroupKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils.validation import check_is_fitted

from ..lang import CANONICAL, profile
from .concepts import PILLARS, ConceptLexicon, ConceptMatcher

__all__ = ["PILLARS", "ConceptFeatures", "LanguageNgrams", "LexiconPriorClassifier", "chosen", "explain", "fitted_pipeline",
           "heading_labels", "load_follow_up", "load_general", "make_model", "make_search", "weights_table", "with_context"]



# --- labels ---------------------------------------------------------------------------------------

def heading_label(section: str, lang: str) -> str:
    """'Pillar III: measures to ...' -> 'III'; '' when the heading is not a pillar heading."""
    prof = profile(lang)
    m = prof.pillar_heading.match(section or "")
    if not m:
        return ""
    return prof.pillar_numerals.get(m.group(1), m.group(1))


def heading_labels(paragraphs: pd.DataFrame, follow_up: dict | None = None,
                   general: dict | None = None) -> pd.DataFrame:
    """Labels a resolution gives itself: operative paragraphs (or those of an annexed text, as the
    Plan of Action annexed to 60/288) under a pillar heading get that pillar; those before the first
    pillar heading get G. Only documents with pillar headings are labelled. With `follow_up`
    ({lang: [phrase, ...]}, see load_follow_up), the closing run of a headed document's paragraphs
    that open with one of those phrases (the request for the next report, the agenda item) gets G:
    they follow the last heading but concern the resolution as a whole. With `general` ({lang: [phrase, ...]},
    see load_general), a headed paragraph that opens with one of those phrases (taking note of the
    Secretary-General's report on the Strategy) gets G wherever it stands: G is the Strategy as a whole, its
    reviews and reports. Returns pid, label, label_source ('heading' or '')."""
    out = pd.DataFrame({"pid": paragraphs["pid"], "label": "", "label_source": ""})
    for _, doc in paragraphs[paragraphs["kind"].isin(["operative", "annex"])].groupby(["doc", "lang", "kind"]):
        doc = doc.sort_values("number")
        pillar = [heading_label(s, lang) for s, lang in zip(doc["section"], doc["lang"])]
        numbers = [n for n, p in zip(doc["number"], pillar) if p]
        if not numbers:
            continue
        first = min(numbers)
        closing = _closing(doc, follow_up or {}) | _opening(doc, general or {})
        for idx, number, section, p in zip(doc.index, doc["number"], doc["section"], pillar):
            label = "G" if idx in closing else p or ("G" if number < first and not section else "")
            if label:
                out.loc[idx, ["label", "label_source"]] = [label, "heading"]
    return out


def _closing(doc: pd.DataFrame, follow_up: dict) -> set:
    """Index of the closing run of follow-up paragraphs (in number order) of one document."""
    found = []
    for idx, text, lang in zip(doc.index[::-1], doc["text"].iloc[::-1], doc["lang"].iloc[::-1]):
        head = text.lstrip()[:120].lower()
        if not any(head.startswith(ph.lower()) for ph in follow_up.get(lang, ())):
            break
        found.append(idx)
    return set(found)


def _opening(doc: pd.DataFrame, phrases: dict) -> set:
    """Index of the paragraphs of one document that open with one of the phrases of their language."""
    return {idx for idx, text, lang in zip(doc.index, doc["text"], doc["lang"])
            if any(text.lstrip()[:160].lower().startswith(ph.lower()) for ph in phrases.get(lang, ()))}


def load_general(path) -> dict:
    """The `general` phrases of the pillar lexicon file: {lang: (phrase, ...)} (empty when absent)."""
    return _phrases(path, "general")


def load_follow_up(path) -> dict:
    """The `follow_up` phrases of the pillar lexicon file: {lang: (phrase, ...)} (empty when absent)."""
    return _phrases(path, "follow_up")


def _phrases(path, key: str) -> dict:
    from ..errors import InputError
    from ..resources import read_yaml
    data = read_yaml(path, "pillar-concept lexicon").get(key) or {}
    if not isinstance(data, dict) or not all(isinstance(v, list) and all(isinstance(t, str) and t.strip() for t in v)
                                             for v in data.values()):
        raise InputError(path, f"{key} must map a language to a list of phrases")
    return {lang: tuple(t.strip() for t in v) for lang, v in data.items()}


# --- features -------------------------------------------------------------------------------------

def _texts(X, *columns: str) -> pd.DataFrame:
    need = {*(columns or ["text"]), "lang"}
    if not isinstance(X, pd.DataFrame) or not need <= set(X.columns):
        raise ValueError(f"expected a DataFrame with columns {sorted(need)}")
    return X


def with_context(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Columns text, lang and context: the texts of the paragraphs just before and after each one
    (same document, language and kind, in the order of the source), joined by a newline."""
    order = paragraphs.sort_values("start", kind="stable")
    by = order.groupby(["doc", "lang", "kind"], sort=False)["text"]
    context = by.shift(1).fillna("") + "\n" + by.shift(-1).fillna("")
    out = paragraphs[["text", "lang"]].assign(context=context.reindex(paragraphs.index))
    return out.astype(object)   # plain Python strings: a cross-validation indexes and iterates them often


@lru_cache(maxsize=8)
def _matcher(lexicon: ConceptLexicon) -> ConceptMatcher:
    return ConceptMatcher(lexicon)


@lru_cache(maxsize=50_000)
def _hits(lexicon: ConceptLexicon, text: str, lang: str) -> tuple:
    """Terms found in a text (a pure function of its arguments, cached: cross-validation asks
    for the same paragraphs many times)."""
    return tuple(_matcher(lexicon).find(text, lang))


@lru_cache(maxsize=200_000)
def _values(lexicon: ConceptLexicon, text: str, lang: str, decay: float, counts: bool) -> np.ndarray:
    """One row of ConceptFeatures.values (cached, read-only: cross-validation asks for it often)."""
    col = {c: j for j, c in enumerate(lexicon.ids)}
    out = np.zeros(len(col))
    for h in _hits(lexicon, text, lang):
        j, w = col[h.concept], np.exp(-decay * h.start / max(len(text), 1))
        out[j] = out[j] + w if counts else max(out[j], w)
    out = np.log1p(out) if counts else out
    out.flags.writeable = False
    return out


@lru_cache(maxsize=32)
def _matrix(lexicon: ConceptLexicon, texts: tuple, langs: tuple, decay: float, counts: bool) -> np.ndarray:
    """The rows of _values stacked (cached, read-only: an inner cross-validation transforms the same
    rows once per candidate setting)."""
    out = np.vstack([_values(lexicon, t, lang, decay, counts) for t, lang in zip(texts, langs)])
    out.flags.writeable = False
    return out


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
    what carries a model across languages.

    context > 0 adds the same columns for the paragraph's neighbours (column `context` of X, see
    with_context; terms not weighted by position), times `context`: paragraphs on one pillar tend to
    come in runs, so the neighbours' subject is evidence for a paragraph's own. Only the neighbours'
    text is used, never their labels."""

    def __init__(self, lexicon: ConceptLexicon | None = None, hints: bool = True, position_decay: float = 1.0,
                 counts: bool = False, hint_shares: bool = False, context: float = 0.0):
        self.lexicon = lexicon
        self.hints = hints
        self.position_decay = position_decay
        self.counts = counts
        self.hint_shares = hint_shares
        self.context = context

    def _columns(self) -> list[str]:
        return ["text", "context"] if self.context else ["text"]

    def _factor(self, column: str) -> float:
        """What a column's block is multiplied by: 1 for the paragraph, `context` for its neighbours."""
        return 1.0 if column == "text" else self.context

    def fit(self, X, y=None):
        _texts(X, *self._columns())
        if self.lexicon is None:
            raise ValueError("ConceptFeatures needs a lexicon (gcts.annotate.concepts.load_concepts)")
        self.concepts_ = np.array(self.lexicon.ids, dtype=object)
        hint = np.zeros((len(self.concepts_), len(PILLARS)))
        for j, c in enumerate(self.lexicon.concepts):
            for p in c.pillars:
                hint[j, PILLARS.index(p)] = 1 / len(c.pillars)
        self.hint_matrix_ = hint if self.hints else hint[:, :0]
        return self

    def hits(self, X, column: str = "text") -> list[tuple]:
        """The terms found in each row (gcts.annotate.concepts.Hit: concept, term, start, end)."""
        check_is_fitted(self, "concepts_")
        X = _texts(X, column)
        return [_hits(self.lexicon, t, lang) for t, lang in zip(X[column], X["lang"])]

    def values(self, X, column: str = "text") -> np.ndarray:
        """The concept columns (rows x concepts) of a text column, without the pillar columns and
        without the context factor."""
        check_is_fitted(self, "concepts_")
        X = _texts(X, column)
        decay = self.position_decay if column == "text" else 0.0
        if not len(X):
            return np.zeros((0, len(self.concepts_)))
        return _matrix(self.lexicon, tuple(X[column]), tuple(X["lang"]), decay, self.counts)

    def _scale(self, values: np.ndarray) -> np.ndarray:
        """Per row, the factor applied to the pillar columns (1, or 1 / their sum for shares)."""
        if not self.hint_shares:
            return np.ones(len(values))
        total = (values @ self.hint_matrix_).sum(axis=1)
        return np.divide(1.0, total, out=np.zeros_like(total), where=total > 0)

    def transform(self, X):
        _texts(X, *self._columns())
        blocks = []
        for column in self._columns():
            v, factor = self.values(X, column), self._factor(column)
            blocks += [factor * v, factor * (v @ self.hint_matrix_) * self._scale(v)[:, None]]
        return np.hstack(blocks)     # dense: a few hundred columns; faster to fit than sparse

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "concepts_")
        names = [f"concept:{c}" for c in self.concepts_]
        names += [f"hint:{p}" for p in PILLARS][:self.hint_matrix_.shape[1]]
        names += [f"context:{n}" for n in names] if self.context else []
        return np.array(names, dtype=object)

    def _block(self, coef: np.ndarray, column: str) -> np.ndarray:
        """The coefficients (classes x columns) of one column's block: own text or context."""
        width = len(self.concepts_) + self.hint_matrix_.shape[1]
        k = self._columns().index(column)
        return coef[:, k * width:(k + 1) * width]

    def concept_weights(self, coef: np.ndarray, column: str = "text") -> np.ndarray:
        """Per class and concept, the effect of a unit of the concept (in the paragraph, or with
        column='context' in its neighbours) on the class score: its own weight plus its share of the
        hint weights (with hint_shares: as if it were the only pillar-hinted concept)."""
        c, n = self._block(coef, column), len(self.concepts_)
        return self._factor(column) * (c[:, :n] + c[:, n:] @ self.hint_matrix_.T)

    def contributions(self, X, coef: np.ndarray, column: str = "text") -> np.ndarray:
        """Exact additive split of the linear class scores over concepts (rows x classes x concepts):
        value x own weight + value x its hint weights x the row's hint scale; the paragraph's own
        concepts, or with column='context' its neighbours'. The two add up to the scores less the
        intercept."""
        v = self.values(X, column)
        c, n = self._block(coef, column), len(self.concepts_)
        own, via_hints = c[:, :n], c[:, n:] @ self.hint_matrix_.T
        return self._factor(column) * v[:, None, :] * (own[None] + via_hints[None] * self._scale(v)[:, None, None])


class LanguageNgrams(TransformerMixin, BaseEstimator):
    """Word n-gram TF-IDF of the paragraphs in one language; rows in other languages are all zero."""

    def __init__(self, lang: str = CANONICAL, ngram_range=(1, 2), min_df: int = 2):
        self.lang = lang
        self.ngram_range = ngram_range
        self.min_df = min_df

    def fit(self, X, y=None):
        X = _texts(X)
        mine = X.loc[X["lang"] == self.lang, "text"]
        if mine.empty:
            raise ValueError(f"LanguageNgrams({self.lang!r}): no training paragraph in that language")
        self.vectorizer_ = TfidfVectorizer(ngram_range=tuple(self.ngram_range), min_df=self.min_df,
                                           sublinear_tf=True, stop_words=profile(self.lang).stop_words)
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


class LexiconPriorClassifier(ClassifierMixin, BaseEstimator):
    """Multinomial logistic regression whose probabilities are blended with the lexicon's own vote:
    (1 - prior) * the regression's + prior * the pillar hint columns (`hint_start` … + 5 of X, see
    ConceptFeatures), smoothed by `smoothing` and normalized. The hints follow the Plan of Action, so they speak
    for a pillar the 119 training paragraphs teach little about (13 of them are pillar I). prior=0: the plain
    regression. coef_ and intercept_ are the regression's (the explanations read them)."""

    def __init__(self, C: float = 1.0, prior: float = 0.0, hint_start: int = 0, smoothing: float = 0.2,
                 random_state: int = 0):
        self.C = C
        self.prior = prior
        self.hint_start = hint_start
        self.smoothing = smoothing
        self.random_state = random_state

    def fit(self, X, y):
        self.lr_ = LogisticRegression(C=self.C, class_weight="balanced", max_iter=5000,
                                      random_state=self.random_state).fit(X, y)
        self.classes_ = self.lr_.classes_
        self.coef_, self.intercept_ = self.lr_.coef_, self.lr_.intercept_
        return self

    def lexicon_vote(self, X) -> np.ndarray:
        """The hint columns as probabilities over classes_ (rows without any hinted concept: uniform)."""
        check_is_fitted(self, "lr_")
        hints = X[:, self.hint_start:self.hint_start + len(PILLARS)]
        hints = np.asarray(hints.todense() if sparse.issparse(hints) else hints, dtype=float)
        hints = hints[:, [PILLARS.index(c) for c in self.classes_]] + self.smoothing
        return hints / hints.sum(axis=1, keepdims=True)

    def predict_proba(self, X):
        probs = self.lr_.predict_proba(X)
        return probs if not self.prior else (1 - self.prior) * probs + self.prior * self.lexicon_vote(X)

    def decision_function(self, X):
        return self.lr_.decision_function(X)

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


def make_model(lexicon: ConceptLexicon, ngrams: bool = False, hints: bool = True, C: float = 1.0,
               position_decay: float = 1.0, counts: bool = False, hint_shares: bool = False,
               context: float = 0.0, prior: float = 0.0, seed: int = 0) -> Pipeline:
    """Concept features (+ pillar hints) (+ neighbours' concepts) (+ English word n-grams) ->
    multinomial logistic regression, its probabilities blended with the lexicon's vote by `prior`
    (needs hints=True)."""
    if prior and not hints:
        raise ValueError("prior > 0 needs the pillar hint columns (hints=True)")
    return Pipeline([
        ("features", FeatureUnion([("concepts", ConceptFeatures(lexicon, hints, position_decay, counts, hint_shares,
                                                                context)),
                                   ("ngrams", LanguageNgrams(CANONICAL) if ngrams else "drop")])),
        ("clf", LexiconPriorClassifier(C=C, prior=prior, hint_start=len(lexicon.ids), random_state=seed)),
    ])


GRID_KEYS = {"C": "clf__C", "position_decay": "features__concepts__position_decay",
             "counts": "features__concepts__counts", "hint_shares": "features__concepts__hint_shares",
             "context": "features__concepts__context", "prior": "clf__prior"}


def make_search(lexicon: ConceptLexicon, grid: dict, inner_folds: int, seed: int = 0) -> GridSearchCV:
    """The concept model with its settings chosen by an inner grouped, stratified cross-validation
    (macro-F1) on whatever it is fitted on; fit it with groups=... (near-duplicate groups).
    `grid` maps C, position_decay, counts, hint_shares, context, prior to the lists of values to try."""
    unknown = set(grid) - set(GRID_KEYS)
    if unknown:
        raise ValueError(f"unknown grid keys {sorted(unknown)} (allowed: {', '.join(GRID_KEYS)})")
    return GridSearchCV(make_model(lexicon, seed=seed), {GRID_KEYS[k]: list(v) for k, v in grid.items()},
                        scoring=macro_f1,
                        cv=StratifiedGroupKFold(n_splits=inner_folds, shuffle=True, random_state=seed),
                        error_score="raise")


def macro_f1(estimator, X, y) -> float:
    """Scorer: macro-F1 over the classes in y or in the predictions, as scoring="f1_macro" gives,
    without the input checks that made scoring most of the cost of a search on small data."""
    pred = estimator.predict(X)
    y = np.asarray(y)
    scores = []
    for c in np.union1d(y, pred):
        tp = np.sum((pred == c) & (y == c))
        scores.append(2 * tp / (np.sum(pred == c) + np.sum(y == c)))
    return float(np.mean(scores))


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

CHUNK = 2000


def explain(model: Pipeline, X: pd.DataFrame, n_terms: int = 3) -> pd.DataFrame:
    """Per row: pillar, its probability, the probability of every class, and the concepts that
    pushed the chosen class most: a concept's contribution to a class score (its value times its own
    and its hint weights, see ConceptFeatures.contributions) minus its mean contribution over the
    classes. `pillar_terms` gives each such concept's term as written in the paragraph (its most
    frequent one), `pillar_concepts` the concept ids; `pillar_context_terms` the same for the
    neighbours' concepts when the model reads them (else empty)."""
    model = fitted_pipeline(model)
    check_is_fitted(model)
    if len(X) > CHUNK:      # the contributions are rows x classes x concepts: bound the memory they take
        return pd.concat([explain(model, X.iloc[i:i + CHUNK], n_terms) for i in range(0, len(X), CHUNK)])
    concepts = model.named_steps["features"].transformer_list[0][1]
    X = _texts(X, *concepts._columns())
    probs = model.predict_proba(X)
    classes = list(model.classes_)
    chosen_k = probs.argmax(axis=1)
    out = pd.DataFrame({"pillar": [classes[k] for k in chosen_k], "pillar_prob": probs.max(axis=1)},
                       index=X.index)
    for p in PILLARS:
        out[f"prob_{p}"] = probs[:, classes.index(p)] if p in classes else 0.0
    for column, name in (("text", "pillar_terms"), ("context", "pillar_context_terms")):
        if column not in concepts._columns():
            out[name] = [[] for _ in range(len(X))]
            continue
        terms, ids = _top_concepts(concepts, X, _coef(model), column, chosen_k, n_terms)
        out[name] = terms
        if column == "text":
            out["pillar_concepts"] = ids
    return out


def _top_concepts(concepts: ConceptFeatures, X, coef, column, chosen_k, n_terms):
    """Per row, the concepts (and their terms as written) that pushed the chosen class most."""
    contrib = concepts.contributions(X, coef, column)
    contrib = contrib - contrib.mean(axis=1, keepdims=True)
    index = {c: j for j, c in enumerate(concepts.concepts_)}
    terms, ids = [], []
    for i, (k, found) in enumerate(zip(chosen_k, concepts.hits(X, column))):
        by_concept: dict[str, list[str]] = {}
        for h in found:
            by_concept.setdefault(h.concept, []).append(h.term)
        push = {c: contrib[i, k, index[c]] for c in by_concept}
        top = [c for c in sorted(push, key=lambda c: -push[c]) if push[c] > 0][:n_terms]
        ids.append(top)
        terms.append([max(dict.fromkeys(by_concept[c]), key=by_concept[c].count) for c in top])
    return terms, ids


def _coef(model: Pipeline) -> np.ndarray:
    coef = model.named_steps["clf"].coef_
    return np.vstack([-coef[0], coef[0]]) if coef.shape[0] == 1 else coef   # two classes: one row


def weights_table(model: Pipeline, name: str) -> pd.DataFrame:
    """Concept weights of a fitted model (own weight + share of the hint weights): one row per
    concept, class and where the concept is read (`source`: text, or context for the neighbours)."""
    model = fitted_pipeline(model)
    concepts = model.named_steps["features"].transformer_list[0][1]
    rows = []
    for column in concepts._columns():
        coef = concepts.concept_weights(_coef(model), column)
        rows += [{"model": name, "source": column, "concept": c, "pillar": p, "weight": float(coef[k, j])}
                 for k, p in enumerate(model.classes_) for j, c in enumerate(concepts.concepts_)]
    return pd.DataFrame(rows)
