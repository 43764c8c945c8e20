"""The playbook command, run in-process with click's CliRunner."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbook_lib import Workbook
from playbook_lib.cli import cli
from playbook_lib.content import Catalog
from playbook_lib.store import Store

ROOT = Path(__file__).resolve().parent.parent
HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def no_language_set(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No PLAYBOOK_LANG, and an English system locale: a test sets what it needs."""
    monkeypatch.delenv("PLAYBOOK_LANG", raising=False)
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    return monkeypatch


def _remember_language(home: Path, learner: str, lang: str) -> None:
    """A record in ``home`` where ``learner`` picked ``lang`` (as in 00-start-here)."""
    wb = Workbook.open(home=home, learner=learner)
    wb.set_language(lang)
    wb.close()


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
    languages = data["languages"]  # every learner-facing text field has both languages, and traditional text
    assert set(languages) == {"fields", "en", "zh", "both", "zh_hant"}
    assert languages["fields"] == languages["en"] == languages["zh"] == languages["both"] == languages["zh_hant"]
    assert languages["fields"] > 2500


def test_catalog_json_counts_fields_that_lack_a_language(tmp_path: Path) -> None:
    folder = tmp_path / "mine"  # a trainer's method, written in English apart from its name
    folder.mkdir()
    (folder / "methods.yaml").write_text((ROOT / "tests" / "trainer_method.yaml").read_text(), encoding="utf-8")
    shipped = json.loads(run("catalog", "--json").output)["languages"]
    mine = json.loads(run("catalog", "--json", "--content", str(folder)).output)["languages"]
    added = mine["fields"] - shipped["fields"]
    assert added > 10 and mine["en"] == shipped["en"] + added
    assert 1 <= mine["zh"] - shipped["zh"] < added
    assert mine["both"] == mine["zh"] and mine["zh_hant"] == mine["zh"]


def test_catalog_text_in_english_and_chinese(no_language_set: pytest.MonkeyPatch) -> None:
    english = run("catalog", "--lang", "en").output
    assert "Summary close  [technique.summary-close]" in english and "Closing methods (14)" in english
    assert not HAN.search(english)
    assert "exercises: single choice " in english and "Text fields: " in english
    chinese = run("catalog", "--lang", "zh-Hans").output
    assert "汇总法  [technique.summary-close]" in chinese and "促成方法（14 个）" in chinese
    assert "Summary close" not in chinese and " exercises" not in chinese and "道练习：单选题 " in chinese
    no_language_set.setenv("PLAYBOOK_LANG", "zh-Hant")
    traditional = run("catalog").output
    assert "彙總法" in traditional or "匯總法" in traditional
    assert "道練習" in traditional and "道练习" not in traditional


def test_catalog_speaks_the_remembered_language(no_language_set: pytest.MonkeyPatch, tmp_path: Path) -> None:
    home = tmp_path / "home"
    _remember_language(home, "陈静", "zh-Hans")
    assert "促成方法（14 个）" in run("catalog", "--home", str(home)).output
    assert "Closing methods (14)" in run("catalog", "--home", str(home), "--lang", "en").output


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


def _due_home(tmp_path: Path, catalog: Catalog) -> Path:
    """A record where Ada missed two exercises three days ago: both review cards are due now."""
    home = tmp_path / "due"
    then = datetime.now(UTC) - timedelta(days=3)
    wb = Workbook(catalog, Store(home / "practice.sqlite"), learner="Ada", clock=lambda: then)
    for ex in [e for e in catalog.exercises if e.kind == "single-choice"][:2]:
        wb.answer(ex.id, next(c.id for c in ex.choices if c.id != ex.answer), seconds=5)
    wb.close()
    return home


def test_review_in_english_and_chinese(no_language_set: pytest.MonkeyPatch, tmp_path: Path,
                                       catalog: Catalog) -> None:
    home = str(_due_home(tmp_path, catalog))
    english = run("review", "--home", home, "--lang", "en").output
    assert english.startswith("Ada: 2 cards due now (run `wb.review()` in 05-my-progress).")
    chinese = run("review", "--home", home, "--lang", "zh-Hans").output
    assert chinese.startswith("Ada：现在有 2 张复习卡到期（在 05-my-progress 里运行 `wb.review()` 复习）。")
    assert "card" not in chinese
    empty = str(tmp_path / "empty")
    assert run("review", "--home", empty, "--lang", "zh-Hans").output.strip().endswith("还没有复习卡。先做几道练习吧。")
    assert "no review cards yet" in run("review", "--home", empty, "--lang", "en").output
    assert "還沒有複習卡" in run("review", "--home", empty, "--lang", "zh-Hant").output


def test_review_of_cards_to_come_in_chinese(no_language_set: pytest.MonkeyPatch, tmp_path: Path) -> None:
    home = _answered_home(tmp_path)  # just answered: the card comes back later
    chinese = run("review", "--home", str(home), "--lang", "zh-Hans").output.splitlines()
    assert chinese[0] == "Ada：现在没有到期的复习卡。"
    assert re.fullmatch(r"(接下来：\d{4}-\d\d-\d\d \d+ 张(，\d{4}-\d\d-\d\d \d+ 张)*。|下一张复习卡在 \S+ 到期。)", chinese[1])
    english = run("review", "--home", str(home), "--lang", "en").output.splitlines()
    assert english[0] == "Ada: 0 cards due now." and re.match(r"(Coming up: \d+ on |Next card due on )", english[1])


def test_review_speaks_the_learners_remembered_language(no_language_set: pytest.MonkeyPatch, tmp_path: Path,
                                                        catalog: Catalog) -> None:
    home = _due_home(tmp_path, catalog)
    _remember_language(home, "Ada", "zh-Hant")
    assert run("review", "--home", str(home)).output.startswith("Ada：現在有 2 張複習卡到期")
    no_language_set.setenv("PLAYBOOK_LANG", "en")
    assert run("review", "--home", str(home)).output.startswith("Ada: 2 cards due now")


def test_validate_speaks_the_system_locale_then_the_remembered_choice(no_language_set: pytest.MonkeyPatch,
                                                                      tmp_path: Path) -> None:
    assert run("validate").output.startswith("OK: ")
    no_language_set.setenv("LC_ALL", "zh_CN.UTF-8")
    no_language_set.setenv("LANG", "zh_CN.UTF-8")
    assert run("validate").output.startswith("通过：")
    assert run("validate", "--lang", "en").output.startswith("OK: ")
    home = tmp_path / "home"  # the record the workbook keeps (PLAYBOOK_HOME)
    _remember_language(home, "陈静", "zh-Hant")
    no_language_set.setenv("LC_ALL", "en_US.UTF-8")
    assert run("validate").output.startswith("通過：")
    assert run("validate", "--home", str(tmp_path / "elsewhere")).output.startswith("OK: ")
    assert not (tmp_path / "elsewhere").exists()  # reading the choice creates no record
    bad = run("validate", "--lang", "fr")
    assert bad.exit_code == 2 and "unknown language 'fr'" in bad.output


def test_workshop_open_sets_the_rooms_language(tmp_path: Path) -> None:
    from playbook_lib.session import Session

    home = tmp_path / "room"
    opened = run("workshop", "open", "--home", str(home), "--title", "周二小组", "-n", "3", "--lang", "zh_TW")
    assert opened.exit_code == 0 and "Language of the room: 繁體中文" in opened.output
    code = opened.output.split("Code: ")[1].split()[0]
    with Session(Store(home / "practice.sqlite"), lang="en") as participant:
        participant.join(code, "Kim")
        assert participant.lang == "zh-Hant"  # the room's language wins over the participant's own
    plain = run("workshop", "open", "--home", str(home), "--title", "Any language", "-n", "3")
    assert "Language of the room" not in plain.output
    bad = run("workshop", "open", "--home", str(home), "--title", "x", "--lang", "fr")
    assert bad.exit_code == 2 and "unknown language 'fr'" in bad.output


def _start_url(args: list[str]) -> str:
    return next(a for a in args if a.startswith("--LabApp.default_url="))


def test_playbook_lab_opens_in_the_remembered_language(no_language_set: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from playbook_lib import lab

    calls: list[list[str]] = []
    no_language_set.setattr(lab.os, "execve", lambda path, args, env: calls.append(args))
    mine = tmp_path / "mine"
    CliRunner().invoke(cli, ["lab", "--dir", str(mine), "--no-browser"], catch_exceptions=False)
    assert _start_url(calls[-1]).endswith("/lab/tree/00-start-here.ipynb")  # nothing chosen yet: the locale
    _remember_language(tmp_path / "home", "陈静", "zh-Hant")  # PLAYBOOK_HOME: the learner's record
    CliRunner().invoke(cli, ["lab", "--dir", str(mine), "--no-browser"], catch_exceptions=False)
    assert _start_url(calls[-1]).endswith("/lab/tree/zh-Hant/00-start-here.ipynb")
    CliRunner().invoke(cli, ["lab", "--dir", str(mine), "--lang", "zh-Hans"], catch_exceptions=False)
    assert _start_url(calls[-1]).endswith("/lab/tree/zh-Hans/00-start-here.ipynb")


def test_run_py_lab_opens_in_the_remembered_language(no_language_set: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("run_lab", ROOT / "run.py")
    assert spec is not None and spec.loader is not None
    launcher = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(launcher)
    calls: list[list[str]] = []
    no_language_set.setattr(launcher, "ensure_venv", lambda extras: None)
    no_language_set.setattr(launcher, "ensure_cjk_font", lambda why: None, raising=False)
    no_language_set.setattr(launcher.os, "execve", lambda path, args, env: calls.append(args))
    no_language_set.setattr(launcher, "VENV", tmp_path / "venv")  # the lab settings go here, not into .venv/
    launcher.main(["lab", "--no-browser"])
    assert _start_url(calls[-1]).endswith("/lab/tree/00-start-here.ipynb")
    _remember_language(tmp_path / "home", "陈静", "zh-Hans")
    launcher.main(["lab", "--no-browser"])  # asked of the workbook's own Python, as run.py does before set-up
    assert _start_url(calls[-1]).endswith("/lab/tree/zh-Hans/00-start-here.ipynb")
    launcher.main(["lab", "--lang", "en"])
    assert _start_url(calls[-1]).endswith("/lab/tree/00-start-here.ipynb")


def test_workshop_serve_speaks_the_language_the_trainer_chose(tmp_path: Path, no_language_set, monkeypatch) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr("playbook_lib._serve.run_until_stopped", lambda args: started.append(args) or 0)
    home = tmp_path / "home"
    _remember_language(home, "Manager Liu", "zh-Hant")
    assert run("--home", str(home), "workshop", "serve", "--no-browser", "--app", "voila").exit_code == 0
    assert started[-1][3].endswith("zh-Hant/08-workshop-participant.ipynb")
    assert run("--home", str(home), "workshop", "serve", "--no-browser", "--app", "voila", "--lang", "en").exit_code == 0
    assert started[-1][3].endswith("notebooks/08-workshop-participant.ipynb")
