"""The choice questions' answers counted: one tally, the same rules for the zine and the archive.

Rules, wherever a tally is shown:
- hidden answers are never counted;
- for print (the zine) public and print-only answers are counted; for the web (the archive),
  public answers only, since the others are not published there (`COUNTED`);
- options nobody chose are left out (they are not known for options a question set no longer
  has, so leaving them out is the one rule that holds everywhere);
- rows go from the most chosen down; equal counts keep the order in which they were first chosen;
- labels are the options' words as the visitors saw them (recorded with each answer), per language.

No reportlab, no pygame: plain data for kiosk.zine and kiosk.archive to draw.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kiosk.store import Response

COUNTED: dict[str, tuple[str, ...]] = {"print": ("public", "print"), "web": ("public",)}


@dataclass
class Row:
    option: str  # the option's id
    label: dict[str, str]  # its words per language, as the visitors saw them
    count: int


@dataclass
class Tally:
    prompt_id: str
    question: dict[str, str]  # per language, as asked
    rows: list[Row] = field(default_factory=list)
    total: int = 0  # answers to this question counted (a multiple choice answer counts once)


def tally(responses: Iterable[Response], medium: str = "print") -> list[Tally]:
    """Each choice question's answers counted, the questions in the order first answered.

    `medium`: "print" counts public and print-only answers, "web" public ones only.
    """
    consents = COUNTED[medium]
    out: dict[str, Tally] = {}
    rows: dict[str, dict[str, Row]] = {}
    for r in responses:
        if r.hidden or r.kind != "choice" or r.consent not in consents:
            continue
        t = out.setdefault(r.prompt_id, Tally(r.prompt_id, dict(r.prompt_text)))
        t.total += 1
        by_option = rows.setdefault(r.prompt_id, {})
        for i, option in enumerate(dict.fromkeys(r.options)):
            row = by_option.setdefault(option, Row(option, {}, 0))
            row.count += 1
            for lang, texts in r.option_text.items():
                if i < len(texts) and texts[i]:
                    row.label.setdefault(lang, texts[i])
    for pid, t in out.items():
        t.rows = sorted(rows[pid].values(), key=lambda row: -row.count)  # stable: first chosen first
    return list(out.values())
