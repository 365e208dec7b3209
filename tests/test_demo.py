"""`demo`: a reproducible history in a new database; refuses a database holding data."""

from __future__ import annotations

import hashlib
import sqlite3


def table_digest(path) -> str:
    conn = sqlite3.connect(path)
    parts = []
    for table in ("checkins", "uses", "meetings", "goals", "outreach", "substances", "requirements"):
        rows = conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
        parts.append(repr(rows))
    conn.close()
    return hashlib.sha256("".join(parts).encode()).hexdigest()


def test_demo_writes_a_realistic_history_and_shows_it(cli, tmp_path):
    path = tmp_path / "demo.db"
    result = cli("demo", "--days", "60", "--db", str(path), ok=True)
    assert "Status" in result.stdout and "Report" in result.stdout and "Goals" in result.stdout
    assert "not touched" in result.stderr
    report = cli.json("--db", str(path), "report", "--month", "--format", "json")
    assert report["checkins"]["days"] >= 15 and report["meetings"]["count"] >= 4
    names = [s["name"] for s in report["substances"]]
    assert names == ["Alcohol", "Cigarettes"]
    full = cli.json("--db", str(path), "report", "--since", "60 days ago", "--format", "json")
    alcohol = full["substances"][0]
    assert alcohol["use_days"] == 1  # one lapse, and the sober days around it still count
    assert alcohol["sober_days"] >= 40
    assert full["checkins"]["backfilled"] >= 1
    assert {g["metric"] for g in full["goals"]} == {"meetings", "checkins", "outreach", "sober-days", "manual"}
    assert full["outreach"]["count"] > 0 and set(full["outreach"]["by_role"]) <= {"sponsor", "peer"}


def test_demo_is_reproducible_and_seeded(cli, tmp_path):
    a, b, c = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "c.db"
    cli("demo", "--days", "30", "--db", str(a), ok=True)
    cli("demo", "--days", "30", "--db", str(b), ok=True)
    cli("demo", "--days", "30", "--db", str(c), "--seed", "8", ok=True)
    assert table_digest(a) == table_digest(b)
    assert table_digest(a) != table_digest(c)


def test_demo_refuses_a_database_that_holds_data(cli, db_path):
    cli("checkin", "--mood", "6", "--craving", "1", ok=True)
    before = db_path.read_bytes()
    result = cli("demo", "--db", str(db_path))
    assert result.exit_code == 1 and "already holds data" in result.stderr and result.stdout == ""
    assert db_path.read_bytes() == before


def test_demo_default_file_is_not_the_journal(cli, db_path):
    cli("demo", "--days", "20", ok=True)
    demo_file = db_path.with_name("recoverylog-demo.db")
    assert demo_file.exists()
    assert not db_path.exists() or cli.json("checkins", "--json") == []
    again = cli("demo", "--days", "20")
    assert again.exit_code == 1 and "already holds data" in again.stderr


def test_demo_days_out_of_range(cli, tmp_path):
    result = cli("demo", "--days", "3", "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 1 and "14–3660" in result.stderr
    assert not (tmp_path / "x.db").exists()
