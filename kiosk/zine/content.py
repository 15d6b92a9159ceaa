"""What goes into a zine, read from the store: no PDF here, only the words, numbers and links.

The order is fixed: a cover, the questions asked, one page per response, the tallies of the
choice questions, and a back page with the colophon and the session's QR code. Hidden
responses never appear. `print`-only ones appear without a link and without their id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from kiosk import __version__, i18n
from kiosk.dates import format_date
from kiosk.licence import name_and_address
from kiosk.store import Response, Session
from kiosk.tally import Tally


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
class Content:
    organization: str
    title: str
    place: str
    date: str  # YYYY-MM-DD, several joined with " · "
    languages: list[str]
    entries: list[Entry]
    questions: list[Question]
    tallies: list[Tally]
    cover: Entry | None  # the facilitator's choice of a drawing for the cover (--cover), else None
    session_links: list[tuple[str, str]]  # (session title, URL)
    padding_questions: list[Question]
    made: str  # YYYY-MM-DD
    version: str = __version__
    set_title: dict[str, str] = field(default_factory=dict)  # the question set's title, per language
    attribution: dict[str, str] = field(default_factory=dict)  # whose questions, per language
    base_url: str = ""
    rights: str = ""
    license: str = ""
    contact: str = ""
    grey: bool = False
    palette: list[str] = field(default_factory=list)

    @property
    def main_language(self) -> str:
        return self.languages[0] if self.languages else "en"


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


def dates_in(value: str, languages: Sequence[str]) -> str:
    """A date (or several joined with " · ") written out in each language, without repeats."""
    out = [" · ".join(format_date(v.strip(), lang) for v in value.split("·") if v.strip()) for lang in languages]
    return " / ".join(dict.fromkeys(o for o in out if o))


def colophon(content: Content, lang: str) -> list[str]:
    """The colophon's paragraphs in one language."""
    q = ("«\u00a0{}\u00a0»" if lang.startswith("fr") else "“{}”").format
    where = q(content.title) if content.title else content.organization
    set_title = in_lang(content.set_title, lang)
    questions = label("questions_of", lang, title=q(set_title)) if set_title else label("questions_plain", lang)
    paras = [label("how", lang, where=where, questions=questions)]
    if content.attribution:
        paras.append(in_lang(content.attribution, lang))
    if content.base_url:  # no word of QR codes in a zine that has none
        paras.append(label("consent_qr", lang))
        paras.append(label("archive_at", lang, url=content.base_url))
    else:
        paras.append(label("consent", lang))
    rights = " ".join(x for x in (content.rights.strip(), label("license", lang, name=name_and_address(content.license))
                                  if content.license else "") if x)
    if rights:
        paras.append(rights)
    paras.append(label("removal", lang, contact=content.contact) if content.contact
                 else label("removal_org", lang, org=content.organization))
    paras.append(label("made", lang, date=format_date(content.made, lang), version=content.version))
    return paras


def in_lang(mapping: dict[str, str], lang: str) -> str:
    """The text in `lang`, else English, else any."""
    return mapping.get(lang) or mapping.get("en") or next(iter(mapping.values()), "")
