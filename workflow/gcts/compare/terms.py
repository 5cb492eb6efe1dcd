"""Term emergence: terms that first appear in a version of the text, ranked by keyness.

Candidate terms are word n-grams inside a stretch of text without punctuation or numbers:
English words (lower case, "counter-terrorism" kept whole), Chinese jieba words (a single word
must have two or more characters). A term neither starts nor ends with a stop word (spaCy's
lists plus workflow/resources/terms.yaml) and has stop words inside only from that file's
`inside` list. A term is new in a version when it occurs there at least ``min_count`` times and never
in any earlier available version (checked on the running text, so a different word segmentation
cannot fake novelty). Keyness is Dunning's log-likelihood G2 of its frequency in the version
against the previous version; a shorter term is left out when a longer new term accounts for
all its occurrences.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import yaml

from ..errors import InputError
from ..resources import load_yaml
from ..lang import codes, profile
from ..lang.nlp import blank

COLUMNS = ["lang", "doc", "review", "previous", "rank", "term", "n_words", "count", "count_previous", "g2",
           "paragraphs", "pids"]


def chunks(text: str, lang: str) -> list[list[str]]:
    """Runs of words between punctuation, numbers and other non-words."""
    prof = profile(lang)
    toks = [t for t in blank(lang).make_doc(text) if not t.is_space]
    words, k = [], 0
    while k < len(toks):        # join "counter" "-" "terrorism" written without spaces
        w = prof.fold(toks[k].text)
        while (prof.hyphenation and k + 2 < len(toks) and toks[k + 1].text == "-" and not toks[k].whitespace_
               and not toks[k + 1].whitespace_ and toks[k + 2].is_alpha):
            w += "-" + prof.fold(toks[k + 2].text)
            k += 2
        words.append(w)
        k += 1
    out, run = [], []
    for w in words:
        if all(prof.term_word.match(part) for part in w.split("-")):
            run.append(w)
        else:
            out.append(run)
            run = []
    out.append(run)
    return [r for r in out if r]


def load_words(path) -> dict:
    """The stop and inside word lists of workflow/resources/terms.yaml: {lang: {stop, inside}}."""
    try:
        data = load_yaml(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise InputError(path, f"cannot read the term word lists: {e}") from None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), dict) for k in ("stop", "inside")):
        raise InputError(path, "needs the mappings `stop` and `inside`, each {language: [words]}")
    out = {}
    unknown = sorted({k for sec in ("stop", "inside") for k in data[sec]} - set(codes()))
    if unknown:
        raise InputError(path, f"languages {unknown} have no profile (supported: {', '.join(codes())})")
    for lang in codes():
        lists = [data[k].get(lang) or [] for k in ("stop", "inside")]
        if not all(isinstance(x, list) and all(isinstance(w, str) for w in x) for x in lists):
            raise InputError(path, f"stop.{lang} and inside.{lang} must be lists of words")
        out[lang] = {"stop": {w.lower() for w in lists[0]}, "inside": {w.lower() for w in lists[1]}}
    return out


def _stop(word: str, lang: str, words: dict) -> bool:
    return (blank(lang).vocab[word].is_stop or word in words[lang]["stop"]
            or len(word) < profile(lang).min_term_chars)


def candidates(runs: list[list[str]], lang: str, nmin: int, nmax: int, words: dict) -> list[tuple[str, int]]:
    """Every term occurrence in the word runs of a text (with repeats), with its length in words."""
    sep = profile(lang).joiner
    out = []
    for run in runs:
        flags = [_stop(w, lang, words) for w in run]
        inner = [f and w not in words[lang]["inside"] for f, w in zip(flags, run)]
        for n in range(nmin, nmax + 1):
            for i in range(len(run) - n + 1):
                if not flags[i] and not flags[i + n - 1] and not any(inner[i + 1:i + n - 1]):
                    out.append((sep.join(run[i:i + n]), n))
    return out


def _wrap(term: str, lang: str) -> str:
    return f" {term} " if profile(lang).spaced else term


def g2(a: int, b: int, c: int, d: int) -> float:
    """Log-likelihood of frequency a in a corpus of c words against b in d words."""
    e1, e2 = c * (a + b) / (c + d), d * (a + b) / (c + d)
    return 2 * sum(x * math.log(x / e) for x, e in ((a, e1), (b, e2)) if x > 0)


def emergence(paragraphs: pd.DataFrame, lang: str, docs: list[str], min_count: int, ngrams, words: dict
              ) -> pd.DataFrame:
    """New terms of each version after the first of one language (docs in series order)."""
    paras = paragraphs[paragraphs["lang"] == lang]
    seen, rows, prev, prev_size = "", [], None, 0
    for doc in docs:
        d = paras[paras["doc"] == doc]
        where: dict[str, list[str]] = {}
        length: dict[str, int] = {}
        running, size = [], 0
        for pid, text in zip(d["pid"], d["text"]):
            runs = chunks(text, lang)
            size += sum(map(len, runs))
            running.append(" " + " | ".join(" ".join(r) for r in runs) + " " if profile(lang).spaced
                           else "|".join("".join(r) for r in runs) + "|")
            for term, n in candidates(runs, lang, *ngrams, words):
                where.setdefault(term, []).append(pid)
                length[term] = n
        if prev is not None:
            new = {t: p for t, p in where.items() if len(p) >= min_count and _wrap(t, lang) not in seen}
            score = {t: g2(len(new[t]), 0, size, prev_size) for t in new}
            ranked = sorted(_maximal(new, lang), key=lambda t: (-score[t], t))
            for r, t in enumerate(ranked, 1):
                pids = list(dict.fromkeys(new[t]))
                rows.append({"lang": lang, "doc": doc, "review": int(d["review"].iloc[0]), "previous": prev,
                             "rank": r, "term": t, "n_words": length[t], "count": len(new[t]),
                             "count_previous": 0, "g2": round(score[t], 3), "paragraphs": len(pids),
                             "pids": ";".join(pids)})
        seen += "".join(running)
        prev, prev_size = doc, size
    return pd.DataFrame(rows, columns=COLUMNS)


def _maximal(new: dict[str, list[str]], lang: str) -> list[str]:
    """Drop a term when a longer new term containing it has as many occurrences."""
    keep = []
    for t in sorted(new, key=len, reverse=True):
        if not any(_wrap(t, lang) in _wrap(k, lang) and len(new[k]) >= len(new[t]) for k in keep):
            keep.append(t)
    return keep
