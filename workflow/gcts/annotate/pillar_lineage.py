"""Pillar labels along the text's lineage.

A paragraph's pillar is decided, in this order:
1. override: a researcher's pillar (data/annotations/pillar_overrides.csv);
2. heading: the pillar heading the General Assembly files it under (e.g. 75/291's "Pillar II ...");
3. lineage: the pillar of the nearest paragraph of kind 1 or 2 reached through aligned versions of the
   same provision (the compare tables: pairs of paragraphs with their similarity), each step at or above
   the lineage threshold; "nearest" is the path whose weakest step is strongest (widest path), then the
   fewest steps. `pillar_from` names that paragraph, `pillar_similarity` the weakest step;
4. model: the classifier. The versions of one provision that no heading reaches are labelled together,
   from the mean of the model's probabilities over them (`pillar_versions` says how many), so that a
   provision does not change pillar between reviews while its text stays the same.

Pairs aligned `unchanged` are always linked, whatever their similarity. The pairs come from any compare
table with the columns pid_a, pid_b, status, similarity (and lang, or lang_a and lang_b for tables that
align two languages).
"""

from __future__ import annotations

import heapq

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from .concepts import PILLARS
from .pillars import heading_labels

SOURCES = ("heading", "lineage", "model", "override")
PAIR_COLUMNS = ["pid_a", "pid_b", "status", "similarity"]
CHANGE_COLUMNS = ["doc_a", "pid_a", "doc_b", "pid_b", "lang_a", "lang_b", "status", "similarity", "pillar_a",
                  "pillar_b", "source_a", "source_b", "from_a", "from_b", "reason"]
LINEAGE_COLUMNS = ["pillar_from", "pillar_similarity", "pillar_versions"]


def pair_table(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """The aligned pairs of every compare table: pid_a, pid_b, status, similarity, lang_a, lang_b
    (rows without both paragraphs, i.e. new and dropped ones, are left out)."""
    frames = []
    for t in tables:
        missing = [c for c in PAIR_COLUMNS if c not in t.columns]
        if missing:
            raise ValueError(f"a compare table lacks columns {missing}")
        f = t.loc[t["pid_a"].notna() & t["pid_b"].notna() & (t["pid_a"] != "") & (t["pid_b"] != "")].copy()
        for side in ("a", "b"):
            col = f"lang_{side}"
            if col not in f.columns:
                f[col] = f["lang"] if "lang" in f.columns else f[f"pid_{side}"].str.split("|").str[1]
        frames.append(f[PAIR_COLUMNS + ["lang_a", "lang_b"]])
    if not frames:
        return pd.DataFrame(columns=PAIR_COLUMNS + ["lang_a", "lang_b"])
    return pd.concat(frames, ignore_index=True).drop_duplicates(["pid_a", "pid_b"])


def linked(pairs: pd.DataFrame, threshold: dict) -> pd.Series:
    """Which pairs carry a label: `unchanged` ones always; others when their similarity reaches the
    threshold (threshold['same_language'] or threshold['cross_language'])."""
    same = pairs["lang_a"] == pairs["lang_b"]
    t = np.where(same, threshold["same_language"], threshold["cross_language"])
    return pairs["status"].eq("unchanged") | (pairs["similarity"].astype(float) >= t)


def _widest(seeds: dict, edges: list[tuple[str, str, float]]) -> dict:
    """Multi-source widest path: per reached node (seed pid, weakest step, steps)."""
    adj: dict[str, list[tuple[str, float]]] = {}
    for a, b, w in edges:
        adj.setdefault(a, []).append((b, w))
        adj.setdefault(b, []).append((a, w))
    heap = [(-np.inf, 0, s, s) for s in sorted(seeds)]
    best: dict[str, tuple] = {}
    while heap:
        neg, hops, seed, node = heapq.heappop(heap)
        if node in best:
            continue
        best[node] = (seed, -neg, hops)
        for nxt, w in adj.get(node, ()):
            if nxt not in best:
                heapq.heappush(heap, (-min(-neg, w), hops + 1, seed, nxt))
    return best


def lineage_labels(paragraphs: pd.DataFrame, pillars: pd.DataFrame, pairs: pd.DataFrame,
                   threshold: dict, follow_up: dict | None = None, general: dict | None = None) -> pd.DataFrame:
    """pillars: the model's table with overrides applied (gcts.annotate.pillar_overrides.apply_overrides).
    Returns it with pillar, pillar_source, pillar_prob and prob_* decided as in the module docstring, and
    the columns pillar_from, pillar_similarity, pillar_versions (pillar_model keeps the model's own answer
    for the paragraph; prob_* are the pooled probabilities where pillar_versions > 1).
    follow_up, general: see gcts.annotate.pillars.heading_labels."""
    out = pillars.copy().set_index("pid", drop=False)
    heads = heading_labels(paragraphs, follow_up, general).set_index("pid")
    out["pillar_from"], out["pillar_similarity"], out["pillar_versions"] = "", np.nan, 1
    seeds = {}
    for pid, label in heads.loc[heads["label"] != "", "label"].items():
        if pid in out.index and out.at[pid, "pillar_source"] != "override":
            out.at[pid, "pillar"], out.at[pid, "pillar_source"] = label, "heading"
        seeds[pid] = True
    seeds.update({pid: True for pid in out.index[out["pillar_source"] == "override"]})
    seeds = {p for p in seeds if p in out.index}
    pairs = pairs[pairs["pid_a"].isin(out.index) & pairs["pid_b"].isin(out.index)]
    use = pairs[linked(pairs, threshold)]
    sim = np.where(use["status"].eq("unchanged"), 1.0, use["similarity"].astype(float))
    edges = list(zip(use["pid_a"], use["pid_b"], sim))
    for pid, (seed, weakest, hops) in _widest(seeds, edges).items():
        if hops == 0:
            continue
        out.at[pid, "pillar"] = out.at[seed, "pillar"]
        out.at[pid, "pillar_source"] = "lineage"
        out.at[pid, "pillar_from"] = seed
        out.at[pid, "pillar_similarity"] = round(float(weakest), 4)
    _pool_model(out, edges)
    probs = out[[f"prob_{p}" for p in PILLARS]].to_numpy(dtype=float)
    k = out["pillar"].map({p: i for i, p in enumerate(PILLARS)}).to_numpy()
    out["pillar_prob"] = probs[np.arange(len(out)), k]
    return out.reset_index(drop=True)


FILING_COLUMNS = ["pid", "filed", "filed_from", "filed_similarity"]


def filing(paragraphs: pd.DataFrame, pairs: pd.DataFrame, follow_up: dict | None = None,
           general: dict | None = None) -> pd.DataFrame:
    """The General Assembly's own filing of each paragraph's provision: the heading label of the nearest
    headed version reached through the aligned pairs, at any similarity (the aligner's decisions alone, no
    lineage threshold). For comparing a reading with the Assembly's sorting, not for labelling.
    Returns pid, filed ('' when no headed version is reached), filed_from, filed_similarity (weakest step)."""
    heads = heading_labels(paragraphs, follow_up, general)
    label = heads.set_index("pid")["label"]
    seeds = set(heads.loc[heads["label"] != "", "pid"])
    pairs = pairs[pairs["pid_a"].isin(label.index) & pairs["pid_b"].isin(label.index)]
    sim = np.where(pairs["status"].eq("unchanged"), 1.0, pairs["similarity"].astype(float))
    reached = _widest(seeds, list(zip(pairs["pid_a"], pairs["pid_b"], sim)))
    rows = [(pid, label[seed], seed, 1.0 if hops == 0 else round(float(weakest), 4))
            for pid, (seed, weakest, hops) in reached.items()]
    out = pd.DataFrame(rows, columns=FILING_COLUMNS)
    out = heads[["pid"]].merge(out, on="pid", how="left")
    return out.fillna({"filed": "", "filed_from": ""})


def _pool_model(out: pd.DataFrame, edges: list) -> None:
    """Versions of a provision left to the model (linked, no heading in reach) share one label: the
    argmax of their mean probabilities. In place."""
    model = out.index[out["pillar_source"] == "model"]
    pos = {p: i for i, p in enumerate(model)}
    e = [(pos[a], pos[b]) for a, b, _ in edges if a in pos and b in pos]
    if not e:
        return
    rows, cols = zip(*e)
    graph = sparse.coo_matrix((np.ones(len(e)), (rows, cols)), shape=(len(model), len(model)))
    _, comp = connected_components(graph, directed=False)
    prob_cols = [f"prob_{p}" for p in PILLARS]
    for c in np.unique(comp):
        members = model[comp == c]
        if len(members) < 2:
            continue
        mean = out.loc[members, prob_cols].to_numpy(dtype=float).mean(axis=0)
        out.loc[members, prob_cols] = mean
        out.loc[members, "pillar"] = PILLARS[int(mean.argmax())]
        out.loc[members, "pillar_versions"] = len(members)


def changes_table(paragraphs: pd.DataFrame, labels: pd.DataFrame, pairs: pd.DataFrame,
                  threshold: dict) -> pd.DataFrame:
    """Every aligned pair whose two paragraphs carry different pillars, with the reason."""
    lab = labels.set_index("pid")
    pairs = pairs[pairs["pid_a"].isin(lab.index) & pairs["pid_b"].isin(lab.index)].copy()
    pairs["link"] = linked(pairs, threshold)
    doc = paragraphs.set_index("pid")["doc"]
    rows = []
    for r in pairs.itertuples(index=False):
        a, b = lab.loc[r.pid_a], lab.loc[r.pid_b]
        if a["pillar"] == b["pillar"]:
            continue
        rows.append({"doc_a": doc.get(r.pid_a, ""), "pid_a": r.pid_a, "doc_b": doc.get(r.pid_b, ""),
                     "pid_b": r.pid_b, "lang_a": r.lang_a, "lang_b": r.lang_b, "status": r.status,
                     "similarity": r.similarity, "pillar_a": a["pillar"], "pillar_b": b["pillar"],
                     "source_a": a["pillar_source"], "source_b": b["pillar_source"],
                     "from_a": a["pillar_from"], "from_b": b["pillar_from"],
                     "reason": _reason(r, a, b, threshold)})
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def _reason(r, a, b, threshold) -> str:
    src = {a["pillar_source"], b["pillar_source"]}
    if "override" in src:
        side = r.pid_a if a["pillar_source"] == "override" else r.pid_b
        return f"override: a researcher set the pillar of {side}"
    if src == {"heading"}:
        return (f"headings: the General Assembly files {r.pid_a} under {a['pillar']} "
                f"and {r.pid_b} under {b['pillar']}")
    if r.link:
        return (f"lineage: the two versions take their pillars from different headed paragraphs "
                f"({a['pillar_from'] or r.pid_a}: {a['pillar']}, {b['pillar_from'] or r.pid_b}: {b['pillar']})")
    t = threshold["same_language" if r.lang_a == r.lang_b else "cross_language"]
    return (f"text changed: similarity {float(r.similarity):.2f} is below the lineage threshold {t}, so each "
            f"version is labelled on its own ({a['pillar_source']} {a['pillar']}, {b['pillar_source']} {b['pillar']})")
