"""All workbook notebooks executed headless, against as many bare kernels that only import
ipywidgets and matplotlib, measured in the same run (target: <= 1.3 x the floor).

Run: .venv/bin/python benchmarks/notebooks.py
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
BARE = "import ipywidgets\nimport matplotlib.pyplot"


def execute(nb: nbformat.NotebookNode, cwd: Path) -> None:
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()


def run_workbook() -> float:
    start = time.perf_counter()
    for path in NOTEBOOKS:
        execute(nbformat.read(path, as_version=4), path.parent)
    return time.perf_counter() - start


def run_floor() -> float:
    start = time.perf_counter()
    for _ in NOTEBOOKS:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(BARE)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        execute(nb, ROOT / "notebooks")
    return time.perf_counter() - start


def main(rounds: int = 3) -> None:
    os.environ["PLAYBOOK_HOME"] = tempfile.mkdtemp(prefix="playbook-bench-")
    os.environ.pop("MPLBACKEND", None)
    ours, floor = [], []
    for _ in range(rounds):  # alternate so both meet the same machine load
        floor.append(run_floor())
        ours.append(run_workbook())
    o, f = statistics.median(ours), statistics.median(floor)
    print(f"{len(NOTEBOOKS)} notebooks, median of {rounds}:")
    print(f"  bare kernels (import ipywidgets, matplotlib): {f:.2f} s")
    print(f"  the workbook's notebooks:                      {o:.2f} s")
    print(f"  ratio {o / f:.2f} x (target <= 1.3 x)")


if __name__ == "__main__":
    main()
