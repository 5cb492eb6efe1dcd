"""How similar must two paragraphs be to share a pillar? Measured on documents with pillar headings: every pair
of heading-labelled paragraphs of one document, by the similarity compare uses (gcts.compare.align.similarity),
binned, with the share of pairs whose two headings agree. Also, per candidate threshold, how many paragraphs of
the other documents the aligned pairs would label.

    uv run python -m gcts.bench.pillar_lineage_threshold [results/interim/paragraphs.parquet] [results/compare/*.csv ...]

Across languages (`--cross`): the cross-lingual pairs of 68/276 (zh) -> 72/284 (en) against the project's answer
key (tests/data/crosslingual_key_68_276__72_284.csv): per threshold, how many aligned pairs reach it and how many
of them are the key's successor pairs (same provision), and how many pairs of distinct provisions (every pair of
the two versions that the key does not link) reach it.

    uv run python -m gcts.bench.pillar_lineage_threshold --cross
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from ..annotate.pillar_lineage import lineage_labels, linked, pair_table
from ..annotate.pillars import PILLARS, heading_labels
from ..compare.align import similarity

BINS = [0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01]


def headed_pairs(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """similarity and same-heading flag of every pair of heading-labelled paragraphs of one document."""
    lab = paragraphs.merge(heading_labels(paragraphs), on="pid")
    lab = lab[lab["label"] != ""]
    rows = []
    for (doc, lang), d in lab.groupby(["doc", "lang"]):
        texts = d["text"].tolist()
        S = similarity(texts, texts, lang)
        y = d["label"].to_numpy()
        i, j = np.triu_indices(len(d), k=1)
        rows.append(pd.DataFrame({"doc": doc, "similarity": S[i, j], "same": y[i] == y[j]}))
    return pd.concat(rows, ignore_index=True)


def by_bin(pairs: pd.DataFrame) -> pd.DataFrame:
    pairs = pairs.assign(bin=pd.cut(pairs["similarity"], BINS, right=False))
    return pairs.groupby("bin", observed=True)["same"].agg(pairs="size", same_pillar="mean").reset_index()


def coverage(paragraphs: pd.DataFrame, pairs: pd.DataFrame, thresholds) -> pd.DataFrame:
    """Per threshold: paragraphs labelled by lineage, and unchanged pairs that would change pillar."""
    base = paragraphs[["pid"]].assign(pillar="G", pillar_source="model", **{f"prob_{p}": 0.2 for p in PILLARS})
    rows = []
    for t in thresholds:
        th = {"same_language": t, "cross_language": t}
        lab = lineage_labels(paragraphs, base, pairs, th)
        rows.append({"threshold": t, "linked_pairs": int(linked(pairs, th).sum()),
                     "lineage_labels": int((lab["pillar_source"] == "lineage").sum())})
    return pd.DataFrame(rows)


CROSS = ("A/RES/68/276", "A/RES/72/284")


def cross_language(paragraphs: pd.DataFrame, table: pd.DataFrame, key: pd.DataFrame, S: np.ndarray,
                   thresholds) -> pd.DataFrame:
    """table: the cross-lingual compare table; S: the cross-lingual text similarity of every pair (rows: the old
    version's paragraphs in source order, columns: the new one's); key: gcts.bench.crosslingual_key.read_key."""
    a = paragraphs[paragraphs["doc"] == CROSS[0]].sort_values("start")
    b = paragraphs[paragraphs["doc"] == CROSS[1]].sort_values("start")
    succ = {(r.kind, r.number, r.kind_b, int(r.number_b)) for r in key[key["assertion"] == "successor"].itertuples()}
    true = np.array([[(x.kind, x.number, y.kind, y.number) in succ for y in b.itertuples()] for x in a.itertuples()])
    pairs = table[table["pid_a"].notna() & table["pid_b"].notna()]
    ok = np.array([(r.kind_a, int(r.number_a), r.kind_b, int(r.number_b)) in succ for r in pairs.itertuples()])
    sim = pairs["similarity"].astype(float).to_numpy()
    return pd.DataFrame([{"threshold": t, "aligned_pairs": int((sim >= t).sum()),
                          "successor_pairs": int(ok[sim >= t].sum()),
                          "distinct_pairs_reaching": int((S[~true] >= t).sum()), "distinct_pairs": int((~true).sum())}
                         for t in thresholds])


def main_cross() -> None:
    from ..compare.crosslingual import Settings, load_resources, scores
    from ..resources import read_yaml
    from .crosslingual_key import read_key

    cfg = read_yaml("workflow/config.yaml", "config")
    xl = cfg["compare"]["cross_lingual"]
    paragraphs = pd.read_parquet("results/paragraphs.parquet")
    table = pd.read_parquet("results/compare/" + "__".join(d.replace("/", "_") for d in CROSS) + ".parquet")
    a = paragraphs[paragraphs["doc"] == CROSS[0]].sort_values("start")
    b = paragraphs[paragraphs["doc"] == CROSS[1]].sort_values("start")
    res = load_resources(cfg["pillars"]["terms"], xl["terms"], xl["dictionary"])
    S = scores(a, b, a["lang"].iloc[0], b["lang"].iloc[0], res, Settings.of(xl))["S"]
    print(cross_language(paragraphs, table, read_key(), S, [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5]).to_string(index=False))


def main(argv: list[str]) -> None:
    if argv[:1] == ["--cross"]:
        return main_cross()
    path = argv[0] if argv else "results/interim/paragraphs.parquet"
    paragraphs = pd.read_parquet(path)
    print(by_bin(headed_pairs(paragraphs)).to_string(index=False))
    if len(argv) > 1:
        pairs = pair_table([pd.read_csv(p) for p in argv[1:]])
        print(pairs.groupby("status")["similarity"].describe()[["count", "min", "50%"]].to_string())
        print(coverage(paragraphs, pairs, [0.5, 0.6, 0.7, 0.8, 0.9]).to_string(index=False))


if __name__ == "__main__":
    main(sys.argv[1:])
