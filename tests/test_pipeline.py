"""End to end: the main job on the embedded corpus produces the output contract."""

import pandas as pd

CONTRACT = ["doc", "lang", "kind", "number", "section", "text", "footnotes", "start", "end", "truncated"]


def test_paragraph_table(pipeline_run):
    csv = pd.read_csv(pipeline_run / "results/paragraphs.csv", keep_default_na=False)
    pq = pd.read_parquet(pipeline_run / "results/paragraphs.parquet")
    assert set(CONTRACT) <= set(csv.columns)
    assert len(csv) == len(pq) == 21 + 43 + 38 + 85 + 47 + 119
    assert csv["pid"].is_unique
    counts = csv.groupby(["doc", "kind"]).size().to_dict()
    assert counts[("A/RES/68/276", "operative")] == 43 and counts[("A/RES/75/291", "preambular")] == 47
    assert csv.loc[csv["truncated"].astype(str) == "True", "pid"].tolist() == ["A/RES/68/276|zh|op|35"]


def test_offsets_trace_back_to_raw_files(pipeline_run):
    pq = pd.read_parquet(pipeline_run / "results/paragraphs.parquet")
    for file, group in pq.groupby("file"):
        raw = (pipeline_run / file).read_text(encoding="utf-8")
        for row in group.itertuples():
            span = raw[row.start:row.end]
            assert row.text[:3].replace(" ", "") in span.replace("**", "").replace(" ", "")[:60]


def test_footnotes_and_documents(pipeline_run):
    notes = pd.read_csv(pipeline_run / "results/footnotes.csv", keep_default_na=False)
    assert notes.groupby("doc").size().to_dict() == {"A/RES/68/276": 3, "A/RES/72/284": 11, "A/RES/75/291": 19}
    assert (notes["pid"] != "").all()
    assert (pipeline_run / "results/footnotes.parquet").exists()
    docs = pd.read_csv(pipeline_run / "results/documents.csv", keep_default_na=False)
    assert set(docs["doc"]) == {"A/RES/68/276", "A/RES/72/284", "A/RES/75/291"}


def test_missing_documents_reported_at_end(pipeline_run):
    log = (pipeline_run / "snakemake.stdout").read_text(encoding="utf-8")
    assert "documents of the series are not available locally (list: results/missing.txt)" in log
    listing = (pipeline_run / "results/missing.txt").read_text(encoding="utf-8")
    assert "A/RES/66/282 (zh)  https://" in listing and "uv run snakemake --cores 2 fetch" in listing


def test_logs_and_benchmarks_written(pipeline_run):
    assert (pipeline_run / "results/logs/collect.log").read_text(encoding="utf-8")
    assert list((pipeline_run / "results/benchmarks/segment").glob("*.tsv"))
