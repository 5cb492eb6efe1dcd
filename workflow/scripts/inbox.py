"""Rule inbox: import the files put in data/inbox/; refuse bad names and conflicts by name."""

import pandas as pd

from gcts.sources.inbox import import_inbox, summary
from gcts.runlog import start

log = start(snakemake.log[0], "gcts.sources.inbox")
results = import_inbox(snakemake.params.config, log=log)
failed = any(r["state"] in ("refused", "conflict") for r in results)
log.log(40 if failed else 20, "%s", summary(results))
if failed:
    raise SystemExit(1)
pd.DataFrame(results, columns=["file", "symbol", "lang", "type", "state", "note"]).to_csv(
    snakemake.output.report, index=False)
