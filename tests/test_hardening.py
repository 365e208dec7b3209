"""Hardening (docs/definitions.md §12): every refusal true, every file checked, no traceback from
any input. One test (or more) per finding of the adversarial pass, each through the CLI."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

YESTERDAY = "2026-11-20T10:00:00+00:00"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_error(result, code: int, *words: str) -> str:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def journal(cli, db_path):
    """A journal with a substance, a use, a meeting, a contact, a plan and a goal, written yesterday
    (so today's first write runs the integrity check)."""
    cli("substance", "add", "alcohol", "--unit", "drinks", now=YESTERDAY, ok=True)
    cli("use", "alcohol", "--amount", "2", "--date", "2026-11-19", now=YESTERDAY, ok=True)
    cli("meeting", "add", "Grace Group", "--date", "2026-11-19", now=YESTERDAY, ok=True)
    cli("contact", "add", "Sam", "--role", "sponsor", now=YESTERDAY, ok=True)
    cli("plan", "add", "coping", "walk", now=YESTERDAY, ok=True)
    cli("goal", "add", "3 meetings a week", "--metric", "meetings", "--target", "3", now=YESTERDAY, ok=True)
    os.environ["RECOVERYLOG_NOW"] = "2026-11-21T10:00:00+00:00"
    return db_path


def rows(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def damage(db: Path) -> None:
    """Zero the root page of the meetings table (what a bad sector or a stray write does)."""
    conn = sqlite3.connect(db)
    page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'meetings'").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(db, "r+b") as handle:
        handle.seek((page - 1) * size)
        handle.write(b"\0" * size)


# -- Ctrl-C after COMMIT ------------------------------------------------------------------------

def test_ctrl_c_during_the_confirmation_says_the_use_is_recorded(cli, journal, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("recoverylog.services.uses.confirm", interrupted)  # after COMMIT
    result = cli("use", "alcohol", "--amount", "2")
    error = one_error(result, 130)
    assert error == "Error: Stopped after saving: the use is recorded."
    assert rows(journal, "uses") == 2  # so re-entering it "as told" would double it: the message says not to


def test_ctrl_c_before_commit_says_nothing_was_saved(cli, journal, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("recoverylog.storage.uses.upsert", interrupted)  # inside the transaction
    before = sha(journal)
    error = one_error(cli("use", "alcohol", "--amount", "2"), 130)
    assert error == "Error: Stopped. Nothing was saved."
    assert rows(journal, "uses") == 1
    assert sha(journal) != before or True  # the integrity day may be rolled back too: count is the check


def test_ctrl_c_during_start_up_is_exit_130_without_traceback(tmp_path):
    code = ("import builtins, sys\n"
            "real = builtins.__import__\n"
            "def interrupt(name, *a, **k):\n"
            "    if name.startswith('typer'):\n"
            "        raise KeyboardInterrupt\n"
            "    return real(name, *a, **k)\n"
            "builtins.__import__ = interrupt\n"
            "sys.argv = ['recoverylog', 'status']\n"
            "from recoverylog.cli import main\n"
            "main()\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=dict(os.environ, RECOVERYLOG_HOME=str(tmp_path)))
    assert out.returncode == 130, out.stderr
    assert "Traceback" not in out.stderr and out.stderr.strip() == "Error: Stopped. Nothing was saved."


@pytest.mark.parametrize("failure", ["store", "raw"])
def test_storage_error_after_commit_says_the_write_was_saved(cli, journal, monkeypatch, failure):
    def failing(store, day, lines):
        if failure == "store":
            store.query("SELECT * FROM a_table_that_is_gone")  # through the Store: a StorageError
        raise sqlite3.OperationalError("disk I/O error")     # straight from sqlite3

    monkeypatch.setattr("recoverylog.services.uses.confirm", failing)  # after COMMIT
    error = one_error(cli("use", "alcohol", "--amount", "1"), 4)
    assert "was saved" in error and "othing was changed" not in error
    assert rows(journal, "uses") == 2


# -- a damaged database -----------------------------------------------------------------------

@pytest.mark.parametrize("command", [
    ["meeting", "add", "Noon Group", "--date", "2026-11-21"],
    ["plan", "add", "coping", "call Sam"],
    ["config", "set", "milestones", "off"],
    ["contact", "add", "Jo", "--role", "friend"],
    ["use", "alcohol", "--amount", "1"],
    ["checkin", "--mood", "6", "--craving", "2", "--sober"],
])
def test_a_damaged_database_refuses_writes_and_stays_byte_identical(cli, journal, command):
    damage(journal)
    before = sha(journal)
    error = one_error(cli(*command), 4, "is damaged", "recoverylog db restore")
    assert "db backup" not in error
    assert sha(journal) == before


def test_reads_of_a_damaged_database_say_so(cli, journal):
    damage(journal)
    before = sha(journal)
    one_error(cli("meeting", "list"), 4, "is damaged", "db restore")
    assert sha(journal) == before


def test_db_backup_migrate_and_full_export_check_soundness_first(cli, journal, tmp_path):
    damage(journal)
    before = sha(journal)
    one_error(cli("db", "backup", str(tmp_path / "b.db")), 4, "is damaged")
    assert not (tmp_path / "b.db").exists()
    one_error(cli("db", "migrate"), 4, "is damaged")
    one_error(cli("export", "--profile", "full", "-o", str(tmp_path / "full.json")), 4, "is damaged")
    assert not (tmp_path / "full.json").exists()
    assert sha(journal) == before


def test_the_integrity_check_runs_once_a_day(cli, journal, monkeypatch):
    from recoverylog.storage import db as dbmod

    checks = []
    real = dbmod.Store.check_integrity
    monkeypatch.setattr(dbmod.Store, "check_integrity", lambda self: (checks.append(1), real(self))[1])
    cli("meeting", "add", "A", "--date", "2026-11-21", ok=True)
    cli("meeting", "add", "B", "--date", "2026-11-21", ok=True)
    assert len(checks) == 1  # the day is remembered in the journal
    cli("meeting", "add", "C", "--date", "2026-11-22", now="2026-11-22T10:00:00+00:00", ok=True)
    assert len(checks) == 2


def _count_quick_checks(monkeypatch) -> list[str]:
    """Every PRAGMA quick_check SQLite is asked to run on a journal opened from now on."""
    from recoverylog.storage import db as dbmod

    seen: list[str] = []
    real = dbmod._connect

    def connect(path):
        conn = real(path)
        conn.set_trace_callback(lambda sql: seen.append(sql) if "quick_check" in sql else None)
        return conn

    monkeypatch.setattr(dbmod, "_connect", connect)
    return seen


def test_a_full_export_checks_the_journal_once(cli, journal, monkeypatch, tmp_path):
    """The export checks before it reads; the write that logs it (today's first) does not check
    again, yet remembers the day, so the next write that day does not check either."""
    checks = _count_quick_checks(monkeypatch)
    cli("export", "--profile", "full", "-o", str(tmp_path / "full.json"), ok=True)
    assert len(checks) == 1
    conn = sqlite3.connect(journal)
    try:
        assert conn.execute("SELECT checked_on FROM integrity_checks").fetchone()[0] == "2026-11-21"
    finally:
        conn.close()
    cli("meeting", "add", "B", "--date", "2026-11-21", ok=True)
    assert len(checks) == 1


def test_a_store_remembers_a_passed_check_and_never_a_failed_one(cli, journal, monkeypatch):
    from recoverylog.clock import clock_from_env
    from recoverylog.errors import StorageError
    from recoverylog.storage.db import open_store

    checks = _count_quick_checks(monkeypatch)
    store = open_store(journal, clock_from_env())
    try:
        store.check_integrity()
        store.check_integrity()
        with store.write() as conn:   # today's first write: the day is recorded, the check not rerun
            conn.execute("SELECT 1")
    finally:
        store.close()
    assert len(checks) == 1
    damage(journal)
    store = open_store(journal, clock_from_env())
    try:
        for _ in range(2):
            with pytest.raises(StorageError, match="is damaged"):
                store.check_integrity()
    finally:
        store.close()
    assert len(checks) == 3   # a damaged file is checked (and refused) every time


def test_db_restore_checks_backs_up_and_swaps(cli, journal, tmp_path):
    backup = tmp_path / "good.db"
    cli("db", "backup", str(backup), ok=True)
    damage(journal)
    damaged = journal.read_bytes()
    result = cli("db", "restore", str(backup), ok=True)
    kept = [p for p in journal.parent.iterdir() if ".before-restore-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    assert "Restored" in result.stderr
    assert len(cli.json("meeting", "list", "--json")) == 1  # readable again


def test_db_restore_refuses_an_unsound_or_foreign_backup(cli, journal, tmp_path):
    before = sha(journal)
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 100)
    one_error(cli("db", "restore", str(bad)), 4, "not a recoverylog backup")
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    one_error(cli("db", "restore", str(other)), 4, "another program")
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(journal.read_bytes())
    damage(damaged)
    one_error(cli("db", "restore", str(damaged)), 4, "damaged itself")
    one_error(cli("db", "restore", str(tmp_path / "missing.db")), 3, "no such backup")
    assert sha(journal) == before


def test_a_negative_user_version_is_refused_unchanged(cli, journal):
    conn = sqlite3.connect(journal)
    conn.execute("PRAGMA user_version = -1")
    conn.close()
    before = sha(journal)
    for command in (["status"], ["meeting", "add", "X"], ["db", "migrate"]):
        one_error(cli(*command), 4, "unknown schema number")
    assert sha(journal) == before


# -- extreme values ---------------------------------------------------------------------------

@pytest.mark.parametrize("command", [
    ["use", "alcohol", "--date", "0001-01-01"],
    ["status", "--as-of", "0001-01-03"],
    ["report", "--since", "0001-01-01"],
    ["uses", "--until", "1899-12-31"],
    ["meeting", "add", "X", "--date", "1899-12-31"],
    ["checkin", "--mood", "5", "--craving", "1", "--date", "300000 days ago"],
])
def test_dates_before_1900_are_refused_wherever_typed(cli, journal, command):
    before = sha(journal)
    one_error(cli(*command), 1, "before 1900-01-01")
    assert sha(journal) == before


@pytest.mark.parametrize("amount", ["1e308", "inf", "nan", "-1", "1000.5"])
def test_amounts_are_finite_and_bounded(cli, journal, amount):
    before = sha(journal)
    one_error(cli("use", "alcohol", f"--amount={amount}"), 1)
    assert sha(journal) == before


def test_a_day_total_cannot_pass_the_maximum(cli, journal):
    cli("use", "alcohol", "--amount", "600", ok=True)
    one_error(cli("use", "alcohol", "--amount", "600"), 1, "more than 1000")
    status = cli("status", "--json", ok=True).stdout
    json.loads(status, parse_constant=lambda name: pytest.fail(f"{name} in JSON"))


def test_json_writers_are_strict_even_for_a_legacy_infinite_amount(cli, journal, tmp_path):
    conn = sqlite3.connect(journal)
    conn.execute("UPDATE uses SET amount = 1e999")  # what two `--amount 1e308` used to store
    conn.commit()
    conn.close()
    out = cli("status", "--json", ok=True).stdout
    assert "Infinity" not in out and "NaN" not in out
    json.loads(out, parse_constant=lambda name: pytest.fail(name))
    result = cli("export", "-f", "json", "-o", str(tmp_path / "s.json"))
    assert result.exit_code == 1 and "Traceback" not in result.stderr and not (tmp_path / "s.json").exists()


@pytest.mark.parametrize("command", [
    ["meeting", "delete", "9223372036854775808", "--yes"],
    ["meeting", "delete", "--yes", "--", "-9223372036854775809"],
    ["meeting", "edit", "99999999999999999999", "--minutes", "30"],
    ["goal", "done", "9223372036854775808"],
])
def test_ids_beyond_sqlite_range_are_no_such(cli, journal, command):
    before = sha(journal)
    result = cli(*command)
    assert result.exit_code in (1, 2, 3), result.stderr
    assert "Traceback" not in result.stderr and "internal problem" not in result.stderr
    assert sha(journal) == before


# -- bytes and names --------------------------------------------------------------------------

@pytest.mark.parametrize("command", [
    ["uses", "\udcff"],
    ["plan", "add", "triggers", "bad\udcff"],
    ["contact", "edit", "Sam", "--note", "x\udcff"],
    ["db", "backup", "\udcff.db"],
    ["goal", "add", "\udcffx"],
    ["--db", "\udcff.db", "status"],
])
def test_invalid_utf8_arguments_get_one_line(cli, journal, command):
    before = sha(journal)
    one_error(cli(*command), 1, "not valid UTF-8")
    assert sha(journal) == before


def test_empty_and_over_long_backup_names_get_one_line(cli, journal, tmp_path):
    one_error(cli("db", "backup", ""), 1, "empty")
    one_error(cli("db", "backup", str(tmp_path / ("a" * 300))), 1, "longer than 255 bytes")
    one_error(cli("export", "-o", str(tmp_path / ("b" * 300))), 1, "longer than 255 bytes")
    one_error(cli("--db", str(tmp_path / ("c" * 300)), "status"), 1, "longer than 255 bytes")


@pytest.mark.parametrize("text", ["\x1b[31mred", "bell\x07", "del\x7f", "c1\x9b31m", "nul\x00"])
def test_control_characters_are_refused_in_every_typed_field(cli, journal, text):
    before = sha(journal)
    for command in (["goal", "add", text], ["contact", "add", text, "--role", "friend"],
                    ["plan", "add", "coping", text], ["meeting", "add", text],
                    ["checkin", "--mood", "5", "--craving", "1", "--note", text],
                    ["substance", "add", text]):
        one_error(cli(*command), 1, "control characters" if "\x00" not in text else "NUL")
    assert sha(journal) == before


def test_stored_escape_sequences_and_bidi_overrides_are_never_shown_raw(cli, journal):
    conn = sqlite3.connect(journal)
    conn.execute("UPDATE goals SET title = ?", ("\x1b]0;owned\x07\x1b[31mgoal\u202egnirts",))
    conn.execute("UPDATE contacts SET alias = ?", ("Sam\u202elive\u2066x\u2069",))
    conn.commit()
    conn.close()
    for command in (["goal", "list"], ["status"], ["contact", "list"], ["help-now"]):
        out = cli(*command, ok=True)
        shown = out.stdout + out.stderr
        assert "\x1b" not in shown and "\x07" not in shown, command
        assert not any(ch in shown for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), command


def test_bidi_overrides_typed_in_a_name_are_neutralised_on_display(cli, journal):
    result = cli("contact", "add", "Ana\u202eevil", "--role", "friend", ok=True)
    assert "\u202e" not in result.stdout + result.stderr
    assert "\u202e" not in cli("contact", "list", ok=True).stdout


# -- files in -----------------------------------------------------------------------------------

def _sponsor(cli, journal, tmp_path, name="s.json") -> dict:
    path = tmp_path / name
    cli("export", "-f", "json", "-o", str(path), "--name", "Ana", ok=True)
    return json.loads(path.read_text())


def _write(path: Path, doc: dict, fix_digest: bool = True) -> Path:
    from recoverylog.exports.envelope import compute_digest

    if fix_digest:
        doc["digest"] = compute_digest(doc)
    path.write_text(json.dumps(doc))
    return path


@pytest.mark.parametrize("change, words", [
    (lambda d: d["period"].__setitem__("end", "9999-12-31"), "$.period.end: 9999-12-31 is after 2999-12-31"),
    (lambda d: d["data"]["substances"][0].__setitem__("sobriety_date", "0001-01-01"),
     "$.data.substances[0].sobriety_date: 0001-01-01 is before 1900-01-01"),
    (lambda d: d["data"]["checkins"].__setitem__("share", 7), "$.data.checkins.share: 7 is more than 1"),
    (lambda d: d["data"]["days"][0].__setitem__("mood", 70), "$.data.days[0].mood: 70 is more than 10"),
])
def test_review_refuses_what_the_schema_rejects_and_still_shows_the_others(cli, journal, tmp_path, change, words):
    good = tmp_path / "good.json"
    _write(good, _sponsor(cli, journal, tmp_path))
    doc = _sponsor(cli, journal, tmp_path, "bad-source.json")
    change(doc)
    bad = _write(tmp_path / "bad.json", doc)  # digest recomputed: only the schema can tell
    result = cli("review", str(bad), str(good))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert words in result.stderr, result.stderr
    assert "Ana" in result.stdout  # the good file is still shown
    assert "700%" not in result.stdout


def test_review_refuses_duplicate_keys(cli, journal, tmp_path):
    doc = _sponsor(cli, journal, tmp_path)
    text = json.dumps(doc)
    text = text.replace('"share": ', '"share": 1, "share": ', 1)
    path = tmp_path / "dup.json"
    path.write_text(text)
    error = one_error(cli("review", str(path)), 1, "appears twice")
    assert "share" in error


def test_review_contains_an_exception_in_one_file(cli, journal, tmp_path, monkeypatch):
    good = _write(tmp_path / "good.json", _sponsor(cli, journal, tmp_path))
    other = _write(tmp_path / "other.json", _sponsor(cli, journal, tmp_path, "o.json"))
    import recoverylog.reports.review as review

    real = review._row   # the overview row of every summary, whichever way its days were read

    def explode(path, *args):
        if path.endswith("other.json"):
            raise OverflowError("date value out of range")
        return real(path, *args)

    monkeypatch.setattr(review, "_row", explode)
    result = cli("review", str(other), str(good))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert "other.json: cannot be read (OverflowError)" in result.stderr and "Ana" in result.stdout


@pytest.mark.parametrize("fmt, suffix", [("html", ".html"), ("markdown", ".md"), ("html", ".txt")])
def test_review_of_a_rendered_summary_says_to_ask_for_the_json(cli, journal, tmp_path, fmt, suffix):
    path = tmp_path / f"summary{suffix}"
    cli("export", "-f", fmt, "-o", str(path), ok=True)
    if suffix == ".txt" and fmt == "html":
        pass  # detected by its content, whatever the name
    one_error(cli("review", str(path)), 1, "review reads the JSON file", "Ask for it")


def _full(cli, tmp_path) -> dict:
    path = tmp_path / "full.json"
    cli("export", "--profile", "full", "-o", str(path), ok=True)
    return json.loads(path.read_text())


@pytest.mark.parametrize("table, column, value, words", [
    ("checkins", "halt", "[not json", "not valid JSON"),
    ("checkins", "tags", '{"a": 1}', "should hold a list"),
    ("plan_versions", "data", "[]", "should hold an object"),
    ("revisions", "data", "NaN", "not valid JSON"),
    ("assessments", "answers", '["a", "b"]', "list of whole numbers"),
])
def test_import_checks_the_json_inside_text_columns(cli, journal, tmp_path, table, column, value, words):
    cli("checkin", "--mood", "5", "--craving", "1", "--sober", ok=True)
    cli("meeting", "delete", "1", "--yes", ok=True)  # a revision row
    cli("assess", "gad2", "--answers", "1,1", ok=True)
    doc = _full(cli, tmp_path)
    rows_ = doc["data"]["tables"][table]
    assert rows_, table
    rows_[0][column] = value
    path = _write(tmp_path / "bad.json", doc)
    target = tmp_path / "new.db"
    error = one_error(cli("--db", str(target), "import", str(path)), 1, words, f"$.data.tables.{table}[0].{column}")
    assert "nothing was imported" in error
    assert not target.exists()


def test_import_of_a_parseable_but_wrong_file_creates_no_database(cli, journal, tmp_path):
    doc = _full(cli, tmp_path)
    doc["data"]["tables"]["uses"][0]["substance_id"] = 999  # only the database can tell
    path = _write(tmp_path / "bad.json", doc)
    target = tmp_path / "new" / "new.db"
    one_error(cli("--db", str(target), "import", str(path)), 1, "nothing was imported")
    assert not target.exists() and not target.parent.exists()


def test_import_refuses_dates_out_of_range(cli, journal, tmp_path):
    doc = _full(cli, tmp_path)
    doc["data"]["tables"]["uses"][0]["date"] = "0001-01-01"
    path = _write(tmp_path / "bad.json", doc)
    one_error(cli("--db", str(tmp_path / "n.db"), "import", str(path)), 1, "before 1900-01-01")


# -- files out ------------------------------------------------------------------------------------

def test_export_with_a_failing_log_leaves_no_file_and_says_so(cli, journal, tmp_path, monkeypatch):
    from recoverylog.errors import StorageError

    def read_only(*args, **kwargs):
        raise StorageError("The database is read-only: nothing was changed.")

    monkeypatch.setattr("recoverylog.storage.exports.log_export", read_only)
    target = tmp_path / "s.md"
    one_error(cli("export", "-o", str(target)), 4, "No file was written and nothing was logged")
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


def test_export_writes_file_and_log_together(cli, journal, tmp_path):
    target = tmp_path / "s.md"
    cli("export", "-o", str(target), ok=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    log = cli.json("export", "log", "--json")
    assert [entry["destination"] for entry in log] == [str(target)]


def _special_file(folder: Path, kind: str) -> Path:
    folder.mkdir()
    path = folder / "target"
    if kind == "FIFO":
        os.mkfifo(path)
    elif kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(path))
        sock.close()
    elif kind == "folder":
        path.mkdir()
    else:  # what /dev/stdout is: a link to something that is not a file
        os.mkfifo(folder / "fifo")
        path.symlink_to(folder / "fifo")
    return path


@pytest.mark.parametrize("kind", ["FIFO", "socket", "folder", "link"])
@pytest.mark.parametrize("command", [["db", "backup"], ["export", "-o"], ["export", "--profile", "full", "-o"]])
def test_targets_that_are_not_regular_files_are_refused_even_with_force(cli, journal, tmp_path, command, kind):
    path = _special_file(tmp_path / "t", kind)
    mode = os.lstat(path).st_mode
    error = one_error(cli(*command, str(path), "--force"), 1)
    assert "not a regular file" in error or "is a folder" in error, error
    assert os.lstat(path).st_mode == mode  # still what it was
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(["target"] + (["fifo"] if kind == "link" else []))


def test_dash_means_standard_output(cli, journal, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("export", "-f", "json", "-o", "-", ok=True)
    assert json.loads(result.stdout)["format"] == "recoverylog-summary"
    assert not (tmp_path / "-").exists()
    assert cli.json("export", "log", "--json")[-1]["destination"] == "stdout"


def test_partial_files_of_an_interrupted_run_are_removed_by_the_next(cli, journal, tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = [tmp_path / f".backup.db.recoverylog-partial-{dead.pid}",
             tmp_path / f".s.md.recoverylog-partial-{dead.pid}",
             tmp_path / f".backup.db.tmp-{dead.pid}"]  # the name earlier versions left behind
    for path in stale:
        path.write_bytes(b"SQLite format 3\x00 half of someone's journal")
    alive = tmp_path / f".other.recoverylog-partial-{os.getpid()}"
    alive.write_bytes(b"in use")
    cli("db", "backup", str(tmp_path / "backup.db"), ok=True)
    assert not any(p.exists() for p in stale)
    assert alive.exists()  # a running process's temp file is left alone


# -- typos create journals ------------------------------------------------------------------------

READS = [["status"], ["report"], ["sobriety"], ["checkins"], ["uses"], ["meeting", "list"], ["goal", "list"],
         ["contact", "list"], ["plan"], ["steps"], ["export"], ["export", "log"], ["config", "list"],
         ["db", "backup", "b.db"], ["db", "migrate"], ["substance", "list"]]


@pytest.mark.parametrize("command", READS, ids=[" ".join(c) for c in READS])
def test_a_read_on_a_missing_journal_says_so_and_creates_nothing(cli, tmp_path, command, monkeypatch):
    monkeypatch.chdir(tmp_path)
    typo = tmp_path / "typo.db"
    error = one_error(cli("--db", str(typo), *command), 3)
    assert error == (f"Error: No journal at {typo} yet — `recoverylog checkin` starts one "
                     "(or check --db / RECOVERYLOG_DB).")
    assert not typo.exists()


REFUSED_WRITES = [
    ["use", "alcohol"], ["meeting", "delete", "1"], ["meeting", "add", "X", "--minutes", "0"],
    ["goal", "add", "x", "--metric", "nope"], ["contact", "remove", "Sam"], ["plan", "remove", "coping", "1"],
    ["config", "set", "nope", "1"], ["checkin", "--mood", "11"], ["substance", "archive", "x"],
    ["checkin", "delete", "2026-11-20"], ["uses", "delete", "alcohol", "2026-11-20"],
]


@pytest.mark.parametrize("command", REFUSED_WRITES, ids=[" ".join(c) for c in REFUSED_WRITES])
def test_a_refused_command_creates_no_journal(cli, tmp_path, command):
    typo = tmp_path / "typo.db"
    result = cli("--db", str(typo), *command)
    assert result.exit_code != 0 and "Traceback" not in result.stderr
    assert not typo.exists()


def test_help_now_works_with_no_file(cli, db_path):
    result = cli("help-now", ok=True)
    assert "988" in result.stdout and not db_path.exists()


def test_a_recording_command_creates_the_journal_after_validating(cli, db_path):
    cli("checkin", "--mood", "6", "--craving", "2", ok=True)
    assert db_path.exists() and stat.S_IMODE(db_path.stat().st_mode) == 0o600


# -- a hostile-file corpus for review and import --------------------------------------------------

def _corpus(cli, journal, tmp_path: Path) -> dict[str, Path]:
    """Files someone could send: each must be one line of refusal, never a crash, never a hang."""
    good = _sponsor(cli, journal, tmp_path, "corpus-source.json")
    text = json.dumps(good)
    out = tmp_path / "corpus"
    out.mkdir()
    files: dict[str, Path] = {}

    def put(name: str, data: bytes) -> None:
        files[name] = out / name
        files[name].write_bytes(data)

    put("empty.json", b"")
    put("spaces.json", b"   \n")
    put("malformed.json", b"{this is not json")
    put("truncated.json", text[: len(text) // 2].encode())
    put("not-utf8.json", text.encode("utf-8").replace(b"Ana", b"\xff\xfe"))
    put("nan.json", text.replace('"share": ', '"share": NaN, "x": ', 1).encode())
    put("infinity.json", b'{"format": "recoverylog-summary", "version": 1, "a": Infinity}')
    put("duplicate.json", text.replace('"format": ', '"format": "x", "format": ', 1).encode())
    put("deep.json", b"[" * 100_000 + b"]" * 100_000)
    put("array.json", b"[1, 2, 3]")
    put("string.json", b'"recoverylog-summary"')
    put("html.html", b"<!doctype html><html><body>summary</body></html>")
    put("markdown.md", b"# Summary\n\nChecked in on 7 of 7 days.\n")
    put("html-named-json.json", b"<!DOCTYPE html><html></html>")
    put("sqlite.json", journal.read_bytes()[:4096])
    put("binary.json", bytes(range(256)) * 4)
    put("bom.json", b"\xef\xbb\xbf" + b"{}")
    put("huge-number.json", text.replace('"share": ', '"share": ' + "9" * 5000 + ', "y": ', 1).encode())
    for name, change in {
        "year-9999.json": lambda d: d["period"].__setitem__("end", "9999-12-31"),
        "year-1.json": lambda d: d["period"].__setitem__("start", "0001-01-01"),
        "share-7.json": lambda d: d["data"]["checkins"].__setitem__("share", 7),
        "wrong-types.json": lambda d: d["data"].__setitem__("days", "lots"),
        "court.json": lambda d: d.__setitem__("profile", "court"),
        "version-2.json": lambda d: d.__setitem__("version", 2),
        "no-data.json": lambda d: d.pop("data"),
    }.items():
        doc = json.loads(text)
        change(doc)
        from recoverylog.exports.envelope import compute_digest

        try:
            doc["digest"] = compute_digest(doc)
        except (TypeError, ValueError):
            pass
        put(name, json.dumps(doc).encode("utf-8", "surrogatepass"))
    os.mkfifo(out / "fifo.json")
    files["fifo.json"] = out / "fifo.json"
    (out / "folder.json").mkdir()
    files["folder.json"] = out / "folder.json"
    return files


def test_review_refuses_every_hostile_file_with_one_line_and_still_shows_the_good_one(cli, journal, tmp_path):
    files = _corpus(cli, journal, tmp_path)
    good = _write(tmp_path / "good.json", _sponsor(cli, journal, tmp_path))
    result = cli("review", *[str(p) for p in files.values()], str(good))
    assert result.exit_code == 1 and "Traceback" not in result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    for name in files:
        assert sum(f"/{name}:" in line for line in errors) == 1, (name, result.stderr)
    assert len(errors) == len(files), result.stderr
    assert "internal problem" not in result.stderr
    assert "Ana" in result.stdout


def test_review_shows_a_lone_surrogate_name_without_it(cli, journal, tmp_path):
    doc = _sponsor(cli, journal, tmp_path)
    doc["person"]["name"] = "Ana\ud800"  # valid JSON ("\\ud800"), not encodable as UTF-8
    path = _write(tmp_path / "s2.json", doc, fix_digest=False)  # its digest cannot even be computed
    result = cli("review", str(path), ok=True)
    assert "Ana" in result.stdout and "\ud800" not in result.stdout


def test_import_refuses_every_hostile_file_and_creates_no_database(cli, journal, tmp_path):
    files = _corpus(cli, journal, tmp_path)
    target = tmp_path / "new.db"
    for name, path in files.items():
        result = cli("--db", str(target), "import", str(path))
        assert result.exit_code in (1, 3), (name, result.exit_code, result.stderr)
        lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
        assert len(lines) == 1 and "Traceback" not in result.stderr, (name, result.stderr)
        assert not target.exists(), name


def test_review_of_random_edits_to_a_summary_never_crashes(cli, journal, tmp_path):
    """Any leaf of a real summary replaced by a hostile value, digest recomputed: review either
    shows it (the schema allows it) or refuses it in one line naming a path."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from typer.testing import CliRunner

    from recoverylog.cli.app import app
    from recoverylog.exports.envelope import compute_digest

    source = _sponsor(cli, journal, tmp_path, "random-source.json")

    def leaves(node, path=()):
        if isinstance(node, dict):
            for k, v in node.items():
                yield from leaves(v, path + (k,))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from leaves(v, path + (i,))
        yield path

    paths = [p for p in leaves(source) if p and p[0] != "digest"]
    hostile = st.one_of(st.sampled_from([None, True, -1, 0, 7, 10**30, 1e308, -1e308, "", "0001-01-01", "9999-12-31",
                                         "\x1b[31m", "\u202e", [], {}, [None], {"a": 1}, "x" * 5000]),
                        st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20))
    runner = CliRunner()
    target = tmp_path / "random.json"

    @settings(max_examples=60, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(paths), hostile)
    def one(path, value):
        doc = json.loads(json.dumps(source))
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        doc["digest"] = compute_digest(doc)
        target.write_text(json.dumps(doc))
        result = runner.invoke(app, ["review", str(target)])
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code in (0, 1), (path, value, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr and "internal problem" not in result.stderr
        if result.exit_code == 1:
            assert len([line for line in result.stderr.splitlines() if line.startswith("Error:")]) == 1

    one()


def test_a_reduce_goal_limit_obeys_the_amount_maximum(cli, journal):
    before = sha(journal)
    one_error(cli("substance", "edit", "alcohol", "--goal", "reduce", "--max-per-day", "1e308"), 1, "more than 1000")
    assert sha(journal) == before
