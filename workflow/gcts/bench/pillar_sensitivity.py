"""How much the pillar model's measured quality, and its agreement with the reader's pillars of
68/276, depend on reading the neighbouring paragraphs. Not a rule: run it by hand from the project
root after the main job (it reads results/interim/paragraphs.parquet):

    uv run python -m gcts.bench.pillar_sensitivity

For each context weight of the config's grid, fixed, and for the whole grid (the pipeline's model,
the weight chosen by the inner CV): nested-CV macro-F1 on the labelled paragraphs (the other settings
still chosen by the inner CV), the weight the final fit uses, and the agreement with
workflow/resources/pillar_reading.csv. Writes results/tables/pillar_context_sensitivity.csv.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "workflow"))

from gcts.annotate.concepts import load_concepts  # noqa: E402
from gcts.annotate.pillar_stage import CONCEPTS, evaluate, fit_predict, reading_table  # noqa: E402


def main() -> None:
    cfg = yaml.safe_load((ROOT / "workflow" / "config.yaml").read_text(encoding="utf-8"))["pillars"]
    source = ROOT / "results" / "interim" / "paragraphs.parquet"
    if not source.exists():
        sys.exit(f"{source}: not found; run the main job first (snakemake --cores 2)")
    paragraphs = pd.read_parquet(source)
    lexicon = load_concepts(ROOT / cfg["terms"])
    grids = {f"context {c:g}": [c] for c in cfg["grid"]["context"]}
    grids["config grid (chosen by inner CV)"] = cfg["grid"]["context"]
    rows = []
    for name, context in grids.items():
        c = {**cfg, "grid": {**cfg["grid"], "context": context}}
        ev = evaluate(paragraphs, lexicon, c)["eval"].set_index(["model", "class"]).loc[(CONCEPTS, "macro avg")]
        fit = fit_predict(paragraphs, lexicon, c)
        reading = reading_table(paragraphs, fit["predictions"], ROOT / cfg["reading"])
        rows.append({"setting": name, "macro_f1_fold_mean": round(ev["f1_fold_mean"], 3),
                     "macro_f1_fold_std": round(ev["f1_fold_std"], 3), "macro_f1_pooled": round(ev["f1_pooled_mean"], 3),
                     "final_context": fit["settings"]["context"],
                     "reading_agree": int(reading["agree"].sum()), "reading_n": len(reading)})
        print(rows[-1], flush=True)
    out = ROOT / "results" / "tables" / "pillar_context_sensitivity.csv"
    pd.DataFrame(rows).to_csv(out, index=False)
    print(f"-> {out}")


if __name__ == "__main__":
    main()
