"""The relapse-prevention plan through the CLI: sections, versions, review reminder, risk dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoverylog.reports.plan import next_occurrence, upcoming_risk_dates
from recoverylog.services.plan import SECTION_NAMES

TEXT_SECTIONS = [s for s in SECTION_NAMES if s not in ("help", "risk-dates")]


def versions(cli) -> int:
    return len(cli.json("plan", "history", "--json"))


def test_empty_plan_json_has_every_section(cli, empty_journal):
    data = cli.json("plan", "--json")
    assert list(data) == list(SECTION_NAMES)
    assert all(items == [] for items in data.values())
    assert "empty so far" in cli("plan", ok=True).stdout


@pytest.mark.parametrize("section", TEXT_SECTIONS)
def test_add_remove_reorder_every_text_section(cli, section):
    for text in ("first thing", "second thing", "third thing"):
        cli("plan", "add", section, text, ok=True)
    assert cli.json("plan", "--json")[section] == ["first thing", "second thing", "third thing"]
    cli("plan", "move", section, "3", "1", ok=True)
    assert cli.json("plan", "--json")[section] == ["third thing", "first thing", "second thing"]
    cli("plan", "remove", section, "2", ok=True)
    data = cli.json("plan", "--json")
    assert data[section] == ["third thing", "second thing"]
    assert all(items == [] for name, items in data.items() if name != section)
    assert versions(cli) == 5
    shown = cli("plan", ok=True).stdout
    assert "1. third thing" in shown and "2. second thing" in shown


def test_unquoted_words_are_joined(cli):
    cli("plan", "add", "coping", "walk", "round", "the", "block", ok=True)
    assert cli.json("plan", "--json")["coping"] == ["walk round the block"]


def test_help_section_takes_contacts_by_alias(cli):
    cli("contact", "add", "Sam", "--role", "sponsor", "--phone", "555 0100", ok=True)
    cli("contact", "add", "Ray", "--role", "peer", ok=True)
    cli("plan", "add", "help", "ray", ok=True)  # any case; stored as the contact's alias
    cli("plan", "add", "help", "Sam", ok=True)
    cli("plan", "move", "help", "2", "1", ok=True)
    assert cli.json("plan", "--json")["help"] == ["Sam", "Ray"]
    out = cli("plan", ok=True).stdout
    assert "Sam (sponsor)  555 0100" in out
    cli("plan", "remove", "help", "1", ok=True)
    assert cli.json("plan", "--json")["help"] == ["Ray"]


def test_help_with_unknown_contact_is_refused_listing_aliases(cli):
    cli("contact", "add", "Sam", "--role", "sponsor", ok=True)
    result = cli("plan", "add", "help", "Alex")
    assert result.exit_code == 1
    assert "There is no contact 'Alex'" in result.stderr and "Sam" in result.stderr
    assert versions(cli) == 0


def test_risk_dates_once_and_yearly(cli):
    cli("plan", "add", "risk-dates", "2026-12-25", "first sober holiday", "--yearly", ok=True)
    cli("plan", "add", "risk-dates", "2027-01-04", "court date", ok=True)
    cli("plan", "add", "risk-dates", "3 December", "dad's birthday", ok=True)  # no year: the next one
    data = cli.json("plan", "--json")["risk-dates"]
    assert data == [
        {"date": "2026-12-25", "label": "first sober holiday", "yearly": True},
        {"date": "2027-01-04", "label": "court date", "yearly": False},
        {"date": "2026-12-03", "label": "dad's birthday", "yearly": False},
    ]
    out = cli("plan", ok=True).stdout
    assert "3 December 2026: dad's birthday · in 12 days" in out
    assert "25 December: first sober holiday (every year)" in out


def test_risk_date_needs_a_label_and_a_real_date(cli, db_path):
    assert cli("plan", "add", "risk-dates", "2026-12-25").exit_code == 2
    result = cli("plan", "add", "risk-dates", "2026-02-30", "no such day")
    assert result.exit_code == 1 and "not a real calendar date" in result.stderr
    assert not db_path.exists()


@pytest.mark.parametrize("args, code, message", [
    (("plan", "add", "copin", "x"), 1, "There is no plan section 'copin'"),
    (("plan", "remove", "coping", "2"), 1, "out of range (use 1)"),
    (("plan", "remove", "coping", "0"), 1, "out of range"),
    (("plan", "remove", "coping", "one"), 1, "not an item number"),
    (("plan", "move", "coping", "1", "3"), 1, "position 3 is out of range"),
    (("plan", "move", "coping", "1", "1"), 1, "already at position 1"),   # a no-op is not a new version
    (("plan", "remove", "reasons", "1"), 1, "has no items yet"),
    (("plan", "add", "coping", "call Sam", "--yearly"), 2, "--yearly is only for high-risk dates"),
    (("plan", "add", "coping", "CALL SAM"), 1, "already in coping"),
    (("plan", "add", "coping"), 2, "Write the item"),
])
def test_bad_input_is_refused_and_nothing_is_stored(cli, args, code, message):
    cli("plan", "add", "coping", "call Sam", ok=True)
    before = cli.json("plan", "history", "--json")
    result = cli(*args)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert cli.json("plan", "history", "--json") == before


def test_every_change_keeps_the_previous_version(cli):
    cli("plan", "add", "reasons", "my kids", ok=True)
    cli("plan", "add", "reasons", "my health", ok=True)
    cli("plan", "remove", "reasons", "1", ok=True)
    history = cli.json("plan", "history", "--json")
    assert [v["plan"]["reasons"] for v in history] == [["my kids"], ["my kids", "my health"], ["my health"]]
    assert [v["change"] for v in history] == [
        "added to reasons: my kids", "added to reasons: my health", "removed from reasons: my kids"]
    assert "3 versions" in cli("plan", "history", ok=True).stdout


def test_review_reminder_after_90_days(cli):
    # Plan written on 23 Aug 2026; today is 21 Nov 2026 (90 days later).
    cli("plan", "add", "coping", "call Sam", now="2026-08-23T10:00:00+00:00", ok=True)
    cli.monkeypatch.setenv("RECOVERYLOG_NOW", "2026-11-21T10:00:00+00:00")
    at_89 = cli("plan", "--as-of", "2026-11-20", ok=True).stdout
    at_90 = cli("plan", ok=True).stdout
    assert "89 days ago" in at_89 and "90 days or more" not in at_89
    assert "90 days ago" in at_90 and "90 days or more" in at_90
    cli("plan", "review", ok=True)
    assert "90 days or more" not in cli("plan", ok=True).stdout
    assert cli.json("plan", "history", "--json")[-1]["change"] == "reviewed, no changes"
    # --as-of shows the plan as it was; a future --as-of is refused.
    assert cli.json("plan", "--json", "--as-of", "2026-08-22")["coping"] == []
    assert cli("plan", "--as-of", "2026-11-22").exit_code == 1


def test_review_without_a_plan_is_not_found(cli):
    result = cli("plan", "review")
    assert result.exit_code == 3 and "no plan to review" in result.stderr


def test_plan_edit_needs_a_terminal(cli):
    result = cli("plan", "edit")
    assert result.exit_code == 2 and "needs a terminal" in result.stderr


def test_plan_edit_on_a_terminal(cli, monkeypatch):
    import recoverylog.cli.plan as plan_cli

    monkeypatch.setattr(plan_cli, "interactive", lambda: True)
    cli("plan", "add", "coping", "call Sam", ok=True)
    # warning-signs: add one; triggers: next; coping: add, move, remove; then save.
    answers = "a Skipping meals\n\n\na breathe\nm 2 1\nr 2\ns\n"
    cli("plan", "edit", input=answers, ok=True)
    data = cli.json("plan", "--json")
    assert data["warning-signs"] == ["Skipping meals"] and data["coping"] == ["breathe"]
    assert versions(cli) == 2  # one version for the whole edit session
    cli("plan", "edit", input="x\n", ok=True)
    assert versions(cli) == 2


def test_user_text_is_escaped(cli):
    cli("plan", "add", "coping", "[bold red]not markup[/]", ok=True)
    assert "[bold red]not markup[/]" in cli("plan", ok=True).stdout


def test_plan_at_60_columns_fits(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    cli("plan", "add", "coping", "a long coping step " * 8, ok=True)
    out = cli("plan", ok=True).stdout
    assert max(len(line.rstrip()) for line in out.splitlines()) <= 60


# -- risk dates: pure functions ------------------------------------------------------

def test_upcoming_across_a_year_end():
    items = [
        {"date": "2020-01-02", "label": "new year's anniversary", "yearly": True},
        {"date": "2027-01-05", "label": "court", "yearly": False},
        {"date": "2027-01-09", "label": "too far", "yearly": False},
        {"date": "2026-12-20", "label": "passed this year", "yearly": True},
        {"date": "2026-12-24", "label": "once, passed", "yearly": False},
    ]
    found = upcoming_risk_dates(items, date(2026, 12, 25))
    assert [(r.date, r.label, r.days_until) for r in found] == [
        (date(2027, 1, 2), "new year's anniversary", 8),
        (date(2027, 1, 5), "court", 11),
    ]
    # The window includes today and the 14th day, not the 15th.
    edge = [{"date": "2027-01-08", "label": "day 14"}, {"date": "2026-12-25", "label": "today"}]
    assert [r.days_until for r in upcoming_risk_dates(edge, date(2026, 12, 25))] == [0, 14]


def test_yearly_leap_day_falls_on_28_february():
    assert next_occurrence(date(2024, 2, 29), True, date(2027, 2, 20)) == date(2027, 2, 28)
    assert next_occurrence(date(2024, 2, 29), True, date(2027, 3, 1)) == date(2028, 2, 29)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
       st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_next_yearly_occurrence_is_within_a_year_and_keeps_the_day(item, as_of):
    nxt = next_occurrence(item, True, as_of)
    assert as_of <= nxt < as_of + timedelta(days=366)
    if (item.month, item.day) == (2, 29) and nxt.month == 2 and nxt.day == 28:
        assert not (nxt.year % 4 == 0 and (nxt.year % 100 != 0 or nxt.year % 400 == 0))
    else:
        assert (nxt.month, nxt.day) == (item.month, item.day)
    once = next_occurrence(item, False, as_of)
    assert once == (item if item >= as_of else None)


def test_status_shows_review_reminder_risk_dates_and_step(cli):
    cli("plan", "add", "coping", "call Sam", now="2026-08-20T10:00:00+00:00", ok=True)
    cli("plan", "add", "risk-dates", "2026-01-02", "new year's anniversary", "--yearly", ok=True)
    cli("step", "2", "--status", "in-progress", "--program", "AA", "--date", "2026-08-20", ok=True)
    cli.monkeypatch.setenv("RECOVERYLOG_NOW", "2026-12-25T10:00:00+00:00")
    out = cli("status", ok=True).stdout
    assert "127 days ago" in out and "90 days or more" in out
    assert "Sat 2 Jan (in 8 days): new year's anniversary" in out and "1. call Sam" in out
    assert "Step 2, in progress since 20 August 2026" in out
    data = cli.json("status", "--json")
    assert data["plan"]["review_due"] is True and data["plan"]["upcoming"][0]["date"] == "2027-01-02"
    assert data["steps"]["step"] == 2
    early = cli.json("status", "--json", "--as-of", "2026-12-17")
    assert early["plan"]["upcoming"] == []  # 16 days before: outside the 14-day window


def test_status_leaves_out_plan_and_steps_when_there_are_none(cli, empty_journal):
    data = cli.json("status", "--json")
    assert "plan" not in data and "steps" not in data
