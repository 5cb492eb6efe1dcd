"""Rule collect: gather the per-document tables into corpus-wide ones."""

import json
from pathlib import Path

import pandas as pd

from gcts.sources.corpus import frames, write_table
from gcts.sources.manifest import series_rank
from gcts.runlog import start

log = start(snakemake.log[0])
inp, out = snakemake.input, snakemake.output
segmented = [json.loads(Path(p).read_text(encoding="utf-8")) for p in inp.segments]
tables = frames(segmented)
paragraphs = tables["paragraphs"]
paragraphs.to_parquet(out.paragraphs, index=False)
write_table(tables["footnotes"], out.footnotes)
tables["artefacts"].to_parquet(out.artefacts, index=False)
docs = pd.DataFrame([seg["header"] for seg in segmented])
docs["warnings"] = docs["warnings"].map(lambda w: " | ".join(w))
docs = docs.sort_values(["series", "order", "lang"], key=lambda c: c.map(series_rank) if c.name == "series" else c)
docs.to_csv(out.documents, index=False)
log.info("%d paragraphs from %d documents", len(paragraphs), len(docs))
