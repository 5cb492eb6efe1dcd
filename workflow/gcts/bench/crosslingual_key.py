"""Precision and recall of the cross-lingual aligner against a reader's answer key.

    uv run python -m gcts.bench.crosslingual_key [--paragraphs results/paragraphs.parquet]

The key (tests/data/crosslingual_key_68_276__72_284.csv, see its .md) asserts for each paragraph of the old
version its successor in the new one (or that it was dropped), and which paragraphs of the new version are new.
Reported for the aligner (workflow/config.yaml settings) and for a plain baseline (the same dictionary and
lexicon evidence, TF-IDF cosine, one-to-one assignment, no order, no merges), on the whole key, on its
development part (settings were chosen looking at it) and on its held-out part (old operative paragraphs
from 22 on, new operative paragraphs from 43 on; not looked at while choosing settings).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from ..resources import read_yaml

KEY = Path("tests/data/crosslingual_key_68_276__72_284.csv")
HELD_OUT = {"A/RES/68/276": 22, "A/RES/72/284": 43}   # operative paragraphs from this number on are held out


def baseline_settings(threshold: float):
    from ..compare.crosslingual import Settings
    return Settings(threshold=threshold, min_similarity=threshold, context=0.0, order=0.0, kind=0.0,
                    containment=2.0)


def read_key(path=KEY) -> pd.DataFrame:
    key = pd.read_csv(path, dtype={"number": int}, keep_default_na=False)
    key["held_out"] = [k == "operative" and n >= HELD_OUT[d] for d, k, n in zip(key["doc"], key["kind"],
                                                                                 key["number"])]
    return key


def links(table: pd.DataFrame) -> tuple[dict, set]:
    """{(kind_a, number_a): {(kind_b, number_b), ...}} and the set of new (kind_b, number_b) of a compare table."""
    succ, new = {}, set()
    for r in table.itertuples(index=False):
        if pd.notna(r.number_a):
            succ.setdefault((r.kind_a, int(r.number_a)), set())
            if pd.notna(r.number_b):
                succ[(r.kind_a, int(r.number_a))].add((r.kind_b, int(r.number_b)))
        elif r.status == "new":
            new.add((r.kind_b, int(r.number_b)))
    return succ, new


def score(table: pd.DataFrame, key: pd.DataFrame) -> dict:
    """Precision/recall of successor pairs, of dropped and of new paragraphs, and the share of assertions held."""
    succ, new = links(table)
    a = key[key["assertion"] != "new"]
    b = key[key["assertion"] == "new"]
    true_pairs = {((r.kind, r.number), (r.kind_b, int(r.number_b))) for r in a.itertuples() if r.assertion == "successor"}
    pred_pairs = {((r.kind, r.number), s) for r in a.itertuples() for s in succ.get((r.kind, r.number), set())}
    true_drop = {(r.kind, r.number) for r in a.itertuples() if r.assertion == "dropped"}
    pred_drop = {(r.kind, r.number) for r in a.itertuples() if not succ.get((r.kind, r.number))}
    b_keys = {(r.kind, r.number) for r in b.itertuples()}
    b_universe = b_keys | {s for _, s in true_pairs}
    pred_new = new & b_universe
    held = 0
    for r in key.itertuples():
        if r.assertion == "successor":
            held += succ.get((r.kind, r.number), set()) == {(r.kind_b, int(r.number_b))}
        elif r.assertion == "dropped":
            held += not succ.get((r.kind, r.number))
        else:
            held += (r.kind, r.number) in new

    def pr(pred, true):
        hit = len(pred & true)
        return (hit / len(pred) if pred else float("nan"), hit / len(true) if true else float("nan"))

    out = {"assertions": len(key), "held": held, "held_share": held / len(key) if len(key) else float("nan")}
    for name, (pred, true) in {"pairs": (pred_pairs, true_pairs), "dropped": (pred_drop, true_drop),
                               "new": (pred_new, b_keys)}.items():
        p, r = pr(pred, true)
        out[f"{name}_precision"], out[f"{name}_recall"], out[f"{name}_n"] = p, r, len(true)
    return out


def report(paragraphs_path="results/paragraphs.parquet", config="workflow/config.yaml") -> pd.DataFrame:
    from ..compare.crosslingual import Settings, compare_table_cross, load_resources

    cfg = read_yaml(config, "config")
    cl = cfg["compare"]["cross_lingual"]
    res = load_resources(cfg["pillars"]["terms"], cl["terms"], cl["dictionary"])
    paragraphs = pd.read_parquet(paragraphs_path)
    key = read_key()
    doc_a, doc_b = "A/RES/68/276", "A/RES/72/284"
    runs = {"aligner": Settings.of(cl)}
    runs.update({f"baseline t={t}": baseline_settings(t) for t in (0.1, 0.15, 0.2)})
    rows = []
    for name, st in runs.items():
        table = compare_table_cross(paragraphs, doc_a, doc_b, "zh", "en", res, st)
        for part, k in (("all", key), ("development", key[~key["held_out"]]), ("held-out", key[key["held_out"]]),
                        ("sure", key[key["confidence"] == "sure"])):
            rows.append({"method": name, "part": part, **score(table, k)})
    return pd.DataFrame(rows)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paragraphs", default="results/paragraphs.parquet")
    args = ap.parse_args(argv)
    out = report(args.paragraphs)
    with pd.option_context("display.width", 200, "display.max_columns", 30):
        print(out.round(3).to_string(index=False))


if __name__ == "__main__":
    main()
