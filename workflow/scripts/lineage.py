"""Rule lineage: follow paragraphs through the consecutive versions of each language."""

import pandas as pd

from gcts.compare.lineage import lineage
from gcts.runlog import start

log = start(snakemake.log[0])
p = snakemake.params
paragraphs = pd.read_parquet(snakemake.input.paragraphs, columns=["pid", "doc", "lang", "kind", "number"])
tables = {}
for (a, b), path in zip(p.pairs, snakemake.input.pairs):
    tables[(a, b)] = pd.read_csv(path, usecols=["lang", "pid_a", "pid_b", "status", "similarity"])
for lang, path in zip(p.languages, snakemake.output):
    docs = p.versions.get(lang, [])
    out = lineage(paragraphs, lang, docs, tables)
    out.to_csv(path, index=False, encoding="utf-8")
    if len(docs) < 2:
        log.info("%s: %d version(s) available, nothing to trace across versions (%d rows)", lang, len(docs), len(out))
    else:
        log.info("%s: %d versions, %d rows", lang, len(docs), len(out))
