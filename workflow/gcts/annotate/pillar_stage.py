"""The pillar stage in two calls: `evaluate` (nested, grouped cross-validation on the heading-labelled
paragraphs) and `fit_predict` (the final fit and the predictions with explanations of every
paragraph). The pipeline runs them as two rules, so the evaluation is off the path to the tables."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from ..lang import CANONICAL
from .concepts import PILLARS, ConceptLexicon
from ..errors import InputError
from .pillar_cv import BASELINE, baseline, confusion_table, cross_validate, eval_table, near_duplicate_groups
from .pillars import chosen, explain, heading_labels, load_follow_up, load_general, make_model, make_search, weights_table, with_context

log = logging.getLogger("gcts.annotate.pillars")
CONCEPTS, ALONE, FULL = "concepts", "concepts, paragraph alone", "concepts+ngrams"
PREDICTION_COLUMNS = ["pid", "pillar", "pillar_prob", *[f"prob_{p}" for p in PILLARS], "pillar_terms",
                      "pillar_concepts", "pillar_context_terms", "pillar_features", "label", "label_source"]
CV_COLUMNS = ["pid", "doc", "kind", "number", "label", "cv_group", "model", "pillar_cv"]


def training_data(paragraphs: pd.DataFrame, cfg: dict, source="paragraph table") -> dict:
    """Labels, model inputs (text, lang, neighbours' text) and near-duplicate groups.
    Returns data (every paragraph with label, label_source), X (inputs of every paragraph),
    train (index of the labelled rows), y and groups (of the labelled rows)."""
    follow_up = load_follow_up(cfg["terms"]) if cfg.get("terms") else {}
    general = load_general(cfg["terms"]) if cfg.get("terms") else {}
    data = paragraphs.merge(heading_labels(paragraphs, follow_up, general), on="pid", validate="one_to_one")
    headed = data.loc[data["label"] != "", ["doc", "adopted"]].drop_duplicates("doc")
    if headed.empty:
        raise InputError(source, "no labelled paragraph: no document has 'Pillar I'..'Pillar IV' headings")
    chosen_docs = label_docs(headed, cfg["label_docs"], source)
    data.loc[~data["doc"].isin(chosen_docs), ["label", "label_source"]] = ""
    log.info("labels from the pillar headings of %s (documents with headings: %s)", chosen_docs,
             sorted(headed["doc"]))
    train = data.index[data["label"] != ""]
    missing = [p for p in PILLARS if p not in set(data.loc[train, "label"])]
    if missing:
        log.warning("no labelled paragraph of class %s: the model cannot predict it", missing)
    return {"data": data, "X": with_context(data), "train": train,
            "y": data.loc[train, "label"].to_numpy(dtype=object),
            "groups": near_duplicate_groups(data.loc[train], cfg["group_similarity"])}


def label_docs(headed: pd.DataFrame, setting, source="paragraph table") -> list[str]:
    """Which documents with pillar headings give the labels: 'latest' (the most recently adopted
    one), 'all', or a list of symbols (each must have headings)."""
    if setting == "latest":
        return [headed.sort_values(["adopted", "doc"])["doc"].iloc[-1]]
    if setting == "all":
        return sorted(headed["doc"])
    unknown = sorted(set(setting) - set(headed["doc"]))
    if unknown:
        raise InputError(source, f"pillars.label_docs names {unknown}, which have no pillar headings "
                                 f"here (documents with headings: {sorted(headed['doc'])})")
    return sorted(setting)


def models(lexicon: ConceptLexicon, cfg: dict) -> dict:
    """The concept model, its settings chosen by an inner CV (nested in the outer CV); for comparison,
    with the config's fixed settings (C, position_decay, context 0: each paragraph alone), the concept
    model and the concept model with English word n-grams; and the majority baseline.
    (gcts.bench.pillar_sensitivity runs the nested search at each context weight.)"""
    fixed = {k: cfg[k] for k in ("C", "position_decay")}
    return {CONCEPTS: make_search(lexicon, cfg["grid"], cfg["inner_folds"], cfg["seed"]),
            ALONE: make_model(lexicon, seed=cfg["seed"], **fixed),
            FULL: make_model(lexicon, ngrams=True, seed=cfg["seed"], **fixed),
            BASELINE: baseline()}


def evaluate(paragraphs: pd.DataFrame, lexicon: ConceptLexicon, cfg: dict, source="paragraph table") -> dict:
    """cfg: the `pillars` section of the config. Returns DataFrames: eval, confusion, folds and
    cv_predictions (each labelled paragraph's out-of-fold prediction, first repetition)."""
    t = training_data(paragraphs, cfg, source)
    X, y, groups = t["X"].loc[t["train"]], t["y"], t["groups"]
    candidates = models(lexicon, cfg)
    folds, oof, pooled = cross_validate(candidates, X, y, groups, cfg["cv_folds"], cfg["cv_repeats"], cfg["seed"])
    for name in candidates:
        s = folds.loc[folds["model"] == name, "macro_f1"]
        p = pooled.loc[pooled["model"] == name, "macro_f1"]
        log.info("%s: macro-F1 %.3f ± %.3f over %d folds (pooled %.3f)", name, s.mean(), s.std(ddof=0), len(s),
                 p.mean())
    log.info("settings chosen by the inner CV per outer fold: %s",
             folds.loc[folds["model"] == CONCEPTS, "chosen"].value_counts().to_dict())
    labelled = t["data"].loc[t["train"], ["pid", "doc", "kind", "number", "label"]].assign(cv_group=groups)
    cv = pd.concat([labelled.assign(model=name, pillar_cv=pred) for name, pred in oof.items()], ignore_index=True)
    return {"eval": eval_table(folds, oof, y, groups, pooled),
            "confusion": confusion_table(oof, y),
            "folds": folds,
            "cv_predictions": cv[CV_COLUMNS]}


def fit_predict(paragraphs: pd.DataFrame, lexicon: ConceptLexicon, cfg: dict, source="paragraph table") -> dict:
    """The final model (settings chosen by grouped CV on all labelled paragraphs) and its pillar,
    probabilities and explanations for every paragraph. Returns DataFrames predictions, weights,
    and the settings the final fit chose."""
    t = training_data(paragraphs, cfg, source)
    data, X = t["data"], t["X"]
    candidates = models(lexicon, cfg)
    with threadpool_limits(1, user_api="blas"):
        fitted = {CONCEPTS: candidates[CONCEPTS].fit(X.loc[t["train"]], t["y"], groups=t["groups"])}
        log.info("final concept model: %s (inner-CV macro-F1 %.3f)", chosen(fitted[CONCEPTS]),
                 fitted[CONCEPTS].best_score_)
        if cfg["ngrams"]:
            fitted[FULL] = candidates[FULL].fit(X.loc[t["train"]], t["y"])
        # paragraphs of the canonical language (English) get the model with its n-grams when it is switched on
        which = np.where((data["lang"] == CANONICAL) & cfg["ngrams"], FULL, CONCEPTS)
        pred = pd.concat([explain(fitted[name], X[which == name], cfg["explain_terms"])
                          .assign(pillar_features=name) for name in fitted if (which == name).any()])
        pred = pred.loc[data.index]
    pred.insert(0, "pid", data["pid"])
    pred["label"] = data["label"]
    pred["label_source"] = data["label_source"]
    weights = pd.concat([weights_table(m, n) for n, m in fitted.items()], ignore_index=True)
    return {"predictions": pred[PREDICTION_COLUMNS].reset_index(drop=True), "weights": weights,
            "settings": chosen(fitted[CONCEPTS])}


READING_COLUMNS = ["check", "pid", "kind", "reader", "read_by", "pillar", "agree", "pillar_source", "pillar_from",
                   "pillar_similarity", "model", "model_agrees", "filed", "filed_from", "filed_agrees", "pillar_prob",
                   "pillar_terms", "pillar_context_terms", "disagreement", "note"]
READING_ROWS = {"reading": "agree", "reading, classifier alone": "model_agrees",
                "reading vs the Assembly's filing": "filed_agrees",
                "second reading": "second_agrees", "second reading, classifier alone": "second_model_agrees",
                "second reading vs the Assembly's filing": "second_filed_agrees",
                "second reading vs reading": "readers_agree"}


def reading_table(paragraphs: pd.DataFrame, labels: pd.DataFrame, reading_path,
                  filed: pd.DataFrame | None = None, second_path=None) -> pd.DataFrame:
    """A careful reader's pillar of some paragraphs (workflow/resources/pillar_reading.csv: check, doc,
    snippet that finds the paragraph, pillar, known disagreement, reader, note) beside the pipeline's.
    labels: the final labels (rule pillars: pillar, pillar_source, pillar_model, pillar_from ...) or the
    classifier's predictions alone. `pillar` is the label, `model` the classifier's own answer; `filed` the
    pillar the General Assembly files the same provision under in a headed version (from
    gcts.annotate.pillar_lineage.filing; '' where none is reached). `agree`, `model_agrees` and
    `filed_agrees` compare each with the reader (filed_agrees is empty where nothing is filed).
    second_path: a second reading of the same paragraphs, made without seeing the first (columns check, pillar,
    confidence, reader, note; every check of the first once): the columns `second`, `second_agrees` (with the
    pipeline), `second_model_agrees`, `second_filed_agrees`, `readers_agree` (the two readers), and its
    confidence and note.
    Never used to train or to choose settings. Documents not present are skipped."""
    reading = pd.read_csv(reading_path, dtype=str, keep_default_na=False, encoding="utf-8")
    for col in ("reader", "note", "disagreement"):
        if col not in reading.columns:
            reading[col] = ""
    lab = labels.set_index("pid")
    fil = filed.set_index("pid") if filed is not None else None
    rows = []
    for r in reading.itertuples(index=False):
        doc = paragraphs[paragraphs["doc"] == r.doc]
        if doc.empty:
            continue
        hit = doc[doc["text"].str.contains(r.snippet, regex=False)]
        if len(hit) != 1:
            raise InputError(reading_path, f"check {r.check}: {r.snippet!r} is in {len(hit)} paragraphs of {r.doc}, "
                                           "expected exactly 1")
        pid = hit["pid"].iloc[0]
        p = lab.loc[pid]
        model = p.get("pillar_model", p["pillar"])
        f = fil.loc[pid] if fil is not None and pid in fil.index else {"filed": "", "filed_from": ""}
        rows.append({"check": r.check, "pid": pid, "kind": hit["kind"].iloc[0], "reader": r.pillar,
                     "read_by": r.reader, "pillar": p["pillar"], "agree": r.pillar == p["pillar"],
                     "pillar_source": p.get("pillar_source", "model"), "pillar_from": p.get("pillar_from", ""),
                     "pillar_similarity": p.get("pillar_similarity", np.nan), "model": model,
                     "model_agrees": r.pillar == model, "filed": f["filed"], "filed_from": f["filed_from"],
                     "filed_agrees": (r.pillar == f["filed"]) if f["filed"] else pd.NA,
                     "pillar_prob": p["pillar_prob"], "pillar_terms": list(p["pillar_terms"]),
                     "pillar_context_terms": list(p["pillar_context_terms"]),
                     "disagreement": r.disagreement, "note": r.note})
    out = pd.DataFrame(rows, columns=READING_COLUMNS)
    out["filed_agrees"] = out["filed_agrees"].astype("boolean")
    return with_second(out, reading, second_path) if second_path else out


def with_second(table: pd.DataFrame, first: pd.DataFrame, second_path) -> pd.DataFrame:
    """The reading table with a second reading's columns (see reading_table), joined by check."""
    second = pd.read_csv(second_path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = {"check", "pillar"} - set(second.columns)
    if missing:
        raise InputError(second_path, f"a second reading needs the columns check and pillar (missing: {sorted(missing)})")
    if second["check"].duplicated().any() or set(second["check"]) != set(first["check"]):
        raise InputError(second_path, "a second reading must read every check of the first reading once "
                                      f"({len(second)} rows, {second['check'].nunique()} checks; the first has "
                                      f"{len(first)})")
    bad = sorted(set(second["pillar"]) - set(PILLARS))
    if bad:
        raise InputError(second_path, f"pillars {bad} are not among {list(PILLARS)}")
    s = second.set_index("check").reindex(table["check"])
    out = table.copy()
    out["second"] = s["pillar"].to_numpy()
    out["second_agrees"] = out["second"] == out["pillar"]
    out["second_model_agrees"] = out["second"] == out["model"]
    out["second_filed_agrees"] = pd.array([(a == f) if f else pd.NA for a, f in zip(out["second"], out["filed"])],
                                          dtype="boolean")
    out["readers_agree"] = out["second"] == out["reader"]
    out["second_confidence"] = s.get("confidence", pd.Series("", index=s.index)).to_numpy()
    out["second_note"] = s.get("note", pd.Series("", index=s.index)).to_numpy()
    return out


def preamble_agreement(reading: pd.DataFrame) -> pd.DataFrame:
    """A reading of preambular paragraphs of several documents: per document, the share that agrees with the final
    labels (model 'blind preamble reading') and with the classifier's own answers ('…, classifier alone'), class
    'preambular', in the rows' format of reading_agreement."""
    names = {"blind preamble reading": "agree", "blind preamble reading, classifier alone": "model_agrees"}
    rows = []
    for doc, r in reading.groupby(reading["pid"].str.split("|").str[0], sort=True):
        for name, col in names.items():
            rows.append({"model": name, "class": "preambular", "agreement": r[col].astype(bool).mean(),
                         "support": len(r), "documents": doc})
    return pd.DataFrame(rows, columns=["model", "class", "agreement", "support", "documents"])


def reading_agreement(reading: pd.DataFrame) -> pd.DataFrame:
    """Share of the read paragraphs whose pillar agrees with the reader, overall, preamble and operative part
    (rows of pillar_eval.csv, class 'all' / 'preambular' / 'operative'): model 'reading' for the final
    labels, 'reading, classifier alone' for the classifier's own answers, and "reading vs the Assembly's
    filing" for the reader against the headings of the same provision (support: the paragraphs with one)."""
    rows = []
    for name, col in READING_ROWS.items():
        if col not in reading.columns:
            continue
        for part, r in (("all", reading), ("preambular", reading[reading["kind"] == "preambular"]),
                        ("operative", reading[reading["kind"] == "operative"])):
            hits = r[col].dropna()
            docs = ", ".join(sorted(set(r["pid"].str.split("|").str[0])))
            rows.append({"model": name, "class": part, "agreement": hits.astype(bool).mean() if len(hits) else float("nan"),
                         "support": len(hits), "documents": docs})
    return pd.DataFrame(rows)


def run(paragraphs: pd.DataFrame, lexicon: ConceptLexicon, cfg: dict, source="paragraph table") -> dict:
    """Both steps, as the pipeline runs them (for notebooks and tests)."""
    return {**evaluate(paragraphs, lexicon, cfg, source), **fit_predict(paragraphs, lexicon, cfg, source)}
