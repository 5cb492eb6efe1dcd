"""Figures: Chinese glyphs render (missing-glyph warnings are failures), thin data is said and not padded, and on the
pipeline's results every figure's data file holds exactly the values of the table it comes from."""

from __future__ import annotations

import io
import warnings
import xml.etree.ElementTree as ET

import matplotlib
import pandas as pd
import pytest

from gcts import figdata, fonts, plots

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

FIGURES = ["pillar_shares", "verb_profile_operative", "verb_profile_preambular", "strength_transitions",
           "alignment_flow", "growth", "term_emergence"]
A, B = "A/RES/72/284", "A/RES/75/291"


def render(chart: plots.Chart) -> None:
    """Draw to PNG and SVG with every warning (a missing glyph among them) turned into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fmt in ("png", "svg"):
            chart.fig.savefig(io.BytesIO(), format=fmt)
    plt.close(chart.fig)


# --- fonts --------------------------------------------------------------------------------------------------------

def test_font_comes_from_mplfonts_and_is_registered():
    from matplotlib import font_manager

    path = fonts.cjk_font_path()
    assert path.name == "NotoSansCJKsc-Regular.otf" and "mplfonts" in path.parts
    fonts.setup()
    assert any(f.fname == str(path) for f in font_manager.fontManager.ttflist)
    assert matplotlib.rcParams["font.family"][-1] == fonts.CJK_FAMILY


def test_missing_glyph_warning_is_caught_without_the_font_and_absent_with_it():
    fonts.setup()
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):  # control: a font without Chinese glyphs
        fig, ax = plt.subplots()
        ax.set_title("敦促")
        with pytest.warns(UserWarning, match="missing from font"):
            fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)
    fig, ax = plt.subplots()
    ax.set_title("urge 敦促, call upon 吁请, 再次明确强烈谴责")
    ax.set_xlabel("外国恐怖主义战斗人员 foreign terrorist fighters")
    render(plots.Chart(fig, ""))


# --- charts on small tables (hand-made alignment tables, marked as fixtures) ------------------------------------

def _alignment_fixture() -> pd.DataFrame:
    """Fixture: 6 decisions between two versions. Old op 3 and op 4 merged into new op 3; old op 5 split into new
    op 4 and op 5; old pp 1 unchanged; old op 1 dropped; new op 1 new."""
    rows = [("preambular", 1, "preambular", 1, "unchanged", "recall", "recall", 0.0),
            ("operative", 1, "", None, "dropped", "encourage", "", None),
            ("", None, "operative", 1, "new", "", "urge", None),
            ("operative", 3, "operative", 3, "merged", "encourage", "urge", 1.0),
            ("operative", 4, "operative", 3, "merged", "invite", "urge", 2.0),
            ("operative", 5, "operative", 4, "split", "urge", "encourage", -1.0),
            ("operative", 5, "operative", 5, "split", "urge", "note", None)]
    df = pd.DataFrame(rows, columns=["kind_a", "number_a", "kind_b", "number_b", "status", "verb_id_a",
                                     "verb_id_b", "strength_delta"])
    df.insert(0, "doc_a", A)
    df.insert(3, "doc_b", B)
    return df


def test_alignment_flow_counts_each_paragraph_once():
    data = figdata.alignment_flow({(A, B, "en"): _alignment_fixture()})
    got = {(r.side, r.status): r.n for r in data.itertuples()}
    assert got == {("a", "unchanged"): 1, ("a", "merged"): 2, ("a", "split"): 1, ("a", "dropped"): 1,
                   ("b", "unchanged"): 1, ("b", "merged"): 1, ("b", "split"): 2, ("b", "new"): 1}
    chart = plots.alignment_flow(data)
    assert "1 aligned pair available" in chart.caption
    render(chart)


def test_strength_transitions_directions():
    data = figdata.strength_transitions({(A, B, "en"): _alignment_fixture()})
    got = {(r.verb_id_a, r.verb_id_b): (r.direction, r.n) for r in data.itertuples()}
    assert got == {("recall", "recall"): ("same verb", 1), ("encourage", "urge"): ("harder", 1),
                   ("invite", "urge"): ("harder", 1), ("urge", "encourage"): ("softer", 1),
                   ("urge", "note"): ("not on the scale", 1)}
    assert data["n"].sum() == 5  # matched rows only: the new and the dropped paragraph have no transition
    chart = plots.strength_transitions(data)
    assert "2 harder" in chart.caption and "1 softer" in chart.caption
    render(chart)


def test_no_aligned_pair_is_said_not_drawn():
    for build, draw in ((figdata.alignment_flow, plots.alignment_flow),
                        (figdata.strength_transitions, plots.strength_transitions)):
        data = build({})
        assert data.empty
        chart = draw(data, [])
        assert "no aligned pair available" in chart.caption.lower()
        assert "no aligned pair" in chart.fig.texts[0].get_text().lower() + chart.fig._suptitle.get_text().lower()
        render(chart)


def test_verb_profile_shares_and_chinese_labels(tmp_path):
    lexicon = tmp_path / "verbs.yaml"
    lexicon.write_text("verbs:\n  - {id: urge, zh: [敦促, 促请]}\n  - {id: call_upon, zh: [吁请, 呼吁]}\n"
                       "  - {id: recall, zh: ['{mod}回顾']}\n", encoding="utf-8")
    paragraphs = pd.DataFrame({"lang": ["zh", "zh", "zh"], "verb_id": ["call_upon", "call_upon", "urge"],
                               "verb": ["呼吁", "又呼吁", "敦促"]})
    labels = figdata.verb_labels(lexicon, paragraphs)
    assert labels == {"urge": "urge 敦促", "call_upon": "call upon 呼吁", "recall": "recall 回顾"}
    documents = pd.DataFrame({"doc": ["A/RES/68/276", A], "lang": ["zh", "en"], "review": [4, 6],
                              "adopted": ["2014-06-13", "2018-06-26"], "operative": [43, 85],
                              "preambular": [21, 38]})
    verbs = pd.DataFrame({"doc": ["A/RES/68/276", "A/RES/68/276", A, A], "lang": ["zh", "zh", "en", "en"],
                          "kind": ["operative"] * 4, "verb_id": ["urge", "call_upon", "urge", "invite"],
                          "paragraphs": [4, 2, 10, 0], "secondary": [0, 1, 2, 3]})
    data = figdata.verb_profile(verbs, documents, "operative", labels)
    assert dict(zip(zip(data["doc"], data["verb_id"]), data["share"])) == pytest.approx(
        {("A/RES/68/276", "urge"): 4 / 43, ("A/RES/68/276", "call_upon"): 2 / 43, (A, "urge"): 10 / 85})
    render(plots.verb_profile(data, "operative"))
    empty = figdata.verb_profile(verbs, documents, "preambular", labels)
    assert empty.empty
    render(plots.verb_profile(empty, "preambular"))


def test_growth_marks_missing_reviews_as_missing_not_zero():
    manifest = pd.DataFrame({"symbol": ["A/RES/66/282", A], "review": [3, 6], "adopted": ["2012-06-29", "2018-06-26"]})
    documents = pd.DataFrame({"doc": [A], "lang": ["en"], "preambular": [38], "operative": [85]})
    data = figdata.growth(documents, manifest)
    missing = data[data["doc"] == "A/RES/66/282"]
    assert len(missing) == 1 and not missing["available"].iloc[0] and missing["n"].isna().all()
    assert data.loc[data["available"], "n"].tolist() == [38, 85]
    chart = plots.growth(data)
    assert "66/282" in chart.caption
    render(chart)


def test_pillar_shares_leave_general_out_of_the_four_pillars():
    paragraphs = pd.DataFrame({"doc": A, "lang": "en", "review": 6, "adopted": "2018-06-26", "kind": "operative",
                               "pillar": ["G", "G", "I", "II", "II", "IV"]})
    data = figdata.pillar_shares(paragraphs)
    assert dict(zip(data["pillar"], data["share"])) == {"I": 0.25, "II": 0.5, "III": 0.0, "IV": 0.25}
    assert set(data["general"]) == {2} and set(data["pillar_total"]) == {4}
    render(plots.pillar_shares(data))


def test_save_writes_four_files(tmp_path):
    data = figdata.pillar_shares(pd.DataFrame({"doc": A, "lang": "en", "review": 6, "adopted": "2018-06-26",
                                               "kind": "operative", "pillar": ["I", "II"]}))
    out = {k: tmp_path / f"x.{k}" for k in ("png", "svg", "data.csv", "caption.rst")}
    plots.save(plots.pillar_shares(data), data, *out.values())
    assert out["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    ET.parse(out["svg"])
    pd.testing.assert_frame_equal(pd.read_csv(out["data.csv"]), data, check_dtype=False)
    assert out["caption.rst"].read_text(encoding="utf-8").startswith("**")
