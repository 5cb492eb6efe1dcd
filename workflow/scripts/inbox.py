"""Rule inbox: import the files put in data/inbox/; refuse bad names, bad contents and conflicts by name.

A refused file does not fail the job: results/fetch/inbox.csv lists every file with its state and the reason,
and the log and the console name each refused file."""

import pandas as pd

from gcts.sources.inbox import import_inbox, summary
from gcts.runlog import start

log = start(snakemake.log[0], "gcts.sources.inbox")
results = import_inbox(snakemake.params.config, log=log)
failed = any(r["state"] in ("refused", "conflict") for r in results)
log.log(40 if failed else 20, "%s", summary(results))
pd.DataFrame(results, columns=["file", "symbol", "lang", "type", "state", "note"]).to_csv(
    snakemake.output.report, index=False)
