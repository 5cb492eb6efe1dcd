"""Rule pillars: the model's pillar of every paragraph with the researcher's overrides applied, and the share of
paragraphs per pillar, per document, language and kind."""

import pandas as pd

from gcts.annotate.pillar_overrides import apply_overrides, read_overrides, shares_table
from gcts.runlog import start
from gcts.sources.corpus import of_series

log = start(snakemake.log[0], "gcts.annotate.pillars")
inp = snakemake.input
paragraphs = of_series(pd.read_parquet(inp.paragraphs), snakemake.params.series)  # config pillars.series
overrides = read_overrides(inp.overrides, paragraphs)
table = apply_overrides(pd.read_parquet(inp.predictions), paragraphs, overrides)
table.to_parquet(snakemake.output.pillars, index=False)
changed = (table["pillar_source"] == "override") & (table["pillar"] != table["pillar_model"])
log.info("%d overrides in %s: %d paragraphs set, %d of them differ from the model",
         len(overrides), inp.overrides, (table["pillar_source"] == "override").sum(), changed.sum())
shares = shares_table(paragraphs, table)
shares.to_csv(snakemake.output.shares, index=False)
log.info("%s: %d rows", snakemake.output.shares, len(shares))
