"""Rule paragraphs: the segmented paragraphs joined with every annotation stage (by pid), and the series table:
one language-neutral row per document (kinds, pillar shares, verb profile, strength)."""

import pandas as pd

from gcts.sources.corpus import write_table
from gcts.runlog import start
from gcts.compare.series import series_table

log = start(snakemake.log[0])
table = pd.read_parquet(snakemake.input.base)
for path in snakemake.input.annotations:
    extra = pd.read_parquet(path)
    clash = [c for c in extra.columns if c in table.columns and c != "pid"]
    ints = [c for c in extra.columns if c not in clash and c != "pid" and pd.api.types.is_integer_dtype(extra[c])]
    table = table.merge(extra.drop(columns=clash), on="pid", how="left", validate="one_to_one")
    for c in ints:            # paragraphs the stage does not annotate (another series): whole numbers stay whole
        if table[c].isna().any():
            table[c] = table[c].astype("Int64")
    log.info("joined %s (%d columns)", path, extra.shape[1] - 1)
write_table(table, snakemake.output.csv)
log.info("%d paragraphs, %d columns", *table.shape)
for col, stage in (("pillar", "pillars"), ("verb_id", "verbs"), ("verb_function", "verbs")):
    if col not in table.columns:
        log.warning("the paragraph table has no %s column (stage %s): its series columns stay empty", col, stage)
series = series_table(table)
series.to_csv(snakemake.output.series, index=False, encoding="utf-8")
log.info("%s: %d documents", snakemake.output.series, len(series))
