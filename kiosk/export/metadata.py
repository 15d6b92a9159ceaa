"""The metadata of an export: one CSV row per response, the JSON records, the questions, the data dictionary.

The CSV's Dublin Core headers (`dcterms:…`) are the ones Omeka S's CSV Import maps by itself;
`objectid` and `filename` are what CollectionBuilder expects. Every column is described in
COLUMNS, and the data dictionary (README.md, data-dictionary.csv) is written from that same
list, so the two cannot drift apart.

Everything here streams: rows and records are written one at a time as responses come.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from kiosk import __version__
from kiosk.store import DRAWING_PNG, DRAWING_SVG, Response, Session

# 2: records list drawing.svg among their files. Importers read 1 and 2.
EXPORT_FORMAT = "kiosk-export/2"
READABLE_FORMATS = ("kiosk-export/1", EXPORT_FORMAT)
CREATOR = "Anonymous visitor"
ACCESS_RIGHTS = {
    "public": "public: the visitor agreed to its publication in the zine (with a QR code) and the public archive",
    "print": "print only: the visitor agreed to the printed zine only; do not publish it online",
}

# (column, description) in the order of the CSV.
COLUMNS: list[tuple[str, str]] = [
    ("dcterms:identifier", "The response id: a ULID (sorts by time) then the id of the kiosk that made it, "
                           "lowercase ASCII. Permanent: the archive page of a public response is "
                           "{archive_base_url}/r/{id}/."),
    ("objectid", "The same id, for CollectionBuilder; equal to the basename of the response's files."),
    ("filename", "The drawing, in data/drawings/: {id}.png. Empty for an answer without a drawing."),
    ("dcterms:title", "The question, as it was asked, in the language the visitor used."),
    ("dcterms:description", "The answer: the option(s) chosen (comma-separated, in the visitor's language) "
                            "or the text typed. Empty when the answer is a drawing alone."),
    ("dcterms:created", "When the response was saved: ISO 8601 with the kiosk's UTC offset, to the second."),
    ("dcterms:language", "The language the visitor used (ISO 639 code: en, fr, ...)."),
    ("dcterms:isPartOf", "The session (a workshop, an evening) the response belongs to: its slug, "
                         "{date}-{title}; see session_title and responses.json."),
    ("dcterms:type", "DCMI type: StillImage for a response with a drawing, Text for a text or choice "
                     "answer without a drawing."),
    ("dcterms:format", "The media type of `filename`: image/png; empty when there is no drawing."),
    ("dcterms:accessRights", "The visitor's consent, in words. \"public\": zine and public archive. "
                             "\"print only\": the printed zine only; never publish those online."),
    ("dcterms:rights", "The rights statement of the organisation that ran the kiosk (its settings)."),
    ("dcterms:license", "The licence of the drawings and answers (its settings)."),
    ("dcterms:creator", f"Always \"{CREATOR}\": the kiosk asks for no name and keeps no personal data."),
    ("consent", "The consent as a code: public or print (see dcterms:accessRights)."),
    ("consent_version", "The version of the consent wording the visitor agreed to."),
    ("session_title", "The session's title."),
    ("prompt_id", "The question's id in its question set; questions.csv lists every question."),
    ("kind", "The kind of question: draw, choice or text."),
    ("options", "For a choice: the ids of the chosen options, separated by \";\"."),
    ("svg", "The drawing as SVG (vector, rendered from the strokes): {id}.svg, or empty."),
    ("strokes", "The drawing's strokes, the source of truth (format kiosk-strokes/1): {id}.strokes.json, "
                "or empty."),
    ("duration_s", "Seconds the visitor spent answering."),
    ("hidden", "true if a facilitator hid the response (moderation); hidden responses are exported only "
               "with --include-hidden."),
    ("kiosk_id", "The kiosk that made the response."),
]
HEADER = [name for name, _ in COLUMNS]

QUESTION_COLUMNS: list[tuple[str, str]] = [
    ("prompt_id", "The question's id in its question set (responses.csv's prompt_id)."),
    ("kind", "draw, choice or text."),
    ("language", "The language of the text in this row."),
    ("text", "The question as asked in that language."),
    ("options", "For a choice: the options chosen at least once, as id=text, separated by \";\"."),
    ("responses", "How many exported responses answer this question (in any language)."),
]


def drawing_names(rid: str) -> tuple[str, str, str]:
    """The basenames of a response's three files in data/drawings/."""
    return f"{rid}.png", f"{rid}.svg", f"{rid}.strokes.json"


def response_row(resp: Response, session_title: str, rights: str, license: str) -> list[str]:
    """One CSV row, in the order of HEADER."""
    png, svg, strokes = drawing_names(resp.id) if resp.has_drawing else ("", "", "")
    return [
        resp.id,
        resp.id,
        png,
        resp.question(),
        resp.answer_text(),
        resp.created,
        resp.language,
        resp.session,
        "StillImage" if resp.has_drawing else "Text",
        "image/png" if resp.has_drawing else "",
        ACCESS_RIGHTS.get(resp.consent, resp.consent),
        rights,
        license,
        CREATOR,
        resp.consent,
        resp.consent_version,
        session_title,
        resp.prompt_id,
        resp.kind,
        ";".join(resp.options),
        svg,
        strokes,
        f"{resp.duration_s:g}",
        "true" if resp.hidden else "false",
        resp.kiosk_id,
    ]


class BinaryOut(Protocol):
    """Where the metadata goes: a binary file, or one that hashes what it writes (HashingFile)."""

    def write(self, data: bytes, /) -> object: ...


class CsvRows:
    """A CSV written row by row to a binary stream: UTF-8 without a byte-order mark, CRLF lines (RFC 4180)."""

    def __init__(self, out: BinaryOut, header: list[str]) -> None:
        self._out = out
        self._buf = io.StringIO()
        self._writer = csv.writer(self._buf)
        self.write(header)

    def write(self, row: Iterable[Any]) -> None:
        self._writer.writerow(row)
        self._out.write(self._buf.getvalue().encode("utf-8"))
        self._buf.seek(0)
        self._buf.truncate()


class JsonRecords:
    """responses.json, written record by record: {"format", "kiosk_version", "responses": [...], "sessions": [...]}.

    One response record per line, so the file stays readable and diffable; the session
    records come last, once every response has said which sessions it belongs to.
    """

    def __init__(self, out: BinaryOut, exported: str) -> None:
        self._out = out
        self._first = True
        head = json.dumps({"format": EXPORT_FORMAT, "kiosk_version": __version__, "exported": exported},
                          ensure_ascii=False)
        out.write((head[:-1] + ',\n"responses": [\n').encode("utf-8"))

    def write(self, resp: Response) -> None:
        # vars(): the record's fields as they are, what to_dict() gives without its deep copy.
        line = json.dumps(vars(resp), ensure_ascii=False, sort_keys=True)
        self._out.write(((" " if self._first else ",") + line + "\n").encode("utf-8"))
        self._first = False

    def close(self, sessions: Iterable[Session]) -> None:
        body = ",\n".join(json.dumps(s.to_dict(), ensure_ascii=False, sort_keys=True) for s in sessions)
        self._out.write(("],\n\"sessions\": [\n" + body + "\n]}\n").encode("utf-8"))


def csv_bytes(header: list[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A small CSV, whole, as CsvRows writes it."""
    buf = io.BytesIO()
    writer = CsvRows(buf, header)
    for row in rows:
        writer.write(row)
    return buf.getvalue()


@dataclass
class Question:
    prompt_id: str
    kind: str
    text: dict[str, str]
    options: dict[str, dict[str, str]] = field(default_factory=dict)  # option id -> {lang: text}
    responses: int = 0


class Questions:
    """The distinct questions among the exported responses (a handful: kept in memory)."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], Question] = {}

    def add(self, resp: Response) -> None:
        # Keyed by id and wording: a question reworded between sessions gets a row per wording.
        key = (resp.prompt_id, json.dumps(resp.prompt_text, sort_keys=True, ensure_ascii=False))
        q = self._by_key.get(key)
        if q is None:
            q = self._by_key[key] = Question(resp.prompt_id, resp.kind, dict(resp.prompt_text))
        q.responses += 1
        for i, oid in enumerate(resp.options):
            texts = q.options.setdefault(oid, {})
            for lang, chosen in resp.option_text.items():
                if i < len(chosen):
                    texts.setdefault(lang, chosen[i])

    def rows(self) -> Iterable[list[str]]:
        for q in sorted(self._by_key.values(), key=lambda q: q.prompt_id):
            for lang, text in q.text.items():
                options = ";".join(f"{oid}={t.get(lang, '')}" for oid, t in sorted(q.options.items()))
                yield [q.prompt_id, q.kind, lang, text, options, str(q.responses)]


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|")


def data_dictionary_markdown(stats: dict[str, Any]) -> str:
    """data/metadata/README.md: what each file holds and what every column means."""
    lines = [
        "# Data dictionary",
        "",
        f"Exported by kiosk {__version__} on {stats['exported']}: {stats['responses']} responses "
        f"({stats['drawings']} with a drawing) from {stats['sessions']} session(s). "
        f"Hidden responses {'are included (column hidden)' if stats['include_hidden'] else 'are left out'}.",
        "",
        "The kiosk asks visitors for no name and keeps no personal data: every response is anonymous.",
        "Responses whose consent is `print` (dcterms:accessRights \"print only\") were given for the",
        "printed zine only: they must not be published online.",
        "",
        "## Files",
        "",
        "| file | what it holds |",
        "|---|---|",
        "| `data/drawings/{id}.png` | the drawing as the visitor saw it (PNG, canvas size) |",
        "| `data/drawings/{id}.svg` | the same drawing as SVG, rendered from the strokes |",
        "| `data/drawings/{id}.strokes.json` | the strokes, the source of truth (format kiosk-strokes/1: "
        "points [x, y, milliseconds, pressure?] in canvas units) |",
        "| `data/metadata/responses.csv` | one row per response, columns below (UTF-8, no byte-order mark) |",
        f"| `data/metadata/responses.json` | the complete response and session records ({EXPORT_FORMAT}): "
        "what `kiosk import` reads to recreate them exactly |",
        "| `data/metadata/questions.csv` | one row per question and language, columns below |",
        "| `data/metadata/data-dictionary.csv` | this dictionary as CSV: file, column, description |",
    ]
    if stats.get("site"):
        lines.append("| `data/site/` | the static web archive of the public responses (open index.html) |")
    lines += ["", "## responses.csv", "", "| column | meaning |", "|---|---|"]
    lines += [f"| `{name}` | {_md_cell(desc)} |" for name, desc in COLUMNS]
    lines += ["", "## questions.csv", "", "| column | meaning |", "|---|---|"]
    lines += [f"| `{name}` | {_md_cell(desc)} |" for name, desc in QUESTION_COLUMNS]
    lines += [
        "",
        "## responses.json",
        "",
        '`{"format": "' + EXPORT_FORMAT + '", "kiosk_version", "exported", "responses": [...], "sessions": [...]}`.',
        "Each response record holds: id, session, prompt_id, kind, language, consent, prompt_text (the",
        "question in every language, as asked), options, option_text, text, consent_version, created,",
        "duration_s, hidden, kiosk_id, files (file name in the kiosk's data folder -> SHA-256:",
        f"`strokes.json` is `{{id}}.strokes.json` here, `{DRAWING_PNG}` is `{{id}}.png`, `{DRAWING_SVG}` is",
        "`{id}.svg`; records of responses saved before the kiosk kept SVGs list no svg). Each session record",
        "holds: slug, title, place, date, note, started, ended, kiosk_id.",
        "",
        "The bag's manifests (manifest-sha256.txt, manifest-sha512.txt) list a checksum of every file;",
        "`python -m bagit --validate` checks them.",
        "",
    ]
    return "\n".join(lines)


def data_dictionary_rows() -> Iterable[list[str]]:
    for name, desc in COLUMNS:
        yield ["responses.csv", name, desc]
    for name, desc in QUESTION_COLUMNS:
        yield ["questions.csv", name, desc]
