# Stage: get missing documents, on request only. `snakemake --cores 2 fetch` downloads them from the
# UN Official Document System (config fetch.base_url); `snakemake --cores 2 inbox` imports files put
# in data/inbox/ by hand. Both add files to data/raw/ and rows' cells to the manifest (never replacing
# anything); the next run processes the new texts. The default run touches the network only with
# fetch.enabled: true.

from gcts.sources.fetch import fetch_attempt, fetch_enabled, wanted_documents
from gcts.sources.inbox import inbox_listing


localrules:
    fetch,
    inbox,


rule fetch:
    output:
        report="results/fetch/fetch.csv",
    params:
        wanted=wanted_documents(MANIFEST, config),
        # while documents are still wanted, each run that asks for fetch tries again (a failure does not fail the
        # job: results/fetch/fetch.csv says why, so the local results still build)
        attempt=fetch_attempt(MANIFEST, config),
        settings=config["fetch"],
        manifest=config["manifest"],
        raw_dir=config["raw_dir"],
    log:
        "results/logs/fetch.log",
    benchmark:
        "results/benchmarks/fetch.tsv"
    threads: 1
    resources:
        mem_mb=500,
    conda:
        ENV
    script:
        "../scripts/fetch.py"


rule inbox:
    output:
        report="results/fetch/inbox.csv",
    params:
        files=inbox_listing(config),
        config={k: config[k] for k in ("manifest", "raw_dir", "fetch")},
    log:
        "results/logs/inbox.log",
    benchmark:
        "results/benchmarks/inbox.tsv"
    threads: 1
    resources:
        mem_mb=500,
    conda:
        ENV
    script:
        "../scripts/inbox.py"


if fetch_enabled(config):
    TARGETS += [rules.fetch.output.report]
