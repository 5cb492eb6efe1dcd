"""Fonts for figures: Chinese glyphs from the Noto Sans CJK SC file shipped by the `mplfonts` package (OFL).

The font file is a pinned dependency (pyproject.toml, workflow/envs/gcts.yaml), so figures render the same on
every machine; no system font is used. Latin text keeps matplotlib's DejaVu Sans, Chinese falls back to Noto.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

import matplotlib

CJK_FILE = "NotoSansCJKsc-Regular.otf"
CJK_FAMILY = "Noto Sans CJK SC"
FAMILIES = ["DejaVu Sans", CJK_FAMILY]  # matplotlib falls back glyph by glyph along this list


def cjk_font_path() -> Path:
    """Path of mplfonts' NotoSansCJKsc-Regular.otf (found without importing mplfonts)."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("package mplfonts is not installed; it provides the Chinese font (run `uv sync`)")
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / CJK_FILE
    if not path.is_file():
        raise RuntimeError(f"{path}: font file missing from the mplfonts package")
    return path


@lru_cache(maxsize=None)
def _register() -> str:
    from matplotlib import font_manager

    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def setup() -> None:
    """Register the CJK font with matplotlib and make it the fallback for every text (idempotent)."""
    name = _register()
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", name]
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["svg.fonttype"] = "path"  # glyphs as outlines: the SVG needs no font to display
    matplotlib.rcParams["svg.hashsalt"] = "gcts"  # stable ids, so unchanged figures give identical files
    matplotlib.rcParams["figure.dpi"] = 100
    matplotlib.rcParams["savefig.dpi"] = 150
