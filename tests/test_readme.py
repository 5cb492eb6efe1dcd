"""The README answers first what this is, how to run it and what to open; it lists every target; the longer texts
it links to exist; no development history."""

from __future__ import annotations

import re

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = ["pip install uv==0.13.8 && uv run --frozen snakemake --cores 2",
            "pip install uv==0.13.8 && uv run --frozen pytest"]


def test_first_screen_says_what_how_and_where_to_look():
    first = "\n".join(README.splitlines()[:40])
    assert "Global Counter-Terrorism Strategy" in first
    assert all(c in first for c in COMMANDS)
    assert "results/report.html" in first


def test_ci_runs_the_readme_test_command():
    assert COMMANDS[1] in (ROOT / ".ci/run").read_text(encoding="utf-8")


def test_outputs_table_has_the_report():
    outputs = README[README.index("## Outputs"):]
    outputs = outputs[:outputs.index("\n## ", 1)]
    assert "| `results/report.html` |" in outputs


def test_every_user_target_is_listed():
    smk = (ROOT / "workflow/rules/targets.smk").read_text(encoding="utf-8")
    block = smk[smk.index("USER_TARGETS = {"):smk.index("}", smk.index("USER_TARGETS = {"))]
    targets = re.findall(r'^\s+"(\w+)":', block, re.M)
    assert {"all", "fetch", "inbox", "report"} <= set(targets)
    section = README[README.index("## Targets"):]
    for t in targets:
        assert f"| `{t}` |" in section, t


def test_linked_documents_exist():
    for link in re.findall(r"\]\(([^)#]+)\)", README):
        if not link.startswith("http"):
            assert (ROOT / link).is_file(), link
    for doc in ("methods", "benchmarks", "robustness"):
        assert f"docs/{doc}.md" in README


def test_no_development_history():
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        for phrase in ("this round", "before this round", "issue 2", "issue 4", "round before"):
            assert phrase not in text.lower(), (path.name, phrase)
