"""The web archive's own words ("archive.*"), shown in every language of the kiosk."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "archive.archive": {"en": "Archive", "fr": "Archives"},
    "archive.sessions": {"en": "Sessions", "fr": "Séances"},
    "archive.session": {"en": "Session", "fr": "Séance"},
    "archive.question": {"en": "Question", "fr": "Question"},
    "archive.questions": {"en": "Questions asked", "fr": "Questions posées"},
    "archive.answer": {"en": "Answer", "fr": "Réponse"},
    "archive.drawings": {"en": "Responses", "fr": "Réponses"},
    "archive.tally": {"en": "Choices made", "fr": "Choix exprimés"},
    "archive.date": {"en": "Date", "fr": "Date"},
    "archive.previous": {"en": "Previous", "fr": "Précédente"},
    "archive.next": {"en": "Next", "fr": "Suivante"},
    "archive.all_sessions": {"en": "All sessions", "fr": "Toutes les séances"},
    "archive.cite": {"en": "Cite this response", "fr": "Citer cette réponse"},
    "archive.permanent": {"en": "Permanent address", "fr": "Adresse permanente"},
    "archive.no_base": {"en": "this page’s folder r/{id}/ in the archive (the archive has no web address set)",
                "fr": "le dossier r/{id}/ de ces archives (aucune adresse web n’est définie)"},
    "archive.rights": {"en": "Rights", "fr": "Droits"},
    "archive.license": {"en": "Licence", "fr": "Licence d’utilisation"},
    "archive.files": {"en": "Files", "fr": "Fichiers"},
    "archive.png": {"en": "Image (PNG)", "fr": "Image (PNG)"},
    "archive.svg": {"en": "Vector image (SVG)", "fr": "Image vectorielle (SVG)"},
    "archive.strokes": {"en": "Strokes (JSON)", "fr": "Tracés (JSON)"},
    "archive.response_n": {"en": "Response {n}", "fr": "Réponse {n}"},
    "archive.count.one": {"en": "{n} public response", "fr": "{n}\u00a0réponse publique"},
    "archive.count.other": {"en": "{n} public responses", "fr": "{n}\u00a0réponses publiques"},
    "archive.count_none": {"en": "No public responses", "fr": "Aucune réponse publique"},
    "archive.page_n": {"en": "Page {n} of {total}", "fr": "Page {n} sur {total}"},
    "archive.pages": {"en": "Pages", "fr": "Pages"},
    "archive.drawing_of": {"en": "Drawing in answer to: {q}", "fr": "Dessin en réponse à\u00a0: {q}"},
    "archive.no_drawing": {"en": "(no drawing)", "fr": "(pas de dessin)"},
    "archive.skip": {"en": "Skip to content", "fr": "Aller au contenu"},
    "archive.not_found": {"en": "Page not found", "fr": "Page introuvable"},
    "archive.not_found_home": {"en": "Go to the archive’s home page", "fr": "Aller à l’accueil de l’archive"},
    "archive.intro": {"en": "Drawings and answers that visitors chose to share.",
              "fr": "Les dessins et les réponses que les visiteur⋅euses ont choisi de partager."},
    "archive.empty": {"en": "Nothing has been shared publicly yet.", "fr": "Rien n’a encore été partagé publiquement."},
    "archive.about": {"en": "About this archive", "fr": "À propos de ces archives"},
    "archive.about_intro": {"en": "{org} keeps this archive of the drawings and answers that visitors of its sessions "
                                  "made at a drawing kiosk and chose to share.",
                            "fr": "{org} conserve ces archives des dessins et des réponses que les visiteur⋅euses de "
                                  "ses séances ont faits sur une borne à dessin et ont choisi de partager."},
    "archive.consent_title": {"en": "Consent", "fr": "Consentement"},
    "archive.consent_policy": {"en": "Nothing is published without its author’s consent. At the kiosk, each visitor "
                                     "chose what becomes of their answer; only those who chose the online archive "
                                     "are here. Answers kept for the printed zine only, and answers hidden by the "
                                     "facilitators, never are. No name, photo or personal data is kept.",
                               "fr": "Rien n’est publié sans le consentement de son auteur⋅ice. À la borne, chaque "
                                     "personne a choisi ce que devient sa réponse ; seules celles qui ont choisi "
                                     "les archives en ligne sont ici. Les réponses gardées pour le zine imprimé "
                                     "seulement, et celles que les animateur⋅ices ont masquées, n’y sont jamais. "
                                     "Aucun nom, aucune photo, aucune donnée personnelle n’est conservée."},
    "archive.removal_title": {"en": "Asking for removal", "fr": "Demander un retrait"},
    "archive.removal_contact": {"en": "To have an answer removed, write to this address with the answer’s address "
                                      "(it ends in r/ and a code). Its page will then say it was withdrawn.",
                                "fr": "Pour faire retirer une réponse, écrivez à cette adresse en donnant l’adresse "
                                      "de la réponse (elle finit par r/ et un code). Sa page dira alors qu’elle a "
                                      "été retirée."},
    "archive.removal_no_contact": {"en": "To have an answer removed, ask the facilitators of the exhibition, with "
                                         "the answer’s address (it ends in r/ and a code). Its page will then say "
                                         "it was withdrawn.",
                                   "fr": "Pour faire retirer une réponse, demandez-le aux animateur⋅ices de "
                                         "l’exposition, en donnant l’adresse de la réponse (elle finit par r/ et un "
                                         "code). Sa page dira alors qu’elle a été retirée."},
    "archive.license_is": {"en": "The drawings and answers are published under this licence:",
                           "fr": "Les dessins et les réponses sont publiés sous cette licence :"},
    "archive.feed": {"en": "New answers (Atom feed)", "fr": "Nouvelles réponses (flux Atom)"},
    "archive.watch": {"en": "Watch it being drawn", "fr": "Le regarder se dessiner"},
    "archive.watch_note": {"en": "The strokes again, at the pace they were drawn (long pauses shortened). The film "
                                 "alone:",
                           "fr": "Les traits à nouveau, au rythme où ils ont été tracés (longues pauses raccourcies). "
                                 "Le film seul :"},
    "archive.all_answers": {"en": "All answers to this question", "fr": "Toutes les réponses à cette question"},
    "archive.asked_in": {"en": "Asked in", "fr": "Posée lors de"},
    "archive.downloads": {"en": "Downloads", "fr": "Téléchargements"},
    "archive.zine": {"en": "The session’s zine (PDF)", "fr": "Le zine de la séance (PDF)"},
    "archive.csv": {"en": "Its public answers’ metadata (CSV)", "fr": "Les métadonnées de ses réponses publiques (CSV)"},
    "archive.its_session": {"en": "Its session:", "fr": "Sa séance :"},
    "archive.withdrawn_title": {"en": "This answer was withdrawn", "fr": "Cette réponse a été retirée"},
    "archive.withdrawn_text": {"en": "It was withdrawn from the archive at the request of its author or of the "
                                     "facilitators.",
                               "fr": "Elle a été retirée des archives à la demande de son auteur⋅ice ou des "
                                     "animateur⋅ices."},
    "archive.not_found_title": {"en": "Page not found", "fr": "Page introuvable"},
    "archive.not_found_text": {"en": "Nothing is at this address. It may be mistyped, or the page was moved.",
                               "fr": "Il n’y a rien à cette adresse. Elle est peut-être mal saisie, ou la page a "
                                     "été déplacée."},
}
