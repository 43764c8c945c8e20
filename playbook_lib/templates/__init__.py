"""Commented templates for new exercises, one per kind; each validates as printed.

English templates hold English text; Chinese ones (``zh/``) have Chinese comments and every text in
both ``zh`` and ``en``. For ``zh-Hant`` the comments are shown in traditional characters, while the
``zh`` text stays simplified, as content is written (traditional is derived for learners).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files

from .. import kinds

TEMPLATE_KINDS: tuple[str, ...] = tuple(kind.name for kind in kinds.all_kinds() if kind.template)


def template(kind: str, lang: str = "en") -> str:
    """The template text for an exercise kind, with comments in ``lang`` (``en``, ``zh-Hans``, ``zh-Hant``)."""
    if kind not in TEMPLATE_KINDS:
        raise ValueError(f"no template for {kind!r}; choose from {', '.join(TEMPLATE_KINDS)}")
    if not lang.startswith("zh"):
        return files(__package__).joinpath(f"{kind}.yaml").read_text(encoding="utf-8")
    text = files(__package__).joinpath("zh", f"{kind}.yaml").read_text(encoding="utf-8")
    if lang == "zh-Hant":
        from ..i18n import to_traditional

        text = "".join(_comment_in_traditional(line, to_traditional) for line in text.splitlines(keepends=True))
    return text


def _comment_in_traditional(line: str, convert: Callable[[str], str]) -> str:
    code, mark, comment = line.partition("#")
    return code + mark + convert(comment) if mark else line
