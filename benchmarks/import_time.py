"""`import playbook_lib` against `import pydantic, yaml`, in fresh interpreters (target <= 1.5x).

Run: .venv/bin/python benchmarks/import_time.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

CASES = {
    "import pydantic, yaml": "import pydantic, yaml",
    "import playbook_lib": "import playbook_lib",
    "import playbook_lib + the Workbook class": "import playbook_lib; playbook_lib.Workbook",
    "import playbook_lib + load the catalogue": "import playbook_lib; playbook_lib.load_catalog()",
    "import ipywidgets (for scale)": "import ipywidgets",
}


def time_it(code: str, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    base_empty = time_it("pass")
    results = {name: time_it(code) - base_empty for name, code in CASES.items()}
    floor = results["import pydantic, yaml"]
    print(f"(bare interpreter start, subtracted: {base_empty * 1000:.0f} ms)")
    for name, seconds in results.items():
        print(f"  {name:<42} {seconds * 1000:6.0f} ms   {seconds / floor:4.2f} x pydantic+yaml")
    print("target: import playbook_lib <= 1.5 x import pydantic, yaml")


if __name__ == "__main__":
    main()
