"""Shared test helpers: run the real `kiosk` command, make a data folder with demo data."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def kiosk_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("KIOSK_DATA",)}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("SDL_VIDEODRIVER", "dummy")
    env.setdefault("SDL_AUDIODRIVER", "dummy")
    env.update(extra)
    return env


def run_kiosk(*args: str, cwd: Path | None = None, input: str | None = None, timeout: float = 120,
              env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `python -m kiosk ARGS` as a user would, and return what it printed and its exit code."""
    return subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=cwd, input=input, capture_output=True,
                          text=True, timeout=timeout, env=env or kiosk_env())


@pytest.fixture
def kiosk():
    return run_kiosk


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    return d


@pytest.fixture(scope="session")
def demo_store_dir(tmp_path_factory) -> Path:
    """A data folder with one demo session of 24 responses (made once per test run; do not modify)."""
    d = tmp_path_factory.mktemp("demo") / "data"
    r = run_kiosk("demo-data", "--session", "Demo night", "--responses", "24", "--seed", "7", "--data", str(d))
    assert r.returncode == 0, r.stderr
    return d


@contextmanager
def tmpfs(folder: Path, size: str, inodes: int = 0) -> Iterator[Path]:
    """A real, tiny filesystem at `folder`, to fill or make read-only. Needs root (CI runs as root).
    `inodes`: at most that many files and folders (0: tmpfs's default)."""
    folder.mkdir()
    options = f"size={size}" + (f",nr_inodes={inodes}" if inodes else "")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill_disk(folder: Path) -> Path:
    """Write a file in `folder` until its disk is full; returns the file."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"x" * 65536):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    return filler
