"""Word-level diffs of two paragraphs: inline markup ``[-deleted-]{+inserted+}`` and HTML.

Words are spaCy tokens (jieba words for Chinese). Jieba may cut the words around an edit
differently in the two versions; a changed stretch of Chinese text therefore hands the characters
its two sides share at either edge back to the unchanged text, so the markup shows the real edit.
"""

from __future__ import annotations

import html
from difflib import SequenceMatcher
from typing import NamedTuple

import pandas as pd

from ..lang import profile
from ..lang.nlp import blank


class Seg(NamedTuple):
    op: str      # "=" unchanged, "-" deleted, "+" inserted
    text: str
    ws_a: str    # white space after the stretch in the old text ("" for "+")
    ws_b: str    # white space after the stretch in the new text ("" for "-")


def words(text: str, lang: str) -> list[tuple[str, str]]:
    """(word, white space after it) for each token of the text."""
    return [(t.text, t.whitespace_) for t in blank(lang).make_doc(text) if not t.is_space]


def _join(toks) -> str:
    return "".join(w + s for w, s in toks[:-1]) + toks[-1][0] if toks else ""


def _trim(a: str, b: str) -> tuple[str, str, str, str]:
    """Common prefix, the two differing middles, common suffix of two strings."""
    p = 0
    while p < min(len(a), len(b)) and a[p] == b[p]:
        p += 1
    s = 0
    while s < min(len(a), len(b)) - p and a[-1 - s] == b[-1 - s]:
        s += 1
    return a[:p], a[p:len(a) - s], b[p:len(b) - s], a[len(a) - s:]


def segments(a: str, b: str, lang: str) -> list[Seg]:
    """The diff of paragraph a -> paragraph b as a list of stretches."""
    wa, wb = words(a, lang), words(b, lang)
    sm = SequenceMatcher(None, [w for w, _ in wa], [w for w, _ in wb], autojunk=False)
    out: list[Seg] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        ta, tb = wa[i1:i2], wb[j1:j2]
        if tag == "equal":
            out.append(Seg("=", _join(tb), ta[-1][1], tb[-1][1]))
        elif tag == "replace" and not profile(lang).spaced:   # unspaced script: trim to characters
            pre, mid_a, mid_b, suf = _trim(_join(ta), _join(tb))
            parts = [Seg(op, text, "", "") for op, text in
                     (("=", pre), ("-", mid_a), ("+", mid_b), ("=", suf)) if text]
            last = parts[-1]
            parts[-1] = last._replace(ws_a=ta[-1][1] if last.op != "+" else "",
                                      ws_b=tb[-1][1] if last.op != "-" else "")
            out.extend(parts)
        else:
            if ta:
                out.append(Seg("-", _join(ta), ta[-1][1], ""))
            if tb:
                out.append(Seg("+", _join(tb), "", tb[-1][1]))
    return _merge(out)


def _merge(segs: list[Seg]) -> list[Seg]:
    merged: list[Seg] = []
    for s in segs:
        if merged and merged[-1].op == s.op:
            p = merged[-1]
            merged[-1] = Seg(s.op, p.text + (p.ws_a if s.op == "-" else p.ws_b) + s.text, s.ws_a, s.ws_b)
        else:
            merged.append(s)
    return merged


def changed(segs: list[Seg]) -> bool:
    return any(s.op != "=" for s in segs)


def _render(segs: list[Seg], wrap) -> str:
    out = []
    for k, s in enumerate(segs):
        out.append(wrap(s.op, s.text))
        nxt = segs[k + 1].op if k + 1 < len(segs) else None
        if nxt is None or (s.op == "-" and nxt == "+"):
            continue
        out.append(s.ws_a if s.op == "-" or (s.op == "=" and nxt == "-") else s.ws_b)
    return "".join(out)


def markup(segs: list[Seg]) -> str:
    """Inline markup, e.g. 'Urges [-all-]{+the+} States'; "" when nothing changed."""
    if not changed(segs):
        return ""
    return _render(segs, lambda op, t: t if op == "=" else (f"[-{t}-]" if op == "-" else f"{{+{t}+}}"))


def to_html(segs: list[Seg]) -> str:
    """The same diff as escaped HTML with <del> and <ins>."""
    def wrap(op, t):
        t = html.escape(t)
        return t if op == "=" else (f"<del>{t}</del>" if op == "-" else f"<ins>{t}</ins>")
    return _render(segs, wrap)


def side_html(segs: list[Seg], which: str) -> str:
    """One side of a diff as escaped HTML: the old text ('a') with deletions in <del>, or the new one ('b') with
    insertions in <ins> (for side-by-side views)."""
    keep, tag = ("=-", "del") if which == "a" else ("=+", "ins")
    kept = [s for s in segs if s.op in keep]
    out = []
    for k, s in enumerate(kept):
        text = html.escape(s.text)
        out.append(text if s.op == "=" else f"<{tag}>{text}</{tag}>")
        if k + 1 < len(kept):
            out.append(s.ws_a if which == "a" else s.ws_b)
    return "".join(out)


def sides(a: str, b: str, lang: str, segs: list[Seg] | None = None) -> tuple[str, str]:
    """Side-by-side HTML of two texts: (old with deletions marked, new with insertions marked); a text without a
    counterpart is marked whole. `segs`: their diff, if already computed."""
    a, b = ("" if not isinstance(t, str) else t for t in (a, b))
    if a and b:
        segs = segments(a, b, lang) if segs is None else segs
        return side_html(segs, "a"), side_html(segs, "b")
    return (f"<del>{html.escape(a)}</del>" if a else ""), (f"<ins>{html.escape(b)}</ins>" if b else "")


def side(segs: list[Seg], which: str) -> str:
    """The old ('a') or new ('b') text rebuilt from the diff (white space as in that text)."""
    keep = "=-" if which == "a" else "=+"
    kept = [s for s in segs if s.op in keep]
    return "".join(s.text + (s.ws_a if which == "a" else s.ws_b) for s in kept[:-1]) + \
        (kept[-1].text if kept else "")


# ---- the comparison table of two versions -------------------------------------------------------

COLUMNS = ["doc_a", "kind_a", "number_a", "doc_b", "kind_b", "number_b", "status", "similarity", "runner_up",
           "diff", "text_a", "text_b", "verb_id_a", "verb_id_b", "strength_delta", "pillar_a", "pillar_b"]
EXTRA = ["lang", "pid_a", "pid_b", "runner_up_similarity", "moved", "reason", "strength_a", "strength_b",
         "strength_axis_a", "strength_axis_b", "start_a", "end_a", "start_b", "end_b"]
HTML_COLUMNS = ["diff_html", "side_a_html", "side_b_html"]   # in the Parquet table only, not the CSV
OPTIONAL = {"verb_id": "str", "strength": "float64", "strength_axis": "str", "pillar": "str",  # verb, pillar stages
            "start": "float64", "end": "float64"}


def _optional(df: pd.DataFrame) -> pd.DataFrame:
    """The verb and pillar columns (and offsets), empty when absent from the table."""
    df = df.copy()
    for col, dtype in OPTIONAL.items():
        if col not in df.columns:
            df[col] = pd.Series([None] * len(df), index=df.index, dtype="object")
        if dtype == "float64":
            df[col] = pd.to_numeric(df[col], errors="coerce")
    return df


def compare_table(paragraphs: pd.DataFrame, doc_a: str, doc_b: str, lang: str, threshold: float,
                  containment: float) -> pd.DataFrame:
    """One row per alignment decision between two documents in one language (see COLUMNS, EXTRA).

    Merged and split rows carry the diff of the whole group: the old paragraphs of the group,
    joined in order, against the new ones. ``strength_delta`` is new minus old strength when
    both verbs are on the same axis of the strength scale. Besides, ``diff_html`` (the diff as
    HTML) and ``side_a_html``/``side_b_html`` (the row's own two texts, each with its side of
    their diff marked, for side-by-side views such as the HTML report).
    """
    from .align import align, in_order   # here: the report draws diffs without the aligner's imports

    pa = in_order(_optional(paragraphs[(paragraphs["doc"] == doc_a) & (paragraphs["lang"] == lang)]))
    pb = in_order(_optional(paragraphs[(paragraphs["doc"] == doc_b) & (paragraphs["lang"] == lang)]))
    dec = align(pa, pb, lang, threshold, containment)
    joiner = profile(lang).joiner
    rows = []
    for d in dec.itertuples(index=False):
        ra = pa.iloc[d.ia] if d.ia >= 0 else None
        rb = pb.iloc[d.ib] if d.ib >= 0 else None
        segs = []
        if ra is not None and rb is not None:
            if d.status in ("merged", "split"):
                mates = dec[dec["group"] == d.group]
                old = joiner.join(pa.iloc[sorted(set(mates["ia"]))]["text"])
                new = joiner.join(pb.iloc[sorted(set(mates["ib"]))]["text"])
            else:
                old, new = ra["text"], rb["text"]
            segs = segments(old, new, lang)
        side_a, side_b = sides(ra["text"] if ra is not None else "", rb["text"] if rb is not None else "", lang,
                               segs if d.status not in ("merged", "split") else None)
        row = {"lang": lang, "status": d.status, "similarity": d.similarity, "runner_up": d.runner_up,
               "runner_up_similarity": d.runner_up_similarity, "moved": bool(d.moved), "reason": d.reason,
               "diff": markup(segs), "diff_html": to_html(segs) if changed(segs) else "",
               "side_a_html": side_a, "side_b_html": side_b}
        for suffix, r, doc in (("_a", ra, doc_a), ("_b", rb, doc_b)):
            row["doc" + suffix] = doc if r is not None else None
            for col in ("kind", "number", "text", "pid", "verb_id", "pillar", "strength", "strength_axis", "start",
                        "end"):
                row[col + suffix] = r[col] if r is not None else None
        rows.append(row)
    out = pd.DataFrame(rows, columns=COLUMNS + EXTRA + HTML_COLUMNS)
    for col in ("number_a", "number_b", "start_a", "end_a", "start_b", "end_b"):
        out[col] = pd.array(out[col], dtype="Int64")
    for col in ("strength_a", "strength_b", "similarity", "runner_up_similarity"):
        out[col] = pd.to_numeric(out[col], errors="coerce").round(4)
    # strengths on different axes of the scale (e.g. directive vs declaratory) are not compared
    axis_a, axis_b = out["strength_axis_a"].fillna(""), out["strength_axis_b"].fillna("")
    out["strength_delta"] = (out["strength_b"] - out["strength_a"]).where(axis_a == axis_b).round(4)
    return out


# ---- a self-contained HTML page of the comparison -------------------------------------------------

STYLE = """body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;font-size:13px}th{background:#eee;position:sticky;top:0}
del{background:#fdd;color:#900}ins{background:#dfd;color:#060;text-decoration:none}
.new{background:#f3fff3}.dropped{background:#fff3f3}.moved{background:#f3f7ff}.merged,.split{background:#fffbe6}
.unchanged{color:#777}.num{white-space:nowrap}"""


def _cell(value) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) or value is pd.NA \
        else html.escape(str(value))


def html_page(table: pd.DataFrame, title: str) -> str:
    """The comparison as one HTML file: counts per status, then every decision with its diff."""
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
             f"<style>{STYLE}</style></head><body><h1>{html.escape(title)}</h1>"
             "<p>unchanged: same text; modified: same place, text changed; moved: the paragraph changed part "
             "(preamble/operative) or its order relative to the other matched paragraphs (its text may have changed "
             "too); new / dropped: no counterpart above the similarity threshold (the runner-up is the closest "
             "candidate); merged / split: several paragraphs share one counterpart (the diff is that of the whole "
             "group). Point at a status for the reason of the decision.</p>"]
    for lang, t in table.groupby("lang", sort=False):
        counts = t["status"].value_counts()
        parts.append(f"<h2>{html.escape(lang)}</h2><p>" + ", ".join(
            f"{html.escape(s)}: {n}" for s, n in counts.items()) + "</p>")
        parts.append("<table><tr><th>old</th><th>new</th><th>status</th><th>similarity</th><th>runner-up</th>"
                     "<th>text (deleted / inserted)</th><th>verb</th><th>pillar</th></tr>")
        for r in t.itertuples(index=False):
            if r.diff_html:
                body = r.diff_html
            elif isinstance(r.text_b, str):
                body = (f"<ins>{html.escape(r.text_b)}</ins>" if r.status == "new" else html.escape(r.text_b))
            else:
                body = f"<del>{_cell(r.text_a)}</del>"
            old = f"{_cell(r.kind_a)} {_cell(r.number_a)}".strip()
            new = f"{_cell(r.kind_b)} {_cell(r.number_b)}".strip()
            verb = " → ".join(x for x in (_cell(r.verb_id_a), _cell(r.verb_id_b)) if x)
            if _cell(r.strength_delta):
                verb += f" ({r.strength_delta:+.2f})"
            pillar = " → ".join(x for x in (_cell(r.pillar_a), _cell(r.pillar_b)) if x)
            ru = f"{_cell(r.runner_up)} ({_cell(r.runner_up_similarity)})" if _cell(r.runner_up) else ""
            parts.append(f"<tr class='{html.escape(r.status)}'><td class='num'>{old}</td><td class='num'>{new}</td>"
                         f"<td title='{_cell(r.reason)}'>{html.escape(r.status)}</td><td>{_cell(r.similarity)}</td>"
                         f"<td>{ru}</td><td>{body}</td><td>{verb}</td><td>{pillar}</td></tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def with_pillars(table: pd.DataFrame, paragraphs: pd.DataFrame) -> pd.DataFrame:
    """The alignment table with each side's final pillar (pillar_a, pillar_b) from the paragraph table, by pid.

    The alignment is made before the pillars (the labels follow the alignments, annotate.pillar_lineage), so the
    pillars are joined afterwards; a table of a cross-lingual pair also gets its pillar_change and changes again."""
    out = table.copy()
    if "pillar" in paragraphs.columns:
        pillar = paragraphs.set_index("pid")["pillar"]
        for side in ("a", "b"):
            out[f"pillar_{side}"] = out[f"pid_{side}"].map(pillar).astype(object).where(out[f"pid_{side}"].notna())
    if "pillar_change" in out.columns:
        from .crosslingual import refresh_changes

        out = refresh_changes(out)
    return out
