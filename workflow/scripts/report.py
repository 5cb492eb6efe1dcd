"""Rule report_html: results/report.html, one self-contained page with figures, key tables and side-by-side diffs."""

from pathlib import Path

import pandas as pd

from gcts.present import figdata, report, results
from gcts.sources.manifest import missing_documents, read_manifest
from gcts.runlog import start

log = start(snakemake.log[0])
inp = snakemake.input
documents = pd.read_csv(inp.documents, keep_default_na=False)
paragraphs = pd.read_parquet(inp.paragraphs)
missing = missing_documents(read_manifest(inp.manifest), snakemake.config["languages"])
tables = {}
for key in snakemake.params.tables:          # shaped for reading by gcts.present.report.TABLES
    if key in inp.keys():
        tables[key] = (results.read(inp[key]), inp[key])
# the diffs of the most recent pairs of each series only, as in the figures; series after series, Strategy first
pairs, all_pairs = {}, 0
for series in dict.fromkeys(snakemake.params.figure_series):
    docs = figdata.of_series(documents, series)
    shown, files = results.recent_pair_tables(results.pair_paths_within(inp.pairs, docs), docs,
                                              snakemake.params.max_versions)
    pairs.update(shown)
    all_pairs += len(files)
page = report.build(list(inp.figures), documents, paragraphs, missing, tables, pairs, all_pairs=all_pairs,
                    figure_series=snakemake.params.figure_series)
Path(snakemake.output.html).write_text(page, encoding="utf-8")
log.info("%s: %d figures, %d tables, %d aligned pairs, %.0f kB", snakemake.output.html, len(inp.figures),
         len(tables), len(pairs), len(page.encode("utf-8")) / 1024)
