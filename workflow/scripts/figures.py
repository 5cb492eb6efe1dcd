"""Rule figures: draw every figure (PNG, SVG), with the values it plots (CSV) and its caption (RST)."""

import warnings

import pandas as pd

from gcts import figdata, plots, results
from gcts.manifest import read_manifest
from gcts.runlog import start

log = start(snakemake.log[0])
inp, out = snakemake.input, snakemake.output
documents = pd.read_csv(inp.documents, keep_default_na=False)
tables = results.pairs(paths=list(inp.pairs), documents=documents)


def build(name):
    if name == "pillar_shares":
        data = figdata.pillar_shares(pd.read_csv(inp.shares))
        return plots.pillar_shares(data), data
    if name.startswith("verb_profile_"):
        kind = name.removeprefix("verb_profile_")
        labels = figdata.verb_labels(inp.lexicon, pd.read_parquet(inp.paragraphs))
        data = figdata.verb_profile(pd.read_csv(inp.verbs), pd.read_csv(inp.documents), kind, labels)
        return plots.verb_profile(data, kind), data
    if name == "strength_transitions":
        data = figdata.strength_transitions(tables)
        return plots.strength_transitions(data, list(tables)), data
    if name == "alignment_flow":
        data = figdata.alignment_flow(tables)
        return plots.alignment_flow(data, list(tables)), data
    if name == "growth":
        data = figdata.growth(pd.read_csv(inp.documents), read_manifest(inp.manifest))
        return plots.growth(data), data
    if name == "term_emergence":
        top = snakemake.params.top
        data = figdata.term_emergence(pd.read_csv(inp.terms, keep_default_na=False, na_values=[""]), top)
        return plots.term_emergence(data, figdata.versions(pd.read_csv(inp.documents)), top), data
    raise ValueError(f"unknown figure {name!r}")


for name in snakemake.params.names:
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph")  # a missing glyph (a box) stops the rule
        chart, data = build(name)
        plots.save(chart, data, out[f"{name}_png"], out[f"{name}_svg"], out[f"{name}_data"], out[f"{name}_caption"])
    log.info("%s: %d rows plotted -> %s", name, len(data), out[f"{name}_png"])
