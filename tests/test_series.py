"""Other resolution series beside the Strategy (manifest columns `series` and `order`): versions are paired, traced
and compared only within a series; the same order twice in one series is refused.

End to end (one pipeline run): a scratch copy of the project gets the rows of two series it does not ship, the
WMD series (78/43 -> 79/42 -> 80/41) and Terrorism and human rights (78/210 -> 80/213), whose real ODS PDFs
(tests/data/ods/) are imported through data/inbox/ and `snakemake inbox`; the main job then runs on the Strategy
and both series. The Strategy's tables must be those of the session's run on the Strategy alone."""

from __future__ import annotations

import csv
import io
import shutil

import pandas as pd
import pytest

from gcts.compare.lineage import consecutive, series_pairs, series_versions, versions
from gcts.errors import InputError
from gcts.sources.fetch import wanted_documents
from gcts.sources.manifest import Source, read_manifest

from .conftest import ROOT, copy_project, run_snakemake

ODS = ROOT / "tests" / "data" / "ods"
WMD_TITLE = "Measures to prevent terrorists from acquiring weapons of mass destruction"
# the rows a user adds (review left empty: the order is the session); adoption dates from the documents
ROWS = [("A/RES/78/43", WMD_TITLE, "78", "2023-12-04", "wmd"),
        ("A/RES/79/42", WMD_TITLE, "79", "2024-12-02", "wmd"),
        ("A/RES/80/41", WMD_TITLE, "80", "2025-12-01", "wmd"),
        ("A/RES/78/210", "Terrorism and human rights", "78", "2023-12-19", "thr"),
        ("A/RES/80/213", "Terrorism and human rights", "80", "2025-12-18", "thr")]


def add_rows(manifest, rows, order=None) -> None:
    """Append manifest rows (symbol, title, session, adopted, series), leaving review and the texts' cells empty."""
    with open(manifest, newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    for i, (symbol, title, session, adopted, series) in enumerate(rows):
        writer.writerow({"symbol": symbol, "title": title, "session": session, "adopted": adopted,
                         "series": series, "order": "" if order is None else order[i]})
    with open(manifest, "a", encoding="utf-8") as f:
        f.write(buf.getvalue())


@pytest.fixture
def manifest(tmp_path):
    path = tmp_path / "data" / "resolutions.csv"
    path.parent.mkdir()
    shutil.copy(ROOT / "data" / "resolutions.csv", path)
    return path


# ---- the manifest ------------------------------------------------------------------------------------------------

def test_series_and_order_of_manifest_rows(manifest):
    add_rows(manifest, ROWS[:3], order=["", "2024-12-02", ""])
    m = read_manifest(manifest, manifest.parent.parent).set_index("symbol")
    assert m["series"].tolist() == ["gcts"] * 9 + ["wmd"] * 3                   # Strategy first
    assert m.loc["A/RES/75/291", ["order", "review"]].tolist() == [7, 7]          # gcts: the review number
    assert m.loc["A/RES/78/43", ["series", "order", "review"]].tolist() == ["wmd", 78, 78]   # the session
    assert m.loc["A/RES/79/42", "order"] == 20241202                                 # an ISO date, as YYYYMMDD


def test_a_manifest_without_series_columns_is_the_strategy(tmp_path):
    path = tmp_path / "resolutions.csv"
    df = pd.read_csv(ROOT / "data" / "resolutions.csv", dtype=str, keep_default_na=False)
    df.drop(columns=["series", "order"]).to_csv(path, index=False)
    m = read_manifest(path, ROOT)
    assert set(m["series"]) == {"gcts"} and m["order"].tolist() == m["review"].tolist() == list(range(9))


def test_the_same_order_twice_in_one_series_is_refused(manifest):
    add_rows(manifest, ROWS[:3], order=["78", "79", "79"])
    with pytest.raises(InputError, match=r"resolutions\.csv: order 79 in series 'wmd' is given to A/RES/79/42 "
                                         r"\(row 12\) and A/RES/80/41 \(row 13\); each document of a series needs"):
        read_manifest(manifest, manifest.parent.parent)


def test_the_same_order_in_two_series_is_fine(manifest):
    add_rows(manifest, [ROWS[0], ROWS[3]])                         # both session 78, different series
    m = read_manifest(manifest, manifest.parent.parent)
    assert m.loc[m["order"] == 78, "series"].tolist() == ["thr", "wmd"]


@pytest.mark.parametrize("row, problem", [
    (("A/RES/78/43", WMD_TITLE, "78", "2023-12-04", ""), "a row of the Strategy series \\(gcts\\) needs its review"),
    (("A/RES/78/43", WMD_TITLE, "78", "2023-12-04", "WMD series"), "series 'WMD series' is not a lower-case name"),
])
def test_bad_series_rows_are_refused(manifest, row, problem):
    add_rows(manifest, [row])
    with pytest.raises(InputError, match=problem):
        read_manifest(manifest, manifest.parent.parent)


def test_a_strategy_order_other_than_its_review_is_refused(manifest):
    df = pd.read_csv(manifest, dtype=str, keep_default_na=False)
    df.loc[df["symbol"] == "A/RES/75/291", "order"] = "9"
    df.to_csv(manifest, index=False, lineterminator="\n")
    with pytest.raises(InputError, match=r"row 9: order '9' differs from review '7'"):
        read_manifest(manifest, manifest.parent.parent)


def test_fetch_by_series(manifest):
    add_rows(manifest, ROWS)
    m = read_manifest(manifest, manifest.parent.parent)
    config = {"manifest": str(manifest), "fetch": {"languages": ["en"], "series": ["wmd"]}}
    assert wanted_documents(m, config) == [("A/RES/78/43", "en"), ("A/RES/79/42", "en"), ("A/RES/80/41", "en")]
    config["fetch"]["symbols"] = ["A/RES/77/298"]                   # either list names a document
    assert [s for s, _ in wanted_documents(m, config)] == ["A/RES/77/298", "A/RES/78/43", "A/RES/79/42",
                                                          "A/RES/80/41"]
    with pytest.raises(InputError, match=r"series \['ctr'\] have no row"):
        wanted_documents(m, {"manifest": str(manifest), "fetch": {"languages": ["en"], "series": ["ctr"]}})


# ---- pairing -----------------------------------------------------------------------------------------------------

def source(symbol, order, series, lang="en"):
    return Source(symbol, lang, ROOT / "x", "0" * 64, order, "2020-01-01", "t", series=series, order=order)


def test_versions_are_paired_only_within_a_series():
    sources = [source("A/RES/72/284", 6, "gcts"), source("A/RES/75/291", 7, "gcts"),
               source("A/RES/78/43", 78, "wmd"), source("A/RES/79/42", 79, "wmd"), source("A/RES/80/41", 80, "wmd"),
               source("A/RES/78/210", 78, "thr"), source("A/RES/68/276", 4, "gcts", "zh")]
    by_series = series_versions(sources, ["zh", "en"])
    assert list(by_series) == ["gcts", "thr", "wmd"]
    assert by_series["wmd"] == {"zh": [], "en": ["A/RES/78/43", "A/RES/79/42", "A/RES/80/41"]}
    assert series_pairs("consecutive", by_series) == [("A/RES/72/284", "A/RES/75/291"),
                                                      ("A/RES/78/43", "A/RES/79/42"), ("A/RES/79/42", "A/RES/80/41")]
    # one series' list, as before series existed, would have paired 75/291 with 78/43
    assert ("A/RES/78/210", "A/RES/78/43") in consecutive(versions(sources, ["en"]))
    with pytest.raises(InputError, match=r"crosses series \(gcts, wmd\)"):
        series_pairs([["A/RES/75/291", "A/RES/78/43"]], by_series)
    assert series_pairs([["A/RES/78/43", "A/RES/80/41"]], by_series) == [("A/RES/78/43", "A/RES/80/41")]


# ---- end to end: the Strategy beside two more series, through inbox ------------------------------------------------

@pytest.fixture(scope="module")
def series_run(tmp_path_factory):
    work = copy_project(tmp_path_factory.mktemp("series"))
    add_rows(work / "data/resolutions.csv", ROWS)
    inbox = work / "data/inbox"
    inbox.mkdir(exist_ok=True)
    for symbol, *_ in ROWS:
        name = f"{symbol.replace('/', '_')}.en.pdf"
        shutil.copy(ODS / name, inbox / name)
    run_snakemake(work, "inbox")
    proc = run_snakemake(work)
    (work / "snakemake.stdout").write_text(proc.stdout + proc.stderr, encoding="utf-8")
    return work


def strategy(table: pd.DataFrame, docs) -> pd.DataFrame:
    """The Strategy's rows: by the series column, else by document; a table of neither (the pillar model's) whole."""
    if "series" in table.columns:
        return table[table["series"] == "gcts"].reset_index(drop=True)
    return table[table["doc"].isin(docs)].reset_index(drop=True) if "doc" in table.columns else table


STRATEGY_TABLES = ["documents.csv", "paragraphs.csv", "footnotes.csv", "lineage_en.csv", "lineage_zh.csv",
                   "tables/series.csv", "tables/term_emergence.csv", "tables/verbs.csv", "tables/pillar_shares.csv",
                   "tables/pillar_eval.csv", "tables/pillar_confusion.csv", "tables/pillar_cv_predictions.csv",
                   "tables/pillar_concept_weights.csv", "tables/pillar_reading.csv",
                   "tables/pillar_changes.csv", "lineage_series.csv",
                   "compare/A_RES_68_276__A_RES_72_284.csv", "compare/A_RES_72_284__A_RES_75_291.csv"]


@pytest.mark.slow
def test_the_strategy_tables_do_not_change_when_series_are_added(series_run, pipeline_run):
    docs = {"A/RES/68/276", "A/RES/72/284", "A/RES/75/291"}
    for rel in STRATEGY_TABLES:
        alone = pd.read_csv(pipeline_run / "results" / rel, dtype=str, keep_default_na=False)
        beside = pd.read_csv(series_run / "results" / rel, dtype=str, keep_default_na=False)
        assert len(beside) >= len(alone), rel
        assert len(alone) > 0 or rel == "tables/pillar_changes.csv", rel   # no pillar change is a possible result
        pd.testing.assert_frame_equal(strategy(beside, docs), strategy(alone, docs), obj=rel)


@pytest.mark.slow
def test_each_series_runs_end_to_end_through_inbox(series_run):
    imported = pd.read_csv(series_run / "results/fetch/inbox.csv")
    assert imported["state"].tolist() == ["imported now"] * 5
    m = read_manifest(series_run / "data/resolutions.csv", series_run).set_index("symbol")
    assert m.loc["A/RES/80/41", ["series", "order", "en_path"]].tolist() == ["wmd", 80, "data/raw/A_RES_80_41.en.txt"]
    docs = pd.read_csv(series_run / "results/documents.csv", keep_default_na=False)
    assert docs[["doc", "series"]].values.tolist() == [
        ["A/RES/68/276", "gcts"], ["A/RES/72/284", "gcts"], ["A/RES/75/291", "gcts"],
        ["A/RES/78/210", "thr"], ["A/RES/80/213", "thr"],
        ["A/RES/78/43", "wmd"], ["A/RES/79/42", "wmd"], ["A/RES/80/41", "wmd"]]
    assert docs.loc[docs["series"] == "wmd", "operative"].tolist() == [6, 6, 6]
    paras = pd.read_parquet(series_run / "results/paragraphs.parquet")
    other = paras[paras["series"] != "gcts"]
    assert len(other) == docs.loc[docs["series"] != "gcts", ["preambular", "operative"]].sum().sum()
    assert other["verb_id"].notna().any()                                   # verbs for every series
    assert other["pillar"].isna().all() and paras.loc[paras["series"] == "gcts", "pillar"].notna().all()
    shares = pd.read_csv(series_run / "results/tables/pillar_shares.csv")
    assert set(shares["doc"]) == {"A/RES/68/276", "A/RES/72/284", "A/RES/75/291"}   # pillar series only
    series = pd.read_csv(series_run / "results/tables/series.csv")
    assert (series.loc[series["series"] != "gcts", "pillar_labelled"] == 0).all()
    # lineage: the WMD versions traced through one another only, in one file per language with a series column
    lineage = pd.read_csv(series_run / "results/lineage_en.csv", keep_default_na=False)
    wmd = lineage[lineage["series"] == "wmd"]
    sizes = dict(zip(docs["doc"], docs["preambular"] + docs["operative"]))
    assert set(wmd.loc[wmd["view"] == "newest", "doc"]) == {"A/RES/80/41"}
    assert len(wmd) == sizes["A/RES/80/41"] + sizes["A/RES/78/43"]                 # newest and oldest views
    assert wmd["history"].str.split(" > ").map(lambda h: all(p.split("|")[0] in {
        "A/RES/78/43", "A/RES/79/42", "A/RES/80/41"} for p in h)).all()
    assert (wmd.loc[wmd["view"] == "newest", "first_seen"] == "A/RES/78/43").mean() > 0.8
    # figures per series: the WMD series has its own, without a pillar figure
    figs = series_run / "results/figures"
    wmd_figs = sorted(p.name for p in (figs / "wmd").glob("*.png"))
    assert wmd_figs == ["alignment_flow.png", "growth.png", "strength_transitions.png", "term_emergence.png",
                        "verb_profile_operative.png", "verb_profile_preambular.png"]
    assert (figs / "pillar_shares.png").exists() and not (figs / "wmd/pillar_shares.png").exists()
    growth = pd.read_csv(figs / "wmd/growth.data.csv")
    assert set(growth["doc"]) == {"A/RES/78/43", "A/RES/79/42", "A/RES/80/41"}
    assert (figs / "wmd/growth.caption.rst").read_text(encoding="utf-8").startswith(f"**Series wmd** ({WMD_TITLE}).")
    flow = pd.read_csv(figs / "wmd/alignment_flow.data.csv")
    assert set(flow["doc_a"]) | set(flow["doc_b"]) <= {"A/RES/78/43", "A/RES/79/42", "A/RES/80/41"}
    assert set(pd.read_csv(figs / "growth.data.csv")["doc"]) <= set(m.index[m["series"] == "gcts"])
    # the report: each series, the Strategy first
    page = (series_run / "results/report.html").read_text(encoding="utf-8")
    heads = ["<h2>Figures</h2>", "<h2>Figures: series thr (Terrorism and human rights)</h2>",
             f"<h2>Figures: series wmd ({WMD_TITLE})</h2>", "<h2>Aligned versions, side by side</h2>",
             f"<h2>Aligned versions, side by side: series wmd ({WMD_TITLE})</h2>"]
    assert all(h in page for h in heads) and [page.index(h) for h in heads] == sorted(page.index(h) for h in heads)
    assert 'id="pair-79-42-80-41-en"' in page


@pytest.mark.slow
def test_no_alignment_across_series_and_unseen_series_aligned(series_run):
    docs = pd.read_csv(series_run / "results/documents.csv", keep_default_na=False)
    series_of = dict(zip(docs["doc"], docs["series"]))
    files = sorted((series_run / "results/compare").glob("*.csv"))
    # the Strategy's steps (2014 zh -> 2018 en across languages, 2018 -> 2021), then each other series' own
    assert [f.stem for f in files] == ["A_RES_68_276__A_RES_72_284", "A_RES_72_284__A_RES_75_291",
                                       "A_RES_78_210__A_RES_80_213",
                                       "A_RES_78_43__A_RES_79_42", "A_RES_79_42__A_RES_80_41"]
    for f in files:
        t = pd.read_csv(f)
        sides = set(t["doc_a"].dropna()) | set(t["doc_b"].dropna())
        assert len({series_of[d] for d in sides}) == 1, f.name
    # a series the project has never seen: its two versions are aligned, most paragraphs matched
    thr = pd.read_csv(series_run / "results/compare/A_RES_78_210__A_RES_80_213.csv")
    matched = thr["status"].isin(["unchanged", "modified", "moved", "merged", "split"])
    assert matched.mean() > 0.8 and (thr["status"] == "unchanged").sum() > 20
    assert set(thr.loc[matched, "doc_a"]) == {"A/RES/78/210"} and set(thr.loc[matched, "doc_b"]) == {"A/RES/80/213"}
    terms = pd.read_csv(series_run / "results/tables/term_emergence.csv", keep_default_na=False)
    assert set(terms.loc[terms["series"] == "wmd", "previous"]) <= {"A/RES/78/43", "A/RES/79/42"}
