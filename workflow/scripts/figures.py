"""Rules figures and change_figures: draw the figures named in params.names (PNG, SVG), with the values each plots
(CSV) and its caption (RST).

Each series gets its own figures (params.names: (series, figure, output key)). Figures with a panel, column or row
per version (or aligned pair) show the `max_versions` most recent of each language (config figures.max_versions); only the alignment tables of the pairs shown are read.
"""

import gc
import warnings
from functools import cache, partial

import pandas as pd

from gcts.present import figdata, plots, results
from gcts.resources import read_yaml
from gcts.sources.manifest import read_manifest
from gcts.runlog import start

gc.freeze()  # the imports' objects live to the end: the collections after each figure need not scan them
log = start(snakemake.log[0])
inp, out = snakemake.input, snakemake.output
most = snakemake.params.max_versions
all_documents = pd.read_csv(inp.documents, keep_default_na=False)
documents = recent = docs_seen = series = None   # of the series being drawn (set in the loop below)


def for_series(name):
    """Set the documents of one series (each series has its own figures), the most recent of them and what was
    left out."""
    global documents, recent, docs_seen, series
    series = name
    documents = figdata.of_series(all_documents, name)
    recent = figdata.recent(documents, most)
    docs_seen = figdata.shown(recent["lang"], documents["lang"])


@cache
def pair_tables(series):
    """The alignment tables of the series' pairs shown (series order), and what was left out."""
    tables, files = results.recent_pair_tables(results.pair_paths_within(inp.pairs, documents), documents, most)
    return tables, figdata.shown([lang for _, _, lang in tables], [lang for _, _, lang in files])


@cache
def verb_labels():
    return figdata.verb_labels(inp.lexicon, pd.read_parquet(inp.paragraphs, columns=["lang", "verb", "verb_id"]))


def series_documents():
    """documents.csv of the series being drawn, with its empty cells read as missing values."""
    return figdata.of_series(pd.read_csv(inp.documents), series)


def subject():
    """What the growth figure counts: the Strategy's reviews, or another series' versions."""
    return {} if series == figdata.DEFAULT_SERIES else {"subject": f"the texts of series {series}", "unit": "version"}


def series_title():
    """'Series wmd (<title of its latest document>).' for a caption."""
    title = documents.sort_values("order")["title"].iloc[-1] if len(documents) else ""
    return f"**Series {series}**" + (f" ({title})." if title else ".")


def pillar_shares():
    data = figdata.pillar_shares(figdata.within(pd.read_csv(inp.shares), recent))
    return plots.pillar_shares(data, docs_seen), data


def verb_profile(kind):
    verbs = figdata.within(pd.read_csv(inp.verbs), recent)
    data = figdata.verb_profile(verbs, figdata.within(series_documents(), recent), kind, verb_labels())
    return plots.verb_profile(data, kind, docs_seen), data


def strength_transitions():
    tables, pairs_seen = pair_tables(series)
    data = figdata.strength_transitions(tables)
    return plots.strength_transitions(data, list(tables), pairs_seen), data


def alignment_flow():
    tables, pairs_seen = pair_tables(series)
    data = figdata.alignment_flow(tables)
    return plots.alignment_flow(data, list(tables), pairs_seen), data


def growth():
    data = figdata.growth(series_documents(), figdata.of_series(read_manifest(inp.manifest), series))
    return plots.growth(data, **subject()), data


def term_emergence():
    top = snakemake.params.top
    terms = pd.read_csv(inp.terms, keep_default_na=False, na_values=[""])
    hide = read_yaml(inp.hide_terms, "figure term rules").get("hide", [])
    data = figdata.term_emergence(figdata.within(terms, recent), top, hide)
    return plots.term_emergence(data, figdata.versions(series_documents()), top, docs_seen), data


# figure name (FIGURE_SPECS of workflow/rules/figures.smk) -> builder: () -> (Chart, the values plotted), drawn for
# the series set by for_series
FIGURES = {
    "growth": growth,
    "pillar_shares": pillar_shares,
    "verb_profile_operative": partial(verb_profile, "operative"),
    "verb_profile_preambular": partial(verb_profile, "preambular"),
    "alignment_flow": alignment_flow,
    "strength_transitions": strength_transitions,
    "term_emergence": term_emergence,
}


for entry in snakemake.params.names:   # (series, figure, output key), series after series; a bare name: the Strategy's
    series_name, name, key = (figdata.DEFAULT_SERIES, entry, entry) if isinstance(entry, str) else entry
    if series_name != series:
        for_series(series_name)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph")  # a missing glyph (a box) stops the rule
        chart, data = FIGURES[name]()
        if series != figdata.DEFAULT_SERIES:
            chart.caption = f"{series_title()} " + chart.caption
        plots.save(chart, data, out[f"{key}_png"], out[f"{key}_svg"], out[f"{key}_data"], out[f"{key}_caption"])
    log.info("%s %s: %d rows plotted -> %s", series, name, len(data), out[f"{key}_png"])
    del chart, data
    gc.collect()  # a closed figure is freed only when its reference cycles are collected
