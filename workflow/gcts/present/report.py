"""results/report.html: one page for reading (images embedded as data: URIs) with the figures, the key tables and a
side-by-side diff of each aligned pair of versions. The page is a Jinja2 template (templates/report.html.j2), the
tables pandas Stylers; a table is shaped for reading (pivoted, numbers formatted, long ones cut to their top rows
with a link to the full CSV) by its entry in TABLES. New tables and sections: an entry in TABLES, or a section in
build()."""

from __future__ import annotations

import base64
import hashlib
import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..lang import codes
from .figdata import DEFAULT_SERIES, of_series, pair_label, short

TEMPLATES = Path(__file__).with_name("templates")


def data_uri(path, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(Path(path).read_bytes()).decode('ascii')}"


def rst_to_html(text: str) -> str:
    """A caption written in reStructuredText, as an HTML fragment."""
    from docutils.core import publish_parts

    return publish_parts(text, writer="html", settings_overrides={"report_level": 5})["body"]


# ---- numbers and cells ------------------------------------------------------------------------------------------

def number(v) -> str:
    """A cell for reading: whole numbers without decimals, others with three significant digits after the point."""
    if _blank(v):
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if float(v).is_integer():
            return f"{int(v):,}".replace(",", " ") if abs(v) >= 10000 else str(int(v))
        return f"{v:.3f}" if abs(v) < 10 else f"{v:.1f}"
    return str(v)


def percent(v) -> str:
    return "" if _blank(v) else f"{100 * float(v):.0f}%"


def listing(v, top: int = 5) -> str:
    """A list cell, or a JSON list/dict ({"recall": 5, ...}) as plain text: 'recall 5, note 4, … (+3)'."""
    if isinstance(v, str) and v[:1] in "[{":
        try:
            v = json.loads(v)
        except ValueError:
            return v
    if isinstance(v, dict):
        items = [f"{str(k).replace('_', ' ')} {number(n)}" for k, n in v.items()]
    elif hasattr(v, "__iter__") and not isinstance(v, str):
        items = [str(x) for x in v]
    else:
        return "" if _blank(v) else str(v)
    more = f", … (+{len(items) - top})" if len(items) > top else ""
    return ", ".join(items[:top]) + more


@dataclass
class Table:
    """A table as shown: its frame (already shaped), the file it comes from, how many rows the file has."""
    frame: pd.DataFrame
    source: str = ""
    rows: int | None = None
    title: str = ""
    note: str = ""
    order: str = ""
    formats: dict = field(default_factory=dict)   # column -> formatter (default: number)

    def html(self) -> str:
        formats = {c: self.formats.get(c, number) for c in self.frame.columns}
        # a stable id (pandas draws a random one): the same tables give the same page
        uuid = hashlib.sha1(f"{self.source}|{self.title}|{list(self.frame.columns)}".encode()).hexdigest()[:10]
        styler = (self.frame.style.hide(axis="index").format(formats, escape="html", na_rep="")
                  .set_table_attributes('class="data"').set_uuid(uuid))
        numeric = [c for c in self.frame.columns if pd.api.types.is_numeric_dtype(self.frame[c])
                   and not pd.api.types.is_bool_dtype(self.frame[c])]
        if numeric:
            styler = styler.set_properties(subset=numeric, **{"text-align": "right", "white-space": "nowrap"})
        return styler.to_html()

    def view(self, link_base: str = "") -> dict:
        rows = len(self.frame) if self.rows is None else self.rows
        return {"title": self.title, "source": self.source, "link": _link(self.source, link_base), "rows": rows,
                "shown": len(self.frame), "order": self.order, "note": self.note, "html": self.html()}


def _link(source: str, base: str) -> str:
    """The link from results/report.html to a results file (relative, so the folder can be moved)."""
    return source.removeprefix("results/") if source.startswith("results/") else base + source


# ---- shaping each table for reading -----------------------------------------------------------------------------

def top(frame: pd.DataFrame, n: int) -> pd.DataFrame:
    return frame.head(n) if len(frame) > n else frame


def documents_table(documents: pd.DataFrame) -> Table:
    cols = [c for c in ("doc", "lang", "series", "review", "adopted", "title", "preambular", "operative", "footnotes",
                        "warnings") if c in documents.columns]
    return Table(documents[cols], "results/documents.csv")


def pillar_eval_table(ev: pd.DataFrame) -> Table:
    """Classifier quality measured by cross-validation: one row per model, F1 per pillar, macro F1, accuracy."""
    if not {"model", "class", "f1"} <= set(ev.columns):
        return Table(ev)
    ev = ev[ev["f1"].notna()]            # the rows of the readings' agreement: agreement_table
    wide = ev.pivot_table(index="model", columns="class", values="f1", aggfunc="first", sort=False)
    wide.columns = [f"F1 {c}" if c not in ("accuracy", "macro avg", "weighted avg") else
                    {"accuracy": "accuracy", "macro avg": "macro F1", "weighted avg": "weighted F1"}[c]
                    for c in wide.columns]
    if "f1_fold_std" in ev.columns:
        macro = ev[ev["class"] == "macro avg"].set_index("model")
        wide["macro F1 over folds"] = [f"{m:.3f} ± {sd:.3f}" if not _blank(m) else ""
                                       for m, sd in zip(macro["f1_fold_mean"].reindex(wide.index),
                                                        macro["f1_fold_std"].reindex(wide.index))]
    support = ev[ev["class"] == "accuracy"].set_index("model")["support"] if "support" in ev.columns else None
    if support is not None:
        wide["paragraphs"] = support.reindex(wide.index)
    wide = wide.reset_index()
    three = {c: (lambda v: "" if _blank(v) else f"{float(v):.3f}") for c in wide.columns
             if c.startswith(("F1", "macro F1", "weighted F1", "accuracy")) and c != "macro F1 over folds"}
    return Table(wide, formats=three, note="F1 on held-out folds (paragraphs of one document group never in training and test).")


def agreement_table(ev: pd.DataFrame) -> Table:
    """The pillar labels against careful readings (the `agreement` rows of pillar_eval.csv): one row per reading,
    labels compared, part and document."""
    if "agreement" not in ev.columns:
        return Table(ev.iloc[:0])
    rows = ev[ev["agreement"].notna()]
    shown = pd.DataFrame({"compared": rows["model"], "part": rows["class"], "documents": rows["documents"],
                          "paragraphs": rows["support"].astype(int), "agreement": rows["agreement"]})
    return Table(shown.reset_index(drop=True), formats={"agreement": percent},
                 note="reading: the project's reading of 68/276; second reading: a blind one of the same paragraphs; "
                      "blind preamble reading: of the preambles of 72/284 and 75/291. Without a suffix: the final "
                      "labels; 'classifier alone': the classifier's own answers; 'vs the Assembly's filing': the "
                      "reader against the heading of the same provision in a headed version. How the readings were "
                      "made: workflow/resources/pillar_reading_*.md.")


def confusion_table(conf: pd.DataFrame) -> Table:
    return Table(conf.rename(columns=lambda c: c.replace("pred_", "predicted ")),
                 note="Rows: the heading's pillar (true); columns: the model's.")


def reading_table(reading: pd.DataFrame) -> Table:
    """The reader's pillar beside the pipeline's, the classifier's own and the Assembly's filing of the same provision,
    per paragraph read (the notes and the paragraph ids are in the CSV)."""
    cols = [c for c in ("check", "kind", "reader", "pillar", "agree", "pillar_source", "model", "filed", "pillar_prob",
                        "pillar_terms") if c in reading.columns]
    shown = reading[cols].copy()
    for col in shown.columns:
        if shown[col].map(lambda v: isinstance(v, str) and v[:1] == "[" or
                          (hasattr(v, "__iter__") and not isinstance(v, str))).any():
            shown[col] = shown[col].map(listing)
    return Table(shown, formats={"pillar_prob": lambda v: "" if _blank(v) else f"{float(v):.2f}"},
                 note="pillar: the pipeline's label (pillar_source says what decided it); model: the classifier's own "
                      "answer; filed: the pillar heading under which the General Assembly files the same provision in "
                      "a headed version, reached through the alignments (blank: none).")


def pillar_shares_table(shares: pd.DataFrame) -> Table:
    """Document x pillar: the share of each pillar among the document's paragraphs, preambular and operative."""
    need = {"doc", "lang", "kind", "pillar", "share"}
    if not need <= set(shares.columns):
        return Table(shares)
    wide = shares.pivot_table(index=["doc", "lang", "kind"], columns="pillar", values="share", aggfunc="sum",
                              sort=False)
    if "total" in shares.columns:
        wide["paragraphs"] = shares.groupby(["doc", "lang", "kind"], sort=False)["total"].first()
    wide = wide.reset_index()
    return Table(wide, formats={c: percent for c in wide.columns if c not in ("doc", "lang", "kind", "paragraphs")},
                 note="Share of each pillar among the paragraphs of the document and kind; last column: how many.")


def pillar_changes_table(changes: pd.DataFrame) -> Table:
    """Every pair of aligned paragraphs whose pillar differs between the versions, with the reason
    (results/tables/pillar_changes.csv, written by the pillar stage)."""
    cols = [c for c in ("pid_a", "pid_b", "status", "similarity", "pillar_a", "pillar_b", "source_a", "source_b",
                        "reason") if c in changes.columns]
    if changes.empty:
        note = ("No aligned pair of paragraphs changes pillar between versions: each provision carries the same "
                "pillar in every version it is aligned in.")
    else:
        unchanged = int((changes["status"] == "unchanged").sum()) if "status" in changes.columns else 0
        note = (f"{len(changes)} aligned pair{'s' if len(changes) != 1 else ''} of paragraphs change pillar "
                f"({unchanged} of them aligned as unchanged), each with its reason.")
    return Table(top(changes[cols], 100), rows=len(changes), note=note,
                 formats={"similarity": lambda v: "" if _blank(v) else f"{float(v):.2f}"})


def verbs_table(verbs: pd.DataFrame) -> pd.DataFrame:
    """Lead-in verb counts (results/tables/verbs.csv `paragraphs`): one row per verb id, one column per document,
    language and kind (pp preambular, op operative, ax annex); verbs that open no paragraph anywhere are left out."""
    wide = verbs.pivot_table(index="verb_id", columns=["doc", "lang", "kind"], values="paragraphs", aggfunc="sum",
                             fill_value=0)
    wide = wide[wide.sum(axis=1) > 0]
    wide = wide.loc[wide.sum(axis=1).sort_values(ascending=False).index]
    wide.columns = [f"{short(d)} {lang} {KIND_ABBR.get(kind, kind)}" for d, lang, kind in wide.columns]
    return wide.reset_index()


def verbs_view(verbs: pd.DataFrame) -> Table:
    wide = verbs_table(verbs)
    return Table(wide, note="Paragraphs opening with each verb (pp preambular, op operative); verbs that open no "
                 "paragraph are left out.")


def series_table(series: pd.DataFrame) -> Table:
    """One column per document, one row per measure (the table is wide the other way)."""
    shown = series.copy()
    for col in shown.columns:
        if col.startswith("share_"):
            shown[col] = shown[col].map(percent)
        elif shown[col].map(lambda v: isinstance(v, str) and v[:1] == "{").any():
            shown[col] = shown[col].map(listing)
        else:
            shown[col] = shown[col].map(number)
    shown.index = [f"{short(d)} {lang}" for d, lang in zip(series["doc"], series["lang"])]
    tall = shown.drop(columns=[c for c in ("doc", "lang") if c in shown.columns]).T
    tall.index = [c.replace("_", " ") for c in tall.index]
    tall = tall.rename_axis("measure").reset_index()
    return Table(tall, rows=len(tall), note="One column per document; verbs: the most frequent lead-in verbs and "
                 "their paragraphs.")


def terms_table(terms: pd.DataFrame, n: int = 10) -> Table:
    """The top `n` new terms of each version (by keyness rank), without the paragraph ids (in the CSV)."""
    cols = [c for c in ("doc", "lang", "previous", "rank", "term", "count", "count_previous", "g2", "paragraphs")
            if c in terms.columns]
    shown = terms[terms["rank"] <= n][cols] if "rank" in terms.columns else top(terms[cols], n)
    return Table(shown, rows=len(terms), order=f"top {n} of each version by keyness",
                 formats={"g2": lambda v: "" if _blank(v) else f"{float(v):.1f}"})


def plain_table(frame: pd.DataFrame, n: int = 50) -> Table:
    return Table(top(frame, n), rows=len(frame))


# key of rule report_html's input -> (heading, shaper); in reading order
TABLES: dict[str, tuple[str, Callable[[pd.DataFrame], Table]]] = {
    "pillar_eval": ("Pillar classifier quality", pillar_eval_table),
    "pillar_confusion": ("Pillar confusion matrix", confusion_table),
    "pillar_agreement": ("Pillars against careful readings", agreement_table),
    "pillar_reading": ("Pillars against a reader's reading", reading_table),
    "pillar_shares": ("Pillar shares", pillar_shares_table),
    "pillar_changes": ("Pillar changes between aligned versions", pillar_changes_table),
    "verbs": ("Lead-in verbs", verbs_view),
    "series": ("Series", series_table),
    "terms": ("Term emergence", terms_table),
}


def shape(key: str, frame: pd.DataFrame, source: str) -> Table:
    """A table of rule report_html's input, shaped by its entry in TABLES (or cut to its first rows)."""
    shaper = TABLES[key][1] if key in TABLES else plain_table
    table = shaper(frame)
    table.source = table.source or str(source)
    if table.rows is None:
        table.rows = len(table.frame)
    return table


def _blank(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)) or str(v) == ""


KIND_ABBR = {"preambular": "pp", "operative": "op", "annex": "ax"}   # as in paragraph ids


def _ref(kind, number) -> str:
    if _blank(number):
        return ""
    return f"{KIND_ABBR.get(kind, 'pp')} {int(float(number))}"


def diff_rows(table: pd.DataFrame, lang: str) -> list[dict]:
    """Each alignment decision with the HTML of both sides; a matched pair of texts gets word-level highlights,
    read from the table's side_a_html/side_b_html (the Parquet table of rule compare) or, for a table without
    them (a CSV), computed here."""
    rows = []
    made = {"side_a_html", "side_b_html"} <= set(table.columns)
    for r in table.itertuples(index=False):
        a, b = ("" if _blank(r.text_a) else str(r.text_a)), ("" if _blank(r.text_b) else str(r.text_b))
        if made:                             # a side without a paragraph (new, dropped) is empty
            left = "" if _blank(r.side_a_html) else r.side_a_html
            right = "" if _blank(r.side_b_html) else r.side_b_html
        elif lang not in codes():            # across languages: no word diff, the texts as they are
            left, right = html.escape(a), html.escape(b)
        else:
            from ..compare.diff import sides  # word diffs (spaCy/jieba tokens): loaded only for tables without them

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


def pair_view(doc_a: str, doc_b: str, lang: str, table: pd.DataFrame) -> dict:
    """Side-by-side view of one aligned pair, for the template; unchanged paragraphs are folded away."""
    rows = diff_rows(table, lang)
    counts = table["status"].value_counts()
    return {"anchor": f"pair-{short(doc_a).replace('/', '-')}-{short(doc_b).replace('/', '-')}-{lang}",
            "label": pair_label(doc_a, doc_b, lang), "counts": ", ".join(f"{s} {n}" for s, n in counts.items()),
            "doc_a": doc_a, "doc_b": doc_b, "short_a": short(doc_a), "short_b": short(doc_b), "lang": lang,
            "changed": [r for r in rows if r["status"] != "unchanged"],
            "same": [r for r in rows if r["status"] == "unchanged"]}


def environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                       trim_blocks=True, lstrip_blocks=True)


def section(anchor: str, heading: str, tables=(), figures=(), pairs=(), note: str = "") -> dict:
    return {"anchor": anchor, "heading": heading, "tables": list(tables), "figures": list(figures),
            "pairs": list(pairs), "note": note}


def counts_table(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Paragraphs per document and kind, by pillar when the pillar column is there."""
    keys = ["doc", "lang", "kind"]
    out = paragraphs.groupby(keys).size().rename("paragraphs").to_frame()
    out["truncated"] = paragraphs.groupby(keys)["truncated"].sum().astype(int)
    if "pillar" in paragraphs.columns:
        out = out.join(paragraphs.groupby(keys + ["pillar"]).size().unstack("pillar", fill_value=0))
    return out.reset_index()


def series_heading(series: str, documents: pd.DataFrame) -> str:
    """'' for the Strategy (gcts); ': series wmd (<title of its latest document>)' for another series."""
    if series == DEFAULT_SERIES:
        return ""
    docs = of_series(documents, series)
    title = docs.sort_values("order")["title"].iloc[-1] if len(docs) and "title" in docs.columns else ""
    return f": series {series}" + (f" ({title})" if title else "")


def build(figures: list, documents: pd.DataFrame, paragraphs: pd.DataFrame, missing: list[tuple[str, str]],
          tables: dict, pairs: dict[tuple[str, str, str], pd.DataFrame], all_pairs: int | None = None,
          figure_series: list[str] | None = None) -> str:
    """The report page. figures: PNG paths (captions beside them as <name>.caption.rst), of the series
    `figure_series` (one per figure; default: all the Strategy's); tables: key of TABLES (or a title) -> (frame,
    source file); pairs: the aligned pairs whose diffs are shown, of `all_pairs` (default: all). Each series has its
    own figures and its own side-by-side section, the Strategy (gcts) first."""
    docs = documents_table(documents)
    missing_note = ("Not available locally (never reconstructed): "
                    + ", ".join(f"{s} ({lang})" for s, lang in missing) + ".") if missing else ""
    figure_series = figure_series or [DEFAULT_SERIES] * len(figures)
    series_list = list(dict.fromkeys([DEFAULT_SERIES, *figure_series]))
    figs = {s: [] for s in series_list}
    for png, s in zip(figures, figure_series):
        png = Path(png)
        name = png.name.removesuffix(".png")
        caption = rst_to_html(png.with_name(f"{name}.caption.rst").read_text(encoding="utf-8"))
        figs[s].append({"name": name, "src": data_uri(png), "caption": caption})
    counts = Table(counts_table(paragraphs), "results/paragraphs.csv")
    sections = [section("documents", "Documents", [docs.view()], note=missing_note)]
    for s in series_list:
        sections.append(section("figures" if s == DEFAULT_SERIES else f"figures-{s}",
                                "Figures" + series_heading(s, documents), figures=figs[s]))
    sections.append(section("counts", "Paragraph counts", [counts.view()]))
    for key, (frame, source) in tables.items():
        heading = TABLES[key][0] if key in TABLES else key
        sections.append(section(heading.lower().replace(" ", "-").replace("'", ""), heading,
                                [shape(key, frame, source).view()]))
    all_pairs = len(pairs) if all_pairs is None else all_pairs
    left_out = (f"The {len(pairs)} most recent of {all_pairs} aligned pairs are shown (figures.max_versions per "
                "series and language); every pair is in results/compare/.") if all_pairs > len(pairs) else ""
    series_of = dict(zip(documents["doc"], documents["series"])) if "series" in documents.columns else {}
    for s in series_list:
        views = [pair_view(a, b, lang, t) for (a, b, lang), t in pairs.items()
                 if series_of.get(a, DEFAULT_SERIES) == s]
        if s == DEFAULT_SERIES:
            note = left_out if views else "No aligned pair: alignment needs two versions of the series."
            sections.append(section("alignments", "Aligned versions, side by side", pairs=views, note=note))
        else:
            note = "" if views else "No aligned pair in this series: alignment needs two of its versions."
            sections.append(section(f"alignments-{s}", "Aligned versions, side by side" + series_heading(s, documents),
                                    pairs=views, note=note))
    intro = (f"{len(docs.frame)} texts, {len(paragraphs)} paragraphs, {all_pairs} aligned "
             f"pair{'s' if all_pairs != 1 else ''}. Figures are embedded; the tables link to their full CSV files "
             "next to this page in results/.")
    return environment().get_template("report.html.j2").render(
        title="UN Global Counter-Terrorism Strategy reviews: results", intro=intro, sections=sections)
