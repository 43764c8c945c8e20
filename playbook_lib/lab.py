"""Opening the workbook in JupyterLab in the learner's language (standard library only, so the
set-up script can use it before anything is installed).

JupyterLab's own menus follow the learner's language through the official language packs
(``jupyterlab-language-pack-zh-cn`` and ``-zh-tw``), selected with a default-settings override in a
``labconfig`` folder put on ``JUPYTER_CONFIG_PATH`` for this launch only: the user's own settings
(if they pick another language in the Settings menu) still win. The same folder holds a
``jupyter_server_config.py`` that keeps the participant app offline when a Jupyter server renders it
(``/voila/render/...``; see :mod:`playbook_lib._offline`).

``playbook lab`` (an installed package) first copies the notebooks in the learner's language into a folder
of the learner's own, default ``~/closing-playbook`` (laid out as in the package: English at the top,
``zh-Hans/`` and ``zh-Hant/`` below), adding only the notebooks not there yet, so a learner's edits are never
overwritten and nothing is written into the installed package; ``python3 run.py lab`` (a checkout) opens the
repository's ``notebooks/`` itself.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

LAB_LOCALES = {"en": "en", "zh-Hans": "zh_CN", "zh-Hant": "zh_TW"}
NOTEBOOK_FOLDERS = {"en": "", "zh-Hans": "zh-Hans", "zh-Hant": "zh-Hant"}
START = "00-start-here.ipynb"
DEFAULT_FOLDER = Path("~") / "closing-playbook"
"""Where ``playbook lab`` puts the learner's copy of the notebooks unless told otherwise."""
CONFIG_FOLDER = ".closing-playbook"
"""The folder, inside the learner's folder, for JupyterLab's language settings (hidden in JupyterLab)."""


def lab_locale_overrides(lang: str) -> dict[str, dict[str, str]]:
    """The default-settings override that makes JupyterLab's menus speak ``lang``."""
    return {"@jupyterlab/translation-extension:plugin": {"locale": LAB_LOCALES[lang]}}


SERVER_CONFIG = """# Written by Closing Playbook: Voila inside this Jupyter server (the participant app at /voila/render/...)
# loads nothing from the internet (no Font Awesome or MathJax from a CDN). See playbook_lib/_offline.py.
try:
    from playbook_lib._offline import configure_server
except ImportError:  # the workbook is not installed in this server's Python
    pass
else:
    configure_server(c)  # c: the configuration Jupyter gives this file
"""


def write_lab_config(folder: Path, lang: str) -> Path:
    """Write ``folder/labconfig/default_setting_overrides.json`` for ``lang`` and ``folder/jupyter_server_config.py``
    (the participant app offline); return ``folder``."""
    target = folder / "labconfig"
    target.mkdir(parents=True, exist_ok=True)
    (target / "default_setting_overrides.json").write_text(json.dumps(lab_locale_overrides(lang), indent=1))
    (folder / "jupyter_server_config.py").write_text(SERVER_CONFIG)
    return folder


def lab_env(config_folder: Path, lang: str, env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a JupyterLab in ``lang``: the labconfig folder first on ``JUPYTER_CONFIG_PATH``."""
    env = dict(os.environ if env is None else env)
    write_lab_config(config_folder, lang)
    paths = [str(config_folder), *filter(None, env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep))]
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    env["PLAYBOOK_LANG"] = lang
    return env


def start_page(lang: str) -> str:
    """The notebook the workbook opens on, relative to the notebooks folder."""
    folder = NOTEBOOK_FOLDERS[lang]
    return f"{folder}/{START}" if folder else START


_ASK_RECORD = "from playbook_lib.lab import remembered_lang; print(remembered_lang() or '')"


def remembered_lang(python: Path | str | None = None) -> str | None:
    """The language the learner chose before (in ``00-start-here``), from their practice record in the home folder
    (``PLAYBOOK_HOME`` or the per-user data folder); ``None`` when there is none.

    ``python``: a Python that has the workbook's packages, asked in its own process by a caller that may not
    have them (``run.py`` before the set-up's packages are importable in its own Python).
    """
    if python is None:
        from .session import lang_in_record

        return lang_in_record()
    import subprocess

    try:
        result = subprocess.run([str(python), "-c", _ASK_RECORD], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return (result.stdout.strip() or None) if result.returncode == 0 else None


def lang_from_args(args: list[str], remembered: Callable[[], str | None] | None = None) -> tuple[str, list[str]]:
    """``--lang X`` (or ``--lang=X``) taken out of ``args``; without it, ``PLAYBOOK_LANG``, the language the learner
    chose before (``remembered()``, asked only then) or the locale."""
    from .i18n import normalise_lang, resolve_lang

    rest, chosen = [], None
    items = iter(args)
    for arg in items:
        if arg == "--lang":
            chosen = next(items, None)
        elif arg.startswith("--lang="):
            chosen = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    if chosen:
        return normalise_lang(chosen), rest
    return resolve_lang(None, remembered), rest


def copy_notebooks(dest: Path, lang: str, source: Path | None = None) -> list[Path]:
    """Copy the notebooks in ``lang`` into ``dest`` (into ``dest/zh-Hans`` for zh-Hans, as in the package).

    Notebooks already in ``dest`` are kept as the learner left them; only missing ones are copied (a newer
    version's new notebooks arrive, edits stay). Returns the notebooks copied.
    """
    if source is None:
        from .resources import notebooks_dir

        source = notebooks_dir()
    from .notebooks import copy_missing

    return copy_missing(lang, dest / NOTEBOOK_FOLDERS[lang], source)


def lab_args(launcher: Sequence[str], root: Path, lang: str, extra: Sequence[str] = ()) -> list[str]:
    """The command that starts JupyterLab on ``root`` at the start notebook in ``lang``; ``extra`` goes to JupyterLab.

    ``launcher`` is how JupyterLab is started (``[".venv/bin/jupyter", "lab"]`` or ``[python, "-m", "jupyterlab"]``).
    """
    args = [*launcher, f"--ServerApp.root_dir={root}", f"--LabApp.default_url=/lab/tree/{start_page(lang)}", *extra]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in extra:
        args.append("--allow-root")
    return args


def start_lab(args: Sequence[str], env: dict[str, str]) -> int:
    """Run JupyterLab in place of this process (POSIX), or as a child whose exit status is returned (Windows)."""
    if os.name == "nt":
        import subprocess

        return subprocess.call(list(args), env=env)
    os.execve(args[0], list(args), env)
    return 0  # only reached when os.execve is replaced (tests)
