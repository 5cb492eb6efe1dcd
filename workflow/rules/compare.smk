# Stage: compare versions. Align the paragraphs of two reviews (per language), diff them, follow
# each paragraph across all versions (lineage), and tabulate the series' new terms.

from gcts.compare.lineage import merged, pair_lang, series_order, series_pairs, series_steps, series_versions, shared_languages
from gcts.sources.manifest import symbol_stem

# {series: {lang: [symbol, ...]}} in series order: versions are aligned only within a series
SERIES_VERSIONS = series_versions(SOURCES.values(), config["languages"])
VERSIONS = merged(SERIES_VERSIONS)  # {lang: [symbol, ...]}, series after series (which languages a document has)
SYMBOL = {s.stem: s.symbol for s in SOURCES.values()}
CROSS = config["compare"].get("cross_lingual", {"enabled": False})
SERIES_OF = {s.symbol: s.series for s in SOURCES.values()}
# {series: every version of it, any language, in series order}
ORDERS = {name: series_order([s for s in SOURCES.values() if s.series == name], config["languages"])
          for name in SERIES_VERSIONS}
COMPARE = series_pairs(config["compare"]["pairs"], SERIES_VERSIONS, CROSS["enabled"], ORDERS)
LINEAGE = series_pairs("consecutive", SERIES_VERSIONS)     # within a language (results/lineage_<lang>.csv)
# each series through its languages (results/lineage_series.csv): {series: [(A, B, lang_a, lang_b), ...]};
# a step between versions without a shared language follows their cross-lingual alignment
STEPS = {name: series_steps(vers, ORDERS[name]) for name, vers in SERIES_VERSIONS.items()} if CROSS["enabled"] else {}


rule align:
    input:
        paragraphs=rules.aligned_input.output.parquet,   # not the table of record: the final pillars read compare
        pillar_terms=config["pillars"]["terms"],         # the cross-lingual evidence reads both lexicons: inputs,
        cross_terms=CROSS["terms"],                      # so that a changed lexicon realigns
    output:
        parquet="results/interim/compare/{a}__{b}.parquet",   # with the HTML diff columns; no pillars yet
    wildcard_constraints:
        a=r"A_RES_\d+_\d+",
        b=r"A_RES_\d+_\d+",
    params:
        a=lambda w: SYMBOL[w.a],
        b=lambda w: SYMBOL[w.b],
        langs=lambda w: shared_languages(SYMBOL[w.a], SYMBOL[w.b], VERSIONS),
        cross_langs=lambda w: pair_lang(SYMBOL[w.a], SYMBOL[w.b], SERIES_VERSIONS[SERIES_OF[SYMBOL[w.a]]],
                                        ORDERS[SERIES_OF[SYMBOL[w.a]]]),  # used without a shared language
        other_langs=lambda w: [[la, lb] for la in VERSIONS for lb in VERSIONS if la != lb
                               and SYMBOL[w.a] in VERSIONS[la] and SYMBOL[w.b] in VERSIONS[lb]],
        cross=CROSS,
        threshold=config["compare"]["threshold"],
        containment=config["compare"]["containment"],
    log:
        "results/logs/align/{a}__{b}.log",
    benchmark:
        "results/benchmarks/align/{a}__{b}.tsv"
    priority: 2   # the longest job before the figures; small table jobs fill the other core
    threads: 1
    resources:
        mem_mb=1000,
    conda:
        ENV
    script:
        "../scripts/align.py"


rule compare:
    input:
        aligned=rules.align.output.parquet,
        paragraphs=rules.paragraphs.output.parquet,   # the table of record: with the final pillars
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
    log:
        "results/logs/compare/{a}__{b}.log",
    benchmark:
        "results/benchmarks/compare/{a}__{b}.tsv"
    threads: 1
    resources:
        mem_mb=500,
    conda:
        ENV
    script:
        "../scripts/compare.py"


rule lineage:
    input:
        paragraphs=rules.paragraphs.output.parquet,
        pairs=[f"results/compare/{symbol_stem(a)}__{symbol_stem(b)}.csv" for a, b in LINEAGE],
        steps=[f"results/compare/{symbol_stem(a)}__{symbol_stem(b)}.csv" for st in STEPS.values() for a, b, _, _ in st],
    output:
        [f"results/lineage_{lang}.csv" for lang in config["languages"]],
        series="results/lineage_series.csv",
    params:
        pairs=LINEAGE,
        steps=STEPS,
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
