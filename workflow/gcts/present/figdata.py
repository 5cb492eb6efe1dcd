"""The tables behind each figure: exactly the values a figure plots, computed from the pipeline's tables.

Every function returns a tidy DataFrame; results/figures/<name>.data.csv is that frame, so a reader (and the
tests) can check a figure against the table it comes from without looking at pixels. A figure with one panel or
column per version (or aligned pair) shows only the most recent ones (`recent`, `recent_pairs`); `Shown` says how
many were left out, for the caption.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd

from ..annotate.concepts import PILLARS as ALL_PILLARS
from ..lang import CANONICAL, codes
from ..lang import name as lang_name
from ..sources.manifest import DEFAULT_SERIES   # the Strategy: its figures stay in results/figures/

PILLARS = [p for p in ALL_PILLARS if p != "G"]   # the Plan of Action's four pillars
STATUSES = ["unchanged", "modified", "aligned", "moved", "merged", "split", "new", "dropped"]  # aligned: across languages
KINDS = ["preambular", "operative"]
PILLAR_KINDS = ["all", "operative", "preambular"]  # panels of the pillar figure
MATCHED = {"unchanged", "modified", "aligned", "moved", "merged", "split"}


def short(doc: str) -> str:
    """A/RES/72/284 -> 72/284."""
    return doc.removeprefix("A/RES/")


def doc_label(doc: str, lang: str, adopted: str = "") -> str:
    """'72/284 en (2018)'."""
    year = f" ({str(adopted)[:4]})" if adopted else ""
    return f"{short(doc)} {lang}{year}"


def pair_label(doc_a: str, doc_b: str, lang: str) -> str:
    if "-" in lang:   # a cross-lingual alignment, e.g. "zh-en"
        la, lb = lang.split("-", 1)
        return f"{short(doc_a)} {la} → {short(doc_b)} {lb} (across languages)"
    return f"{short(doc_a)} → {short(doc_b)} ({lang})"


# --- which series a figure shows: one set of figures per series ----------------------------------------------------


def figure_key(series: str, name: str) -> str:
    """The rule-output key of a series' figure: `name` for the Strategy (gcts), `<series>__<name>` otherwise."""
    return name if series == DEFAULT_SERIES else f"{series}__{name}"


def figure_path(series: str, name: str, ext: str) -> str:
    """results/figures/<name>.<ext> for the Strategy (gcts), results/figures/<series>/<name>.<ext> otherwise."""
    return f"results/figures/{name}.{ext}" if series == DEFAULT_SERIES else f"results/figures/{series}/{name}.{ext}"


def of_series(table: pd.DataFrame, series: str) -> pd.DataFrame:
    """The rows of one series (a table without a `series` column is all of the Strategy's)."""
    if "series" not in table.columns:
        return table if series == DEFAULT_SERIES else table.iloc[0:0]
    return table[table["series"] == series]


# --- which versions a figure shows (figures.max_versions) ----------------------------------------------------------

def recent(documents: pd.DataFrame, most: int) -> pd.DataFrame:
    """The `most` most recent versions of each language in `documents` (series order: review, then symbol)."""
    return documents.sort_values(["review", "doc"]).groupby("lang", sort=False).tail(most)


def recent_pairs(keys, documents: pd.DataFrame, most: int) -> list[tuple[str, str, str]]:
    """The `most` most recent aligned pairs (doc_a, doc_b, lang) of each language, by the newer version and then the
    older one in series order; languages in alphabetical order, pairs in series order."""
    docs = documents.sort_values(["review", "doc"])
    order = {(d, lang): i for i, (d, lang) in enumerate(zip(docs["doc"], docs["lang"]))}

    def place(key):  # where the newer version stands in the series, then the older one
        a, b, lang = key
        return order.get((b, lang), -1), order.get((a, lang), -1), key

    out = []
    for lang in sorted({k[2] for k in keys}):
        out += sorted((k for k in keys if k[2] == lang), key=place)[-most:]
    return out


def within(table: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """The rows of `table` about the documents (doc, lang) of `docs`."""
    keep = set(zip(docs["doc"], docs["lang"]))
    return table[[k in keep for k in zip(table["doc"], table["lang"])]]


def _plural(n: int, noun: str) -> str:
    return noun if n == 1 else noun + "s"


@dataclass
class Shown:
    """How many versions (or aligned pairs) of each language a figure shows, of how many there are."""

    shown: dict[str, int]
    total: dict[str, int]

    def cut(self) -> bool:
        """True when some were left out."""
        return any(self.shown.get(lang, 0) < n for lang, n in self.total.items())

    def counts(self) -> str:
        """'8 of 133 en, 5 zh': per language, shown (of how many, when some were left out)."""
        return ", ".join(f"{self.shown.get(lang, 0)} of {n} {lang}" if self.shown.get(lang, 0) < n else f"{n} {lang}"
                         for lang, n in sorted(self.total.items()))

    def note(self, noun: str, where: str) -> str:
        """The caption's sentence on what was left out, e.g. 'Shows the 8 most recent of 133 English versions and
        all 5 Chinese versions; all versions are in ...'; empty when nothing was left out."""
        if not self.cut():
            return ""
        parts = []
        for lang, n in sorted(self.total.items()):
            k, name = self.shown.get(lang, 0), lang_name(lang)
            if k == n:
                parts.append(f"all {n} {name} {_plural(n, noun)}" if n > 1 else f"the one {name} {noun}")
            else:
                parts.append(f"the {k} most recent of {n} {name} {_plural(n, noun)}" if k > 1
                             else f"the most recent of {n} {name} {_plural(n, noun)}")
        return (f"Shows {', '.join(parts[:-1]) + ' and ' if len(parts) > 1 else ''}{parts[-1]}; all "
                f"{_plural(2, noun)} are in {where} (``figures.max_versions`` in ``workflow/config.yaml`` sets how many are shown).")


def shown(kept, every=None) -> Shown:
    """Shown from the languages of the versions (or pairs) kept and of all of them (default: all were kept)."""
    kept = Counter(kept)
    return Shown(dict(kept), dict(Counter(every)) if every is not None else dict(kept))


# --- the tables behind the figures --------------------------------------------------------------------------------

def pillar_shares(shares: pd.DataFrame) -> pd.DataFrame:
    """From results/tables/pillar_shares.csv (paragraphs per document, kind and pillar): per document and kind
    (preambular, operative, all), the paragraphs of each pillar I–IV and their share of the pillar-specific
    paragraphs, with its interval (`share_low`, `share_high`: the table's share_of_pillars_low/high, from the
    model's probabilities) and, per document and kind, where the labels came from (`by_heading`, `by_lineage`,
    `by_model`, `by_override`, over all paragraphs including G).

    General paragraphs (G) are not one of the four pillars; their number is kept in `general` so the reader sees
    what the shares leave out, and `share_of_all` is the table's own share over all paragraphs. An even
    implementation would give each pillar 25%.
    """
    rows = []
    for (doc, lang, kind), g in shares.groupby(["doc", "lang", "kind"], sort=False):
        one = g.set_index("pillar")
        n = one["n"]
        pillar_total = int(sum(n.get(p, 0) for p in PILLARS))
        source = {f"by_{s}": int(one[f"n_{s}"].sum()) if f"n_{s}" in one else 0
                  for s in ("heading", "lineage", "model", "override")}
        for p in PILLARS:
            k = int(n.get(p, 0))
            low, high = (one.loc[p, c] if c in one and p in one.index else float("nan")
                         for c in ("share_of_pillars_low", "share_of_pillars_high"))
            rows.append({"doc": doc, "lang": lang, "review": int(g["review"].iloc[0]), "kind": kind, "pillar": p,
                         "n": k, "pillar_total": pillar_total, "general": int(n.get("G", 0)),
                         "paragraphs": int(g["total"].iloc[0]),
                         "share": k / pillar_total if pillar_total else float("nan"),
                         "share_of_all": k / int(g["total"].iloc[0]) if int(g["total"].iloc[0]) else float("nan"),
                         "share_low": low, "share_high": high, **source})
    out = pd.DataFrame(rows, columns=["doc", "lang", "review", "kind", "pillar", "n", "pillar_total", "general",
                                      "paragraphs", "share", "share_of_all", "share_low", "share_high",
                                      "by_heading", "by_lineage", "by_model", "by_override"])
    order = {k: i for i, k in enumerate(PILLAR_KINDS)}
    return out.sort_values(["review", "lang", "kind", "pillar"], key=lambda c: c.map(order) if c.name == "kind"
                           else c, ignore_index=True)


def growth(documents: pd.DataFrame, manifest: pd.DataFrame) -> pd.DataFrame:
    """Paragraph counts by kind for every review of the series; reviews without a local text have `available` False
    and no counts (they are missing, not zero)."""
    rows = []
    for m in manifest.sort_values("review").itertuples():
        here = documents[documents["doc"] == m.symbol]
        if here.empty:
            rows.append({"doc": m.symbol, "lang": "", "review": int(m.review), "adopted": m.adopted,
                         "available": False, "kind": "", "n": pd.NA})
            continue
        for d in here.sort_values("lang").itertuples():
            for kind in KINDS:
                rows.append({"doc": m.symbol, "lang": d.lang, "review": int(m.review), "adopted": m.adopted,
                             "available": True, "kind": kind, "n": int(getattr(d, kind))})
    return pd.DataFrame(rows, columns=["doc", "lang", "review", "adopted", "available", "kind", "n"]).astype(
        {"n": "Int64"})


def alignment_flow(pairs: dict[tuple[str, str, str], pd.DataFrame]) -> pd.DataFrame:
    """Per aligned pair and side: how many paragraphs of version A went where (unchanged, modified, moved, merged,
    split, dropped) and where the paragraphs of version B came from (..., new). A paragraph in several rows of the
    alignment table (a merge or a split) counts once, under its status."""
    rows = []
    for (doc_a, doc_b, lang), table in pairs.items():
        for side, doc in (("a", doc_a), ("b", doc_b)):
            cols = [f"kind_{side}", f"number_{side}"]
            present = table[table[f"number_{side}"].notna() & (table[f"number_{side}"].astype(str) != "")]
            paras = present.drop_duplicates(cols)
            counts = paras["status"].value_counts()
            for status in STATUSES:
                if status in counts:
                    rows.append({"doc_a": doc_a, "doc_b": doc_b, "lang": lang, "side": side, "doc": doc,
                                 "status": status, "n": int(counts[status])})
    return pd.DataFrame(rows, columns=["doc_a", "doc_b", "lang", "side", "doc", "status", "n"])


def direction(delta) -> str:
    if pd.isna(delta):
        return "not comparable"
    return "harder" if delta > 0 else "softer" if delta < 0 else "same strength"


def strength_transitions(pairs: dict[tuple[str, str, str], pd.DataFrame]) -> pd.DataFrame:
    """Per aligned pair: counts of lead-in verb transitions verb_id_a → verb_id_b over matched paragraphs, with the
    strength delta (B minus A on the active scale) and its direction. Same verb on both sides is 'same verb'."""
    rows = []
    for (doc_a, doc_b, lang), table in pairs.items():
        matched = table[table["status"].isin(MATCHED)].copy()
        matched["strength_delta"] = pd.to_numeric(matched["strength_delta"], errors="coerce")
        for col in ("verb_id_a", "verb_id_b"):
            matched[col] = matched[col].fillna("").astype(str)
        grouped = matched.groupby(["verb_id_a", "verb_id_b", "strength_delta"], dropna=False).size()
        for (va, vb, delta), n in grouped.items():
            rows.append({"doc_a": doc_a, "doc_b": doc_b, "lang": lang, "verb_id_a": va, "verb_id_b": vb,
                         "strength_delta": delta,
                         "direction": "same verb" if va == vb else direction(delta), "n": int(n)})
    out = pd.DataFrame(rows, columns=["doc_a", "doc_b", "lang", "verb_id_a", "verb_id_b", "strength_delta",
                                      "direction", "n"])
    return out.sort_values(["doc_a", "doc_b", "direction", "n"], ascending=[True, True, True, False],
                           ignore_index=True)


def verb_profile(verbs: pd.DataFrame, documents: pd.DataFrame, kind: str, labels: dict[str, str]) -> pd.DataFrame:
    """Per verb and document: paragraphs of `kind` that open with the verb (`n`, the `paragraphs` column of
    results/tables/verbs.csv) and their share of the document's paragraphs of that kind (`total`, from
    results/documents.csv). Verbs that occur only as secondary verbs are left out."""
    sub = verbs[(verbs["kind"] == kind) & (verbs["paragraphs"] > 0)]
    docs = documents[["doc", "lang", "review", "adopted", kind]].rename(columns={kind: "total"})
    out = (sub.groupby(["doc", "lang", "verb_id"], as_index=False)["paragraphs"].sum()
           .rename(columns={"paragraphs": "n"}).merge(docs, on=["doc", "lang"]))
    out["kind"] = kind
    out["label"] = out["verb_id"].map(lambda v: labels.get(v, v))
    out["share"] = out["n"] / out["total"]
    cols = ["verb_id", "label", "doc", "lang", "review", "adopted", "kind", "n", "total", "share"]
    return out[cols].sort_values(["review", "lang", "n"], ascending=[True, True, False], ignore_index=True)


def verb_labels(lexicon_path, paragraphs: pd.DataFrame | None = None, lang: str | None = None) -> dict[str, str]:
    """verb_id -> 'urge 敦促', 'call upon 吁请': the id and the form of the lexicon (workflow/resources/verbs.yaml)
    in `lang` (default: the first supported language other than the canonical one, Chinese) that the paragraphs of
    that language use most for it (the first listed form when none has the verb)."""
    from ..resources import read_yaml

    lang = lang or next(c for c in codes() if c != CANONICAL)

    entries = read_yaml(lexicon_path, "verb lexicon")["verbs"]
    used = pd.Series(dtype=str)
    if paragraphs is not None and {"verb", "verb_id"} <= set(paragraphs.columns):
        mine = paragraphs[paragraphs["lang"] == lang]
        used = mine["verb"].fillna("").astype(str).groupby(mine["verb_id"]).agg(" ".join)
    labels = {}
    for e in entries:
        raw = e.get(lang) or []
        raw = raw if isinstance(raw, list) else raw.get("operative", []) + raw.get("preambular", [])
        forms = [(f["form"] if isinstance(f, dict) else f).replace("{mod}", "") for f in raw]
        forms = [f for f in forms if f]
        if not forms:
            labels[e["id"]] = e["id"].replace("_", " ")
            continue
        text = used.get(e["id"], "")
        best = max(forms, key=lambda f: (text.count(f), -forms.index(f)))
        labels[e["id"]] = f"{e['id'].replace('_', ' ')} {best}"
    return labels


def versions(documents: pd.DataFrame) -> dict[str, list[tuple[str, str]]]:
    """{lang: [(doc, adopted), ...]} of the local texts, in series order."""
    docs = documents.sort_values(["review", "doc"])
    return {lang: list(zip(g["doc"], g["adopted"].astype(str))) for lang, g in docs.groupby("lang", sort=True)}


def hidden_terms(terms: pd.DataFrame, rules: list[dict]) -> pd.Series:
    """True for the terms a display rule leaves out (workflow/resources/figure_terms.yaml `hide`: pattern, why)."""
    import re

    hide = pd.Series(False, index=terms.index)
    for rule in rules:
        hide |= terms["term"].astype(str).map(lambda t: re.search(rule["pattern"], t, re.I) is not None)
    return hide


def term_emergence(terms: pd.DataFrame, top: int, hide: list[dict] | None = None) -> pd.DataFrame:
    """The best new terms of each version (results/tables/term_emergence.csv, ranked by keyness G2), in groups of
    tied keyness: whole groups are taken while at most `top` terms are shown (the best group always, however large),
    so ties are never broken by an arbitrary order. Terms a `hide` rule matches are left out first. Columns: those
    of the table plus `group` (1 = highest keyness), `group_size` (terms with that keyness), `hidden` (terms of the
    version left out by a rule) and `not_shown` (the version's other new terms, all of lower keyness)."""
    cols = ["lang", "doc", "review", "previous", "rank", "term", "count", "paragraphs", "g2"]
    EXTRA = ["group", "group_size", "hidden", "not_shown"]
    out = []
    for _, version in terms.groupby(["lang", "doc"], sort=False):
        left_out = hidden_terms(version, hide or [])
        kept = version[~left_out].sort_values(["g2", "count", "term"], ascending=[False, False, True])
        g2 = kept["g2"].round(6)
        group = g2.rank(method="dense", ascending=False).astype(int)
        sizes = group.map(group.value_counts())
        before = group.map({g: int((group < g).sum()) for g in group.unique()})   # terms in better groups
        take = (before + sizes <= top) | (group == 1)
        shown = kept[take].assign(group=group, group_size=sizes, hidden=int(left_out.sum()),
                                  not_shown=int((~take).sum()))
        out.append(shown)
    if not out:
        return pd.DataFrame(columns=cols + EXTRA)
    return (pd.concat(out)[cols + EXTRA]
            .sort_values(["review", "lang", "group", "term"], ignore_index=True))
