# The UN Global Counter-Terrorism Strategy reviews, paragraph by paragraph.
# Stages live in workflow/rules/ (one file each), logic in the gcts package (workflow/gcts),
# parameters in workflow/config.yaml (validated against workflow/schemas/config.schema.yaml).

from snakemake.utils import min_version, validate

min_version("9.0")


configfile: "workflow/config.yaml"


# numbers given with --config arrive as strings; checked and converted first, errors in one line
from gcts.config import prepare_config

prepare_config(config, "workflow/schemas/config.schema.yaml")
validate(config, "workflow/schemas/config.schema.yaml")


wildcard_constraints:
    stem=r"A_RES_\d+_\d+",
    lang=r"[a-z]{2}",


include: "workflow/rules/common.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/verbs.smk"
include: "workflow/rules/pillars.smk"
include: "workflow/rules/tables.smk"
include: "workflow/rules/compare.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/report.smk"
include: "workflow/rules/fetch.smk"


rule all:
    default_target: True
    input:
        TARGETS,


onsuccess:
    print(missing_note())
    stop_rate_limiter_timers()
