# Stage: figures. Each rule draws one figure into results/figures/: <name>.png and .svg, <name>.data.csv (exactly the
# values plotted) and <name>.caption.rst (what it shows, from which table, how much data it rests on).
# The PNGs are registered for Snakemake's own report (`snakemake --report results/report.zip`); their captions are
# workflow/report/<name>.rst, which include the generated caption.

FIGURE_PAIRS = expand(rules.compare.output.csv, zip, a=[symbol_stem(a) for a, _ in COMPARE],
                      b=[symbol_stem(b) for _, b in COMPARE])


rule figure_pillar_shares:
    input:
        shares=rules.pillar_shares.output.shares,
    output:
        png=report("results/figures/pillar_shares.png", caption="../report/pillar_shares.rst", category="Figures",
                   subcategory="Pillars"),
        svg="results/figures/pillar_shares.svg",
        data="results/figures/pillar_shares.data.csv",
        caption="results/figures/pillar_shares.caption.rst",
    params:
        figure="pillar_shares",
    log:
        "results/logs/figures/pillar_shares.log",
    benchmark:
        "results/benchmarks/figures/pillar_shares.tsv"
    threads: 1
    resources:
        mem_mb=1000,
    conda:
        ENV
    script:
        "../scripts/figures.py"


rule figure_verb_profile:
    input:
        verbs=rules.verbs.output.counts,
        documents=rules.collect.output.documents,
        paragraphs=rules.paragraphs.output.parquet,
        lexicon=config["verbs"]["lexicon"],
    output:
        png=report("results/figures/verb_profile_{kind}.png", caption="../report/verb_profile.rst",
                   category="Figures", subcategory="Verbs"),
        svg="results/figures/verb_profile_{kind}.svg",
        data="results/figures/verb_profile_{kind}.data.csv",
        caption="results/figures/verb_profile_{kind}.caption.rst",
    wildcard_constraints:
        kind="preambular|operative",
    params:
        figure="verb_profile",
    log:
        "results/logs/figures/verb_profile_{kind}.log",
    benchmark:
        "results/benchmarks/figures/verb_profile_{kind}.tsv"
    threads: 1
    resources:
        mem_mb=1000,
    conda:
        ENV
    script:
        "../scripts/figures.py"


rule figure_strength_transitions:
    input:
        pairs=FIGURE_PAIRS,
        documents=rules.collect.output.documents,
    output:
        png=report("results/figures/strength_transitions.png", caption="../report/strength_transitions.rst",
                   category="Figures", subcategory="Verbs"),
        svg="results/figures/strength_transitions.svg",
        data="results/figures/strength_transitions.data.csv",
        caption="results/figures/strength_transitions.caption.rst",
    params:
        figure="strength_transitions",
    log:
        "results/logs/figures/strength_transitions.log",
    benchmark:
        "results/benchmarks/figures/strength_transitions.tsv"
    threads: 1
    resources:
        mem_mb=1000,
    conda:
        ENV
    script:
        "../scripts/figures.py"


rule figure_alignment_flow:
    input:
        pairs=FIGURE_PAIRS,
        documents=rules.collect.output.documents,
    output:
        png=report("results/figures/alignment_flow.png", caption="../report/alignment_flow.rst",
                   category="Figures", subcategory="Alignment"),
        svg="results/figures/alignment_flow.svg",
        data="results/figures/alignment_flow.data.csv",
        caption="results/figures/alignment_flow.caption.rst",
    params:
        figure="alignment_flow",
    log:
        "results/logs/figures/alignment_flow.log",
    benchmark:
        "results/benchmarks/figures/alignment_flow.tsv"
    threads: 1
    resources:
        mem_mb=1000,
    conda:
        ENV
    script:
        "../scripts/figures.py"


rule figure_growth:
    input:
        documents=rules.collect.output.documents,
        manifest=config["manifest"],
    output:
        png=report("results/figures/growth.png", caption="../report/growth.rst", category="Figures",
                   subcategory="Series"),
        svg="results/figures/growth.svg",
        data="results/figures/growth.data.csv",
        caption="results/figures/growth.caption.rst",
    params:
        figure="growth",
    log:
        "results/logs/figures/growth.log",
    benchmark:
        "results/benchmarks/figures/growth.tsv"
    threads: 1
    resources:
        mem_mb=1000,
    conda:
        ENV
    script:
        "../scripts/figures.py"


rule figure_term_emergence:
    input:
        terms=rules.term_emergence.output.csv,
        documents=rules.collect.output.documents,
    output:
        png=report("results/figures/term_emergence.png", caption="../report/term_emergence.rst",
                   category="Figures", subcategory="Series"),
        svg="results/figures/term_emergence.svg",
        data="results/figures/term_emergence.data.csv",
        caption="results/figures/term_emergence.caption.rst",
    params:
        figure="term_emergence",
        top=config["figures"]["top_terms"],
    log:
        "results/logs/figures/term_emergence.log",
    benchmark:
        "results/benchmarks/figures/term_emergence.tsv"
    threads: 1
    resources:
        mem_mb=1000,
    conda:
        ENV
    script:
        "../scripts/figures.py"


# every figure's PNG (its SVG, data and caption files sit beside it), in reading order for the report
FIGURES = [
    rules.figure_growth.output.png,
    rules.figure_pillar_shares.output.png,
    *expand(rules.figure_verb_profile.output.png, kind=["operative", "preambular"]),
    rules.figure_alignment_flow.output.png,
    rules.figure_strength_transitions.output.png,
    rules.figure_term_emergence.output.png,
]
TARGETS += FIGURES
