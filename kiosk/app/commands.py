"""Subcommands of this room (registered by kiosk/cli.py)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add this room's subcommands. Not built yet."""
