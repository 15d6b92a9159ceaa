"""The zine's text engine and its plain parts: hyphenation, line starts, direction, joiners,
the one tally, the licence's name, the plan's words."""

from __future__ import annotations

from datetime import datetime

import pyphen
import pytest

from kiosk.archive import strings
from kiosk.dates import format_date
from kiosk.licence import name_and_address, short_name
from kiosk.store import Response
from kiosk.tally import tally
from kiosk.zine import fonts, hyphen
from kiosk.zine.plan import plan
from kiosk.zine.text import NO_LINE_START, Para, clean, fit, is_rtl, wrap

WORDS = {
    "en": "extraordinarily communicate hyphenation algorithmization solidarity statistical imagination "
          "experimenting sometimes computational cartographies affectionateness".split(),
    "fr": "extraordinaire communiquons algorithmique solidarité statistique imagination cartographies "
          "conventionnelles entrepôts recommanderait coopératif".split(),
}


@pytest.mark.parametrize("lang, pyphen_lang", [("en", "en_US"), ("fr", "fr")])
def test_hyphenation_points_are_pyphens(lang, pyphen_lang):
    reference = pyphen.Pyphen(lang=pyphen_lang, left=hyphen.LEFT, right=hyphen.RIGHT)
    for word in WORDS[lang]:
        assert hyphen.positions(word, lang) == [int(p) for p in reference.positions(word)], word


def test_lines_are_hyphenated_and_never_start_with_a_sign():
    text = clean("Sometimes the statistics are extraordinarily misleading : « vraiment » ? Oui ! Non ; peut-être.")
    for width in range(60, 240, 7):
        lines = wrap(text, fonts.REGULAR, 9, width, "en")
        assert all(line and line[0] not in NO_LINE_START and line[0] != "\u00a0" for line in lines[1:]), lines
        assert all(fonts.width(line, fonts.REGULAR, 9) <= width + 0.01 for line in lines), lines
        assert not any(a.endswith("-") and b.endswith("-") for a, b in zip(lines, lines[1:]))
    lines = wrap(text, fonts.REGULAR, 9, 100, "en")
    assert any(line.endswith("-") for line in lines)  # hyphenated somewhere
    assert "".join(ln[:-1] if ln.endswith("-") else ln + " " for ln in lines).split() == text.split()


def test_a_one_letter_word_never_ends_a_line():
    text = "Un titre qui va à la ligne juste après à et y va encore a la fin"
    for width in range(40, 200, 3):
        for line in wrap(text, fonts.BOLD, 12, width, "fr")[:-1]:
            assert line.split(" ")[-1].split("\u00a0")[-1] not in ("à", "y", "a"), (width, line)


def test_direction_joiners_and_emoji():
    assert is_rtl("שלום, ça va ?") and is_rtl("  مرحبا") and not is_rtl("Comment dit-on שלום ?")
    assert clean("👩\u200d💻 ❤️ 👍🏽") == "👩💻 ❤ 👍"
    runs = fonts.runs("Bravo 😀 שלום مرحبا", fonts.REGULAR)
    assert ("😀", fonts.EMOJI) in runs and ("שלום", fonts.HEBREW) in runs and ("مرحبا", fonts.ARABIC) in runs
    block = fit([Para("مرحبا بالعالم", fonts.REGULAR)], 300, 100, 10, 6.5)
    assert block.lines[0].rtl and block.lines[0].text.startswith("ﻢ")  # shaped, in display order
    block = fit([Para("Comment dit-on שלום ?", fonts.REGULAR)], 300, 100, 10, 6.5)
    assert not block.lines[0].rtl and block.lines[0].text.endswith("?")


def test_text_is_never_set_below_the_minimum():
    paras = [Para("word " * 400, fonts.REGULAR, 0.8), Para("more " * 100, fonts.BOLD, 0.7)]
    block = fit(paras, 100, 120, 9, 6.5)
    assert block.truncated and min(line.size for line in block.lines) >= 6.5


def _choice(consent: str, options: list[str], hidden: bool = False, n: int = 0) -> Response:
    labels = {"a": ("Apples", "Pommes"), "b": ("Bread", "Pain"), "c": ("Cheese", "Fromage")}
    return Response(id=f"01m7z6p645ympxdx9zf2g1td{n:02d}-kz1", session="s", prompt_id="food", kind="choice",
                    language="en", consent=consent, prompt_text={"en": "Food?", "fr": "Manger ?"}, options=options,
                    option_text={"en": [labels[o][0] for o in options], "fr": [labels[o][1] for o in options]},
                    created=datetime(2026, 11, 21, 20, n).isoformat(), hidden=hidden)


def test_one_tally_same_rules_for_print_and_web():
    rs = [_choice("public", ["a"], n=1), _choice("print", ["b", "a"], n=2), _choice("print", ["b"], n=3),
          _choice("public", ["c"], hidden=True, n=4)]
    printed, = tally(rs, "print")
    assert [(r.option, r.count) for r in printed.rows] == [("a", 2), ("b", 2)] and printed.total == 3
    assert printed.rows[1].label == {"en": "Bread", "fr": "Pain"}
    web, = tally(rs, "web")
    assert [(r.option, r.count) for r in web.rows] == [("a", 1)] and web.total == 1  # no zeros, no hidden


def test_licence_dates_and_plan_words():
    assert name_and_address("https://creativecommons.org/licenses/by-nc-sa/4.0/") == \
        "CC BY-NC-SA 4.0 (creativecommons.org/licenses/by-nc-sa/4.0)"
    assert name_and_address("All rights reserved") == "All rights reserved"
    assert short_name("https://creativecommons.org/publicdomain/zero/1.0/") == "CC0 1.0"
    assert short_name("https://example.org/licence/") == "example.org/licence"
    assert format_date("2026-12-01", "fr") == "1er décembre 2026" and strings.format_date is format_date
    p = plan("minizine", 40)
    assert p.sheets == 7 and p.describe("fr").startswith("7\u00a0feuilles") and "minizines" in p.describe("en")
    assert plan("booklet", 20).describe("en") == "6 sheets, 2 staples, 1 fold"
    assert plan("pages", 3).describe("en") == "5 sheets" and not plan("pages", 3).warning("en")
    one = plan("booklet", 20, sheets_per_volume=1)  # "More than 1 sheets" before: one sheet, one form
    assert one.warning("en").startswith("More than one sheet will not fold flat")
    assert one.warning("fr").startswith("Plus d’une feuille ne se plie pas")
    assert plan("booklet", 200).warning("en").startswith("More than 12 sheets will not")
