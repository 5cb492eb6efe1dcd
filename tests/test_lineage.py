"""Which versions are compared, the lineage across versions (on a three-version fixture chain with
known edits), and the language-neutral series table."""

from __future__ import annotations

import json
import math
from pathlib import Path

import jsonschema
import pandas as pd
import pytest
import yaml

from gcts.compare.diff import compare_table
from gcts.errors import InputError
from gcts.compare.lineage import COLUMNS, consecutive, lineage, pairs, shared_languages, versions
from gcts.sources.manifest import local_sources, read_manifest
from gcts.compare.series import COLUMNS as SERIES_COLUMNS
from gcts.compare.series import series_table
from tests.fixtures.builder import build, real_paragraphs

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "workflow" / "config.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def vers():
    manifest = read_manifest(ROOT / "data" / "resolutions.csv", root=ROOT)
    return versions(local_sources(manifest, ["zh", "en"], root=ROOT), ["zh", "en"])


def test_versions_and_pairs_of_the_embedded_corpus(vers):
    assert vers == {"zh": ["A/RES/68/276"], "en": ["A/RES/72/284", "A/RES/75/291"]}
    assert consecutive(vers) == [("A/RES/72/284", "A/RES/75/291")]
    assert pairs("consecutive", vers) == [("A/RES/72/284", "A/RES/75/291")]
    assert pairs([["A/RES/72/284", "A/RES/75/291"]], vers) == [("A/RES/72/284", "A/RES/75/291")]
    assert shared_languages("A/RES/72/284", "A/RES/75/291", vers) == ["en"]


@pytest.mark.parametrize("bad, problem", [
    ([["A/RES/68/276", "A/RES/75/291"]], "no language has local texts of both"),
    ([["A/RES/72/284", "A/RES/72/284"]], "compares a document with itself"),
    ([["../../etc/passwd", "A/RES/75/291"]], "not of the form"),
])
def test_bad_pairs_are_refused_with_the_config_key(vers, bad, problem):
    with pytest.raises(InputError, match=problem) as e:
        pairs(bad, vers)
    assert "compare.pairs" in str(e.value)


def test_config_schema_checks_the_compare_section():
    schema = yaml.safe_load((ROOT / "workflow" / "schemas" / "config.schema.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(CONFIG, schema)
    for key, value in (("containment", 0), ("pairs", "all"), ("colour", "red")):
        bad = json.loads(json.dumps(CONFIG))
        bad["compare"][key] = value
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)


# ---- lineage over a chain of three fixture versions ---------------------------------------------------

@pytest.fixture(scope="module")
def chain():
    """V1 = real 68/276 paragraphs, V2 = V1 with known edits, V3 = V2 with other known edits."""
    v1 = real_paragraphs("A_RES_68_276.zh.txt", "zh")
    fx1 = build(v1, "zh", 11)
    v2 = [{"id": r.pid, "kind": r.kind, "text": r.text} for r in fx1["b"].itertuples()]
    fx2 = build(v2, "zh", 12)
    frames = [(doc, fx["a" if k == 0 else "b"]) for k, (doc, fx) in
              enumerate([("FIXTURE/V1", fx1), ("FIXTURE/V2", fx1), ("FIXTURE/V3", fx2)])]
    paras = pd.concat([f.assign(doc=doc, lang="zh", pid=doc + "|" + f["pid"]) for doc, f in frames])
    docs = ["FIXTURE/V1", "FIXTURE/V2", "FIXTURE/V3"]
    tables = {(a, b): compare_table(paras, a, b, "zh", CONFIG["compare"]["threshold"]["zh"],
                                    CONFIG["compare"]["containment"]) for a, b in zip(docs, docs[1:])}
    return paras, docs, tables, fx1, fx2


def _sources(fx, pid):
    return [a for a, b in fx["links"] if b == pid]


def test_blame_view_follows_known_edits(chain):
    paras, docs, tables, fx1, fx2 = chain
    out = lineage(paras, "zh", docs, tables)
    assert list(out.columns) == COLUMNS
    newest = out[out["view"] == "newest"].set_index("pid")
    assert set(newest.index) == set(paras.loc[paras["doc"] == docs[2], "pid"])
    checked = agree = 0
    for c in fx2["b"]["pid"]:
        src2 = _sources(fx2, c)
        if len(src2) > 1:
            continue                                   # merges follow the most similar parent
        changes, first = [], "FIXTURE/V3"
        if src2:
            b = src2[0]
            if fx2["status"][(b, c)] != "unchanged":
                changes.insert(0, f"FIXTURE/V3:{fx2['status'][(b, c)]}")
            src1 = _sources(fx1, b)
            first = "FIXTURE/V2"
            if len(src1) > 1:
                continue
            if src1:
                first = "FIXTURE/V1"
                if fx1["status"][(src1[0], b)] != "unchanged":
                    changes.insert(0, f"FIXTURE/V2:{fx1['status'][(src1[0], b)]}")
        row = newest.loc[f"FIXTURE/V3|{c}"]
        checked += 1
        agree += row["first_seen"] == first and (row["changed_in"] or "") == ";".join(changes)
    assert checked > 50 and agree >= 0.95 * checked, f"{agree}/{checked}"
    synthetic = [c for c in fx2["b"]["pid"] if not _sources(fx2, c)]
    assert (newest.loc[[f"FIXTURE/V3|{c}" for c in synthetic], "first_seen"] == "FIXTURE/V3").all()


def test_oldest_view_says_where_each_paragraph_went(chain):
    paras, docs, tables, fx1, fx2 = chain
    out = lineage(paras, "zh", docs, tables)
    oldest = out[out["view"] == "oldest"].set_index("pid")
    assert len(oldest) == (paras["doc"] == docs[0]).sum()
    dropped1 = next(a for (a, b), s in fx1["status"].items() if s == "dropped")
    assert oldest.loc[f"FIXTURE/V1|{dropped1}", "dropped_in"] == "FIXTURE/V2"
    went = oldest[oldest["dropped_in"].fillna("") == ""]
    assert (went["last_seen"] == "FIXTURE/V3").all()
    assert went["history"].str.count(" > ").eq(2).all()


def test_one_version_gives_a_trivial_lineage(chain):
    paras, docs, tables, _, _ = chain
    out = lineage(paras, "zh", docs[:1], {})
    assert len(out) == 2 * (paras["doc"] == docs[0]).sum()
    assert (out["first_seen"] == docs[0]).all() and (out["last_seen"] == docs[0]).all()
    assert (out["n_changes"] == 0).all() and (out["history"] == out["pid"]).all()
    assert lineage(paras, "zh", [], {}).empty


def test_missing_alignment_is_a_clear_error(chain):
    paras, docs, tables, _, _ = chain
    with pytest.raises(InputError, match="alignment of these consecutive versions is missing"):
        lineage(paras, "zh", docs, {})


# ---- series ------------------------------------------------------------------------------------------

def _real_table():
    rows = []
    for f, lang, doc, review in (("A_RES_68_276.zh.txt", "zh", "A/RES/68/276", 4),
                                 ("A_RES_72_284.en.txt", "en", "A/RES/72/284", 6)):
        for p in real_paragraphs(f, lang):
            rows.append({"pid": f"{doc}|{p['id']}", "doc": doc, "lang": lang, "review": review,
                         "adopted": "2000-01-01", "kind": p["kind"], "text": p["text"]})
    return pd.DataFrame(rows)


def test_series_counts_without_annotations():
    out = series_table(_real_table())
    assert list(out.columns) == SERIES_COLUMNS
    assert out[["doc", "preambular", "operative"]].values.tolist() == [["A/RES/68/276", 21, 43],
                                                                      ["A/RES/72/284", 38, 85]]
    assert out["share_I"].isna().all() and out["mean_directive_strength"].isna().all()


def test_series_pillar_shares_and_verb_profile_are_language_neutral():
    t = _real_table()
    t["pillar"] = ["G", "I", "II", "III"] * (len(t) // 4) + ["IV"] * (len(t) % 4)
    t["verb_id"] = ["urge", "recall"] * (len(t) // 2) + ["urge"] * (len(t) % 2)
    t["verb_function"] = t["verb_id"].map({"urge": "directive", "recall": "declaratory"})
    t["strength"] = t["verb_id"].map({"urge": 0.75, "recall": 0.5})
    out = series_table(t).set_index("doc")
    for doc, d in t.groupby("doc"):
        row = out.loc[doc]
        assert math.isclose(sum(row[f"share_{p}"] for p in ["G", "I", "II", "III", "IV"]), 1, abs_tol=1e-3)
        assert math.isclose(row["share_G"], (d["pillar"] == "G").mean(), abs_tol=1e-4)
        ops = d[d["kind"] == "operative"]["verb_id"].value_counts().to_dict()
        assert json.loads(row["verbs_operative"]) == ops
        assert row["directive"] == (d["verb_id"] == "urge").sum() and row["mean_directive_strength"] == 0.75


# ---- end to end --------------------------------------------------------------------------------------

@pytest.mark.slow
def test_pipeline_lineage_and_series(pipeline_run):
    paras = pd.read_parquet(pipeline_run / "results/paragraphs.parquet")
    cmp = pd.read_csv(pipeline_run / "results/compare/A_RES_72_284__A_RES_75_291.csv")
    en = pd.read_csv(pipeline_run / "results/lineage_en.csv")
    assert list(en.columns) == [*COLUMNS, "series"] and set(en["series"]) == {"gcts"}   # one file per language
    newest, oldest = en[en["view"] == "newest"], en[en["view"] == "oldest"]
    assert sorted(newest["pid"]) == sorted(paras.loc[paras["doc"] == "A/RES/75/291", "pid"])
    assert sorted(oldest["pid"]) == sorted(paras.loc[paras["doc"] == "A/RES/72/284", "pid"])
    assert set(newest.loc[newest["first_seen"] == "A/RES/75/291", "pid"]) == \
        set(cmp.loc[cmp["status"] == "new", "pid_b"])
    assert set(oldest.loc[oldest["dropped_in"] == "A/RES/75/291", "pid"]) == \
        set(cmp.loc[cmp["status"] == "dropped", "pid_a"])
    zh = pd.read_csv(pipeline_run / "results/lineage_zh.csv")
    assert (zh["first_seen"] == "A/RES/68/276").all() and len(zh) == 2 * 64
    series = pd.read_csv(pipeline_run / "results/tables/series.csv")
    assert series[["doc", "lang", "paragraphs"]].values.tolist() == [
        ["A/RES/68/276", "zh", 64], ["A/RES/72/284", "en", 123], ["A/RES/75/291", "en", 166]]
    if "pillar" in paras.columns:
        shares = series[[f"share_{p}" for p in ["G", "I", "II", "III", "IV"]]].sum(axis=1)
        assert ((shares - 1).abs() < 1e-3).all()
    if "verb_id" in paras.columns:
        assert series["verbs_operative"].map(lambda s: sum(json.loads(s).values())).tolist() == \
            [int(((paras["doc"] == d) & (paras["kind"] == "operative") & paras["verb_id"].notna()
                  & (paras["verb_id"] != "")).sum()) for d in series["doc"]]
