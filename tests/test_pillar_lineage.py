"""Pillar labels along the lineage, the consistency invariant, the changes table and the share intervals,
on small fixtures (made-up paragraphs and alignments; no resolution text)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from gcts.annotate.concepts import PILLARS
from gcts.annotate.pillar_lineage import CHANGE_COLUMNS, changes_table, filing, lineage_labels, linked, pair_table
from gcts.annotate.pillar_overrides import poisson_binomial, shares_table
from gcts.annotate.pillars import heading_labels

T = {"same_language": 0.5, "cross_language": 0.6}


def paragraph(doc, lang, kind, number, section="", text="text"):
    short = "pp" if kind == "preambular" else "op"
    return {"pid": f"{doc}|{lang}|{short}|{number}", "doc": doc, "lang": lang, "review": int(doc[-1]),
            "kind": kind, "number": number, "section": section, "text": text}


def model_row(pid, pillar, prob=0.7):
    rest = (1 - prob) / (len(PILLARS) - 1)
    probs = {f"prob_{p}": (prob if p == pillar else rest) for p in PILLARS}
    return {"pid": pid, "pillar": pillar, "pillar_source": "model", "pillar_model": pillar, "pillar_prob": prob,
            **probs, "label": "", "label_source": ""}


@pytest.fixture
def corpus():
    """Three versions: D/1 and D/2 unheaded, D/3 with pillar headings (op 1 before them: G)."""
    rows = [paragraph("D/1", "en", "operative", 1), paragraph("D/1", "en", "operative", 2),
            paragraph("D/1", "en", "preambular", 1),
            paragraph("D/2", "en", "operative", 1), paragraph("D/2", "en", "operative", 2),
            paragraph("D/2", "en", "preambular", 1), paragraph("D/2", "en", "operative", 3),
            paragraph("D/3", "en", "operative", 1),
            paragraph("D/3", "en", "operative", 2, "Pillar II: measures to prevent and combat terrorism"),
            paragraph("D/3", "en", "operative", 3, "Pillar IV: measures to ensure respect for human rights"),
            paragraph("D/3", "en", "operative", 4, "Pillar IV: measures to ensure respect for human rights",
                      "Requests the Secretary-General to submit a report")]
    paragraphs = pd.DataFrame(rows)
    model = pd.DataFrame([model_row(p, "III") for p in paragraphs["pid"]])
    return paragraphs, model


def pairs(*rows):
    return pair_table([pd.DataFrame(rows, columns=["pid_a", "pid_b", "status", "similarity", "lang"])])


def test_heading_is_carried_along_aligned_versions_transitively(corpus):
    paragraphs, model = corpus
    p = pairs(("D/1|en|op|1", "D/2|en|op|1", "modified", 0.9, "en"),
              ("D/2|en|op|1", "D/3|en|op|2", "moved", 0.7, "en"),
              ("D/1|en|op|2", "D/2|en|op|2", "modified", 0.45, "en"),     # below the threshold
              ("D/2|en|op|2", "D/3|en|op|3", "modified", 0.95, "en"))
    out = lineage_labels(paragraphs, model, p, T).set_index("pid")
    assert out.loc["D/3|en|op|2", ["pillar", "pillar_source"]].tolist() == ["II", "heading"]
    for pid in ("D/2|en|op|1", "D/1|en|op|1"):
        row = out.loc[pid]
        assert (row["pillar"], row["pillar_source"], row["pillar_from"]) == ("II", "lineage", "D/3|en|op|2")
    assert out.loc["D/1|en|op|1", "pillar_similarity"] == 0.7          # the weakest step of the path
    assert out.loc["D/2|en|op|2", ["pillar", "pillar_source"]].tolist() == ["IV", "lineage"]
    assert out.loc["D/1|en|op|2", ["pillar", "pillar_source"]].tolist() == ["III", "model"]
    assert (out["pillar_model"] == "III").all()                          # the model's own answer is kept
    changes = changes_table(paragraphs, out.reset_index(), p, T)
    assert list(changes.columns) == CHANGE_COLUMNS
    assert changes[["pid_a", "pid_b"]].values.tolist() == [["D/1|en|op|2", "D/2|en|op|2"]]
    assert changes["reason"].iloc[0].startswith("text changed: similarity 0.45 is below the lineage threshold 0.5")


def test_widest_path_wins_between_two_headings(corpus):
    paragraphs, model = corpus
    p = pairs(("D/2|en|op|3", "D/3|en|op|2", "merged", 0.6, "en"),
              ("D/2|en|op|3", "D/3|en|op|3", "merged", 0.8, "en"))
    out = lineage_labels(paragraphs, model, p, T).set_index("pid")
    assert out.loc["D/2|en|op|3", ["pillar", "pillar_from", "pillar_similarity"]].tolist() == ["IV", "D/3|en|op|3", 0.8]
    changes = changes_table(paragraphs, out.reset_index(), p, T)
    assert changes["reason"].str.startswith("lineage: the two versions take their pillars").all()


def test_unchanged_pairs_always_share_a_pillar(corpus):
    """Versions the model labels are pooled: neighbours or small differences in the model's view
    cannot make an unchanged paragraph change pillar; nor can a low similarity value."""
    paragraphs, model = corpus
    model = model.set_index("pid")
    model.loc["D/1|en|pp|1"] = pd.Series(model_row("D/1|en|pp|1", "G", 0.6)).drop("pid")
    model.loc["D/2|en|pp|1"] = pd.Series(model_row("D/2|en|pp|1", "I", 0.4)).drop("pid")
    model = model.reset_index()
    p = pairs(("D/1|en|pp|1", "D/2|en|pp|1", "unchanged", 0.2, "en"))
    out = lineage_labels(paragraphs, model, p, T).set_index("pid")
    a, b = out.loc["D/1|en|pp|1"], out.loc["D/2|en|pp|1"]
    assert a["pillar"] == b["pillar"] == "G" and a["pillar_versions"] == b["pillar_versions"] == 2
    assert a["pillar_source"] == "model" and np.isclose(a["prob_G"], (0.6 + 0.15) / 2)
    assert changes_table(paragraphs, out.reset_index(), p, T).empty


def test_override_wins_and_is_carried(corpus):
    paragraphs, model = corpus
    model.loc[model["pid"] == "D/3|en|op|2", ["pillar", "pillar_source"]] = ["I", "override"]
    p = pairs(("D/2|en|op|1", "D/3|en|op|2", "modified", 0.9, "en"),
              ("D/2|en|op|1", "D/3|en|op|3", "unchanged", 1.0, "en"))
    out = lineage_labels(paragraphs, model, p, T).set_index("pid")
    assert out.loc["D/3|en|op|2", ["pillar", "pillar_source"]].tolist() == ["I", "override"]
    assert out.loc["D/2|en|op|1", "pillar"] in {"I", "IV"}
    changes = changes_table(paragraphs, out.reset_index(), p, T)
    assert changes["reason"].str.startswith(("override", "lineage")).all() and len(changes) == 1


def test_cross_language_pairs_use_their_own_threshold(corpus):
    paragraphs, model = corpus
    zh = paragraph("D/2", "zh", "operative", 1)
    paragraphs = pd.concat([paragraphs, pd.DataFrame([zh])], ignore_index=True)
    model = pd.concat([model, pd.DataFrame([model_row(zh["pid"], "III")])], ignore_index=True)
    table = pd.DataFrame({"pid_a": [zh["pid"]], "pid_b": ["D/3|en|op|2"], "status": ["modified"],
                          "similarity": [0.55], "lang_a": ["zh"], "lang_b": ["en"]})
    p = pair_table([table])
    assert not linked(p, T).any() and linked(p, {**T, "cross_language": 0.5}).all()
    out = lineage_labels(paragraphs, model, p, {**T, "cross_language": 0.5}).set_index("pid")
    assert out.loc[zh["pid"], ["pillar", "pillar_source"]].tolist() == ["II", "lineage"]


def test_filing_reaches_the_headed_version_whatever_the_similarity(corpus):
    """The Assembly's filing of a provision follows every aligned pair (no lineage threshold), so a reading can
    be set beside the headings of the same provision; lineage labels keep the threshold."""
    paragraphs, model = corpus
    p = pairs(("D/1|en|op|2", "D/2|en|op|2", "modified", 0.2, "en"),
              ("D/2|en|op|2", "D/3|en|op|3", "modified", 0.9, "en"),
              ("D/1|en|op|1", "D/2|en|op|1", "modified", 0.8, "en"))
    filed = filing(paragraphs, p).set_index("pid")
    assert filed.loc["D/1|en|op|2", ["filed", "filed_from", "filed_similarity"]].tolist() == ["IV", "D/3|en|op|3", 0.2]
    assert filed.loc["D/3|en|op|2", ["filed", "filed_from", "filed_similarity"]].tolist() == ["II", "D/3|en|op|2", 1.0]
    assert filed.loc["D/1|en|op|1", "filed"] == "" and filed.loc["D/1|en|op|1", "filed_from"] == ""
    assert np.isnan(filed.loc["D/1|en|op|1", "filed_similarity"])
    assert list(filed.index) == list(paragraphs["pid"])
    out = lineage_labels(paragraphs, model, p, T).set_index("pid")
    assert out.loc["D/1|en|op|2", "pillar_source"] == "model" and out.loc["D/2|en|op|2", "pillar"] == "IV"


def test_follow_up_paragraphs_after_the_last_heading_are_general(corpus):
    paragraphs, _ = corpus
    plain = heading_labels(paragraphs).set_index("pid")["label"]
    follow = heading_labels(paragraphs, {"en": ("requests the secretary-general to submit",)}).set_index("pid")["label"]
    assert plain["D/3|en|op|4"] == "IV" and follow["D/3|en|op|4"] == "G"
    assert follow["D/3|en|op|3"] == "IV" and follow["D/3|en|op|1"] == "G"


def test_general_paragraphs_under_a_heading_are_general(corpus):
    paragraphs, _ = corpus
    paragraphs = paragraphs.copy()
    paragraphs.loc[paragraphs["pid"] == "D/3|en|op|2", "text"] = "Takes note of the report of the Secretary-General"
    general = {"en": ("takes note of the report of the secretary-general",)}
    label = heading_labels(paragraphs, general=general).set_index("pid")["label"]
    assert label["D/3|en|op|2"] == "G" and label["D/3|en|op|3"] == "IV"
    # only headed documents are labelled: the phrase does not label an unheaded version
    paragraphs.loc[paragraphs["pid"] == "D/1|en|op|1", "text"] = "Takes note of the report of the Secretary-General"
    assert heading_labels(paragraphs, general=general).set_index("pid").loc["D/1|en|op|1", "label"] == ""


def test_poisson_binomial_is_exact():
    probs = [0.1, 0.5, 0.8, 0.3]
    brute = np.zeros(5)
    for draw in itertools.product([0, 1], repeat=4):
        brute[sum(draw)] += np.prod([p if d else 1 - p for p, d in zip(probs, draw)])
    assert np.allclose(poisson_binomial(probs), brute)


def test_shares_have_intervals_and_provenance(corpus):
    paragraphs, model = corpus
    p = pairs(("D/2|en|op|1", "D/3|en|op|2", "modified", 0.9, "en"))
    labels = lineage_labels(paragraphs, model, p, T)
    shares = shares_table(paragraphs, labels)
    assert np.allclose(shares.groupby(["doc", "kind"])["share"].sum(), 1)
    assert ((shares["share_low"] <= shares["share_expected"] + 1e-9)
            & (shares["share_expected"] <= shares["share_high"] + 1e-9)).all()
    assert (shares["n"] == shares["n_heading"] + shares["n_lineage"] + shares["n_model"] + shares["n_override"]).all()
    d3 = shares[(shares["doc"] == "D/3") & (shares["kind"] == "all")].set_index("pillar")
    assert (d3["share_low"] == d3["share"]).all() and (d3["share_high"] == d3["share"]).all()   # all headed: fixed
    d1 = shares[(shares["doc"] == "D/1") & (shares["kind"] == "operative")].set_index("pillar")
    assert d1.loc["III", "share_low"] < d1.loc["III", "share_high"]          # two model labels at 0.7


def test_pillar_figure_shows_intervals_and_says_who_decided(corpus):
    from gcts.present import figdata, plots
    paragraphs, model = corpus
    zh = paragraph("D/2", "zh", "operative", 1)
    paragraphs = pd.concat([paragraphs, pd.DataFrame([zh])], ignore_index=True)
    model = pd.concat([model, pd.DataFrame([model_row(zh["pid"], "III")])], ignore_index=True)
    shares = shares_table(paragraphs, lineage_labels(paragraphs, model, pairs(), T))
    data = figdata.pillar_shares(shares)
    assert data[["share_low", "share_high"]].notna().all().all()
    assert (data["share_low"] <= data["share_high"]).all()
    chart = plots.pillar_shares(data)
    assert "95% intervals" in chart.caption
    assert "D/3 en: 4 paragraphs, 0 decided by the classifier, 4 by headings" in chart.caption.replace("\n", " ")
    assert "trained on English paragraphs only" in chart.caption
    plots.plt.close(chart.fig)


def test_report_section_lists_the_changes(corpus):
    from gcts.present.report import pillar_changes_table
    paragraphs, model = corpus
    p = pairs(("D/1|en|op|2", "D/2|en|op|2", "modified", 0.45, "en"), ("D/2|en|op|2", "D/3|en|op|3", "modified", 0.95, "en"))
    changes = changes_table(paragraphs, lineage_labels(paragraphs, model, p, T), p, T)
    table = pillar_changes_table(changes)
    assert "1 aligned pair of paragraphs" in table.note and "text changed" in table.html()
    assert "No aligned pair" in pillar_changes_table(changes.iloc[0:0]).note