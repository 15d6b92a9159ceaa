"""The kiosk's screens, by name."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.app.loop import App
    from kiosk.app.scene import Scene


def make_scene(name: str, app: "App") -> "Scene":
    from kiosk.app.scenes import answer, consent, error, facilitator, pin, question, thanks, welcome

    scenes = {
        "welcome": welcome.WelcomeScene,
        "question": question.QuestionScene,
        "draw": answer.DrawScene,
        "choice": answer.ChoiceScene,
        "text": answer.TextScene,
        "consent": consent.ConsentScene,
        "thanks": thanks.ThanksScene,
        "error": error.ErrorScene,
        "pin": pin.PinScene,
        "facilitator": facilitator.FacilitatorScene,
    }
    if name not in scenes:
        raise ValueError(f"no scene named {name!r}")
    if name in ("draw", "choice", "text", "consent") and app.visit is None:
        name = "welcome"  # nothing to answer: a stale name (e.g. after the facilitator screen)
    return scenes[name](app)
