"""The participant app with nothing fetched from outside the machine that serves it.

Voilà's lab template links Font Awesome from a public CDN; the workbook's own Voilà template
(``share/voila/templates/playbook``) is that template without the links (Voilà's own scripts already
bundle Font Awesome and its fonts). Voilà finds a template on ``JUPYTER_PATH``, so the server is started
with the template's folder first on it.

Inside a Jupyter server (``/voila/render/...``: the class hub's participant app) Voilà also points MathJax
at a CDN unless both ``mathjax_url`` and ``mathjax_config`` are set to nothing; then it uses the MathJax its
own scripts bundle. :func:`configure_server` does both; the ``jupyter_server_config.py`` that
:func:`playbook_lib.lab.write_lab_config` writes next to the language settings calls it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from traitlets.config import LazyConfigValue

from .resources import share_dir

VOILA_TEMPLATE = "playbook"
SHARE = share_dir()


def voila_options() -> list[str]:
    """Voilà's command-line options for the offline template."""
    return [f"--template={VOILA_TEMPLATE}"]


def voila_environ(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """``env`` (default: this process's) with the template's folder first on ``JUPYTER_PATH``."""
    env = dict(os.environ if env is None else env)
    paths = [str(SHARE), *filter(None, env.get("JUPYTER_PATH", "").split(os.pathsep))]
    env["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    return env


def configure_server(c: Any) -> None:
    """Jupyter Server's configuration ``c``: its Voilà extension uses the offline template and the bundled MathJax."""
    os.environ.update(voila_environ())  # read by Voilà when it looks for templates, after the config is loaded
    c.VoilaConfiguration.template = VOILA_TEMPLATE
    # A plain dict, not ``.update()``: an update leaves a lazy value that JupyterHub's single-user extension
    # cannot read (``'log_function' in ...`` raises TypeError and the server never starts).
    settings = c.ServerApp.get("tornado_settings", {})
    if isinstance(settings, LazyConfigValue):
        settings = settings.get_value({})
    c.ServerApp.tornado_settings = {**settings, "mathjax_url": None, "mathjax_config": None}
