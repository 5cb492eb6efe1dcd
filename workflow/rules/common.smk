# Shared set-up: the manifest, the local texts and their checksums, read once at parse time so that
# a changed or missing file stops the run before any job starts.

import sys
from pathlib import Path

from gcts.sources.inbox import pending_note
from gcts.sources.manifest import local_sources, missing_documents, missing_message, read_manifest, verify

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


def missing_note(report="results/report.html", listing="results/missing.txt"):
    """The end-of-run message (at most 4 lines): where to look, and what is missing in one line; the full list of
    missing documents (with their addresses) and of inbox files goes to `listing`."""
    current = read_manifest(config["manifest"])  # re-read: a fetch or inbox job may have added texts
    missing = missing_documents(current, config["languages"])
    pending = pending_note(config)
    full = [missing_message(current, config["languages"], config["fetch"]["base_url"]), pending]
    Path(listing).parent.mkdir(parents=True, exist_ok=True)
    Path(listing).write_text("\n".join(n for n in full if n) + "\n", encoding="utf-8")
    lines = [f"Open {report} (figures, tables, side-by-side diffs)." if Path(report).exists() else
             f"Done. `uv run snakemake` builds {report}."]
    total = len(current) * len(config["languages"])
    if missing:
        lines.append(f"{len(missing)} of {total} documents of the series are not available locally (list: {listing}); "
                     "`uv run snakemake fetch` downloads them, `uv run snakemake inbox` imports files from data/inbox/.")
    lines += [line for line in pending.splitlines() if line and not line.startswith(" ")][:2]  # details in listing
    return "\n".join(lines)


def print_end_note():
    """onsuccess: the end message on stderr, after Snakemake's own lines."""
    print(missing_note(), file=sys.stderr, flush=True)


def unknown_input(wildcards):
    """Input of rule unknown_target: a name that is neither a file nor a rule gets the list of targets."""
    listing = ", ".join(USER_TARGETS)
    raise InputError(wildcards.target, f"not a target of this workflow. Targets: {listing} (README, Targets), "
                     "or the path of an output file, e.g. results/paragraphs.csv")


def compare_tables(wildcards=None):
    """The alignment (rule align) of every pair the workflow compares (results/compare/*.csv among the targets;
    evaluated once all rule files are read): whatever pairs exist, within a language or across languages."""
    import re

    return sorted({re.sub(r"^results/compare/(.+)\.csv$", r"results/interim/compare/\1.parquet", str(t))
                   for t in TARGETS if re.fullmatch(r"results/compare/[^/]+\.csv", str(t))})
