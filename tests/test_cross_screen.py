"""One answer on every screen: random histories, then `status --json`, `report -f json` and the
sponsor export's JSON must agree on every week's reduce verdict and on every day's figures.

Histories hold long runs of consecutive recorded days, gaps, uses with and without amounts,
declared last-use dates, reduce goals with a daily cap and a weekly or monthly one, and windows
that cross the end of December. Size: 80 examples of 7–70 days each (two substances), about a dozen
in-process commands per example: about 4 s on a loaded 2-core machine."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

BASE = date(2026, 11, 16)   # a Monday; histories run into December and January


@st.composite
def histories(draw):
    start = BASE + timedelta(days=draw(st.integers(0, 30)))
    length = draw(st.integers(7, 70))
    end = start + timedelta(days=length - 1)
    per = draw(st.sampled_from(["week", "month"]))
    max_per_day = draw(st.sampled_from([2.0, 3.0, 5.0]))
    max_days = draw(st.integers(1, 5 if per == "week" else 12))
    declared = draw(st.one_of(st.none(), st.integers(1, 60).map(lambda n: start - timedelta(days=n))))
    # Runs: (state, length) with state recorded-no-use, use (amount or not) or not recorded.
    days: dict[date, tuple[bool, float | None] | None] = {}
    cursor = start
    while cursor <= end:
        kind = draw(st.sampled_from(["run", "gap", "use"]))
        n = draw(st.integers(1, 12 if kind == "run" else 4))
        for _ in range(n):
            if cursor > end:
                break
            if kind == "run":
                days[cursor] = (False, None)
            elif kind == "use":
                days[cursor] = (True, draw(st.one_of(st.none(), st.integers(1, 7).map(float))))
            cursor += timedelta(days=1)
            if kind == "gap":
                continue
    return start, end, per, max_per_day, max_days, declared, days


def _build(path, start, end, per, max_per_day, max_days, declared, days):
    from recoverylog.clock import FixedClock
    from recoverylog.services.substances import SubstanceSpec, add_substance
    from recoverylog.storage.db import open_store

    moment = datetime(start.year, start.month, start.day, 10, tzinfo=UTC)
    store = open_store(path, FixedClock(moment))
    add_substance(store, SubstanceSpec("cigarettes", unit="count", goal="reduce", max_per_day=max_per_day,
                                       max_days=max_days, per=per))
    add_substance(store, SubstanceSpec("alcohol", unit="drinks", last_use=declared))
    with store.write() as conn:
        for day, value in days.items():
            if value is None:
                continue
            used, amount = value
            for sid in (1, 2):
                # Alcohol: the same days recorded, a use only where cigarettes' amount is over 4.
                u = used if sid == 1 else bool(used and amount and amount > 4)
                a = amount if sid == 1 and used else (amount if u else None)
                conn.execute("INSERT INTO uses VALUES (?, ?, ?, ?, NULL, 'x', ?, 'x')",
                             (sid, day.isoformat(), int(u), a, day.isoformat()))
    store.close()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow])
@given(histories())
def test_status_report_and_export_agree_on_every_week_and_day(cli, tmp_path_factory, history):
    start, end, per, max_per_day, max_days, declared, days = history
    path = tmp_path_factory.mktemp("cross") / "h.db"
    _build(path, start, end, per, max_per_day, max_days, declared, days)
    now = f"{end.isoformat()}T20:00:00+00:00"
    db = ("--db", str(path))
    window = ("--since", start.isoformat(), "--until", end.isoformat())
    report = cli.json(*db, "report", "-f", "json", *window, now=now)
    export = cli.json(*db, "export", "-f", "json", *window, now=now)["data"]

    rep = {s["name"]: s for s in report["substances"]}
    exp = {s["name"]: s for s in export["substances"]}
    # Every week's (or month's) verdict, and its counts, in the report and the export.
    verdicts = rep["cigarettes"]["reduce"]["periods"]
    assert verdicts == exp["cigarettes"]["reduce"]["periods"]
    assert rep["cigarettes"]["reduce"] == exp["cigarettes"]["reduce"]
    # … and in `status --as-of` the last day of each (or the window's end): its current period.
    for p in verdicts:
        as_of = min(date.fromisoformat(p["end"]), end)
        status = cli.json(*db, "status", "--json", "--as-of", as_of.isoformat(), now=now)
        current = next(s for s in status["substances"] if s["name"] == "cigarettes")["reduce"]
        assert (current["window_start"], current["verdict"], current["use_days"], current["days_within_limit"],
                current["days_amount_unknown"], current["days_over_daily_limit"], current["unrecorded_days"]) == (
            p["start"], p["verdict"], p["use_days"], p["days_within_limit"], p["days_amount_unknown"],
            p["days_over_limit"], p["unrecorded_days"]), (p, current)
    # The verdict agrees with a count by hand from the drawn history.
    for p in verdicts:
        lo, hi = date.fromisoformat(p["start"]), min(date.fromisoformat(p["end"]), end)
        inside = [days.get(lo + timedelta(days=i)) for i in range((hi - lo).days + 1)
                  if lo + timedelta(days=i) >= start]
        uses = [v for v in inside if v is not None and v[0]]
        over = len(uses) > max_days or any(a is not None and a > max_per_day for _, a in uses)
        unrecorded = sum(1 for v in inside if v is None)
        assert p["verdict"] == ("over" if over else "incomplete" if unrecorded else "within")

    # Every day's figures: the report's daily states and the export's day rows.
    by_day = {d["date"]: d for d in export["days"]}
    for row in report["daily"]:
        day = by_day[row["date"]]
        for name, fig in row["substances"].items():
            mark = next((u for u in day["uses"] if u["substance"] == name), None)
            if fig["state"] in ("unrecorded", "not_tracked"):
                assert mark is None and (fig["state"] == "not_tracked" or name in day["unrecorded"])
            else:
                assert mark is not None and mark["state"] == fig["day_state"] and mark["amount"] == fig["amount"]
                assert mark["used"] == (fig["state"] != "sober")
    # Continuous days of the abstain substance: the same on all three screens.
    status = cli.json(*db, "status", "--json", now=now)
    alcohol = next(s for s in status["substances"] if s["name"] == "alcohol")
    assert rep["alcohol"]["days_at_end"] == exp["alcohol"]["continuous_days"] == alcohol["days"]
    assert exp["alcohol"]["longest_days"] == alcohol["longest_days"]
    assert exp["alcohol"]["recorded_since_last_use"] == alcohol["recorded_since_last_use"]
