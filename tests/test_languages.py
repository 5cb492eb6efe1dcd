"""Language profiles: the registry is the one list of languages; a third language is added by a profile and
lexicon entries alone; Chinese operative numbers are read however they are printed."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
import pytest
import yaml

from gcts import lang as langs
from gcts.annotate.lexicon import VerbLexicon
from gcts.annotate.verbs import VerbTagger
from gcts.compare.diff import compare_table
from gcts.errors import InputError
from gcts.lang.base import Profile
from gcts.text.segment import segment_text

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


def test_the_registry_is_the_one_list_of_languages():
    assert langs.codes() == ("zh", "en")
    schema = yaml.safe_load((ROOT / "workflow" / "schemas" / "config.schema.yaml").read_text(encoding="utf-8"))
    assert schema["properties"]["languages"]["items"]["enum"] == list(langs.codes())


def test_an_unknown_language_fails_at_the_lookup():
    with pytest.raises(langs.UnsupportedLanguage, match=r"language 'fr' is not supported \(supported: zh, en\)"):
        langs.profile("fr")
    with pytest.raises(InputError, match=r"x\.fr\.txt: language 'fr' is not supported"):
        segment_text("L'Assemblée générale,\n\n1. Décide;\n", "fr", "x.fr.txt")


# --- Chinese operative numbers without a space (full-width dot, ASCII dot, full-width digits) -----------------

ZH_18 = "18. 在这方面**着重指出**"


@pytest.mark.parametrize("printed", ["18．在这方面**着重指出**", "18.在这方面**着重指出**",
                                     "１８．在这方面**着重指出**", "18 . 在这方面**着重指出**"])
def test_chinese_operative_numbers_however_printed(printed):
    text = (RAW / "A_RES_68_276.zh.txt").read_text(encoding="utf-8")
    assert text.count(ZH_18) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        seg = segment_text(text.replace(ZH_18, printed), "zh", "A_RES_68_276.zh.txt")
    ops = [p for p in seg.paragraphs if p.kind == "operative"]
    assert [p.number for p in ops] == list(range(1, 44))
    assert ops[17].text.startswith("在这方面着重指出联合国各实体间加大协调的重要性")
    assert ops[17].marked_verb == "着重指出"
    assert not any("numbering" in w for w in seg.warnings)


def test_a_year_at_a_line_start_is_not_an_operative_number():
    p = langs.profile("zh")
    assert p.operative.match("2014.") is None and p.operative.match("1.5倍") is None


# --- a third language, added without touching any module outside gcts.lang and the resources -------------------

FR = Profile(
    code="fr", name="French", script="latin", joiner=" ", cased=True, spacy_lang="fr",
    assembly=re.compile(r"^\s*L[’']Assemblée générale\s*,\s*$"), assembly_text="L’Assemblée générale,",
    adopted=re.compile(r"adoptée par l[’']Assemblée générale le\s+(\d{1,2}(?:er)?\s+\w+\s+\d{4})"),
    closing=(re.compile(r"^\s*\d+e\s+séance plénière\s*$"),
             re.compile(r"^\s*\d{1,2}(er)?\s+[a-zéû]+\s+\d{4}\s*$")),
    operative=re.compile(r"^\s*(\d{1,3})\s*[.．](?=\s|$|\*)"), terminators=",;.:", preamble="capital",
    footnotes="separator", footnote_line=re.compile(r"^\s*(\d{1,3})\s+"), hyphenation=True,
    pillar_heading=re.compile(r"^\s*Pilier\s+(IV|III|II|I)\b"), pillar_numerals={},
    unit=re.compile(r"[a-zà-ÿœæ0-9]+"), term_word=re.compile(r"^[a-zà-ÿœæ][a-zà-ÿœæ'’]*$"), min_term_chars=1,
    stop_words=None, align_tfidf={"analyzer": "word", "ngram_range": (1, 2), "sublinear_tf": True},
    group_tfidf={"sublinear_tf": True}, term_match="tokens", marks_bold_verbs=False, color="#60BD68")

# A FIXTURE in the shape of a General Assembly resolution (not a UN text): two versions with known edits.
FR_A = """Nations Unies\tA/RES/99/1
Résolution adoptée par l’Assemblée générale le 1er mars 2030
[FIXTURE DE TEST : ce n’est pas un texte des Nations Unies]
99/1. Résolution d’essai

L’Assemblée générale,

Rappelant sa résolution d’essai précédente et les principes de la Charte des Nations
Unies,

Réaffirmant sa volonté de renforcer la coopération internationale,

1. Réaffirme la stratégie d’essai et ses quatre piliers;

2. Encourage les États Membres à échanger des informations sur les meilleures
pratiques;

3. Décide d’examiner la question à sa prochaine session.

1re séance plénière
1er mars 2030
"""
FR_B = FR_A.replace("A/RES/99/1", "A/RES/99/2").replace("99/1. ", "99/2. ").replace(
    "2. Encourage les États Membres", "2. Exhorte les États Membres").replace(
    "3. Décide d’examiner", "3. Prie le Secrétaire général de présenter un rapport sur la mise en œuvre de la "
                             "présente résolution;\n\n4. Décide d’examiner")

FR_VERBS = {"reaffirm": {"operative": ["Réaffirme"], "preambular": ["Réaffirmant"]},
            "recall": {"operative": ["Rappelle"], "preambular": ["Rappelant"]},
            "encourage": {"operative": ["Encourage"], "preambular": ["Encourageant"]},
            "urge": {"operative": ["Exhorte", "Demande instamment"], "preambular": ["Exhortant"]},
            "request": {"operative": ["Prie"], "preambular": ["Priant"]},
            "decide": {"operative": ["Décide"], "preambular": ["Ayant décidé"]}}


@pytest.fixture
def french(tmp_path):
    langs.register(FR)
    try:
        data = yaml.safe_load((ROOT / "workflow" / "resources" / "verbs.yaml").read_text(encoding="utf-8"))
        for v in data["verbs"]:
            if v["id"] in FR_VERBS:
                v["fr"] = FR_VERBS[v["id"]]
        data["also"]["fr"] = ["également", "en outre"]
        data["connectors"]["fr"] = ["et", ",", ";"]
        yield VerbLexicon.from_dict(data, tmp_path / "verbs.yaml")
    finally:
        langs.unregister("fr")


def _paragraphs(seg, doc):
    return pd.DataFrame([{"pid": f"{doc}|{p.kind[0]}{p.number}", "doc": doc, "lang": "fr", "kind": p.kind,
                          "number": p.number, "text": p.text} for p in seg.paragraphs])


def test_a_third_language_runs_segmentation_verbs_and_alignment(french):
    a = segment_text(FR_A, "fr", "A_RES_99_1.fr.txt")
    b = segment_text(FR_B, "fr", "A_RES_99_2.fr.txt")
    assert a.header["symbol"] == "A/RES/99/1" and a.header["adopted_text"] == "1er mars 2030"
    assert [(p.kind, p.number) for p in a.paragraphs] == [("preambular", 1), ("preambular", 2),
                                                           ("operative", 1), ("operative", 2), ("operative", 3)]
    assert a.paragraphs[0].text == ("Rappelant sa résolution d’essai précédente et les principes de la Charte "
                                    "des Nations Unies,")
    assert not a.warnings and len(b.paragraphs) == 6

    tagger = VerbTagger(french)
    ids = [tagger.tag_text(p.text, "fr", p.kind)["verb_id"] for p in b.paragraphs]
    assert ids == ["recall", "reaffirm", "reaffirm", "urge", "request", "decide"]

    paragraphs = pd.concat([_paragraphs(a, "A/RES/99/1"), _paragraphs(b, "A/RES/99/2")])
    t = compare_table(paragraphs, "A/RES/99/1", "A/RES/99/2", "fr", 0.35, 0.6)
    status = {tuple(x if isinstance(x, str) else None for x in (r.pid_a, r.pid_b)): r.status
              for r in t.itertuples()}
    assert status[("A/RES/99/1|p1", "A/RES/99/2|p1")] == "unchanged"
    assert status[("A/RES/99/1|o2", "A/RES/99/2|o2")] == "modified"
    assert status[("A/RES/99/1|o3", "A/RES/99/2|o4")] == "unchanged"   # renumbered, same place in order
    assert status[(None, "A/RES/99/2|o3")] == "new"


def test_a_lexicon_key_without_a_profile_is_refused(tmp_path):
    data = yaml.safe_load((ROOT / "workflow" / "resources" / "verbs.yaml").read_text(encoding="utf-8"))
    data["verbs"][0]["fr"] = ["Exige"]
    with pytest.raises(InputError, match=r"verbs\.yaml: languages \['fr'\] have no profile \(supported: zh, en\)"):
        VerbLexicon.from_dict(data, tmp_path / "verbs.yaml")
