"""Shared fixtures: the embedded corpus, and one end-to-end pipeline run in a scratch copy."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
LEXICON = ROOT / "workflow" / "resources" / "verbs.yaml"      # verb lexicon
SCALES = ROOT / "workflow" / "resources" / "strength.yaml"     # verb strength scales
CORPUS = {"A/RES/68/276": ("A_RES_68_276.zh.txt", "zh"),
          "A/RES/72/284": ("A_RES_72_284.en.txt", "en"),
          "A/RES/75/291": ("A_RES_75_291.en.txt", "en")}


def copy_project(dest: Path) -> Path:
    """A scratch copy of the workflow and data that a test may run or break."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "Snakefile", dest / "Snakefile")
    shutil.copytree(ROOT / "workflow", dest / "workflow", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data", dest / "data")
    shutil.copytree(ROOT / "profiles", dest / "profiles", symlinks=True)   # the default profile (a link)
    return dest


def run_snakemake(workdir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    # the default profile hides each job's rule block; dry runs and cluster runs show it (tests read the job plan)
    shown = ("--quiet=host",) if {"-n", "--dry-run", "--profile"} & set(args) else ()   # "=": takes no target
    cmd = [sys.executable, "-m", "snakemake", "--cores", "2", *shown, *args]
    proc = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, timeout=900)
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}")
    return proc


@pytest.fixture(scope="session")
def raw_texts() -> dict[str, tuple[str, str]]:
    """{symbol: (text, lang)} of the embedded corpus."""
    return {sym: ((RAW / f).read_text(encoding="utf-8"), lang) for sym, (f, lang) in CORPUS.items()}


@pytest.fixture(scope="session")
def pipeline_run(tmp_path_factory) -> Path:
    """The main job run once on a scratch copy of the project; returns its directory."""
    work = copy_project(tmp_path_factory.mktemp("pipeline"))
    proc = run_snakemake(work)
    (work / "snakemake.stdout").write_text(proc.stdout + proc.stderr, encoding="utf-8")
    return work
