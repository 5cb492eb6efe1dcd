# Stage 1: verify, read and segment each local text; gather the paragraph and footnote tables.


rule segment:
    input:
        text=lambda w: str(source_of(w).path),
    output:
        paragraphs="results/interim/segments/{stem}.{lang}.paragraphs.parquet",
        footnotes="results/interim/segments/{stem}.{lang}.footnotes.parquet",
        artefacts="results/interim/segments/{stem}.{lang}.artefacts.parquet",
        header="results/interim/segments/{stem}.{lang}.header.json",
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


rule collect:
    input:
        paragraphs=expand(rules.segment.output.paragraphs, zip, stem=[s.stem for s in SOURCES.values()],
                          lang=[s.lang for s in SOURCES.values()]),
        footnotes=expand(rules.segment.output.footnotes, zip, stem=[s.stem for s in SOURCES.values()],
                         lang=[s.lang for s in SOURCES.values()]),
        artefacts=expand(rules.segment.output.artefacts, zip, stem=[s.stem for s in SOURCES.values()],
                         lang=[s.lang for s in SOURCES.values()]),
        headers=expand(rules.segment.output.header, zip, stem=[s.stem for s in SOURCES.values()],
                       lang=[s.lang for s in SOURCES.values()]),
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
