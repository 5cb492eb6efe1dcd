"""Rule segment: one raw text -> the rows of its paragraph, footnote and artefact tables, and its header (JSON)."""

from gcts.sources.corpus import segment_rows, write_json
from gcts.runlog import start

log = start(snakemake.log[0])
out = segment_rows(snakemake.params.source)
write_json(out, snakemake.output.json)   # JSON, not Parquet: writing Parquet would import pandas, most of the cost
h = out["header"]
log.info("%s (%s): %d preambular, %d operative, %d footnotes", h["doc"], h["lang"], h["preambular"],
         h["operative"], h["footnotes"])
for w in h["warnings"]:
    log.warning(w)
