"""Property-based tests (hypothesis): the segmenter, the verb extractor and the aligner never crash on
arbitrary or mutated real text, and the segmenter never loses text.

Only ``gcts.errors.InputError`` may be raised. When segmentation succeeds, the coverage invariant holds:
paragraph spans ``[start, end)`` are disjoint and every character of the raw text lies in exactly one
paragraph span or in a recorded artefact. The verb extractor's offsets point at the verb it reports and
its ids are in the lexicon. The aligner accounts for every paragraph of both versions, aligns a version
with itself as all unchanged, and calls a pair unchanged only when the texts are equal.

The examples are derandomized (same inputs every run) so the suite is stable; for a longer random search
set ``GCTS_FUZZ=<examples>``, e.g. ``GCTS_FUZZ=2000 .venv/bin/pytest tests/test_properties.py``.
"""

from __future__ import annotations

import functools
import os
import re
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gcts.compare import align as align_mod
from gcts.annotate import verbs as verbs_mod
from gcts.errors import InputError
from gcts.text.segment import segment_text

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
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

@fuzz_settings(100)
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


@fuzz_settings(80)
@given(lines=st.lists(structured_lines(EN_WORDS), max_size=60), opener=st.sampled_from(
    ["The General Assembly,", "The General Assembly ,", " The General Assembly,\r"]))
def test_structured_english(lines, opener):
    segment_or_input_error("\n".join(["72/284. Title", "", opener, *lines]), "en")


@fuzz_settings(80)
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


@fuzz_settings(30)
@given(key=st.sampled_from(sorted(REAL)), ops=st.lists(mutation, min_size=1, max_size=8))
def test_mutated_real_text(key, ops):
    segment_or_input_error(mutate(REAL[key], ops), LANG[key])


@fuzz_settings(12)
@given(key=st.sampled_from(sorted(REAL)), seed=st.randoms(use_true_random=False))
def test_shuffled_paragraph_blocks(key, seed):
    """Whole blank-line-separated blocks shuffled: the structure breaks, the invariant must not."""
    blocks = REAL[key].split("\n\n")
    head, rest = blocks[:6], blocks[6:]
    seed.shuffle(rest)
    segment_or_input_error("\n\n".join(head + rest), LANG[key])


# ---------------------------------------------------------------------------------------------------
# Shared: the real paragraphs, and text mutations at paragraph level

def real_paragraphs() -> dict[str, list]:
    """{lang: [Paragraph, ...]} of the embedded texts."""
    out = {"zh": [], "en": []}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for key, text in REAL.items():
            out[LANG[key]] += segment_text(text, LANG[key], key).paragraphs
    return out


PARAS = real_paragraphs()

text_edit = st.one_of(
    st.tuples(st.just("insert"), st.floats(0, 1), st.text(max_size=15)),
    st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 60)),
    st.tuples(st.just("prefix"), st.sampled_from(["又", "还", "在这方面，", "Also ", "Further ", "(a) ", "  ", "**",
                                                  "1. ", "¹", "并", "and ", "Strongly "])),
    st.tuples(st.just("swapclauses"), st.randoms(use_true_random=False)),
    st.tuples(st.just("case"),),
)


def edit_text(text: str, edits) -> str:
    for e in edits:
        if e[0] == "insert":
            pos = int(e[1] * len(text))
            text = text[:pos] + e[2] + text[pos:]
        elif e[0] == "delete":
            pos = int(e[1] * len(text))
            text = text[:pos] + text[pos + e[2]:]
        elif e[0] == "prefix":
            text = e[1] + text
        elif e[0] == "swapclauses":
            parts = re.split(r"(?<=[,，;；])", text)
            e[1].shuffle(parts)
            text = "".join(parts)
        elif e[0] == "case":
            text = text.swapcase()
    return text


# ---------------------------------------------------------------------------------------------------
# Verb extractor



@functools.lru_cache(maxsize=None)
def tagger():
    import yaml

    from gcts.annotate.lexicon import load_verb_lexicon, load_scale

    cfg = yaml.safe_load((ROOT / "workflow/config.yaml").read_text(encoding="utf-8"))["verbs"]
    return verbs_mod.VerbTagger(load_verb_lexicon(ROOT / cfg["lexicon"]),
                                load_scale(ROOT / cfg["scales"], cfg["scale"]))


def check_verb_row(row: dict, text: str) -> None:
    t = tagger()
    assert set(row) == set(verbs_mod.COLUMNS) - {"pid"}
    if row["verb_start"] is not None:
        assert 0 <= row["verb_start"] <= row["verb_end"] <= len(text)
        assert text[row["verb_start"]:row["verb_end"]] == row["verb"], "verb offsets do not point at the verb"
    assert row["verb_id"] is None or row["verb_id"] in t.lexicon.verbs
    assert all(v in t.lexicon.verbs for v in row["secondary_verbs"])
    assert len(row["secondary_verbs"]) == len(row["secondary_verbs_text"])
    s = row["strength"]
    assert s != s or 0 <= s <= 1 or row["verb_id"] is not None           # NaN when there is no verb


@fuzz_settings(60)
@given(text=st.text(max_size=200), lang=st.sampled_from(["en", "zh"]),
       kind=st.sampled_from(["preambular", "operative"]), bold=st.booleans())
def test_verbs_arbitrary_text(text, lang, kind, bold):
    marked = text[: len(text) // 3].strip() if bold else ""     # the segmenter strips the bold text
    check_verb_row(tagger().tag_text(text, lang, kind, marked), text)


@fuzz_settings(60)
@given(lang=st.sampled_from(["en", "zh"]), index=st.integers(0, 10_000), edits=st.lists(text_edit, max_size=4),
       keep_bold=st.booleans())
def test_verbs_mutated_real_paragraphs(lang, index, edits, keep_bold):
    p = PARAS[lang][index % len(PARAS[lang])]
    text = edit_text(p.text, edits)
    marked = p.marked_verb if keep_bold and p.marked_verb in text else ""
    check_verb_row(tagger().tag_text(text, lang, p.kind, marked), text)


def test_verb_offsets_on_the_real_paragraphs():
    """The same checks on every real paragraph, where a lead-in verb must be found."""
    for lang, paras in PARAS.items():
        for p in paras:
            row = tagger().tag_text(p.text, lang, p.kind, p.marked_verb)
            check_verb_row(row, p.text)
            assert row["verb"], (lang, p.kind, p.number, p.text[:60])


# ---------------------------------------------------------------------------------------------------
# Aligner

STATUSES = {"unchanged", "modified", "moved", "new", "dropped", "merged", "split"}


def frame(paras, texts=None) -> "pd.DataFrame":
    import pandas as pd

    texts = texts or [p.text for p in paras]
    return pd.DataFrame({"pid": [f"x|{p.kind}|{p.number}|{k}" for k, p in enumerate(paras)],
                         "kind": [p.kind for p in paras], "number": [p.number for p in paras], "text": texts})


def check_alignment(out, a, b) -> None:
    """Every paragraph of both versions is accounted for; statuses, similarities and indices are sane."""
    assert set(out["status"]) <= STATUSES
    assert set(out.loc[out["ia"] >= 0, "ia"]) == set(range(len(a)))
    assert set(out.loc[out["ib"] >= 0, "ib"]) == set(range(len(b)))
    assert ((out["ia"] >= 0) | (out["ib"] >= 0)).all()
    assert (out.loc[out["status"] == "new", "ia"] == -1).all()
    assert (out.loc[out["status"] == "dropped", "ib"] == -1).all()
    sim = out["similarity"].dropna()
    assert ((sim >= 0) & (sim <= 1 + 1e-9)).all()
    a_o, b_o = align_mod.in_order(a), align_mod.in_order(b)
    for r in out[out["status"] == "unchanged"].itertuples():
        assert re.sub(r"\s+", "", a_o.at[r.ia, "text"]) == re.sub(r"\s+", "", b_o.at[r.ib, "text"])


def sample_paras(lang, picks):
    paras = PARAS[lang]
    chosen = sorted({k % len(paras) for k in picks})
    out, seen = [], set()
    for k in chosen:                                    # (kind, number) must be unique within a version
        p = paras[k]
        if (p.kind, p.number) not in seen:
            seen.add((p.kind, p.number))
            out.append(p)
    return out


@fuzz_settings(30)
@given(lang=st.sampled_from(["en", "zh"]), picks=st.lists(st.integers(0, 10_000), max_size=25))
def test_align_identity(lang, picks):
    """A version aligned with itself: every paragraph unchanged, in place."""
    a = frame(sample_paras(lang, picks))
    out = align_mod.align(a, a, lang, 0.35, 0.6)
    check_alignment(out, a, a)
    if len(a):
        assert (out["status"] == "unchanged").all() and (out["ia"] == out["ib"]).all()


@fuzz_settings(40)
@given(lang=st.sampled_from(["en", "zh"]), picks_a=st.lists(st.integers(0, 10_000), max_size=25),
       picks_b=st.lists(st.integers(0, 10_000), max_size=25),
       edits=st.lists(st.tuples(st.integers(0, 30), st.lists(text_edit, max_size=3)), max_size=6),
       threshold=st.floats(0, 1), containment=st.floats(0, 1))
def test_align_mutated_versions(lang, picks_a, picks_b, edits, threshold, containment):
    """Two versions drawn from the real paragraphs, the second with edited texts: no crash, all accounted for."""
    a_paras, b_paras = sample_paras(lang, picks_a), sample_paras(lang, picks_a + picks_b)
    texts = [p.text for p in b_paras]
    for k, e in edits:
        if texts:
            texts[k % len(texts)] = edit_text(texts[k % len(texts)], e)
    a, b = frame(a_paras), frame(b_paras, texts)
    out = align_mod.align(a, b, lang, threshold, containment)
    check_alignment(out, a, b)


def numbered(texts):
    P = type("P", (), {})
    out = []
    for k, _ in enumerate(texts):
        p = P()
        p.kind, p.number = "operative", k + 1
        out.append(p)
    return frame(out, list(texts))


def has_vocabulary(texts, lang) -> bool:
    """Whether TF-IDF finds any term: a 2-letter word (en) or any character (zh)."""
    return any(re.search(r"\w\w", t) if lang == "en" else t for t in texts)


@fuzz_settings(30)
@given(lang=st.sampled_from(["en", "zh"]),
       texts_a=st.lists(st.text(max_size=40), max_size=6), texts_b=st.lists(st.text(max_size=40), max_size=6))
def test_align_arbitrary_text(lang, texts_a, texts_b):
    """Arbitrary texts, including empty ones and ones of punctuation only."""
    event("has words" if has_vocabulary(texts_a + texts_b, lang) else "no word at all")
    a, b = numbered(texts_a), numbered(texts_b)
    check_alignment(align_mod.align(a, b, lang, 0.35, 0.6), a, b)


@pytest.mark.parametrize("lang, texts", [("en", ["", "."]), ("zh", ["", ""])])
def test_align_versions_without_any_word(lang, texts):
    """No paragraph of either version has a word (TF-IDF has no vocabulary): all new or dropped, no crash."""
    a, b = numbered(texts[:1]), numbered(texts[1:])
    out = align_mod.align(a, b, lang, 0.35, 0.6)
    check_alignment(out, a, b)
    assert set(out["status"]) == {"new", "dropped"}
