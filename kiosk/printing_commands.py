"""`kiosk printers`, `kiosk printers resume P` and `kiosk print FILE`: thin wrappers over kiosk.printing."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk import printing
from kiosk.errors import KioskError

_SIDES_TEXT = {"two-sided-short-edge": "both sides, flipped on the short edge", "one-sided": "one side"}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    printers = sub.add_parser("printers", parents=[common], help="list the CUPS printers and their state",
                              description="List the CUPS printers: idle, printing, or paused with CUPS's reason.")
    printers.set_defaults(func=cmd_printers)
    psub = printers.add_subparsers(dest="printers_command", metavar="ACTION")
    psub.add_parser("list", parents=[common], help="list the printers (the default)").set_defaults(func=cmd_printers)
    res = psub.add_parser("resume", parents=[common], help="re-enable a paused printer and let it accept jobs")
    res.add_argument("printer", metavar="P")
    res.set_defaults(func=cmd_printers_resume)

    pr = sub.add_parser("print", parents=[common], help="print a zine PDF and follow the job",
                        description="Send a PDF to a CUPS printer at its own paper size, never scaled, "
                                    "double-sided for booklets, then follow the job until it is printed.")
    pr.add_argument("file", metavar="FILE", help="the PDF, e.g. output/zines/demo-night-booklet-a4.pdf")
    pr.add_argument("--printer", metavar="P", help="CUPS queue (default: CUPS's default printer)")
    pr.add_argument("--copies", type=int, default=1, metavar="N", help="number of copies (default 1)")
    pr.add_argument("--layout", choices=printing.LAYOUTS,
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
    p = printing.resume(args.printer)
    print(f"{p.name} resumed: {_describe(p)}, accepting jobs.")
    return 0


def _report(status: printing.JobStatus) -> None:
    print(f"  {status.job_id}: {status.state}" + (f" ({status.reason})" if status.reason else ""), flush=True)


def cmd_print(args: argparse.Namespace) -> int:
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
                         f"check the printer with `kiosk printers`, then run `kiosk print {args.file}` again")
    raise KioskError(f"job {job} is still {status.state} after {args.timeout:g} s"
                     + (f" ({status.reason})" if status.reason else ""),
                     f"it stays queued and prints when the printer is ready; follow it with "
                     f"`lpstat -W all -o {target.name}`, or cancel it with `cancel {job}`")
