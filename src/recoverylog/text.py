"""Leaf text helpers shared by every layer (no rich, no I/O)."""

from __future__ import annotations

import re

# C0/C1 control characters (tab and newline kept) and ANSI escape sequences.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]|\x1b\[[0-?]*[ -/]*[@-~]")


def strip_control(text: str) -> str:
    """Text with control characters and escape sequences removed (for text that came from a file)."""
    return CONTROL.sub("", text)
