# Stage 1: verify, read and segment each local text; gather the paragraph and footnote tables.


rule segment:
    input:
        text=lambda w: str(source_of(w).path),
    output:
        json="results/interim/segments/{stem}.{lang}.json",   # header and the rows of its three tables
    params:
        source=source_of,
    log:
        "results/logs/segment/{stem}.{lang}.log",
    benchmark:
        "results/benchmarks/segment/{stem}.{lang}.tsv"
    threads: 1
    resources:
        mem_mb=500,
    conda:
        ENV
    script:
        "../scripts/segment.py"


# the {stem} and {lang} of every local text, in series order, for expand(..., zip, ...)
SOURCE_WILDCARDS = {"stem": [s.stem for s in SOURCES.values()], "lang": [s.lang for s in SOURCES.values()]}


rule collect:
    input:
        segments=expand(rules.segment.output.json, zip, **SOURCE_WILDCARDS),
    output:
        paragraphs="results/interim/paragraphs.parquet",
        footnotes="results/footnotes.csv",
        footnotes_parquet="results/footnotes.parquet",
        artefacts="results/artefacts.parquet",
        documents="results/documents.csv",
    log:
        "results/logs/collect.log",
    benchmark:
        "results/benchmarks/collect.tsv"
    threads: 1
    resources:
        mem_mb=500,
    conda:
        ENV
    script:
        "../scripts/collect.py"



TARGETS += [rules.collect.output.footnotes, rules.collect.output.documents]
