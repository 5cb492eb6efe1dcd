"""Rules figures and change_figures: draw the figures named in params.names (PNG, SVG), with the values each plots
(CSV) and its caption (RST).

Figures with a panel, column or row per version (or aligned pair) show the `max_versions` most recent of each
language (config figures.max_versions); only the alignment tables of the pairs shown are read.
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
documents = pd.read_csv(inp.documents, keep_default_na=False)
recent = figdata.recent(documents, most)
docs_seen = figdata.shown(recent["lang"], documents["lang"])


@cache
def pair_tables():
    """The alignment tables of the pairs shown (series order), and what was left out."""
    tables, files = results.recent_pair_tables(inp.pairs, documents, most)
    return tables, figdata.shown([lang for _, _, lang in tables], [lang for _, _, lang in files])


@cache
def verb_labels():
    return figdata.verb_labels(inp.lexicon, pd.read_parquet(inp.paragraphs, columns=["lang", "verb", "verb_id"]))


def pillar_shares():
    data = figdata.pillar_shares(figdata.within(pd.read_csv(inp.shares), recent))
    return plots.pillar_shares(data, docs_seen), data


def verb_profile(kind):
    verbs = figdata.within(pd.read_csv(inp.verbs), recent)
    data = figdata.verb_profile(verbs, figdata.within(pd.read_csv(inp.documents), recent), kind, verb_labels())
    return plots.verb_profile(data, kind, docs_seen), data


def strength_transitions():
    tables, pairs_seen = pair_tables()
    data = figdata.strength_transitions(tables)
    return plots.strength_transitions(data, list(tables), pairs_seen), data


def alignment_flow():
    tables, pairs_seen = pair_tables()
    data = figdata.alignment_flow(tables)
    return plots.alignment_flow(data, list(tables), pairs_seen), data


def growth():
    data = figdata.growth(pd.read_csv(inp.documents), read_manifest(inp.manifest))
    return plots.growth(data), data


def term_emergence():
    top = snakemake.params.top
    terms = pd.read_csv(inp.terms, keep_default_na=False, na_values=[""])
    hide = read_yaml(inp.hide_terms, "figure term rules").get("hide", [])
    data = figdata.term_emergence(figdata.within(terms, recent), top, hide)
    return plots.term_emergence(data, figdata.versions(pd.read_csv(inp.documents)), top, docs_seen), data


# figure name (FIGURE_SPECS of workflow/rules/figures.smk) -> builder: () -> (Chart, the values plotted)
FIGURES = {
    "growth": growth,
    "pillar_shares": pillar_shares,
    "verb_profile_operative": partial(verb_profile, "operative"),
    "verb_profile_preambular": partial(verb_profile, "preambular"),
    "alignment_flow": alignment_flow,
    "strength_transitions": strength_transitions,
    "term_emergence": term_emergence,
}


for name in snakemake.params.names:
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph")  # a missing glyph (a box) stops the rule
        chart, data = FIGURES[name]()
        plots.save(chart, data, out[f"{name}_png"], out[f"{name}_svg"], out[f"{name}_data"], out[f"{name}_caption"])
    log.info("%s: %d rows plotted -> %s", name, len(data), out[f"{name}_png"])
    del chart, data
    gc.collect()  # a closed figure is freed only when its reference cycles are collected
