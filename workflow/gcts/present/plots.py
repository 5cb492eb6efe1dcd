"""Drawing the figures. Each function takes the frame from gcts.present.figdata and returns a Chart: the matplotlib figure
and a caption that states what the figure shows and how much data it rests on (thin data is said, never padded).
`save` writes <stem>.png, <stem>.svg, <stem>.data.csv (the plotted values) and <stem>.caption.rst (reStructuredText).
A figure with a panel, column or row per version (or aligned pair) is given only the most recent ones (see
figdata.recent) and a figdata.Shown, so its caption says what was left out; no figure grows past MAX_WIDTH x
MAX_HEIGHT inches, whatever the number of versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch, Polygon  # noqa: E402

from ..lang import CANONICAL, codes, profile  # noqa: E402
from . import fonts  # noqa: E402
from .figdata import KINDS, PILLAR_KINDS, PILLARS, STATUSES, Shown, doc_label, pair_label, short, shown  # noqa: E402

PILLAR_COLORS = {"I": "#4C72B0", "II": "#DD8452", "III": "#55A868", "IV": "#C44E52", "G": "#8C8C8C"}
PILLAR_NAMES = {"I": "I conditions conducive", "II": "II prevent and combat", "III": "III capacity and UN role",
                "IV": "IV human rights, rule of law"}
STATUS_COLORS = {"unchanged": "#BDBDBD", "modified": "#F2B134", "aligned": "#D9C27E", "moved": "#5DA5DA", "merged": "#B276B2",
                 "split": "#8D6E63", "new": "#60BD68", "dropped": "#F15854"}
DIRECTION_COLORS = {"harder": "#C0392B", "softer": "#2E86C1", "same strength": "#7F8C8D",
                    "not comparable": "#BDBDBD", "same verb": "#DDDDDD"}
MAX_WIDTH, MAX_HEIGHT = 24.0, 32.0  # inches (PNG at 150 dpi: at most 3600 x 4800 pixels)


@dataclass
class Chart:
    fig: Figure
    caption: str


def new(width: float, height: float, ncols: int = 1, nrows: int = 1, **kw):
    """A figure of width x height inches, cut down to MAX_WIDTH x MAX_HEIGHT, with a grid of axes."""
    fonts.setup()
    size = (min(width, MAX_WIDTH), min(height, MAX_HEIGHT))
    return plt.subplots(nrows, ncols, figsize=size, squeeze=False, layout="constrained", **kw)


def by_lang(panels: list, lang_of) -> list[list]:
    """The panels in one column per language (alphabetical), each column in the order given."""
    return [[p for p in panels if lang_of(p) == lang] for lang in sorted({lang_of(p) for p in panels})] or [[]]


def row_sizes(columns: list[list], size_of) -> list[int]:
    """Per row of a by_lang grid, the size of its largest panel (2 for an empty grid)."""
    rows = max(len(c) for c in columns)
    return [max(size_of(c[i]) for c in columns if i < len(c)) for i in range(rows)] or [2]


def place(axes, columns: list[list]) -> list[tuple]:
    """(axes, panel) of a by_lang grid, column by column; the axes left without a panel are switched off."""
    for j, col in enumerate(columns):
        for i in range(len(col), len(axes) if col else 0):
            axes[i][j].set_axis_off()
    return [(axes[i][j], p) for j, col in enumerate(columns) for i, p in enumerate(col)]


def say_no_data(ax, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", wrap=True, fontsize=11, transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def save(chart: Chart, data: pd.DataFrame, png, svg, data_csv, caption_md) -> None:
    """Write the figure (PNG and SVG), the plotted values and the caption."""
    for path in (png, svg, data_csv, caption_md):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    chart.fig.savefig(png)
    chart.fig.set_layout_engine("none")    # the layout is fixed by the first save; the SVG keeps it
    chart.fig.savefig(svg, metadata={"Date": None})
    plt.close(chart.fig)
    data.to_csv(data_csv, index=False, encoding="utf-8")
    Path(caption_md).write_text(chart.caption.strip() + "\n", encoding="utf-8")


def _recent_line(seen: Shown) -> str:
    """A title's last line on the versions left out ('' when none were)."""
    return f"\nmost recent versions shown: {seen.counts()}" if seen.cut() else ""


def _docs_line(docs: pd.DataFrame) -> str:
    return ", ".join(doc_label(d.doc, d.lang) for d in docs.itertuples())


# --- pillars -----------------------------------------------------------------------------------------------------

def pillar_shares(data: pd.DataFrame, seen: Shown | None = None) -> Chart:
    """One panel per kind of paragraph (side by side while they fit MAX_WIDTH, else one above the other), one group
    of bars per document; `seen` says which documents were left out."""
    docs = data[["doc", "lang", "review"]].drop_duplicates().sort_values(["review", "lang"])
    seen = seen or shown(docs["lang"])
    kinds = [k for k in PILLAR_KINDS if k in set(data["kind"])] or ["all"]
    panel = 1.3 * max(len(docs), 1)
    if 3.0 + panel * len(kinds) <= MAX_WIDTH:
        fig, axes = new(max(9.0, 3.0 + panel * len(kinds)), 5.0, ncols=len(kinds), sharey=True)
    else:
        fig, axes = new(max(9.0, 3.0 + panel), 1.0 + 4.5 * len(kinds), nrows=len(kinds), sharey=True)
    width = 0.8 / len(PILLARS)
    if data.empty:
        for ax in axes.flat:
            say_no_data(ax, "no pillar labels\n(results/tables/pillar_shares.csv is empty)")
        fig.suptitle("Balance of the four pillars per document: no pillar labels available")
        return Chart(fig, "**Balance of the four pillars per document.** No paragraph has a pillar label, so there "
                          "is nothing to plot.")
    for ax, kind in zip(axes.flat, kinds):
        sub = data[data["kind"] == kind]
        labels = []
        for i, d in enumerate(docs.itertuples()):
            one = sub[(sub["doc"] == d.doc) & (sub["lang"] == d.lang)].set_index("pillar")
            if one.empty:
                labels.append(f"{doc_label(d.doc, d.lang)}\nno {kind} paragraphs")
                continue
            for j, p in enumerate(PILLARS):
                share = 0.0 if pd.isna(one.loc[p, "share"]) else 100 * one.loc[p, "share"]
                x = i + (j - 1.5) * width
                ax.bar(x, share, width, color=PILLAR_COLORS[p])
                low, high = one.loc[p, "share_low"], one.loc[p, "share_high"]
                top = share
                if pd.notna(low) and pd.notna(high) and high > low:
                    ax.errorbar(x, share, yerr=[[max(share - 100 * low, 0)], [max(100 * high - share, 0)]],
                                color="black", linewidth=0.8, capsize=2)
                    top = max(share, 100 * high)
                ax.text(x, top + 1, str(int(one.loc[p, "n"])), ha="center", va="bottom", fontsize=8)
            first = one.iloc[0]
            labels.append(f"{doc_label(d.doc, d.lang)}\n{int(first['pillar_total'])} in I–IV\n"
                          f"+ {int(first['general'])} general (G)")
        ax.axhline(25, color="black", linestyle="--", linewidth=1)
        ax.set_xticks(range(len(docs)), labels, fontsize=8)
        ax.set_title("all paragraphs" if kind == "all" else f"{kind} paragraphs")
        ax.set_xlabel("document")
    for ax in axes[:, 0]:
        ax.set_ylabel("share of the paragraphs in pillars I–IV (%)")
    axes[0][0].set_ylim(0, min(100, max(50, 100 * data[["share", "share_high"]].max().max() + 10)))
    fig.legend(handles=[Patch(color=PILLAR_COLORS[p], label=PILLAR_NAMES[p]) for p in PILLARS]
               + [Line2D([], [], color="black", linestyle="--", label="even split (25%)")], loc="outside lower center",
               ncols=5)
    fig.suptitle(f"Balance of the four pillars: {len(docs)} document{'s' if len(docs) != 1 else ''} "
                 f"(number above bar = paragraphs){_recent_line(seen)}")
    parts = []
    for (doc, lang), g in data[data["kind"] == kinds[0]].dropna(subset=["share"]).groupby(["doc", "lang"], sort=False):
        top, low = g.loc[g["share"].idxmax()], g.loc[g["share"].idxmin()]
        parts.append(f"{doc_label(doc, lang)}: largest pillar {top.pillar} ({top.share:.0%}), "
                     f"smallest {low.pillar} ({low.share:.0%})")
    caption = f"""**Balance of the four pillars per document.** For each document, the share of each pillar among
the paragraphs classified into one of the four pillars (I–IV), over {", ".join(kinds)} paragraphs; paragraphs about
the Strategy as a whole (G) are left out of the shares and counted under each group. The dashed line is the even
split (25%) that the Strategy's call for balanced implementation would suggest. Counts from
``results/tables/pillar_shares.csv`` (the ``pillar`` labels of ``results/paragraphs.csv``). A label comes from the
General Assembly's own pillar headings, from an aligned version of the same provision under such a heading
(lineage), from a researcher's override, or from the classifier; the black lines are 95% intervals of each share if
every classifier-decided paragraph took its pillar at random with the classifier's probabilities (other labels
fixed; the probabilities are the model's, not calibrated). {_pillar_sources(data, kinds[0])}
{"; ".join(parts)} ({kinds[0]} paragraphs).
{seen.note("document", "``results/tables/pillar_shares.csv``")}"""
    return Chart(fig, caption)


def _pillar_sources(data: pd.DataFrame, kind: str) -> str:
    """Caption sentences: per document, paragraphs and where their labels came from; a note for a language the
    classifier was not trained on (it learns from English headed paragraphs)."""
    parts, untrained = [], []
    for d in data[data["kind"] == kind].drop_duplicates(["doc", "lang"]).itertuples():
        parts.append(f"{doc_label(d.doc, d.lang)}: {d.paragraphs} paragraphs, {d.by_model} decided by the classifier, "
                     f"{d.by_heading} by headings, {d.by_lineage} by lineage"
                     + (f", {d.by_override} by override" if d.by_override else ""))
        if d.lang != CANONICAL and d.by_model:
            untrained.append(f" {doc_label(d.doc, d.lang)}: its {d.by_model} classifier-decided paragraphs were labelled "
                             "by a classifier trained on English paragraphs only (those under the General Assembly's "
                             "pillar headings), through a bilingual concept lexicon"
                             + (f"; its {d.by_lineage} lineage labels are the headings of aligned versions of the same "
                                "provisions." if d.by_lineage else "."))
    text = "; ".join(parts) + "." if parts else ""
    text += "".join(untrained)
    return text


# --- verbs -------------------------------------------------------------------------------------------------------

def _edges(n: int) -> list[float]:
    """Cell edges that centre n cells on 0, 1, ..., n - 1."""
    return [k - 0.5 for k in range(n + 1)]


def verb_profile(data: pd.DataFrame, kind: str, seen: Shown | None = None) -> Chart:
    """One row per verb, one column per document; `seen` says which documents were left out."""
    docs = data[["doc", "lang", "review", "adopted", "total"]].drop_duplicates().sort_values(["review", "lang"])
    verbs = data.groupby("label", sort=False)["share"].sum().sort_values(ascending=False).index.tolist()
    fig, axes = new(2.2 + 1.6 * max(len(docs), 1), 1.6 + 0.26 * max(len(verbs), 4))
    ax = axes[0][0]
    if data.empty:
        say_no_data(ax, f"no {kind} paragraphs with a lead-in verb")
    else:
        cols = [(d.doc, d.lang) for d in docs.itertuples()]
        share = data.pivot_table(index="label", columns=["doc", "lang"], values="share", aggfunc="sum")
        count = data.pivot_table(index="label", columns=["doc", "lang"], values="n", aggfunc="sum")
        share = share.reindex(index=verbs, columns=pd.MultiIndex.from_tuples(cols)).fillna(0.0)
        count = count.reindex(index=verbs, columns=pd.MultiIndex.from_tuples(cols)).fillna(0).astype(int)
        # cells as quads centred on (column, row), first verb on top: an image (imshow) would be resampled to the
        # figure's pixels in float arrays, hundreds of MB for a wide figure
        im = ax.pcolormesh(_edges(len(cols)), _edges(len(verbs)), 100 * share.to_numpy(), cmap="Blues", vmin=0)
        ax.invert_yaxis()
        for i in range(len(verbs)):
            for j in range(len(cols)):
                n = count.iat[i, j]
                if n:
                    dark = share.iat[i, j] > 0.6 * share.to_numpy().max()
                    ax.text(j, i, str(n), ha="center", va="center", fontsize=8, color="white" if dark else "black")
        ax.set_yticks(range(len(verbs)), verbs, fontsize=9)
        ax.set_xticks(range(len(cols)), [f"{doc_label(d.doc, d.lang, d.adopted)}\n{int(d.total)} paragraphs"
                                         for d in docs.itertuples()], fontsize=9)
        fig.colorbar(im, ax=ax, label=f"share of the document's {kind} paragraphs (%)", shrink=0.6)
    ax.set_xlabel("document")
    ax.set_ylabel("lead-in verb (id, Chinese form)")
    langs = sorted(set(docs["lang"]))
    per_lang = ", ".join(f"{(docs['lang'] == lang).sum()} {lang}" for lang in langs)
    seen = seen or shown(docs["lang"])
    ax.set_title(f"Lead-in verbs of {kind} paragraphs\n({len(docs)} documents: {per_lang}; cell = paragraphs)"
                 f"{_recent_line(seen)}")
    caption = f"""**Verb profile of {kind} paragraphs.** Each row is one lead-in verb concept of the bilingual lexicon
(``workflow/resources/verbs.yaml``; label = id and a Chinese form), each column one document; the colour is the
share of the document's {kind} paragraphs that open with that verb, the number the count of paragraphs
(from ``results/tables/verbs.csv``). Shares make documents of different length comparable. English and Chinese
documents share the same verb ids, so their columns compare directly. Documents: {_docs_line(docs)}.
{seen.note("document", "``results/tables/verbs.csv``")}"""
    return Chart(fig, caption)


def _pairs_of(data: pd.DataFrame) -> list[tuple[str, str, str]]:
    return list(data[["doc_a", "doc_b", "lang"]].drop_duplicates().itertuples(index=False, name=None))


def _pairs_note(pairs: list, seen: Shown) -> str:
    if not pairs:
        return "no aligned pair available (alignment needs two versions in the same language)"
    if seen.cut():
        return f"{len(pairs)} most recent of {sum(seen.total.values())} aligned pairs shown"
    return f"{len(pairs)} aligned pair{'s' if len(pairs) != 1 else ''} available"


def _pair_lang(pair: tuple[str, str, str]) -> str:
    return pair[2]


def _verb(verb_id) -> str:
    return str(verb_id).replace("_", " ") if verb_id else "?"


def _delta(delta) -> str:
    if pd.isna(delta):
        return ""
    return " (±0)" if delta == 0 else f" ({delta:+.2g})"


OUTCOMES = ["same verb", "harder", "same strength", "softer", "not comparable"]   # left to right in each bar
OUTCOME_LABELS = {"same verb": "kept its verb", "harder": "harder verb", "same strength": "other verb, same strength",
                  "softer": "softer verb", "not comparable": "other verb, not comparable"}


def _change_lines(sub: pd.DataFrame, width: int = 110) -> list[tuple[str, str]]:
    """(direction, text) lines listing the verb changes of one pair, most frequent first."""
    import textwrap

    out = []
    for d in OUTCOMES[1:]:
        ch = sub[sub["direction"] == d].sort_values(["n", "verb_id_a"], ascending=[False, True])
        if ch.empty:
            continue
        items = [f"{_verb(r.verb_id_a)} → {_verb(r.verb_id_b)}{_delta(r.strength_delta)}"
                 + (f" ×{int(r.n)}" if r.n > 1 else "") for r in ch.itertuples()]
        text = f"{OUTCOME_LABELS[d]} ({int(ch['n'].sum())}): " + ", ".join(items)
        out += [(d, line) for line in textwrap.wrap(text, width=width, subsequent_indent="    ")]
    return out


def strength_transitions(data: pd.DataFrame, pairs: list[tuple[str, str, str]] | None = None,
                         seen: Shown | None = None) -> Chart:
    """One panel per aligned pair, one column of panels per language: a bar of the matched paragraphs by what became
    of their lead-in verb, and below it the verb changes in words; `seen` says which pairs were left out."""
    pairs = pairs if pairs is not None else _pairs_of(data)
    seen = seen or shown([lang for _, _, lang in pairs])
    columns = by_lang(pairs, _pair_lang)
    lines = {p: _change_lines(data[(data["doc_a"] == p[0]) & (data["doc_b"] == p[1]) & (data["lang"] == p[2])])
             for p in pairs}
    heights = row_sizes(columns, lambda p: 3 + len(lines.get(p, [])) // 2)
    fig, axes = new(11.0 * len(columns), 1.6 + 0.35 * sum(heights) + 0.9 * len(heights), nrows=len(heights),
                    ncols=len(columns), gridspec_kw={"height_ratios": heights})
    summary = []
    if not pairs:
        say_no_data(axes[0][0], "No aligned pair: alignment needs two versions of the text in the same language.")
    for ax, (a, b, lang) in place(axes, columns):
        sub = data[(data["doc_a"] == a) & (data["doc_b"] == b) & (data["lang"] == lang)]
        dirs = sub.groupby("direction")["n"].sum()
        total = int(dirs.sum())
        counts = ", ".join(f"{int(dirs.get(k, 0))} {k}" for k in DIRECTION_COLORS)
        summary.append(f"{pair_label(a, b, lang)}: {counts}")
        left = 0
        for d in OUTCOMES:
            n = int(dirs.get(d, 0))
            if n:
                ax.barh(0, n, left=left, height=0.8, color=DIRECTION_COLORS[d], edgecolor="white")
                ax.text(left + n / 2, 0, str(n), ha="center", va="center", fontsize=9)
                left += n
        for k, (d, line) in enumerate(lines[(a, b, lang)]):
            ax.text(0.005, 1.1 + 0.6 * k, line, transform=ax.get_yaxis_transform(), va="center", fontsize=9)
        ax.set_ylim(1.1 + 0.6 * max(len(lines[(a, b, lang)]), 1), -0.6)
        ax.set_yticks([0], ["matched\nparagraphs"], fontsize=9)
        ax.set_xlim(0, max(total, 1))
        ax.set_xlabel(f"{total} paragraphs matched between the two versions")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_title(f"{pair_label(a, b, lang)}: of {total} matched paragraphs, {int(dirs.get('same verb', 0))} kept "
                     f"their lead-in verb, {int(dirs.get('harder', 0))} harder, {int(dirs.get('softer', 0))} softer",
                     fontsize=10)
        if total == 0:
            say_no_data(ax, "no matched paragraph")
    fig.legend(handles=[Patch(color=DIRECTION_COLORS[k], label=OUTCOME_LABELS[k]) for k in OUTCOMES],
               loc="outside lower center", ncols=5)
    fig.suptitle(f"What became of the lead-in verb of each matched paragraph ({_pairs_note(pairs, seen)})")
    caption = f"""**Verb strength transitions.** For the paragraphs matched between two versions (unchanged, modified,
moved, merged, split in ``results/compare/<A>__<B>.csv``), the bar counts what became of the paragraph's lead-in
verb: kept, or changed to a harder, equally strong, softer or not comparable verb; the lines below list each change
(``verb_id_a`` → ``verb_id_b``, ×n when several paragraphs made it). A verb's strength is its level on its axis of the
active scale of ``workflow/resources/strength.yaml`` as a fraction of that axis (strongest = 1); the number in
brackets is the change, B minus A: +0.5 is half the axis harder. "Not comparable": the two verbs sit on different
axes of the scale (e.g. a request to States and a statement of concern), or one is off the scale. These are counts
of paragraphs, often one or two per change: read them as examples, not as trends. {_pairs_note(pairs, seen).capitalize()}.
{"; ".join(summary)}. {seen.note("aligned pair", "``results/compare/``")}"""
    return Chart(fig, caption)


# --- alignment -----------------------------------------------------------------------------------------------------

def alignment_flow(data: pd.DataFrame, pairs: list[tuple[str, str, str]] | None = None,
                   seen: Shown | None = None) -> Chart:
    """One panel per aligned pair, one column of panels per language; `seen` says which pairs were left out."""
    pairs = pairs if pairs is not None else _pairs_of(data)
    seen = seen or shown([lang for _, _, lang in pairs])
    columns = by_lang(pairs, _pair_lang)
    rows = max(len(c) for c in columns)
    fig, axes = new(8.5 * len(columns), 5.5 * max(rows, 1) ** 0.8, nrows=max(rows, 1), ncols=len(columns))
    if not pairs:
        say_no_data(axes[0][0], "No aligned pair: alignment needs two versions of the text in the same language.")
    summary = []
    bar = 0.18
    for ax, (a, b, lang) in place(axes, columns):
        sub = data[(data["doc_a"] == a) & (data["doc_b"] == b) & (data["lang"] == lang)]
        spans = {}
        total = max(int(sub.groupby("side")["n"].sum().max()), 1)
        for side, x in (("a", 0.0), ("b", 1.0)):
            y, label_y = 0, -total
            for status in STATUSES:
                n = int(sub.loc[(sub["side"] == side) & (sub["status"] == status), "n"].sum())
                if not n:
                    continue
                ax.bar(x, n, bar, bottom=y, color=STATUS_COLORS[status], edgecolor="white")
                label_y = max(y + n / 2, label_y + 0.045 * total)  # keep labels of thin segments apart
                ax.text(x + (-1 if side == "a" else 1) * (bar / 2 + 0.02), label_y, f"{status} {n}",
                        ha="right" if side == "a" else "left", va="center", fontsize=9)
                spans[side, status] = (y, y + n)
                y += n
        for status in STATUSES:
            if ("a", status) in spans and ("b", status) in spans:
                (a0, a1), (b0, b1) = spans["a", status], spans["b", status]
                ax.add_patch(Polygon([(bar / 2, a0), (1 - bar / 2, b0), (1 - bar / 2, b1), (bar / 2, a1)],
                                     closed=True, color=STATUS_COLORS[status], alpha=0.45, linewidth=0))
        na, nb = int(sub.loc[sub["side"] == "a", "n"].sum()), int(sub.loc[sub["side"] == "b", "n"].sum())
        ax.set_xticks([0, 1], [f"{short(a)}\n{na} paragraphs", f"{short(b)}\n{nb} paragraphs"])
        ax.set_xlim(-0.75, 1.75)
        ax.set_ylabel("paragraphs")
        ax.set_xlabel("version")
        ax.set_title(pair_label(a, b, lang), fontsize=10)
        side_a = ", ".join(f"{r.n} {r.status}" for r in sub[sub["side"] == "a"].itertuples())
        side_b = ", ".join(f"{r.n} {r.status}" for r in sub[sub["side"] == "b"].itertuples())
        summary.append(f"{pair_label(a, b, lang)}: of {na} paragraphs of {short(a)}, {side_a}; "
                       f"of {nb} paragraphs of {short(b)}, {side_b}")
    fig.suptitle(f"Where the paragraphs went: alignment between versions ({_pairs_note(pairs, seen)})")
    caption = f"""**Alignment flow.** Left bar: the paragraphs of the older version by what became of them; right bar: the
paragraphs of the newer version by where they came from (status column of ``results/compare/<A>__<B>.csv``). Bands
join the same status on both sides; a merge joins several old paragraphs to one new one and a split the reverse,
so the two sides of a band can differ in height. {_pairs_note(pairs, seen).capitalize()}. {"; ".join(summary)}.
{seen.note("aligned pair", "``results/compare/``")}"""
    return Chart(fig, caption)


# --- series ------------------------------------------------------------------------------------------------------

def growth(data: pd.DataFrame, subject: str = "the Strategy review texts", unit: str = "review") -> Chart:
    reviews = data[["doc", "review", "adopted"]].drop_duplicates().sort_values("review")
    avail = data[data["available"]]
    fig, axes = new(10.0, 4.8)
    ax = axes[0][0]
    colors = {"preambular": "#9ECAE1", "operative": "#3182BD"}
    xs = {r.doc: i for i, r in enumerate(reviews.itertuples())}
    top = max(int(avail.groupby(["doc", "lang"])["n"].sum().max()) if not avail.empty else 0, 10)
    for doc, g in data.groupby("doc", sort=False):
        x = xs[doc]
        langs = sorted(set(g.loc[g["available"], "lang"]))
        if not langs:
            ax.text(x, top * 0.03, "not available\nlocally", ha="center", va="bottom", fontsize=8, color="#777777",
                    rotation=90)
            continue
        w = 0.7 / len(langs)
        for k, lang in enumerate(langs):
            xx = x + (k - (len(langs) - 1) / 2) * w
            bottom = 0
            for kind in KINDS:
                n = int(g.loc[(g["lang"] == lang) & (g["kind"] == kind), "n"].sum())
                ax.bar(xx, n, w * 0.95, bottom=bottom, color=colors[kind])
                ax.text(xx, bottom + n / 2, str(n), ha="center", va="center", fontsize=8)
                bottom += n
            ax.text(xx, bottom + top * 0.01, f"{bottom}\n{lang}", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(range(len(reviews)), [f"{short(r.doc)}\n{str(r.adopted)[:4]}" for r in reviews.itertuples()])
    ax.set_ylim(0, top * 1.18)
    ax.set_xlabel(f"{unit} resolution (adopted)")
    ax.set_ylabel("paragraphs")
    ax.legend(handles=[Patch(color=colors[k], label=k) for k in KINDS], loc="upper left")
    ndocs = avail[["doc", "lang"]].drop_duplicates()
    ax.set_title(f"Growth of {subject}: {len(ndocs)} texts for "
                 f"{avail['doc'].nunique()} of {len(reviews)} {unit}s available locally")
    missing = ", ".join(short(d) for d in reviews["doc"] if d not in set(avail["doc"]))
    caption = f"""**Growth of the texts.** Paragraphs per {unit} resolution, preambular and operative, counted by the
segmenter (``results/documents.csv``). {unit.capitalize()}s without a local text are marked "not available locally": they are
missing, not empty ({missing or "none"}). Counts of a Chinese and an English text are comparable because both
languages carry the same paragraph structure. Texts: {_docs_line(ndocs)}."""
    return Chart(fig, caption)


def _wrapped(terms: list[str], width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(", ".join(terms), width=width, break_on_hyphens=False) or [""]


def term_emergence(data: pd.DataFrame, versions: dict[str, list[tuple[str, str]]], top: int,
                   seen: Shown | None = None, width: int = 140) -> Chart:
    """A table per version that has new terms (series order), one column of panels per language: one row per group
    of terms of equal keyness (how often they occur, G2), the terms listed alphabetically. A language with one
    version only is said, and so are the versions `seen` says were left out."""
    panels = list(data[["lang", "doc", "review", "previous"]].drop_duplicates().itertuples(index=False))
    every = {lang: len(docs) for lang, docs in versions.items()}
    seen = seen or Shown(every, every)
    columns = by_lang(panels, lambda p: p.lang)
    lines = {}
    for p in panels:
        sub = data[(data["doc"] == p.doc) & (data["lang"] == p.lang)]
        lines[p] = [(g, _wrapped(sorted(grp["term"]), width)) for g, grp in sub.groupby("group", sort=True)]
    sizes = row_sizes(columns, lambda p: max(2, sum(len(w) for _, w in lines[p]) + 1))
    fig, axes = new(11.0 * len(columns), 1.6 + 0.26 * sum(sizes) + 0.9 * len(sizes), nrows=len(sizes),
                    ncols=len(columns), gridspec_kw={"height_ratios": sizes})
    single = [lang for lang, docs in versions.items() if len(docs) < 2]
    notes = [f"{lang}: only one version available ({short(docs[0][0])}), no earlier text to compare with"
             for lang, docs in versions.items() if len(docs) == 1]
    if not panels:
        say_no_data(axes[0][0], "No term emergence: it needs two versions in the same language.\n" + "\n".join(notes))
    summary = []
    for ax, p in place(axes, columns):
        sub = data[(data["doc"] == p.doc) & (data["lang"] == p.lang)]
        y, ticks, labels = 0, [], []
        for g, wrapped in lines[p]:
            grp = sub[sub["group"] == g]
            count, g2 = int(grp["count"].iloc[0]), float(grp["g2"].iloc[0])
            ticks.append(y)
            labels.append(f"{count}× each, G² {g2:.1f}")
            for k, line in enumerate(wrapped):
                ax.text(0.01, y + k, line, transform=ax.get_yaxis_transform(), va="center", fontsize=9)
            y += len(wrapped)
            ax.axhline(y - 0.5, color="#DDDDDD", lw=0.6)
        ax.set_ylim(max(y, 2) - 0.5, -0.5)
        ax.set_yticks(ticks, labels, fontsize=9)
        ax.set_xticks([])
        year = dict(versions.get(p.lang, [])).get(p.doc, "")[:4]
        rest, hidden = int(sub["not_shown"].iloc[0]), int(sub["hidden"].iloc[0])
        ax.set_title(f"{p.lang}: {len(sub)} terms new in {short(p.doc)} ({year}), absent from "
                     f"{short(str(p.previous))} and earlier available versions", fontsize=10)
        ax.set_xlabel(f"{rest} further new terms of lower keyness and {hidden} left out as boilerplate or fragments: "
                      "results/tables/term_emergence.csv", fontsize=8)
        summary.append(f"{short(p.doc)} ({p.lang}): {len(sub)} shown, {rest} of lower keyness not shown, {hidden} "
                       "left out")
    langs_with = sorted({p.lang for p in panels})
    title = f"Terms new in each version (best {top} or so per version, ties kept together; {len(panels)} "
    title += f"version{'s' if len(panels) != 1 else ''} with a predecessor; {', '.join(langs_with) or 'no language'})"
    title += _recent_line(seen)
    if single:
        title += f"\nno emergence for {', '.join(single)}: one version only"
    fig.suptitle(title)
    caption = f"""**Term emergence.** For each version that has an earlier available version in the same language, the
terms (English multi-word terms; Chinese jieba words and word n-grams) that occur in it and in no earlier available
version, best first by keyness (Dunning's log-likelihood G² against the previous version). Terms of equal keyness
form one row: with no occurrence in the previous text, G² depends on the count alone, so such ties are common and
are never broken arbitrarily; rows are added while at most {top} terms are shown (config ``figures.top_terms``).
Session names and phrase fragments matched by ``workflow/resources/figure_terms.yaml`` are left out of the figure
(they stay in the table). From ``results/tables/term_emergence.csv``, which lists every term with its paragraphs
(``pids``). "New" means new among the versions available locally. {"; ".join(summary) + "." if summary else ""}
{" ".join([n + "." for n in notes] + [seen.note("version", "``results/tables/term_emergence.csv``")])}"""
    return Chart(fig, caption)


def lang_color(lang: str) -> str:
    """The bar colour of a language (its profile's), grey for others."""
    return profile(lang).color if lang in codes() else "#999999"
