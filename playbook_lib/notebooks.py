"""The workbook's notebooks in three languages.

``notebooks/`` holds the English set, ``notebooks/zh-Hans/`` the Chinese set, written natively, with
the same code cells (only the ``lang="..."`` of ``Workbook.open`` differs), and ``notebooks/zh-Hant/``
the traditional-character set, generated from the simplified one by :func:`sync_traditional` (and
checked by a test): one source, so the two scripts never drift apart.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from .errors import PlaybookError
from .i18n import to_traditional
from .resources import examples_dir, notebooks_dir

NOTEBOOK_DIR = notebooks_dir()
EXAMPLES_DIR = examples_dir()
"""The example trainer folders, found the same way from a notebook in any language's folder."""
LANG_FOLDERS = {"en": "", "zh-Hans": "zh-Hans", "zh-Hant": "zh-Hant"}
_LANG_ARG = re.compile(r'lang="(en|zh-Hans|zh-Hant)"')
_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)


def folder(lang: str, root: Path = NOTEBOOK_DIR) -> Path:
    """The folder of the notebooks in ``lang``."""
    return root / LANG_FOLDERS[lang] if LANG_FOLDERS[lang] else root


def relative_link(name: str, lang: str, from_lang: str) -> str:
    """The address of notebook ``name`` in ``lang``'s folder relative to a notebook in ``from_lang``'s folder
    (``zh-Hant/00-start-here.ipynb``, ``../00-start-here.ipynb``...), as a link in JupyterLab follows it."""
    up = "../" if LANG_FOLDERS[from_lang] else ""
    down = f"{LANG_FOLDERS[lang]}/" if LANG_FOLDERS[lang] else ""
    return f"{up}{down}{name}"


def _text(source: str | list[str]) -> str:
    return "".join(source) if isinstance(source, list) else source


def _prose_to_traditional(markdown: str) -> str:
    """Markdown in traditional characters, fenced code blocks left as written (a YAML sample stays simplified,
    the script content is written in)."""
    out, last = [], 0
    for block in _FENCE.finditer(markdown):
        out += [to_traditional(markdown[last:block.start()]), block.group()]
        last = block.end()
    return "".join([*out, to_traditional(markdown[last:])])


def traditional(notebook: dict[str, Any]) -> dict[str, Any]:
    """A simplified-Chinese notebook in traditional characters: prose converted, code pointed at zh-Hant."""
    out = json.loads(json.dumps(notebook))
    for cell in out["cells"]:
        text = _text(cell["source"])
        if cell["cell_type"] == "markdown":
            text = _prose_to_traditional(text)
        elif cell["cell_type"] == "code":
            text = _LANG_ARG.sub('lang="zh-Hant"', text)
        cell["source"] = text.splitlines(keepends=True)
    return out


def dumps(notebook: dict[str, Any]) -> str:
    """A notebook as Jupyter writes it (one-space indent, a final newline)."""
    return json.dumps(notebook, ensure_ascii=False, indent=1) + "\n"


def sync_traditional(root: Path = NOTEBOOK_DIR, write: bool = True) -> list[Path]:
    """Write ``zh-Hant/`` from ``zh-Hans/``; return the files that changed (with ``write=False``: that would)."""
    changed = []
    target_dir = folder("zh-Hant", root)
    if write:
        target_dir.mkdir(exist_ok=True)
    for source in sorted(folder("zh-Hans", root).glob("*.ipynb")):
        text = dumps(traditional(json.loads(source.read_text(encoding="utf-8"))))
        target = target_dir / source.name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            if write:
                target.write_text(text, encoding="utf-8")
            changed.append(target)
    return changed


def copy_missing(lang: str, dest: Path, source: Path = NOTEBOOK_DIR) -> list[Path]:
    """Copy the notebooks in ``lang`` from ``source`` into ``dest``, keeping every file already there (a learner's
    edits stay, a newer version's new notebooks arrive). Returns the files copied."""
    notebooks = sorted(folder(lang, source).glob("*.ipynb"))
    if not notebooks:
        raise PlaybookError(f"no notebooks in {folder(lang, source)}: the workbook's notebooks are missing from this "
                            "installation")
    dest.mkdir(parents=True, exist_ok=True)
    copied = []
    for notebook in notebooks:
        target = dest / notebook.name
        if not target.exists():
            shutil.copyfile(notebook, target)
            copied.append(target)
    return copied


def code_cells(path: Path) -> list[str]:
    """The code cells of a notebook, with the language argument left out (for comparing the sets)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [_LANG_ARG.sub('lang="…"', _text(c["source"])) for c in cells if c["cell_type"] == "code"]
