"""The playbook command, run in-process with click's CliRunner."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from playbook_lib import Workbook
from playbook_lib.cli import cli
from playbook_lib.content import Catalog

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_validate_shipped_data_passes() -> None:
    result = run("validate")
    assert result.exit_code == 0
    assert result.output.startswith("OK: ")


def test_validate_reports_problems_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("exercises:\n  - id: ex.bad.one\n    kind: single-choice\n")
    result = run("validate", str(bad))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "bad.yaml" in line]
    assert lines and all(line.split(":")[1].isdigit() for line in lines)
    assert any("exercises[0].title: required field is missing" in line for line in lines)
    assert "Traceback" not in result.output


def test_validate_bad_bytes_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "latin.yaml"
    bad.write_bytes("exercises:\n  - id: caf\xe9\n".encode("latin-1"))
    result = run("validate", str(bad))
    assert result.exit_code == 1
    assert "latin.yaml:2: file: bytes that are not UTF-8" in result.output


def test_catalog_json(catalog: Catalog) -> None:
    result = run("catalog", "--json")
    data = json.loads(result.output)
    assert data["exercises"] == len(catalog.exercises) >= 120
    kinds = [row["kind"] for row in data["items"]]
    assert kinds.count("technique") == 14 and kinds.count("barrier") == 3 and kinds.count("signal") == 8
    assert all(set(row) == {"id", "kind", "title", "exercises"} for row in data["items"])
    assert min(row["exercises"] for row in data["items"]) >= 2
    assert data["kinds"]["call"] >= 8 and data["kinds"]["signal-id"] >= 40
    assert sum(data["kinds"].values()) == data["exercises"] and list(data["kinds"])[-1] == "call"


def test_catalog_text() -> None:
    result = run("catalog")
    assert "Summary close 汇总法" in result.output and "exercises:" in result.output


def _answered_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    wb = Workbook.open(home=home, learner="Ada")
    ex = next(e for e in wb.catalog.exercises if e.kind == "multi-select")
    wb.answer(ex.id, list(ex.answer), seconds=5)
    wb.answer(ex.id, [ex.answer[0]], seconds=6)
    wb.close()
    return home


def test_export_csv_and_json(tmp_path: Path) -> None:
    home = _answered_home(tmp_path)
    result = run("export", "--home", str(home), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 2 and rows[0]["learner"] == "Ada"
    assert json.loads(rows[0]["answer"]) and rows[0]["score"] == "1.0"
    out = tmp_path / "a.json"
    run("export", "--home", str(home), "--format", "json", "-o", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data) == 2 and data[0]["score"] == 1.0
    assert run("export", "--home", str(home), "--learner", "Nobody", "--format", "json").output.strip() == "[]"


def test_reset_asks_and_keeps_a_backup(tmp_path: Path) -> None:
    home = _answered_home(tmp_path)
    refused = run("reset", "--home", str(home), input="n\n")
    assert refused.exit_code == 1 and "Aborted" in refused.output
    done = run("reset", "--home", str(home), input="y\n")
    assert done.exit_code == 0 and "Deleted 2 attempts" in done.output
    backup = Path(done.output.strip().split("Backup: ")[1])
    assert backup.exists()
    wb = Workbook.open(home=home)
    assert wb.attempts() == [] and wb.learner == "Ada"
    wb.close()


def test_module_entry_point_runs() -> None:
    result = subprocess.run([sys.executable, "-m", "playbook_lib", "validate"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and result.stdout.startswith("OK:")


def test_workbook_errors_exit_cleanly(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "practice.sqlite").write_bytes(b"garbage" * 100)
    result = subprocess.run([sys.executable, "-m", "playbook_lib", "export", "--home", str(home)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert "not a readable practice record" in result.stderr and "Traceback" not in result.stderr
