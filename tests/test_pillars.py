"""Pillar stage: lexicon, matcher, heading labels, estimators, cross-validation, explanations, overrides.

The 68/276 checks at the end are the issue's acceptance checks on a document the model never saw
(Chinese, unlabelled): they are found by content and are not training data.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest
import yaml
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from gcts.annotate.concepts import PILLARS, ConceptMatcher, load_concepts
from gcts.sources.corpus import segment_source
from gcts.errors import InputError
from gcts.sources.manifest import local_sources, read_manifest
from gcts.annotate.pillar_cv import BASELINE, near_duplicate_groups
from gcts.annotate.pillar_overrides import apply_overrides, read_overrides, shares_table
from gcts.annotate.pillar_lineage import SOURCES
from gcts.annotate.pillar_stage import (ALONE, CONCEPTS, CV_COLUMNS, FULL, PREDICTION_COLUMNS, READING_ROWS, label_docs,
                                        reading_agreement, reading_table, run)
from gcts.annotate.pillars import (ConceptFeatures, LanguageNgrams, heading_label, heading_labels, load_follow_up, load_general,
                                   macro_f1, make_model, make_search, with_context)

from .conftest import ROOT, run_snakemake

TERMS = ROOT / "workflow" / "resources" / "pillar_terms.yaml"
CONFIG = yaml.safe_load((ROOT / "workflow" / "config.yaml").read_text(encoding="utf-8"))["pillars"]
CONFIG = {**CONFIG, "terms": str(ROOT / CONFIG["terms"])}


@pytest.fixture(scope="module")
def lexicon():
    return load_concepts(TERMS)


@pytest.fixture(scope="module")
def paragraphs() -> pd.DataFrame:
    """The paragraph table of the embedded corpus, segmented here (no pipeline run needed)."""
    sources = local_sources(read_manifest(ROOT / "data" / "resolutions.csv", ROOT), ("zh", "en"), ROOT)
    return pd.concat([segment_source(s)["paragraphs"] for s in sources], ignore_index=True)


@pytest.fixture(scope="module")
def stage(paragraphs, lexicon) -> dict:
    """The stage run as the pipeline runs it, with one CV repetition (the final fit is the same)."""
    return run(paragraphs, lexicon, {**CONFIG, "cv_repeats": 1})


def para(paragraphs, doc, kind, number) -> pd.Series:
    rows = paragraphs[(paragraphs["doc"] == doc) & (paragraphs["kind"] == kind) & (paragraphs["number"] == number)]
    assert len(rows) == 1
    return rows.iloc[0]


# --- lexicon ------------------------------------------------------------------------------------

def test_lexicon_has_both_languages_and_valid_hints(lexicon):
    assert len(lexicon.concepts) >= 60
    for c in lexicon.concepts:
        assert c.terms("en") and c.terms("zh"), c.id
        assert set(c.pillars) <= set(PILLARS), c.id
    hinted = {p for c in lexicon.concepts for p in c.pillars}
    assert hinted == set(PILLARS)


@pytest.mark.parametrize("body, problem", [
    ("concepts: []", "non-empty list 'concepts'"),
    ("concepts:\n  - {id: a, en: [x], zh: [甲]}\n  - {id: a, en: [y], zh: [乙]}", "id already used"),
    ("concepts:\n  - {id: a, en: [x]}", "'zh' must be a non-empty list"),
    ("concepts:\n  - {id: a, en: [x], zh: [甲]}\n  - {id: b, en: [X], zh: [乙]}", "also listed under 'a'"),
    ("concepts:\n  - {id: a, pillar: V, en: [x], zh: [甲]}", "pillar ['V']"),
    ("concepts:\n  - {id: a, colour: red, en: [x], zh: [甲]}", "unknown keys ['colour']"),
    ("concepts:\n  - {id: Bad-Id, en: [x], zh: [甲]}", "lower-case letters"),
    ("concepts: [unclosed", "not valid YAML"),
])
def test_lexicon_errors_name_file_and_concept(tmp_path, body, problem):
    path = tmp_path / "terms.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_concepts(path)
    assert str(path) in str(e.value) and problem in str(e.value)


# --- matcher ------------------------------------------------------------------------------------

def test_matches_are_exact_spans_of_the_text(paragraphs, lexicon):
    m = ConceptMatcher(lexicon)
    n = 0
    for text, lang in zip(paragraphs["text"], paragraphs["lang"]):
        hits = m.find(text, lang)
        ends = [h.start for h in hits[1:]]
        assert all(a.end <= b for a, b in zip(hits, ends)), "overlapping matches"
        for h in hits:
            assert text[h.start:h.end] == h.term
            n += 1
    assert n > 1000


def test_longer_names_are_not_split(lexicon):
    m = ConceptMatcher(lexicon)
    hits = m.find("the standards of the Financial Action Task Force and the Task Force", "en")
    assert [(h.concept, h.term) for h in hits] == [("financing", "Financial Action Task Force"),
                                                    ("un_ct_office", "Task Force")]


def test_longest_match_wins(paragraphs, lexicon):
    m = ConceptMatcher(lexicon)
    en = para(paragraphs, "A/RES/75/291", "operative", 106)            # the right to privacy
    zh = para(paragraphs, "A/RES/68/276", "operative", 12)
    found_en = {(h.concept, h.term.lower()) for h in m.find(en["text"], "en")}
    found_zh = {(h.concept, h.term) for h in m.find(zh["text"], "zh")}
    assert ("human_rights_law", "international human rights law") in found_en
    assert ("privacy", "right to privacy") in found_en
    assert ("human_rights_law", "国际人权法") in found_zh and ("privacy", "隐私权") in found_zh
    assert not any(c == "human_rights" for c, _ in found_zh)            # 人权 only inside 国际人权法


@pytest.mark.parametrize("en_number, zh_number", [(106, 12), (108, 13), (17, 23), (115, 14)])
def test_same_paragraph_gets_the_same_concepts_in_both_languages(paragraphs, lexicon, en_number, zh_number):
    """75/291 carries these 68/276 paragraphs forward almost word for word."""
    m = ConceptMatcher(lexicon)
    en = {h.concept for h in m.find(para(paragraphs, "A/RES/75/291", "operative", en_number)["text"], "en")}
    zh = {h.concept for h in m.find(para(paragraphs, "A/RES/68/276", "operative", zh_number)["text"], "zh")}
    assert len(en & zh) / len(en | zh) >= 0.8, (sorted(en - zh), sorted(zh - en))


# --- labels -------------------------------------------------------------------------------------

def test_heading_labels_of_75_291(paragraphs):
    labels = paragraphs.merge(heading_labels(paragraphs), on="pid")
    op = labels[(labels["doc"] == "A/RES/75/291") & (labels["kind"] == "operative")].set_index("number")
    assert (op.loc[1:12, "label"] == "G").all()
    assert (op.loc[13:25, "label"] == "I").all() and (op.loc[26:76, "label"] == "II").all()
    assert (op.loc[77:100, "label"] == "III").all() and (op.loc[101:119, "label"] == "IV").all()
    assert (op["label_source"] == "heading").all()
    others = labels[(labels["doc"] != "A/RES/75/291") | (labels["kind"] == "preambular")]
    assert (others["label"] == "").all() and (others["label_source"] == "").all()
    # the request for the next report and the agenda item close the document after the Pillar IV heading
    follow = paragraphs.merge(heading_labels(paragraphs, load_follow_up(TERMS)), on="pid")
    op = follow[(follow["doc"] == "A/RES/75/291") & (follow["kind"] == "operative")].set_index("number")
    assert (op.loc[118:119, "label"] == "G").all() and (op.loc[101:117, "label"] == "IV").all()
    # taking note of the Secretary-General's report and of the measures it presents: G, under any heading
    general = paragraphs.merge(heading_labels(paragraphs, load_follow_up(TERMS), load_general(TERMS)), on="pid")
    op = general[(general["doc"] == "A/RES/75/291") & (general["kind"] == "operative")].set_index("number")
    assert (op.loc[77:78, "label"] == "G").all() and (op.loc[79:100, "label"] == "III").all()
    assert (op.loc[118:119, "label"] == "G").all() and (op.loc[13:76, "label"] != "G").all()


def test_heading_label_forms():
    assert heading_label("Pillar II: measures to prevent and combat terrorism", "en") == "II"
    assert heading_label("Pillar IV: measures to ensure respect for human rights", "en") == "IV"
    assert heading_label("支柱四：确保尊重所有人的人权和法治的措施", "zh") == "IV"
    assert heading_label("Implementation", "en") == "" and heading_label("", "en") == ""


# --- estimators ---------------------------------------------------------------------------------

def test_estimators_follow_sklearn_conventions(paragraphs, lexicon):
    data = paragraphs.merge(heading_labels(paragraphs), on="pid")
    train = data[data["label"] != ""]
    X, y = train[["text", "lang"]], train["label"].to_numpy(dtype=object)
    model = make_model(lexicon, ngrams=True, C=0.5)
    with pytest.raises(NotFittedError):
        model.predict(X)
    params = model.get_params()
    assert params["clf__C"] == 0.5 and params["features__concepts__position_decay"] == 1.0
    twin = clone(model).set_params(features__concepts__hints=False)
    assert model.get_params()["features__concepts__hints"] is True      # clone is independent
    assert model.fit(X, y) is model
    again = clone(model).fit(X, y)
    assert (model.predict(X) == again.predict(X)).all()
    assert not hasattr(twin, "classes_")
    feats = ConceptFeatures(lexicon).fit(X)
    assert feats.transform(X).shape[1] == len(feats.get_feature_names_out()) == len(lexicon.concepts) + 5
    assert set(vars(ConceptFeatures(lexicon))) == {"lexicon", "hints", "position_decay", "counts", "hint_shares",
                                                   "context"}


@pytest.mark.parametrize("counts, hint_shares, context", [(False, False, 0.0), (True, True, 0.0), (True, True, 0.6)])
def test_contributions_add_up_to_the_class_scores(paragraphs, lexicon, counts, hint_shares, context):
    """The explanation is exact: concept contributions (own text + neighbours) + intercept = the
    model's class scores."""
    data = with_context(paragraphs).assign(label=heading_labels(paragraphs)["label"].to_numpy())
    train = data[data["label"] != ""]
    X, y = train.drop(columns="label"), train["label"].to_numpy(dtype=object)
    model = make_model(lexicon, counts=counts, hint_shares=hint_shares, context=context).fit(X, y)
    feats = model.named_steps["features"].transformer_list[0][1]
    rows = data.drop(columns="label").iloc[::7]
    coef = model.named_steps["clf"].coef_
    total = feats.contributions(rows, coef).sum(axis=2)
    if context:
        total += feats.contributions(rows, coef, "context").sum(axis=2)
    assert np.allclose(total + model.named_steps["clf"].intercept_, model.decision_function(rows))
    n = len(feats.concepts_)
    hints = feats.transform(rows)[:, n:n + len(PILLARS)]
    if hint_shares:
        assert np.allclose(hints.sum(axis=1)[hints.sum(axis=1) > 0], 1)
    assert feats.transform(rows).shape[1] == (n + len(PILLARS)) * (2 if context else 1)


def test_context_is_the_neighbouring_paragraphs_of_the_same_kind(paragraphs):
    ctx = with_context(paragraphs)
    assert list(ctx.index) == list(paragraphs.index)
    ops = paragraphs[(paragraphs["doc"] == "A/RES/75/291") & (paragraphs["kind"] == "operative")]
    before, this, after = ops.index[9], ops.index[10], ops.index[11]
    assert ctx.at[this, "context"] == paragraphs.at[before, "text"] + "\n" + paragraphs.at[after, "text"]
    first = ops.index[0]                        # op 1: no operative paragraph before it
    assert ctx.at[first, "context"] == "\n" + paragraphs.at[ops.index[1], "text"]
    pps = paragraphs[(paragraphs["doc"] == "A/RES/75/291") & (paragraphs["kind"] == "preambular")]
    assert ctx.at[pps.index[-1], "context"] == paragraphs.at[pps.index[-2], "text"] + "\n"


def test_context_weight_scales_only_the_neighbour_columns(paragraphs, lexicon):
    X = with_context(paragraphs).iloc[:40]
    n = len(lexicon.concepts) + len(PILLARS)
    one = ConceptFeatures(lexicon, context=1.0).fit(X).transform(X)
    half = ConceptFeatures(lexicon, context=0.5).fit(X).transform(X)
    alone = ConceptFeatures(lexicon).fit(X).transform(X)
    assert np.allclose(one[:, :n], alone) and np.allclose(half[:, :n], alone)
    assert np.allclose(half[:, n:], 0.5 * one[:, n:]) and one[:, n:].any()
    with pytest.raises(ValueError, match="context"):
        ConceptFeatures(lexicon, context=1.0).fit(paragraphs[["text", "lang"]])


def test_fast_scorer_equals_sklearn_macro_f1():
    from sklearn.metrics import f1_score

    class Fixed:
        def __init__(self, pred):
            self.pred = np.array(pred, dtype=object)

        def predict(self, X):
            return self.pred

    y = np.array(["G", "I", "II", "II", "IV", "III", "I"], dtype=object)
    for pred in (["G", "I", "II", "III", "IV", "III", "I"], ["II"] * 7, ["IV", "G", "I", "II", "II", "II", "G"]):
        assert macro_f1(Fixed(pred), None, y) == pytest.approx(f1_score(y, pred, average="macro", zero_division=0))


def test_search_rejects_unknown_settings(lexicon):
    with pytest.raises(ValueError, match=r"unknown grid keys \['gamma'\]"):
        make_search(lexicon, {"gamma": [1]}, 3)


def test_ngrams_are_zero_for_other_languages(paragraphs):
    X = paragraphs[["text", "lang"]]
    m = LanguageNgrams("en").fit(X).transform(X)
    zh = (paragraphs["lang"] == "zh").to_numpy()
    assert m[zh].nnz == 0 and m[~zh].nnz > 0


def test_concept_values_decay_with_position(lexicon):
    X = pd.DataFrame({"text": ["Human rights first, then a long tail of words about nothing at all.",
                               "A long opening of words about nothing at all, then human rights."],
                      "lang": ["en", "en"]})
    f = ConceptFeatures(lexicon, hints=False).fit(X)
    j = list(f.concepts_).index("human_rights")
    values = f.transform(X)[:, j]
    assert values[0] == pytest.approx(1.0) and 0 < values[1] < 0.5
    flat = ConceptFeatures(lexicon, hints=False, position_decay=0).fit(X).transform(X)[:, j]
    assert (flat == 1).all()


# --- cross-validation ---------------------------------------------------------------------------

def test_near_duplicates_share_a_group(paragraphs):
    data = paragraphs.merge(heading_labels(paragraphs), on="pid")
    train = data[data["label"] != ""].reset_index(drop=True)
    groups = pd.Series(near_duplicate_groups(train, CONFIG["group_similarity"]), index=train["number"])
    assert groups[55] == groups[61]                # financing: the same opening, word for word
    assert groups[106] == groups[107]              # the right to privacy
    assert groups[1] != groups[2]
    twin = pd.concat([train.iloc[:3], train.iloc[:1].assign(lang="zh", text="完全不同的文字")], ignore_index=True)
    g = near_duplicate_groups(twin, 0.99)          # a translation joins its original's group
    assert g[0] == g[3] and len(set(g[:3])) == 3


def test_quality_is_measured_beside_the_baseline(stage):
    ev = stage["eval"].set_index(["model", "class"])
    macro = ev.xs("macro avg", level="class")
    assert set(macro.index) == {CONCEPTS, ALONE, FULL, BASELINE}
    assert macro.loc[BASELINE, "f1"] < 0.2
    # a floor (nested CV, one repetition here). Each paragraph is read alone: the neighbours' concepts
    # raise this CV above 0.8 only because 75/291 is sorted by pillar, and they mislead on unheaded
    # text (docs/pillars.md); the measured figures are in pillar_eval.csv.
    assert macro.loc[CONCEPTS, "f1_fold_mean"] >= 0.55
    assert macro.loc[CONCEPTS, "f1_fold_mean"] > macro.loc[BASELINE, "f1_fold_mean"] + 0.4
    for p in PILLARS:
        assert 0 <= ev.loc[(CONCEPTS, p), "precision"] <= 1 and ev.loc[(CONCEPTS, p), "support"] > 0
    conf = stage["confusion"]
    assert conf.groupby("model")[[f"pred_{p}" for p in PILLARS]].sum().sum(axis=1).eq(119).all()
    folds = stage["folds"]
    assert len(folds) == 4 * CONFIG["cv_folds"] and folds["n_test"].groupby(folds["model"]).sum().eq(119).all()
    assert macro["f1_pooled_mean"].between(0, 1).all()


def test_settings_are_chosen_by_inner_cv_on_each_training_fold(stage):
    """Nested CV: each outer fold of the concept model records the settings its inner CV chose."""
    folds = stage["folds"]
    picked = [json.loads(c) for c in folds.loc[folds["model"] == CONCEPTS, "chosen"]]
    assert len(picked) == CONFIG["cv_folds"]
    for p in picked:
        assert set(p) == set(CONFIG["grid"]) and all(v in CONFIG["grid"][k] for k, v in p.items())
    assert (folds.loc[folds["model"] != CONCEPTS, "chosen"] == "").all()


def test_cv_predictions_are_out_of_fold(stage):
    cv = stage["cv_predictions"]
    assert list(cv.columns) == CV_COLUMNS
    assert cv.groupby("model").size().eq(119).all() and cv["pillar_cv"].isin(PILLARS).all()
    assert (cv["doc"] == "A/RES/75/291").all() and cv["cv_group"].notna().all()
    mine = cv[cv["model"] == CONCEPTS].set_index("pid")
    pred = stage["predictions"].set_index("pid").loc[mine.index]
    assert (pred["label"] == mine["label"]).all()
    fit_acc = (pred["pillar"] == pred["label"]).mean()
    cv_acc = (mine["pillar_cv"] == mine["label"]).mean()
    assert cv_acc < fit_acc                        # the training fit is not the quality


def test_label_documents_are_chosen_by_the_config():
    headed = pd.DataFrame({"doc": ["A/RES/75/291", "A/RES/77/298", "A/RES/72/284"],
                           "adopted": ["2021-06-30", "2023-06-22", "2018-06-26"]})
    assert label_docs(headed, "latest") == ["A/RES/77/298"]
    assert label_docs(headed, "all") == ["A/RES/72/284", "A/RES/75/291", "A/RES/77/298"]
    assert label_docs(headed, ["A/RES/75/291"]) == ["A/RES/75/291"]
    with pytest.raises(InputError, match=r"label_docs names \['A/RES/68/276'\]"):
        label_docs(headed, ["A/RES/68/276"], "config")


# --- predictions and explanations ---------------------------------------------------------------

def test_every_paragraph_gets_a_pillar_with_probabilities_and_terms(stage, paragraphs):
    pred = stage["predictions"]
    assert list(pred.columns) == PREDICTION_COLUMNS
    assert pred["pid"].tolist() == paragraphs["pid"].tolist()
    probs = pred[[f"prob_{p}" for p in PILLARS]].to_numpy()
    assert np.allclose(probs.sum(axis=1), 1)
    assert np.allclose(pred["pillar_prob"], probs.max(axis=1))
    assert pred["pillar"].isin(PILLARS).all() and (pred["pillar_features"] == CONCEPTS).all()
    text = paragraphs.set_index("pid")["text"]
    for pid, terms, ids in zip(pred["pid"], pred["pillar_terms"], pred["pillar_concepts"]):
        assert len(terms) == len(ids) <= CONFIG["explain_terms"]
        assert all(t.lower() in text[pid].lower() for t in terms)
    assert (pred["pillar_terms"].map(len) > 0).mean() > 0.9
    context = with_context(paragraphs).set_index(paragraphs["pid"])["context"]
    for pid, terms in zip(pred["pid"], pred["pillar_context_terms"]):
        assert len(terms) <= CONFIG["explain_terms"] and all(t.lower() in context[pid].lower() for t in terms)


# The project's reading of every paragraph of 68/276 (Chinese; never labelled, never trained on), kept in
# workflow/resources/pillar_reading.csv with who read each row. Each paragraph is found by content.
READING = ROOT / CONFIG["reading"]
CHECKS = pd.read_csv(READING, dtype=str, keep_default_na=False)


def test_reading_covers_every_paragraph_of_68_276_once(stage, paragraphs):
    table = reading_table(paragraphs, stage["predictions"], READING)
    doc = paragraphs[paragraphs["doc"] == "A/RES/68/276"]
    assert sorted(table["pid"]) == sorted(doc["pid"]) and table["pid"].is_unique
    assert table["kind"].value_counts().to_dict() == {"operative": 43, "preambular": 21}
    assert table["check"].tolist() == CHECKS["check"].tolist() and (table["read_by"] != "").all()
    assert table["reader"].isin(PILLARS).all()
    assert reading_table(paragraphs[paragraphs["doc"] != "A/RES/68/276"], stage["predictions"], READING).empty


def test_reading_agreement_by_part(stage, paragraphs):
    table = reading_table(paragraphs, stage["predictions"], READING)
    assert (table["agree"] == (table["reader"] == table["model"])).all()
    rows = reading_agreement(table)
    # without a second reading, its rows are left out
    assert set(rows["model"]) == {"reading", "reading, classifier alone", "reading vs the Assembly's filing"}
    # without the Assembly's filing (no alignments given), its rows rest on no paragraph
    assert (rows.loc[rows["model"] == "reading vs the Assembly's filing", "support"] == 0).all()
    agreement = rows[rows["model"] == "reading"].set_index("class")
    assert agreement["support"].to_dict() == {"all": 64, "preambular": 21, "operative": 43}
    assert np.isclose(agreement.loc["all", "agreement"], table["agree"].mean())
    assert np.isclose(agreement.loc["preambular", "agreement"], table.loc[table["kind"] == "preambular", "agree"].mean())
    # a floor, not the figure: the measured agreement is in results/tables/pillar_eval.csv and docs/pillars.md
    assert agreement.loc["all", "agreement"] >= 0.75 and agreement.loc["preambular", "agreement"] >= 0.7


def test_reading_snippet_must_find_one_paragraph(tmp_path, stage, paragraphs):
    bad = tmp_path / "reading.csv"
    bad.write_text("check,doc,snippet,pillar,disagreement\nx,A/RES/68/276,恐怖主义,I,\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"reading.csv.*check x: '恐怖主义' is in \d+ paragraphs"):
        reading_table(paragraphs, stage["predictions"], bad)


# --- overrides and shares -----------------------------------------------------------------------

HEADER = "doc,kind,number,pillar,note\n"


def test_override_wins_and_is_flagged(tmp_path, stage, paragraphs):
    path = tmp_path / "over.csv"
    path.write_text(HEADER + "A/RES/68/276,operative,14,I,victims: solidarity (Plan of Action I.8)\n",
                    encoding="utf-8")
    table = apply_overrides(stage["predictions"], paragraphs, read_overrides(path, paragraphs))
    row = table.set_index("pid").loc["A/RES/68/276|zh|op|14"]
    assert row["pillar"] == "I" and row["pillar_source"] == "override" and row["pillar_note"].startswith("victims")
    assert row["pillar_model"] == stage["predictions"].set_index("pid").loc["A/RES/68/276|zh|op|14", "pillar"]
    assert row["pillar_prob"] == row["prob_I"]
    rest = table[table["pid"] != "A/RES/68/276|zh|op|14"]
    assert (rest["pillar_source"] == "model").all() and (rest["pillar"] == rest["pillar_model"]).all()


@pytest.mark.parametrize("line, problem", [
    ("A/RES/99/999,operative,1,G,", "row 2: unknown document 'A/RES/99/999'"),
    ("A/RES/68/276,operative,99,G,", "row 2: A/RES/68/276 has no operative paragraph 99"),
    ("A/RES/68/276,operative,1,V,", "row 2: pillar 'V'"),
    ("A/RES/68/276,op,1,G,", "row 2: kind 'op'"),
    ("A/RES/68/276,operative,one,G,", "row 2: number 'one'"),
    ("A/RES/68/276,operative,1,G,\nA/RES/68/276,operative,1,I,", "row 3: A/RES/68/276 operative 1 is already"),
])
def test_bad_override_names_file_and_row(tmp_path, paragraphs, line, problem):
    path = tmp_path / "over.csv"
    path.write_text(HEADER + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_overrides(path, paragraphs)
    assert str(path) in str(e.value) and problem in str(e.value)


def test_override_file_must_have_the_columns(tmp_path, paragraphs):
    path = tmp_path / "over.csv"
    path.write_text("doc,number,pillar\n", encoding="utf-8")
    with pytest.raises(InputError, match="lacks columns"):
        read_overrides(path, paragraphs)
    with pytest.raises(InputError, match="not found"):
        read_overrides(tmp_path / "missing.csv", paragraphs)


def test_shipped_override_file_is_valid_and_empty(paragraphs):
    assert read_overrides(ROOT / CONFIG["overrides"], paragraphs).empty


def test_shares_sum_to_one(stage, paragraphs):
    shares = shares_table(paragraphs, apply_overrides(stage["predictions"], paragraphs, read_overrides(
        ROOT / CONFIG["overrides"], paragraphs)))
    sums = shares.groupby(["doc", "lang", "kind"])["share"].sum()
    assert np.allclose(sums, 1) and set(shares["pillar"]) == set(PILLARS)
    op75 = shares[(shares["doc"] == "A/RES/75/291") & (shares["kind"] == "operative")].set_index("pillar")
    assert op75["n"].sum() == 119
    # 77-78: general (the Secretary-General's report); 118-119: follow-up
    assert op75["n_label"].to_dict() == {"G": 16, "I": 13, "II": 51, "III": 22, "IV": 17}
    assert shares.loc[shares["doc"] != "A/RES/75/291", "n_label"].isna().all()


# --- end to end ---------------------------------------------------------------------------------

def test_pipeline_outputs(pipeline_run):
    par = pd.read_parquet(pipeline_run / "results" / "paragraphs.parquet")
    assert par["pillar"].isin(PILLARS).all() and par["pillar_prob"].between(0, 1).all()
    assert set(par["pillar_source"]) == {"heading", "lineage", "model"} <= set(SOURCES)
    assert (par.loc[par["pillar_source"] == "lineage", "pillar_from"] != "").all()
    # the consistency invariant on the embedded corpus: no unchanged pair changes pillar
    pillar = par.set_index("pid")["pillar"]
    compare = pd.read_csv(pipeline_run / "results" / "compare" / "A_RES_72_284__A_RES_75_291.csv")
    unchanged = compare[compare["status"] == "unchanged"]
    assert len(unchanged) == 19
    assert (unchanged["pid_a"].map(pillar) == unchanged["pid_b"].map(pillar)).all()
    changes = pd.read_csv(pipeline_run / "results" / "tables" / "pillar_changes.csv")
    every = pd.concat([pd.read_csv(f) for f in sorted((pipeline_run / "results" / "compare").glob("*.csv"))])
    both = every[every["pid_a"].notna() & every["pid_b"].notna()]
    assert len(changes) == (both["pid_a"].map(pillar) != both["pid_b"].map(pillar)).sum()
    # the compare tables carry the final pillars of both sides
    assert (both["pillar_a"] == both["pid_a"].map(pillar)).all() and (both["pillar_b"] == both["pid_b"].map(pillar)).all()
    assert (changes["status"] != "unchanged").all() and (changes["reason"] != "").all()
    csv = pd.read_csv(pipeline_run / "results" / "paragraphs.csv")
    assert {"pillar", "pillar_prob", "pillar_terms", "pillar_context_terms", "label", "label_source"} <= set(csv.columns)
    ev = pd.read_csv(pipeline_run / "results" / "tables" / "pillar_eval.csv")
    assert {CONCEPTS, ALONE, BASELINE} <= set(ev["model"])
    cv = pd.read_csv(pipeline_run / "results" / "tables" / "pillar_cv_predictions.csv")
    assert list(cv.columns) == CV_COLUMNS and set(cv["pid"]) <= set(par["pid"])
    assert set(ev.loc[ev["model"] == "reading", "class"]) == {"all", "preambular", "operative"}
    # the reading table sets the final labels, the classifier's own answers and the Assembly's filing beside
    # the reader's, and pillar_eval's reading rows are its agreement columns
    reading = pd.read_csv(pipeline_run / "results" / "tables" / "pillar_reading.csv", keep_default_na=False)
    final = par.set_index("pid")
    assert (reading["pillar"] == reading["pid"].map(final["pillar"])).all()
    assert (reading["pillar_source"] == reading["pid"].map(final["pillar_source"])).all()
    assert (reading["model"] == reading["pid"].map(final["pillar_model"])).all()
    assert (reading["agree"].astype(str) == (reading["reader"] == reading["pillar"]).astype(str)).all()
    filed = reading[reading["filed"] != ""]
    assert filed["filed_from"].str.startswith("A/RES/75/291|").all() and len(filed) >= 20
    # where lineage decided, the label is the Assembly's filing of the provision
    lineage = reading[reading["pillar_source"] == "lineage"]
    assert len(lineage) and (lineage["pillar"] == lineage["filed"]).all()
    # the blind reading of the preambles of 72/284 and 75/291: every row found, agreement per document
    pre = pd.read_csv(pipeline_run / "results" / "tables" / "pillar_reading_preambles.csv", keep_default_na=False)
    assert len(pre) == 85 and (pre["kind"] == "preambular").all()
    assert (pre["pillar"] == pre["pid"].map(final["pillar"])).all()
    per_doc = ev[ev["model"] == "blind preamble reading"].set_index("documents")
    assert per_doc["support"].to_dict() == {"A/RES/72/284": 38, "A/RES/75/291": 47}
    for doc, r in pre.groupby(pre["pid"].str.split("|").str[0]):
        assert np.isclose(per_doc.loc[doc, "agreement"], (r["agree"].astype(str) == "True").mean())
    rows = ev[ev["model"].isin(READING_ROWS)].set_index(["model", "class"])
    for name, col in READING_ROWS.items():
        hits = reading.loc[reading[col] != "", col].astype(str) == "True"
        assert rows.loc[(name, "all"), "support"] == len(hits)
        assert np.isclose(rows.loc[(name, "all"), "agreement"], hits.mean())
    shares = pd.read_csv(pipeline_run / "results" / "tables" / "pillar_shares.csv")
    assert set(shares["doc"]) == set(par["doc"])
    assert (shares["share_low"] <= shares["share_high"]).all()


def test_overrides_rerun_only_the_override_step(pipeline_run, tmp_path):
    """Changing the override file must not refit or rescore the model."""
    work = tmp_path / "run"
    shutil.copytree(pipeline_run, work, symlinks=True)
    before = (work / "results" / "interim" / "pillar_predictions.parquet").stat().st_mtime_ns
    (work / "data" / "annotations" / "pillar_overrides.csv").write_text(
        HEADER + "A/RES/68/276,operative,43,G,agenda item\n", encoding="utf-8")
    targets = ["results/interim/pillars.parquet", "results/tables/pillar_shares.csv"]
    dry = run_snakemake(work, *targets, "-n", "--rerun-triggers", "mtime").stdout
    assert "rule pillars:" in dry and "rule pillar_model:" not in dry
    run_snakemake(work, *targets, "--rerun-triggers", "mtime")
    assert (work / "results" / "interim" / "pillar_predictions.parquet").stat().st_mtime_ns == before
    out = pd.read_parquet(work / "results" / "interim" / "pillars.parquet").set_index("pid")
    assert out.loc["A/RES/68/276|zh|op|43", "pillar"] == "G"
    assert out.loc["A/RES/68/276|zh|op|43", "pillar_source"] == "override"
    assert (out["pillar_source"] == "override").sum() == 1


SECOND = ROOT / CONFIG["second_reading"]


def test_second_reading_reads_every_check_and_is_compared(stage, paragraphs):
    table = reading_table(paragraphs, stage["predictions"], READING, second_path=SECOND)
    second = pd.read_csv(SECOND, dtype=str, keep_default_na=False).set_index("check")
    assert (table["second"] == table["check"].map(second["pillar"])).all()
    assert (table["readers_agree"] == (table["second"] == table["reader"])).all()
    assert (table["second_agrees"] == (table["second"] == table["pillar"])).all()
    rows = reading_agreement(table).set_index(["model", "class"])
    assert rows.loc[("second reading vs reading", "all"), "support"] == 64
    assert np.isclose(rows.loc[("second reading vs reading", "all"), "agreement"], table["readers_agree"].mean())


def test_second_reading_must_cover_the_first(tmp_path, stage, paragraphs):
    bad = tmp_path / "second.csv"
    pd.read_csv(SECOND, dtype=str).iloc[1:].to_csv(bad, index=False)
    with pytest.raises(InputError, match=r"second.csv.*every check of the first reading once"):
        reading_table(paragraphs, stage["predictions"], READING, second_path=bad)
    pd.read_csv(SECOND, dtype=str).assign(pillar="V").to_csv(bad, index=False)
    with pytest.raises(InputError, match=r"second.csv.*pillars \['V'\]"):
        reading_table(paragraphs, stage["predictions"], READING, second_path=bad)


@pytest.mark.parametrize("hint_shares", [False, True])
def test_lexicon_prior_blends_the_hints_with_the_regression(paragraphs, lexicon, hint_shares):
    """prior=0 is the plain regression; prior=w gives (1 - w) * its probabilities + w * the smoothed, normalized
    hint columns; a paragraph with no hinted concept gets a uniform vote."""
    data = with_context(paragraphs).assign(label=heading_labels(paragraphs)["label"].to_numpy())
    train = data[data["label"] != ""]
    X, y = train.drop(columns="label"), train["label"].to_numpy(dtype=object)
    rows = data.drop(columns="label").iloc[::5]
    plain = make_model(lexicon, counts=True, hint_shares=hint_shares).fit(X, y)
    blended = make_model(lexicon, counts=True, hint_shares=hint_shares, prior=0.5).fit(X, y)
    assert np.allclose(plain.predict_proba(rows), blended.named_steps["clf"].lr_.predict_proba(
        blended.named_steps["features"].transform(rows)))
    feats = blended.named_steps["features"].transform(rows)
    n = len(lexicon.ids)
    clf = blended.named_steps["clf"]
    hints = feats[:, n:n + len(PILLARS)][:, [PILLARS.index(c) for c in clf.classes_]] + clf.smoothing
    vote = hints / hints.sum(axis=1, keepdims=True)
    assert np.allclose(blended.predict_proba(rows), 0.5 * plain.predict_proba(rows) + 0.5 * vote)
    assert np.allclose(blended.predict_proba(rows).sum(axis=1), 1)
    assert (blended.predict(rows) == clf.classes_[blended.predict_proba(rows).argmax(axis=1)]).all()
    empty = feats[:, n:n + len(PILLARS)].sum(axis=1) == 0
    assert np.allclose(vote[empty], 1 / len(clf.classes_))
    with pytest.raises(ValueError, match="needs the pillar hint columns"):
        make_model(lexicon, hints=False, prior=0.5)
