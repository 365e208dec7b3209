"""Options shared by many commands (one definition, one help text)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import typer

T = TypeVar("T")

# `--limit N` on every list command: the N most recent rows of a dated list, else the first N.
LIMIT = typer.Option(None, "--limit", metavar="N", min=1,
                     help="Show at most N (for dated lists, the N most recent).")


def newest(rows: Sequence[T], limit: int | None) -> list[T]:
    """The last `limit` rows of a list sorted oldest first (all of them without a limit)."""
    rows = list(rows)
    return rows if limit is None else rows[-limit:] if limit else []


def first(rows: Sequence[T], limit: int | None) -> list[T]:
    rows = list(rows)
    return rows if limit is None else rows[:limit]
