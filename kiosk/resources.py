"""Where the project's own files are: fonts, question sets, assets."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ASSETS = PROJECT_ROOT / "assets"
FONTS = ASSETS / "fonts"
PROMPTS = PROJECT_ROOT / "prompts"

FONT_REGULAR = FONTS / "DejaVuSans.ttf"
FONT_BOLD = FONTS / "DejaVuSans-Bold.ttf"
# Fallbacks for visitors' words the DejaVu fonts draw poorly or not at all (OFL / free for any use;
# subset to their scripts, see the LICENSE files beside them).
FONT_ARABIC = FONTS / "NotoSansArabic-Regular.ttf"
FONT_ARABIC_BOLD = FONTS / "NotoSansArabic-Bold.ttf"
FONT_HEBREW = FONTS / "NotoSansHebrew-Regular.ttf"
FONT_HEBREW_BOLD = FONTS / "NotoSansHebrew-Bold.ttf"
FONT_EMOJI = FONTS / "Symbola-Emoji.ttf"
