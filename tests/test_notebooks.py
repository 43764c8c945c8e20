"""Notebooks are stored clean, in three languages: numbered, no outputs, a kernelspec, one-line calls, no
functions, a recap and a next step; the same files and the same code in every language; traditional
generated from simplified; each language's prose in its own language.

nbval runs every notebook of every language top to bottom (``--nbval-lax`` is in the pytest options, and
``notebooks`` with its language folders is in ``testpaths``).
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from playbook_lib.content import content_paths, load_catalog
from playbook_lib.i18n import to_traditional
from playbook_lib.lint import LATIN_IN_ZH, _avoid, _traditional_chars
from playbook_lib.notebooks import EXAMPLES_DIR, NOTEBOOK_DIR, code_cells, dumps, folder, traditional

LANGS = ("en", "zh-Hans", "zh-Hant")
NOTEBOOKS = {lang: sorted(folder(lang).glob("*.ipynb")) for lang in LANGS}
ALL = [(lang, path) for lang in LANGS for path in NOTEBOOKS[lang]]
EXPECTED = ["00-start-here", "01-mindset-barriers", "02-timing-and-signals", "03-fourteen-closing-methods",
            "04-contracts-and-collection", "05-my-progress", "06-for-trainers", "07-workshop-dashboard",
            "08-workshop-participant", "09-coach-my-call", "10-play-a-call"]
HEADINGS = {"en": ("## Recap", "## Next"), "zh-Hans": ("## 小结", "## 下一步"),
            "zh-Hant": (to_traditional("## 小结"), to_traditional("## 下一步"))}
SYNC = "playbook notebooks --sync"
# Names of tools and formats that Chinese prose writes as they are, besides the glossary's Latin words.
NAMES_IN_ZH = frozenset({"Closing", "Playbook", "Jupyter", "JupyterLab", "JupyterHub", "Voilà", "Python", "YAML",
                         "CSV", "JSON", "PostgreSQL", "SQLite", "FSRS", "Windows", "macOS", "Linux", "Chromium"})
ITEM_ID = re.compile(r"\b(?:ex|section|barrier|stage|signal|technique|moment|caution)(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_GLOSS = re.compile(r'<span lang="zh-[A-Za-z]+">.*?</span>', re.DOTALL)
_LATIN_WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'\-]*")
_NOT_PROSE = [re.compile(p, re.DOTALL | re.MULTILINE) for p in (
    r"^(```|~~~).*?^\1[ \t]*$",  # fenced code
    r"<pre>.*?</pre>",  # code written as HTML
    r"`[^`\n]+`",  # inline code: commands, ids, file names, fields
    r"\]\([^)]*\)",  # link targets
    r"https?://\S+",  # addresses
    r"<[^>\n]+>",  # HTML tags and their attributes
)]


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def markdown(path: Path) -> list[str]:
    return [source(c) for c in cells(path) if c["cell_type"] == "markdown"]


def prose(text: str) -> str:
    """Markdown without code, addresses and tags: what a reader reads as sentences."""
    for pattern in _NOT_PROSE:
        text = pattern.sub(" ", text)
    return text


def label(case: tuple[str, Path]) -> str:
    return f"{case[0]}/{case[1].stem}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_numbered_notebooks_are_there_in_every_language(lang: str) -> None:
    names = [p.stem for p in NOTEBOOKS[lang]]
    assert names[: len(EXPECTED)] == EXPECTED, f"{folder(lang)} lacks {sorted(set(EXPECTED) - set(names))}"
    assert all(re.fullmatch(r"\d\d-[a-z0-9]+(-[a-z0-9]+)*", n) for n in names)


def test_the_three_languages_have_the_same_notebooks() -> None:
    names = {lang: [p.name for p in NOTEBOOKS[lang]] for lang in LANGS}
    assert names["zh-Hans"] == names["en"], "notebooks/ and notebooks/zh-Hans/ hold different files"
    assert names["zh-Hant"] == names["zh-Hans"], f"zh-Hant differs from zh-Hans; run: {SYNC}"


@pytest.mark.slow
def test_nbval_collects_every_language_folder_with_a_throwaway_record() -> None:
    """``pytest`` (testpaths: notebooks) runs the notebooks of the language folders too, and the root conftest,
    which gives the kernels a throwaway PLAYBOOK_HOME, is loaded for them."""
    import subprocess
    import sys
    import tomllib

    root = NOTEBOOK_DIR.parent
    options = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert "notebooks" in options["testpaths"] and "--nbval-lax" in options["addopts"]
    found = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "--trace-config", "notebooks"],
                           cwd=root, capture_output=True, text=True, timeout=120).stdout
    collected = {line.split("::")[0] for line in found.splitlines() if ".ipynb::" in line}
    for lang in LANGS:
        wanted = {str(p.relative_to(root)) for p in NOTEBOOKS[lang]}
        assert wanted <= collected, f"not collected: {sorted(wanted - collected)}"
    assert f"'conftest' from '{root / 'conftest.py'}'" in found


@pytest.mark.parametrize("case", ALL, ids=label)
def test_stored_without_outputs_and_with_a_kernelspec(case: tuple[str, Path]) -> None:
    data = json.loads(case[1].read_text(encoding="utf-8"))
    assert data["metadata"]["kernelspec"]["name"] == "python3"
    for cell in data["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, source(cell)


@pytest.mark.parametrize("case", ALL, ids=label)
def test_code_cells_are_one_line_calls_and_define_nothing(case: tuple[str, Path]) -> None:
    lang, path = case
    code = [source(c) for c in cells(path) if c["cell_type"] == "code"]
    assert code[0].strip().startswith("from playbook_lib import Workbook")
    assert re.search(rf'Workbook\.open\([^)]*\blang="{lang}"', code[0]), f"the set-up cell opens the workbook in {lang}"
    for text in code:
        tree = ast.parse(text)
        defined = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef |
                                                              ast.Lambda)]
        assert not defined, text
    for text in code[1:]:
        assert len(text.strip().splitlines()) == 1, text


@pytest.mark.parametrize("case", ALL, ids=label)
def test_ends_with_a_recap_and_a_next_step(case: tuple[str, Path]) -> None:
    lang, path = case
    recap, following = HEADINGS[lang]
    texts = markdown(path)
    assert any(m.lstrip().startswith(recap) for m in texts[-3:]), f"a '{recap}' cell near the end"
    assert texts[-1].lstrip().startswith(following), f"the last markdown cell starts with '{following}'"


@pytest.mark.parametrize("name", [p.name for p in NOTEBOOKS["zh-Hans"]])
def test_code_cells_are_the_same_in_every_language(name: str) -> None:
    """Only the language of ``Workbook.open`` differs: the Chinese notebooks run what the English ones run."""
    english = folder("en") / name
    assert english.exists(), f"zh-Hans/{name} has no English notebook"
    for lang in ("zh-Hans", "zh-Hant"):
        path = folder(lang) / name
        if path.exists():  # a missing zh-Hant notebook fails the test below
            assert code_cells(path) == code_cells(english), f"{lang}/{name}: code cells differ from notebooks/{name}"


@pytest.mark.parametrize("name", [p.name for p in NOTEBOOKS["zh-Hans"]])
def test_traditional_is_generated_from_simplified(name: str) -> None:
    path = folder("zh-Hant") / name
    wanted = dumps(traditional(json.loads((folder("zh-Hans") / name).read_text(encoding="utf-8"))))
    assert path.exists() and path.read_text(encoding="utf-8") == wanted, \
        f"zh-Hant/{name} is not what zh-Hans/{name} makes; run: {SYNC}"


@pytest.mark.parametrize("path", NOTEBOOKS["en"], ids=lambda p: p.stem)
def test_english_prose_has_chinese_only_in_glosses(path: Path) -> None:
    for text in markdown(path):
        found = _CJK.search(_GLOSS.sub(" ", text))
        assert not found, f"Chinese outside a <span lang=\"zh-...\"> gloss: {text[max(0, found.start() - 40):found.end() + 20]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS["zh-Hans"], ids=lambda p: p.stem)
def test_chinese_prose_is_chinese_in_the_glossary_terms(path: Path) -> None:
    """No English sentences or stray English words (code, ids, commands, addresses and the glossary's Latin
    words aside); no word the glossary avoids; simplified characters only."""
    allowed = LATIN_IN_ZH | NAMES_IN_ZH
    for text in markdown(path):
        stray = [w for w in _LATIN_WORD.findall(prose(text)) if w not in allowed]
        assert not stray, f"English in Chinese prose: {stray[:8]} in {text[:60]!r}"
        for term, avoid in _avoid("zh"):
            assert avoid not in text, f"the glossary says '{term}', not '{avoid}': {text[:60]!r}"
        assert not _traditional_chars(prose(text)), f"traditional characters in zh-Hans: {_traditional_chars(text)}"


@pytest.fixture(scope="module")
def known_ids() -> set[str]:
    catalog = load_catalog(content_paths([EXAMPLES_DIR / "trainer-course"]))
    return set(catalog.items) | {ex.id for ex in catalog.exercises}


@pytest.mark.parametrize("case", ALL, ids=label)
def test_every_id_named_exists(case: tuple[str, Path], known_ids: set[str]) -> None:
    """Ids in code and prose are in the content (the shipped bank or the example trainer folder); a filter may
    name a group of them by the start of their ids (``about="caution.collection"``)."""
    text = "\n".join(source(c) for c in cells(case[1]))
    groups = {known.rsplit(".", n)[0] for known in known_ids for n in range(1, known.count("."))}
    unknown = sorted(set(ITEM_ID.findall(text)) - known_ids - groups)
    assert not unknown, f"unknown ids: {unknown}"


def test_traditional_converts_prose_and_keeps_code_as_written() -> None:
    """Markdown prose turns traditional, a fenced sample stays simplified (content is written so), and the
    code opens the workbook in zh-Hant."""
    sample = "写法如下：\n\n```yaml\nzh: \"发过来\"\n```\n\n这里"
    notebook = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": sample},
                          {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                           "source": 'from playbook_lib import Workbook\nwb = Workbook.open(lang="zh-Hans")'}]}
    prose_cell, code_cell = traditional(notebook)["cells"]
    assert "".join(prose_cell["source"]) == "寫法如下：\n\n```yaml\nzh: \"发过来\"\n```\n\n這裡"
    assert 'lang="zh-Hant"' in "".join(code_cell["source"])


def test_the_notebooks_command_syncs_and_checks_the_traditional_set(tmp_path: Path) -> None:
    """`playbook notebooks --check` finds a traditional notebook out of step; `--sync` writes it back; `--check` is then quiet."""
    from click.testing import CliRunner

    from playbook_lib.cli import cli

    root = tmp_path / "notebooks"
    for lang in ("zh-Hans", "zh-Hant"):
        (root / lang).mkdir(parents=True)
        for path in sorted(folder(lang).glob("*.ipynb"))[:2]:
            (root / lang / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    stale = sorted((root / "zh-Hant").glob("*.ipynb"))[1]
    stale.write_text(stale.read_text(encoding="utf-8").replace("繁", "繁繁", 1) + " ", encoding="utf-8")
    runner = CliRunner()
    checked = runner.invoke(cli, ["notebooks", "--check", "--root", str(root)])
    assert checked.exit_code == 1 and stale.name in checked.output and "--sync" in checked.output
    assert stale.read_text(encoding="utf-8").endswith(" ")  # --check writes nothing
    synced = runner.invoke(cli, ["notebooks", "--sync", "--root", str(root)])
    assert synced.exit_code == 0 and f"1 notebook(s): {stale.name}" in synced.output
    assert stale.read_text(encoding="utf-8") == (folder("zh-Hant") / stale.name).read_text(encoding="utf-8")
    assert runner.invoke(cli, ["notebooks", "--check", "--root", str(root)]).exit_code == 0
    empty = runner.invoke(cli, ["notebooks", "--root", str(tmp_path)])
    assert empty.exit_code == 2 and "zh-Hans/" in empty.output
