"""Rule pillar_model: cross-validate the pillar classifier on the heading-labelled paragraphs, fit it,
and predict (with explanations) the pillar of every paragraph. Overrides are not read here."""

import pandas as pd

from gcts.concepts import load_lexicon
from gcts.pillar_stage import run
from gcts.runlog import start

log = start(snakemake.log[0], "gcts.pillars")
inp, out = snakemake.input, snakemake.output
paragraphs = pd.read_parquet(inp.paragraphs)
lexicon = load_lexicon(inp.terms)
log.info("%d concepts in %s; %d paragraphs", len(lexicon.concepts), inp.terms, len(paragraphs))
res = run(paragraphs, lexicon, snakemake.params.cfg, source=inp.paragraphs)
res["predictions"].to_parquet(out.predictions, index=False)
res["eval"].to_csv(out.evaluation, index=False)
res["confusion"].to_csv(out.confusion, index=False)
res["folds"].to_csv(out.folds, index=False)
res["weights"].to_csv(out.weights, index=False)
labelled = res["predictions"]["label"] != ""
log.info("%d labelled paragraphs (%s)", labelled.sum(), res["predictions"].loc[labelled, "label"].value_counts().to_dict())
