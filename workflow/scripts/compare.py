"""Rule compare: the alignment table of two versions with the final pillar of each side, as CSV, Parquet (with the
HTML diff columns, for the report) and an HTML view."""

from pathlib import Path

import pandas as pd

from gcts.compare.diff import HTML_COLUMNS, html_page, with_pillars
from gcts.runlog import start

log = start(snakemake.log[0])
p = snakemake.params
table = pd.read_parquet(snakemake.input.aligned)
paragraphs = pd.read_parquet(snakemake.input.paragraphs, columns=["pid", "pillar"],
                             filters=[("doc", "in", [p.a, p.b])])
table = with_pillars(table, paragraphs)
table.drop(columns=HTML_COLUMNS).to_csv(snakemake.output.csv, index=False, encoding="utf-8")
table.to_parquet(snakemake.output.parquet, index=False)
cross = bool(table.get("cross_lingual", pd.Series([False])).fillna(False).any())
if cross:
    from gcts.compare.crosslingual import html_page as cross_html

    lang_a, lang_b = table["lang_a"].dropna().iloc[0], table["lang_b"].dropna().iloc[0]
    page = cross_html(table, f"{p.a} ({lang_a}) → {p.b} ({lang_b})")
else:
    page = html_page(table, f"{p.a} → {p.b}")
Path(snakemake.output.html).write_text(page, encoding="utf-8")
log.info("%s -> %s: %d decisions, pillars of %d sides joined", p.a, p.b, len(table),
         int(table["pillar_a"].notna().sum() + table["pillar_b"].notna().sum()))
