"""A private CUPS for tests: its own cupsd in a temporary folder, with a cups-pdf queue.

Use it from any test module:

    from cupsfixture import cups_server  # noqa: F401  (pytest finds the fixture by its name)

    def test_something(cups_server):
        env = cups_server.env            # os.environ + CUPS_SERVER pointing at the private cupsd
        cups_server.queue                # "kioskpdf", a cups-pdf queue, idle and accepting
        pdf = cups_server.output_for(job_id)   # the PDF the queue produced for that job
        cups_server.job_attributes(job_id)     # the job's IPP attributes as cupsd recorded them

What it starts: `cupsd -f -c <tmp>/cupsd.conf -s <tmp>/cups-files.conf` with its own ServerRoot,
RequestRoot, CacheDir, StateDir, TempDir, logs and printcap, listening only on a domain socket in
that folder (no TCP port, so parallel test workers never collide). The folder is made under /tmp
with mode 0755 because cupsd runs filters as the unprivileged `lp` user, who must reach the
spooled files (pytest's own tmp folders are 0700).

cups-pdf and /etc: the cups-pdf backend reads its settings only from /etc/cups (compiled in). Its
PPD-option and job-option overrides cannot move the output folder (choice names cannot hold a
"/", and AllowUnsafeOptions is ignored by cups-pdf 3.0.1), and its default output is the job
owner's ${HOME}/PDF (for root: /root/PDF) with logs in /var/log/cups. The least invasive correct
option is cups-pdf's own per-queue mechanism: a device URI cups-pdf:/NAME makes the backend read
/etc/cups/cups-pdf-NAME.conf. The fixture writes one such file with a unique name (Out, Spool and
Log all inside the temporary folder), touches no existing file, and deletes it afterwards
(stale ones whose folder is gone are swept on the next start).

Teardown stops cupsd (SIGTERM, then SIGKILL if needed), checks that it is gone and removes
everything it made. It needs root (the cups-pdf backend runs as root and the per-queue file lives
in /etc/cups); tests are skipped, with that reason, only when cupsd is not installed or we are
not root.
"""

from __future__ import annotations

import grp
import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

CUPS_PDF_CONF_DIR = Path("/etc/cups")
# Not TMPDIR: it may be private (0700) or long, and the socket path must stay short.
TMP_BASE = Path("/tmp")
_SBIN = "/usr/sbin:/sbin:/usr/local/sbin"
_START_TIMEOUT_S = 20.0


def find_tool(name: str) -> str | None:
    """CUPS's admin tools live in sbin, which a normal user's PATH may lack."""
    return shutil.which(name) or shutil.which(name, path=_SBIN)


@dataclass
class CupsServer:
    root: Path  # the private folder: configuration, spool, logs, cups-pdf output
    socket: Path
    queue: str
    process: subprocess.Popen

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PRINTER", "LPDEST")}
        env.update(CUPS_SERVER=str(self.socket), LANG="C", LC_ALL="C")
        return env

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run a CUPS client (lp, lpstat, cupsdisable...) against this server."""
        tool = find_tool(args[0]) or args[0]
        proc = subprocess.run([tool, *args[1:]], capture_output=True, text=True, env=self.env, timeout=60)
        if check and proc.returncode != 0:
            raise AssertionError(f"{' '.join(args)} failed: {proc.stderr.strip()}\n{self.log_tail()}")
        return proc

    def log_tail(self, lines: int = 40) -> str:
        log = self.root / "log" / "error_log"
        text = log.read_text(errors="replace").splitlines() if log.exists() else []
        return "\n".join(["--- cupsd error_log ---", *text[-lines:]])

    def add_queue(self, name: str) -> None:
        """Another cups-pdf queue writing into the same output folder."""
        model = _cups_pdf_model(self)
        self.run("lpadmin", "-p", name, "-E", "-v", f"cups-pdf:/{_conf_name(self.root)}", "-m", model)

    def job_attributes(self, job_id: str) -> dict[str, list]:
        """The job's IPP attributes exactly as cupsd stored them in its control file."""
        number = int(job_id.rsplit("-", 1)[1])
        return parse_ipp((self.root / "spool" / f"c{number:05d}").read_bytes())

    def output_for(self, job_id: str, timeout: float = 60.0) -> Path:
        """Wait for the job to leave the queue and return the PDF cups-pdf wrote for it."""
        number = int(job_id.rsplit("-", 1)[1])
        pattern = re.compile(rf"(^|[-_])job_{number}([-_.]|$)")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            waiting = self.run("lpstat", "-W", "not-completed", "-o", check=False).stdout.split()
            found = [p for p in self.out.glob("*.pdf") if pattern.search(p.stem)]
            if found and job_id not in waiting:
                return found[0]
            time.sleep(0.2)
        raise AssertionError(f"no output for {job_id} in {self.out} after {timeout} s\n{self.log_tail()}")


def parse_ipp(data: bytes) -> dict[str, list]:
    """Decode an IPP message (here: a cupsd job control file) into name -> values.

    Strings and keywords become str, integers and enums int, booleans bool; other values stay
    bytes. Collection members are appended to their collection's values, which is enough here.
    """
    attrs: dict[str, list] = {}
    pos, last = 8, ""  # skip version, operation/status and request id
    while pos < len(data):
        tag = data[pos]
        pos += 1
        if tag == 0x03:  # end-of-attributes
            break
        if tag < 0x10:  # a new attribute group
            continue
        (name_len,) = struct.unpack_from(">H", data, pos)
        name = data[pos + 2:pos + 2 + name_len].decode()
        pos += 2 + name_len
        (value_len,) = struct.unpack_from(">H", data, pos)
        raw = data[pos + 2:pos + 2 + value_len]
        pos += 2 + value_len
        if tag in (0x21, 0x23) and value_len == 4:
            value: object = struct.unpack(">i", raw)[0]
        elif tag == 0x22:
            value = bool(raw[0])
        elif 0x40 <= tag <= 0x4A:
            value = raw.decode("utf-8", "replace")
        else:
            value = raw
        if name:
            last = name
            attrs[name] = [value]
        elif last:
            attrs[last].append(value)
    return attrs


def _conf_name(root: Path) -> str:
    return f"kiosktest-{root.name}"


def _conf_path(root: Path) -> Path:
    return CUPS_PDF_CONF_DIR / f"cups-pdf-{_conf_name(root)}.conf"


def _sweep_stale_confs() -> None:
    """Remove per-queue files left by a run that was killed before its teardown."""
    for conf in CUPS_PDF_CONF_DIR.glob("cups-pdf-kiosktest-*.conf"):
        folder = TMP_BASE / conf.stem[len("cups-pdf-kiosktest-"):]
        if not folder.exists():
            conf.unlink(missing_ok=True)


def _cups_pdf_model(server: CupsServer) -> str:
    models = server.run("lpinfo", "-m").stdout.splitlines()
    names = [line.split()[0] for line in models if "CUPS-PDF" in line]
    if not names:
        raise AssertionError("the cups-pdf driver is not installed: sudo apt install printer-driver-cups-pdf")
    return next((n for n in names if n.endswith("CUPS-PDF_opt.ppd")), names[0])


def _write_config(root: Path) -> None:
    for sub in ("etc/ppd", "spool/tmp", "cache", "state", "log", "out", "cpspool"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "cups-files.conf").write_text("\n".join([
        f"ServerRoot {root}/etc", f"RequestRoot {root}/spool", f"TempDir {root}/spool/tmp",
        f"CacheDir {root}/cache", f"StateDir {root}/state", f"Printcap {root}/printcap",
        f"AccessLog {root}/log/access_log", f"ErrorLog {root}/log/error_log", f"PageLog {root}/log/page_log",
        "SystemGroup root", "FileDevice No", ""]))
    (root / "cupsd.conf").write_text("\n".join([
        "LogLevel info", f"Listen {root}/cups.sock", "Browsing No", "BrowseLocalProtocols none",
        "DefaultShared No", "WebInterface No", "PreserveJobHistory Yes", "JobRetryLimit 0",
        "DirtyCleanInterval 0",  # write job control files at once: tests read them
        "<Location />", "  Order allow,deny", "  Allow all", "</Location>", ""]))
    group = "lp"
    try:
        grp.getgrnam(group)
    except KeyError:
        group = "root"
    _conf_path(root).write_text("\n".join([
        f"Out {root}/out", f"Spool {root}/cpspool", f"Log {root}/log", f"Grp {group}", "LogType 3", ""]))


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
    try:  # anything cupsd left in its own process group (it was started in a new session)
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def skip_reason() -> str | None:
    if find_tool("cupsd") is None:
        return "cupsd is not installed (sudo apt install cups printer-driver-cups-pdf, or `make system-deps`)"
    if os.geteuid() != 0:
        return "the private cupsd needs root: the cups-pdf backend runs as root and reads /etc/cups"
    return None


@contextmanager
def private_cupsd(queue: str = "kioskpdf") -> Iterator[CupsServer]:
    """Start a private cupsd with one idle cups-pdf queue; stop it and remove everything after."""
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    _sweep_stale_confs()
    root = Path(tempfile.mkdtemp(prefix="kcups-", dir=TMP_BASE))
    process = None
    try:
        root.chmod(0o755)
        _write_config(root)
        with open(root / "log" / "cupsd.out", "wb") as out:
            process = subprocess.Popen(
                [find_tool("cupsd"), "-f", "-c", str(root / "cupsd.conf"), "-s", str(root / "cups-files.conf")],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        server = CupsServer(root, root / "cups.sock", queue, process)
        deadline = time.monotonic() + _START_TIMEOUT_S
        while "scheduler is running" not in server.run("lpstat", "-r", check=False).stdout:
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("the private cupsd did not start:\n"
                                     + (root / "log" / "cupsd.out").read_text(errors="replace")
                                     + server.log_tail())
            time.sleep(0.1)
        server.add_queue(queue)
        yield server
    finally:
        if process is not None:
            _stop(process)
            assert process.poll() is not None, "cupsd is still running"
        _conf_path(root).unlink(missing_ok=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def cups_server() -> Iterator[CupsServer]:
    """A private cupsd with an idle cups-pdf queue "kioskpdf", shared by one test module."""
    with private_cupsd() as server:
        yield server
