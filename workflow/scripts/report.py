"""Rule report_html: results/report.html, one self-contained page with figures, key tables and side-by-side diffs."""

from pathlib import Path

import pandas as pd

from gcts import figdata, report, results
from gcts.manifest import missing_documents, read_manifest
from gcts.runlog import start

log = start(snakemake.log[0])
inp = snakemake.input
documents = pd.read_csv(inp.documents, keep_default_na=False)
paragraphs = pd.read_parquet(inp.paragraphs)
missing = missing_documents(read_manifest(inp.manifest), snakemake.config["languages"])
tables = {}
for title, key in snakemake.params.tables.items():
    if key in inp.keys():
        frame = results.read(inp[key])
        tables[title] = (report.verbs_table(frame) if key == "verbs" else frame, inp[key])
files = results.pair_paths(inp.pairs, documents)      # the diffs of the most recent pairs only, as in the figures
keep = figdata.recent_pairs(list(files), documents, snakemake.params.max_versions)
loaded = results.pairs(paths=sorted({files[k] for k in keep}), documents=documents)
pairs = {k: loaded[k] for k in keep if k in loaded}
page = report.build(list(inp.figures), documents, paragraphs, missing, tables, pairs, all_pairs=len(files))
Path(snakemake.output.html).write_text(page, encoding="utf-8")
log.info("%s: %d figures, %d tables, %d aligned pairs, %.0f kB", snakemake.output.html, len(inp.figures),
         len(tables), len(pairs), len(page.encode("utf-8")) / 1024)
