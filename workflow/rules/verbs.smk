# Stage: lead-in verbs of every paragraph (bilingual lexicon + strength scale), their counts, and unknown lead-ins.


rule verbs:
    input:
        paragraphs=rules.collect.output.paragraphs,
        lexicon=config["verbs"]["lexicon"],
        scales=config["verbs"]["scales"],
    output:
        verbs="results/interim/verbs.parquet",
        counts="results/tables/verbs.csv",
        unknown="results/tables/unknown_verbs.csv",
    params:
        scale=config["verbs"]["scale"],
    log:
        "results/logs/verbs.log",
    benchmark:
        "results/benchmarks/verbs.tsv"
    priority: 1   # on the path to the paragraph table; the pillar evaluation fills the other core
    threads: 1
    resources:
        mem_mb=1000,
    conda:
        ENV
    script:
        "../scripts/verbs.py"


ANNOTATIONS.append(rules.verbs.output.verbs)
TARGETS += [rules.verbs.output.counts, rules.verbs.output.unknown]
