# Stage: the Strategy pillar (G, I-IV) of every paragraph. A bilingual concept classifier is trained on
# the paragraphs that 75/291 files under its own pillar headings, measured by grouped cross-validation,
# and applied to every paragraph of every document; researcher overrides are applied afterwards.


rule pillar_model:
    input:
        paragraphs=rules.collect.output.paragraphs,
        terms=config["pillars"]["terms"],
    output:
        predictions="results/interim/pillar_predictions.parquet",
        evaluation="results/tables/pillar_eval.csv",
        confusion="results/tables/pillar_confusion.csv",
        folds="results/tables/pillar_cv_folds.csv",
        weights="results/tables/pillar_concept_weights.csv",
    params:
        cfg=config["pillars"],
    log:
        "results/logs/pillar_model.log",
    benchmark:
        "results/benchmarks/pillar_model.tsv"
    threads: 1
    resources:
        mem_mb=1000,
    conda:
        ENV
    script:
        "../scripts/pillar_model.py"


rule pillars:
    input:
        predictions=rules.pillar_model.output.predictions,
        paragraphs=rules.collect.output.paragraphs,
        overrides=config["pillars"]["overrides"],
    output:
        pillars="results/interim/pillars.parquet",
    log:
        "results/logs/pillars.log",
    benchmark:
        "results/benchmarks/pillars.tsv"
    threads: 1
    resources:
        mem_mb=500,
    conda:
        ENV
    script:
        "../scripts/pillars.py"


rule pillar_shares:
    input:
        pillars=rules.pillars.output.pillars,
        paragraphs=rules.collect.output.paragraphs,
    output:
        shares="results/tables/pillar_shares.csv",
    log:
        "results/logs/pillar_shares.log",
    benchmark:
        "results/benchmarks/pillar_shares.tsv"
    threads: 1
    resources:
        mem_mb=500,
    conda:
        ENV
    script:
        "../scripts/pillar_shares.py"


ANNOTATIONS.append(rules.pillars.output.pillars)
TARGETS += [
    rules.pillar_model.output.evaluation,
    rules.pillar_model.output.confusion,
    rules.pillar_model.output.folds,
    rules.pillar_model.output.weights,
    rules.pillar_shares.output.shares,
]
