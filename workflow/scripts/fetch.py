"""Rule fetch: download the missing documents, land the good ones, name every one that failed."""

from gcts.sources.fetch import Settings, fetch_documents, report, summary
from gcts.runlog import start

log = start(snakemake.log[0], "gcts.sources.fetch")
p = snakemake.params
results = fetch_documents([tuple(w) for w in p.wanted], Settings.from_config(p.settings), p.manifest, p.raw_dir,
                          log=log)
failed = any(r.status != "ok" for r in results)
log.log(40 if failed else 20, "%s", summary(results))
if failed:
    raise SystemExit(1)
report(results).to_csv(snakemake.output.report, index=False)
