"""The subcommands of the kiosk's core rooms: sessions, responses, moderation, the index,
integrity, demo data; question sets, settings and the PIN; printers and printing.

Each is a thin wrapper over plain functions of kiosk.store, kiosk.prompts, kiosk.config and
kiosk.printing. The zine, archive, export and app rooms register their own (kiosk/<room>/commands.py).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import config, prompts
from kiosk import pin as pins
from kiosk.commandline import (
    SESSION_HELP,
    Subparsers,
    count,
    group,
    load_settings,
    open_store,
    progress_bar,
    session_slug,
)
from kiosk.errors import KioskError
from kiosk.zine.imposition import LAYOUTS

if TYPE_CHECKING:
    from kiosk import printing
    from kiosk.store import Response

_SIDES_TEXT = {"two-sided-short-edge": "both sides, flipped on the short edge", "one-sided": "one side"}


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    _register_store(sub, common)
    _register_settings(sub, common)
    _register_printing(sub, common)


def _register_store(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    ssub = group(sub, common, "session", "start, end and list sessions")
    start = ssub.add_parser("start", parents=[common], help="start a session (ends the running one)")
    start.add_argument("title")
    start.add_argument("--place", default="")
    start.add_argument("--date", default="", help="YYYY-MM-DD (default: today)")
    start.add_argument("--note", default="")
    start.set_defaults(func=cmd_session_start)
    ssub.add_parser("end", parents=[common], help="end the running session").set_defaults(func=cmd_session_end)
    ssub.add_parser("list", parents=[common], help="list sessions, newest first").set_defaults(func=cmd_session_list)

    rsub = group(sub, common, "responses", "list responses")
    rlist = rsub.add_parser("list", parents=[common], help="list responses, hidden ones included")
    rlist.add_argument("--session", metavar="S", help=f"only this session ({SESSION_HELP})")
    rlist.add_argument("--json", action="store_true", help="a JSON array, one object per response")
    rlist.add_argument("--problems", action="store_true",
                       help="list instead the records left out (quarantined) because they are not valid, and why")
    rlist.set_defaults(func=cmd_responses_list)

    for name, hidden in (("hide", True), ("unhide", False)):
        p = sub.add_parser(name, parents=[common], help=f"{name} a response (moderation)")
        p.add_argument("id", nargs="+", metavar="ID")
        p.set_defaults(func=cmd_hide, hidden=hidden)

    sub.add_parser("reindex", parents=[common], help="rebuild the index from the response folders").set_defaults(
        func=cmd_reindex)
    sub.add_parser("check", parents=[common], help="verify every response against its hashes (changes nothing)"
                   ).set_defaults(func=cmd_check)

    demo = sub.add_parser("demo-data", parents=[common], help="make a session of realistic demo responses")
    demo.add_argument("--session", required=True, metavar="TITLE", help="title of the demo session to make")
    demo.add_argument("--responses", type=int, required=True, metavar="N")
    demo.add_argument("--seed", type=int, default=1, metavar="S")
    demo.add_argument("--date", default="", help="the session's date, YYYY-MM-DD")
    demo.set_defaults(func=cmd_demo_data)


def cmd_session_start(args: argparse.Namespace) -> int:
    with open_store(args, create=True) as store:
        s = store.start_session(args.title, args.place, args.date, args.note)
        print(f"Started session {s.slug}: {s.title}" + (f", {s.place}" if s.place else "") + f", {s.date}")
    return 0


def cmd_session_end(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        s = store.end_session()
        print(f"Ended session {s.slug} ({len(store.responses(s.slug))} responses).")
    return 0


def cmd_session_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        current = store.current_session()
        sessions = store.sessions()
        if not sessions:
            print('No sessions yet. Start one with: kiosk session start "TITLE"')
        for s in sessions:
            rs = store.responses(s.slug)
            public = sum(r.consent == "public" for r in rs)
            mark = "running" if current and current.slug == s.slug else "ended" if s.ended else ""
            print(f"{s.slug}\t{s.title}\t{s.place}\t{s.date}\t{len(rs)} responses ({public} public)\t{mark}".rstrip())
    return 0


def _summary(r: Response) -> dict:
    return {
        "id": r.id, "session": r.session, "prompt_id": r.prompt_id, "kind": r.kind, "language": r.language,
        "consent": r.consent, "hidden": r.hidden, "created": r.created, "options": r.options, "text": r.text,
        "has_drawing": r.has_drawing,
    }


def cmd_responses_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        if args.problems:
            return _list_problems(store, args.json)
        slug = session_slug(store, args.session) if args.session else None
        rs = store.responses(slug)
        if args.json:
            json.dump([_summary(r) for r in rs], sys.stdout, ensure_ascii=False, indent=1)
            print()
            return 0
        for r in rs:
            flags = " hidden" if r.hidden else ""
            print(f"{r.id}\t{r.session}\t{r.prompt_id}\t{r.kind}\t{r.language}\t{r.consent}{flags}\t{r.created}")
        print(f"{len(rs)} responses", file=sys.stderr)
    return 0


def _list_problems(store, as_json: bool) -> int:
    problems = store.quarantined()
    if as_json:
        json.dump([{"path": str(p.path), "problem": p.message, "fix": p.fix} for p in problems], sys.stdout,
                  ensure_ascii=False, indent=1)
        print()
        return 0
    for p in problems:
        print(f"{p.path}\t{p.message}\n  fix: {p.fix}")
    print(f"{count(len(problems), 'record')} left out (quarantined)" if problems else
          "No records left out: every record in the data folder is valid.", file=sys.stderr)
    return 0


def cmd_hide(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        for rid in args.id:
            if store.response(rid).hidden == args.hidden:  # nothing to change: say so, write nothing
                print(f"{'Already hidden' if args.hidden else 'Not hidden'}: {rid}")
                continue
            r = store.set_hidden(rid, args.hidden)
            print(f"{'Hidden' if r.hidden else 'Shown again'}: {r.id}")
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    with open_store(args, sync=False) as store:
        n = store.reindex()
        print(f"Reindexed {n} responses in {store.root}.")
        left_out = store.quarantined_count()
        if left_out:
            print(f"  {count(left_out, 'record')} left out (quarantined) as not valid: `kiosk check` names them and the fix.")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    with open_store(args, sync=False) as store:
        problems = store.check()
        n = len(list(store._response_dirs()))
        serious = [p for p in problems if p.serious]
        for p in problems:
            print(("PROBLEM " if p.serious else "note    ") + str(p))
            if p.fix and p.serious:
                print(f"  fix: {p.fix}")
        if serious:
            print(f"{count(len(serious), 'problem')} in {count(n, 'response')} in {store.root}.", file=sys.stderr)
            print("  fix: as said under each problem; a quarantined record is left out of lists, builds and exports "
                  "until it is fixed; `kiosk reindex` repairs the index only", file=sys.stderr)
            return 1
        if n == 0:
            print(f"No responses in {store.root} yet: nothing to check.")
            return 0
        if n == 1:
            print(f"The one response in {store.root} is complete and matches its hashes.")
        else:
            print(f"All {n} responses in {store.root} are complete and match their hashes.")
    return 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    from kiosk.demo import make_demo

    if args.responses < 1:
        raise KioskError(f"--responses {args.responses}: there must be at least one.", "give a number such as 40")
    settings = load_settings(args)
    prompt_set = prompts.load_prompt_set(settings.prompts)
    made = 0

    with open_store(args, create=True) as store, progress_bar() as bar:
        def advance(k: int) -> None:
            nonlocal made
            made += k
            if bar:
                bar("demo responses", made, args.responses)

        s = make_demo(store, prompt_set, args.session, args.responses, args.seed, settings.palette,
                      (settings.canvas_width, settings.canvas_height), args.date, progress=advance)
        print(f"Made session {s.slug} with {count(args.responses, 'demo response')} in {store.root}.")
    return 0


# ------------------------------------------------------- question sets, settings, PIN

def _register_settings(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    psub = group(sub, common, "prompts", "check question sets (prompts/*.yaml)")
    p = psub.add_parser("check", parents=[common], help="validate question sets; list every problem with its line",
                         description="Validate question sets and list every problem as FILE:LINE: message.")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="question set files, or shipped sets' names (school, forum-ouvert) "
                        "(default: the settings' prompts file)")
    p.set_defaults(func=cmd_prompts_check)

    csub = group(sub, common, "config", "show the effective settings")
    p = csub.add_parser("show", parents=[common], help="show every effective setting and where it comes from",
                         description="Show every effective setting, its value, and where it comes from.")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=cmd_config_show)

    pinsub = group(sub, common, "pin", "set the facilitator PIN")
    p = pinsub.add_parser("set", parents=[common], help="set the facilitator PIN (stores only a salted hash)",
                         description="Set the facilitator PIN. Only a salted hash is stored, in the --config "
                                     "file or kiosk.yaml in the working folder (created if missing).")
    p.add_argument("--pin", metavar="PIN",
                   help="the new PIN, 4 to 8 digits (avoid: it stays in the shell history; "
                        "without it the PIN is asked twice, or read from one line of standard input)")
    p.set_defaults(func=cmd_pin_set)


def cmd_prompts_check(args: argparse.Namespace) -> int:
    names = args.files
    if not names:
        names = [str(load_settings(args).prompts)]
    return check_prompt_files(names)


def check_prompt_files(names: list[str]) -> int:
    """Print every problem as FILE:LINE: message, or one summary line per valid file. 1 if any problem."""
    failed = 0
    for name in names:
        prompt_set, problems = prompts.validate(prompts.named_set(name), name)
        for problem in problems:
            print(problem)
        if problems or prompt_set is None:
            failed += 1
        else:
            print(prompts.summary(prompt_set, name))
    if failed:
        print(f"kiosk: problems in {failed} of {len(names)} question set file(s)\n"
              "  fix: correct them; the format is described in docs/prompts.md", file=sys.stderr)
        return 1
    return 0


def cmd_config_show(args: argparse.Namespace) -> int:
    settings = load_settings(args)
    rows = config.as_display(settings)
    if args.json:
        print(json.dumps({"file": str(settings.file) if settings.file else None,
                          "settings": {key: {"value": value, "source": source} for key, value, source in rows}},
                         ensure_ascii=False, indent=1))
        return 0
    if settings.file:
        print(f"Settings file: {settings.file}")
    else:
        print(f"Settings file: none ({config.SETTINGS_NAME} not found in {Path.cwd()}); built-in defaults")
    width = max(len(key) for key, _, _ in rows)
    value_width = min(60, max(len(value) for _, value, _ in rows))
    for key, value, source in rows:
        print(f"{key:<{width}}  {value:<{value_width}}  {source}")
    return 0


def _read_pin() -> str:
    """Ask twice on a terminal; read one line when the PIN is piped in (scripts, tests)."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise KioskError("No PIN given: standard input was empty.", "pipe the PIN in, or use --pin")
        return line
    first = getpass.getpass("New PIN (4 to 8 digits): ")
    pins.check_pin(first)
    if getpass.getpass("Same PIN again: ") != first:
        raise KioskError("The two PINs differ; nothing was changed.", "run `kiosk pin set` again")
    return first


def cmd_pin_set(args: argparse.Namespace) -> int:
    pin = pins.check_pin(args.pin if args.pin is not None else _read_pin())
    if pin == pins.DEFAULT_PIN:
        raise KioskError(f"{pins.DEFAULT_PIN} is the default PIN that anyone can guess.", "choose another PIN")
    path = config.settings_path(getattr(args, "config", None))
    pins.write_pin_hash(path, pins.hash_pin(pin))
    print(f"PIN set: its salted hash is stored in {path} (the PIN itself is stored nowhere).")
    if not getattr(args, "config", None):
        print(f"The kiosk reads this file when started in {path.parent}, or with --config {path}.")
    return 0


# -------------------------------------------------------------------- printing

def _register_printing(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    psub = group(sub, common, "printers", "list the CUPS printers, resume a paused one")
    psub.add_parser("list", parents=[common], help="list the CUPS printers and their state",
                    description="List the CUPS printers: idle, printing, or paused with CUPS's reason."
                    ).set_defaults(func=cmd_printers)
    res = psub.add_parser("resume", parents=[common], help="re-enable a paused printer and let it accept jobs")
    res.add_argument("printer", metavar="P")
    res.set_defaults(func=cmd_printers_resume)

    pr = sub.add_parser("print", parents=[common], help="print a zine PDF and follow the job",
                        description="Send a PDF to a CUPS printer at its own paper size, never scaled, "
                                    "double-sided for booklets, then follow the job until it is printed.")
    pr.add_argument("file", metavar="FILE", help="the PDF, e.g. output/zines/demo-night-booklet-a4.pdf")
    pr.add_argument("--printer", metavar="P", help="CUPS queue (default: CUPS's default printer)")
    pr.add_argument("--copies", type=int, default=1, metavar="N", help="number of copies (default 1)")
    pr.add_argument("--layout", choices=LAYOUTS,
                    help="override the layout read from the PDF (booklet prints on both sides)")
    pr.add_argument("--timeout", type=float, default=300.0, metavar="S",
                    help="stop following the job after S seconds (default 300); it stays queued")
    pr.add_argument("--no-wait", action="store_true", help="send the job and return at once")
    pr.set_defaults(func=cmd_print)


def _describe(p: printing.Printer) -> str:
    words = [p.state]
    if p.state == "printing" and p.job:
        words.append(p.job)
    if not p.accepting:
        words.append("not accepting jobs")
    if p.reason:
        words.append(f"({p.reason})")
    return " ".join(words)


def cmd_printers(args: argparse.Namespace) -> int:
    from kiosk import printing  # here: only the printing commands need CUPS's tools

    found = printing.list_printers()
    if not found:
        print("CUPS has no printer set up. Add one in CUPS (http://localhost:631/admin or lpadmin).")
        return 0
    width = max(len(p.name) for p in found)
    for p in found:
        print(f"{p.name:<{width}}  {_describe(p)}" + ("  [default]" if p.is_default else ""))
    for p in found:
        if p.state == "paused" or not p.accepting:
            print(f"  {p.name} is {'paused' if p.state == 'paused' else 'refusing jobs'}: "
                  f"fix the printer, then run `kiosk printers resume {p.name}`")
    return 0


def cmd_printers_resume(args: argparse.Namespace) -> int:
    from kiosk import printing  # here: only the printing commands need CUPS's tools

    p = printing.resume(args.printer)
    print(f"{p.name} resumed: {_describe(p)}, accepting jobs.")
    return 0


def _report(status: printing.JobStatus) -> None:
    print(f"  {status.job_id}: {status.state}" + (f" ({status.reason})" if status.reason else ""), flush=True)


def cmd_print(args: argparse.Namespace) -> int:
    from kiosk import printing  # here: only the printing commands need CUPS's tools

    path = Path(args.file)
    printing.check_copies(args.copies)
    plan = printing.plan_print(path, args.layout, args.copies)
    target = printing.find_printer(args.printer)
    copies = f"{args.copies} cop{'y' if args.copies == 1 else 'ies'}"
    print(f"Sending {path.name} to {target.name}: {plan.layout}, {plan.paper}"
          f"{' landscape' if plan.landscape else ''}, {_SIDES_TEXT.get(plan.sides, plan.sides)}, unscaled, {copies}.")
    job = printing.submit(path, target.name, args.copies, plan.layout)
    print(f"Job {job} is in the queue.", flush=True)
    if args.no_wait:
        print(f"Follow it with `lpstat -W all -o {target.name}`.")
        return 0
    status = printing.wait_for_job(job, args.timeout, _report)
    if status.state == "completed":
        print(f"Printed: job {job} completed on {target.name}.")
        return 0
    if status.printer_state == "paused":
        raise KioskError(f"{target.name} is paused: {status.printer_reason or 'CUPS gave no reason'}; "
                         f"job {job} waits in its queue",
                         f"fix the printer, then run `kiosk printers resume {target.name}`: the job prints then")
    if status.state == "held":
        raise KioskError(f"job {job} is held by CUPS" + (f" ({status.reason})" if status.reason else ""),
                         f"release it with `lp -i {job} -H resume`, or cancel it with `cancel {job}`")
    if status.finished:
        raise KioskError(f"job {job} was {status.state}" + (f": {status.reason}" if status.reason else ""),
                         f"check the printer with `kiosk printers list`, then run `kiosk print {args.file}` again")
    raise KioskError(f"job {job} is still {status.state} after {args.timeout:g} s"
                     + (f" ({status.reason})" if status.reason else ""),
                     f"it stays queued and prints when the printer is ready; follow it with "
                     f"`lpstat -W all -o {target.name}`, or cancel it with `cancel {job}`")
