"""What an import did, in words: one summary line, then each conflict (kept as it was)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from recoverylog.render.words import plural

if TYPE_CHECKING:
    from recoverylog.services.imports import Conflict, ImportResult

MAX_CONFLICT_LINES = 50


def _short(value: object, width: int = 40) -> str:
    """A number as it is; text on one line, quoted, cut at `width` characters."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:g}"
    text = " ".join(str(value).split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def conflict_line(c: "Conflict") -> str:
    return f"  {c.date.isoformat()} {c.what}: kept {_short(c.kept)}; the file has {_short(c.incoming)}"


def summary_line(result: "ImportResult") -> str:
    parts = []
    if result.checkins_added:
        parts.append(plural(result.checkins_added, "check-in"))
    if result.checkins_filled:
        parts.append(f"{plural(result.checkins_filled, 'check-in')} filled in")
    if result.notes:
        parts.append(plural(result.notes, "note"))
    if result.uses_added:
        parts.append(plural(result.uses_added, "day") + " with use")
    if result.days_without_use_added:
        parts.append(plural(result.days_without_use_added, "day") + " without use")
    if result.meetings_added:
        parts.append(plural(result.meetings_added, "meeting"))
    if result.unchanged:
        parts.append(f"{result.unchanged} already recorded")
    if result.conflicts:
        parts.append(f"{plural(len(result.conflicts), 'conflict')} kept as {'it was' if len(result.conflicts) == 1 else 'they were'}")
    if not parts:
        parts.append("nothing new")
    body = ", ".join(parts)
    if result.dry_run:
        return f"Dry run of {result.file} ({result.source}), nothing was written: it would add {body}."
    return f"Imported {result.file} ({result.source}): {body}."


def result_lines(result: "ImportResult") -> list[str]:
    lines = []
    if result.conflicts:
        lines.append("Conflicts (the stored value is kept; change it yourself if the file is right):")
        lines += [conflict_line(c) for c in result.conflicts[:MAX_CONFLICT_LINES]]
        if len(result.conflicts) > MAX_CONFLICT_LINES:
            lines.append(f"  … and {len(result.conflicts) - MAX_CONFLICT_LINES} more (see --json).")
    for reason, n in result.skipped.items():
        lines.append(f"Not imported: {plural(n, 'day')} {reason} (they stay unrecorded).")
    lines.append(summary_line(result))
    return lines
