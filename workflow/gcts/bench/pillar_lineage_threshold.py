"""How similar must two paragraphs be to share a pillar? Measured on documents with pillar headings: every pair
of heading-labelled paragraphs of one document, by the similarity compare uses (gcts.compare.align.similarity),
binned, with the share of pairs whose two headings agree. Also, per candidate threshold, how many paragraphs of
the other documents the aligned pairs would label.

    uv run python -m gcts.bench.pillar_lineage_threshold [results/interim/paragraphs.parquet] [results/compare/*.csv ...]
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


def main(argv: list[str]) -> None:
    path = argv[0] if argv else "results/interim/paragraphs.parquet"
    paragraphs = pd.read_parquet(path)
    print(by_bin(headed_pairs(paragraphs)).to_string(index=False))
    if len(argv) > 1:
        pairs = pair_table([pd.read_csv(p) for p in argv[1:]])
        print(pairs.groupby("status")["similarity"].describe()[["count", "min", "50%"]].to_string())
        print(coverage(paragraphs, pairs, [0.5, 0.6, 0.7, 0.8, 0.9]).to_string(index=False))


if __name__ == "__main__":
    main(sys.argv[1:])
