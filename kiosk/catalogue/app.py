"""The visitor kiosk's and the facilitator screen's words, keyed by screen ("welcome.*", "tool.*", "fac.*").

The consent texts and the questions are not here: they come from the settings and the
question set, so that each exhibition can word them.
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    # --- welcome / attract ------------------------------------------------------------
    "welcome.begin": {"en": "Touch to begin", "fr": "Touchez l’écran pour commencer"},
    "welcome.invite": {"en": "Draw your answer to one of the School’s questions.",
                       "fr": "Dessinez votre réponse à l’une des questions de l’École."},
    "welcome.caption": {"en": "Drawn here by a visitor, in answer to:",
                        "fr": "Dessiné ici par une personne de passage, en réponse à\u00a0:"},
    "welcome.first": {"en": "Your drawing could be the first one here.",
                      "fr": "Votre dessin pourrait être le premier ici."},

    "welcome.large": {"en": "Large text", "fr": "Grands caractères"},

    # --- for every visitor screen --------------------------------------------------------
    "speak.read": {"en": "Read aloud", "fr": "Lire à voix haute"},
    "app.too_small": {"en": "This window is too small for the kiosk. Make it at least "
                            "{w}\u00a0×\u00a0{h}\u00a0pixels.",
                      "fr": "Cette fenêtre est trop petite pour le kiosque. Agrandissez-la à au moins "
                            "{w}\u00a0×\u00a0{h}\u00a0pixels."},

    # --- question choice ---------------------------------------------------------------
    "question.title": {"en": "Choose a question", "fr": "Choisissez une question"},
    "question.back": {"en": "Back", "fr": "Retour"},
    "question.next": {"en": "More questions", "fr": "Autres questions"},
    "question.previous": {"en": "Previous", "fr": "Précédentes"},
    "question.page": {"en": "{n} of {total}", "fr": "{n} sur {total}"},
    "kind.draw": {"en": "Draw", "fr": "Dessiner"},
    "kind.choice": {"en": "Choose", "fr": "Choisir"},
    "kind.text": {"en": "Write", "fr": "Écrire"},

    # --- drawing tools -----------------------------------------------------------------
    "tool.colour": {"en": "Colour {n}", "fr": "Couleur {n}"},
    "tool.eraser": {"en": "Eraser", "fr": "Gomme"},
    "tool.thin": {"en": "Thin", "fr": "Fin"},
    "tool.medium": {"en": "Medium", "fr": "Moyen"},
    "tool.thick": {"en": "Thick", "fr": "Épais"},
    "tool.undo": {"en": "Undo", "fr": "Annuler"},
    "tool.redo": {"en": "Redo", "fr": "Rétablir"},
    "tool.clear": {"en": "Clear", "fr": "Effacer"},
    "tool.done": {"en": "Done", "fr": "Terminé"},
    "clear.question": {"en": "Clear the whole drawing?", "fr": "Effacer tout le dessin\u00a0?"},
    "clear.yes": {"en": "Yes, clear it", "fr": "Oui, tout effacer"},
    "clear.no": {"en": "No, keep it", "fr": "Non, le garder"},
    "answer.restored": {"en": "Welcome back: your answer was kept. Carry on, or clear it to start again.",
                        "fr": "Re-bonjour\u00a0: votre réponse a été gardée. Continuez, ou effacez-la pour "
                              "recommencer."},
    "answer.leave": {"en": "Leave this answer?", "fr": "Abandonner cette réponse\u00a0?"},
    "answer.leave_body": {"en": "What you have drawn or written will not be kept.",
                          "fr": "Ce que vous avez dessiné ou écrit ne sera pas gardé."},
    "answer.leave_yes": {"en": "Yes, leave it", "fr": "Oui, abandonner"},
    "answer.leave_no": {"en": "No, carry on", "fr": "Non, continuer"},

    # --- choice --------------------------------------------------------------------------
    "choice.single": {"en": "Choose one", "fr": "Choisissez-en une"},
    "choice.many": {"en": "Choose one or more", "fr": "Choisissez-en une ou plusieurs"},

    # --- text and the on-screen keyboard ---------------------------------------------------
    "text.placeholder": {"en": "Type here…", "fr": "Écrivez ici…"},
    "text.left.one": {"en": "{n} character left", "fr": "{n} caractère restant"},
    "text.left.other": {"en": "{n} characters left", "fr": "{n} caractères restants"},
    "text.full": {"en": "That’s the limit", "fr": "C’est la limite"},
    "text.keyboard": {"en": "Keyboard", "fr": "Clavier"},
    "text.drawing": {"en": "Drawing", "fr": "Dessin"},
    "key.space": {"en": "space", "fr": "espace"},
    "key.symbols": {"en": "?123", "fr": "?123"},
    "key.letters": {"en": "ABC", "fr": "ABC"},
    "key.azerty": {"en": "AZERTY", "fr": "AZERTY"},
    "key.qwerty": {"en": "QWERTY", "fr": "QWERTY"},

    # --- consent -------------------------------------------------------------------------
    "consent.back": {"en": "Back to my answer", "fr": "Revenir à ma réponse"},
    "consent.preview": {"en": "Your answer", "fr": "Votre réponse"},

    # --- thanks --------------------------------------------------------------------------
    "thanks.title": {"en": "Thank you!", "fr": "Merci\u00a0!"},
    "thanks.number": {"en": "Yours is answer number {n} of this session.",
                      "fr": "C’est la réponse n°\u00a0{n} de cette séance."},
    "thanks.public": {"en": "It will be in the printed zine and the online archive.",
                      "fr": "Elle sera dans le zine imprimé et l’archive en ligne."},
    "thanks.print": {"en": "It will be in the printed zine, and nowhere else.",
                     "fr": "Elle sera dans le zine imprimé, et nulle part ailleurs."},
    "thanks.qr": {"en": "Scan this to find it in the archive later.",
                  "fr": "Scannez ce code pour la retrouver plus tard dans l’archive."},
    "thanks.discarded": {"en": "Thank you for taking part. Nothing was kept.",
                         "fr": "Merci d’avoir participé. Rien n’a été gardé."},
    "thanks.finish": {"en": "Touch to finish", "fr": "Touchez pour terminer"},

    # --- idle ----------------------------------------------------------------------------
    "idle.title": {"en": "Still there?", "fr": "Vous êtes toujours là\u00a0?"},
    "idle.body.one": {"en": "Touch the screen to carry on. Starting again in {n} second.",
                      "fr": "Touchez l’écran pour continuer. Retour à l’accueil dans {n}\u00a0seconde."},
    "idle.body.other": {"en": "Touch the screen to carry on. Starting again in {n} seconds.",
                        "fr": "Touchez l’écran pour continuer. Retour à l’accueil dans {n}\u00a0secondes."},
    "idle.keep": {"en": "I’m still here", "fr": "Je suis toujours là"},

    # --- the calm error screen -----------------------------------------------------------------
    "error.title": {"en": "Sorry, something went wrong.", "fr": "Désolé, quelque chose s’est mal passé."},
    "error.body": {"en": "Touch the screen to start again.", "fr": "Touchez l’écran pour recommencer."},

    # --- facilitator: PIN --------------------------------------------------------------------
    "pin.title": {"en": "Facilitators only", "fr": "Réservé à l’équipe d’animation"},
    "pin.prompt": {"en": "Enter the PIN", "fr": "Saisissez le code"},
    "pin.wrong": {"en": "Wrong PIN, try again.", "fr": "Code incorrect, réessayez."},
    "pin.wait.one": {"en": "Too many tries. Wait {n} second.", "fr": "Trop d’essais. Attendez {n}\u00a0seconde."},
    "pin.wait.other": {"en": "Too many tries. Wait {n} seconds.", "fr": "Trop d’essais. Attendez {n}\u00a0secondes."},
    "pin.checking": {"en": "Checking…", "fr": "Vérification…"},
    "pin.default": {"en": "The PIN is still the default, 0000. Set your own with: kiosk pin set",
                    "fr": "Le code est encore celui par défaut, 0000. Choisissez le vôtre avec\u00a0: kiosk pin set"},
    "pin.cancel": {"en": "Cancel", "fr": "Annuler"},
    "pin.ok": {"en": "OK", "fr": "OK"},

    # --- facilitator screen --------------------------------------------------------------------
    "fac.title": {"en": "Facilitator", "fr": "Animation"},
    "fac.back": {"en": "Back to the kiosk", "fr": "Retour au kiosque"},
    "fac.session": {"en": "Session", "fr": "Séance"},
    "fac.no_session": {"en": "No session yet: one starts with the first answer.",
                       "fr": "Pas encore de séance\u00a0: elle commence avec la première réponse."},
    "fac.responses.one": {"en": "{n} answer so far", "fr": "{n} réponse pour l’instant"},
    "fac.responses.other": {"en": "{n} answers so far", "fr": "{n} réponses pour l’instant"},
    "fac.counts": {"en": "{public} public · {print} zine only · {hidden} hidden",
                   "fr": "{public} publiques · {print} zine seulement · {hidden} masquées"},
    "fac.new_session": {"en": "New session", "fr": "Nouvelle séance"},
    "fac.new_session_title": {"en": "Title of the new session", "fr": "Titre de la nouvelle séance"},
    "fac.start": {"en": "Start it", "fr": "La commencer"},
    "fac.cancel": {"en": "Cancel", "fr": "Annuler"},
    "fac.space": {"en": "{free} free of {total}", "fr": "{free} libres sur {total}"},
    "fac.space_low": {"en": "The data folder is nearly full: free some space.",
                      "fr": "Le dossier de données est presque plein\u00a0: libérez de la place."},
    "fac.save_problem": {"en": "Answers are not being saved: {reason}",
                         "fr": "Les réponses ne sont pas enregistrées\u00a0: {reason}"},
    "fac.waiting.one": {"en": "{n} answer is waiting in memory and will be saved as soon as possible.",
                        "fr": "{n} réponse attend en mémoire et sera enregistrée dès que possible."},
    "fac.waiting.other": {"en": "{n} answers are waiting in memory and will be saved as soon as possible.",
                          "fr": "{n} réponses attendent en mémoire et seront enregistrées dès que possible."},
    "fac.saved_ok": {"en": "Every answer is saved.", "fr": "Toutes les réponses sont enregistrées."},
    "fac.recent": {"en": "Latest answers: touch one to hide or show it",
                   "fr": "Dernières réponses\u00a0: touchez-en une pour la masquer ou l’afficher"},
    "fac.none_yet": {"en": "No answers yet.", "fr": "Pas encore de réponse."},
    "fac.hidden": {"en": "Hidden", "fr": "Masquée"},
    "fac.print_only": {"en": "Zine only", "fr": "Zine seulement"},
    "fac.loading": {"en": "Loading…", "fr": "Chargement…"},
    "fac.quit": {"en": "Quit the kiosk", "fr": "Quitter le kiosque"},
    "fac.quit_question": {"en": "Quit the kiosk?", "fr": "Quitter le kiosque\u00a0?"},
    "fac.quit_body": {"en": "Visitors will see the computer’s desktop until it is started again.",
                      "fr": "Les visiteurs verront le bureau de l’ordinateur jusqu’au prochain démarrage."},
    "fac.quit_yes": {"en": "Yes, quit", "fr": "Oui, quitter"},
    "fac.quit_no": {"en": "No, stay", "fr": "Non, rester"},
    "fac.zine": {"en": "Make the zine", "fr": "Faire le zine"},
    "fac.print": {"en": "Print", "fr": "Imprimer"},
    "fac.close": {"en": "Close", "fr": "Fermer"},

    # --- facilitator: the zine -----------------------------------------------------------------
    "fac.zine.title": {"en": "Make the zine of this session", "fr": "Faire le zine de cette séance"},
    "fac.zine.layout": {"en": "Layout", "fr": "Mise en page"},
    "fac.zine.minizine": {"en": "Mini-zine (one folded sheet)", "fr": "Mini-zine (une feuille pliée)"},
    "fac.zine.booklet": {"en": "Booklet", "fr": "Livret"},
    "fac.zine.paper": {"en": "Paper", "fr": "Papier"},
    "fac.zine.a4": {"en": "A4", "fr": "A4"},
    "fac.zine.letter": {"en": "US Letter", "fr": "Lettre US"},
    "fac.zine.make": {"en": "Make it", "fr": "Le faire"},
    "fac.zine.working": {"en": "Making the zine… {done} of {total}", "fr": "Fabrication du zine… {done} sur {total}"},
    "fac.zine.done.one": {"en": "The zine is ready: {n} page.", "fr": "Le zine est prêt\u00a0: {n} page."},
    "fac.zine.done.other": {"en": "The zine is ready: {n} pages.", "fr": "Le zine est prêt\u00a0: {n} pages."},
    "fac.zine.left_out.one": {"en": "{n} answer was left out.", "fr": "{n} réponse a été laissée de côté."},
    "fac.zine.left_out.other": {"en": "{n} answers were left out.", "fr": "{n} réponses ont été laissées de côté."},
    "fac.zine.failed": {"en": "The zine could not be made: {reason}", "fr": "Le zine n’a pas pu être fait\u00a0: {reason}"},
    "fac.zine.unavailable": {"en": "Making zines is not part of this version of the kiosk yet.",
                         "fr": "La fabrication des zines n’est pas encore dans cette version du kiosque."},
    "fac.zine.no_session": {"en": "There is no session to make a zine of yet.",
                        "fr": "Il n’y a pas encore de séance dont faire un zine."},

    # --- facilitator: printing -----------------------------------------------------------------
    "fac.print.title": {"en": "Print the zine", "fr": "Imprimer le zine"},
    "fac.print.printer": {"en": "Printer", "fr": "Imprimante"},
    "fac.print.copies": {"en": "Copies", "fr": "Exemplaires"},
    "fac.print.send": {"en": "Print", "fr": "Imprimer"},
    "fac.print.looking": {"en": "Looking for printers…", "fr": "Recherche des imprimantes…"},
    "fac.print.none": {"en": "No printer found: connect one and add it in the printer settings (CUPS).",
                   "fr": "Aucune imprimante trouvée\u00a0: branchez-en une et ajoutez-la dans les réglages "
                         "d’impression (CUPS)."},
    "fac.print.no_zine": {"en": "Make the zine first.", "fr": "Faites d’abord le zine."},
    "fac.print.sending": {"en": "Sending to the printer…", "fr": "Envoi à l’imprimante…"},
    "fac.print.job": {"en": "Job {job}: {state}", "fr": "Travail {job}\u00a0: {state}"},
    "fac.print.paused": {"en": "The printer is paused: {reason}", "fr": "L’imprimante est en pause\u00a0: {reason}"},
    "fac.print.resume": {"en": "Resume the printer", "fr": "Relancer l’imprimante"},
    "fac.print.failed": {"en": "Printing failed: {reason}", "fr": "L’impression a échoué\u00a0: {reason}"},
    "fac.print.unavailable": {"en": "Printing is not part of this version of the kiosk yet.",
                          "fr": "L’impression n’est pas encore dans cette version du kiosque."},
    "job.pending": {"en": "waiting", "fr": "en attente"},
    "job.held": {"en": "held", "fr": "retenu"},
    "job.processing": {"en": "printing", "fr": "en cours d’impression"},
    "job.stopped": {"en": "stopped", "fr": "arrêté"},
    "job.canceled": {"en": "cancelled", "fr": "annulé"},
    "job.aborted": {"en": "failed", "fr": "échoué"},
    "job.completed": {"en": "printed", "fr": "imprimé"},
    "printer.idle": {"en": "ready", "fr": "prête"},
    "printer.printing": {"en": "printing", "fr": "en train d’imprimer"},
    "printer.paused": {"en": "paused", "fr": "en pause"},
}
