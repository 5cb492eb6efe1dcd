"""Notebooks: committed without outputs, and executed (with this venv's Python as kernel) on the pipeline's results."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_is_a_notebook():
    assert "explore.ipynb" in [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, \
                f"{path.name} cell {i} has outputs: clear them before committing"


def test_kernel_is_this_python():
    cmd = KernelManager(kernel_name="python3").format_kernel_cmd()
    assert Path(cmd[0]).resolve() == Path(sys.executable).resolve()


def _text(nb) -> str:
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            out.append(o.get("text", "") or o.get("data", {}).get("text/plain", ""))
    return "\n".join(out)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_on_pipeline_results(path, pipeline_run, monkeypatch):
    results = pipeline_run / "results"
    monkeypatch.setenv("GCTS_RESULTS", str(results))  # inherited by the kernel
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, kernel_name="python3", timeout=180,
                   resources={"metadata": {"path": str(pipeline_run)}}).execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    if path.name == "explore.ipynb":
        text = _text(nb)
        assert f"results directory: {results.resolve()}" in text
        paragraphs = pd.read_parquet(results / "paragraphs.parquet")
        urge = paragraphs[paragraphs["verb_id"] == "urge"]
        assert f"urge: {len(urge)} paragraphs in {urge['doc'].nunique()} documents" in text
        assert any(o.get("data", {}).get("image/png") for c in nb.cells for o in c.get("outputs", []))
