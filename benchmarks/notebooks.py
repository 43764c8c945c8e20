"""The workbook's notebooks executed headless, language by language (en, zh-Hans, zh-Hant): all notebooks of a
language against as many bare kernels that only import ipywidgets and matplotlib, measured in the same run
(target: <= 1.3 x the floor, for every language).

Both wall-clock time and CPU time (this process and the kernels it started and reaped) are reported: on a
loaded machine the wall-clock ratio swings with the neighbours' work, the CPU ratio much less.

Run: .venv/bin/python benchmarks/notebooks.py [ROUNDS]
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from playbook_lib.notebooks import LANG_FOLDERS, folder

BARE = "import ipywidgets\nimport matplotlib.pyplot"
TARGET = 1.3


def clocks() -> tuple[float, float]:
    """Wall-clock seconds, and CPU seconds of this process and of its reaped children (the kernels)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def since(start: tuple[float, float]) -> tuple[float, float]:
    now = clocks()
    return now[0] - start[0], now[1] - start[1]


def execute(nb: nbformat.NotebookNode, cwd: Path) -> None:
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()


def run_workbook(paths: list[Path]) -> tuple[float, float]:
    """Every notebook in ``paths``, each in its own kernel started in its own folder (as Jupyter does)."""
    start = clocks()
    for path in paths:
        execute(nbformat.read(path, as_version=4), path.parent)
    return since(start)


def run_floor(count: int, cwd: Path) -> tuple[float, float]:
    """As many bare kernels as notebooks, each importing only what any widget-and-chart notebook needs."""
    start = clocks()
    for _ in range(count):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(BARE)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        execute(nb, cwd)
    return since(start)


def main(rounds: int = 3) -> None:
    os.environ["PLAYBOOK_HOME"] = tempfile.mkdtemp(prefix="playbook-bench-")
    os.environ.pop("MPLBACKEND", None)
    os.environ.pop("PLAYBOOK_LANG", None)
    sets = {lang: sorted(folder(lang).glob("*.ipynb")) for lang in LANG_FOLDERS}
    ours: dict[str, list[tuple[float, float]]] = {lang: [] for lang in sets}
    floor: dict[str, list[tuple[float, float]]] = {lang: [] for lang in sets}
    load = [os.getloadavg()[0]]
    for _ in range(rounds):  # alternate so that each language and its floor meet the same machine load
        for lang, paths in sets.items():
            if paths:
                floor[lang].append(run_floor(len(paths), paths[0].parent))
                ours[lang].append(run_workbook(paths))
        load.append(os.getloadavg()[0])
    print(f"Notebooks by language against as many bare kernels (import ipywidgets, matplotlib), median of {rounds};")
    print(f"{os.cpu_count()} CPUs, load average (1 min) {min(load):.1f} to {max(load):.1f} during the run.")
    print(f"  {'language':<9} {'notebooks':>9}   {'wall: bare':>10} {'workbook':>9} {'ratio':>6}   "
          f"{'CPU: bare':>9} {'workbook':>9} {'ratio':>6}")
    worst = {"wall": 0.0, "CPU": 0.0}
    for lang, paths in sets.items():
        if not paths:
            print(f"  {lang:<9} {0:>9}   (no notebooks)")
            continue
        row = []
        for index, clock in enumerate(("wall", "CPU")):
            o = statistics.median(run[index] for run in ours[lang])
            f = statistics.median(run[index] for run in floor[lang])
            worst[clock] = max(worst[clock], o / f)
            row.append(f"{f:>8.1f} s {o:>7.1f} s {o / f:>5.2f}x")
        print(f"  {lang:<9} {len(paths):>9}   {row[0]}   {row[1]}")
    for clock, ratio in worst.items():
        print(f"  worst {clock} ratio {ratio:.2f} x (target <= {TARGET} x): {'met' if ratio <= TARGET else 'NOT met'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
