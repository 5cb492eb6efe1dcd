"""Every CSV output keeps its list cells readable: JSON arrays (and JSON objects), which json.loads reads back."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from gcts.sources.corpus import write_table

LISTLIKE = re.compile(r"^\[.*\]$|^\{.*\}$", re.S)
MARKUP = {"diff"}   # inline diff markup ("[-old-]{+new+}"), text, not a list


def list_columns(csv) -> set[str]:
    """The list columns of a CSV: list-typed in its Parquet twin, or every non-empty cell shaped like a list."""
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    cols = set()
    twin = csv.with_suffix(".parquet")
    if twin.exists():
        schema = pq.read_schema(twin)
        cols |= {f.name for f in schema if str(f.type).startswith(("list", "large_list"))}
    for col in frame.columns:
        cells = frame[col][frame[col] != ""]
        if col not in MARKUP and len(cells) and cells.str.match(LISTLIKE).all():
            cols.add(col)
    return cols


def test_every_list_column_of_every_csv_is_json(pipeline_run):
    csvs = [p for p in sorted((pipeline_run / "results").rglob("*.csv")) if "benchmarks" not in p.parts]
    checked = {}
    for csv in csvs:
        frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
        for col in list_columns(csv):
            for cell in frame[col][frame[col] != ""]:   # an empty cell: no value
                value = json.loads(cell)   # raises on numpy's or Python's repr
                assert isinstance(value, (list, dict)), (csv.name, col, cell)
            checked[f"{csv.relative_to(pipeline_run)}:{col}"] = len(frame)
    for must in ("results/paragraphs.csv:pillar_terms", "results/paragraphs.csv:secondary_verbs",
                 "results/paragraphs.csv:modifiers", "results/tables/pillar_reading.csv:pillar_terms"):
        assert must in checked, sorted(checked)


def test_arrays_read_back_from_parquet_are_written_as_json(tmp_path):
    """The defect: cells that come back from Parquet are numpy arrays, which were written as their repr."""
    df = pd.DataFrame({"pid": ["a", "b", "c"], "terms": [["进展情况", "《战略》"], [], ["x"]],
                       "plain": ["one", "two", "three"]})
    write_table(df, tmp_path / "t.csv")
    back = pd.read_parquet(tmp_path / "t.parquet")
    assert isinstance(back["terms"].iloc[0], np.ndarray)
    write_table(back, tmp_path / "u.csv")
    csv = pd.read_csv(tmp_path / "u.csv", keep_default_na=False)
    assert [json.loads(c) for c in csv["terms"]] == [["进展情况", "《战略》"], [], ["x"]]
    assert list(csv["plain"]) == ["one", "two", "three"]
    assert pd.read_parquet(tmp_path / "u.parquet")["terms"].map(list).tolist() == df["terms"].tolist()
