# Stage: figures. One job draws every figure into results/figures/: <name>.png and .svg, <name>.data.csv (exactly
# the values plotted) and <name>.caption.rst (what it shows, from which table, how much data it rests on).
# One job rather than one per figure: each job pays for starting Python and importing matplotlib and pandas.
# The PNGs are registered for Snakemake's own report (`snakemake --report results/report.zip`); their captions are
# workflow/report/<name>.rst, which include the generated caption.

FIGURE_PAIRS = expand(rules.compare.output.csv, zip, a=[symbol_stem(a) for a, _ in COMPARE],
                      b=[symbol_stem(b) for _, b in COMPARE])
# figure name -> (caption file in workflow/report, subcategory), in reading order for the report
FIGURE_SPECS = {
    "growth": ("growth", "Series"),
    "pillar_shares": ("pillar_shares", "Pillars"),
    "verb_profile_operative": ("verb_profile", "Verbs"),
    "verb_profile_preambular": ("verb_profile", "Verbs"),
    "alignment_flow": ("alignment_flow", "Alignment"),
    "strength_transitions": ("strength_transitions", "Verbs"),
    "term_emergence": ("term_emergence", "Series"),
}
FIGURE_OUTPUTS = {}
for _name, (_caption, _sub) in FIGURE_SPECS.items():
    FIGURE_OUTPUTS[f"{_name}_png"] = report(f"results/figures/{_name}.png", caption=f"../report/{_caption}.rst",
                                            category="Figures", subcategory=_sub)
    for _ext in ("svg", "data.csv", "caption.rst"):
        FIGURE_OUTPUTS[f"{_name}_{_ext.split('.')[0]}"] = f"results/figures/{_name}.{_ext}"


rule figures:
    input:
        shares=rules.pillar_shares.output.shares,
        verbs=rules.verbs.output.counts,
        paragraphs=rules.paragraphs.output.parquet,
        lexicon=config["verbs"]["lexicon"],
        pairs=FIGURE_PAIRS,
        documents=rules.collect.output.documents,
        manifest=config["manifest"],
        terms=rules.term_emergence.output.csv,
    output:
        **FIGURE_OUTPUTS,
    params:
        names=list(FIGURE_SPECS),
        top=config["figures"]["top_terms"],
    log:
        "results/logs/figures.log",
    benchmark:
        "results/benchmarks/figures.tsv"
    threads: 1
    resources:
        mem_mb=1000,
    conda:
        ENV
    script:
        "../scripts/figures.py"


FIGURES = [getattr(rules.figures.output, f"{name}_png") for name in FIGURE_SPECS]
TARGETS += FIGURES
