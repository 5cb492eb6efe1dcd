"""Term emergence: candidate terms, keyness, and new terms of a fixture version with known additions."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import yaml

from gcts.errors import InputError
from gcts.compare.terms import COLUMNS, candidates, chunks, emergence, g2, load_words
from tests.fixtures.builder import SYNTHETIC, build, real_paragraphs

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "workflow" / "config.yaml").read_text(encoding="utf-8"))["compare"]["terms"]
WORDS = load_words(ROOT / CONFIG["words"])
DOCS = {"zh": "A_RES_68_276.zh.txt", "en": "A_RES_72_284.en.txt"}


def test_chunks_keep_hyphenated_words_and_stop_at_punctuation_and_numbers():
    assert chunks("Urges counter-terrorism bodies (CTED), in 2019 to act on foreign terrorist fighters.", "en") == \
        [["urges", "counter-terrorism", "bodies"], ["cted"], ["in"], ["to", "act", "on", "foreign", "terrorist",
                                                                      "fighters"]]
    assert chunks("鼓励会员国，在2014年加强合作", "zh") == [["鼓励", "会员国"], ["在"], ["年", "加强", "合作"]]


def test_candidates_respect_the_stop_lists():
    runs = chunks("Calls upon States to counter the financing of terrorism", "en")
    terms = {t for t, _ in candidates(runs, "en", 2, 4, WORDS)}
    assert "financing of terrorism" in terms                         # "of" may stand inside a term
    assert "counter the financing" not in terms                      # other stop words may not
    assert not any(t.split()[0] in {"to", "the", "calls"} or t.split()[-1] in {"to", "the"} for t in terms)


def test_g2_against_hand_computation():
    # a=4 in c=1000, b=0 in d=1000: E1 = 2, G2 = 2 * 4 * ln(4/2)
    assert math.isclose(g2(4, 0, 1000, 1000), 8 * math.log(2))
    assert math.isclose(g2(3, 3, 500, 500), 0.0, abs_tol=1e-12)
    assert g2(5, 1, 1000, 1000) > g2(3, 1, 1000, 1000) > 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_new_terms_of_a_fixture_version(lang):
    fx = build(real_paragraphs(DOCS[lang], lang), lang, 5)
    paras = pd.concat([fx["a"].assign(doc="FIXTURE/A", review=1), fx["b"].assign(doc="FIXTURE/B", review=2)])
    paras = paras.assign(lang=lang, pid=paras["doc"] + "|" + paras["pid"])
    out = emergence(paras, lang, ["FIXTURE/A", "FIXTURE/B"], 1, CONFIG["ngrams"][lang], WORDS)
    assert list(out.columns) == COLUMNS and len(out) > 0
    assert (out["doc"] == "FIXTURE/B").all() and (out["previous"] == "FIXTURE/A").all()
    assert out["rank"].tolist() == list(range(1, len(out) + 1)) and out["g2"].is_monotonic_decreasing
    old = " ".join(fx["a"]["text"])
    old = old if lang == "zh" else old.lower()
    text_of = dict(zip(paras["pid"], paras["text"] if lang == "zh" else paras["text"].str.lower()))
    for r in out.itertuples():
        assert r.term not in old, r.term                           # really new
        assert all(r.term in text_of[p] for p in r.pids.split(";"))  # and found where it says
    synthetic = paras.loc[paras["text"] == SYNTHETIC[lang], "pid"].iloc[0]
    assert out["pids"].str.contains(synthetic, regex=False).any()
    assert len(emergence(paras, lang, ["FIXTURE/A", "FIXTURE/B"], 3, CONFIG["ngrams"][lang], WORDS)) < len(out)


def test_one_version_has_no_new_terms():
    paras = pd.DataFrame([{"pid": "X|op1", "doc": "X", "lang": "en", "review": 1, "text": "Urges all States;"}])
    assert emergence(paras, "en", ["X"], 1, (2, 4), WORDS).empty


def test_bad_word_lists_are_refused(tmp_path):
    bad = tmp_path / "terms.yaml"
    bad.write_text("stop: [a, b]\n", encoding="utf-8")
    with pytest.raises(InputError, match="stop.*inside"):
        load_words(bad)


@pytest.mark.slow
def test_pipeline_term_emergence(pipeline_run):
    out = pd.read_csv(pipeline_run / "results/tables/term_emergence.csv")
    assert list(out.columns) == [*COLUMNS, "series"] and len(out) > 0 and set(out["series"]) == {"gcts"}
    assert set(out["lang"]) == {"en"} and set(out["doc"]) == {"A/RES/75/291"}
    assert (out["count"] >= CONFIG["min_count"]).all()
    log = (pipeline_run / "results/logs/term_emergence.log").read_text(encoding="utf-8")
    assert "zh: 1 version(s) available; term emergence needs two, nothing to compare" in log
