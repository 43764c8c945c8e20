"""Set-up files agree with each other, the public API is listed, and the code is ruff-clean."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

import playbook_lib

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ ;\[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _spec(requirement: str) -> str:
    """A requirement without spaces and pip extras: psycopg[binary]>=3.1 and psycopg>=3.1 are the same package."""
    return re.sub(r"\[.*?\]", "", requirement.replace(" ", ""))


def test_environment_yml_lists_the_same_dependencies_as_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["name"] == "closing-playbook" and env["channels"] == ["conda-forge"]
    listed = [d for d in env["dependencies"] if isinstance(d, str)]
    listed += [d for section in env["dependencies"] if isinstance(section, dict) for d in section.get("pip", ())]
    conda = {_name(d): _spec(d) for d in listed}
    conda.pop("python")
    conda.pop("pip")
    pip = {_name(d): _spec(d) for d in project["dependencies"] + project["optional-dependencies"]["test"]}
    assert conda == pip


def test_readme_commands_are_the_ones_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python3 run.py lab" in readme and "python3 run.py test" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python3 run.py test" in ci


def test_public_api_is_listed_and_importable() -> None:
    for name in playbook_lib.__all__:
        assert getattr(playbook_lib, name) is not None, name


def test_import_stays_cheap() -> None:
    heavy = "print(sorted(m for m in ('ipywidgets', 'matplotlib', 'nbformat') if m in sys.modules))"
    for load in ("import playbook_lib", "import playbook_lib; playbook_lib.Workbook.open()"):
        out = subprocess.run([sys.executable, "-c", f"import sys; {load}; {heavy}"], capture_output=True, text=True,
                             check=True).stdout
        assert out.strip() == "[]", load


def test_ruff_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_python_example_runs(tmp_path: Path, monkeypatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = readme.split("## From Python", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.setenv("PLAYBOOK_HOME", str(tmp_path))
    exec(compile(code, "README.md", "exec"), {})


def test_lab_command_opens_the_start_notebook(monkeypatch) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("run", ROOT / "run.py")
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    calls: list[tuple[list[str], dict[str, str]]] = []
    monkeypatch.setattr(run, "ensure_venv", lambda extras: None)
    fonts: list[str] = []
    monkeypatch.setattr(run, "ensure_cjk_font", lambda why: fonts.append(why))
    monkeypatch.setattr(run, "ensure_chromium", lambda: pytest.fail("run.py lab must not install Chromium"))
    monkeypatch.setattr(run.os, "execve", lambda path, args, env: calls.append((args, env)))
    monkeypatch.setattr(run.os, "execv", lambda path, args: pytest.fail("run.py lab must pass its environment"))
    monkeypatch.setattr(run, "VENV", ROOT / ".venv")
    run.main(["lab", "--no-browser", "--lang", "en"])
    run.main(["lab", "--no-browser", "--lang=zh_TW"])
    (args, env), (zh_args, zh_env) = calls
    assert args[1] == "lab" and "--LabApp.default_url=/lab/tree/00-start-here.ipynb" in args
    assert f"--ServerApp.root_dir={ROOT / 'notebooks'}" in args and "--no-browser" in args
    assert "--lang" not in args and env["PLAYBOOK_LANG"] == "en"
    assert "--LabApp.default_url=/lab/tree/zh-Hant/00-start-here.ipynb" in zh_args and zh_env["PLAYBOOK_LANG"] == "zh-Hant"
    overrides = Path(zh_env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0]) / "labconfig" / "default_setting_overrides.json"
    assert json.loads(overrides.read_text())["@jupyterlab/translation-extension:plugin"]["locale"] == "zh_TW"
    for folder in ("", "zh-Hans", "zh-Hant"):
        assert (ROOT / "notebooks" / folder / "00-start-here.ipynb").exists()
    assert len(fonts) == 2, "run.py lab makes sure the browser has a Chinese font"


def _load_run():
    import importlib.util

    spec = importlib.util.spec_from_file_location("run", ROOT / "run.py")
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    return run


def test_the_font_step_installs_noto_cjk_where_it_may_and_hints_elsewhere(monkeypatch, capsys) -> None:
    """One font step for `lab` and `test`: nothing when a Chinese font is there, Debian's fonts-noto-cjk as
    root on Debian, else a one-line hint."""
    run = _load_run()
    installed: list[tuple[str, ...]] = []
    monkeypatch.setattr(run, "run", lambda *args, **kwargs: installed.append(tuple(map(str, args))))
    monkeypatch.setattr(run, "has_cjk_font", lambda: True)
    run.ensure_cjk_font(why="for the test")
    assert installed == [] and capsys.readouterr().out == ""

    monkeypatch.setattr(run, "has_cjk_font", lambda: False)
    monkeypatch.setattr(run, "may_apt_install", lambda: True)
    run.ensure_cjk_font(why="for the test")
    assert installed[-1][:2] == ("apt-get", "install") and installed[-1][-1] == "fonts-noto-cjk"
    assert "fonts-noto-cjk for the test" in capsys.readouterr().out

    installed.clear()
    monkeypatch.setattr(run, "may_apt_install", lambda: False)
    run.ensure_cjk_font(why="for the test")
    out = capsys.readouterr().out
    assert installed == [] and out.count("\n") == 1 and "apt-get install fonts-noto-cjk" in out


def test_playbook_lab_copies_the_notebooks_once_and_opens_them(monkeypatch, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from playbook_lib import lab
    from playbook_lib.cli import cli

    calls: list[tuple[list[str], dict[str, str]]] = []
    monkeypatch.setattr(lab.os, "execve", lambda path, args, env: calls.append((args, env)))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    shipped = sorted(p.name for p in (ROOT / "notebooks" / "zh-Hant").glob("*.ipynb"))
    mine = tmp_path / "my folder"

    first = CliRunner().invoke(cli, ["lab", "--dir", str(mine), "--lang", "zh_TW", "--no-browser", "--port", "8890"])
    assert first.exit_code == 0, first.output
    assert sorted(p.name for p in (mine / "zh-Hant").glob("*.ipynb")) == shipped and not list(mine.glob("*.ipynb"))
    assert f"{len(shipped)} notebook(s) copied" in first.output
    (args, env), = calls
    assert args[:3] == [sys.executable, "-m", "jupyterlab"] and args[args.index("--port") + 1] == "8890"
    assert f"--ServerApp.root_dir={mine}" in args and "--no-browser" in args and "--lang" not in " ".join(args)
    assert "--LabApp.default_url=/lab/tree/zh-Hant/00-start-here.ipynb" in args and env["PLAYBOOK_LANG"] == "zh-Hant"
    config = Path(env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0])
    assert config == mine / ".closing-playbook" / "zh-Hant"
    overrides = json.loads((config / "labconfig" / "default_setting_overrides.json").read_text())
    assert overrides == lab.lab_locale_overrides("zh-Hant")

    start = mine / "zh-Hant" / "00-start-here.ipynb"
    start.write_text("my own notes\n", encoding="utf-8")
    (mine / "zh-Hant" / shipped[-1]).unlink()
    again = CliRunner().invoke(cli, ["lab", "--dir", str(mine), "--lang", "zh-Hant"])
    assert again.exit_code == 0 and "1 notebook(s) copied" in again.output, again.output
    assert start.read_text(encoding="utf-8") == "my own notes\n" and (mine / "zh-Hant" / shipped[-1]).is_file()

    default = CliRunner().invoke(cli, ["lab", "--lang", "en"])
    assert default.exit_code == 0, default.output
    assert (tmp_path / "home" / "closing-playbook" / "00-start-here.ipynb").is_file()
    assert f"--ServerApp.root_dir={tmp_path / 'home' / 'closing-playbook'}" in calls[-1][0]


def test_playbook_lab_says_when_the_folder_cannot_be_written(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from playbook_lib.cli import cli

    (tmp_path / "taken").write_text("a file, not a folder")
    result = CliRunner().invoke(cli, ["lab", "--dir", str(tmp_path / "taken" / "sub"), "--lang", "en"])
    assert result.exit_code != 0 and "cannot copy the notebooks into" in str(result.exception or result.output)
