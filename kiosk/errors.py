"""The one exception type that reaches a person: it names the problem and the fix."""

from __future__ import annotations


class KioskError(Exception):
    """A problem the user can act on. `fix` says what to do about it."""

    def __init__(self, problem: str, fix: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.problem}\n  fix: {self.fix}" if self.fix else self.problem
