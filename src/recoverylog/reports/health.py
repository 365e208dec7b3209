"""Self-assessments and medication adherence as reports (docs/definitions.md §9).

One computation per figure: `assessment_summaries` (latest, previous, change, band),
`assessments_due` (when the next PHQ-9 / GAD-7 is due) and `adherence` (doses taken of doses
recorded, with coverage) feed `status`, `report`, the care export and the sponsor summary."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from recoverylog.records import record
from recoverylog.reports.daystate import period_start
from recoverylog.storage import health as rows
from recoverylog.storage.db import Store

STATUS_WINDOW_DAYS = 30


# -- assessments ----------------------------------------------------------------------

@record
class AssessmentPoint:
    id: int
    date: date
    total: int
    band: str | None
    item9_positive: bool = False
    instrument: str = ""


@record
class AssessmentSummary:
    instrument: str          # key: phq9
    name: str                # PHQ-9
    min: int
    max: int
    latest: AssessmentPoint
    previous: AssessmentPoint | None
    change: int | None       # latest − previous (for BARC-10 higher is more recovery capital)
    in_period: int           # how many were taken in the period
    higher_is: str           # "more symptoms" | "more recovery capital"
    reference_score: int | None = None

    def as_json(self) -> dict[str, Any]:
        def point(p: AssessmentPoint | None):
            return None if p is None else {"id": p.id, "date": p.date.isoformat(), "total": p.total, "band": p.band}

        out = {"instrument": self.instrument, "name": self.name, "range": [self.min, self.max],
               "latest": point(self.latest), "previous": point(self.previous), "change": self.change,
               "band": self.latest.band, "in_period": self.in_period, "higher_is": self.higher_is}
        if self.reference_score is not None:
            out["reference_score"] = self.reference_score
        return out


def _point(r: rows.AssessmentRow) -> AssessmentPoint:
    return AssessmentPoint(r.id, r.date, r.total, r.band, r.item9_positive, r.instrument)


def assessment_summaries(store: Store, end: date, start: date | None = None) -> tuple[AssessmentSummary, ...]:
    """Per instrument with one taken on or before `end`: the latest and the one before it."""
    by_key: dict[str, list[rows.AssessmentRow]] = {}
    for r in rows.list_assessments(store, end=end):
        by_key.setdefault(r.instrument, []).append(r)
    if not by_key:
        return ()  # nothing taken: the instruments (module and file) are not read
    from recoverylog.services.instruments import INSTRUMENT_KEYS, load_instruments

    instruments = load_instruments()
    out = []
    for key in INSTRUMENT_KEYS:
        taken = by_key.get(key)
        if not taken:
            continue
        inst = instruments[key]
        latest = taken[-1]
        previous = taken[-2] if len(taken) > 1 else None
        out.append(AssessmentSummary(
            instrument=key, name=inst.name, min=inst.min, max=inst.max, latest=_point(latest),
            previous=_point(previous) if previous else None,
            change=latest.total - previous.total if previous else None,
            in_period=sum(1 for r in taken if start is None or r.date >= start),
            higher_is="more recovery capital" if key == "barc10" else "more symptoms",
            reference_score=inst.reference_score))
    return tuple(out)


def assessments_in(store: Store, start: date, end: date) -> tuple[AssessmentPoint, ...]:
    return tuple(_point(r) for r in rows.list_assessments(store, start=start, end=end))


@record
class AssessmentDue:
    instrument: str
    name: str
    last: date
    due: date
    days_until: int          # negative: overdue by that many days


def assessments_due(store: Store, as_of: date) -> tuple[AssessmentDue, ...]:
    """For each instrument with a reminder interval (PHQ-9, GAD-7: 14 days) that the person has
    taken: when the next is due. Empty when `assessment-reminders` is off."""
    if not store.settings.assessment_reminders:
        return ()
    from recoverylog.services.instruments import INSTRUMENT_KEYS

    taken_by_key = {key: rows.list_assessments(store, instrument=key, end=as_of) for key in INSTRUMENT_KEYS}
    if not any(taken_by_key.values()):
        return ()  # nothing taken: nothing due (and the instruments file is not read)
    from recoverylog.services.instruments import load_instruments

    out = []
    for key in INSTRUMENT_KEYS:
        inst = load_instruments()[key]
        if not inst.reminder_days:
            continue
        taken = taken_by_key[key]
        if not taken:
            continue
        last = taken[-1].date
        due = last + timedelta(days=inst.reminder_days)
        out.append(AssessmentDue(key, inst.name, last, due, (due - as_of).days))
    return tuple(out)


# -- medication adherence -------------------------------------------------------------

@record
class Adherence:
    name: str
    kind: str
    schedule: str
    dose: str | None
    start: date
    end: date
    unit: str | None          # what is counted: "day" | "dose" | "week"; None for as-needed
    scheduled: int            # units scheduled in the window while the medication was active
    recorded: int             # units with a record (taken or missed)
    taken: int
    missed: int
    recorded_days: int        # days with any record
    taken_days: int           # days with at least one dose taken
    doses_taken: int          # every dose recorded taken (as-needed: the count that matters)
    active: bool = True

    @property
    def adherence(self) -> float | None:
        """taken / recorded; undefined with no record, and for as-needed medication."""
        if self.unit is None or self.recorded == 0:
            return None
        return self.taken / self.recorded

    @property
    def coverage(self) -> float | None:
        if self.unit is None or self.scheduled == 0:
            return None
        return self.recorded / self.scheduled

    @property
    def unrecorded(self) -> int:
        return max(0, self.scheduled - self.recorded) if self.unit else 0

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Adherence":
        """Back from `as_json` (the care export renders its markdown and HTML from its JSON)."""
        period = d["period"]
        return cls(name=d["name"], kind=d["kind"], schedule=d["schedule"], dose=d.get("dose"),
                   start=date.fromisoformat(period["start"]), end=date.fromisoformat(period["end"]),
                   unit=d["unit"], scheduled=d["scheduled"], recorded=d["recorded"], taken=d["taken"],
                   missed=d["missed"], recorded_days=d["recorded_days"], taken_days=d["taken_days"],
                   doses_taken=d["doses_taken"], active=d.get("active", True))

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "schedule": self.schedule, "dose": self.dose,
                "period": {"start": self.start.isoformat(), "end": self.end.isoformat()},
                "unit": self.unit, "scheduled": self.scheduled, "recorded": self.recorded, "taken": self.taken,
                "missed": self.missed, "unrecorded": self.unrecorded,
                "adherence": None if self.adherence is None else round(self.adherence, 4),
                "coverage": None if self.coverage is None else round(self.coverage, 4),
                "recorded_days": self.recorded_days, "taken_days": self.taken_days,
                "doses_taken": self.doses_taken, "active": self.active}


def _monday(d: date) -> date:
    return period_start(d, "week")   # the day-state engine's one week rule


def adherence_of(med: rows.Medication, doses: list[rows.DoseRow], start: date, end: date) -> Adherence:
    """Pure: one medication's adherence over [start, end] from its dose records.

    daily: a day is the unit; twice-daily: each dose is the unit (a day with one dose recorded
    does not count the other as missed); weekly: an ISO week (Monday first) is the unit, the
    weeks overlapping the window; as-needed: no ratio, counts only. Days before the medication
    was added or from its archive day on are not scheduled."""
    doses = [d for d in doses if start <= d.date <= end]
    # Recording began on the earlier of the day it was added and its first dose record.
    began = min([med.added_on] + [d.date for d in doses])
    first = max(start, began)
    last = end if med.archived_on is None else min(end, med.archived_on - timedelta(days=1))
    days = max(0, (last - first).days + 1)
    recorded_days = len({d.date for d in doses})
    taken_days = len({d.date for d in doses if d.taken})
    doses_taken = sum(1 for d in doses if d.taken)
    common: dict[str, Any] = dict(name=med.name, kind=med.kind, schedule=med.schedule, dose=med.dose, start=start, end=end,
                  recorded_days=recorded_days, taken_days=taken_days, doses_taken=doses_taken, active=med.active)
    if med.schedule == "as-needed":
        return Adherence(unit=None, scheduled=0, recorded=len(doses), taken=doses_taken,
                         missed=0, **common)
    if med.schedule == "weekly":
        weeks = set()
        if days:
            week = _monday(first)
            while week <= last:
                weeks.add(week)
                week += timedelta(days=7)
        by_week: dict[date, bool] = {}
        for d in doses:
            key = _monday(d.date)
            by_week[key] = by_week.get(key, False) or d.taken
        recorded = {w for w in by_week if w in weeks}
        taken = sum(1 for w in recorded if by_week[w])
        return Adherence(unit="week", scheduled=len(weeks), recorded=len(recorded), taken=taken,
                         missed=len(recorded) - taken, **common)
    per_day = med.doses_per_day
    valid = [d for d in doses if first <= d.date <= last and d.dose_number <= per_day]
    taken = sum(1 for d in valid if d.taken)
    return Adherence(unit="day" if per_day == 1 else "dose", scheduled=days * per_day, recorded=len(valid),
                     taken=taken, missed=len(valid) - taken, **common)


def adherence(store: Store, start: date, end: date, *, include_archived: bool = True) -> tuple[Adherence, ...]:
    """Every medication active at some point in [start, end] (archived ones too, marked)."""
    doses = rows.doses_in(store, start, end)
    by_med: dict[int, list[rows.DoseRow]] = {}
    for d in doses:
        by_med.setdefault(d.medication_id, []).append(d)
    out = []
    for med in rows.list_medications(store):
        if med.added_on > end and med.id not in by_med:
            continue
        if med.archived_on is not None and med.archived_on <= start and med.id not in by_med:
            continue
        if not include_archived and not med.active:
            continue
        out.append(adherence_of(med, by_med.get(med.id, []), start, end))
    return tuple(out)


def status_adherence(store: Store, as_of: date) -> tuple[Adherence, ...]:
    """The `status` part: the last 30 days, active medications only."""
    start = as_of - timedelta(days=STATUS_WINDOW_DAYS - 1)
    return adherence(store, start, as_of, include_archived=False)


# -- the status and report parts ------------------------------------------------------

@record
class HealthStatus:
    due: tuple[AssessmentDue, ...]
    medications: tuple[Adherence, ...]
    window_days: int = STATUS_WINDOW_DAYS


def health_status(store: Store, as_of: date) -> HealthStatus | None:
    """None when there is nothing to show (no medication, no reminder due)."""
    due = assessments_due(store, as_of)
    meds = status_adherence(store, as_of)
    if not due and not meds:
        return None
    return HealthStatus(due=due, medications=meds)


@record
class HealthReport:
    start: date
    end: date
    assessments: tuple[AssessmentSummary, ...]
    taken: tuple[AssessmentPoint, ...]          # every assessment in the period, oldest first
    medications: tuple[Adherence, ...]

    def assessments_json(self) -> list[dict[str, Any]]:
        return [a.as_json() for a in self.assessments]

    def medications_json(self) -> list[dict[str, Any]]:
        return [m.as_json() for m in self.medications]


def health_report(store: Store, start: date, end: date) -> HealthReport:
    return HealthReport(start=start, end=end, assessments=assessment_summaries(store, end, start),
                        taken=assessments_in(store, start, end), medications=adherence(store, start, end))
