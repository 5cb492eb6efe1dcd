"""Rule term_emergence: terms that first appear in each version of each series and language (a `series` column)."""

import pandas as pd

from gcts.runlog import start
from gcts.compare.terms import COLUMNS, emergence, load_words

log = start(snakemake.log[0])
p = snakemake.params
paragraphs = pd.read_parquet(snakemake.input.paragraphs, columns=["pid", "doc", "lang", "review", "text"])
words = load_words(snakemake.input.words)
tables = []
for series, vers in p.versions.items():
    for lang in p.languages:
        docs = vers.get(lang, [])
        if len(docs) < 2:
            log.info("%s %s: %d version(s) available; term emergence needs two, nothing to compare", series, lang,
                     len(docs))
            continue
        t = emergence(paragraphs, lang, docs, p.min_count, p.ngrams[lang], words)
        log.info("%s %s: %d new terms over %d versions", series, lang, len(t), len(docs) - 1)
        tables.append(t.assign(series=series))
out = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=[*COLUMNS, "series"])
out.to_csv(snakemake.output.csv, index=False, encoding="utf-8")
