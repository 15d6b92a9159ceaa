"""Read aloud: the question or the consent text spoken by espeak-ng, offline, in the visitor's
language. The speech runs as its own process that the frame never waits for; a new request
stops the one before. Without espeak-ng the button stays silent and the log says so once.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from collections.abc import Sequence

log = logging.getLogger("kiosk.app")

PROGRAM = "espeak-ng"
VOICES = {"en": "en-gb", "fr": "fr-fr"}  # the visitor's language -> an espeak-ng voice
SPEED_WPM = 150  # a little slower than espeak-ng's 175: strangers, in a gallery


class Speaker:
    """Speaks one text at a time. `output`: extra espeak-ng arguments that say where the sound
    goes (tests: ("-w", "/dev/null")); the default is the sound card."""

    def __init__(self, program: str = PROGRAM, output: Sequence[str] = (), path: str | None = None) -> None:
        self.path = shutil.which(program, path=path)
        self.output = list(output)
        self.process: subprocess.Popen[bytes] | None = None
        self.command: list[str] | None = None  # the last command run (what tests check)
        self._warned = False
        self._ending: list[subprocess.Popen[bytes]] = []  # stopped, not yet reaped (never waited for)

    @property
    def available(self) -> bool:
        return self.path is not None

    def say(self, text: str, language: str) -> bool:
        """Start speaking `text` (stopping what was being said); False when it cannot speak."""
        self.stop()
        if self.path is None:
            if not self._warned:
                log.info("read aloud: %s is not installed, so the button stays silent "
                         "(install it: apt-get install espeak-ng)", PROGRAM)
                self._warned = True
            return False
        voice = VOICES.get(language.split("-")[0], VOICES["en"])
        self.command = [self.path, "-v", voice, "-s", str(SPEED_WPM), *self.output, text]
        try:
            self.process = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL)
        except OSError as e:
            log.warning("read aloud: %s could not start: %s", PROGRAM, e)
            self.process = None
            return False
        return True

    def speaking(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """Stop the speech in progress (a new tap, the next visitor); reaps the old process."""
        proc, self.process = self.process, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            self._ending.append(proc)
        self._ending = [p for p in self._ending if p.poll() is None]
