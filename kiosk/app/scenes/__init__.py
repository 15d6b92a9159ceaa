"""The kiosk's screens, by name. Each screen's module is imported when first shown (a quick start)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.app.loop import App
    from kiosk.app.scene import Scene

SCENES = {
    "welcome": ("welcome", "WelcomeScene"),
    "question": ("question", "QuestionScene"),
    "draw": ("answer", "DrawScene"),
    "choice": ("answer", "ChoiceScene"),
    "text": ("answer", "TextScene"),
    "consent": ("consent", "ConsentScene"),
    "thanks": ("thanks", "ThanksScene"),
    "error": ("error", "ErrorScene"),
    "pin": ("pin", "PinScene"),
    "facilitator": ("facilitator", "FacilitatorScene"),
}


def make_scene(name: str, app: App) -> Scene:
    if name not in SCENES:
        raise ValueError(f"no scene named {name!r}")
    if name in ("draw", "choice", "text", "consent") and app.visit is None:
        name = "welcome"  # nothing to answer: a stale name (e.g. after the facilitator screen)
    module, cls = SCENES[name]
    return getattr(importlib.import_module(f"kiosk.app.scenes.{module}"), cls)(app)
