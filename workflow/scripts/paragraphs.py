"""Rule paragraphs: the segmented paragraphs joined with every annotation stage (by pid)."""

import pandas as pd

from gcts.corpus import write_table
from gcts.runlog import start

log = start(snakemake.log[0])
table = pd.read_parquet(snakemake.input.base)
for path in snakemake.input.annotations:
    extra = pd.read_parquet(path)
    clash = [c for c in extra.columns if c in table.columns and c != "pid"]
    table = table.merge(extra.drop(columns=clash), on="pid", how="left", validate="one_to_one")
    log.info("joined %s (%d columns)", path, extra.shape[1] - 1)
write_table(table, snakemake.output.csv)
log.info("%d paragraphs, %d columns", *table.shape)
