"""Property-based tests (hypothesis): the segmenter, the verb extractor and the aligner never crash on
arbitrary or mutated real text, and the segmenter never loses text.

Only ``gcts.errors.InputError`` may be raised. When segmentation succeeds, the coverage invariant holds:
paragraph spans ``[start, end)`` are disjoint and every character of the raw text lies in exactly one
paragraph span or in a recorded artefact.

The examples are derandomized (same inputs every run) so the suite is stable; for a longer random search
set ``GCTS_FUZZ=<examples>``, e.g. ``GCTS_FUZZ=2000 .venv/bin/pytest tests/test_properties.py``.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gcts.errors import InputError
from gcts.segment import segment_text

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
REAL = {"zh": (RAW / "A_RES_68_276.zh.txt").read_text(encoding="utf-8"),
        "en72": (RAW / "A_RES_72_284.en.txt").read_text(encoding="utf-8"),
        "en75": (RAW / "A_RES_75_291.en.txt").read_text(encoding="utf-8")}
LANG = {"zh": "zh", "en72": "en", "en75": "en"}

FUZZ = int(os.environ.get("GCTS_FUZZ", "0"))


def fuzz_settings(examples: int):
    return settings(max_examples=FUZZ or examples, deadline=None, derandomize=not FUZZ,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ---------------------------------------------------------------------------------------------------
# The invariant

def check_coverage(text: str, seg) -> None:
    """Paragraph spans are disjoint, inside the text, and together with the artefacts cover every
    character exactly once where paragraphs are concerned."""
    n = len(text)
    spans = sorted((p.start, p.end) for p in seg.paragraphs)
    for a, b in spans:
        assert 0 <= a <= b <= n, f"paragraph span {(a, b)} outside the text of length {n}"
    for (a1, b1), (a2, b2) in zip(spans, spans[1:]):
        assert b1 <= a2, f"paragraph spans overlap: {(a1, b1)} and {(a2, b2)}"
    for p in seg.paragraphs:
        for a, b in p.pieces:
            assert p.start <= a <= b <= p.end, f"piece {(a, b)} outside its paragraph {(p.start, p.end)}"
    arts = []
    for art in seg.artefacts:
        a, b = art["start"], art["end"]
        assert 0 <= a < b <= n, f"artefact {art} outside the text of length {n}"
        arts.append((a, b))
    # Sweep: every position not in a paragraph span must be in some artefact.
    covered = sorted(spans + arts)
    pos = 0
    for a, b in covered:
        assert a <= pos, f"characters {pos}..{a} ({text[pos:a]!r}) are neither in a paragraph nor an artefact"
        pos = max(pos, b)
    assert pos >= n, f"characters {pos}..{n} ({text[pos:n]!r}) are neither in a paragraph nor an artefact"


def segment_or_input_error(text: str, lang: str):
    """Segment; InputError is an accepted outcome (and must name the source), anything else fails."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            seg = segment_text(text, lang, "fuzz.txt")
        except InputError as e:
            assert e.source == "fuzz.txt" and e.problem
            event(f"InputError: {e.problem[:40]}")
            return None
    event("segmented")
    check_coverage(text, seg)
    return seg


def test_invariant_holds_on_the_real_texts():
    """The checker itself accepts the three embedded texts (and so can catch a regression)."""
    for key, text in REAL.items():
        seg = segment_text(text, LANG[key], key)
        check_coverage(text, seg)
        assert seg.paragraphs


def test_checker_catches_a_lost_character():
    """The checker is not vacuous: dropping an artefact makes it fail."""
    seg = segment_text(REAL["en72"], "en", "en72")
    seg.artefacts = [a for a in seg.artefacts if a["kind"] != "header"]
    with pytest.raises(AssertionError, match="neither in a paragraph nor an artefact"):
        check_coverage(REAL["en72"], seg)


# ---------------------------------------------------------------------------------------------------
# Arbitrary text

@fuzz_settings(150)
@given(text=st.text(), lang=st.sampled_from(["en", "zh"]))
def test_arbitrary_text(text, lang):
    segment_or_input_error(text, lang)


EN_WORDS = ["Member States", "terrorism", "Strategy", "the", "and", "of", "counter-", "Calls upon",
            "Encourages", "Pillar I: measures", "Secretary-General1", "(a)", "United Nations", "—"]
ZH_WORDS = ["会员国", "恐怖主义", "**鼓励**", "《战略》", "，", "；", "。", "¹", "联合国", "呼吁"]
ARTEFACT_LINES = ["A/RES/72/284", "18-10508 (E)    060718", "*1810508*", "2/17", "17/17", "__________",
                  "1 See A/72/840.", "¹ 见A/68/841。", "108th plenary meeting", "26 June 2018",
                  "2014年6月13日", "第96次全体会议", "", " ", "\f", "\u3000", "\r"]


def structured_lines(words):
    word_line = st.lists(st.sampled_from(words), min_size=1, max_size=8).map(" ".join)
    numbered = st.tuples(st.integers(0, 130), st.sampled_from([". ", "．", ".", ". **"]), word_line) \
        .map(lambda t: f"{t[0]}{t[1]}{t[2]}")
    return st.one_of(word_line, numbered, st.sampled_from(ARTEFACT_LINES), st.text(max_size=20),
                     st.integers(0, 130).map(lambda k: f"{k}."))


@fuzz_settings(150)
@given(lines=st.lists(structured_lines(EN_WORDS), max_size=60), opener=st.sampled_from(
    ["The General Assembly,", "The General Assembly ,", " The General Assembly,\r"]))
def test_structured_english(lines, opener):
    segment_or_input_error("\n".join(["72/284. Title", "", opener, *lines]), "en")


@fuzz_settings(150)
@given(lines=st.lists(structured_lines(ZH_WORDS), max_size=60), opener=st.sampled_from(["大会，", "大会,"]))
def test_structured_chinese(lines, opener):
    segment_or_input_error("\n".join(["68/276. 标题", "", opener, *lines]), "zh")


# ---------------------------------------------------------------------------------------------------
# Mutated real text: insert/delete/duplicate/shuffle lines, random unicode, page-break artefacts

PAGE_BREAKS = ["\n18-10508\n2/17\n\nA/RES/72/284\nThe United Nations Global Counter-Terrorism Strategy Review\n",
               "\n\f\n", "\n*2108974*\n", "\n__________\n1 A/72/840.\n", "\n3/22\n", "\r\n", "\n\n\n"]

mutation = st.one_of(
    st.tuples(st.just("delete"), st.floats(0, 1)),
    st.tuples(st.just("duplicate"), st.floats(0, 1)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.text(max_size=30)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.sampled_from(ARTEFACT_LINES)),
    st.tuples(st.just("swap"), st.floats(0, 1), st.floats(0, 1)),
    st.tuples(st.just("shuffle"), st.floats(0, 1), st.integers(2, 12), st.randoms(use_true_random=False)),
    st.tuples(st.just("char"), st.floats(0, 1), st.characters()),
    st.tuples(st.just("cut"), st.floats(0, 1), st.integers(1, 400)),
    st.tuples(st.just("pagebreak"), st.floats(0, 1), st.sampled_from(PAGE_BREAKS)),
    st.tuples(st.just("crlf"),),
)


def mutate(text: str, ops) -> str:
    lines = text.split("\n")
    for op in ops:
        kind = op[0]
        at = int(op[1] * len(lines)) if len(op) > 1 and lines else 0
        at = min(at, max(len(lines) - 1, 0))
        if kind == "delete" and lines:
            del lines[at]
        elif kind == "duplicate" and lines:
            lines.insert(at, lines[at])
        elif kind == "insert":
            lines.insert(at, op[2])
        elif kind == "swap" and lines:
            j = min(int(op[2] * len(lines)), len(lines) - 1)
            lines[at], lines[j] = lines[j], lines[at]
        elif kind == "shuffle":
            block = lines[at:at + op[2]]
            op[3].shuffle(block)
            lines[at:at + op[2]] = block
        elif kind in ("char", "cut", "pagebreak"):
            flat = "\n".join(lines)
            pos = int(op[1] * len(flat))
            if kind == "char":
                flat = flat[:pos] + op[2] + flat[pos:]
            elif kind == "cut":
                flat = flat[:pos] + flat[pos + op[2]:]
            else:
                flat = flat[:pos] + op[2] + flat[pos:]
            lines = flat.split("\n")
        elif kind == "crlf":
            lines = [ln + "\r" for ln in lines]
    return "\n".join(lines)


@fuzz_settings(40)
@given(key=st.sampled_from(sorted(REAL)), ops=st.lists(mutation, min_size=1, max_size=8))
def test_mutated_real_text(key, ops):
    segment_or_input_error(mutate(REAL[key], ops), LANG[key])


@fuzz_settings(25)
@given(key=st.sampled_from(sorted(REAL)), seed=st.randoms(use_true_random=False))
def test_shuffled_paragraph_blocks(key, seed):
    """Whole blank-line-separated blocks shuffled: the structure breaks, the invariant must not."""
    blocks = REAL[key].split("\n\n")
    head, rest = blocks[:6], blocks[6:]
    seed.shuffle(rest)
    segment_or_input_error("\n\n".join(head + rest), LANG[key])
