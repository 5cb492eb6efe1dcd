# Stage: the Strategy pillar (G, I-IV) of every paragraph. A bilingual concept classifier is trained on
# the paragraphs that 75/291 files under its own pillar headings and applied to every paragraph of
# every document; its quality is measured by nested grouped cross-validation (rule pillar_eval, off
# the path to the tables); researcher overrides are applied afterwards (rule pillars, which also counts
# the pillars per document: results/tables/pillar_shares.csv).
# Final labels (rule pillars) follow the aligned versions of each provision, so rule pillars runs after align.
# Only the series in config pillars.series (default [gcts]) are classified; the others have empty pillar columns.


rule pillar_model:
    input:
        paragraphs=rules.collect.output.paragraphs,
        terms=config["pillars"]["terms"],
    output:
        predictions="results/interim/pillar_predictions.parquet",
        weights="results/tables/pillar_concept_weights.csv",
    params:
        cfg=config["pillars"],
    log:
        "results/logs/pillar_model.log",
    benchmark:
        "results/benchmarks/pillar_model.tsv"
    priority: 1   # on the path to the paragraph table; the pillar evaluation fills the other core
    threads: 1
    resources:
        mem_mb=1000,
    conda:
        ENV
    script:
        "../scripts/pillar_model.py"


# The measured quality, and the final labels beside the reading (workflow/resources/pillar_reading.csv).
# Nothing downstream of the paragraph table waits for it.
rule pillar_eval:
    input:
        paragraphs=rules.collect.output.paragraphs,
        terms=config["pillars"]["terms"],
        reading=config["pillars"]["reading"],
        pillars="results/interim/pillars.parquet",   # the final labels (rule pillars), for the reading's agreement
        pairs=compare_tables,                        # for the Assembly's own filing of each read provision
        second=[config["pillars"]["second_reading"]] if config["pillars"].get("second_reading") else [],
        preambles=[config["pillars"]["preamble_reading"]] if config["pillars"].get("preamble_reading") else [],
    output:
        evaluation="results/tables/pillar_eval.csv",
        reading="results/tables/pillar_reading.csv",
        preambles="results/tables/pillar_reading_preambles.csv",
        confusion="results/tables/pillar_confusion.csv",
        folds="results/tables/pillar_cv_folds.csv",
        cv_predictions="results/tables/pillar_cv_predictions.csv",
    params:
        cfg=config["pillars"],
    log:
        "results/logs/pillar_eval.log",
    benchmark:
        "results/benchmarks/pillar_eval.tsv"
    threads: 1
    resources:
        mem_mb=1000,
    conda:
        ENV
    script:
        "../scripts/pillar_eval.py"


# After align: the labels follow the alignments. align reads the paragraph table without pillars
# (rules.aligned_input); the paragraph table of record (rules.paragraphs) joins these final labels, and
# rule compare joins them into the alignment tables.
rule pillars:
    input:
        predictions=rules.pillar_model.output.predictions,
        paragraphs=rules.collect.output.paragraphs,
        overrides=config["pillars"]["overrides"],
        terms=config["pillars"]["terms"],
        pairs=compare_tables,
    output:
        pillars="results/interim/pillars.parquet",
        shares="results/tables/pillar_shares.csv",   # here, not in a job of its own: each job pays for starting Python
        changes="results/tables/pillar_changes.csv",
    params:
        lineage=config["pillars"]["lineage"],
        series=config["pillars"]["series"],
    log:
        "results/logs/pillars.log",
    benchmark:
        "results/benchmarks/pillars.tsv"
    priority: 1   # on the path to the paragraph table; pillar_shares.csv is an input of the figures
    threads: 1
    resources:
        mem_mb=500,
    conda:
        ENV
    script:
        "../scripts/pillars.py"


LATE_ANNOTATIONS.append(rules.pillars.output.pillars)
TARGETS += [
    *rules.pillar_eval.output,
    rules.pillar_model.output.weights,
    rules.pillars.output.shares,
    rules.pillars.output.changes,
]
