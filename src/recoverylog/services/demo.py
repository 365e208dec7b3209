"""A realistic, seeded (reproducible) history for `recoverylog demo`, written through the real
services into a new database, day by day, with the clock set to each evening so that
timestamps, "filled in later" and every check are what a person's own use would produce."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from recoverylog.clock import FixedClock
from recoverylog.errors import InputError
from recoverylog.records import record
from recoverylog.storage.db import Store

MIN_DAYS, MAX_DAYS = 14, 3660


@record
class DemoResult:
    start: date
    end: date
    checkins: int
    meetings: int
    uses: int
    outreach: int
    goals: int


def _at(day: date, hour: int, minute: int = 0, tz=None) -> FixedClock:
    return FixedClock(datetime.combine(day, time(hour, minute), tzinfo=tz))


def write_demo(store: Store, days: int, seed: int = 7,
               progress: Callable[[int, int], None] | None = None) -> DemoResult:
    """Fill an empty database with `days` days ending today. Refuses a database holding data.
    `progress(done, days)` is called every few simulated days (a progress bar on a terminal)."""
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise InputError(f"--days {days} is out of range: use {MIN_DAYS}–{MAX_DAYS}.")
    if not store.is_empty():
        raise InputError(f"{store.path} already holds data; the demo only writes into a new database. "
                         "Nothing was changed. Choose another file with --db PATH.")
    from recoverylog.services import contacts as contact_service
    from recoverylog.services import goals as goal_service
    from recoverylog.services import meetings as meeting_service
    from recoverylog.services import uses as use_service
    from recoverylog.services.checkin import CheckinInput, save_checkin
    from recoverylog.services.substances import SubstanceSpec, add_substance

    real_clock = store.clock
    tz = real_clock.now().tzinfo
    end = store.today()
    start = end - timedelta(days=days - 1)
    rng = random.Random(seed)
    lapse_day = start + timedelta(days=int(days * 0.62))
    counts = {"checkins": 0, "meetings": 0, "uses": 0, "outreach": 0, "goals": 0}
    try:
        from recoverylog.storage.pragmas import set_durable

        set_durable(store, False)  # a throw-away demo file: speed over durability
        store.clock = _at(start, 19, 30, tz)
        add_substance(store, SubstanceSpec(name="Alcohol", unit="drinks", goal="abstain",
                                           last_use=start - timedelta(days=24)))
        add_substance(store, SubstanceSpec(name="Cigarettes", unit="count", goal="reduce",
                                           max_per_day=5))
        meeting_service.add_requirement(store, meeting_service.RequirementInput(
            label="Program", count=2, per="week", start=start))
        contact_service.add_contact(store, "Sam", "sponsor")
        contact_service.add_contact(store, "Jo", "peer")
        for title, kwargs in (
            ("3 meetings a week", dict(metric="meetings", target=3, per="week")),
            ("Check in every day this month", dict(metric="checkins", every_day=True, per="month")),
            ("Call my sponsor twice a week", dict(metric="outreach", target=2, per="week")),
            ("25 sober days this month", dict(metric="sober-days", substance="Alcohol", target=25, per="month")),
            ("Finish step 4", dict(metric="manual", due=end + timedelta(days=60))),
            ("Read the Big Book chapter 5", dict(metric="manual")),
        ):
            goal_service.add_goal(store, goal_service.GoalInput(title=title, start=start, **kwargs))
            counts["goals"] += 1

        pending: list[date] = []  # days to fill in the next evening
        step = max(1, days // 100)
        for i in range(days):
            if progress is not None and i % step == 0:
                progress(i, days)
            day = start + timedelta(days=i)
            share = i / max(1, days - 1)
            store.clock = _at(day, 21, rng.randrange(0, 50), tz)
            # Meetings: Tuesday in person (signed), Thursday online, most Saturdays.
            plan = {1: ("Tuesday Night Big Book", "AA", "in-person", "signature"),
                    3: ("Thursday SMART Online", "SMART", "online", "none"),
                    5: ("Saturday Morning Step Study", "AA", "in-person", "initials")}.get(day.weekday())
            if plan and (day.weekday() != 5 or rng.random() < 0.7) and rng.random() < 0.93:
                name, fellowship, fmt, verification = plan
                meeting_service.add_meeting(store, meeting_service.MeetingInput(
                    name=name, date=day, time="19:00" if fmt != "in-person" or day.weekday() != 5 else "09:30",
                    minutes=60, fellowship=fellowship, format=fmt, verification=verification,
                    verified_by="R." if verification != "none" else None))
                counts["meetings"] += 1
            if rng.random() < (0.55 if abs((day - lapse_day).days) <= 3 else 0.35):
                contact_service.record_outreach(store, "Sam" if rng.random() < 0.7 else "Jo", day,
                                                how=rng.choice(["call", "text", "in-person"]))
                counts["outreach"] += 1
            # Fill in yesterday's missed check-in this evening (a back-filled day).
            for missed in pending:
                _checkin(store, missed, rng, share, lapse_day, counts, CheckinInput, save_checkin, use_service)
            pending = []
            roll = rng.random()
            if roll < 0.06:
                continue               # a day left unrecorded
            if roll < 0.12 and i < days - 1:
                pending.append(day)    # recorded the next evening
                continue
            _checkin(store, day, rng, share, lapse_day, counts, CheckinInput, save_checkin, use_service)
        if progress is not None:
            progress(days, days)
        store.clock = _at(lapse_day + timedelta(days=30), 20, 0, tz) if lapse_day + timedelta(days=30) <= end else store.clock
        if lapse_day + timedelta(days=30) <= end:
            goal_service.mark_done(store, "Read the Big Book chapter 5", lapse_day + timedelta(days=30))
    finally:
        store.clock = real_clock
        from recoverylog.storage.pragmas import set_durable

        set_durable(store, True)
    return DemoResult(start=start, end=end, **counts)


def _checkin(store, day, rng, progress, lapse_day, counts, CheckinInput, save_checkin, use_service) -> None:
    near_lapse = 0 <= (lapse_day - day).days <= 3
    mood = round(5 + 2.2 * progress + rng.gauss(0, 1.1) - (2 if day == lapse_day else 0))
    craving = round(5 - 3 * progress + rng.gauss(0, 1.2) + (3 if near_lapse else 0))
    stress = round(5 - 1.5 * progress + rng.gauss(0, 1.5) + (2 if near_lapse else 0))
    halt = tuple(w for w, p in (("hungry", 0.1), ("angry", 0.08), ("lonely", 0.3 if near_lapse else 0.12),
                                ("tired", 0.25)) if rng.random() < p)
    used = []
    if day == lapse_day:
        used.append("Alcohol:6")
    cigarettes = max(0, round(9 - 6 * progress + rng.gauss(0, 1.3)))
    if cigarettes:
        used.append(f"Cigarettes:{cigarettes}")
    entry = CheckinInput(
        date=day, mood=min(10, max(1, mood)), craving=min(10, max(0, craving)), stress=min(10, max(0, stress)),
        sleep=round(min(10.0, max(4.0, 6.4 + 1.2 * progress + rng.gauss(0, 0.8))) * 2) / 2, halt=halt,
        tags=("work",) if day.weekday() < 5 and rng.random() < 0.3 else None)
    hook = use_service.checkin_hook(store, day, used=used, sober=True, ask=False)
    save_checkin(store, entry, [hook] if hook else [])
    counts["checkins"] += 1
    counts["uses"] += len(used)
