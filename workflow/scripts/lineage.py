"""Rule lineage: follow paragraphs through the consecutive versions of each series and language (one file per
language, a `series` column)."""

import pandas as pd

from gcts.compare.lineage import COLUMNS, lineage
from gcts.runlog import start

log = start(snakemake.log[0])
p = snakemake.params
paragraphs = pd.read_parquet(snakemake.input.paragraphs, columns=["pid", "doc", "lang", "kind", "number"])
tables = {}
for (a, b), path in zip(p.pairs, snakemake.input.pairs):
    tables[(a, b)] = pd.read_csv(path, usecols=["lang", "pid_a", "pid_b", "status", "similarity"])
for lang, path in zip(p.languages, snakemake.output):
    parts = []
    for series, vers in p.versions.items():
        docs = vers.get(lang, [])
        if not docs:
            continue
        parts.append(lineage(paragraphs, lang, docs, tables).assign(series=series))
        if len(docs) < 2:
            log.info("%s %s: %d version(s) available, nothing to trace across versions (%d rows)", series, lang,
                     len(docs), len(parts[-1]))
        else:
            log.info("%s %s: %d versions, %d rows", series, lang, len(docs), len(parts[-1]))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*COLUMNS, "series"])
    out.to_csv(path, index=False, encoding="utf-8")
