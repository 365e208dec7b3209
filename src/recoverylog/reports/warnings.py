"""Early warnings (docs/definitions.md §10): four signals from the person's own record, each
with one next step taken from their own plan (coping steps, warning signs, people) or a default.

The signals are pure functions of counts and values, tested on their own; `early_warnings`
reads the store and calls them. A warning says what was recorded, never what it means about
the person."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from datetime import date, timedelta

from recoverylog.records import record

MEETING_WINDOW = 14      # days
MEETING_BASELINE = 56    # the 8 weeks before the window
CRAVING_SHORT = 3
CRAVING_LONG = 30
CRAVING_RISE = 2.0       # points
CRAVING_MIN_SHORT = 2    # days with a value, of the 3
CRAVING_MIN_LONG = 7     # days with a value, of the 30
OUTREACH_WINDOW = 14
UNRECORDED_WINDOW = 7
UNRECORDED_AT = 3


@record
class Warning:
    signal: str        # meetings | craving | outreach | unrecorded
    detail: str        # what was recorded, in words
    next_step: str     # one step, from the person's plan or a default
    source: str = "default"  # where the step came from: plan:coping, plan:warning-signs, people, default


# -- the four signals (pure) ---------------------------------------------------------

def meetings_signal(recent: int, baseline: int) -> str | None:
    """Meetings in the last 14 days below half the person's own average per 14 days over the
    8 weeks before (baseline / 4). No baseline (none in those 8 weeks): no signal."""
    if baseline <= 0:
        return None
    average = baseline / (MEETING_BASELINE / MEETING_WINDOW)
    if recent >= average / 2:
        return None
    return (f"{recent} meeting{'s' if recent != 1 else ''} in the last 14 days; in the 8 weeks before you "
            f"averaged {average:g} per 14 days ({baseline} in all).")


def _mean(values: Sequence[float]) -> float | None:
    from recoverylog.reports.measures import window_stats

    return window_stats(values).mean


def craving_signal(last3: Sequence[float], last30: Sequence[float]) -> str | None:
    """The 3-day mean of craving at least 2 points above its 30-day mean (the 30 days end on the
    same day), with at least 2 of the 3 days and 7 of the 30 recorded."""
    if len(last3) < CRAVING_MIN_SHORT or len(last30) < CRAVING_MIN_LONG:
        return None
    short, long = _mean(last3), _mean(last30)
    if short is None or long is None or short - long < CRAVING_RISE:
        return None
    return f"Craving averaged {short:.1f}/10 over the last 3 days, against {long:.1f}/10 over 30 days."


def outreach_signal(contacts: int, outreach_days: int, last_outreach: date | None, known_since: date | None,
                    as_of: date) -> str | None:
    """No outreach in the last 14 days while contacts exist (and have for at least 14 days)."""
    if contacts <= 0 or outreach_days > 0 or known_since is None:
        return None
    if known_since > as_of - timedelta(days=OUTREACH_WINDOW):
        return None
    last = f" (last on {last_outreach.isoformat()})" if last_outreach else " (none recorded yet)"
    return f"No outreach recorded in the last 14 days{last}, with {contacts} contact{'s' if contacts != 1 else ''} in your network."


def unrecorded_signal(missing: Sequence[date]) -> str | None:
    """3 or more of the 7 days before today without a check-in (days before the first check-in
    do not count)."""
    if len(missing) < UNRECORDED_AT:
        return None
    listed = ", ".join(d.strftime("%a %-d %b") for d in missing)
    return f"{len(missing)} of the last 7 days have no check-in: {listed}."


# -- next steps ------------------------------------------------------------------------

def _first(items: Sequence[str], *words: str) -> str | None:
    for item in items:
        if not words or any(w in item.lower() for w in words):
            return item
    return None


def next_step(signal: str, coping: Sequence[str], warning_signs: Sequence[str],
              people: Sequence[tuple[str, str, str]], first_missing: date | None = None) -> tuple[str, str]:
    """(step, source) for a signal: the person's own words first, a default when the plan is silent."""
    person = people[0] if people else None
    reach = None
    if person:
        who = person[0] if person[0] == f"your {person[1]}" else f"{person[0]} ({person[1]})"
        reach = f"Reach out to {who} today."
    if signal == "meetings":
        own = _first(coping, "meeting")
        if own:
            return f"From your coping steps: {own}", "plan:coping"
        if reach:
            return f"{reach} Ask them to come to a meeting with you.", "people"
        return "Pick one meeting this week and put it in your calendar.", "default"
    if signal == "craving":
        own = _first(coping)
        if own:
            return f"From your coping steps: {own}", "plan:coping"
        sign = _first(warning_signs)
        if sign:
            return f"Check your warning signs against the last few days, starting with: {sign}", "plan:warning-signs"
        return "`recoverylog help-now` shows what can help right now.", "default"
    if signal == "outreach":
        if reach:
            return reach, "people"
        return "A short call or text to someone you trust counts.", "default"
    when = first_missing.isoformat() if first_missing else "DATE"
    sign = _first(warning_signs, "skip", "isolat", "withdraw", "stop")
    if sign:
        return (f"Your plan names this warning sign: {sign}. Filling in a day helps: "
                f"`recoverylog checkin --date {when}`."), "plan:warning-signs"
    return f"Fill in what you remember: `recoverylog checkin --date {shlex.quote(when)}`.", "default"


# -- from the store ----------------------------------------------------------------------

def recent_unrecorded(store, as_of: date) -> list[date]:
    """The 7 days before `as_of` with no check-in, oldest first; days before the first check-in
    do not count (a person who starts today has no missing days)."""
    from recoverylog.storage import checkins as checkin_rows
    from recoverylog.storage import report_queries as q

    first = checkin_rows.first_date(store)
    if first is None or first > as_of:
        return []
    window = [as_of - timedelta(days=i) for i in range(UNRECORDED_WINDOW, 0, -1)]
    have = {r["date"] for r in q.checkins_in(store, window[0], window[-1])}
    return [d for d in window if d >= first and d.isoformat() not in have]


def early_warnings(store, as_of: date, *, by_role: bool = False) -> tuple[Warning, ...]:
    """Every signal raised as of `as_of`, each with its next step. `by_role`: people are named
    by their role only ("your sponsor"), for a summary that leaves the machine."""
    from recoverylog.storage import contacts as contact_rows
    from recoverylog.storage import report_queries as q

    found: list[tuple[str, str, date | None]] = []
    recent = q.meeting_count(store, as_of - timedelta(days=MEETING_WINDOW - 1), as_of)
    baseline_end = as_of - timedelta(days=MEETING_WINDOW)
    baseline = q.meeting_count(store, baseline_end - timedelta(days=MEETING_BASELINE - 1), baseline_end)
    if text := meetings_signal(recent, baseline):
        found.append(("meetings", text, None))

    rows = q.checkins_in(store, as_of - timedelta(days=CRAVING_LONG - 1), as_of)
    last30 = [r["craving"] for r in rows if r["craving"] is not None]
    short_start = (as_of - timedelta(days=CRAVING_SHORT - 1)).isoformat()
    last3 = [r["craving"] for r in rows if r["craving"] is not None and r["date"] >= short_start]
    if text := craving_signal(last3, last30):
        found.append(("craving", text, None))

    contacts = contact_rows.list_all(store)
    if contacts:
        outreach = contact_rows.outreach_between(store, as_of - timedelta(days=OUTREACH_WINDOW - 1), as_of)
        last = contact_rows.last_outreach_on_or_before(store, as_of)
        known = min(date.fromisoformat(c["created_at"][:10]) for c in contacts)
        if text := outreach_signal(len(contacts), len({o["date"] for o in outreach}), last, known, as_of):
            found.append(("outreach", text, None))

    missing = recent_unrecorded(store, as_of)
    if text := unrecorded_signal(missing):
        found.append(("unrecorded", text, missing[0]))

    if not found:
        return ()
    from recoverylog.services.plan import help_contacts, load_plan  # only when a next step is needed

    plan = load_plan(store)
    coping = [str(i) for i in plan.sections.get("coping", [])]
    signs = [str(i) for i in plan.sections.get("warning-signs", [])]
    people = help_contacts(store, plan)
    if by_role:
        people = tuple((f"your {role}", role, "") for _, role, _ in people)
    out = []
    for signal, detail, first_missing in found:
        step, source = next_step(signal, coping, signs, people, first_missing)
        out.append(Warning(signal=signal, detail=detail, next_step=step, source=source))
    return tuple(out)


def warnings_json(items: Sequence[Warning]) -> list[dict]:
    return [{"signal": w.signal, "detail": w.detail, "next_step": w.next_step, "source": w.source} for w in items]
