"""The archive's own words, in English and French, and dates written out in each language.

Pages show their interface words in every language of the kiosk (English first when it is
one of them), so a visitor who answered in French reads the page as easily as one who
answered in English. A language with no entry here falls back to English. French
typography as in kiosk/i18n.py: a no-break space before : ? ! ;
"""

from __future__ import annotations

from datetime import date, datetime

NBSP = "\u00a0"

UI: dict[str, dict[str, str]] = {
    "archive": {"en": "Archive", "fr": "Archives"},
    "sessions": {"en": "Sessions", "fr": "Séances"},
    "session": {"en": "Session", "fr": "Séance"},
    "question": {"en": "Question", "fr": "Question"},
    "questions": {"en": "Questions asked", "fr": "Questions posées"},
    "answer": {"en": "Answer", "fr": "Réponse"},
    "drawings": {"en": "Responses", "fr": "Réponses"},
    "tally": {"en": "Choices made", "fr": "Choix exprimés"},
    "date": {"en": "Date", "fr": "Date"},
    "previous": {"en": "Previous", "fr": "Précédente"},
    "next": {"en": "Next", "fr": "Suivante"},
    "all_sessions": {"en": "All sessions", "fr": "Toutes les séances"},
    "cite": {"en": "Cite this response", "fr": "Citer cette réponse"},
    "permanent": {"en": "Permanent address", "fr": "Adresse permanente"},
    "no_base": {"en": "this page's folder r/{id}/ in the archive (the archive has no web address set)",
                "fr": "le dossier r/{id}/ de ces archives (aucune adresse web n’est définie)"},
    "rights": {"en": "Rights", "fr": "Droits"},
    "license": {"en": "Licence", "fr": "Licence"},
    "files": {"en": "Files", "fr": "Fichiers"},
    "png": {"en": "Image (PNG)", "fr": "Image (PNG)"},
    "svg": {"en": "Vector image (SVG)", "fr": "Image vectorielle (SVG)"},
    "strokes": {"en": "Strokes (JSON)", "fr": "Tracés (JSON)"},
    "response_n": {"en": "Response {n}", "fr": "Réponse {n}"},
    "count": {"en": "{n} public responses", "fr": "{n} réponses publiques"},
    "count_one": {"en": "1 public response", "fr": "1 réponse publique"},
    "count_none": {"en": "No public responses", "fr": "Aucune réponse publique"},
    "page_n": {"en": "Page {n} of {total}", "fr": "Page {n} sur {total}"},
    "pages": {"en": "Pages", "fr": "Pages"},
    "drawing_of": {"en": "Drawing in answer to: {q}", "fr": "Dessin en réponse à\u00a0: {q}"},
    "no_drawing": {"en": "(no drawing)", "fr": "(pas de dessin)"},
    "skip": {"en": "Skip to content", "fr": "Aller au contenu"},
    "not_found": {"en": "Page not found", "fr": "Page introuvable"},
    "not_found_text": {"en": "There is no page at this address in the archive. The answer may have been "
                             "withdrawn, or the address mistyped.",
                       "fr": "Il n’y a pas de page à cette adresse dans l’archive. La réponse a peut-être été "
                             "retirée, ou l’adresse mal saisie."},
    "not_found_home": {"en": "Go to the archive’s home page", "fr": "Aller à l’accueil de l’archive"},
    "intro": {"en": "Drawings and answers that visitors chose to share.",
              "fr": "Les dessins et les réponses que les visiteur⋅euses ont choisi de partager."},
    "empty": {"en": "Nothing has been shared publicly yet.", "fr": "Rien n’a encore été partagé publiquement."},
}

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"],
}


def word(key: str, lang: str, **values: object) -> str:
    """One interface phrase in one language (English when the language has none)."""
    texts = UI[key]
    text = texts.get(lang) or texts["en"]
    return text.format(**values) if values else text


def ui_languages(languages: list[str]) -> list[str]:
    """The languages the interface is shown in: the kiosk's own that we have words for, English first."""
    known = [lang for lang in languages if lang in UI["archive"]]
    if not known:
        return ["en"]
    return sorted(known, key=lambda lang: lang != "en")


def format_date(value: str, lang: str) -> str:
    """'2026-11-21' or an ISO timestamp as '21 November 2026' / '21 novembre 2026' (with the time if given)."""
    try:
        if "T" in value:
            dt = datetime.fromisoformat(value)
            d, clock = dt.date(), dt.strftime("%H:%M")
        else:
            d, clock = date.fromisoformat(value), ""
    except ValueError:
        return value
    months = MONTHS.get(lang, MONTHS["en"])
    day = "1er" if (lang == "fr" and d.day == 1) else str(d.day)
    text = f"{day} {months[d.month - 1]} {d.year}"
    if clock:
        # French: "14 h 03", held together by no-break spaces.
        text += f", {clock.replace(':', NBSP + 'h' + NBSP)}" if lang == "fr" else f", {clock}"
    return text
