"""Self-assessments (docs/definitions.md §9): score exactly, then save in one transaction; a
delete keeps the row as a revision. Nothing is stored when an answer is missing or out of range."""

from __future__ import annotations

from datetime import date

from recoverylog.errors import NotFoundError
from recoverylog.records import record
from recoverylog.services.instruments import Instrument, Score, score
from recoverylog.storage import health as rows
from recoverylog.storage.db import Store


@record
class Saved:
    id: int
    date: date
    instrument: Instrument
    score: Score


def save_assessment(store: Store, instrument: Instrument, day: date, answers: tuple[int, ...]) -> Saved:
    result = score(instrument, answers)  # refuses before the transaction: nothing is stored
    stamp, today = store.stamp()
    with store.write() as conn:
        new_id = rows.insert_assessment(conn, instrument=instrument.key, day=day, answers=result.answers,
                                        total=result.total, band=result.band,
                                        item9_positive=result.item9_positive, stamp=stamp, today=today)
    return Saved(id=new_id, date=day, instrument=instrument, score=result)


def delete_assessment(store: Store, assessment_id: int) -> rows.AssessmentRow:
    found = rows.get_assessment(store, assessment_id)
    if found is None:
        raise NotFoundError(f"No self-assessment with id {assessment_id}; `recoverylog assess list` shows them.")
    with store.write() as conn:
        existing = rows.raw_assessment(conn, assessment_id)
        if existing is None:
            raise NotFoundError(f"No self-assessment with id {assessment_id}; nothing was deleted.")
        store.add_revision(conn, "assessment", str(assessment_id), "delete", existing)
        rows.delete_assessment(conn, assessment_id)
    return found
