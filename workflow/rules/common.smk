# Shared set-up: the manifest, the local texts and their checksums, read once at parse time so that
# a changed or missing file stops the run before any job starts.

from gcts.sources.inbox import pending_note
from gcts.sources.manifest import local_sources, missing_message, read_manifest, verify

MANIFEST = read_manifest(config["manifest"])
SOURCES = {f"{s.stem}.{s.lang}": s for s in local_sources(MANIFEST, config["languages"])}
for _source in SOURCES.values():
    verify(_source)

# Each stage file appends its final outputs to TARGETS (the default target builds them) and, if it annotates
# paragraphs, its per-paragraph table (keyed by `pid`) to ANNOTATIONS (joined into results/paragraphs.csv and into
# the input of compare) or, if it reads the compare tables, to LATE_ANNOTATIONS (joined into results/paragraphs.csv).
ENV = "../envs/gcts.yaml"  # conda environment of all jobs, for cluster runs
TARGETS = []
ANNOTATIONS = []
LATE_ANNOTATIONS = []  # annotations that read the alignments (compare tables): joined into the table of record only


def source_of(wildcards):
    return SOURCES[f"{wildcards.stem}.{wildcards.lang}"]


def stop_rate_limiter_timers():
    """Snakemake's job-rate limiter (--max-jobs-per-timespan, default 100/1s) re-checks the queue with a 1-s
    threading.Timer that is still pending when the run is over; Python waits for it before exiting. Nothing is left
    to schedule once onsuccess runs, so cancel it: the command returns up to a second sooner."""
    import threading

    for thread in threading.enumerate():
        if isinstance(thread, threading.Timer):
            thread.cancel()


def missing_note():
    current = read_manifest(config["manifest"])  # re-read: a fetch or inbox job may have added texts
    notes = [missing_message(current, config["languages"], config["fetch"]["base_url"]), pending_note(config)]
    return "\n".join(n for n in notes if n)
