"""Rule fetch: download the missing documents, land the good ones, name every one that failed.

A document that could not be fetched does not fail the job: results/fetch/fetch.csv lists every document
with its status and reason, the log and the console say which failed, and the local results still build."""

import signal
import sys

from gcts.sources.fetch import Settings, fetch_documents, report, summary
from gcts.runlog import start

signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))   # an interrupted run removes its partial download
log = start(snakemake.log[0], "gcts.sources.fetch")
p = snakemake.params
results = fetch_documents([tuple(w) for w in p.wanted], Settings.from_config(p.settings), p.manifest, p.raw_dir,
                          log=log)
failed = any(r.status != "ok" for r in results)
log.log(40 if failed else 20, "%s", summary(results))
report(results).to_csv(snakemake.output.report, index=False)
