"""Rule aligned_input: the segmented paragraphs joined (by pid) with the annotations that do not read the alignments:
the input of compare."""

import pandas as pd

from gcts.runlog import start

log = start(snakemake.log[0])
table = pd.read_parquet(snakemake.input.base)
for path in snakemake.input.annotations:
    extra = pd.read_parquet(path)
    clash = [c for c in extra.columns if c in table.columns and c != "pid"]
    table = table.merge(extra.drop(columns=clash), on="pid", how="left", validate="one_to_one")
table.to_parquet(snakemake.output.parquet, index=False)
log.info("%d paragraphs, %d columns", *table.shape)
