"""Rule lineage: follow paragraphs through the consecutive versions of each language."""

import pandas as pd

from gcts.compare.lineage import lineage, series_lineage
from gcts.runlog import start

log = start(snakemake.log[0])
p = snakemake.params
paragraphs = pd.read_parquet(snakemake.input.paragraphs, columns=["pid", "doc", "lang", "kind", "number"])
tables = {}
for (a, b), path in list(zip(p.pairs, snakemake.input.pairs)) + [((a, b), path) for (a, b, _, _), path in
                                                                  zip(p.steps, snakemake.input.steps)]:
    tables[(a, b)] = pd.read_csv(path, usecols=["lang", "pid_a", "pid_b", "status", "similarity"])
series = series_lineage(paragraphs, [tuple(s) for s in p.steps], tables)
series.to_csv(snakemake.output.series, index=False, encoding="utf-8")
log.info("series across languages: %d steps (%s), %d rows", len(p.steps),
         ", ".join(f"{a}->{b} {la}-{lb}" for a, b, la, lb in p.steps), len(series))
for lang, path in zip(p.languages, snakemake.output[: len(p.languages)]):
    docs = p.versions.get(lang, [])
    out = lineage(paragraphs, lang, docs, tables)
    out.to_csv(path, index=False, encoding="utf-8")
    if len(docs) < 2:
        log.info("%s: %d version(s) available, nothing to trace across versions (%d rows)", lang, len(docs), len(out))
    else:
        log.info("%s: %d versions, %d rows", lang, len(docs), len(out))
