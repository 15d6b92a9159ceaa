"""Core subcommands: sessions, responses, moderation, the index, integrity, demo data."""

from __future__ import annotations

import argparse
import json
import sys

from kiosk.cli import load_settings, open_store
from kiosk.errors import KioskError


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    session = sub.add_parser("session", parents=[common], help="start, end and list sessions")
    ssub = session.add_subparsers(dest="session_command", metavar="ACTION", required=True)
    start = ssub.add_parser("start", parents=[common], help="start a session (ends the running one)")
    start.add_argument("title")
    start.add_argument("--place", default="")
    start.add_argument("--date", default="", help="YYYY-MM-DD (default: today)")
    start.add_argument("--note", default="")
    start.set_defaults(func=cmd_session_start)
    ssub.add_parser("end", parents=[common], help="end the running session").set_defaults(func=cmd_session_end)
    ssub.add_parser("list", parents=[common], help="list sessions, newest first").set_defaults(func=cmd_session_list)

    responses = sub.add_parser("responses", parents=[common], help="list responses")
    rsub = responses.add_subparsers(dest="responses_command", metavar="ACTION", required=True)
    rlist = rsub.add_parser("list", parents=[common], help="list responses, hidden ones included")
    rlist.add_argument("--session", metavar="S", help="only this session (its slug)")
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
    with open_store(args) as store:
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


def _summary(r) -> dict:
    return {
        "id": r.id, "session": r.session, "prompt_id": r.prompt_id, "kind": r.kind, "language": r.language,
        "consent": r.consent, "hidden": r.hidden, "created": r.created, "options": r.options, "text": r.text,
        "has_drawing": r.has_drawing,
    }


def cmd_responses_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        if args.problems:
            return _list_problems(store, args.json)
        if args.session:
            store.session(args.session)  # a clear message for an unknown session
        rs = store.responses(args.session)
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
        json.dump([{"path": str(p.path), "problem": p.what, "fix": p.fix} for p in problems], sys.stdout,
                  ensure_ascii=False, indent=1)
        print()
        return 0
    for p in problems:
        print(f"{p.path}\t{p.what}\n  fix: {p.fix}")
    print(f"{len(problems)} records left out (quarantined)" if problems else
          "No records left out: every record in the data folder is valid.", file=sys.stderr)
    return 0


def cmd_hide(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        for rid in args.id:
            r = store.set_hidden(rid, args.hidden)
            print(f"{'Hidden' if r.hidden else 'Shown again'}: {r.id}")
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    with open_store(args, sync=False) as store:
        n = store.reindex()
        print(f"Reindexed {n} responses in {store.root}.")
        left_out = store.quarantined_count()
        if left_out:
            print(f"  {left_out} record(s) left out (quarantined) as not valid: `kiosk check` names them and the fix.")
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
            print(f"{len(serious)} problems in {n} responses in {store.root}.", file=sys.stderr)
            print("  fix: as said under each problem; a quarantined record is left out of lists, builds and exports "
                  "until it is fixed; `kiosk reindex` repairs the index only", file=sys.stderr)
            return 1
        print(f"All {n} responses in {store.root} are complete and match their hashes.")
    return 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    from rich.progress import Progress

    from kiosk.demo import make_demo
    from kiosk.prompts import load_prompt_set

    if args.responses < 1:
        raise KioskError(f"--responses {args.responses}: there must be at least one.", "give a number such as 40")
    settings = load_settings(args)
    prompt_set = load_prompt_set(settings.prompts)
    with open_store(args) as store, Progress(transient=True, disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task("demo responses", total=args.responses)
        s = make_demo(store, prompt_set, args.session, args.responses, args.seed, settings.palette,
                      (settings.canvas_width, settings.canvas_height), args.date,
                      progress=lambda k: bar.advance(task, k))
        print(f"Made session {s.slug} with {args.responses} demo responses in {store.root}.")
    return 0
