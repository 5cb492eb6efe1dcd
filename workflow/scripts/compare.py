"""Rule compare: align two versions (every language that has both), write the table and an HTML view."""

import time
from pathlib import Path

import pandas as pd

from gcts.sources.corpus import read_paragraphs
from gcts.compare.diff import HTML_COLUMNS, compare_table, html_page
from gcts.errors import InputError
from gcts.runlog import start

log = start(snakemake.log[0])
p = snakemake.params
paragraphs = read_paragraphs(snakemake.input.paragraphs, docs=[p.a, p.b])   # not the whole series: O(1) per pair
tables = []
for lang in p.langs:
    if lang not in p.threshold:
        raise InputError("workflow/config.yaml compare.threshold", f"no threshold for language {lang!r}")
    t0 = time.perf_counter()
    t = compare_table(paragraphs, p.a, p.b, lang, p.threshold[lang], p.containment)
    counts = ", ".join(f"{s} {n}" for s, n in t["status"].value_counts().items())
    log.info("%s -> %s (%s): %d decisions in %.2f s: %s", p.a, p.b, lang, len(t), time.perf_counter() - t0, counts)
    tables.append(t)
table = pd.concat(tables, ignore_index=True)
table.drop(columns=HTML_COLUMNS).to_csv(snakemake.output.csv, index=False, encoding="utf-8")
table.to_parquet(snakemake.output.parquet, index=False)
Path(snakemake.output.html).write_text(html_page(table, f"{p.a} → {p.b}"), encoding="utf-8")
