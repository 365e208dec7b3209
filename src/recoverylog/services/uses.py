"""Use records (DOMAIN.md §3). Filled in by the substances work (issue 3)."""

from __future__ import annotations


def checkin_hook(store, day, *, used, sober, ask):
    """Validate --used/--sober (and ask on a terminal) before the check-in's transaction;
    return a callable (conn, day) -> ("uses", {"lines": [...], "data": ...}) or None."""
    if used or sober:
        from recoverylog.errors import UsageError

        raise UsageError("No substances are tracked yet: add one with `recoverylog substance add NAME`.")
    return None
