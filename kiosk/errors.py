"""What reaches a person when something is wrong: a KioskError names the problem and the fix;
a Problem is one thing found wrong in a file or a folder (a settings line, a damaged drawing).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem in a file or folder, printed as `PATH:LINE: message` (line 0: the whole of it).

    `serious` is False for what is worth knowing while nothing is wrong (a leftover of an
    interrupted save): `kiosk check` lists it as a note.
    """

    path: str | Path
    line: int
    message: str
    serious: bool = True
    fix: str = ""  # what to do about it, when there is one thing to do

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


class KioskError(Exception):
    """A problem the user can act on. `fix` says what to do about it."""

    def __init__(self, problem: str, fix: str = "", code: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix
        self.code = code  # a name for the kind of problem, for a screen that says it in its own words

    def __str__(self) -> str:
        return f"{self.problem}\n  fix: {self.fix}" if self.fix else self.problem
