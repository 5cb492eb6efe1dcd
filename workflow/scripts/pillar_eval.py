"""Rule pillar_eval: nested, grouped, stratified cross-validation of the pillar classifier on the
heading-labelled paragraphs, beside the comparison models and the majority baseline; and the final labels beside
the reading (workflow/resources/pillar_reading.csv), with their agreement overall, in the preamble and in the
operative part (final labels, the classifier alone, and the reader against the Assembly's own filing)."""

import pandas as pd

from gcts.annotate.concepts import load_concepts
from gcts.annotate.pillar_lineage import filing, pair_table
from gcts.annotate.pillar_stage import evaluate, preamble_agreement, reading_agreement, reading_table
from gcts.annotate.pillars import load_follow_up, load_general
from gcts.runlog import start
from gcts.sources.corpus import of_series, write_csv

log = start(snakemake.log[0], "gcts.annotate.pillars")
inp, out = snakemake.input, snakemake.output
paragraphs = of_series(pd.read_parquet(inp.paragraphs), snakemake.params.cfg["series"])  # config pillars.series
res = evaluate(paragraphs, load_concepts(inp.terms), snakemake.params.cfg, source=inp.paragraphs)
filed = filing(paragraphs, pair_table([pd.read_parquet(p) for p in inp.pairs]), load_follow_up(inp.terms),
               load_general(inp.terms))
labels = pd.read_parquet(inp.pillars)
reading = reading_table(paragraphs, labels, inp.reading, filed, inp.second[0] if inp.second else None)
write_csv(reading, out.reading)
agreement = reading_agreement(reading)
if inp.preambles:                        # a blind reading of other documents' preambles (config pillars.preamble_reading)
    preambles = reading_table(paragraphs, labels, inp.preambles[0], filed)
    write_csv(preambles, out.preambles)
    agreement = pd.concat([agreement, preamble_agreement(preambles)], ignore_index=True)
else:
    write_csv(pd.DataFrame(), out.preambles)
for r in agreement.itertuples():
    log.info("%s (%s): %d paragraphs, agreement %.3f", r.model, r._2, r.support, r.agreement)
pd.concat([res["eval"], agreement], ignore_index=True).to_csv(out.evaluation, index=False)
res["confusion"].to_csv(out.confusion, index=False)
res["folds"].to_csv(out.folds, index=False)
res["cv_predictions"].to_csv(out.cv_predictions, index=False)
