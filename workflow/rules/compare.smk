# Stage: compare versions. Align the paragraphs of two reviews (per language), diff them, follow
# each paragraph across all versions (lineage), and tabulate the series' new terms.

from gcts.compare.lineage import consecutive, merged, series_pairs, series_versions, shared_languages
from gcts.sources.manifest import symbol_stem

# {series: {lang: [symbol, ...]}} in series order: versions are aligned only within a series
SERIES_VERSIONS = series_versions(SOURCES.values(), config["languages"])
VERSIONS = merged(SERIES_VERSIONS)  # {lang: [symbol, ...]}, series after series (which languages a document has)
SYMBOL = {s.stem: s.symbol for s in SOURCES.values()}
COMPARE = series_pairs(config["compare"]["pairs"], SERIES_VERSIONS)
LINEAGE = series_pairs("consecutive", SERIES_VERSIONS)


rule compare:
    input:
        paragraphs=rules.paragraphs.output.parquet,
    output:
        csv="results/compare/{a}__{b}.csv",
        parquet="results/compare/{a}__{b}.parquet",   # the same table, with its HTML diff columns (for the report)
        html="results/compare/{a}__{b}.html",
    wildcard_constraints:
        a=r"A_RES_\d+_\d+",
        b=r"A_RES_\d+_\d+",
    params:
        a=lambda w: SYMBOL[w.a],
        b=lambda w: SYMBOL[w.b],
        langs=lambda w: shared_languages(SYMBOL[w.a], SYMBOL[w.b], VERSIONS),
        threshold=config["compare"]["threshold"],
        containment=config["compare"]["containment"],
    log:
        "results/logs/compare/{a}__{b}.log",
    benchmark:
        "results/benchmarks/compare/{a}__{b}.tsv"
    priority: 2   # the longest job before the figures; small table jobs fill the other core
    threads: 1
    resources:
        mem_mb=1000,
    conda:
        ENV
    script:
        "../scripts/compare.py"


rule lineage:
    input:
        paragraphs=rules.paragraphs.output.parquet,
        pairs=[f"results/compare/{symbol_stem(a)}__{symbol_stem(b)}.csv" for a, b in LINEAGE],
    output:
        [f"results/lineage_{lang}.csv" for lang in config["languages"]],
    params:
        pairs=LINEAGE,
        versions=SERIES_VERSIONS,
        languages=config["languages"],
    log:
        "results/logs/lineage.log",
    benchmark:
        "results/benchmarks/lineage.tsv"
    threads: 1
    resources:
        mem_mb=500,
    conda:
        ENV
    script:
        "../scripts/lineage.py"


rule term_emergence:
    input:
        paragraphs=rules.paragraphs.output.parquet,
        words=config["compare"]["terms"]["words"],
    output:
        csv="results/tables/term_emergence.csv",
    params:
        versions=SERIES_VERSIONS,
        languages=config["languages"],
        min_count=config["compare"]["terms"]["min_count"],
        ngrams=config["compare"]["terms"]["ngrams"],
    log:
        "results/logs/term_emergence.log",
    benchmark:
        "results/benchmarks/term_emergence.tsv"
    priority: 1   # an input of the figures job, the longest at the end of a run
    threads: 1
    resources:
        mem_mb=1000,
    conda:
        ENV
    script:
        "../scripts/terms.py"


TARGETS += [f"results/compare/{symbol_stem(a)}__{symbol_stem(b)}.{ext}" for a, b in COMPARE for ext in ("csv", "html")]
TARGETS += list(rules.lineage.output) + [rules.term_emergence.output.csv]
