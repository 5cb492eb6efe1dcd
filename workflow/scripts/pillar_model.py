"""Rule pillar_model: fit the pillar classifier on the heading-labelled paragraphs and predict (with
explanations) the pillar of every paragraph. Its quality is measured by rule pillar_eval; overrides
are applied by rule pillars."""

import pandas as pd

from gcts.annotate.concepts import load_concepts
from gcts.annotate.pillar_stage import fit_predict
from gcts.runlog import start
from gcts.sources.corpus import of_series

log = start(snakemake.log[0], "gcts.annotate.pillars")
inp, out = snakemake.input, snakemake.output
paragraphs = of_series(pd.read_parquet(inp.paragraphs), snakemake.params.cfg["series"])  # config pillars.series
lexicon = load_concepts(inp.terms)
log.info("%d concepts in %s; %d paragraphs", len(lexicon.concepts), inp.terms, len(paragraphs))
res = fit_predict(paragraphs, lexicon, snakemake.params.cfg, source=inp.paragraphs)
res["predictions"].to_parquet(out.predictions, index=False)
res["weights"].to_csv(out.weights, index=False)
labelled = res["predictions"]["label"] != ""
log.info("%d labelled paragraphs (%s)", labelled.sum(), res["predictions"].loc[labelled, "label"].value_counts().to_dict())
