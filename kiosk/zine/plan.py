"""How much paper a zine takes, before it is built: sheets, staples, folds, cuts, parts.

Pure arithmetic on page counts, shared by the builder (which lays the pages out this way) and by
whoever wants to say it first: `kiosk zine build` prints it before building, and the kiosk's
facilitator screen can show `plan(...).describe(lang)`.

A zine is cut into parts, each a complete object with its own cover and back page:
- minizine: every sheet is a zine of its own: a cover (title, session, "sheet n of N", the
  session's QR code), six inside pages, a back page with the colophon;
- booklet: volumes of at most `sheets_per_volume` sheets (12 by default: more will not fold
  flat or take a staple), each with its cover and back page, the inside pages shared out evenly;
- pages: one part, a cover, the inside pages and the back page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk import i18n

SHEETS_PER_VOLUME = 12
MINIZINE_INSIDE = 6  # eight panels less the cover and the back page
FOLDS_PER_MINIZINE = 4  # the long half, the short half, the two quarters
STAPLES_PER_VOLUME = 2


def pad(n: int, k: int) -> int:
    return max(k, -(-n // k) * k)


@dataclass
class Plan:
    layout: str
    inside: int  # inside pages: the questions, the answers, the tallies
    parts: list[int] = field(default_factory=list)  # inside pages per part (minizine sheet, booklet volume)
    part_pages: list[int] = field(default_factory=list)  # pages per part, cover, back and padding included
    sheets: int = 0
    staples: int = 0
    folds: int = 0
    cuts: int = 0
    limit: int = SHEETS_PER_VOLUME
    warnings: list[str] = field(default_factory=list)  # in English, for the command's output

    @property
    def pages(self) -> int:
        return sum(self.part_pages)

    def describe(self, lang: str = "en") -> str:
        """One sentence for people: '7 sheets, 28 folds, 7 cuts: 7 minizines of 8 pages'."""
        bits = [i18n.tn("zine.plan.sheets", self.sheets, lang)]
        if self.staples:
            bits.append(i18n.tn("zine.plan.staples", self.staples, lang))
        if self.folds:
            bits.append(i18n.tn("zine.plan.folds", self.folds, lang))
        if self.cuts:
            bits.append(i18n.tn("zine.plan.cuts", self.cuts, lang))
        parts = len(self.parts)
        text = ", ".join(bits)
        if parts > 1 and self.layout == "minizine":
            text += " (" + i18n.tn("zine.plan.minizines", parts, lang) + ")"
        elif parts > 1 and self.layout == "booklet":
            text += " (" + i18n.tn("zine.plan.volumes", parts, lang) + ")"
        return text

    def warning(self, lang: str = "en") -> str:
        """The warning above the limits, in `lang`, or ""."""
        if self.layout == "minizine" and self.sheets > self.limit:
            return i18n.t("zine.plan.too_many_minizines", lang, n=self.sheets)
        if self.layout == "booklet" and len(self.parts) > 1:
            return i18n.tn("zine.plan.many_volumes", self.limit, lang, volumes=len(self.parts))
        return ""


def share(total: int, parts: int) -> list[int]:
    """`total` pages shared out over `parts` as evenly as possible, the first parts the fuller."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def plan(layout: str, inside: int, sheets_per_volume: int = SHEETS_PER_VOLUME) -> Plan:
    """The parts, sheets, staples, folds and cuts of a zine with `inside` inside pages."""
    limit = max(1, sheets_per_volume)
    p = Plan(layout, inside, limit=limit)
    if layout == "minizine":
        count = max(1, -(-inside // MINIZINE_INSIDE))
        p.parts = [min(MINIZINE_INSIDE, inside - i * MINIZINE_INSIDE) for i in range(count)]
        p.parts = [max(0, n) for n in p.parts]
        p.part_pages = [8] * count
        p.sheets, p.folds, p.cuts = count, FOLDS_PER_MINIZINE * count, count
    elif layout == "booklet":
        room = 4 * limit - 2
        count = max(1, -(-inside // room))
        p.parts = share(inside, count)
        p.part_pages = [pad(n + 2, 4) for n in p.parts]
        p.sheets = sum(n // 4 for n in p.part_pages)
        p.staples, p.folds = STAPLES_PER_VOLUME * count, count
    else:
        p.parts = [inside]
        p.part_pages = [inside + 2]
        p.sheets = inside + 2
    if p.warning():
        p.warnings.append(p.warning())
    return p
