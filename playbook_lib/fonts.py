"""Fonts for chart text: a CJK font so Chinese never turns into empty boxes, applied per text.

The font comes from the ``cvttf-notosanscjk-regular`` package (Noto Sans CJK TC, which covers simplified
and traditional characters alike), registered with matplotlib's font manager on first use; fonts of
the platform (PingFang, Microsoft YaHei / JhengHei, Noto Sans CJK, WenQuanYi Micro Hei) join in when
installed. For simplified Chinese an installed simplified-Chinese font comes first, for its mainland
glyph forms. Charts pass :func:`families` as ``fontfamily`` to each text they draw (matplotlib falls
back glyph by glyph along the list); global ``rcParams`` are never changed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .i18n import is_chinese

BUNDLED_MODULE = "cvttf_NotoSansCJK_Regular"
PLATFORM_FONTS = {
    "zh-Hans": ("PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei"),
    "zh-Hant": ("PingFang TC", "Microsoft JhengHei", "Noto Sans CJK TC", "Source Han Sans TC", "PingFang SC",
                "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei"),
}


@cache
def bundled_family() -> str | None:
    """Register the packaged Noto Sans CJK font with matplotlib (once) and return its family name."""
    try:
        import importlib

        module = importlib.import_module(BUNDLED_MODULE)
    except ImportError:
        return None
    files = sorted(p for p in Path(module.__file__ or "").parent.iterdir() if p.suffix.lower() in (".otf", ".ttf", ".ttc"))
    if not files:
        return None
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(files[0]))
    return font_manager.FontProperties(fname=str(files[0])).get_name()


@cache
def _installed() -> frozenset[str]:
    from matplotlib import font_manager

    return frozenset(font.name for font in font_manager.fontManager.ttflist)


@cache
def cjk_families(lang: str = "zh-Hans") -> tuple[str, ...]:
    """The CJK font families matplotlib can use for ``lang``, best first (empty when there is none)."""
    bundled = bundled_family()
    platform = [name for name in PLATFORM_FONTS["zh-Hant" if lang == "zh-Hant" else "zh-Hans"] if name in _installed()]
    if lang == "zh-Hans":
        order = [*platform[:1], bundled, *platform[1:]]  # a simplified-Chinese font draws mainland glyph forms
    else:
        order = [bundled, *platform]
    return tuple(dict.fromkeys(name for name in order if name))


def families(lang: str) -> list[str]:
    """The ``fontfamily`` list for chart text in ``lang``: CJK first in Chinese, after the usual fonts in English
    (content may still hold a Chinese name there)."""
    import matplotlib

    usual = list(matplotlib.rcParams["font.family"])
    cjk = list(cjk_families("zh-Hant" if lang == "zh-Hant" else "zh-Hans"))
    return [*cjk, *usual] if is_chinese(lang) else [*usual, *cjk]
