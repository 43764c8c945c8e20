"""The package carries what it needs: a wheel built from this repository holds the content, the notebooks, the
example trainer folders and the Voilà template, and, installed into a fresh environment, validates its content,
records an answer and opens the workbook from a folder outside the repository. It also runs from the wheel as a
zip file.

Building and installing takes about half a minute (marked ``slow``), and needs no network: the wheel is built
with this environment's setuptools (pip's isolated build, which fetches setuptools, only when that one is too
old), and the fresh environment installs only the wheel (``--no-deps --no-index``), borrowing its dependencies
from this environment through a ``.pth`` line.
"""

from __future__ import annotations

import email
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

from playbook_lib import resources

ROOT = Path(__file__).resolve().parent.parent
NOT_SOURCES = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
                                     ".ruff_cache", ".ipynb_checkpoints", "node_modules", "artifacts", "benchmarks")
ANSWER = ("ex.method.summary-close-match", "technique.summary-close")  # the README's example: a right answer


def _shipped(folder: Path) -> set[str]:
    """The files of a top-level folder that the wheel must carry (relative, with /)."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_file() and not {"__pycache__", ".ipynb_checkpoints"} & set(p.parts)}


# --- fast: the lookup itself -----------------------------------------------------------------------------


def test_a_checkout_reads_the_top_level_folders() -> None:
    assert resources.data_dir() == ROOT / "data"
    assert resources.notebooks_dir() == ROOT / "notebooks"
    assert resources.examples_dir() == ROOT / "docs" / "examples"
    assert (resources.share_dir() / "voila" / "templates" / "playbook" / "index.html.j2").is_file()


def test_every_module_finds_the_folders_through_resources() -> None:
    """No module looks for data/ or notebooks/ next to itself: that breaks as soon as the package is installed."""
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "playbook_lib").rglob("*.py")
                 if p.name != "resources.py" and ".parent.parent" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_a_folder_in_a_zip_is_copied_out_once(tmp_path: Path) -> None:
    archive = tmp_path / "pkg.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("pkg/_data/meta.yaml", "a: 1\n")
        z.writestr("pkg/_data/i18n/ui/en.yaml", "b: 2\n")
    source = zipfile.Path(archive, "pkg/_data/")
    first = resources.unpacked(source, "_data", tmp_path / "cache")
    assert (first / "meta.yaml").read_text() == "a: 1\n" and (first / "i18n" / "ui" / "en.yaml").is_file()
    assert resources.unpacked(source, "_data", tmp_path / "cache") == first
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [first.name]  # no half-written copies left
    with zipfile.ZipFile(archive, "a") as z:
        z.writestr("pkg/_data/more.yaml", "c: 3\n")
    assert resources.unpacked(zipfile.Path(archive, "pkg/_data/"), "_data", tmp_path / "cache") != first


# --- slow: build, install, use ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built with pip from a copy of the sources (the build leaves nothing in the repository)."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "src"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check",
                    *_build_isolation(), "-w", str(base / "dist"), str(source)], check=True, cwd=base)
    (found,) = (base / "dist").glob("closing_playbook-*.whl")
    return found


def _build_isolation() -> list[str]:
    """Build with this environment's setuptools when it meets ``build-system.requires`` (the test extra installs
    it): offline, and 20 s faster than pip's isolated build, which installs setuptools afresh."""
    from importlib.metadata import PackageNotFoundError, version

    from packaging.requirements import Requirement

    for line in tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]:
        required = Requirement(line)
        try:
            if not required.specifier.contains(version(required.name)):
                return []
        except PackageNotFoundError:
            return []
    return ["--no-build-isolation"]


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed (its dependencies borrowed from this one)."""
    env = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False, symlinks=os.name != "nt").create(env)
    python = _python(env)
    purelib = _site(env)
    ours = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (purelib / "zz-borrowed-dependencies.pth").write_text("\n".join(ours) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "--quiet",
                    "--disable-pip-version-check", str(wheel)], check=True)
    return env


def _python(env: Path) -> Path:
    return env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _site(env: Path) -> Path:
    """The environment's site-packages."""
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return Path(subprocess.run([str(_python(env)), "-c", code], capture_output=True, text=True, check=True).stdout.strip())


def _run(args: list[str | Path], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("PLAYBOOK_", "PYTHON", "VIRTUAL_ENV"))}
    environ.update(HOME=str(cwd / "home"), PLAYBOOK_HOME=str(cwd / "record"), **env)
    return subprocess.run([str(a) for a in args], cwd=cwd, env=environ, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_the_wheel_carries_content_notebooks_examples_and_template(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        meta = email.message_from_bytes(z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))))
    top = {n.split("/", 1)[0] for n in names}
    assert top == {"playbook_lib", "-".join(wheel.name.split("-")[:2]) + ".dist-info"}  # no top-level data/
    for packaged, folder in (("_data", ROOT / "data"), ("_notebooks", ROOT / "notebooks"),
                             ("_examples", ROOT / "docs" / "examples"), ("share", ROOT / "playbook_lib" / "share")):
        missing = {f"playbook_lib/{packaged}/{f}" for f in _shipped(folder)} - names
        assert not missing, f"not in the wheel: {sorted(missing)}"
    packages = {str(p.parent.relative_to(ROOT).as_posix()) for p in (ROOT / "playbook_lib").rglob("__init__.py")}
    assert {f"{p}/__init__.py" for p in packages} <= names, "a package is missing from pyproject.toml's list"
    templates = {f"playbook_lib/templates/{f}" for f in _shipped(ROOT / "playbook_lib" / "templates")
                 if f.endswith(".yaml")}
    assert templates <= names and "playbook_lib/py.typed" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert meta["License-Expression"] == "MIT" and meta["Requires-Python"] == ">=3.11"
    assert "Typing :: Typed" in meta.get_all("Classifier") and "Framework :: Jupyter" in meta.get_all("Classifier")


@pytest.mark.slow
def test_the_installed_wheel_validates_answers_and_opens_the_workbook(installed: Path, tmp_path: Path) -> None:
    bin_dir = _python(installed).parent
    playbook = bin_dir / ("playbook.exe" if os.name == "nt" else "playbook")
    site = _site(installed)
    before = _package_files(site)

    code = ("import playbook_lib, playbook_lib.resources as r; from playbook_lib import Workbook; "
            "print(playbook_lib.__file__, r.data_dir(), r.notebooks_dir(), r.share_dir()); "
            f"print(Workbook.open(learner='Ada').answer{ANSWER!r}.verdict)")
    answered = _run([_python(installed), "-c", code], tmp_path)
    assert answered.returncode == 0, answered.stdout + answered.stderr
    *paths, verdict = answered.stdout.split()
    assert all(Path(p).is_relative_to(site) for p in paths) and verdict == "right", answered.stdout
    assert (tmp_path / "record" / "practice.sqlite").stat().st_size > 0  # the answer was recorded

    validated = _run([playbook, "validate"], tmp_path)
    assert validated.returncode == 0 and "OK" in validated.stdout, validated.stdout + validated.stderr

    helped = _run([playbook, "lab", "--help"], tmp_path)
    assert helped.returncode == 0 and "--dir" in helped.stdout, helped.stdout + helped.stderr

    # `playbook lab` copies the notebooks into the learner's folder, keeping the one the learner has edited,
    # then starts JupyterLab (with --version, which stops at once)
    mine = tmp_path / "my workbook"
    start = mine / "zh-Hans" / "00-start-here.ipynb"
    start.parent.mkdir(parents=True)
    start.write_text("my own notes\n", encoding="utf-8")
    opened = _run([playbook, "lab", "--dir", mine, "--lang", "zh-Hans", "--version"], tmp_path)
    assert opened.returncode == 0, opened.stdout + opened.stderr
    shipped = sorted(p.name for p in (resources.notebooks_dir() / "zh-Hans").glob("*.ipynb"))
    assert sorted(p.name for p in start.parent.glob("*.ipynb")) == shipped
    assert start.read_text(encoding="utf-8") == "my own notes\n" and f"{len(shipped) - 1} notebook(s)" in opened.stdout
    assert (mine / ".closing-playbook" / "zh-Hans" / "labconfig").is_dir() and not (mine / "00-start-here.ipynb").exists()
    assert _package_files(site) == before, "playbook lab wrote into the installed package"
    assert not (tmp_path / "home" / "closing-playbook").exists()


def _package_files(site: Path) -> set[str]:
    return {str(p.relative_to(site)) for p in (site / "playbook_lib").rglob("*") if "__pycache__" not in p.parts}


@pytest.mark.slow
def test_the_wheel_runs_as_a_zip_file(wheel: Path, tmp_path: Path) -> None:
    """Imported straight from the wheel file, the content is copied out once and the workbook works."""
    code = ("import playbook_lib, playbook_lib.resources as r; from playbook_lib import Workbook; "
            "assert '.whl' in playbook_lib.__file__, playbook_lib.__file__; print(r.data_dir()); "
            f"print(Workbook.open(learner='Ada').answer{ANSWER!r}.verdict)")
    ran = _run([sys.executable, "-c", code], tmp_path, PYTHONPATH=str(wheel))
    assert ran.returncode == 0, ran.stdout + ran.stderr
    data, verdict = ran.stdout.split()
    assert verdict == "right" and Path(data).is_relative_to(tmp_path / "record") and (Path(data) / "playbook.yaml").is_file()
