"""Which versions to compare, and the lineage of paragraphs across all versions of a language.

The lineage follows the alignment of each consecutive pair of versions (results/compare/*.csv).
``view == "newest"``: one row per paragraph of the newest version (a blame view): the earliest
version its line of text reaches back to and each version where it changed.
``view == "oldest"``: one row per paragraph of the oldest version: where it went, or where it
was dropped. Through a merge or a split the line follows the most similar partner; the other
partners are listed in ``partners``. "First seen" means the earliest *available* version: a
paragraph of the oldest local document may be older than that document.
"""

from __future__ import annotations

import pandas as pd

from ..errors import InputError
from ..sources.manifest import check_symbol, series_rank

COLUMNS = ["lang", "view", "pid", "doc", "kind", "number", "first_seen", "first_pid", "last_seen", "last_pid",
           "dropped_in", "changed_in", "n_changes", "partners", "history"]
CONFIG = "workflow/config.yaml compare.pairs"


def versions(sources, languages) -> dict[str, list[str]]:
    """{lang: [symbol, ...]} of the local texts, in series order (review number, or order in the series).
    Give it the sources of one series (``series_versions``): versions are aligned only within a series."""
    out = {lang: [] for lang in languages}
    for s in sorted(sources, key=lambda s: (s.position, s.symbol)):
        if s.lang in out and s.symbol not in out[s.lang]:
            out[s.lang].append(s.symbol)
    return out


def series_versions(sources, languages) -> dict[str, dict[str, list[str]]]:
    """{series: {lang: [symbol, ...]}}, the Strategy (gcts) first: the versions of each series apart."""
    groups: dict[str, list] = {}
    for s in sorted(sources, key=lambda s: series_rank(s.series)):
        groups.setdefault(s.series, []).append(s)
    return {name: versions(group, languages) for name, group in groups.items()}


def merged(by_series: dict[str, dict[str, list[str]]]) -> dict[str, list[str]]:
    """{lang: [symbol, ...]} over all series (series after series): for membership, never for pairing."""
    out: dict[str, list[str]] = {}
    for vers in by_series.values():
        for lang, docs in vers.items():
            out.setdefault(lang, []).extend(docs)
    return out


def series_pairs(setting, by_series: dict[str, dict[str, list[str]]]) -> list[tuple[str, str]]:
    """``pairs`` within each series: "consecutive" pairs adjacent versions of one series; an explicit pair of
    documents of two different series is refused."""
    if setting == "consecutive":
        return sorted({p for vers in by_series.values() for p in consecutive(vers)})
    series_of = {doc: name for name, vers in by_series.items() for docs in vers.values() for doc in docs}
    for item in setting:
        a, b = (check_symbol(x, CONFIG) for x in item)
        if a in series_of and b in series_of and series_of[a] != series_of[b]:
            raise InputError(CONFIG, f"pair [{a}, {b}] crosses series ({series_of[a]}, {series_of[b]}): versions "
                                     "are aligned only within a series")
    return pairs(setting, merged(by_series))


def consecutive(vers: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Every pair of adjacent available versions, over all languages."""
    return sorted({(v[k], v[k + 1]) for v in vers.values() for k in range(len(v) - 1)})


def pairs(setting, vers: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The pairs to compare: "consecutive", or an explicit list of [A, B] symbols."""
    if setting == "consecutive":
        return consecutive(vers)
    out = []
    for item in setting:
        a, b = (check_symbol(x, CONFIG) for x in item)
        if a == b:
            raise InputError(CONFIG, f"pair [{a}, {b}] compares a document with itself")
        if not shared_languages(a, b, vers):
            raise InputError(CONFIG, f"pair [{a}, {b}]: no language has local texts of both documents")
        out.append((a, b))
    return sorted(set(out))


def shared_languages(a: str, b: str, vers: dict[str, list[str]]) -> list[str]:
    return [lang for lang, v in vers.items() if a in v and b in v]


def _links(table: pd.DataFrame) -> tuple[dict, dict]:
    """From one pair's alignment rows: {pid_b: rows}, {pid_a: rows}, best similarity first."""
    t = table.sort_values("similarity", ascending=False, na_position="last")
    back, fwd = {}, {}
    for r in t.itertuples(index=False):
        if isinstance(r.pid_b, str):
            back.setdefault(r.pid_b, []).append(r)
        if isinstance(r.pid_a, str):
            fwd.setdefault(r.pid_a, []).append(r)
    return back, fwd


def _trace(pid, steps, side):
    """Follow pid through the pair tables `steps` (already in walking order)."""
    line, changes, partners, stop = [pid], [], [], None
    for doc, table in steps:
        rows = table.get(pid, [])
        if not rows or rows[0].status in ("new", "dropped"):
            stop = doc
            break
        r = rows[0]
        if r.status != "unchanged":
            changes.append(f"{doc}:{r.status}")
        nxt = r.pid_a if side == "a" else r.pid_b
        partners += [getattr(x, "pid_a" if side == "a" else "pid_b") for x in rows[1:]]
        pid = nxt
        line.append(pid)
    return line, changes, partners, stop


def lineage(paragraphs: pd.DataFrame, lang: str, docs: list[str], tables: dict) -> pd.DataFrame:
    """Both views for one language. `docs`: its versions in order; `tables`: {(A, B): compare rows}."""
    paras = paragraphs[paragraphs["lang"] == lang].set_index("pid")
    if not docs:
        return pd.DataFrame(columns=COLUMNS)
    links = []
    for a, b in zip(docs, docs[1:]):
        t = tables.get((a, b))
        if t is None:
            raise InputError(f"results/compare ({a} -> {b})", "the alignment of these consecutive versions is missing")
        links.append((a, b, *_links(t[t["lang"] == lang])))
    rows = []
    for pid in paras.index[paras["doc"] == docs[-1]]:
        line, changes, partners, stop = _trace(pid, [(b, back) for a, b, back, _ in reversed(links)], "a")
        first = paras.at[line[-1], "doc"]
        rows.append(_row(lang, "newest", pid, paras, first_seen=first, first_pid=line[-1], last_seen=docs[-1],
                         last_pid=pid, dropped_in="", changes=changes[::-1], partners=partners,
                         history=line[::-1]))
    for pid in paras.index[paras["doc"] == docs[0]]:
        line, changes, partners, stop = _trace(pid, [(b, fwd) for a, b, _, fwd in links], "b")
        last = paras.at[line[-1], "doc"]
        rows.append(_row(lang, "oldest", pid, paras, first_seen=docs[0], first_pid=pid, last_seen=last,
                         last_pid=line[-1], dropped_in=stop or "", changes=changes, partners=partners,
                         history=line))
    return pd.DataFrame(rows, columns=COLUMNS)


def _row(lang, view, pid, paras, changes, partners, history, **kw):
    p = paras.loc[pid]
    return {"lang": lang, "view": view, "pid": pid, "doc": p["doc"], "kind": p["kind"], "number": p["number"],
            **kw, "changed_in": ";".join(changes), "n_changes": len(changes), "partners": ";".join(partners),
            "history": " > ".join(history)}
