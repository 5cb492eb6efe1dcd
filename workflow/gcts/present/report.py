"""results/report.html: one self-contained page (images as data: URIs, no links to files) with the figures, the key
tables and a side-by-side diff of each aligned pair of versions."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import pandas as pd

from .figdata import DEFAULT_SERIES, of_series, pair_label, short

CSS = """
body{font-family:"DejaVu Sans","Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei",sans-serif;margin:2em auto;
max-width:1200px;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0 1.5em}th,td{border:1px solid #ddd;padding:3px 6px;
vertical-align:top;text-align:left}th{background:#f3f3f3}
figure{margin:1em 0 2.5em}figure img{max-width:100%;border:1px solid #eee}figcaption{font-size:.9em;color:#333}
del{background:#fdd;color:#900;text-decoration:line-through}ins{background:#dfd;color:#060;text-decoration:none}
.diff td.text{width:45%}.status{font-weight:bold;white-space:nowrap}.note{color:#555;font-size:.9em}
nav a{margin-right:1em}details{margin:.5em 0}
"""


def data_uri(path, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(Path(path).read_bytes()).decode('ascii')}"


def rst_to_html(text: str) -> str:
    """A caption written in reStructuredText, as an HTML fragment."""
    from docutils.core import publish_parts

    return publish_parts(text, writer_name="html", settings_overrides={"report_level": 5})["body"]


def table_html(df: pd.DataFrame, max_rows: int | None = None, source: str = "") -> str:
    shown = df if max_rows is None or len(df) <= max_rows else df.head(max_rows)
    out = shown.to_html(index=False, escape=True, na_rep="", border=0, float_format=lambda x: f"{x:.3f}")
    if source:
        out = f'<p class="note">From <code>{html.escape(str(source))}</code>.</p>' + out
    if shown is not df:
        out += f'<p class="note">First {max_rows} of {len(df)} rows.</p>'
    return out


def figure_html(name: str, png, caption_rst) -> str:
    caption = rst_to_html(Path(caption_rst).read_text(encoding="utf-8"))
    return (f'<figure id="fig-{html.escape(name)}"><img alt="{html.escape(name)}" src="{data_uri(png)}">'
            f"<figcaption>{caption}</figcaption></figure>")


def _blank(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)) or str(v) == ""


def _ref(kind, number) -> str:
    if _blank(number):
        return ""
    return f"{ {'operative': 'op', 'annex': 'ax'}.get(kind, 'pp')} {int(float(number))}"


def diff_rows(table: pd.DataFrame, lang: str) -> list[dict]:
    """Each alignment decision with the HTML of both sides; a matched pair of texts gets word-level highlights,
    read from the table's side_a_html/side_b_html (the Parquet table of rule compare) or, for a table without
    them (a CSV), computed here."""
    rows = []
    for r in table.itertuples(index=False):
        if isinstance(getattr(r, "side_a_html", None), str) and isinstance(getattr(r, "side_b_html", None), str):
            left, right = r.side_a_html, r.side_b_html
        else:
            from ..compare.diff import sides  # word diffs (spaCy/jieba tokens): loaded only for tables without them

            a, b = ("" if _blank(r.text_a) else str(r.text_a)), ("" if _blank(r.text_b) else str(r.text_b))
            left, right = sides(a, b, lang)
        verbs = ""
        va, vb = getattr(r, "verb_id_a", ""), getattr(r, "verb_id_b", "")
        if not _blank(va) or not _blank(vb):
            delta = getattr(r, "strength_delta", None)
            verbs = str(va) if va == vb else f"{'' if _blank(va) else va} → {'' if _blank(vb) else vb}"
            if not _blank(delta) and float(delta) != 0:
                verbs += f" ({float(delta):+g})"
        pillars = ""
        pa, pb = getattr(r, "pillar_a", ""), getattr(r, "pillar_b", "")
        if not _blank(pa) or not _blank(pb):
            pillars = f"{'' if _blank(pa) else pa} → {'' if _blank(pb) else pb}"
        rows.append({"status": r.status, "a": _ref(r.kind_a, r.number_a), "b": _ref(r.kind_b, r.number_b),
                     "similarity": "" if _blank(r.similarity) else f"{float(r.similarity):.2f}",
                     "verbs": verbs, "pillars": pillars, "left": left, "right": right})
    return rows


def diff_html(doc_a: str, doc_b: str, lang: str, table: pd.DataFrame) -> str:
    """Side-by-side view of one aligned pair; unchanged paragraphs are folded away."""
    rows = diff_rows(table, lang)
    counts = table["status"].value_counts()
    head = ", ".join(f"{s} {n}" for s, n in counts.items())
    parts = [f'<h3 id="pair-{short(doc_a).replace("/", "-")}-{short(doc_b).replace("/", "-")}-{lang}">'
             f"{html.escape(pair_label(doc_a, doc_b, lang))}</h3>",
             f'<p class="note">Alignment decisions: {html.escape(head)}. Left: {html.escape(doc_a)} with deleted '
             f"words struck through; right: {html.escape(doc_b)} with inserted words highlighted.</p>"]

    def render(sel):
        out = ['<table class="diff"><tr><th>status</th><th>A</th><th>B</th><th>similarity</th><th>verb</th>'
               f"<th>pillar</th><th>{html.escape(short(doc_a))}</th><th>{html.escape(short(doc_b))}</th></tr>"]
        for r in sel:
            out.append(f'<tr><td class="status">{html.escape(r["status"])}</td><td>{r["a"]}</td><td>{r["b"]}</td>'
                       f'<td>{r["similarity"]}</td><td>{html.escape(r["verbs"])}</td>'
                       f'<td>{html.escape(r["pillars"])}</td><td class="text">{r["left"]}</td>'
                       f'<td class="text">{r["right"]}</td></tr>')
        out.append("</table>")
        return "".join(out)

    changed = [r for r in rows if r["status"] != "unchanged"]
    same = [r for r in rows if r["status"] == "unchanged"]
    parts.append(render(changed) if changed else '<p class="note">No changed paragraph.</p>')
    if same:
        parts.append(f"<details><summary>{len(same)} unchanged paragraphs</summary>{render(same)}</details>")
    return "\n".join(parts)


def page(title: str, sections: list[tuple[str, str, str]], intro: str = "") -> str:
    """The whole document; sections are (anchor, heading, html)."""
    nav = " ".join(f'<a href="#{a}">{html.escape(h)}</a>' for a, h, _ in sections)
    body = "\n".join(f'<section id="{a}"><h2>{html.escape(h)}</h2>\n{content}</section>' for a, h, content in sections)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{CSS}</style></head><body><h1>{html.escape(title)}</h1>{intro}<nav>{nav}</nav>\n{body}\n"
            "</body></html>\n")


def counts_table(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Paragraphs per document and kind, by pillar when the pillar column is there."""
    keys = ["doc", "lang", "kind"]
    out = paragraphs.groupby(keys).size().rename("paragraphs").to_frame()
    out["truncated"] = paragraphs.groupby(keys)["truncated"].sum().astype(int)
    if "pillar" in paragraphs.columns:
        out = out.join(paragraphs.groupby(keys + ["pillar"]).size().unstack("pillar", fill_value=0))
    return out.reset_index()


def verbs_table(verbs: pd.DataFrame) -> pd.DataFrame:
    """Lead-in verb counts (results/tables/verbs.csv `paragraphs`): one row per verb id, one column per document,
    language and kind (pp preambular, op operative)."""
    wide = verbs.pivot_table(index="verb_id", columns=["doc", "lang", "kind"], values="paragraphs", aggfunc="sum",
                             fill_value=0)
    wide = wide.loc[wide.sum(axis=1).sort_values(ascending=False).index]
    wide.columns = [f"{short(d)} {lang} {kind[:2]}" for d, lang, kind in wide.columns]
    return wide.reset_index()


def series_heading(series: str, documents: pd.DataFrame) -> str:
    """'' for the Strategy (gcts); ': series wmd (<title of its latest document>)' for another series."""
    if series == DEFAULT_SERIES:
        return ""
    docs = of_series(documents, series)
    title = docs.sort_values("order")["title"].iloc[-1] if len(docs) and "title" in docs.columns else ""
    return f": series {series}" + (f" ({title})" if title else "")


def build(figures: list, documents: pd.DataFrame, paragraphs: pd.DataFrame, missing: list[tuple[str, str]],
          tables: dict[str, pd.DataFrame], pairs: dict[tuple[str, str, str], pd.DataFrame],
          all_pairs: int | None = None, figure_series: list[str] | None = None) -> str:
    """The report page. figures: PNG paths (captions beside them as <name>.caption.rst), of the series
    `figure_series` (one per figure; default: all the Strategy's); tables: title -> (frame, source file); pairs: the
    aligned pairs whose diffs are shown, of `all_pairs` (default: all shown). Each series has its own figures and
    its own side-by-side section, the Strategy (gcts) first."""
    docs = documents[[c for c in ("doc", "lang", "series", "review", "adopted", "title", "preambular", "operative",
                                  "footnotes", "warnings") if c in documents.columns]]
    missing_html = ("<p>Not available locally (never reconstructed): "
                    + html.escape(", ".join(f"{s} ({lang})" for s, lang in missing)) + ".</p>") if missing else ""
    figure_series = figure_series or [DEFAULT_SERIES] * len(figures)
    series_list = list(dict.fromkeys([DEFAULT_SERIES, *figure_series]))
    figs = {s: [] for s in series_list}
    for png, s in zip(figures, figure_series):
        png = Path(png)
        name = png.name.removesuffix(".png")
        figs[s].append(figure_html(name, png, png.with_name(f"{name}.caption.rst")))
    sections = [("documents", "Documents", table_html(docs, source="results/documents.csv") + missing_html)]
    for s in series_list:
        sections.append(("figures" if s == DEFAULT_SERIES else f"figures-{s}",
                         "Figures" + series_heading(s, documents), "\n".join(figs[s])))
    sections.append(("counts", "Paragraph counts", table_html(counts_table(paragraphs),
                                                              source="results/paragraphs.csv")))
    for title, (df, source) in tables.items():
        sections.append((title.lower().replace(" ", "-"), title, table_html(df, max_rows=300, source=source)))
    all_pairs = len(pairs) if all_pairs is None else all_pairs
    left_out = (f'<p class="note">The {len(pairs)} most recent of {all_pairs} aligned pairs are shown '
                "(<code>figures.max_versions</code> per series and language); every pair is in "
                "<code>results/compare/</code>.</p>") if all_pairs > len(pairs) else ""
    series_of = dict(zip(documents["doc"], documents["series"])) if "series" in documents.columns else {}
    for s in series_list:
        diffs = [diff_html(a, b, lang, t) for (a, b, lang), t in pairs.items()
                 if series_of.get(a, DEFAULT_SERIES) == s]
        if s == DEFAULT_SERIES:
            sections.append(("alignments", "Aligned versions, side by side", left_out + "\n".join(diffs) or
                             '<p class="note">No aligned pair: alignment needs two versions in the same language.'
                             "</p>"))
        else:
            sections.append((f"alignments-{s}", "Aligned versions, side by side" + series_heading(s, documents),
                             "\n".join(diffs) or '<p class="note">No aligned pair in this series: alignment needs '
                                                 "two of its versions in the same language.</p>"))
    intro = (f'<p class="note">{len(docs)} texts, {len(paragraphs)} paragraphs, {all_pairs} aligned '
             f"pair{'s' if all_pairs != 1 else ''}. Everything on this page is embedded; it opens offline.</p>")
    return page("UN Global Counter-Terrorism Strategy reviews: results", sections, intro)
