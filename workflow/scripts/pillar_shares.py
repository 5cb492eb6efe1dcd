"""Rule pillar_shares: share of paragraphs per pillar, per document, language and kind."""

import pandas as pd

from gcts.pillar_overrides import shares_table
from gcts.runlog import start

log = start(snakemake.log[0], "gcts.pillars")
table = shares_table(pd.read_parquet(snakemake.input.paragraphs), pd.read_parquet(snakemake.input.pillars))
table.to_csv(snakemake.output.shares, index=False)
log.info("%d rows", len(table))
