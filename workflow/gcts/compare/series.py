"""One row per document of the series, in language-neutral terms (kinds, pillars, verb ids), so
Chinese and English documents sit in one table.

Pillar shares are over all paragraphs of the document; the verb profile counts the lead-in
``verb_id`` of the operative and of the preambular paragraphs (JSON, most frequent first);
directive verbs are those whose ``verb_function`` is "directive" (addressed to States), and
their mean ``strength`` is on the active scale of the verb stage. Columns whose stage has not
run are empty. ``previous`` is the version before in the series and ``cross_lingual`` is true when
the two share no language (their alignment is the cross-lingual one).
"""

from __future__ import annotations

import json

import pandas as pd

from ..annotate.concepts import PILLARS
from ..sources.manifest import series_rank

COLUMNS = ["doc", "lang", "review", "adopted", "paragraphs", "preambular", "operative", "pillar_labelled",
           *[f"share_{p}" for p in PILLARS], "verbs_operative", "verbs_preambular", "directive",
           "mean_directive_strength", "previous", "cross_lingual", "series", "order"]


def _profile(verb_ids: pd.Series) -> str:
    counts = verb_ids.dropna().astype(str)
    counts = counts[counts != ""].value_counts()
    pairs = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return json.dumps({k: int(v) for k, v in pairs}, ensure_ascii=False)


def series_table(paragraphs: pd.DataFrame) -> pd.DataFrame:
    rows = []
    has_pillar = "pillar" in paragraphs.columns
    has_verbs = "verb_id" in paragraphs.columns
    for (doc, lang), d in paragraphs.groupby(["doc", "lang"], sort=False):
        row = {"doc": doc, "lang": lang, "review": int(d["review"].iloc[0]), "adopted": d["adopted"].iloc[0],
               "paragraphs": len(d), "preambular": int((d["kind"] == "preambular").sum()),
               "operative": int((d["kind"] == "operative").sum())}
        if "series" in d.columns:
            row.update(series=d["series"].iloc[0], order=int(d["order"].iloc[0]))
        if has_pillar:
            labelled = d["pillar"].dropna().astype(str)
            labelled = labelled[labelled != ""]
            row["pillar_labelled"] = len(labelled)
            for p in PILLARS:
                row[f"share_{p}"] = round(float((labelled == p).mean()), 4) if len(labelled) else float("nan")
        if has_verbs:
            row["verbs_operative"] = _profile(d.loc[d["kind"] == "operative", "verb_id"])
            row["verbs_preambular"] = _profile(d.loc[d["kind"] == "preambular", "verb_id"])
        if {"verb_function", "strength"} <= set(d.columns):
            directive = d[d["verb_function"] == "directive"]
            strength = pd.to_numeric(directive["strength"], errors="coerce").dropna()
            row["directive"] = len(directive)
            row["mean_directive_strength"] = round(float(strength.mean()), 4) if len(strength) else float("nan")
        rows.append(row)
    out = pd.DataFrame(rows, columns=COLUMNS)
    if out["series"].isna().all():   # a paragraph table without series columns: one series
        out = out.sort_values(["review", "lang"]).reset_index(drop=True)
    else:
        keys = ["series", "order", "lang"]
        out = out.sort_values(keys, key=lambda c: c.map(series_rank) if c.name == "series" else c
                              ).reset_index(drop=True)
    # the step from the previous version of the same series: cross-lingual when the two share no language
    langs = out.groupby("doc", sort=False)["lang"].agg(set)
    prev = {}
    for _, g in out.groupby(out["series"].fillna(""), sort=False):
        docs = list(dict.fromkeys(g["doc"]))
        prev.update({d: docs[k - 1] for k, d in enumerate(docs) if k})
    out["previous"] = out["doc"].map(prev).fillna("")
    out["cross_lingual"] = [bool(p) and not (langs[d] & langs[p]) for d, p in zip(out["doc"], out["previous"])]
    return out
