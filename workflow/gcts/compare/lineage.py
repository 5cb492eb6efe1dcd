"""Which versions to compare, and the lineage of paragraphs across all versions of a language.

The lineage follows the alignment of each consecutive pair of versions (results/compare/*.csv).
``view == "newest"``: one row per paragraph of the newest version (a blame view): the earliest
version its line of text reaches back to and each version where it changed.
``view == "oldest"``: one row per paragraph of the oldest version: where it went, or where it
was dropped. ``series_lineage`` does the same along the whole series across languages (series_steps):
a step between versions that share no language follows the cross-lingual alignment, and is listed in
``cross_lingual``. Through a merge or a split the line follows the most similar partner; the other
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


def series_pairs(setting, by_series: dict[str, dict[str, list[str]]], cross_lingual: bool = False,
                 orders: dict[str, list[str]] | None = None) -> list[tuple[str, str]]:
    """``pairs`` within each series: "consecutive" pairs adjacent versions of one series (with `cross_lingual`,
    also the steps of the series that cross languages, in the series' `orders`); an explicit pair of documents of
    two different series is refused."""
    if setting == "consecutive":
        return sorted({p for name, vers in by_series.items()
                       for p in pairs("consecutive", vers, cross_lingual, (orders or {}).get(name))})
    series_of = {doc: name for name, vers in by_series.items() for docs in vers.values() for doc in docs}
    for item in setting:
        a, b = (check_symbol(x, CONFIG) for x in item)
        if a in series_of and b in series_of and series_of[a] != series_of[b]:
            raise InputError(CONFIG, f"pair [{a}, {b}] crosses series ({series_of[a]}, {series_of[b]}): versions "
                                     "are aligned only within a series")
    return pairs(setting, merged(by_series), cross_lingual)


def consecutive(vers: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Every pair of adjacent available versions, over all languages."""
    return sorted({(v[k], v[k + 1]) for v in vers.values() for k in range(len(v) - 1)})


def pairs(setting, vers: dict[str, list[str]], cross_lingual: bool = False, order: list[str] | None = None
          ) -> list[tuple[str, str]]:
    """The pairs to compare: "consecutive", or an explicit list of [A, B] symbols. With `cross_lingual`,
    "consecutive" adds the steps of the series that cross languages (series_steps), and an explicit pair may
    have no language in common."""
    if setting == "consecutive":
        cross = [(a, b) for a, b, la, lb in series_steps(vers, order) if la != lb] if cross_lingual else []
        return sorted(set(consecutive(vers)) | set(cross))
    out = []
    for item in setting:
        a, b = (check_symbol(x, CONFIG) for x in item)
        if a == b:
            raise InputError(CONFIG, f"pair [{a}, {b}] compares a document with itself")
        if not shared_languages(a, b, vers) and not (cross_lingual and _langs(a, vers) and _langs(b, vers)):
            raise InputError(CONFIG, f"pair [{a}, {b}]: no language has local texts of both documents"
                             + ("" if cross_lingual else " (compare.cross_lingual.enabled is false)"))
        out.append((a, b))
    return sorted(set(out))


def _langs(doc: str, vers: dict[str, list[str]]) -> list[str]:
    return [lang for lang, v in vers.items() if doc in v]


def series_order(sources, languages) -> list[str]:
    """The symbols of the local texts in any of `languages`, in series order (give it the sources of one series)."""
    out = []
    for src in sorted(sources, key=lambda src: (src.position, src.symbol)):
        if src.lang in languages and src.symbol not in out:
            out.append(src.symbol)
    return out


def series(vers: dict[str, list[str]], order: list[str] | None = None) -> list[str]:
    """Every version of any language in series order: `order` (series_order) when given, else the per-language
    orders merged (a version goes before the first version that follows it in some language)."""
    present = {d for v in vers.values() for d in v}
    if order is not None:
        return [d for d in order if d in present]
    out: list[str] = []
    for v in vers.values():
        for doc in v:
            if doc not in out:
                later = [k for k, d in enumerate(out) if any(d in w and doc in w and w.index(d) > w.index(doc)
                                                              for w in vers.values())]
                out.insert(min(later) if later else len(out), doc)
    return out


def series_steps(vers: dict[str, list[str]], order: list[str] | None = None) -> list[tuple[str, str, str, str]]:
    """The consecutive steps of the whole series across languages: (A, B, lang_a, lang_b). A step stays in the
    language of the previous step where both versions have it, else in a language both have, else it crosses
    from a language of A to one of B (the first in `vers` order): a cross-lingual step."""
    docs = series(vers, order)
    steps, lang = [], None
    for a, b in zip(docs, docs[1:]):
        la = lang if lang in _langs(a, vers) else _langs(a, vers)[0]
        shared = shared_languages(a, b, vers)
        if la in shared:
            steps.append((a, b, la, la))
        elif shared:
            steps.append((a, b, shared[0], shared[0]))
        else:
            steps.append((a, b, la, _langs(b, vers)[0]))
        lang = steps[-1][3]
    return steps


def pair_lang(a: str, b: str, vers: dict[str, list[str]], order: list[str] | None = None) -> list[str]:
    """[lang_a, lang_b] of the cross-lingual alignment of a pair (its series step, else the first languages)."""
    for sa, sb, la, lb in series_steps(vers, order):
        if (sa, sb) == (a, b) and la != lb:
            return [la, lb]
    return [_langs(a, vers)[0], _langs(b, vers)[0]]


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


def _pairs(tables: dict, a: str, b: str):
    """The compare rows of consecutive versions a -> b, or an InputError saying the alignment is missing."""
    t = tables.get((a, b))
    if t is None:
        raise InputError(f"results/compare ({a} -> {b})", "the alignment of these consecutive versions is missing")
    return t


def _trace(pid, steps, side):
    """Follow pid through the pair tables `steps` (doc, lang, table; already in walking order). A step with a lang
    reads the paragraph of that language version first (series_lineage: the walk changes language)."""
    line, changes, partners, stop = [pid], [], [], None
    for doc, lang, table in steps:
        if lang:
            pid = _relang(pid, lang)
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
        t = _pairs(tables, a, b)
        links.append((a, b, *_links(t[t["lang"] == lang])))
    rows = []
    for pid in paras.index[paras["doc"] == docs[-1]]:
        line, changes, partners, stop = _trace(pid, [(b, None, back) for a, b, back, _ in reversed(links)], "a")
        first = paras.at[line[-1], "doc"]
        rows.append(_row(lang, "newest", pid, paras, first_seen=first, first_pid=line[-1], last_seen=docs[-1],
                         last_pid=pid, dropped_in="", changes=changes[::-1], partners=partners,
                         history=line[::-1]))
    for pid in paras.index[paras["doc"] == docs[0]]:
        line, changes, partners, stop = _trace(pid, [(b, None, fwd) for a, b, _, fwd in links], "b")
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


SERIES_COLUMNS = ["view", "pid", "doc", "lang", "kind", "number", "first_seen", "first_pid", "last_seen", "last_pid",
                  "dropped_in", "changed_in", "n_changes", "partners", "history", "langs", "cross_lingual"]


def step_tag(lang_a: str, lang_b: str) -> str:
    """The value of the ``lang`` column of a pair table: "en", or "zh-en" for a cross-lingual alignment."""
    return lang_a if lang_a == lang_b else f"{lang_a}-{lang_b}"


def _relang(pid: str, lang: str) -> str:
    """The same paragraph in another language version (paragraph numbers are those of the resolution)."""
    parts = pid.split("|")
    return "|".join([parts[0], lang, *parts[2:]]) if len(parts) >= 4 else pid


def series_lineage(paragraphs: pd.DataFrame, steps: list[tuple[str, str, str, str]], tables: dict) -> pd.DataFrame:
    """Both views along the whole series (see series_steps), across languages. `tables`: {(A, B): compare rows}."""
    if not steps:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    paras = paragraphs.set_index("pid")
    links = []
    for a, b, la, lb in steps:
        t = _pairs(tables, a, b)
        back, fwd = _links(t[t["lang"] == step_tag(la, lb)])
        links.append((a, b, la, lb, back, fwd))
    cross = {b: f"{a}->{b} ({la}-{lb})" for a, b, la, lb, _, _ in links if la != lb}
    rows = []

    last_doc, last_lang = steps[-1][1], steps[-1][3]
    first_doc, first_lang = steps[0][0], steps[0][2]
    for pid in paras.index[(paras["doc"] == last_doc) & (paras["lang"] == last_lang)]:
        walk = [(b, lb, back) for a, b, la, lb, back, _ in reversed(links)]
        line, changes, partners, _ = _trace(pid, walk, "a")
        first = paras.at[line[-1], "doc"]
        rows.append(_series_row("newest", pid, paras, line[::-1], changes[::-1], partners, cross, first_seen=first,
                                first_pid=line[-1], last_seen=last_doc, last_pid=pid, dropped_in=""))
    for pid in paras.index[(paras["doc"] == first_doc) & (paras["lang"] == first_lang)]:
        walk = [(b, la, fwd) for a, b, la, lb, _, fwd in links]
        line, changes, partners, stop = _trace(pid, walk, "b")
        rows.append(_series_row("oldest", pid, paras, line, changes, partners, cross, first_seen=first_doc,
                                first_pid=pid, last_seen=paras.at[line[-1], "doc"], last_pid=line[-1],
                                dropped_in=stop or ""))
    return pd.DataFrame(rows, columns=SERIES_COLUMNS)


def _series_row(view, pid, paras, history, changes, partners, cross, **kw):
    p = paras.loc[pid]
    docs = [paras.at[h, "doc"] for h in history]
    return {"view": view, "pid": pid, "doc": p["doc"], "lang": p["lang"], "kind": p["kind"], "number": p["number"],
            **kw, "changed_in": ";".join(changes), "n_changes": len(changes), "partners": ";".join(partners),
            "history": " > ".join(history), "langs": " > ".join(paras.at[h, "lang"] for h in history),
            "cross_lingual": ";".join(cross[d] for d in docs if d in cross)}
