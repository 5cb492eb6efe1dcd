"""Scale-out: every rule declares what a cluster scheduler needs, and the whole pipeline runs through a
Snakemake executor plugin (cluster-generic, each job a separate background process started by a local
submit command; see workflow/profiles/local-cluster) with the same results as a plain run."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from .conftest import ROOT, copy_project, run_snakemake

RULE = re.compile(r"^(?:rule|checkpoint)\s+(\w+)\s*:", re.M)


def rule_blocks() -> dict[str, tuple[str, str]]:
    """{rule name: (file, text of its block)} for every rule in the Snakefile and workflow/rules/."""
    out = {}
    for path in [ROOT / "Snakefile", *sorted((ROOT / "workflow" / "rules").glob("*.smk"))]:
        text = path.read_text(encoding="utf-8")
        starts = [m for m in RULE.finditer(text)]
        for m, nxt in zip(starts, starts[1:] + [None]):
            block = text[m.end(): nxt.start() if nxt else len(text)]
            end = re.search(r"^\S", block, re.M)           # the block ends at the next unindented line
            out[m.group(1)] = (path.name, block[: end.start()] if end else block)
    return out


def test_every_rule_declares_benchmark_threads_resources():
    """What a scheduler needs per job (and what benchmarks read): benchmark:, threads:, resources:.
    Target rules without outputs (all) are exempt."""
    lacking = []
    for name, (file, block) in rule_blocks().items():
        if not re.search(r"^\s+output\s*:", block, re.M):
            continue
        missing = [d for d in ("benchmark", "threads", "resources", "log")
                   if not re.search(rf"^\s+{d}\s*:", block, re.M)]
        if missing:
            lacking.append(f"{file}: rule {name} lacks {', '.join(missing)}")
    assert len(rule_blocks()) >= 3
    assert not lacking, "\n".join(lacking)


def test_profiles_are_valid_yaml_for_the_plugins():
    local = yaml.safe_load((ROOT / "workflow/profiles/local-cluster/config.yaml").read_text(encoding="utf-8"))
    assert local["executor"] == "cluster-generic" and local["cluster-generic-submit-cmd"]
    assert "{" not in local["cluster-generic-submit-cmd"]       # Snakemake formats it with job properties
    slurm = yaml.safe_load((ROOT / "workflow/profiles/slurm/config.yaml").read_text(encoding="utf-8"))
    assert slurm["executor"] == "slurm" and slurm["default-resources"]["runtime"] > 0


def outputs(project: Path) -> dict[str, pd.DataFrame]:
    """The result tables of a run (CSV, as text), by path; logs and benchmarks differ between runs by nature."""
    res = project / "results"
    return {str(p.relative_to(res)): pd.read_csv(p, dtype=str, keep_default_na=False)
            for p in sorted(res.rglob("*.csv")) if p.relative_to(res).parts[0] not in ("logs", "benchmarks")}


def same_table(x: pd.DataFrame, y: pd.DataFrame) -> bool:
    """Same columns (in any order) and the same rows in the same order, cell for cell."""
    return set(x.columns) == set(y.columns) and x.shape == y.shape and x.equals(y[list(x.columns)])


@pytest.mark.slow
def test_whole_pipeline_through_cluster_generic(tmp_path, pipeline_run):
    project = copy_project(tmp_path / "cluster")
    proc = run_snakemake(project, "--profile", "workflow/profiles/local-cluster")
    log = proc.stdout + proc.stderr
    # every job (except the target rule) was submitted as its own process
    ids = re.findall(r"Submitted job (\d+) with external jobid '(\d+)'", log)
    jobs = re.findall(r"^(?:local)?rule (\w+):", log, re.M)
    assert ids and len({pid for _, pid in ids}) == len(ids) == len([j for j in jobs if j != "all"])
    assert len(list((project / "results/logs/cluster").glob("snakejob.*.out"))) == len(ids)
    # same results as the plain run
    plain, cluster = outputs(pipeline_run), outputs(project)
    assert "paragraphs.csv" in plain
    assert sorted(cluster) == sorted(plain)
    differ = [name for name in plain if not same_table(plain[name], cluster[name])]
    assert not differ, f"outputs differ between the plain and the cluster run: {differ}"
