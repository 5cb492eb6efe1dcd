# Targets a user may name on the command line (README "Targets"), and a short answer for any other name.
# Included last: every rule is defined by then.

from gcts.errors import InputError

# name -> what it builds; each is a rule without wildcards
USER_TARGETS = {
    "all": "everything (the default): tables, figures, results/report.html",
    "report": "results/report.html and the figures it shows",
    "figures": "the figures of each version (results/figures/)",
    "change_figures": "the figures of what changed between versions",
    "paragraphs": "results/paragraphs.csv/.parquet and results/tables/series.csv",
    "fetch": "download the missing documents (network)",
    "inbox": "import the files put in data/inbox/",
}


rule report:
    input:
        rules.report_html.output.html,
    localrule: True


rule unknown_target:
    input:
        unknown_input,
    output:
        "{target}",
    wildcard_constraints:
        target=r"[A-Za-z][A-Za-z0-9_-]*",   # a bare name (no path); a rule's name is taken as that rule
    log:
        "results/logs/unknown_target/{target}.log",   # never written: the input function stops the run first
    benchmark:
        "results/benchmarks/unknown_target/{target}.tsv"
    threads: 1
    resources:
        mem_mb=100,
    localrule: True
