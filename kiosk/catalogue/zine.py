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
        "en": "At {where}, visitors answered {questions} by drawing on a touchscreen kiosk. "
              "Each drawing is printed from its own pen strokes. Nothing is kept about the people who "
              "drew: no name, no photo.",
        "fr": "Lors de {where}, des visiteur⋅euses ont répondu {questions} en dessinant sur "
              "une borne tactile. Chaque dessin est imprimé à partir de ses propres traits. Rien n’est "
              "gardé sur les personnes qui ont dessiné\u00a0: ni nom, ni photo.",
    },
    "zine.questions_plain": {"en": "the questions", "fr": "à des questions"},
    "zine.questions_of": {"en": "the questions of {title}", "fr": "aux questions de {title}"},
    "zine.consent": {
        "en": "Every answer is printed here with the consent of the person who gave it.",
        "fr": "Chaque réponse est imprimée avec le consentement de la personne qui l’a donnée.",
    },
    "zine.consent_qr": {
        "en": "Every answer is printed here with the consent of the person who gave it. A QR code leads "
              "to an answer in the online archive only where they agreed to share it there too.",
        "fr": "Chaque réponse est imprimée avec le consentement de la personne qui l’a donnée. Un code QR "
              "mène à une réponse dans l’archive en ligne seulement si elle a aussi accepté de l’y partager.",
    },
    "zine.archive_at": {"en": "The archive: {url}", "fr": "L’archive\u00a0: {url}"},
    "zine.license": {"en": "Licence: {name}.", "fr": "Licence\u00a0: {name}."},
    "zine.removal": {"en": "To have an answer removed, write to {contact}.",
                     "fr": "Pour faire retirer une réponse, écrivez à {contact}."},
    "zine.removal_org": {"en": "To have an answer removed, ask {org}.",
                         "fr": "Pour faire retirer une réponse, demandez-le à {org}."},
    "zine.made": {"en": "Made on {date} with kiosk {version}.", "fr": "Fait le {date} avec kiosk {version}."},
    "zine.archive": {"en": "The whole session in the archive", "fr": "Toute la séance dans l’archive"},
    "zine.print_only": {"en": "in this zine only", "fr": "dans ce zine seulement"},
    "zine.your_turn": {"en": "Your turn: draw your answer", "fr": "À vous\u00a0: dessinez votre réponse"},
    "zine.sheet_of": {"en": "sheet {n} of {total}", "fr": "feuille {n} sur {total}"},
    "zine.volume_of": {"en": "volume {n} of {total}", "fr": "volume {n} sur {total}"},
    "zine.numbers": {"en": "answers № {first}–{last}", "fr": "réponses nº {first} à {last}"},
    "zine.questions_more": {"en": "The questions (continued)", "fr": "Les questions (suite)"},
    "zine.tally_note_print": {
        "en": "Counted: the answers shared online and those for this zine only; hidden answers are not.",
        "fr": "Comptées\u00a0: les réponses partagées en ligne et celles pour ce zine seulement\u00a0; "
              "pas les réponses masquées.",
    },
    "zine.plan.sheets.one": {"en": "{n} sheet", "fr": "{n}\u00a0feuille"},
    "zine.plan.sheets.other": {"en": "{n} sheets", "fr": "{n}\u00a0feuilles"},
    "zine.plan.staples.one": {"en": "{n} staple", "fr": "{n}\u00a0agrafe"},
    "zine.plan.staples.other": {"en": "{n} staples", "fr": "{n}\u00a0agrafes"},
    "zine.plan.folds.one": {"en": "{n} fold", "fr": "{n}\u00a0pli"},
    "zine.plan.folds.other": {"en": "{n} folds", "fr": "{n}\u00a0plis"},
    "zine.plan.cuts.one": {"en": "{n} cut", "fr": "{n}\u00a0coupe"},
    "zine.plan.cuts.other": {"en": "{n} cuts", "fr": "{n}\u00a0coupes"},
    "zine.plan.minizines.one": {"en": "{n} minizine of 8 pages", "fr": "{n}\u00a0minizine de 8\u00a0pages"},
    "zine.plan.minizines.other": {"en": "{n} minizines of 8 pages, each complete",
                                  "fr": "{n}\u00a0minizines de 8\u00a0pages, chacun complet"},
    "zine.plan.volumes.one": {"en": "{n} volume", "fr": "{n}\u00a0volume"},
    "zine.plan.volumes.other": {"en": "{n} volumes, each stapled on its own",
                                "fr": "{n}\u00a0volumes, chacun agrafé à part"},
    "zine.plan.too_many_minizines": {
        "en": "That is {n} separate minizines to print, cut and fold: choose the booklet layout for fewer "
              "objects to make.",
        "fr": "Cela fait {n}\u00a0minizines séparés à imprimer, couper et plier\u00a0: choisissez le livret "
              "pour moins d’objets à faire.",
    },
    "zine.plan.many_volumes": {
        "en": "More than {limit} sheets will not fold flat under one staple: the booklet comes in {n} volumes.",
        "fr": "Plus de {limit}\u00a0feuilles ne se plient pas à plat sous une agrafe\u00a0: le livret "
              "sera en {n}\u00a0volumes.",
    },
}
