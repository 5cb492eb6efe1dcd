# Stage: figures. Two jobs draw every figure into results/figures/: <name>.png and .svg, <name>.data.csv (exactly
# the values plotted) and <name>.caption.rst (what it shows, from which table, how much data it rests on).
# Not one job per figure: each job pays for starting Python and importing matplotlib and pandas.
# Figures with a panel, column or row per version or aligned pair draw only the config figures.max_versions most
# recent of each language (the caption says what was left out), and only those alignment tables are read.
# The PNGs are registered for Snakemake's own report (`snakemake --report results/report.zip`); their captions are
# workflow/report/<name>.rst, which include the generated caption.

from gcts.present.figdata import figure_key, figure_path
from gcts.sources.manifest import DEFAULT_SERIES

FIGURE_PAIRS = expand(rules.compare.output.csv, zip, a=[symbol_stem(a) for a, _ in COMPARE],
                      b=[symbol_stem(b) for _, b in COMPARE])
# figure name -> (subcategory in Snakemake's report, job), in reading order for the report; each figure's caption for
# Snakemake's report is workflow/report/<name>.rst. Two jobs: the figures of each version (job figures) need only the
# paragraph table, so they are drawn while the versions are being aligned; the figures of what changed between
# versions (job change_figures) need the alignment and term tables. A new figure: a line here, a builder in
# FIGURES of workflow/scripts/figures.py (drawing in gcts.present.plots) and workflow/report/<name>.rst.
FIGURE_SPECS = {
    "growth": ("Series", "figures"),
    "pillar_shares": ("Pillars", "figures"),
    "verb_profile_operative": ("Verbs", "figures"),
    "verb_profile_preambular": ("Verbs", "figures"),
    "alignment_flow": ("Alignment", "change_figures"),
    "strength_transitions": ("Verbs", "change_figures"),
    "term_emergence": ("Series", "change_figures"),
}
# One set of figures per series (Strategy first): the Strategy's (gcts) in results/figures/, another series' in
# results/figures/<series>/, output keys <series>__<name>_png etc. A series without pillar classification (config
# pillars.series) has no pillar figure.
FIGURE_SERIES = [DEFAULT_SERIES] + [s for s in SERIES_VERSIONS if s != DEFAULT_SERIES]
FIGURE_NAMES = {job: [(series, name, figure_key(series, name)) for series in FIGURE_SERIES
                      for name, spec in FIGURE_SPECS.items() if spec[1] == job
                      and (name != "pillar_shares" or series in config["pillars"]["series"])]
                for job in ("figures", "change_figures")}
FIGURE_OUTPUTS = {"figures": {}, "change_figures": {}}
for _job, _names in FIGURE_NAMES.items():
    for _series, _name, _key in _names:
        _sub, _ = FIGURE_SPECS[_name]
        if _series == DEFAULT_SERIES:   # workflow/report/<name>.rst includes the generated caption by output key
            _png = report(figure_path(_series, _name, "png"), caption=f"../report/{_name}.rst", category="Figures",
                          subcategory=_sub)
        else:
            _png = report(figure_path(_series, _name, "png"), category="Figures", subcategory=f"{_sub} ({_series})")
        FIGURE_OUTPUTS[_job][f"{_key}_png"] = _png
        for _ext in ("svg", "data.csv", "caption.rst"):
            FIGURE_OUTPUTS[_job][f"{_key}_{_ext.split('.')[0]}"] = figure_path(_series, _name, _ext)

rule figures:
    input:
        shares=rules.pillars.output.shares,
        verbs=rules.verbs.output.counts,
        paragraphs=rules.paragraphs.output.parquet,
        lexicon=config["verbs"]["lexicon"],
        documents=rules.collect.output.documents,
        manifest=config["manifest"],
    output:
        **FIGURE_OUTPUTS["figures"],
    params:
        names=FIGURE_NAMES["figures"],
        max_versions=config["figures"]["max_versions"],
    log:
        "results/logs/figures.log",
    benchmark:
        "results/benchmarks/figures.tsv"
    priority: 1   # the longest job after the paragraph table but compare
    threads: 1
    resources:
        mem_mb=1000,
    conda:
        ENV
    script:
        "../scripts/figures.py"


rule change_figures:
    input:
        pairs=FIGURE_PAIRS,
        documents=rules.collect.output.documents,
        terms=rules.term_emergence.output.csv,
        hide_terms="workflow/resources/figure_terms.yaml",
    output:
        **FIGURE_OUTPUTS["change_figures"],
    params:
        names=FIGURE_NAMES["change_figures"],
        top=config["figures"]["top_terms"],
        max_versions=config["figures"]["max_versions"],
    log:
        "results/logs/change_figures.log",
    benchmark:
        "results/benchmarks/change_figures.tsv"
    threads: 1
    resources:
        mem_mb=1000,
    conda:
        ENV
    script:
        "../scripts/figures.py"


FIGURES = [getattr(rules.figures.output if job == "figures" else rules.change_figures.output, f"{key}_png")
           for series in FIGURE_SERIES for name, (_, job) in FIGURE_SPECS.items()
           for s, n, key in FIGURE_NAMES[job] if (s, n) == (series, name)]
FIGURE_SERIES_OF = [series for series in FIGURE_SERIES for name, (_, job) in FIGURE_SPECS.items()
                    for s, n, _ in FIGURE_NAMES[job] if (s, n) == (series, name)]
TARGETS += FIGURES
