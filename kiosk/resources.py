"""Where the project's own files are: fonts, question sets, the archive's style sheet.

In a checkout they are the top-level prompts/ and assets/ folders (facilitators edit
prompts/ there). A wheel carries the same folders inside the package as kiosk/_prompts
and kiosk/_assets (pyproject.toml maps them), found with importlib.resources, so an
installed kiosk needs no checkout. Installed wheels are always unpacked on disk, so the
folders are plain paths.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def checkout_root() -> Path | None:
    """The source checkout this package runs from (editable install, PYTHONPATH), else None."""
    root = _PACKAGE.parent
    if (root / "pyproject.toml").is_file() and (root / "prompts").is_dir() and (root / "assets").is_dir():
        return root
    return None


def _folder(checkout_name: str, packaged_name: str) -> Path:
    root = checkout_root()
    if root is not None:
        return root / checkout_name
    return Path(str(resources.files("kiosk").joinpath(packaged_name)))


ASSETS = _folder("assets", "_assets")
FONTS = ASSETS / "fonts"
PROMPTS = _folder("prompts", "_prompts")

FONT_REGULAR = FONTS / "DejaVuSans.ttf"
FONT_BOLD = FONTS / "DejaVuSans-Bold.ttf"
# Fallbacks for visitors' words the DejaVu fonts draw poorly or not at all (OFL / free for any use;
# subset to their scripts, see the LICENSE files beside them).
FONT_ARABIC = FONTS / "NotoSansArabic-Regular.ttf"
FONT_ARABIC_BOLD = FONTS / "NotoSansArabic-Bold.ttf"
FONT_HEBREW = FONTS / "NotoSansHebrew-Regular.ttf"
FONT_HEBREW_BOLD = FONTS / "NotoSansHebrew-Bold.ttf"
FONT_EMOJI = FONTS / "NotoEmoji-Regular.ttf"
