"""Rule series: one language-neutral row per document (kinds, pillar shares, verb profile, strength)."""

import pandas as pd

from gcts.runlog import start
from gcts.series import series_table

log = start(snakemake.log[0])
paragraphs = pd.read_parquet(snakemake.input.paragraphs)
for col, stage in (("pillar", "pillars"), ("verb_id", "verbs"), ("verb_function", "verbs")):
    if col not in paragraphs.columns:
        log.warning("the paragraph table has no %s column (stage %s): its series columns stay empty", col, stage)
out = series_table(paragraphs)
out.to_csv(snakemake.output.csv, index=False, encoding="utf-8")
log.info("%d documents", len(out))
