"""Align the paragraphs of two versions of a resolution in one language.

1. Similarity: cosine of TF-IDF vectors fitted on both versions, character 1-3-grams for
   Chinese (no spaces between words) and word 1-2-grams for English.
2. One-to-one matching that maximises total similarity (``linear_sum_assignment``) over all
   paragraphs, preambular and operative together; pairs below the threshold are not matched.
3. Merges and splits: a paragraph left unmatched, or matched less well than to another
   paragraph's counterpart, joins that counterpart's group when most of its words
   (``containment``) are found there, in order, outside the words the group's members already
   account for. A merge is several old paragraphs with one new one; a split the reverse.
   Steps 2-3 repeat on what is still unmatched.
4. Moved: a matched paragraph whose kind changed (preamble <-> operative part), or whose
   relative order changed, i.e. it is not on the longest chain of matches that keeps the
   order of both versions (longest increasing subsequence).

Statuses: ``unchanged`` (same text up to white space), ``modified`` (same place, text changed),
``moved`` (kind or relative order changed; the text may have changed too, see the diff),
``new``, ``dropped``, ``merged``, ``split``. The ``moved`` flag is also set on merged/split
rows whose group changed place. Every decision keeps the best competing candidate (runner-up)
and its similarity, so a reader can see how close the call was.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from difflib import SequenceMatcher

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.feature_extraction.text import TfidfVectorizer

from ..lang import profile

KIND_RANK = {"preambular": 0, "operative": 1, "annex": 2}
TIE = 1e-3          # weight of closeness in position, used only to break ties between equal texts
MIN_UNITS = 4       # a paragraph shorter than this (words / characters) never joins a merge or split


def in_order(df: pd.DataFrame) -> pd.DataFrame:
    """Paragraphs in reading order: preamble, then operative part, by number."""
    rank = df["kind"].map(KIND_RANK)
    if rank.isna().any():
        raise ValueError(f"unknown paragraph kinds {sorted(set(df.loc[rank.isna(), 'kind']))}")
    return df.assign(_r=rank).sort_values(["_r", "number"]).drop(columns="_r").reset_index(drop=True)


def similarity(texts_a: list[str], texts_b: list[str], lang: str) -> np.ndarray:
    """Cosine similarity of every old paragraph (rows) with every new one (columns)."""
    if not texts_a or not texts_b:
        return np.zeros((len(texts_a), len(texts_b)))
    vec = TfidfVectorizer(**profile(lang).align_tfidf)
    try:
        x = vec.fit_transform(list(texts_a) + list(texts_b))
    except ValueError as e:                      # no paragraph of either version has a single word
        if "empty vocabulary" not in str(e):
            raise
        return np.zeros((len(texts_a), len(texts_b)))
    return np.asarray((x[: len(texts_a)] @ x[len(texts_a):].T).todense()).clip(0, 1)


def units(text: str, lang: str) -> list[str]:
    """What containment counts (the profile's unit): Chinese characters, English lower-case words."""
    prof = profile(lang)
    return prof.unit.findall(prof.fold(text))


def contained(part: list[str], whole: list[str], taken: set[int]) -> tuple[float, set[int]]:
    """Share of `part` found in order in `whole`, outside positions `taken`; positions used."""
    if not part:
        return 0.0, set()
    masked = [None if k in taken else u for k, u in enumerate(whole)]
    sm = SequenceMatcher(None, part, masked, autojunk=False)
    used = {b + k for _, b, n in sm.get_matching_blocks() for k in range(n)}
    return len(used) / len(part), used


def longest_increasing(seq: list[int]) -> set[int]:
    """Indices of one longest strictly increasing subsequence of seq."""
    tails, tails_at, prev = [], [], [-1] * len(seq)
    for i, v in enumerate(seq):
        k = bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tails_at.append(i)
        else:
            tails[k], tails_at[k] = v, i
        prev[i] = tails_at[k - 1] if k else -1
    keep, i = set(), tails_at[-1] if tails_at else -1
    while i >= 0:
        keep.add(i)
        i = prev[i]
    return keep


class Groups:
    """Matched groups: one old with one new paragraph, or several on one side (merge/split)."""

    def __init__(self, na: int, nb: int):
        self.of = {"a": [None] * na, "b": [None] * nb}
        self.items: dict[int, dict] = {}
        self._next = 0

    def add(self, a: list[int], b: list[int]) -> None:
        g = self._next
        self._next += 1
        self.items[g] = {"a": list(a), "b": list(b)}
        for side, members in (("a", a), ("b", b)):
            for m in members:
                self.of[side][m] = g

    def remove(self, g: int) -> None:
        for side in "ab":
            for m in self.items[g][side]:
                self.of[side][m] = None
        del self.items[g]

    def free(self, side: str) -> list[int]:
        return [k for k, g in enumerate(self.of[side]) if g is None]



def placed(groups: Groups, a: pd.DataFrame, b: pd.DataFrame):
    """The matched groups in the old version's order, each as (group, its rows of a, its rows of b, moved, why):
    a group moved when its part (preamble, operative) changed or it is off the longest order-keeping chain."""
    order = sorted(groups.items, key=lambda g: min(groups.items[g]["a"]))
    chain = longest_increasing([min(groups.items[g]["b"]) for g in order])
    for pos, g in enumerate(order):
        ga, gb = groups.items[g]["a"], groups.items[g]["b"]
        kinds_a, kinds_b = {a.at[i, "kind"] for i in ga}, {b.at[j, "kind"] for j in gb}
        kind_moved = kinds_a != kinds_b
        moved = kind_moved or pos not in chain
        why = (f"kind changed {'/'.join(sorted(kinds_a))} -> {'/'.join(sorted(kinds_b))}" if kind_moved else
               "order changed (off the longest order-keeping chain of matches)" if moved else "")
        yield g, ga, gb, moved, why

def _match(S, groups: Groups, threshold: float) -> int:
    fa, fb = groups.free("a"), groups.free("b")
    if not fa or not fb:
        return 0
    pa = np.array(fa) / max(len(S) - 1, 1)
    pb = np.array(fb) / max(S.shape[1] - 1, 1)
    weight = S[np.ix_(fa, fb)] + TIE * (1 - np.abs(pa[:, None] - pb[None, :]))
    rows, cols = linear_sum_assignment(weight, maximize=True)
    n = 0
    for r, c in zip(rows, cols):
        if S[fa[r], fb[c]] >= threshold:
            groups.add([fa[r]], [fb[c]])
            n += 1
    return n


def _absorb(S, groups: Groups, u: dict, many: str, containment: float, tries: int = 3) -> int:
    """Let paragraphs of side `many` join a group whose other side is one paragraph (merge/split).

    A paragraph is a candidate when it is unmatched or matched less well than to the group's
    paragraph; the `tries` most similar such groups are tested for containment.
    """
    one = "b" if many == "a" else "a"
    sim = S if many == "a" else S.T                      # sim[k_many, k_one]
    changed = 0
    for k in range(len(groups.of[many])):
        own = groups.of[many][k]
        if len(u[many][k]) < MIN_UNITS or (own is not None and (len(groups.items[own]["a"]) > 1
                                                                or len(groups.items[own]["b"]) > 1)):
            continue
        floor = sim[k, groups.items[own][one][0]] if own is not None else -1.0
        cands = sorted(((sim[k, it[one][0]], g) for g, it in groups.items.items()
                        if g != own and len(it[one]) == 1 and sim[k, it[one][0]] > floor), reverse=True)
        best = None
        for _, g in cands[:tries]:
            target = groups.items[g][one][0]
            taken: set[int] = set()
            for m in groups.items[g][many]:
                taken |= contained(u[many][m], u[one][target], taken)[1]
            share = contained(u[many][k], u[one][target], taken)[0]
            if share >= containment and (best is None or share > best[0]):
                best = (share, g)
        if best:
            if own is not None:
                groups.remove(own)
            share, g = best
            groups.items[g][many] = sorted(groups.items[g][many] + [k])
            groups.of[many][k] = g
            groups.items[g].setdefault("share", {})[(many, k)] = share
            changed += 1
    return changed


def _runner_up(S, i, j, ga, gb):
    """Best competing candidate of a decision: (side, index, similarity) or None."""
    cands = []
    if i is not None:
        row = S[i].copy()
        row[list(gb)] = -1
        if row.size and row.max() >= 0:
            cands.append(("b", int(row.argmax()), float(row.max())))
    if j is not None:
        col = S[:, j].copy()
        col[list(ga)] = -1
        if col.size and col.max() >= 0:
            cands.append(("a", int(col.argmax()), float(col.max())))
    return max(cands, key=lambda c: c[2]) if cands else None


def align(a: pd.DataFrame, b: pd.DataFrame, lang: str, threshold: float, containment: float) -> pd.DataFrame:
    """Alignment decisions between two versions (each a frame with kind, number, text, pid).

    Returns one row per decision: ia/ib (positions in ``in_order`` of each frame, -1 when absent),
    status, similarity, runner_up (pid), runner_up_similarity, group, moved, reason.
    """
    a, b = in_order(a), in_order(b)
    S = similarity(a["text"].tolist(), b["text"].tolist(), lang)
    u = {"a": [units(t, lang) for t in a["text"]], "b": [units(t, lang) for t in b["text"]]}
    groups = Groups(len(a), len(b))
    for _ in range(4):                    # match, absorb, and match what absorbing set free
        if not (_match(S, groups, threshold) + _absorb(S, groups, u, "a", containment)
                + _absorb(S, groups, u, "b", containment)):
            break
    rows = []
    for g, ga, gb, moved, why_moved in placed(groups, a, b):
        for i in ga:
            for j in gb:
                if len(ga) > 1 or len(gb) > 1:
                    status = "merged" if len(ga) > 1 else "split"
                    many, k = ("a", i) if len(ga) > 1 else ("b", j)
                    share = groups.items[g].get("share", {}).get((many, k))
                    reason = (f"{share:.0%} of its words are found, in order, in the shared paragraph"
                              if share is not None else "best one-to-one match of the group")
                elif moved:
                    status, reason = "moved", why_moved
                else:
                    same = re.sub(r"\s+", "", a.at[i, "text"]) == re.sub(r"\s+", "", b.at[j, "text"])
                    status = "unchanged" if same else "modified"
                    reason = "best one-to-one match"
                if why_moved and status != "moved":
                    reason += "; " + why_moved
                rows.append(_row(S, a, b, i, j, ga, gb, status, g, moved, reason))
    for i in groups.free("a"):
        rows.append(_row(S, a, b, i, None, [i], [], "dropped", None, False, threshold=threshold))
    for j in groups.free("b"):
        rows.append(_row(S, a, b, None, j, [], [j], "new", None, False, threshold=threshold))
    out = pd.DataFrame(rows, columns=["ia", "ib", "status", "similarity", "runner_up", "runner_up_similarity",
                                      "group", "moved", "reason"])
    return sort_rows(out)


def _row(S, a, b, i, j, ga, gb, status, group, moved, reason="", threshold=None):
    """One decision with its runner-up; the reason of a new or dropped paragraph comes from it."""
    ru = _runner_up(S, i, j, ga, gb)
    if status in ("new", "dropped"):
        reason = ("the other version has no paragraphs" if ru is None else
                  f"no candidate reaches the threshold {threshold:.2f}" if ru[2] < threshold else
                  "its best candidate (runner_up) was matched to a closer paragraph")
    return {"ia": -1 if i is None else i, "ib": -1 if j is None else j, "status": status,
            "similarity": float(S[i, j]) if i is not None and j is not None else np.nan,
            "runner_up": (a if ru[0] == "a" else b).at[ru[1], "pid"] if ru else None,
            "runner_up_similarity": ru[2] if ru else np.nan, "group": group, "moved": moved, "reason": reason}


def sort_rows(out: pd.DataFrame) -> pd.DataFrame:
    """Rows in the order of the new version; a dropped paragraph follows its old predecessor's row."""
    partner = {}
    for ia, ib in zip(out["ia"], out["ib"]):
        if ia >= 0 and ib >= 0:
            partner[ia] = min(partner.get(ia, ib), ib)
    keys = []
    for ia, ib in zip(out["ia"], out["ib"]):
        if ib >= 0:
            keys.append((ib, 0, ia))
        else:
            before = [p for p in partner if p < ia]
            keys.append((partner[max(before)] if before else -1, 1, ia))
    out = out.assign(_k=keys).sort_values("_k", kind="stable")
    return out.drop(columns="_k").reset_index(drop=True)
