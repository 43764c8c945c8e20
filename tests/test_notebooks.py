"""Notebooks are stored clean: numbered, no outputs, a kernelspec, one-line calls, no functions, a recap and a next step.

nbval runs every notebook top to bottom (``--nbval-lax`` is in the pytest options).
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
EXPECTED = ["00-start-here", "01-mindset-barriers", "02-timing-and-signals", "03-fourteen-closing-methods",
            "04-contracts-and-collection", "05-my-progress", "06-for-trainers", "07-workshop-dashboard",
            "08-workshop-participant"]


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_the_six_section_notebooks_are_there() -> None:
    names = [p.stem for p in NOTEBOOKS]
    assert names[: len(EXPECTED)] == EXPECTED
    assert all(re.fullmatch(r"\d\d-[a-z0-9]+(-[a-z0-9]+)*", n) for n in names)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_without_outputs_and_with_a_kernelspec(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["metadata"]["kernelspec"]["name"] == "python3"
    for cell in data["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, source(cell)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_code_cells_are_one_line_calls_and_define_nothing(path: Path) -> None:
    code = [source(c) for c in cells(path) if c["cell_type"] == "code"]
    assert code[0].strip().startswith("from playbook_lib import Workbook")
    for text in code:
        tree = ast.parse(text)
        defined = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef |
                                                              ast.Lambda)]
        assert not defined, text
    for text in code[1:]:
        assert len(text.strip().splitlines()) == 1, text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_ends_with_a_recap_and_a_next_step(path: Path) -> None:
    markdown = [source(c) for c in cells(path) if c["cell_type"] == "markdown"]
    assert any(m.lstrip().startswith("## Recap") for m in markdown[-3:])
    assert markdown[-1].lstrip().startswith("## Next")
