"""Opening the workbook in JupyterLab in the learner's language (standard library only, so the
set-up script can use it before anything is installed).

JupyterLab's own menus follow the learner's language through the official language packs
(``jupyterlab-language-pack-zh-cn`` and ``-zh-tw``), selected with a default-settings override in a
``labconfig`` folder put on ``JUPYTER_CONFIG_PATH`` for this launch only: the user's own settings
(if they pick another language in the Settings menu) still win. The same folder holds a
``jupyter_server_config.py`` that keeps the participant app offline when a Jupyter server renders it
(``/voila/render/...``; see :mod:`playbook_lib._offline`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

LAB_LOCALES = {"en": "en", "zh-Hans": "zh_CN", "zh-Hant": "zh_TW"}
NOTEBOOK_FOLDERS = {"en": "", "zh-Hans": "zh-Hans", "zh-Hant": "zh-Hant"}
START = "00-start-here.ipynb"


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


def lang_from_args(args: list[str]) -> tuple[str, list[str]]:
    """``--lang X`` (or ``--lang=X``) taken out of ``args``; without it, ``PLAYBOOK_LANG`` or the locale."""
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
    return (normalise_lang(chosen) if chosen else resolve_lang()), rest
