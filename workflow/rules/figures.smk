# Stage: figures. Each rule draws one figure into results/figures/: <name>.png and .svg, <name>.data.csv (exactly the
# values plotted) and <name>.caption.rst (what it shows, from which table, how much data it rests on).
# The PNGs are registered for Snakemake's own report (`snakemake --report results/report.zip`).


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


rule figure_verb_profile:
    input:
        verbs=rules.verbs.output.counts,
        documents=rules.collect.output.documents,
        paragraphs=rules.paragraphs.output.parquet,
        lexicon=config["verbs"]["lexicon"],
    output:
        png=report("results/figures/verb_profile_{kind}.png", caption="../report/verb_profile.rst",
                   category="Figures", subcategory="Verbs", labels={"figure": "verb profile", "kind": "{kind}"}),
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



# every figure's PNG, for the report
FIGURES = [rules.figure_growth.output.png,
           *expand(rules.figure_verb_profile.output.png, kind=["operative", "preambular"])]
TARGETS += FIGURES
