"""The keep-alive notebook runs from top to bottom (nbclient, a real kernel)
and draws its figures; its committed copy holds no outputs."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient


def test_the_keep_alive_notebook_runs_and_draws(root: Path) -> None:
    path = root / "examples" / "notebooks" / "keep_alive.ipynb"
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "outputs are not committed"
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    # Raises CellExecutionError, with the cell and its traceback, on any error.
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 2, "the trade-off figure and the run over time"
    tables = "".join(o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "cold_start_ratio" in tables
    assert "mean cold" in tables and "ci95 memory" in tables
    assert "<sls.Result: invocations" in tables
