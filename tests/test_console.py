"""What a user sees in the console: the default profile (no flags needed), a short end message that names the
report, a short answer for an unknown target."""

from __future__ import annotations

import subprocess
import sys

import yaml

from .conftest import ROOT


def snakemake(workdir, *args):
    return subprocess.run([sys.executable, "-m", "snakemake", *args], cwd=workdir, capture_output=True, text=True,
                          timeout=600)


def end_message(output: str) -> list[str]:
    """The lines printed by onsuccess: after the last progress line, before Snakemake's closing lines."""
    lines = output.splitlines()
    last = max(i for i, line in enumerate(lines) if "steps (100%) done" in line)
    return [line for line in lines[last + 1:] if not line.startswith(("Complete log", "Elapsed time"))]


def test_default_profile_sets_cores_and_quiet_output():
    profile = yaml.safe_load((ROOT / "workflow/profiles/default/config.yaml").read_text(encoding="utf-8"))
    assert profile["cores"] >= 1 and "rules" in profile["quiet"]
    # Snakemake looks for profiles/default next to the Snakefile: the link points to workflow/profiles/default
    assert (ROOT / "profiles/default").resolve() == (ROOT / "workflow/profiles/default").resolve()


def test_plain_snakemake_runs_without_flags(pipeline_run):
    proc = snakemake(pipeline_run)   # no --cores: from the default profile
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "profiles/default" in proc.stderr
    assert "Nothing to be done" in proc.stderr


def test_end_message_names_the_report_and_summarises_what_is_missing(pipeline_run):
    output = (pipeline_run / "snakemake.stdout").read_text(encoding="utf-8")
    message = end_message(output)
    assert 1 <= len(message) <= 5, message
    assert "results/report.html" in message[0]
    missing = [line for line in message if "not available locally" in line]
    assert len(missing) == 1 and "results/missing.txt" in missing[0]
    listing = (pipeline_run / "results/missing.txt").read_text(encoding="utf-8")
    assert listing.count("https://") == int(missing[0].split()[0])   # "15 of 18 documents ..."


def test_quiet_run_prints_no_job_blocks(pipeline_run):
    output = (pipeline_run / "snakemake.stdout").read_text(encoding="utf-8")
    assert "    input: " not in output and "    output: " not in output   # no per-job rule blocks
    assert len(output.splitlines()) < 200, len(output.splitlines())   # 347 lines with every job's block


def test_unknown_target_gets_a_short_answer(pipeline_run):
    proc = snakemake(pipeline_run, "figurs")
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "figurs: not a target of this workflow" in out
    assert all(t in out for t in ("all", "report", "fetch", "inbox"))
    assert len(out.splitlines()) <= 12, out


def test_named_targets_exist(pipeline_run):
    proc = snakemake(pipeline_run, "-n", "report", "fetch", "inbox", "figures", "paragraphs", "all")
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_no_dependence_on_snakemake_internals():
    for path in (ROOT / "Snakefile", ROOT / "workflow/rules/common.smk"):
        assert "threading" not in path.read_text(encoding="utf-8"), path
