"""From manifest rows to tidy tables: one row per paragraph, footnote and artefact."""

from __future__ import annotations

import json
from pathlib import Path

from ..text.checks import check_resolution
from ..text.ingest import read_text
from .manifest import Source, verify

# the columns of the tables of rule segment (one JSON file of rows per document) and rule collect
COLUMNS = {
    "paragraphs": ["pid", "doc", "lang", "review", "series", "order", "adopted", "kind", "number", "section", "text", "footnotes",
                   "start", "end", "truncated", "marked_verb", "file"],
    "footnotes": ["doc", "lang", "marker", "text", "start", "end", "marker_start", "marker_end", "pid", "file"],
    "artefacts": ["doc", "lang", "kind", "start", "end", "text"],
}
PARAGRAPH_COLUMNS = COLUMNS["paragraphs"]
KEY = ["doc", "lang", "kind", "number"]


def of_series(table, names):
    """The rows of `table` (with a `series` column) in the series `names`, e.g. the pillar series of the config;
    a table without the column is one series and kept whole."""
    return table[table["series"].isin(list(names))] if "series" in table.columns else table


def pid(doc: str, lang: str, kind: str, number: int) -> str:
    """Stable paragraph id, e.g. A/RES/68/276|zh|op|35 (pp preambular, op operative, ax annex)."""
    return f"{doc}|{lang}|{ {'operative': 'op', 'annex': 'ax'}.get(kind, 'pp')}|{int(number)}"


def segment_rows(source: Source) -> dict:
    """Verify, read and segment one local text; returns the rows (dicts) of the paragraphs, footnotes and
    artefacts tables (columns as in COLUMNS) and the header. Needs no pandas: rule segment runs once per
    document, and importing pandas would be most of its cost."""
    verify(source)
    text = read_text(source.path, source.lang)
    seg, caught = check_resolution(text, source.lang, source.path, source.symbol, claim="the manifest lists it as")
    rows = [{"pid": pid(source.symbol, source.lang, p.kind, p.number), "doc": source.symbol,
             "lang": source.lang, "review": source.review, "series": source.series, "order": source.position,
             "adopted": source.adopted, "kind": p.kind,
             "number": p.number, "section": p.section, "text": p.text,
             "footnotes": ";".join(map(str, p.footnotes)), "start": p.start, "end": p.end,
             "truncated": p.truncated, "marked_verb": p.marked_verb, "file": str(source.path)}
            for p in seg.paragraphs]
    notes = [{"doc": source.symbol, "lang": source.lang, "marker": n["marker"], "text": n["text"],
              "start": n["start"], "end": n["end"], "marker_start": n["marker_start"],
              "marker_end": n["marker_end"],
              "pid": pid(source.symbol, source.lang, n["para_kind"], n["para_number"]) if n["para_kind"] else "",
              "file": str(source.path)} for n in seg.footnotes]
    arts = [{"doc": source.symbol, "lang": source.lang, **a, "text": text[a["start"]:a["end"]]}
            for a in seg.artefacts]
    seen = {}
    for row in rows:                     # a duplicated printed number keeps a unique id: ...|op|5#2
        seen[row["pid"]] = seen.get(row["pid"], 0) + 1
        if seen[row["pid"]] > 1:
            row["pid"] = f"{row['pid']}#{seen[row['pid']]}"
    header = {"doc": source.symbol, "lang": source.lang, "review": source.review, "series": source.series,
              "order": source.position,
              "adopted": source.adopted, "title": seg.header.get("title", ""),
              "adopted_in_text": seg.header.get("adopted_text", ""), "file": str(source.path),
              "sha256": source.sha256, "chars": len(text),
              "preambular": sum(p.kind == "preambular" for p in seg.paragraphs),
              "operative": sum(p.kind == "operative" for p in seg.paragraphs),
              "footnotes": len(seg.footnotes), "warnings": [str(w.message) for w in caught]}
    return {"paragraphs": rows, "footnotes": notes, "artefacts": arts, "header": header}


def frames(segmented: list[dict]) -> dict:
    """The paragraphs, footnotes and artefacts DataFrames (columns as in COLUMNS) of one or more segment_rows
    results, in order."""
    import pandas as pd

    out = {name: pd.DataFrame([row for seg in segmented for row in seg[name]], columns=cols)
           for name, cols in COLUMNS.items()}
    notes = out["footnotes"]
    for col in ("marker_start", "marker_end"):   # a marker not found (None) keeps the others whole numbers
        if notes[col].dtype.kind == "f":
            notes[col] = notes[col].astype("Int64")
    return out


def segment_source(source: Source) -> dict:
    """segment_rows as DataFrames (paragraphs, footnotes, artefacts) and the header."""
    out = segment_rows(source)
    return {**frames([out]), "header": out["header"]}


ROW_GROUP = 1024


def json_cell(v):
    """A list-like cell (list, tuple, numpy array as read back from Parquet) or dict as a JSON string; other
    values unchanged."""
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (list, tuple)) or (hasattr(v, "tolist") and getattr(v, "ndim", 0) == 1):
        items = v.tolist() if hasattr(v, "tolist") else list(v)
        return json.dumps([x.item() if hasattr(x, "item") else x for x in items], ensure_ascii=False)
    return v


def flat(df):
    """A copy of df with every list or dict cell as JSON (for CSV)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object and out[col].map(lambda v: json_cell(v) is not v).any():
            out[col] = out[col].map(json_cell)
    return out


def write_csv(df, path, **kwargs) -> None:
    """df as UTF-8 CSV with list and dict cells as JSON (json.loads reads them back)."""
    flat(df).to_csv(path, index=False, encoding="utf-8", **kwargs)


def write_table(df, path) -> None:
    """Write <path>.csv (UTF-8, list cells as JSON) and <path>.parquet (native lists) side by side; path may end in
    either."""
    path = Path(path)
    base = path.with_suffix("")
    base.parent.mkdir(parents=True, exist_ok=True)
    write_csv(df, base.with_suffix(".csv"))
    # small row groups: a reader that filters on a column whose rows come in runs (doc) skips the rest
    df.to_parquet(base.with_suffix(".parquet"), index=False, row_group_size=ROW_GROUP)


def write_json(obj, path) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(obj, ensure_ascii=False, indent=1), encoding="utf-8")


def read_paragraphs(path="results/paragraphs.parquet", docs=None):
    """The paragraph table (a DataFrame) as written by the pipeline (Parquet keeps dtypes and lists); with
    `docs`, only those documents' rows (row groups of other documents are not read)."""
    import pandas as pd

    return pd.read_parquet(path, filters=[("doc", "in", list(docs))] if docs is not None else None)
