"""The one-screen dashboard (`recoverylog status`).

Each part is computed by a function in its feature's module and rendered by one function
in render/status.py. To add a part (meetings, goals, plan, steps):
  1. compute it here in `build_status` with one call (leave it None when there is nothing
     to show, so the terminal view leaves it out);
  2. add a `_section_<part>` renderer in render/status.py and list it in SECTIONS there.
JSON keeps "as_of", "checkins" and "substances" always; other parts appear when not None.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from recoverylog.records import record
from recoverylog.reports.checkins import CheckinSummary, checkin_summary


@record
class StatusReport:
    as_of: date
    checkins: CheckinSummary
    substances: tuple  # tuple[reports.sobriety.SubstanceReport, ...]
    meetings: Any = None
    goals: Any = None
    plan: Any = None
    steps: Any = None
    today: date | None = None  # the real today, so a past --as-of is worded as a past day
    health: Any = None     # reports.health.HealthStatus: medication adherence, assessments due
    warnings: Any = None   # reports.warnings.Warning tuple; None when `config set warnings off`
    money: Any = None      # reports.money.MoneyNotSpent tuple; None when no substance has a cost


def build_status(store, as_of: date) -> StatusReport:
    from recoverylog.reports.goals import goals_status
    from recoverylog.reports.meetings import meetings_status
    from recoverylog.reports.sobriety import build_substance_reports, load_tracked
    from recoverylog.storage.presence import parts_with_rows

    # A part with no row at all has nothing to show (its function would return None): its
    # module is not loaded. tests/test_status_parts.py compares with computing every part.
    present = parts_with_rows(store)
    checkins = checkin_summary(store, as_of)
    tracked = load_tracked(store, as_of)   # every history read once: the substances and money not spent
    return StatusReport(
        as_of=as_of,
        checkins=checkins,
        substances=tuple(build_substance_reports(store, as_of, tracked=tracked)),
        meetings=meetings_status(store, as_of),
        goals=goals_status(store, as_of) or None,
        plan=_plan(store, as_of) if "plan" in present else None,
        steps=_steps(store) if "steps" in present else None,
        today=store.today(),
        health=_health(store, as_of) if present & {"medications", "assessments"} else None,
        **_rhythm_parts(store, as_of, tracked),
    )


def _plan(store, as_of: date):
    from recoverylog.reports.plan import plan_status_part

    return plan_status_part(store, as_of)


def _steps(store):
    from recoverylog.services.steps import current_step

    return current_step(store)


def _health(store, as_of: date):
    from recoverylog.reports.health import health_status

    return health_status(store, as_of)


def _rhythm_parts(store, as_of: date, tracked: list) -> dict[str, Any]:
    """Early warnings and money not spent (docs/definitions.md §10)."""
    from recoverylog.reports.money import money_not_spent
    from recoverylog.reports.warnings import early_warnings

    return {"warnings": early_warnings(store, as_of) if store.settings.warnings else None,
            "money": money_not_spent(store, as_of, tracked) or None}


def status_json(report: StatusReport) -> dict[str, Any]:
    """The `status --json` document: the contract keys, then every part that is not None."""
    from recoverylog.jsonable import to_jsonable

    out: dict[str, Any] = {"version": 1, "as_of": report.as_of, "checkins": report.checkins,
                           "substances": list(report.substances)}
    for name in ("meetings", "goals", "plan", "steps"):
        value = getattr(report, name)
        if value is not None:
            out[name] = value
    if report.health is not None:
        out["medications"] = [a.as_json() for a in report.health.medications]
        out["assessments_due"] = report.health.due
    from recoverylog.reports.money import money_json
    from recoverylog.reports.warnings import warnings_json

    out["warnings"] = warnings_json(report.warnings or ())
    out["warnings_on"] = report.warnings is not None
    out["money"] = money_json(report.money or ())
    return to_jsonable(out)
