"""Date parsing (DOMAIN.md §1), the day-start hour, and check-in streaks (§5): property tests
against independent, obviously-correct definitions, plus the edges picked on purpose."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from recoverylog.clock import local_date, utc_timestamp
from recoverylog.dates import WEEKDAYS, parse_date
from recoverylog.errors import InputError
from recoverylog.reports.streaks import current_streak, longest_streak

todays = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
past_offsets = st.integers(min_value=0, max_value=20_000)


# -- ISO and relative forms ---------------------------------------------------

@given(today=todays, back=past_offsets)
@example(today=date(2028, 3, 1), back=1)  # 29 Feb of a leap year
@example(today=date(2027, 1, 1), back=1)  # year end
def test_iso_round_trip(today, back):
    day = today - timedelta(days=back)
    assert parse_date(day.isoformat(), today) == day
    assert parse_date(f"  {day.isoformat()} ", today) == day


@given(today=todays, ahead=st.integers(min_value=1, max_value=5000))
def test_future_iso_refused_unless_allowed(today, ahead):
    day = today + timedelta(days=ahead)
    assume(day.year <= 9999)
    with pytest.raises(InputError, match="in the future"):
        parse_date(day.isoformat(), today)
    assert parse_date(day.isoformat(), today, allow_future=True) == day


@given(today=todays, n=st.integers(min_value=0, max_value=5000))
def test_days_ago(today, n):
    expected = today - timedelta(days=n)
    assert parse_date(f"{n} days ago", today) == expected
    assert parse_date(f"{n} DAYS AGO", today) == expected
    if n == 1:
        assert parse_date("1 day ago", today) == expected


@given(today=todays)
def test_today_yesterday(today):
    assert parse_date("today", today) == today
    assert parse_date("Yesterday", today) == today - timedelta(days=1)


@given(today=todays, index=st.integers(0, 6), length=st.integers(3, 9), upper=st.booleans())
def test_weekday_is_most_recent_such_day_today_included(today, index, length, upper):
    word = WEEKDAYS[index][:length]
    if upper:
        word = word.upper()
    result = parse_date(word, today)
    assert result.weekday() == index
    assert 0 <= (today - result).days <= 6


# -- month-name forms (python-dateutil with explicit defaults) ------------------

def _month_forms(day: date, with_year: bool) -> list[str]:
    full = calendar.month_name[day.month]
    abbr = calendar.month_abbr[day.month]
    if with_year:
        return [f"{day.day} {full} {day.year}", f"{abbr} {day.day} {day.year}", f"{full} {day.day}, {day.year}"]
    return [f"{day.day} {full}", f"{abbr} {day.day}", f"{full.lower()} {day.day}"]


@given(day=st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)), back=past_offsets)
@example(day=date(2024, 2, 29), back=0)
def test_month_name_with_year(day, back):
    today = day + timedelta(days=back)
    for form in _month_forms(day, with_year=True):
        assert parse_date(form, today) == day, form


@given(today=todays, month=st.integers(1, 12), dom=st.integers(1, 31))
@example(today=date(2027, 3, 1), month=2, dom=29)   # most recent 29 Feb: 2024
@example(today=date(2026, 1, 1), month=12, dom=31)  # year end: last year
@example(today=date(2026, 1, 1), month=1, dom=1)    # today itself
def test_month_name_without_year_is_most_recent_not_future(today, month, dom):
    assume(dom <= calendar.monthrange(2000, month)[1])  # a day some year has
    candidates = [date(y, month, dom) for y in range(today.year - 8, today.year + 1)
                  if dom <= calendar.monthrange(y, month)[1] and date(y, month, dom) <= today]
    expected = max(candidates)
    for form in _month_forms(date(2000, month, dom), with_year=False):
        assert parse_date(form, today) == expected, form


# -- refusals: each an InputError that says why ----------------------------------

@given(today=todays, day=st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
       sep=st.sampled_from(["/", ".", "-"]))
def test_all_numeric_non_iso_is_ambiguous(today, day, sep):
    for text in (f"{day.month:02d}{sep}{day.day:02d}{sep}{day.year}", f"{day.day}{sep}{day.month}{sep}{day.year % 100:02d}"):
        with pytest.raises(InputError, match="ambiguous"):
            parse_date(text, today)


@given(year=st.integers(1990, 2090), month=st.integers(1, 12), extra=st.integers(1, 5))
@example(year=2026, month=2, extra=2)  # 2026-02-30
@example(year=2027, month=2, extra=1)  # 29 Feb of a common year
def test_impossible_iso_date_refused(year, month, extra):
    dom = calendar.monthrange(year, month)[1] + extra
    assume(dom <= 35)
    with pytest.raises(InputError, match="not a real calendar date") as info:
        parse_date(f"{year}-{month:02d}-{dom:02d}", date(2095, 1, 1))
    assert "YYYY-MM-DD" in info.value.message


def test_impossible_month_name_date_refused():
    with pytest.raises(InputError):
        parse_date("29 February 2027", date(2027, 12, 1))
    with pytest.raises(InputError):
        parse_date("31 April", date(2027, 12, 1))


@pytest.mark.parametrize("text", ["", "   ", "soon", "March", "tomorrow", "2026-13-01", "10:30", "next tuesday",
                                  "7 March 10:30", "yesterdayish"])
def test_not_a_date(text):
    with pytest.raises(InputError) as info:
        parse_date(text, date(2026, 11, 21))
    assert "\n" not in info.value.message


def test_future_names_the_day_and_today():
    with pytest.raises(InputError) as info:
        parse_date("2026-11-22", date(2026, 11, 21), what="--until date")
    assert info.value.message.startswith("The --until date 2026-11-22 is in the future (today is 2026-11-21)")
    # A report's end is not something recorded: the reason says what a report can count.
    assert "a report can only count days that have happened" in info.value.message
    assert "recorded" not in info.value.message
    with pytest.raises(InputError) as info:
        parse_date("2026-11-22", date(2026, 11, 21), what="--as-of date")
    assert "a report can only count days that have happened" in info.value.message
    with pytest.raises(InputError) as info:
        parse_date("2026-11-22", date(2026, 11, 21))
    assert info.value.message.endswith("only days that have happened can be recorded.")


@settings(max_examples=300)
@given(text=st.text(max_size=40), today=todays)
@example(text="0 days ago", today=date(2026, 1, 1))
@example(text="999999 days ago", today=date(2026, 1, 1))
@example(text="Feb 30", today=date(2026, 1, 1))
@example(text="\x00", today=date(2026, 1, 1))
def test_any_text_gives_a_past_date_or_a_one_line_input_error(text, today):
    try:
        result = parse_date(text, today)
    except InputError as exc:
        assert exc.message and "\n" not in exc.message
    else:
        assert isinstance(result, date) and result <= today


# -- the day-start hour -----------------------------------------------------------

@given(moment=st.datetimes(min_value=datetime(2000, 1, 2), max_value=datetime(2090, 1, 1),
                           timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5)),
                                                      timezone(timedelta(hours=5, minutes=30))])),
       hour=st.integers(0, 23))
def test_local_date_counts_from_the_day_start_hour(moment, hour):
    result = local_date(moment, hour)
    if moment.hour >= hour:
        assert result == moment.date()
    else:
        assert result == moment.date() - timedelta(days=1)


def test_half_past_one_counts_for_the_previous_date():
    moment = datetime(2026, 3, 8, 1, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert local_date(moment) == date(2026, 3, 7)  # default hour 4
    assert local_date(moment, 0) == date(2026, 3, 8)
    assert local_date(datetime(2027, 1, 1, 3, 59, tzinfo=UTC)) == date(2026, 12, 31)
    assert local_date(datetime(2027, 1, 1, 4, 0, tzinfo=UTC)) == date(2027, 1, 1)


def test_utc_timestamp_is_utc_with_offset():
    moment = datetime(2026, 3, 8, 1, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert utc_timestamp(moment) == "2026-03-08T06:30:00+00:00"


# -- streaks (reports/streaks.py) ------------------------------------------------

def _brute_current(present: set[date], as_of: date) -> int:
    end = as_of if as_of in present else as_of - timedelta(days=1)
    n = 0
    while end - timedelta(days=n) in present:
        n += 1
    return n


def _brute_longest(present: set[date]) -> int:
    best = 0
    for day in present:
        if day - timedelta(days=1) not in present:
            n = 0
            while day + timedelta(days=n) in present:
                n += 1
            best = max(best, n)
    return best


base = date(2024, 2, 20)  # runs across 29 Feb 2024 and month ends
offsets = st.lists(st.integers(0, 60), max_size=50)


@given(offs=offsets, as_of_off=st.integers(0, 62), dup=st.booleans())
def test_streaks_match_their_definitions(offs, as_of_off, dup):
    days = [base + timedelta(days=o) for o in offs]
    as_of = base + timedelta(days=as_of_off)
    present_until = {d for d in days if d <= as_of}
    given_days = (days + days if dup else days)[::-1]  # order and duplicates do not matter
    assert current_streak(given_days, as_of) == _brute_current(set(days), as_of)
    assert longest_streak(given_days) == _brute_longest(set(days))
    assert current_streak([d for d in given_days if d <= as_of], as_of) <= longest_streak(present_until)


@given(start=st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 1, 1)), n=st.integers(1, 800))
def test_unbroken_run(start, n):
    days = [start + timedelta(days=i) for i in range(n)]
    last = days[-1]
    assert longest_streak(days) == n
    assert current_streak(days, last) == n
    assert current_streak(days, last + timedelta(days=1)) == n  # today not checked in yet: still counts
    assert current_streak(days, last + timedelta(days=2)) == 0


def test_streak_edges():
    assert current_streak([], date(2026, 1, 1)) == 0
    assert longest_streak([]) == 0
    run = [date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 1)]
    assert current_streak(run, date(2024, 3, 1)) == 3
    assert longest_streak(run + [date(2024, 3, 3)]) == 3
    assert current_streak(run + [date(2024, 3, 3)], date(2024, 3, 3)) == 1


# -- `--as-of` and `--until` in the future, through every command that has them ----------------

def _subcommands(command):
    """(name, command) pairs of a group, through list_commands/get_command so that lazily
    loaded commands are walked too."""
    if not hasattr(command, "list_commands"):
        return []
    ctx = None
    return sorted((name, command.get_command(ctx, name)) for name in command.list_commands(ctx))


def _commands_with(option_names: tuple[str, ...]) -> list[tuple[list[str], str]]:
    import typer.main

    from recoverylog.cli.app import app

    found = []

    def walk(command, path):
        params = getattr(command, "params", [])
        if path and not any(p.required for p in params):
            for param in params:
                for opt in getattr(param, "opts", []):
                    if opt in option_names:
                        found.append((path, opt))
        for name, sub in _subcommands(command):
            walk(sub, path + [name])

    walk(typer.main.get_command(app), [])
    return found


FUTURE_OPTIONS = _commands_with(("--as-of", "--until"))


def test_the_walk_finds_checkins_until():
    assert (["checkins"], "--until") in FUTURE_OPTIONS


@pytest.mark.parametrize("path,option", FUTURE_OPTIONS, ids=[f"{' '.join(p)} {o}" for p, o in FUTURE_OPTIONS])
def test_a_future_as_of_or_until_is_refused_everywhere(cli, db_path, path, option):
    import hashlib

    cli("checkin", "--mood", "6", "--craving", "2", ok=True)  # today is 2026-11-21 (conftest)
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    result = cli(*path, option, "2026-11-22")
    assert result.exit_code != 0, result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "future" in errors[0], result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before

