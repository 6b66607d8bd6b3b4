"""The notebook runs top to bottom, twice in one kernel, and shows its timeline, matrix and diffs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "notebooks" / "landmine-policy-1996-2025.ipynb"


def _outputs(cell) -> str:
    texts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            pytest.fail(f"{out['ename']}: {out['evalue']}")
        texts.append(out.get("text", ""))
        texts += [str(v) for v in out.get("data", {}).values()]
    return "\n".join(texts)


@pytest.mark.slow
def test_notebook_runs_twice_in_one_kernel():
    """Every cell runs without error, then every cell again in the same kernel, with the same outputs."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    runs = []
    with client.setup_kernel():
        for _ in range(2):
            outputs = []
            for index, cell in enumerate(nb.cells):
                if cell.cell_type == "code":
                    client.execute_cell(cell, index)
                    outputs.append(_outputs(cell))
            runs.append(outputs)
    assert runs[0] == runs[1]
    text = "\n".join(runs[0])
    assert "<svg" in text and "<rect" in text
    assert "B22-2.destruction" in text and "<table>" in text
    assert "('trump-2020', 'biden-2022', 'incomparable'" in text
    assert "FALSE: under the 2020 policy" in text
