"""Rule align: align two versions (every language that has both, else across languages) and write the table with
its HTML diff columns (results/interim/compare/); rule compare adds the final pillars and writes the outputs."""

import time

import pandas as pd

from gcts.sources.corpus import read_paragraphs
from gcts.compare.diff import compare_table
from gcts.errors import InputError
from gcts.runlog import start

log = start(snakemake.log[0])
p = snakemake.params
paragraphs = read_paragraphs(snakemake.input.paragraphs, docs=[p.a, p.b])   # not the whole series: O(1) per pair


def cross_table(lang_a, lang_b):
    from gcts.compare.crosslingual import Settings, compare_table_cross, load_resources

    res = load_resources(snakemake.input.pillar_terms, snakemake.input.cross_terms, p.cross["dictionary"])
    return compare_table_cross(paragraphs, p.a, p.b, lang_a, lang_b, res, Settings.of(p.cross))


def counts(t):
    return ", ".join(f"{s} {n}" for s, n in t["status"].value_counts().items())


tables = []
for lang in p.langs:
    if lang not in p.threshold:
        raise InputError("workflow/config.yaml compare.threshold", f"no threshold for language {lang!r}")
    t0 = time.perf_counter()
    t = compare_table(paragraphs, p.a, p.b, lang, p.threshold[lang], p.containment)
    log.info("%s -> %s (%s): %d decisions in %.2f s: %s", p.a, p.b, lang, len(t), time.perf_counter() - t0, counts(t))
    tables.append(t)
if tables:
    table = pd.concat(tables, ignore_index=True)
    table.to_parquet(snakemake.output.parquet, index=False)
    if p.cross["enabled"] and p.cross.get("check") and p.other_langs:
        # a check only: the same-language alignment above is the one used
        from gcts.compare.crosslingual import agreement

        for lang_a, lang_b in p.other_langs:
            t0 = time.perf_counter()
            check = cross_table(lang_a, lang_b)
            same = tables[0]
            agree = agreement(same, check)
            log.info("check %s -> %s across languages (%s-%s) in %.2f s: agrees with the %s alignment on %.1f%% of "
                     "the old paragraphs (%d) and %.1f%% of the new ones (%d)", p.a, p.b, lang_a, lang_b,
                     time.perf_counter() - t0, same["lang"].iloc[0], 100 * agree["agree_a"], agree["n_a"],
                     100 * agree["agree_b"], agree["n_b"])
else:
    if not p.cross["enabled"]:
        raise InputError("workflow/config.yaml compare.cross_lingual.enabled",
                         f"{p.a} and {p.b} share no language and cross-lingual alignment is off")
    lang_a, lang_b = p.cross_langs
    t0 = time.perf_counter()
    table = cross_table(lang_a, lang_b)
    log.info("%s (%s) -> %s (%s), across languages: %d decisions in %.2f s: %s", p.a, lang_a, p.b, lang_b,
             len(table), time.perf_counter() - t0, counts(table))
    table.to_parquet(snakemake.output.parquet, index=False)
