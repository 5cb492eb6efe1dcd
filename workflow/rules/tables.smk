# Stage: the paragraph table of record, joined from segmentation and every annotation stage, and its summary per
# document (results/tables/series.csv; in the same job, as each job pays for starting Python and pandas).


# The input of compare: the segmented paragraphs with the annotations that do not read the alignments.
rule aligned_input:
    input:
        base=rules.collect.output.paragraphs,
        annotations=ANNOTATIONS,
    output:
        parquet="results/interim/paragraphs_aligned_input.parquet",
    log:
        "results/logs/aligned_input.log",
    benchmark:
        "results/benchmarks/aligned_input.tsv"
    priority: 2   # on the path to the alignment tables (compare)
    threads: 1
    resources:
        mem_mb=500,
    conda:
        ENV
    script:
        "../scripts/join_annotations.py"


rule paragraphs:
    input:
        base=rules.collect.output.paragraphs,
        annotations=ANNOTATIONS + LATE_ANNOTATIONS,
    output:
        csv="results/paragraphs.csv",
        parquet="results/paragraphs.parquet",
        series="results/tables/series.csv",
    log:
        "results/logs/paragraphs.log",
    benchmark:
        "results/benchmarks/paragraphs.tsv"
    priority: 2   # on the path to the alignment tables (compare)
    threads: 1
    resources:
        mem_mb=500,
    conda:
        ENV
    script:
        "../scripts/paragraphs.py"


TARGETS += [rules.paragraphs.output.csv, rules.paragraphs.output.series]
