# Shared set-up: the manifest, the local texts and their checksums, read once at parse time so that
# a changed or missing file stops the run before any job starts.

from gcts.manifest import local_sources, missing_message, read_manifest, verify

MANIFEST = read_manifest(config["manifest"])
SOURCES = {f"{s.stem}.{s.lang}": s for s in local_sources(MANIFEST, config["languages"])}
for _source in SOURCES.values():
    verify(_source)


wildcard_constraints:
    stem=r"A_RES_\d+_\d+",
    lang=r"[a-z]{2}",


def source_of(wildcards):
    return SOURCES[f"{wildcards.stem}.{wildcards.lang}"]


def missing_note():
    return missing_message(MANIFEST, config["languages"], config["fetch"]["base_url"])
