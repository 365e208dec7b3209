"""Which optional parts of a journal hold any row at all (plan, step work, medication,
assessments): one query, so that a screen need not load the code of a part with nothing in it."""

from __future__ import annotations

from recoverylog.storage.db import Store

PARTS = ("plan", "steps", "medications", "assessments")


def parts_with_rows(store: Store) -> frozenset[str]:
    row = store.query_one(
        "SELECT EXISTS (SELECT 1 FROM plan_versions) AS plan, EXISTS (SELECT 1 FROM steps) AS steps, "
        "EXISTS (SELECT 1 FROM medications) AS medications, EXISTS (SELECT 1 FROM assessments) AS assessments")
    if row is None:
        return frozenset(PARTS)   # cannot tell: every part is computed
    return frozenset(part for part in PARTS if row[part])
