"""Rule collect: gather the per-document tables into corpus-wide ones."""

import json

import pandas as pd

from gcts.corpus import write_table
from gcts.runlog import start

log = start(snakemake.log[0])
inp, out = snakemake.input, snakemake.output
paragraphs = pd.concat([pd.read_parquet(p) for p in inp.paragraphs], ignore_index=True)
paragraphs.to_parquet(out.paragraphs, index=False)
write_table(pd.concat([pd.read_parquet(p) for p in inp.footnotes], ignore_index=True), out.footnotes)
pd.concat([pd.read_parquet(p) for p in inp.artefacts], ignore_index=True).to_parquet(out.artefacts, index=False)
docs = pd.DataFrame([json.load(open(h, encoding="utf-8")) for h in inp.headers])
docs["warnings"] = docs["warnings"].map(lambda w: " | ".join(w))
docs.sort_values(["review", "lang"]).to_csv(out.documents, index=False)
log.info("%d paragraphs from %d documents", len(paragraphs), len(docs))
