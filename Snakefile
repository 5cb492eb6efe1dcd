# The UN Global Counter-Terrorism Strategy reviews, paragraph by paragraph.
# Stages live in workflow/rules/, logic in the gcts package (workflow/gcts), parameters in
# workflow/config.yaml (validated against workflow/schemas/config.schema.yaml).

from snakemake.utils import min_version, validate

min_version("9.0")


configfile: "workflow/config.yaml"


validate(config, "workflow/schemas/config.schema.yaml")


include: "workflow/rules/common.smk"
include: "workflow/rules/ingest.smk"


rule all:
    default_target: True
    input:
        rules.paragraphs.output.csv,
        rules.collect.output.footnotes,
        rules.collect.output.documents,


onsuccess:
    print(missing_note())
