"""Rule lineage: follow paragraphs through the consecutive versions of each series and language (one file per
language, a `series` column)."""

import pandas as pd

from gcts.compare.lineage import COLUMNS, SERIES_COLUMNS, lineage, series_lineage
from gcts.runlog import start

log = start(snakemake.log[0])
p = snakemake.params
paragraphs = pd.read_parquet(snakemake.input.paragraphs, columns=["pid", "doc", "lang", "kind", "number"])
tables = {}
steps = [tuple(st) for name in p.steps for st in p.steps[name]]
for (a, b), path in list(zip(p.pairs, snakemake.input.pairs)) + [((a, b), path) for (a, b, _, _), path in
                                                                  zip(steps, snakemake.input.steps)]:
    tables[(a, b)] = pd.read_csv(path, usecols=["lang", "pid_a", "pid_b", "status", "similarity"])
parts = []
for name, st in p.steps.items():          # each series through its languages
    st = [tuple(x) for x in st]
    parts.append(series_lineage(paragraphs, st, tables).assign(series=name))
    log.info("%s across languages: %d steps (%s), %d rows", name, len(st),
             ", ".join(f"{a}->{b} {la}-{lb}" for a, b, la, lb in st), len(parts[-1]))
whole = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*SERIES_COLUMNS, "series"])
whole.to_csv(snakemake.output.series, index=False, encoding="utf-8")
for lang, path in zip(p.languages, snakemake.output[: len(p.languages)]):
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
