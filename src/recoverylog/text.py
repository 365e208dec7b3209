"""Leaf text helpers shared by every layer (no rich, no I/O)."""

from __future__ import annotations


def strip_control(text: str) -> str:
    """Text made safe to show: control characters and escape sequences removed (tab and newline
    kept), bidirectional overrides neutralised, lone surrogates replaced — the one display rule
    (recoverylog.textcheck.display, docs/definitions.md §12)."""
    from recoverylog.textcheck import display

    return display(text)
