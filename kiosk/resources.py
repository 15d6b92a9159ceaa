"""Where the project's own files are: fonts, question sets, assets."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ASSETS = PROJECT_ROOT / "assets"
FONTS = ASSETS / "fonts"
PROMPTS = PROJECT_ROOT / "prompts"

FONT_REGULAR = FONTS / "DejaVuSans.ttf"
FONT_BOLD = FONTS / "DejaVuSans-Bold.ttf"
