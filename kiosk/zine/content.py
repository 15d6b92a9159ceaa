"""What goes into a zine, read from the store: no PDF here, only the words, numbers and links.

The order is fixed: a cover, the questions asked, one page per response, the tallies of the
choice questions, and a back page with the colophon and the session's QR code. Hidden
responses never appear. `print`-only ones appear without a link and without their id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kiosk import __version__, i18n
from kiosk.store import Response, Session


def label(key: str, lang: str, **values: str) -> str:
    """One of the zine's words ("zine.KEY") in one language."""
    return i18n.t(key if key.startswith("zine.") else f"zine.{key}", lang, **values)


def labels_n(key: str, n: int, languages: Sequence[str]) -> list[str]:
    """The singular or plural form for `n` in each configured language, without repeats."""
    out = [i18n.tn(f"zine.{key}", n, lang) for lang in languages if i18n.speaks(f"zine.{key}.other", lang)]
    return list(dict.fromkeys(out)) or [i18n.tn(f"zine.{key}", n, "en")]


def labels(key: str, languages: Sequence[str], **values: str) -> list[str]:
    """The label in each configured language that has it (English if none has), without repeats."""
    out: list[str] = []
    for lang in languages:
        if i18n.speaks(f"zine.{key}", lang):
            text = label(key, lang, **values)
            if text not in out:
                out.append(text)
    return out or [label(key, "en", **values)]


@dataclass
class Entry:
    """One response as its zine page shows it."""

    response: Response
    number: int  # its number in its session
    question: str  # in the visitor's language
    answer: str  # the chosen options or the typed text
    date: str  # YYYY-MM-DD
    url: str | None  # its archive page: public responses only, and only with a base URL
    art: object | None = None  # kiosk.zine.pdf.Art, when it has a drawing
    matrix: list[list[bool]] | None = None  # its QR code's modules, when it has a url

    @property
    def language(self) -> str:
        return self.response.language


@dataclass
class Question:
    prompt_id: str
    texts: list[str]  # in the configured languages, first the main one, without repeats


@dataclass
class Tally:
    question: Question
    bars: list[tuple[str, int]]  # option label, count, in the question's option order
    total: int  # responses to this question


@dataclass
class Content:
    organization: str
    title: str
    place: str
    date: str
    languages: list[str]
    entries: list[Entry]
    questions: list[Question]
    tallies: list[Tally]
    cover: Entry | None
    session_links: list[tuple[str, str]]  # (session title, URL)
    padding_questions: list[Question]
    made: str  # YYYY-MM-DD
    version: str = __version__


def texts_in(mapping: dict[str, str], languages: Sequence[str]) -> list[str]:
    """A text in each configured language, the main language first, without repeats."""
    out: list[str] = []
    for lang in [*languages, *mapping]:
        text = (mapping.get(lang) or "").strip()
        if text and text not in out:
            out.append(text)
    return out


def asked_questions(responses: Sequence[Response], languages: Sequence[str], prompt_set=None) -> list[Question]:
    """The questions the responses answer, in the question set's order (else first asked first)."""
    first: dict[str, Response] = {}
    for r in responses:
        first.setdefault(r.prompt_id, r)
    order = [p.id for p in prompt_set.prompts] if prompt_set is not None else []
    ids = sorted(first, key=lambda pid: (order.index(pid) if pid in order else len(order), list(first).index(pid)))
    return [Question(pid, texts_in(first[pid].prompt_text, languages) or [pid]) for pid in ids]


def tallies(responses: Sequence[Response], languages: Sequence[str], prompt_set=None) -> list[Tally]:
    """Counts per option of every choice question answered (every option of the set, even at zero)."""
    out: list[Tally] = []
    by_prompt: dict[str, list[Response]] = {}
    for r in responses:
        if r.kind == "choice":
            by_prompt.setdefault(r.prompt_id, []).append(r)
    for question in asked_questions([r for rs in by_prompt.values() for r in rs], languages, prompt_set):
        rs = by_prompt[question.prompt_id]
        names: dict[str, str] = {}
        prompt = prompt_set.get(question.prompt_id) if prompt_set is not None else None
        if prompt is not None:
            for option in prompt.options:
                names[option.id] = " / ".join(texts_in(option.text, languages)) or option.id
        for r in rs:  # options no longer in the set, as the responses recorded them
            for i, oid in enumerate(r.options):
                if oid not in names:
                    per_lang = {lang: texts[i] for lang, texts in r.option_text.items() if i < len(texts)}
                    names[oid] = " / ".join(texts_in(per_lang, languages)) or oid
        counts = {oid: 0 for oid in names}
        for r in rs:
            for oid in set(r.options):
                counts[oid] += 1
        out.append(Tally(question, [(names[oid], counts[oid]) for oid in names], len(rs)))
    return out


def padding_questions(asked: Sequence[Question], languages: Sequence[str], prompt_set=None) -> list[Question]:
    """Questions for the pages that fill a sheet: the set's drawing questions, those not asked first."""
    if prompt_set is None:
        return list(asked)
    asked_ids = {q.prompt_id for q in asked}
    drawable = [p for p in prompt_set.prompts if p.canvas or p.kind == "draw"] or list(prompt_set.prompts)
    ordered = [p for p in drawable if p.id not in asked_ids] + [p for p in drawable if p.id in asked_ids]
    return [Question(p.id, texts_in(p.text, languages) or [p.id]) for p in ordered] or list(asked)


def session_summary(sessions: Sequence[Session], title: str | None) -> tuple[str, str, str]:
    """Title, place and date for the cover, several sessions joined."""
    def joined(values: list[str]) -> str:
        return " · ".join(dict.fromkeys(v for v in values if v))

    return (title or joined([s.title for s in sessions]), joined([s.place for s in sessions]),
            joined([s.date for s in sessions]))


def colophon(content: Content) -> list[str]:
    """The colophon's paragraphs, one per language for each part."""
    where = f"“{content.title}”" if content.title else content.organization
    paras: list[str] = []
    for key in ("zine.how", "zine.consent"):
        for lang in content.languages:
            if i18n.speaks(key, lang):
                where_l = where if lang != "fr" else where.replace("“", "«\u00a0").replace("”", "\u00a0»")
                paras.append(label(key, lang, where=where_l))
    paras.extend(labels("made", content.languages, date=content.made, version=content.version))
    return list(dict.fromkeys(paras)) or [label("how", "en", where=where)]
