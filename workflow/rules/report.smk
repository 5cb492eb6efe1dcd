# Stage: report. results/report.html is one page for reading (figures embedded; long tables link to their CSV) with
# the key tables (shaped by gcts.present.report.TABLES, in the order of params.tables) and a side-by-side diff of
# each aligned pair. Snakemake's own report (`snakemake --report
# results/report.zip`) shows the figures registered with report() in figures.smk, with workflow/report/*.rst captions.

report: "../report/workflow.rst"


rule report_html:
    input:
        figures=FIGURES,
        captions=[f.replace(".png", ".caption.rst") for f in FIGURES],
        documents=rules.collect.output.documents,
        paragraphs=rules.paragraphs.output.parquet,
        manifest=config["manifest"],
        pillar_eval=rules.pillar_eval.output.evaluation,
        pillar_confusion=rules.pillar_eval.output.confusion,
        pillar_agreement=rules.pillar_eval.output.evaluation,   # its readings' rows, in a table of their own
        pillar_reading=rules.pillar_eval.output.reading,
        pillar_shares=rules.pillars.output.shares,
        pillar_changes=rules.pillars.output.changes,
        verbs=rules.verbs.output.counts,
        series=rules.paragraphs.output.series,
        terms=rules.term_emergence.output.csv,
        pairs=[p.replace(".csv", ".parquet") for p in FIGURE_PAIRS],   # with the diffs as HTML
    output:
        html="results/report.html",
    params:
        tables=["pillar_eval", "pillar_confusion", "pillar_agreement", "pillar_reading", "pillar_shares", "pillar_changes", "verbs",
                "series", "terms"],
        max_versions=config["figures"]["max_versions"],
        figure_series=FIGURE_SERIES_OF,   # the series of each figure, Strategy first
    log:
        "results/logs/report_html.log",
    benchmark:
        "results/benchmarks/report_html.tsv"
    threads: 1
    resources:
        mem_mb=1000,
    conda:
        ENV
    script:
        "../scripts/report.py"


TARGETS += [rules.report_html.output.html]
