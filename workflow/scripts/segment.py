"""Rule segment: one raw text -> paragraph, footnote and artefact tables."""

from gcts.corpus import segment_source, write_json
from gcts.runlog import start

log = start(snakemake.log[0])
out = segment_source(snakemake.params.source)
out["paragraphs"].to_parquet(snakemake.output.paragraphs, index=False)
out["footnotes"].to_parquet(snakemake.output.footnotes, index=False)
out["artefacts"].to_parquet(snakemake.output.artefacts, index=False)
write_json(out["header"], snakemake.output.header)
h = out["header"]
log.info("%s (%s): %d preambular, %d operative, %d footnotes", h["doc"], h["lang"], h["preambular"],
         h["operative"], h["footnotes"])
for w in h["warnings"]:
    log.warning(w)
