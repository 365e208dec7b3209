"""Leaf text helpers shared by every layer (no rich, no I/O)."""

from __future__ import annotations

import re

# C0/C1 control characters (tab and newline kept) and ANSI escape sequences.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]|\x1b\[[0-?]*[ -/]*[@-~]")


def strip_control(text: str) -> str:
    """Text made safe to show: control characters and escape sequences removed (tab and newline
    kept), bidirectional overrides neutralised, lone surrogates replaced — the one display rule
    (recoverylog.textcheck.display, docs/definitions.md §12)."""
    from recoverylog.textcheck import display

    return display(text)
