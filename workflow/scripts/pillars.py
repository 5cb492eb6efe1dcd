"""Rule pillars: the model's pillar of every paragraph with the researcher's overrides applied."""

import pandas as pd

from gcts.pillar_overrides import apply_overrides, read_overrides
from gcts.runlog import start

log = start(snakemake.log[0], "gcts.pillars")
inp = snakemake.input
paragraphs = pd.read_parquet(inp.paragraphs)
overrides = read_overrides(inp.overrides, paragraphs)
table = apply_overrides(pd.read_parquet(inp.predictions), paragraphs, overrides)
table.to_parquet(snakemake.output.pillars, index=False)
changed = (table["pillar_source"] == "override") & (table["pillar"] != table["pillar_model"])
log.info("%d overrides in %s: %d paragraphs set, %d of them differ from the model",
         len(overrides), inp.overrides, (table["pillar_source"] == "override").sum(), changed.sum())
