"""The pillar stage as one call: labels, cross-validation, final fit, predictions with explanations."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from .concepts import PILLARS, Lexicon
from .errors import InputError
from .pillar_cv import BASELINE, baseline, confusion_table, cross_validate, eval_table, near_duplicate_groups
from .pillars import chosen, explain, heading_labels, make_model, make_search, weights_table

log = logging.getLogger("gcts.pillars")
CONCEPTS, FULL = "concepts", "concepts+ngrams"
PREDICTION_COLUMNS = ["pid", "pillar", "pillar_prob", *[f"prob_{p}" for p in PILLARS], "pillar_terms",
                      "pillar_concepts", "pillar_features", "pillar_cv", "pillar_cv_group", "label",
                      "label_source"]


def run(paragraphs: pd.DataFrame, lexicon: Lexicon, cfg: dict, source="paragraph table") -> dict:
    """cfg: the `pillars` section of the config. Returns DataFrames: predictions, eval, confusion,
    folds, weights."""
    data = paragraphs.merge(heading_labels(paragraphs), on="pid", validate="one_to_one")
    train = data[data["label"] != ""]
    if train.empty:
        raise InputError(source, "no labelled paragraph: no document has 'Pillar I'..'Pillar IV' headings")
    missing = [p for p in PILLARS if p not in set(train["label"])]
    if missing:
        log.warning("no labelled paragraph of class %s: the model cannot predict it", missing)
    X, y = train[["text", "lang"]], train["label"].to_numpy(dtype=object)
    groups = near_duplicate_groups(train, cfg["group_similarity"])
    # the concept model's settings are chosen by inner CV (nested in the outer CV below); the model
    # with English n-grams, a comparison, keeps the fixed settings of the config
    models = {CONCEPTS: make_search(lexicon, cfg["grid"], cfg["inner_folds"], cfg["seed"]),
              FULL: make_model(lexicon, ngrams=True, C=cfg["C"], position_decay=cfg["position_decay"],
                               seed=cfg["seed"]),
              BASELINE: baseline()}
    folds, oof, pooled = cross_validate(models, X, y, groups, cfg["cv_folds"], cfg["cv_repeats"], cfg["seed"])
    for name in models:
        s = folds.loc[folds["model"] == name, "macro_f1"]
        p = pooled.loc[pooled["model"] == name, "macro_f1"]
        log.info("%s: macro-F1 %.3f ± %.3f over %d folds (pooled %.3f)", name, s.mean(), s.std(ddof=0), len(s),
                 p.mean())
    log.info("settings chosen by the inner CV per outer fold: %s",
             folds.loc[folds["model"] == CONCEPTS, "chosen"].value_counts().to_dict())

    with threadpool_limits(1, user_api="blas"):
        fitted = {CONCEPTS: models[CONCEPTS].fit(X, y, groups=groups)}
        log.info("final concept model: %s (inner-CV macro-F1 %.3f)", chosen(fitted[CONCEPTS]),
                 fitted[CONCEPTS].best_score_)
        if cfg["ngrams"]:
            fitted[FULL] = models[FULL].fit(X, y)
        texts = data[["text", "lang"]]
        # English paragraphs get the model with English n-grams when it is switched on
        which = np.where((data["lang"] == "en") & cfg["ngrams"], FULL, CONCEPTS)
        pred = pd.concat([explain(fitted[name], texts[which == name], cfg["explain_terms"])
                          .assign(pillar_features=name) for name in fitted if (which == name).any()])
        pred = pred.loc[data.index]
    pred.insert(0, "pid", data["pid"])
    cv = pd.Series("", index=data.index, dtype=object)
    group = pd.Series(pd.NA, index=data.index, dtype="Int64")
    for pos, idx in enumerate(train.index):
        cv[idx] = oof[pred.at[idx, "pillar_features"]][pos]
        group[idx] = int(groups[pos])
    pred["pillar_cv"] = cv
    pred["pillar_cv_group"] = group
    pred["label"] = data["label"]
    pred["label_source"] = data["label_source"]

    weights = pd.concat([weights_table(m, n) for n, m in fitted.items()], ignore_index=True)
    return {"predictions": pred[PREDICTION_COLUMNS].reset_index(drop=True),
            "eval": eval_table(folds, oof, y, groups, pooled),
            "confusion": confusion_table(oof, y),
            "folds": folds,
            "weights": weights}
