"""Word-level diffs: exact markup for known edits of real paragraphs, HTML escaping, round trips."""

from __future__ import annotations

import random
import re

import pytest
from tests.fixtures.builder import _delete, _insert, _swap, real_paragraphs

from gcts.compare.diff import changed, markup, segments, side, to_html

DOCS = {"zh": "A_RES_68_276.zh.txt", "en": "A_RES_72_284.en.txt"}


@pytest.fixture(scope="module")
def paragraphs():
    return {lang: [p["text"] for p in real_paragraphs(f, lang) if len(p["text"]) > 80] for lang, f in DOCS.items()}


def test_english_markup_by_hand():
    segs = segments("Urges all States to act;", "Urges the States concerned to act;", "en")
    assert markup(segs) == "Urges [-all-]{+the+} States {+concerned+} to act;"
    assert markup(segments("Calls upon States, to act.", "Calls upon States to act.", "en")) == \
        "Calls upon States[-,-] to act."
    assert markup(segments("Same text.", "Same  text.", "en")) == ""


def test_chinese_markup_keeps_real_edit_when_jieba_cuts_differently():
    # jieba cuts 会员国 / 加强 but 会员 / 国家 / 加强: the diff still shows only the inserted 家
    assert markup(segments("会员国加强合作。", "会员国家加强合作。", "zh")) == "会员国{+家+}加强合作。"
    assert markup(segments("会员国应当加强合作。", "会员国必须切实加强合作。", "zh")) == "会员国[-应当-]{+必须切实+}加强合作。"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("edit", [_insert, _delete, _swap])
def test_exact_diff_of_known_edits_on_real_paragraphs(paragraphs, lang, edit):
    rng = random.Random(7)
    for text in rng.sample(paragraphs[lang], 12):
        new, expected = edit(text, lang, rng)
        segs = segments(text, new, lang)
        assert markup(segs) in expected, (text, new)
        assert side(segs, "a") == text and side(segs, "b") == new


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_diff_rebuilds_both_texts_after_many_edits(paragraphs, lang):
    rng = random.Random(3)
    for text in rng.sample(paragraphs[lang], 10):
        new = text
        for _ in range(5):
            new = rng.choice([_insert, _delete, _swap])(new, lang, rng)[0]
        segs = segments(text, new, lang)
        assert changed(segs)
        assert side(segs, "a") == text and side(segs, "b") == new
        m = markup(segs)          # dropping one side's markup gives the other text (up to white space)
        old_again = re.sub(r"\{\+.*?\+\}", "", m).replace("[-", "").replace("-]", "")
        new_again = re.sub(r"\[-.*?-\]", "", m).replace("{+", "").replace("+}", "")
        assert re.sub(r"\s", "", old_again) == re.sub(r"\s", "", text)
        assert re.sub(r"\s", "", new_again) == re.sub(r"\s", "", new)


def test_html_is_escaped():
    html = to_html(segments("Urges <b>States</b> & others;", "Urges <script>x</script> & others;", "en"))
    assert re.findall(r"</?(\w+)", html) and set(re.findall(r"</?(\w+)", html)) == {"del", "ins"}
    assert "&lt;" in html and "&gt;" in html and "&amp; others;" in html
