"""What the facilitators' screens keep while the kiosk runs, apart from the visitor's answer:
where to go back to, the PIN pad's wrong tries, the zine chosen for printing, the page of
answers being moderated. The facilitator scenes read and change this object, never the App's
own attributes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kiosk.pin import Lockout


@dataclass
class ZineFile:
    """A zine PDF on disk, as the print screen lists it."""
    path: Path
    layout: str  # minizine | booklet | "" (not known)
    pages: int  # pages of the PDF (sheet sides); 0 when it cannot be read
    made: float  # modification time, seconds since the epoch
    left_out: list[str] | None = None  # "id: reason", when made on this screen
    parts: int = 0  # booklet volumes (minizine sheets), each folded on its own; 0 when not known


@dataclass
class Facilitation:
    resume_scene: str = "welcome"  # where "Back to the kiosk" goes
    pin_lockout: Lockout = field(default_factory=Lockout)  # wrong PINs and the wait (kiosk/pin.py)
    zine: ZineFile | None = None  # the zine to print: the one just made, or one chosen from the list
    moderation_page: int = 0
