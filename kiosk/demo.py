"""Realistic demo responses, for trying the zine and the archive, and for benchmarks.

Hand-like strokes (varied speed, pressure, colours, erasers; a few to a few hundred
strokes), every kind of prompt, both languages, both consent levels, a few hidden.
The same seed gives the same data, ids included.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from kiosk import ids
from kiosk.store import Response, Session, Store
from kiosk.strokes import Drawing, Point, Stroke, render_png, render_svg
from kiosk.workers import process_pool

if TYPE_CHECKING:
    from kiosk.prompts import Prompt, PromptSet

PEN_WIDTHS = (4.0, 10.0, 24.0)
ERASER_WIDTH = 48.0

TYPED = {
    "en": [
        "Who owns the servers that hold our memories?",
        "Can an algorithm be in solidarity with anyone?",
        "What would a cooperative recommendation system recommend?",
        "How do we strike against a platform?",
        "Why is the map never the territory, except in a database?",
        "<script>alert('hello')</script> is this escaped?",
        "Rates & quotas: \"who\" decides?",
    ],
    "fr": [
        "À qui appartiennent les serveurs qui gardent nos mémoires ?",
        "Un algorithme peut-il être solidaire ?",
        "Comment faire grève contre une plateforme ?",
        "Que recommanderait un système de recommandation coopératif ?",
        "Où sont les câbles, et qui les répare ?",
        "Les employé⋅es des entrepôts ont-iels voix au chapitre ?",
        "« Être une ligne dans un tableau » : est-ce une identité ?",
    ],
}


@dataclass
class DemoItem:
    response: Response
    drawing: Drawing | None


def _stroke(rng: random.Random, w: int, h: int, t0: int, colour: str, width: float, tool: str,
            pressure: bool) -> Stroke:
    """A hand-like stroke: a walk with momentum, its speed and curvature drifting."""
    x, y = rng.uniform(0.1, 0.9) * w, rng.uniform(0.1, 0.9) * h
    heading = rng.uniform(0, 2 * math.pi)
    turn = rng.gauss(0, 0.15)
    speed = rng.uniform(2, 14)  # canvas units per event
    n = max(1, int(rng.lognormvariate(3.2, 0.8)))  # a dot, a dash, or a long line
    t = t0
    points = []
    for _ in range(min(n, 400)):
        points.append(Point(round(x, 1), round(y, 1), t, round(rng.uniform(0.35, 1.0), 2) if pressure else None))
        turn = 0.85 * turn + rng.gauss(0, 0.08)
        heading += turn
        speed = min(30.0, max(1.0, speed * rng.uniform(0.85, 1.18)))
        x = min(w - 1.0, max(0.0, x + speed * math.cos(heading)))
        y = min(h - 1.0, max(0.0, y + speed * math.sin(heading)))
        t += rng.randint(8, 20)  # touch screens report every 8 to 20 ms
    return Stroke(tool, colour, width, points)


def make_drawing(rng: random.Random, w: int, h: int, palette: list[str]) -> Drawing:
    drawing = Drawing(w, h)
    count = max(1, min(300, int(rng.lognormvariate(3.0, 1.1))))
    pressure = rng.random() < 0.3
    main = rng.choice(palette[:2])  # most people keep the first colours
    t = 0
    for _ in range(count):
        if rng.random() < 0.05 and drawing.strokes:
            stroke = _stroke(rng, w, h, t, "#ffffff", ERASER_WIDTH, "eraser", pressure)
        else:
            colour = main if rng.random() < 0.6 else rng.choice(palette)
            stroke = _stroke(rng, w, h, t, colour, rng.choice(PEN_WIDTHS), "pen", pressure)
        drawing.add(stroke)
        t = stroke.points[-1].t + rng.randint(150, 2500)
    return drawing


def _answer(rng: random.Random, prompt: Prompt, lang: str, languages: list[str]) -> tuple[list[str], dict, str]:
    if prompt.kind == "choice":
        k = rng.randint(1, 2) if prompt.multiple else 1
        chosen = rng.sample(prompt.options, k)
        return ([o.id for o in chosen], {code: [o.text.get(code, "") for o in chosen] for code in languages}, "")
    if prompt.kind == "text":
        return [], {}, rng.choice(TYPED.get(lang, TYPED["en"]))
    return [], {}, ""


def demo_items(session: Session, prompt_set: PromptSet, n: int, seed: int, palette: list[str],
               canvas: tuple[int, int], kiosk_id: str) -> Iterator[DemoItem]:
    rng = random.Random(seed)
    languages = prompt_set.languages
    start = datetime.combine(datetime.fromisoformat(session.date).date(), time(14, 0)).astimezone()
    when = start
    # An afternoon and evening: a session never runs past its day, whatever n (and a new real
    # response, made now, is newer than every demo one, as it would be in a real session).
    step = min(130.0, 9 * 3600 / max(n, 1))
    for _ in range(n):
        when += timedelta(seconds=step * rng.uniform(0.2, 1.8))
        prompt = rng.choice(prompt_set.prompts)
        lang = rng.choice(languages)
        options, option_text, text = _answer(rng, prompt, lang, languages)
        drawing = make_drawing(rng, canvas[0], canvas[1], palette) if prompt.canvas else None
        duration = (drawing.duration_ms() / 1000 if drawing else 0) + rng.uniform(5, 40)
        resp = Response(
            id=ids.new_response_id(kiosk_id, when, rng.randbytes(10)),
            session=session.slug,
            prompt_id=prompt.id,
            kind=prompt.kind,
            language=lang,
            consent="public" if rng.random() < 0.7 else "print",
            prompt_text=dict(prompt.text),
            options=options,
            option_text=option_text,
            text=text,
            consent_version="1",
            created=when.isoformat(timespec="seconds"),
            duration_s=round(duration, 1),
            hidden=rng.random() < 0.05,
            kiosk_id=kiosk_id,
        )
        yield DemoItem(resp, drawing)


def _render(drawing: Drawing | None) -> tuple[bytes | None, bytes | None]:
    """The PNG and SVG the store keeps, made in a worker process."""
    if drawing is None:
        return None, None
    return render_png(drawing), render_svg(drawing).encode("utf-8")


def make_demo(store: Store, prompt_set: PromptSet, title: str, n: int, seed: int = 1,
              palette: list[str] | None = None, canvas: tuple[int, int] = (1200, 900), date: str = "",
              progress: Callable[[int], None] | None = None, workers: int = 2) -> Session:
    """Make a finished session of `n` demo responses in `store`."""
    date = date or "2026-11-21"
    started = datetime.combine(datetime.fromisoformat(date).date(), time(14, 0)).astimezone()
    session = store.create_session(title, place="Demo", date=date, note=f"demo data, seed {seed}",
                                   started=started.isoformat(timespec="seconds"))
    items = demo_items(session, prompt_set, n, seed, palette or ["#000000", "#0072b2", "#d55e00", "#009e73"],
                       canvas, store.kiosk_id)
    # Rendering dominates; spread it over the cores, in order, a chunk at a time.
    with process_pool(workers) as pool:
        while True:
            chunk = [item for _, item in zip(range(64), items)]
            if not chunk:
                break
            renditions = pool.map(_render, [item.drawing for item in chunk])
            for item, (png, svg) in zip(chunk, renditions):
                store.save_response(item.response, item.drawing, png, svg)
                if progress:
                    progress(1)
    last = store.responses(session.slug)
    session.ended = last[-1].created if last else session.started
    store.update_session(session)
    return session
