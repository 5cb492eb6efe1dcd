"""Paragraph alignment: precision and recall on real paragraphs with known edits (zh 68/276,
en 72/284), the definitions of the statuses, and the table of 72/284 -> 75/291 from the pipeline."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from gcts.compare import diff
from gcts.compare.align import align, in_order, longest_increasing
from gcts.compare.diff import COLUMNS, EXTRA, compare_table
from tests.fixtures.builder import build, real_paragraphs

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "workflow" / "config.yaml").read_text(encoding="utf-8"))["compare"]
DOCS = {"zh": "A_RES_68_276.zh.txt", "en": "A_RES_72_284.en.txt"}
SEEDS = (0, 1, 2)


def fixture_table(fx: dict, lang: str) -> pd.DataFrame:
    """The comparison table of a fixture pair, pids mapped back to the builder's ids."""
    a = fx["a"].assign(doc="FIXTURE/A", lang=lang, pid="A|" + fx["a"]["pid"])
    b = fx["b"].assign(doc="FIXTURE/B", lang=lang, pid="B|" + fx["b"]["pid"])
    t = compare_table(pd.concat([a, b]), "FIXTURE/A", "FIXTURE/B", lang, CONFIG["threshold"][lang],
                      CONFIG["containment"])
    for col in ("pid_a", "pid_b"):
        t[col] = pd.Series([p.split("|", 1)[1] if isinstance(p, str) else None for p in t[col]], dtype=object)
    return t


@pytest.fixture(scope="module", params=["zh", "en"])
def scored(request):
    lang = request.param
    paras = real_paragraphs(DOCS[lang], lang)
    runs = [(fx := build(paras, lang, seed), fixture_table(fx, lang)) for seed in SEEDS]
    return lang, runs


def test_matching_precision_and_recall_on_known_edits(scored):
    lang, runs = scored
    tp = n_pred = n_true = 0
    for fx, t in runs:
        pred = {(a, b) for a, b in zip(t["pid_a"], t["pid_b"]) if a and b}
        tp += len(pred & fx["links"])
        n_pred += len(pred)
        n_true += len(fx["links"])
        edited = {k for k, s in fx["status"].items() if s != "unchanged"}
        hard = {k for k in edited if k[0] and k[1]}
        assert len(pred & hard) >= 0.9 * len(hard), f"{lang}: edited links found {len(pred & hard)}/{len(hard)}"
    precision, recall = tp / n_pred, tp / n_true
    print(f"\n{lang}: precision {precision:.3f}, recall {recall:.3f} over {len(runs)} fixtures")
    assert precision >= 0.95 and recall >= 0.95


def test_statuses_match_the_known_edits(scored):
    lang, runs = scored
    by_kind: dict[str, list[bool]] = {}
    for fx, t in runs:
        got = {(a, b): s for a, b, s in zip(t["pid_a"], t["pid_b"], t["status"])}
        for key, status in fx["status"].items():
            by_kind.setdefault(status, []).append(got.get(key) == status)
    print(f"\n{lang}: " + ", ".join(f"{k} {sum(v)}/{len(v)}" for k, v in sorted(by_kind.items())))
    assert set(by_kind) == {"unchanged", "modified", "moved", "merged", "split", "dropped", "new"}
    for status, hits in by_kind.items():
        assert sum(hits) >= 0.9 * len(hits), f"{lang} {status}: {sum(hits)}/{len(hits)}"


def test_diffs_are_exactly_the_known_edits(scored):
    lang, runs = scored
    n = 0
    for fx, t in runs:
        diff_of = dict(zip(t["pid_b"], t["diff"]))
        for bid, alternatives in fx["diffs"].items():
            assert diff_of[bid] in alternatives, (lang, bid, diff_of[bid], alternatives[0])
            n += 1
    assert n >= 6 * len(runs)


def test_every_decision_is_explained(scored):
    lang, runs = scored
    for _, t in runs:
        assert list(t.columns[:len(COLUMNS)]) == COLUMNS and set(EXTRA) <= set(t.columns)
        assert t["reason"].str.len().gt(0).all()
        paired = t["pid_a"].notna() & t["pid_b"].notna()
        assert t.loc[paired, "similarity"].notna().all() and t.loc[~paired, "similarity"].isna().all()
        assert t["runner_up"].notna().all()          # both versions have many paragraphs
        one_to_one = t["status"].isin(["unchanged", "modified", "moved"])
        assert (t.loc[one_to_one, "similarity"] >= CONFIG["threshold"][lang]).all()


# ---- the definitions, on small real examples --------------------------------------------------------

@pytest.fixture(scope="module")
def zh_ops():
    return [p for p in real_paragraphs(DOCS["zh"], "zh") if p["kind"] == "operative"]


def frame(paras, kinds=None):
    kinds = kinds or [p["kind"] for p in paras]
    counter: dict[str, int] = {}
    rows = []
    for p, kind in zip(paras, kinds):
        counter[kind] = counter.get(kind, 0) + 1
        rows.append({"pid": f"{kind[:2]}{counter[kind]}", "kind": kind, "number": counter[kind], "text": p["text"]})
    return pd.DataFrame(rows)


def test_longest_increasing_subsequence():
    assert longest_increasing([0, 1, 5, 2, 3, 4]) == {0, 1, 3, 4, 5}
    assert longest_increasing([]) == set()
    assert len(longest_increasing([3, 2, 1])) == 1


def test_swapping_two_paragraphs_moves_exactly_one(zh_ops):
    a = frame(zh_ops[:6])
    b = frame([zh_ops[k] for k in (0, 1, 3, 2, 4, 5)])
    d = align(a, b, "zh", 0.35, 0.6)
    assert sorted(d["status"]) == ["moved"] + ["unchanged"] * 5
    assert "order changed" in d.loc[d["status"] == "moved", "reason"].iloc[0]


def test_preamble_to_operative_is_moved_even_in_place(zh_ops):
    a = frame(zh_ops[:4], ["preambular", "operative", "operative", "operative"])
    b = frame(zh_ops[:4], ["operative"] * 4)
    d = align(a, b, "zh", 0.35, 0.6)
    assert list(d["status"]) == ["moved", "unchanged", "unchanged", "unchanged"]
    assert "kind changed preambular -> operative" in d["reason"].iloc[0]


def test_identical_versions_are_unchanged_and_empty_ones_new(zh_ops):
    a = frame(zh_ops[:5])
    d = align(a, a, "zh", 0.35, 0.6)
    assert (d["status"] == "unchanged").all() and (d["similarity"] > 0.999).all()
    d = align(a.iloc[:0], a, "zh", 0.35, 0.6)
    assert (d["status"] == "new").all() and d["runner_up"].isna().all()
    assert (d["reason"] == "the other version has no paragraphs").all()


def test_unrelated_paragraphs_are_not_matched(zh_ops):
    a, b = frame(zh_ops[:3]), frame(zh_ops[10:13])
    d = align(a, b, "zh", 0.9, 0.95)
    assert sorted(d["status"]) == ["dropped"] * 3 + ["new"] * 3
    assert (d["runner_up_similarity"] < 0.9).all()
    assert d["reason"].str.startswith("no candidate reaches the threshold").all()


def test_merge_and_split_of_real_paragraphs(zh_ops):
    p = [x["text"] for x in zh_ops[:6]]
    merged = p[2].rstrip("；。") + "，" + p[3]
    d = align(frame(zh_ops[:6]), frame([{"text": t, "kind": "operative"} for t in p[:2] + [merged] + p[4:]]),
              "zh", 0.35, 0.6)
    assert sorted(zip(d["ia"], d["ib"], d["status"]))[2:4] == [(2, 2, "merged"), (3, 2, "merged")]
    d = align(frame([{"text": t, "kind": "operative"} for t in p[:2] + [merged] + p[4:]]), frame(zh_ops[:6]),
              "zh", 0.35, 0.6)
    assert sorted(zip(d["ia"], d["ib"], d["status"]))[2:4] == [(2, 2, "split"), (2, 3, "split")]


def test_versions_without_any_word_are_new_and_dropped():
    a = pd.DataFrame({"pid": ["a"], "kind": ["operative"], "number": [1], "text": [""]})
    b = pd.DataFrame({"pid": ["b"], "kind": ["operative"], "number": [1], "text": ["."]})
    d = align(a, b, "en", 0.35, 0.6)                     # TF-IDF has an empty vocabulary here
    assert sorted(d["status"]) == ["dropped", "new"] and (d["runner_up_similarity"] == 0).all()


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown paragraph kinds"):
        in_order(pd.DataFrame({"kind": ["appendix"], "number": [1], "text": ["x"], "pid": ["p"]}))


# ---- end to end: 72/284 -> 75/291 as the pipeline writes it ------------------------------------------

@pytest.mark.slow
def test_pipeline_table_answers_the_research_questions(pipeline_run):
    t = pd.read_csv(pipeline_run / "results/compare/A_RES_72_284__A_RES_75_291.csv")
    paras = pd.read_parquet(pipeline_run / "results/paragraphs.parquet").set_index("pid")
    assert list(t.columns[:len(COLUMNS)]) == COLUMNS
    assert set(t["status"]) <= {"unchanged", "modified", "moved", "new", "dropped", "merged", "split"}
    a_pids = set(paras.index[paras["doc"] == "A/RES/72/284"])
    b_pids = set(paras.index[paras["doc"] == "A/RES/75/291"])
    # every paragraph of 75/291 appears once, or several times as part of a merge; 72/284 likewise with splits
    for col, pids, many in (("pid_b", b_pids, "merged"), ("pid_a", a_pids, "split")):
        counts = t[col].value_counts()
        assert set(counts.index) == pids
        for pid in counts.index[counts > 1]:
            assert (t.loc[t[col] == pid, "status"] == many).all(), pid
    # which paragraphs were new in 2021, which were dropped: one side empty, the other traceable
    new, dropped = t[t["status"] == "new"], t[t["status"] == "dropped"]
    assert len(new) > 0 and len(dropped) > 0
    assert new[["doc_a", "kind_a", "number_a", "text_a"]].isna().all().all() and (new["doc_b"] == "A/RES/75/291").all()
    assert dropped[["doc_b", "kind_b", "number_b", "text_b"]].isna().all().all()
    for r in t.itertuples():
        for side, pid in (("a", r.pid_a), ("b", r.pid_b)):
            if isinstance(pid, str):
                p = paras.loc[pid]
                assert (getattr(r, f"kind_{side}"), getattr(r, f"number_{side}"), getattr(r, f"text_{side}")) == \
                    (p["kind"], p["number"], p["text"])
                assert (getattr(r, f"start_{side}"), getattr(r, f"end_{side}")) == (p["start"], p["end"])
    same = t["status"] == "unchanged"
    assert (t.loc[same, "text_a"].str.replace(r"\s", "", regex=True)
            == t.loc[same, "text_b"].str.replace(r"\s", "", regex=True)).all()
    assert t.loc[same, "diff"].isna().all()
    assert t.loc[t["status"] == "modified", "diff"].map(lambda d: bool(re.search(r"\[-|\{\+", d))).all()
    # which verbs got stronger: strength_delta is new minus old strength on the same axis of the scale
    if "strength" in paras.columns:
        both = t.dropna(subset=["pid_a", "pid_b"])
        expect = (both["pid_b"].map(paras["strength"]) - both["pid_a"].map(paras["strength"]))
        axis_same = both["pid_a"].map(paras["strength_axis"]).fillna("") == \
            both["pid_b"].map(paras["strength_axis"]).fillna("")
        expect = expect.where(axis_same)
        assert ((both["strength_delta"] - expect).abs().fillna(0) < 1e-3).all()
        assert (both["strength_delta"].isna() == expect.isna()).all()
    html = (pipeline_run / "results/compare/A_RES_72_284__A_RES_75_291.html").read_text(encoding="utf-8")
    assert html.count("<tr class=") == len(t) and "<del>" in html and "<ins>" in html


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_side_by_side_columns_rebuild_each_rows_own_texts(scored):
    """side_a_html / side_b_html (read by the HTML report) are each row's own two texts, deletions and insertions
    marked, also in merged and split rows, whose `diff` is that of the whole group."""
    lang, runs = scored
    for _, t in runs:
        for r in t.itertuples(index=False):
            a = r.text_a if isinstance(r.text_a, str) else ""
            b = r.text_b if isinstance(r.text_b, str) else ""
            assert _text(r.side_a_html) == a and _text(r.side_b_html) == b
            assert "<ins>" not in r.side_a_html and "<del>" not in r.side_b_html
            if r.status == "unchanged":
                assert "<del>" not in r.side_a_html and "<ins>" not in r.side_b_html
            if r.status == "new":
                assert r.side_a_html == "" and r.side_b_html.startswith("<ins>")
            if r.status == "dropped":
                assert r.side_b_html == "" and r.side_a_html.startswith("<del>")
        grouped = t[t["status"].isin(["merged", "split"])]
        for r in grouped.itertuples(index=False):   # the row's own diff, not the group's
            own = diff.segments(r.text_a, r.text_b, lang)
            assert (r.side_a_html, r.side_b_html) == (diff.side_html(own, "a"), diff.side_html(own, "b"))
