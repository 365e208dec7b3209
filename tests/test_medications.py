"""Medication: adherence = taken / recorded with coverage beside it (an unrecorded day is never
taken and never missed), schedules, check-in flags, and medication never touching use."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from recoverylog.reports.health import adherence_of
from recoverylog.storage.health import DoseRow, Medication

D0 = date(2026, 11, 1)


def _med(schedule="daily", added=D0, archived=None):
    return Medication(id=1, name="Buprenorphine", dose="8 mg", schedule=schedule, kind="moud", added_on=added,
                      archived_on=archived)


def _doses(spec):
    """{day offset: taken} → dose rows (dose 1)."""
    return [DoseRow(1, D0 + timedelta(days=i), 1, t) for i, t in spec.items()]


def test_daily_adherence_counts_recorded_days_only_and_coverage_shows_the_rest():
    # 30 days; 28 recorded: 27 taken, 1 missed; 2 with no record.
    spec = {i: True for i in range(30) if i not in (3, 4, 10)} | {10: False}
    a = adherence_of(_med(), _doses(spec), D0, D0 + timedelta(days=29))
    assert (a.scheduled, a.recorded, a.taken, a.missed, a.unrecorded) == (30, 28, 27, 1, 2)
    assert a.adherence == 27 / 28 and a.coverage == 28 / 30


def test_unrecorded_days_are_neither_taken_nor_missed():
    none = adherence_of(_med(), [], D0, D0 + timedelta(days=9))
    assert (none.recorded, none.taken, none.missed) == (0, 0, 0)
    assert none.adherence is None and none.coverage == 0.0
    one = adherence_of(_med(), _doses({2: True}), D0, D0 + timedelta(days=9))
    assert one.adherence == 1.0 and one.coverage == 0.1 and one.missed == 0


def test_days_before_the_medication_was_added_or_after_it_was_archived_are_not_scheduled():
    a = adherence_of(_med(added=D0 + timedelta(days=5), archived=D0 + timedelta(days=8)),
                     _doses({5: True, 6: True, 7: False}), D0, D0 + timedelta(days=9))
    assert (a.scheduled, a.recorded, a.taken) == (3, 3, 2)  # days 5, 6, 7


def test_a_back_filled_dose_before_the_add_day_starts_the_record():
    a = adherence_of(_med(added=D0 + timedelta(days=5)), _doses({3: True}), D0, D0 + timedelta(days=9))
    assert a.scheduled == 7 and a.recorded == 1  # days 3..9


def test_twice_daily_counts_doses_and_an_unrecorded_second_dose_is_not_missed():
    doses = [DoseRow(1, D0, 1, True), DoseRow(1, D0, 2, False), DoseRow(1, D0 + timedelta(days=1), 1, True)]
    a = adherence_of(_med("twice-daily"), doses, D0, D0 + timedelta(days=1))
    assert (a.unit, a.scheduled, a.recorded, a.taken, a.missed) == ("dose", 4, 3, 2, 1)
    assert a.adherence == 2 / 3 and a.recorded_days == 2


def test_weekly_counts_iso_weeks():
    # 2026-11-02 is a Monday; window of three weeks, records in weeks 1 and 3.
    monday = date(2026, 11, 2)
    doses = [DoseRow(1, monday + timedelta(days=2), 1, True), DoseRow(1, monday + timedelta(days=15), 1, False)]
    a = adherence_of(_med("weekly", added=monday), doses, monday, monday + timedelta(days=20))
    assert (a.unit, a.scheduled, a.recorded, a.taken, a.missed) == ("week", 3, 2, 1, 1)


def test_as_needed_has_counts_and_no_ratio():
    doses = [DoseRow(1, D0, 1, True), DoseRow(1, D0, 2, True), DoseRow(1, D0 + timedelta(days=3), 1, True)]
    a = adherence_of(_med("as-needed"), doses, D0, D0 + timedelta(days=9))
    assert a.adherence is None and a.coverage is None
    assert (a.doses_taken, a.taken_days) == (3, 2)


# -- through the CLI ---------------------------------------------------------------------------

def test_status_line_reads_taken_on_27_of_28_recorded_days(cli):
    cli("med", "add", "Buprenorphine", "--dose", "8 mg", "--kind", "moud", ok=True)
    end = date(2026, 11, 21)
    for i in range(30):
        day = end - timedelta(days=i)
        if i in (5, 6):
            continue  # two days with no record
        cli("med", "taken", "buprenorphine", "--date", day.isoformat(), *(["--missed"] if i == 12 else []), ok=True)
    text = cli("status", ok=True).stdout
    assert "Buprenorphine: taken on 27 of 28 recorded days (last 30 days)" in text
    (med,) = cli.json("status", "--json")["medications"]
    assert (med["taken"], med["recorded"], med["unrecorded"], med["coverage"]) == (27, 28, 2, round(28 / 30, 4))


def test_medication_never_touches_use_or_days_without_use(cli, db_path):
    cli("substance", "add", "heroin", "--last-use", "2026-10-01", ok=True)
    cli("checkin", "--date", "2026-11-20", "--mood", "6", "--craving", "2", "--sober", ok=True)
    before = cli.json("sobriety", "--json")
    cli("med", "add", "Methadone", "--kind", "moud", ok=True)
    cli("med", "taken", "methadone", "--date", "2026-11-19", ok=True)
    cli("checkin", "--date", "2026-11-21", "--mood", "6", "--craving", "2", "--sober", "--med-taken", "methadone", ok=True)
    after = cli.json("sobriety", "--json")
    (heroin_before,), (heroin_after,) = before["substances"], after["substances"]
    assert heroin_after["last_use"] == heroin_before["last_use"] == "2026-10-01"
    assert heroin_after["days"] == heroin_before["days"] == 51
    assert heroin_after["sober_days"] == heroin_before["sober_days"] + 1  # the new check-in's --sober, nothing else
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM uses WHERE used = 1").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM substances").fetchone()[0] == 1
    conn.close()


def test_checkin_med_taken_and_missed_record_every_dose_of_the_day(cli, db_path):
    cli("med", "add", "Sertraline", "--schedule", "twice-daily", "--kind", "psychiatric", ok=True)
    cli("med", "add", "Naltrexone", "--kind", "moud", ok=True)
    out = cli.json("checkin", "--mood", "6", "--craving", "1", "--med-taken", "sertraline",
                   "--med-missed", "naltrexone", "--json")
    assert sorted((m["name"], m["taken"], m["doses"]) for m in out["recorded"]["medications"]) == [
        ("Naltrexone", False, 1), ("Sertraline", True, 2)]
    conn = sqlite3.connect(db_path)
    rows = conn.execute("SELECT dose_number, taken FROM medication_doses ORDER BY medication_id, dose_number").fetchall()
    conn.close()
    assert rows == [(1, 1), (2, 1), (1, 0)]
    both = cli("checkin", "--mood", "6", "--craving", "1", "--med-taken", "sertraline", "--med-missed", "sertraline")
    assert both.exit_code == 2 and "both" in both.stderr
    unknown = cli("checkin", "--mood", "6", "--craving", "1", "--med-taken", "aspirin")
    assert unknown.exit_code == 3 and "No medication named 'aspirin'" in unknown.stderr


def test_med_taken_twice_daily_fills_dose_1_then_2_then_refuses(cli):
    cli("med", "add", "Sertraline", "--schedule", "twice-daily", ok=True)
    assert cli.json("med", "taken", "sertraline", "--json")["dose_number"] == 1
    assert cli.json("med", "taken", "sertraline", "--missed", "--json")["dose_number"] == 2
    third = cli("med", "taken", "sertraline")
    assert third.exit_code == 1 and "--dose-number 1 or 2" in third.stderr
    fixed = cli.json("med", "taken", "sertraline", "--dose-number", "2", "--json")
    assert fixed["replaced"] is True and fixed["taken"] is True


def test_med_add_edit_archive_and_refusals(cli, db_path):
    cli("med", "add", "Buprenorphine", "--dose", "8 mg", "--kind", "moud", ok=True)
    assert cli("med", "add", "buprenorphine").exit_code == 1
    assert cli("med", "add", "X", "--schedule", "hourly").exit_code == 1
    assert cli("med", "add", "Y", "--kind", "vitamin").exit_code == 1
    assert cli("med", "add", "Z", "--dose", "8\x1b[31mg").exit_code == 1
    cli("med", "edit", "buprenorphine", "--dose", "12 mg", ok=True)
    (med,) = cli.json("med", "list", "--json")
    assert med["dose"] == "12 mg" and med["kind"] == "moud" and med["active"] is True
    cli("med", "archive", "buprenorphine", ok=True)
    assert cli.json("med", "list", "--json")[0]["archived_on"] == "2026-11-21"
    late = cli("med", "taken", "buprenorphine")
    assert late.exit_code == 1 and "archived" in late.stderr
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM revisions WHERE entity = 'medication'").fetchone()[0] == 2
    conn.close()
    assert cli("med", "taken", "buprenorphine", "--date", "2026-11-22").exit_code == 1  # future refused


def test_as_needed_cannot_be_missed(cli):
    cli("med", "add", "Hydroxyzine", "--schedule", "as-needed", ok=True)
    cli("med", "taken", "hydroxyzine", ok=True)
    cli("med", "taken", "hydroxyzine", ok=True)
    assert cli("med", "taken", "hydroxyzine", "--missed").exit_code == 1
    assert "Hydroxyzine: taken 2 times on 1 day (last 30 days; as needed)" in cli("status", ok=True).stdout


def test_report_json_has_medications(cli):
    cli("med", "add", "Buprenorphine", ok=True)
    cli("med", "taken", "buprenorphine", "--date", "2026-11-20", ok=True)
    doc = cli.json("report", "-f", "json")
    (med,) = doc["medications"]
    assert med["name"] == "Buprenorphine" and med["taken"] == 1 and med["recorded"] == 1


def test_substance_add_points_prescribed_medication_to_med_add(cli):
    result = cli("substance", "add", "methadone", ok=True)
    assert "recoverylog med add methadone" in result.stderr
    assert "med add" in cli("substance", "--help", ok=True).stdout


def test_the_interactive_checkin_asks_about_each_scheduled_medication(cli, db_path, monkeypatch):
    import recoverylog.cli.checkin as checkin_cli

    cli("med", "add", "Buprenorphine", "--kind", "moud", ok=True)
    cli("med", "add", "Sertraline", "--schedule", "twice-daily", ok=True)
    cli("med", "add", "Hydroxyzine", "--schedule", "as-needed", ok=True)  # not asked: no schedule
    cli("config", "set", "checkin-questions", "quick", ok=True)  # medication is asked in quick mode too
    monkeypatch.setattr(checkin_cli, "interactive", lambda: True)
    result = cli("checkin", "--mood", "6", "--craving", "1", input="y\nmaybe\n\n", ok=True)
    assert "Did you take Buprenorphine today?" in result.stderr and "Did you take Sertraline today?" in result.stderr
    assert "Hydroxyzine" not in result.stderr
    assert "Please answer y, n, or press Enter to skip." in result.stderr
    conn = sqlite3.connect(db_path)
    rows = conn.execute("SELECT m.name, d.taken FROM medication_doses d JOIN medications m ON m.id = d.medication_id"
                        ).fetchall()
    conn.close()
    assert rows == [("Buprenorphine", 1)]  # Sertraline skipped: its day stays unrecorded


def test_a_database_from_before_the_health_tables_is_migrated_with_its_data(tmp_path, monkeypatch, cli):
    from recoverylog.storage import db as dbmod
    from recoverylog.storage import migrations

    path = tmp_path / "old.db"
    index = [f.__name__ for f in migrations.MIGRATIONS].index("m002_health")
    with monkeypatch.context() as mp:  # the schema as it was before this migration
        mp.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:index])
        mp.setattr(dbmod, "SCHEMA_VERSION", index)
        cli("--db", str(path), "checkin", "--date", "2026-11-20", "--mood", "5", "--craving", "1", ok=True)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'medications'").fetchone()[0] == 0
    conn.close()
    cli("--db", str(path), "med", "add", "Naltrexone", ok=True)
    cli("--db", str(path), "med", "taken", "naltrexone", ok=True)
    assert cli.json("--db", str(path), "checkins", "--json")[0]["mood"] == 5
    assert list(tmp_path.glob("old.db.before-schema-*"))  # backed up before migrating



@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=120))
def test_hostile_names_and_doses_are_refused_or_stored_as_one_clean_line(text):
    from recoverylog.errors import InputError
    from recoverylog.services.medications import MAX_DOSE_CHARS, clean_name, clean_text_field

    for fn in (clean_name, lambda t: clean_text_field("dose", t, MAX_DOSE_CHARS)):
        try:
            value = fn(text)
        except InputError:
            continue
        if value is None:
            continue
        assert value == " ".join(value.split()) and len(value) <= 80
        assert not any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 for c in value)
        value.encode("utf-8")
