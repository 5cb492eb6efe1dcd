"""Measured quality of the pillar classifier: grouped, stratified, repeated cross-validation on
the labelled paragraphs, beside a majority-class baseline."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from sklearn.base import clone
from sklearn.dummy import DummyClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import classification_report, confusion_matrix, f1_score
from sklearn.metrics.pairwise import cosine_similarity
from sklearn.model_selection import GridSearchCV, StratifiedGroupKFold
from threadpoolctl import threadpool_limits

from ..lang import profile
from .concepts import PILLARS
from .pillars import chosen

BASELINE = "majority baseline"


def near_duplicate_groups(frame: pd.DataFrame, threshold: float) -> np.ndarray:
    """A group number per row: paragraphs of one language whose TF-IDF cosine similarity is at least
    `threshold` (words for English, characters for Chinese), and versions of the same paragraph in
    other languages (same doc, kind, number), are linked; groups are the connected components.
    Cross-validation keeps a group together, so a near-duplicate never sits on the other side."""
    n = len(frame)
    links = sparse.lil_matrix((n, n), dtype=bool)
    for lang, rows in frame.groupby("lang").indices.items():
        if len(rows) < 2:
            continue
        vec = TfidfVectorizer(**profile(lang).group_tfidf)
        sim = cosine_similarity(vec.fit_transform(frame["text"].iloc[rows]))
        a, b = np.nonzero(np.triu(sim >= threshold, k=1))
        for i, j in zip(rows[a], rows[b]):
            links[i, j] = True
    for _, rows in frame.groupby(["doc", "kind", "number"]).indices.items():
        for j in rows[1:]:
            links[rows[0], j] = True
    return connected_components(links.tocsr(), directed=False)[1]


def cross_validate(models: dict, X: pd.DataFrame, y: np.ndarray, groups: np.ndarray, folds: int,
                   repeats: int, seed: int) -> tuple[pd.DataFrame, dict, pd.DataFrame]:
    """Out-of-fold predictions of each model over `repeats` shufflings of StratifiedGroupKFold
    (seeds seed, seed+1, ...). A model that is a search (GridSearchCV) is fitted with the groups of
    its training fold, so its settings are chosen by an inner cross-validation on the training fold
    only (nested cross-validation); the settings it chose are in the `chosen` column.
    Returns the per-fold scores, per model the out-of-fold predictions of the first repetition
    (each paragraph predicted by a model that did not see it nor any paragraph of its group), and
    the macro-F1 of the pooled out-of-fold predictions of each repetition."""
    rows, first, pooled = [], {}, []
    with threadpool_limits(1, user_api="blas"):    # tiny problems: BLAS threads only slow them down
        for r in range(repeats):
            splits = list(StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed + r)
                          .split(X, y, groups))
            for name, model in models.items():
                pred = np.empty(len(y), dtype=object)
                for k, (train, test) in enumerate(splits):
                    fit = {"groups": groups[train]} if isinstance(model, GridSearchCV) else {}
                    fitted = clone(model).fit(X.iloc[train], y[train], **fit)
                    pred[test] = fitted.predict(X.iloc[test])
                    rows.append({"model": name, "repeat": r, "fold": k, "seed": seed + r, "n_test": len(test),
                                 "macro_f1": f1_score(y[test], pred[test], average="macro", zero_division=0),
                                 "accuracy": float(np.mean(y[test] == pred[test])),
                                 "chosen": json.dumps(chosen(fitted), sort_keys=True) if fit else ""})
                if r == 0:
                    first[name] = pred
                pooled.append({"model": name, "repeat": r,
                               "macro_f1": f1_score(y, pred, average="macro", zero_division=0)})
    return pd.DataFrame(rows), first, pd.DataFrame(pooled)


def baseline() -> DummyClassifier:
    return DummyClassifier(strategy="most_frequent")


def eval_table(folds: pd.DataFrame, oof: dict, y: np.ndarray, groups: np.ndarray,
               pooled: pd.DataFrame) -> pd.DataFrame:
    """Per model: precision, recall, F1 and support of each class and their macro/weighted means
    (pooled out-of-fold predictions of the first repetition), with the macro-F1 mean and standard
    deviation over all folds of all repetitions, and the mean over repetitions of the macro-F1 of
    the pooled out-of-fold predictions."""
    out = []
    for name, pred in oof.items():
        report = classification_report(y, pred, labels=list(PILLARS), output_dict=True, zero_division=0)
        scores = folds.loc[folds["model"] == name, "macro_f1"]
        for cls in [*PILLARS, "macro avg", "weighted avg"]:
            r = report[cls]
            row = {"model": name, "class": cls, "precision": r["precision"], "recall": r["recall"],
                   "f1": r["f1-score"], "support": int(r["support"])}
            if cls == "macro avg":
                row.update(f1_fold_mean=scores.mean(), f1_fold_std=scores.std(ddof=0), n_folds=len(scores),
                           f1_pooled_mean=pooled.loc[pooled["model"] == name, "macro_f1"].mean())
            out.append(row)
        out.append({"model": name, "class": "accuracy", "f1": report["accuracy"], "support": len(y)})
    table = pd.DataFrame(out, columns=["model", "class", "precision", "recall", "f1", "support",
                                       "f1_fold_mean", "f1_fold_std", "n_folds", "f1_pooled_mean"])
    table["n_groups"] = len(np.unique(groups))
    return table


def confusion_table(oof: dict, y: np.ndarray) -> pd.DataFrame:
    """Counts of (true label, predicted pillar) per model, out-of-fold, first repetition."""
    frames = []
    for name, pred in oof.items():
        m = confusion_matrix(y, pred, labels=list(PILLARS))
        f = pd.DataFrame(m, columns=[f"pred_{p}" for p in PILLARS])
        f.insert(0, "true", list(PILLARS))
        f.insert(0, "model", name)
        frames.append(f)
    return pd.concat(frames, ignore_index=True)
