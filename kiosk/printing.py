"""Printing through CUPS: list the queues, send a zine with the right options, follow the job.

We drive CUPS's own command-line clients (lp, lpstat, cupsenable, cupsaccept from cups-client,
and ipptool when it is there) rather than pycups: they come with every CUPS install, need no
compiler, honour CUPS_SERVER and client.conf exactly as the rest of the system does, and their
C-locale output is stable. docs/printing.md explains the choice.

Every failure a person can act on becomes a KioskError that names the problem and the fix.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from kiosk.errors import KioskError
from kiosk.zine.imposition import LAYOUTS  # the zine room names the layouts

log = logging.getLogger("kiosk.printing")

PRINTER_STATES = ("idle", "printing", "paused")
JOB_STATES = ("pending", "held", "processing", "stopped", "canceled", "aborted", "completed")
FINISHED_STATES = ("canceled", "aborted", "completed")

# A sheet is recognised to within this many points (rounding in PDF writers).
_SIZE_TOLERANCE_PT = 2.0
# (PWG media name, short name, portrait width, portrait height in points)
_PAPERS = (
    ("iso_a4_210x297mm", "A4", 595.28, 841.89),
    ("na_letter_8.5x11in", "Letter", 612.0, 792.0),
    ("iso_a5_148x210mm", "A5", 419.53, 595.28),
    ("na_invoice_5.5x8.5in", "half-Letter", 396.0, 612.0),
)
_SIDES = {"booklet": "two-sided-short-edge", "minizine": "one-sided", "pages": "one-sided"}
_CLIENT_TIMEOUT_S = 30


@dataclass
class Printer:
    name: str
    state: str  # idle | printing | paused
    reason: str  # CUPS's own state message, else its state reasons; "" when all is well
    accepting: bool
    is_default: bool
    job: str = ""  # the job it is printing, when state == "printing"


@dataclass
class JobStatus:
    job_id: str
    state: str  # one of JOB_STATES
    reason: str  # CUPS's message or reasons, "" when there is nothing to say
    printer: str
    printer_state: str = ""  # the queue's state while the job waits: idle | printing | paused
    printer_reason: str = ""

    @property
    def finished(self) -> bool:
        return self.state in FINISHED_STATES

    @property
    def stuck(self) -> bool:
        """Waiting on a paused queue or held: it will not print until someone acts."""
        return not self.finished and (self.state == "held" or self.printer_state == "paused")


@dataclass
class PrintPlan:
    """What submit() asks CUPS for, worked out from the PDF (shown to the user before sending)."""
    layout: str
    media: str
    paper: str  # short name, e.g. "A4"
    landscape: bool
    sides: str
    options: list[str]


# ---------------------------------------------------------------------------- running the clients

def _env(server: str | None) -> dict[str, str]:
    env = dict(os.environ)
    # The C locale keeps lpstat's sentences parseable whatever the kiosk's language.
    env.update(LANG="C", LC_ALL="C", LANGUAGE="C")
    if server:
        env["CUPS_SERVER"] = server
    return env


def _server_label(server: str | None) -> str:
    return server or os.environ.get("CUPS_SERVER") or "the local CUPS"


def _tool(name: str) -> str | None:
    # cupsenable and cupsaccept live in sbin, which a normal user's PATH often lacks.
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin:/usr/local/sbin")


def _run(args: list[str], server: str | None) -> subprocess.CompletedProcess:
    tool = _tool(args[0])
    if tool is None:
        raise KioskError(
            f"CUPS's command-line tools are not installed ({args[0]} is missing)",
            "install them: sudo apt install cups cups-client cups-bsd (or `make system-deps`)", code="no_tools")
    try:
        return subprocess.run([tool, *args[1:]], capture_output=True, text=True, env=_env(server),
                              timeout=_CLIENT_TIMEOUT_S, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise KioskError(f"CUPS did not answer within {_CLIENT_TIMEOUT_S} s ({_server_label(server)})",
                         "check that the print service is healthy: sudo systemctl restart cups",
                         code="timeout") from None


def _client_error(proc: subprocess.CompletedProcess) -> str:
    text = (proc.stderr or proc.stdout or "").strip()
    # lp: Error - The printer or class does not exist.  ->  The printer or class does not exist.
    return re.sub(r"^\w+: (Error - )?", "", text.splitlines()[-1] if text else "no message")


def _require_scheduler(server: str | None) -> None:
    proc = _run(["lpstat", "-r"], server)
    if "scheduler is running" not in proc.stdout:
        raise KioskError(
            f"the CUPS print service is not running or cannot be reached ({_server_label(server)})",
            "start it with `sudo systemctl start cups`, or set CUPS_SERVER to the right server", code="no_service")


# ---------------------------------------------------------------------------- printers

_HEAD_IDLE = re.compile(r"^printer (\S+?)(?:/\S+)? is idle\.")
_HEAD_PRINTING = re.compile(r"^printer (\S+?)(?:/\S+)? now printing (\S+)\.")
_HEAD_PAUSED = re.compile(r"^printer (\S+?)(?:/\S+)? disabled since ")
_ACCEPTING = re.compile(r"^(\S+) (not )?accepting requests")
_DEFAULT = re.compile(r"^system default destination: (\S+)")
# Lines lpstat -l prints after a printer's state message: they are never the message itself.
_LONG_KEYS = ("Form mounted:", "Content types:", "Printer types:", "Description:", "Alerts:",
              "Location:", "Connection:", "Interface:", "On fault:", "After fault:", "Users ",
              "Forms allowed:", "Banner required", "Charset sets:", "Default ", "\t")


def _blocks(text: str) -> list[tuple[str, list[str]]]:
    """lpstat's output as (head line, its tab-indented detail lines without the first tab)."""
    blocks: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("\t") and blocks:
            blocks[-1][1].append(line[1:])
        elif line.strip():
            blocks.append((line.rstrip(), []))
    return blocks


def parse_lpstat_printers(text: str) -> list[Printer]:
    """Parse `lpstat -l -p -a -d` (C locale) into printers, in the order CUPS lists them."""
    printers: dict[str, Printer] = {}
    accepting: dict[str, tuple[bool, str]] = {}
    default = ""
    for head, details in _blocks(text):
        if m := _DEFAULT.match(head):
            default = m.group(1)
            continue
        if m := _ACCEPTING.match(head):
            accepting[m.group(1)] = (m.group(2) is None, details[0].strip() if details else "")
            continue
        state, job = "", ""
        if m := _HEAD_IDLE.match(head):
            state = "idle"
        elif m := _HEAD_PRINTING.match(head):
            state, job = "printing", m.group(2)
        elif m := _HEAD_PAUSED.match(head):
            state = "paused"
        if m is None or m.group(1) in printers:  # not a printer line, or a second instance
            continue
        message = ""
        if details and not details[0].startswith(_LONG_KEYS) and details[0] != "reason unknown":
            message = details[0].strip()
        alerts = next((d[len("Alerts:"):].strip() for d in details if d.startswith("Alerts:")), "")
        reasons = " ".join(r for r in alerts.split() if r not in ("none", "paused"))
        printers[m.group(1)] = Printer(m.group(1), state, message or reasons, True, False, job)
    for p in printers.values():
        p.is_default = p.name == default
        ok, why = accepting.get(p.name, (True, ""))
        p.accepting = ok
        if not ok and not p.reason:
            p.reason = why
    return list(printers.values())


def list_printers(*, server: str | None = None) -> list[Printer]:
    """The CUPS queues with their state; [] when CUPS runs but has no queue."""
    _require_scheduler(server)
    proc = _run(["lpstat", "-l", "-p", "-a", "-d"], server)
    if proc.returncode != 0 and "No destinations added" in proc.stderr:
        return []
    if proc.returncode != 0 and not proc.stdout.strip():
        raise KioskError(f"CUPS could not list its printers: {_client_error(proc)}",
                         "check the print service: lpstat -t", code="list_failed")
    return parse_lpstat_printers(proc.stdout)


def _printer_names(printers: list[Printer]) -> str:
    return ", ".join(p.name for p in printers)


def find_printer(name: str | None, *, server: str | None = None) -> Printer:
    """The named printer, else the default one, else the only one; a clear error otherwise."""
    printers = list_printers(server=server)
    if not printers:
        raise KioskError("CUPS has no printer set up",
                         "add one in CUPS (http://localhost:631/admin or lpadmin), then see `kiosk printers list`")
    if name:
        for p in printers:
            if p.name == name:
                return p
        raise KioskError(f'there is no printer called "{name}"',
                         f"use one of: {_printer_names(printers)} (see `kiosk printers list`)")
    default = [p for p in printers if p.is_default] or (printers if len(printers) == 1 else [])
    if not default:
        raise KioskError("no printer was chosen and CUPS has no default printer",
                         f"choose one with --printer: {_printer_names(printers)}")
    return default[0]


def resume(printer: str, *, server: str | None = None) -> Printer:
    """Re-enable a paused queue and make it accept jobs again (cupsenable + cupsaccept)."""
    p = find_printer(printer, server=server)
    for tool in ("cupsenable", "cupsaccept"):
        proc = _run([tool, p.name], server)
        if proc.returncode != 0:
            raise KioskError(f"CUPS would not resume {p.name}: {_client_error(proc)}",
                             "run it as a member of the lpadmin group (or with sudo), "
                             f"e.g. `sudo kiosk printers resume {p.name}`")
    return find_printer(p.name, server=server)


# ---------------------------------------------------------------------------- reading the PDF

def _read_pdf(path: Path):  # -> pypdf.PdfReader
    from pypdf import PdfReader  # pypdf is heavy; only printing needs it
    from pypdf.errors import PdfReadError

    if not path.exists():
        raise KioskError(f"{path} does not exist", "check the file name, or make a zine with `kiosk zine build`")
    if not path.is_file():
        raise KioskError(f"{path} is not a file", "give the path of a PDF file")
    try:
        with open(path, "rb") as f:
            head = f.read(1024)
    except OSError as exc:
        raise KioskError(f"cannot read {path}: {exc.strerror}", "check the file's permissions") from None
    if b"%PDF-" not in head:
        raise KioskError(f"{path} is not a PDF", "print a PDF, e.g. one made with `kiosk zine build`")
    try:
        reader = PdfReader(str(path))
        if len(reader.pages) == 0:
            raise KioskError(f"{path} has no pages", "make the zine again with `kiosk zine build`")
        reader.pages[0].mediabox  # noqa: B018 - forces the first page to parse
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise KioskError(f"{path} is a damaged PDF ({exc})", "make it again with `kiosk zine build`") from None
    return reader


def detect_layout(path: Path, reader=None) -> str | None:
    """The zine layout from the PDF's Keywords ("kiosk-zine layout=..."), else from its name."""
    reader = reader if reader is not None else _read_pdf(path)
    try:
        keywords = str((reader.metadata or {}).get("/Keywords") or "")
    except Exception as exc:  # damaged metadata must not stop a print: fall back to the name
        log.warning("%s: unreadable PDF metadata (%s); the layout is read from the name", path, exc)
        keywords = ""
    if m := re.search(r"\bkiosk-zine\b.*?\blayout=(\w+)", keywords):
        if m.group(1) in LAYOUTS:
            return m.group(1)
    if m := re.search(r"-(minizine|booklet|pages)(?:-(?:a4|letter))?(?:-\d+)?\.pdf$", path.name, re.I):
        return m.group(1).lower()
    return None


def detect_parts(reader) -> int:
    """How many complete parts (booklet volumes, minizine sheets) the zine's Keywords say it
    holds ("... parts=3"); 0 when they do not say (a zine made before they did, another PDF)."""
    try:
        keywords = str((reader.metadata or {}).get("/Keywords") or "")
    except Exception as exc:  # damaged metadata: the print screen then gives the general folding words
        log.warning("cannot read the Keywords of a zine PDF: %s", exc)
        return 0
    m = re.search(r"\bkiosk-zine\b.*?\bparts=(\d+)", keywords)
    return int(m.group(1)) if m else 0


def page_size(reader) -> tuple[float, float]:
    """The first page's size as seen (rotation applied), in points."""
    page = reader.pages[0]
    w, h = float(page.mediabox.width), float(page.mediabox.height)
    return (h, w) if (page.rotation or 0) % 180 else (w, h)


def media_for(width: float, height: float) -> tuple[str, str]:
    """CUPS media name and short name for a sheet of this size (either orientation)."""
    short, long = sorted((width, height))
    for pwg, name, pw, ph in _PAPERS:
        if abs(short - pw) <= _SIZE_TOLERANCE_PT and abs(long - ph) <= _SIZE_TOLERANCE_PT:
            return pwg, name
    return f"Custom.{round(short)}x{round(long)}", f"{round(short)}x{round(long)} pt"


def plan_print(path: Path, layout: str | None = None, copies: int = 1) -> PrintPlan:
    """Work out the lp options for this PDF: its own sheet size, never scaled, sides per layout."""
    if layout is not None and layout not in LAYOUTS:
        raise KioskError(f'unknown layout "{layout}"', f"use one of: {', '.join(LAYOUTS)}")
    reader = _read_pdf(path)
    layout = layout or detect_layout(path, reader) or "pages"
    width, height = page_size(reader)
    media, paper = media_for(width, height)
    landscape = width > height
    sides = _SIDES[layout]
    # print-scaling=none: fit-to-page would shrink the sheet and move every fold and cut line.
    # number-up=1 guards against a queue default that would put two sheets on one.
    options = [f"media={media}", "print-scaling=none", f"sides={sides}", "number-up=1"]
    if landscape:
        options.append("landscape")
    if copies > 1:
        options.append("collate=true")  # whole booklets, not piles of sheet 1 then sheet 2
    return PrintPlan(layout, media, paper, landscape, sides, options)


# ---------------------------------------------------------------------------- jobs

def check_copies(copies: object) -> int:
    if isinstance(copies, bool) or not isinstance(copies, int) or copies < 1:
        raise KioskError(f"copies must be a whole number of at least 1 (got {copies})", "use --copies 1 or more")
    return copies


def submit(path: str | Path, printer: str | None = None, copies: int = 1, layout: str | None = None,
           *, server: str | None = None) -> str:
    """Send a PDF to CUPS with the options its layout needs; returns CUPS's job id ("queue-42")."""
    path = Path(path)
    copies = check_copies(copies)
    plan = plan_print(path, layout, copies)
    target = find_printer(printer, server=server)
    if not target.accepting:
        raise KioskError(f"{target.name} refused the job: it is not accepting jobs"
                         + (f" ({target.reason})" if target.reason else ""),
                         f"run `kiosk printers resume {target.name}` and print again")
    args = ["lp", "-d", target.name, "-n", str(copies), "-t", path.name]
    for option in plan.options:
        args += ["-o", option]
    proc = _run(args + ["--", str(path.resolve())], server)
    m = re.search(r"request id is (\S+)", proc.stdout)
    if proc.returncode != 0 or not m:
        reason = _client_error(proc)
        fix = (f"run `kiosk printers resume {target.name}` and print again" if "not accepting" in reason
               else "check the printer with `kiosk printers list`, then print again")
        raise KioskError(f"{target.name} refused the job: {reason}", fix)
    return m.group(1)


def _split_job_id(job_id: str) -> tuple[str, int]:
    m = re.fullmatch(r"(.+)-(\d+)", job_id.strip())
    if not m:
        raise KioskError(f'"{job_id}" is not a CUPS job id', 'use the id `kiosk print` showed, e.g. "office-12"')
    return m.group(1), int(m.group(2))


def _jobs_in(printer: str, which: str, server: str | None) -> dict[str, list[str]]:
    """Jobs of one queue from `lpstat -l -W which -o queue`: job id -> detail lines."""
    proc = _run(["lpstat", "-l", "-W", which, "-o", printer], server)
    return {head.split()[0]: details for head, details in _blocks(proc.stdout)}


# Job state reasons that only restate the state; they are left out of what we show.
_ROUTINE_REASONS = ("none", "job-printing", "job-queued", "job-incoming", "processing-to-stop-point",
                    "job-completed-successfully")


def _detail(details: list[str], key: str) -> str:
    return next((d[len(key):].strip() for d in details if d.startswith(key)), "")


_IPP_GET_JOB = """{
  OPERATION Get-Job-Attributes
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR naturalLanguage attributes-natural-language en
  ATTR uri printer-uri $uri
  ATTR integer job-id $job
  ATTR name requesting-user-name $user
  ATTR keyword requested-attributes job-state,job-state-reasons,job-printer-state-message
  DISPLAY job-state
  DISPLAY job-state-reasons
  DISPLAY job-printer-state-message
}
"""


def _final_state(printer: str, number: int, server: str | None) -> tuple[str, str] | None:
    """completed, canceled or aborted, asked of CUPS over IPP with its own ipptool.

    lpstat lists finished jobs but not how they finished; ipptool (cups-ipp-utils, which the
    cups package pulls in) can tell. None when ipptool is missing or cannot say.
    """
    if _tool("ipptool") is None:
        return None
    host = _run(["lpstat", "-H"], server).stdout.strip() or "localhost:631"
    host = quote(host, safe="") if host.startswith("/") else host
    with tempfile.NamedTemporaryFile("w", suffix=".test", prefix="kiosk-job-") as test:
        test.write(_IPP_GET_JOB)
        test.flush()
        proc = _run(["ipptool", "-t", "-T", "10", "-d", f"job={number}",
                     f"ipp://{host}/printers/{quote(printer)}", test.name], server)
    values = dict(re.findall(r"^\s*([\w-]+) \([^)]*\) = (.*)$", proc.stdout, re.M))
    state = values.get("job-state", "")
    if state not in FINISHED_STATES:
        return None
    reasons = " ".join(r for r in values.get("job-state-reasons", "").replace(",", " ").split()
                       if r not in _ROUTINE_REASONS)
    return state, values.get("job-printer-state-message", "").strip() or reasons


def job_status(job_id: str, *, server: str | None = None) -> JobStatus:
    """Where a job is: pending, held, processing, stopped (its queue is paused), or how it ended."""
    printer, number = _split_job_id(job_id)
    queue = next((p for p in list_printers(server=server) if p.name == printer), None)
    if queue is None:
        raise KioskError(f'there is no printer called "{printer}" for job {job_id}',
                         "check the job id with `lpstat -W all -o`")
    waiting = _jobs_in(printer, "not-completed", server)
    if job_id in waiting:
        details = waiting[job_id]
        message = _detail(details, "Status:")
        alerts = [a for a in _detail(details, "Alerts:").split() if a not in _ROUTINE_REASONS]
        if queue.job == job_id:
            state = "processing"
        elif any("hold" in a or "held" in a for a in alerts):
            state = "held"
        elif queue.state == "paused":
            state = "stopped"  # CUPS keeps it pending; it cannot move until the queue is resumed
            message = message or f"{printer} is paused: {queue.reason or 'no reason given'}"
        else:
            state = "pending"
        return JobStatus(job_id, state, message or " ".join(alerts), printer, queue.state, queue.reason)
    final = _final_state(printer, number, server)
    if final is None:  # no ipptool: a job that left the queue is taken as printed
        finished = _jobs_in(printer, "completed", server)
        if job_id not in finished:
            raise KioskError(f"CUPS has no job {job_id}", "check the job id with `lpstat -W all -o`")
        final = ("completed", _detail(finished[job_id], "Status:"))
    return JobStatus(job_id, final[0], final[1], printer, queue.state, queue.reason)


def wait_for_job(job_id: str, timeout: float = 300.0,
                 on_update: Callable[[JobStatus], None] | None = None,
                 *, poll_s: float = 0.5, server: str | None = None) -> JobStatus:
    """Follow a job until it finishes, gets stuck (paused queue, held) or the timeout passes.

    Returns the last status; on_update(status) is called whenever the state or reason changes.
    """
    deadline = time.monotonic() + timeout
    last: tuple[str, str, str] | None = None
    while True:
        status = job_status(job_id, server=server)
        key = (status.state, status.reason, status.printer_reason)
        if on_update is not None and key != last:
            on_update(status)
        last = key
        if status.finished or status.stuck or time.monotonic() >= deadline:
            return status
        time.sleep(poll_s)
