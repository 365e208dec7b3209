"""search TEXT through the CLI: every source of text, newest first, ranges, --limit, marked and
escaped matches, hostile FTS syntax, and an index that follows edits, deletes and old databases."""

from __future__ import annotations

import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverylog.storage import db as dbmod
from recoverylog.storage import migrations
from recoverylog.storage.search import fts_query


def seed(cli):
    cli("checkin", "--date", "2026-11-10", "--mood", "6", "--craving", "3", "--note", "Called Sam after work",
        "--gratitude", "my sister's call", ok=True)
    cli("checkin", "--date", "2026-11-12", "--mood", "4", "--craving", "7", "--note", "Rough [red]day[/red], no call",
        ok=True)
    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    cli("use", "alcohol", "--amount", "2", "--date", "2026-11-13", "--note", "wedding, should have called", ok=True)
    cli("meeting", "add", "Tuesday Night AA", "--date", "2026-11-17", "--note", "shared about the call", ok=True)
    cli("plan", "add", "coping", "call Sam when the craving peaks", ok=True)


def test_every_source_newest_first(cli):
    seed(cli)
    out = cli.json("search", "call", "--json")
    assert len(out["matches"]) == 6
    assert [m["date"] for m in out["matches"]] == sorted((m["date"] for m in out["matches"]), reverse=True)
    assert {m["where"] for m in out["matches"]} == {"plan: coping", "meeting note (Tuesday Night AA)",
                                                   "use note (alcohol)", "check-in note", "check-in gratitude"}
    assert all(m["matches"] for m in out["matches"])     # stemming: Called, called, call


def test_range_and_limit(cli):
    seed(cli)
    out = cli.json("search", "call", "--since", "2026-11-11", "--until", "2026-11-13", "--json")
    assert [m["date"] for m in out["matches"]] == ["2026-11-13", "2026-11-12"]
    out = cli.json("search", "call", "--limit", "2", "--json")
    assert len(out["matches"]) == 2 and out["limited"] is True
    assert cli("search", "call", "--limit", "0").exit_code == 2
    assert cli("search", "call", "--until", "tomorrow").exit_code == 1


def test_terminal_output_marks_and_escapes(cli):
    seed(cli)
    result = cli("search", "rough", ok=True)
    assert "2026-11-12  check-in note" in result.stdout
    assert "[red]day[/red]" in result.stdout          # the person's text is shown as typed, not as markup
    assert "1 match, newest first." in result.stdout
    assert "Nothing found for 'zebra'." in cli("search", "zebra", ok=True).stdout


def test_index_follows_edits_and_deletes(cli):
    seed(cli)
    cli("checkin", "--date", "2026-11-12", "--note", "Rough evening, walked it off", ok=True)
    assert [m["date"] for m in cli.json("search", "walked", "--json")["matches"]] == ["2026-11-12"]
    assert "2026-11-12" not in [m["date"] for m in cli.json("search", "call", "--json")["matches"]]
    meeting_id = cli.json("meeting", "list", "--json")[0]["id"]
    cli("meeting", "delete", str(meeting_id), "--yes", ok=True)
    assert all(not m["where"].startswith("meeting") for m in cli.json("search", "call", "--json")["matches"])
    cli("plan", "remove", "coping", "1", ok=True)
    assert all(m["where"] != "plan: coping" for m in cli.json("search", "call", "--json")["matches"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list('ab "*():^-+NEAROT{}[]\\\'')), min_size=1, max_size=20))
def test_typed_fts_syntax_never_crashes(cli, empty_journal, text):
    if not text.strip():
        return
    result = cli("search", "--json", "--", text)
    assert result.exit_code == 0, result.stderr


def test_fts_query_quotes_every_word():
    assert fts_query('call OR "sam') == '"call" "OR" """sam"'
    assert fts_query("   ") == ""


def test_migration_indexes_what_an_older_database_already_holds(cli, db_path, monkeypatch):
    released = migrations.MIGRATIONS[:1]
    with monkeypatch.context() as mp:
        mp.setattr(migrations, "MIGRATIONS", released)
        mp.setattr(dbmod, "SCHEMA_VERSION", len(released))
        cli("checkin", "--date", "2026-11-10", "--mood", "6", "--craving", "3", "--note", "Called Sam", ok=True)
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'search_text'").fetchone()[0] == 0
    conn.close()
    assert [m["date"] for m in cli.json("search", "sam", "--json")["matches"]] == ["2026-11-10"]
