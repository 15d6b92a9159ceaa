"""One visitor's answer while they make it: the question, their drawing, choices and text."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from kiosk.checkpoint import Checkpoint
from kiosk.prompts import Prompt, PromptSet
from kiosk.store import Response, now_iso
from kiosk.strokes import Drawing

ANSWER_SCENES = {"draw": "draw", "choice": "choice", "text": "text"}


@dataclass
class Visit:
    prompt: Prompt
    language: str
    started_at: float  # the app's clock, in seconds
    drawing: Drawing | None = None
    options: list[str] = field(default_factory=list)
    text: str = ""
    key: str = field(default_factory=lambda: secrets.token_hex(10))
    started: str = field(default_factory=now_iso)
    earlier_s: float = 0.0  # time spent before a restart (a restored visit)
    restored: bool = False
    failed: bool = False  # an unexpected error happened during this answer

    @classmethod
    def new(cls, prompt: Prompt, language: str, now: float, canvas_size: tuple[int, int]) -> Visit:
        drawing = Drawing(canvas_size[0], canvas_size[1], "#ffffff") if needs_canvas(prompt) else None
        return cls(prompt, language, now, drawing)

    @property
    def answer_scene(self) -> str:
        return ANSWER_SCENES[self.prompt.kind]

    def duration(self, now: float) -> float:
        return round(self.earlier_s + max(0.0, now - self.started_at), 1)

    def has_ink(self) -> bool:
        return self.drawing is not None and bool(self.drawing.strokes)

    def has_content(self) -> bool:
        return self.has_ink() or bool(self.options) or bool(self.text.strip())

    def is_complete(self) -> bool:
        """Enough to be kept: a drawing for `draw`, a choice for `choice`, some words for `text`."""
        kind = self.prompt.kind
        if kind == "draw":
            return self.drawing is not None and not self.drawing.is_empty()
        if kind == "choice":
            return bool(self.options)
        return bool(self.text.strip()) or (self.drawing is not None and not self.drawing.is_empty())

    def snapshot_drawing(self) -> Drawing | None:
        """A copy another thread can read while the canvas goes on drawing.

        The strokes themselves are shared: a stroke enters the drawing only once its finger is
        up, and never changes after. Sharing them is also what lets the saver reuse the JSON of
        strokes it already wrote (its cache knows them by identity): copying them made every
        checkpoint encode the whole drawing again, and the screen wait for it.
        """
        if self.drawing is None:
            return None
        d = self.drawing
        return Drawing(d.width, d.height, d.background, list(d.strokes))

    def to_checkpoint(self, scene: str, now: float, drawing: Drawing | None = None) -> Checkpoint:
        """`drawing`: a snapshot that includes strokes still being drawn, when there are some."""
        cp = Checkpoint(self.key, self.prompt.id, self.prompt.kind, self.language, scene, self.started,
                        duration_s=self.duration(now), options=list(self.options), text=self.text)
        cp.drawing = drawing if drawing is not None else self.snapshot_drawing()
        return cp

    @classmethod
    def from_checkpoint(cls, cp: Checkpoint, prompts: PromptSet, now: float) -> Visit | None:
        """The visit again, or None when its question is no longer in the set."""
        prompt = prompts.get(cp.prompt_id)
        if prompt is None or prompt.kind != cp.kind:
            return None
        valid = {o.id for o in prompt.options}
        return cls(prompt, cp.language, now, cp.get_drawing(), [o for o in cp.options if o in valid], cp.text,
                   key=cp.key, started=cp.started, earlier_s=cp.duration_s, restored=True)

    def to_response(self, response_id: str, consent: str, consent_version: str, now: float) -> Response:
        p = self.prompt
        chosen = [o for o in p.options if o.id in self.options]
        languages = list(p.text)
        return Response(
            id=response_id, session="", prompt_id=p.id, kind=p.kind, language=self.language, consent=consent,
            prompt_text=dict(p.text), options=[o.id for o in chosen],
            option_text={lang: [o.text.get(lang, "") for o in chosen] for lang in languages} if chosen else {},
            text=self.text.strip(), consent_version=consent_version, created=now_iso(),
            duration_s=self.duration(now),
        )


def needs_canvas(prompt: Prompt) -> bool:
    return prompt.kind == "draw" or prompt.canvas
