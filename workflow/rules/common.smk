# Shared set-up: the manifest, the local texts and their checksums, read once at parse time so that
# a changed or missing file stops the run before any job starts.

from gcts.inbox import pending_note
from gcts.manifest import local_sources, missing_message, read_manifest, verify

MANIFEST = read_manifest(config["manifest"])
SOURCES = {f"{s.stem}.{s.lang}": s for s in local_sources(MANIFEST, config["languages"])}
for _source in SOURCES.values():
    verify(_source)

# Each stage file appends its final outputs to TARGETS (the default target builds them) and, if it annotates
# paragraphs, its per-paragraph table (keyed by `pid`) to ANNOTATIONS (joined into results/paragraphs.csv).
ENV = "../envs/gcts.yaml"  # conda environment of all jobs, for cluster runs
TARGETS = []
ANNOTATIONS = []


def source_of(wildcards):
    return SOURCES[f"{wildcards.stem}.{wildcards.lang}"]


def missing_note():
    current = read_manifest(config["manifest"])  # re-read: a fetch or inbox job may have added texts
    notes = [missing_message(current, config["languages"], config["fetch"]["base_url"]), pending_note(config)]
    return "\n".join(n for n in notes if n)
