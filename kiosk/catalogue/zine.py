"""The printed zine's words ("zine.*"): headings, colophon, captions."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "zine.questions": {"en": "The questions", "fr": "Les questions"},
    "zine.tallies": {"en": "Our own statistics", "fr": "Nos propres statistiques"},
    "zine.epigraph": {"en": "What does it mean to be part of statistical fiction?",
                 "fr": "Que signifie faire partie d’une fiction statistique\u00a0?"},
    "zine.answers.one": {"en": "{n} answer", "fr": "{n}\u00a0réponse"},
    "zine.answers.other": {"en": "{n} answers", "fr": "{n}\u00a0réponses"},
    "zine.colophon": {"en": "How this zine was made", "fr": "Comment ce zine a été fait"},
    "zine.how": {
        "en": "At {where}, visitors answered the School’s questions by drawing on a touchscreen kiosk. "
              "Each drawing is printed from its own pen strokes. Nothing is kept about the people who "
              "drew: no name, no photo.",
        "fr": "Lors de {where}, des visiteur⋅euses ont répondu aux questions de l’École en dessinant sur "
              "une borne tactile. Chaque dessin est imprimé à partir de ses propres traits. Rien n’est "
              "gardé sur les personnes qui ont dessiné\u00a0: ni nom, ni photo.",
    },
    "zine.consent": {
        "en": "Every answer is printed here with the consent of the person who gave it. A QR code leads "
              "to an answer in the online archive only where they agreed to share it there too.",
        "fr": "Chaque réponse est imprimée avec le consentement de la personne qui l’a donnée. Un code QR "
              "mène à une réponse dans l’archive en ligne seulement si elle a aussi accepté de l’y partager.",
    },
    "zine.made": {"en": "Made on {date} with kiosk {version}.", "fr": "Fait le {date} avec kiosk {version}."},
    "zine.archive": {"en": "The whole session in the archive", "fr": "Toute la séance dans l’archive"},
    "zine.print_only": {"en": "in this zine only", "fr": "dans ce zine seulement"},
    "zine.your_turn": {"en": "Your turn: draw your answer", "fr": "À vous\u00a0: dessinez votre réponse"},
}
