"""Rule pillars: the final pillar of every paragraph (overrides, the General Assembly's headings, labels carried
along the aligned versions of each provision, the model), the list of pillar changes between aligned versions,
and the share of paragraphs per pillar, per document, language and kind, with intervals and provenance."""

import pandas as pd

from gcts.annotate.pillar_lineage import changes_table, lineage_labels, pair_table
from gcts.annotate.pillars import load_follow_up, load_general
from gcts.annotate.pillar_overrides import apply_overrides, read_overrides, shares_table
from gcts.runlog import start
from gcts.sources.corpus import of_series

log = start(snakemake.log[0], "gcts.annotate.pillars")
inp, out = snakemake.input, snakemake.output
threshold = snakemake.params.lineage
paragraphs = of_series(pd.read_parquet(inp.paragraphs), snakemake.params.series)  # config pillars.series
overrides = read_overrides(inp.overrides, paragraphs)
table = apply_overrides(pd.read_parquet(inp.predictions), paragraphs, overrides)
changed = (table["pillar_source"] == "override") & (table["pillar"] != table["pillar_model"])
log.info("%d overrides in %s: %d paragraphs set, %d of them differ from the model",
         len(overrides), inp.overrides, (table["pillar_source"] == "override").sum(), changed.sum())
pairs = pair_table([pd.read_parquet(p) for p in inp.pairs])
log.info("%d aligned pairs from %d compare tables; lineage threshold %s", len(pairs), len(inp.pairs), threshold)
table = lineage_labels(paragraphs, table, pairs, threshold, load_follow_up(inp.terms), load_general(inp.terms))
log.info("pillar sources: %s", table["pillar_source"].value_counts().to_dict())
table.to_parquet(out.pillars, index=False)
changes = changes_table(paragraphs, table, pairs, threshold)
changes.to_csv(out.changes, index=False, encoding="utf-8")
log.info("%s: %d pillar changes between aligned versions (%d of them on unchanged pairs)", out.changes,
         len(changes), (changes["status"] == "unchanged").sum())
shares = shares_table(paragraphs, table)
shares.to_csv(out.shares, index=False)
log.info("%s: %d rows", out.shares, len(shares))
