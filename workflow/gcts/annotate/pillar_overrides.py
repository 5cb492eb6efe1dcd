"""Researcher overrides of the pillar of a paragraph (data/annotations/pillar_overrides.csv), and
the share of each pillar per document."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .concepts import PILLARS
from ..errors import InputError

COLUMNS = ["doc", "kind", "number", "pillar", "note"]
KINDS = ("preambular", "operative", "annex")
OUTPUT_COLUMNS = ["pid", "pillar", "pillar_source", "pillar_model", "pillar_prob",
                  *[f"prob_{p}" for p in PILLARS], "pillar_terms", "pillar_concepts",
                  "pillar_context_terms", "pillar_note", "pillar_features", "label", "label_source"]


def read_overrides(path, paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Read and check the override file against the paragraph table. An override names a paragraph
    by doc, kind and number (it applies to every language version of it). Any unknown document,
    paragraph or pillar, or a paragraph overridden twice, is an InputError naming the file and row."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "pillar override file not found (it may hold only the header "
                               f"{','.join(COLUMNS)})")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as e:
        raise InputError(path, f"not a readable UTF-8 CSV file: {e}") from None
    missing = [c for c in COLUMNS[:4] if c not in table.columns]
    if missing:
        raise InputError(path, f"lacks columns {missing} (expected header: {','.join(COLUMNS)})")
    if "note" not in table.columns:
        table["note"] = ""
    known = {(d, k, int(n)) for d, k, n in zip(paragraphs["doc"], paragraphs["kind"], paragraphs["number"])}
    docs = set(paragraphs["doc"])
    seen: dict[tuple, int] = {}
    rows = []
    for i, r in table.iterrows():
        where = f"row {i + 2}"                   # line in the file: the header is line 1
        doc, kind, number, pillar = (r[c].strip() for c in COLUMNS[:4])
        if doc not in docs:
            raise InputError(path, f"{where}: unknown document {doc!r} (known: {', '.join(sorted(docs))})")
        if kind not in KINDS:
            raise InputError(path, f"{where}: kind {kind!r} must be one of {', '.join(KINDS)}")
        if not number.isdigit():
            raise InputError(path, f"{where}: number {number!r} is not a paragraph number")
        key = (doc, kind, int(number))
        if key not in known:
            raise InputError(path, f"{where}: {doc} has no {kind} paragraph {number}")
        if pillar not in PILLARS:
            raise InputError(path, f"{where}: pillar {pillar!r} must be one of {', '.join(PILLARS)}")
        if key in seen:
            raise InputError(path, f"{where}: {doc} {kind} {number} is already overridden in row {seen[key]}")
        seen[key] = i + 2
        rows.append({"doc": doc, "kind": kind, "number": int(number), "pillar": pillar,
                     "note": r["note"].strip()})
    return pd.DataFrame(rows, columns=COLUMNS)


def apply_overrides(predictions: pd.DataFrame, paragraphs: pd.DataFrame,
                    overrides: pd.DataFrame) -> pd.DataFrame:
    """predictions (pid, pillar, pillar_prob, prob_*, ...) -> the same with the overrides applied:
    `pillar_model` keeps the model's answer, `pillar` takes the override, `pillar_source` says
    which ('model' or 'override'), `pillar_note` carries the override's note and `pillar_prob`
    becomes the model's probability of the final pillar."""
    out = predictions.copy()
    out["pillar_model"] = out["pillar"]
    out["pillar_source"] = "model"
    out["pillar_note"] = ""
    if overrides.empty:
        return out[OUTPUT_COLUMNS]
    keys = paragraphs[["pid", "doc", "kind", "number"]].merge(overrides, on=["doc", "kind", "number"])
    hit = out["pid"].isin(keys["pid"])
    chosen = out.loc[hit, "pid"].map(keys.set_index("pid")["pillar"])
    out.loc[hit, "pillar"] = chosen
    out.loc[hit, "pillar_source"] = "override"
    out.loc[hit, "pillar_note"] = out.loc[hit, "pid"].map(keys.set_index("pid")["note"])
    out.loc[hit, "pillar_prob"] = [out.at[i, f"prob_{p}"] for i, p in zip(chosen.index, chosen)]
    return out[OUTPUT_COLUMNS]


def shares_table(paragraphs: pd.DataFrame, pillars: pd.DataFrame) -> pd.DataFrame:
    """Per document, language and kind (and 'all' kinds): paragraphs per pillar, their share,
    how many of them were set by an override, and, where the document labels its own paragraphs
    (pillar headings), how many carry that label (`n_label`; empty for unlabelled documents)."""
    t = paragraphs[["pid", "doc", "lang", "review", "kind"]].merge(
        pillars[["pid", "pillar", "pillar_source", "label"]], on="pid", validate="one_to_one")
    t = pd.concat([t, t.assign(kind="all")], ignore_index=True)
    t["override"] = t["pillar_source"].eq("override")
    keys = ["doc", "lang", "review", "kind"]
    full = (t[keys].drop_duplicates().merge(pd.DataFrame({"pillar": list(PILLARS)}), how="cross"))
    counts = t.groupby(keys + ["pillar"]).agg(n=("pid", "size"), n_override=("override", "sum")).reset_index()
    labels = t[t["label"] != ""].groupby(keys + ["label"]).size().rename("n_label").reset_index()
    out = full.merge(counts, on=keys + ["pillar"], how="left").fillna({"n": 0, "n_override": 0})
    out = out.merge(labels.rename(columns={"label": "pillar"}), on=keys + ["pillar"], how="left")
    has_labels = out.groupby(keys)["n_label"].transform("count") > 0
    out["n_label"] = out["n_label"].where(~has_labels, out["n_label"].fillna(0)).astype("Int64")
    out["total"] = out.groupby(keys)["n"].transform("sum")
    out["share"] = out["n"] / out["total"]
    out[["n", "n_override", "total"]] = out[["n", "n_override", "total"]].astype(int)
    order = {k: i for i, k in enumerate(["preambular", "operative", "all"])}
    out["_k"] = out["kind"].map(order)
    out["_p"] = out["pillar"].map({p: i for i, p in enumerate(PILLARS)})
    return out.sort_values(["review", "doc", "lang", "_k", "_p"]).drop(columns=["_k", "_p"]).reset_index(drop=True)
