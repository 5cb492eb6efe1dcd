"""The verb lexicon and strength scale files: they load, cover the usual verbs, and bad files fail clearly."""

from __future__ import annotations

import math

import pytest
import yaml

from gcts.errors import InputError
from gcts.annotate.lexicon import VerbLexicon, check_scale, load_verb_lexicon, load_scale

from .conftest import LEXICON, ROOT, SCALES


@pytest.fixture(scope="module")
def lexicon():
    return load_verb_lexicon(LEXICON)


@pytest.fixture(scope="module")
def raw():
    return yaml.safe_load(LEXICON.read_text(encoding="utf-8"))


def test_every_scale_loads_and_names_only_lexicon_verbs(lexicon):
    names = yaml.safe_load(SCALES.read_text(encoding="utf-8"))["scales"]
    assert {"consensus", "gruenberg2009", "training"} <= set(names)
    for name in names:
        scale = load_scale(SCALES, name)
        check_scale(scale, lexicon)
        for axis, levels in scale.axes.items():
            values = [scale.strength(level[0])[0] for level in levels]
            assert values == sorted(values) and values[-1] == 1.0, (name, axis)


def test_configured_scale_exists():
    config = yaml.safe_load((ROOT / "workflow" / "config.yaml").read_text(encoding="utf-8"))
    assert load_scale(ROOT / config["verbs"]["scales"], config["verbs"]["scale"]).name == config["verbs"]["scale"]


def test_scales_follow_their_sources():
    """The orderings quoted in the issue: Gruenberg calls upon < urges; training urges < calls upon; consensus ties."""
    g, t, c = (load_scale(SCALES, n) for n in ("gruenberg2009", "training", "consensus"))
    order = ["decide", "call_upon", "recommend", "request", "urge", "warn", "demand"]
    assert [g.strength(v)[0] for v in order] == sorted(g.strength(v)[0] for v in order)
    assert t.strength("invite")[0] < t.strength("encourage")[0] < t.strength("urge")[0] \
        < t.strength("call_upon")[0] < t.strength("demand")[0]
    assert c.strength("call_upon") == c.strength("urge")
    assert c.strength("invite")[0] < c.strength("encourage")[0] < c.strength("urge")[0] < c.strength("demand")[0]
    assert c.strength("request")[1] == "institutional" and c.strength("reaffirm")[1] == "declaratory"
    assert math.isnan(g.strength("reaffirm")[0]) and g.strength("reaffirm")[1] is None


def test_scale_file_records_a_source_for_every_level():
    data = yaml.safe_load(SCALES.read_text(encoding="utf-8"))
    assert "Gruenberg" in data["sources"]["gruenberg2009"] and "training" in data["sources"]
    for scale in data["scales"].values():
        for axis in scale["axes"].values():
            for level in axis["levels"]:
                srcs = [level["source"]] if isinstance(level["source"], str) else level["source"]
                assert all(s in data["sources"] for s in srcs)
                if "project" in srcs:
                    assert level.get("why"), level


def test_common_general_assembly_verbs_are_covered(lexicon):
    wanted = ["decide", "request", "urge", "call_upon", "encourage", "invite", "recommend", "reaffirm", "recall",
              "recognize", "acknowledge", "welcome", "note", "take_note", "stress", "emphasize", "underline",
              "underscore", "highlight", "affirm", "express_concern", "condemn", "deplore", "reiterate"]
    assert set(wanted) <= set(lexicon.verbs)
    assert {"吁请", "呼吁"} <= set(lexicon.verbs["call_upon"].forms["zh"][""])


def test_phrases_expand_slots(lexicon):
    verbs = {p.text: p for p in lexicon.phrases("en") if p.role == "verb"}
    assert verbs["Expressing deep concern"].modifiers == ("deeply",)
    assert verbs["Expresses its grave concern"].modifiers == ("gravely",)
    assert verbs["Expresses concern"].modifiers == ()
    zh = {p.text: p for p in lexicon.phrases("zh") if p.role == "verb"}
    assert zh["表示深为关切"].id == "express_concern" and zh["表示深为关切"].modifiers == ("deeply",)


def test_canonical_english(lexicon):
    assert lexicon.verbs["call_upon"].canonical("operative") == "Calls upon"
    assert lexicon.verbs["call_upon"].canonical("preambular") == "Calling upon"
    assert lexicon.verbs["express_concern"].canonical("operative") == "Expresses concern"
    assert lexicon.verbs["conscious"].canonical("preambular") == "Conscious"


def test_lexicon_round_trips_through_json(lexicon):
    again = VerbLexicon.from_json(lexicon.to_json())
    assert again.verbs == lexicon.verbs and again.source == lexicon.source


# ---------------------------------------------------------------- bad files (hand-written variants)

def _write(tmp_path, data, name="verbs.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_missing_and_broken_files(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        load_verb_lexicon(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("verbs: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.yaml: not valid YAML"):
        load_verb_lexicon(bad)


def test_a_chinese_form_may_not_name_two_verbs(tmp_path, raw):
    data = yaml.safe_load(yaml.safe_dump(raw))
    data["verbs"][0]["zh"].append("鼓励")          # demand gets the form of encourage
    with pytest.raises(InputError, match=r"verbs.yaml: zh phrase '鼓励' belongs to both"):
        load_verb_lexicon(_write(tmp_path, data))


def test_unknown_function_and_modifier_are_named(tmp_path, raw):
    data = yaml.safe_load(yaml.safe_dump(raw))
    data["verbs"][0]["function"] = "advice"
    with pytest.raises(InputError, match=r"verbs\[0\] \(demand\): function 'advice'"):
        load_verb_lexicon(_write(tmp_path, data))
    data = yaml.safe_load(yaml.safe_dump(raw))
    data["verbs"][0]["en"]["operative"].append({"form": "Really demands", "modifiers": ["really"]})
    with pytest.raises(InputError, match="unknown modifier 'really'"):
        load_verb_lexicon(_write(tmp_path, data))


def test_schema_errors_give_the_place(tmp_path, raw):
    data = yaml.safe_load(yaml.safe_dump(raw))
    del data["verbs"][2]["en"]["preambular"]
    with pytest.raises(InputError, match=r"verbs/2/en: 'preambular' is a required property"):
        load_verb_lexicon(_write(tmp_path, data))
    data = yaml.safe_load(yaml.safe_dump(raw))
    data["verbs"][1]["id"] = "Urge Now"
    with pytest.raises(InputError, match="verbs/1/id"):
        load_verb_lexicon(_write(tmp_path, data))


def test_bad_scales(tmp_path, lexicon):
    with pytest.raises(InputError, match=r"no scale named 'strongest'; the file defines \['consensus'"):
        load_scale(SCALES, "strongest")
    data = yaml.safe_load(SCALES.read_text(encoding="utf-8"))
    data["scales"]["training"]["axes"]["directive"]["levels"][0]["verbs"].append("urge")
    with pytest.raises(InputError, match="verb 'urge' is on directive level 1 and on directive level 3"):
        load_scale(_write(tmp_path, data, "s.yaml"), "training")
    data = yaml.safe_load(SCALES.read_text(encoding="utf-8"))
    data["scales"]["training"]["axes"]["directive"]["levels"][0]["source"] = "folklore"
    with pytest.raises(InputError, match="source 'folklore' is not listed"):
        load_scale(_write(tmp_path, data, "s.yaml"), "training")
    data = yaml.safe_load(SCALES.read_text(encoding="utf-8"))
    data["scales"]["training"]["axes"]["directive"]["levels"][0]["verbs"] = ["implore"]
    scale = load_scale(_write(tmp_path, data, "s.yaml"), "training")
    with pytest.raises(InputError, match=r"s.yaml: scale training names verbs that are not in .*\['implore'\]"):
        check_scale(scale, lexicon)
