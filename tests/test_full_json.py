"""SQLite writes a table's canonical JSON for the full export (storage/full_json.py) only where
its text is the standard library encoder's for the same rows: random tables compared with the
encoder row by row (on a plain journal and an encrypted one: sqlcipher3 brings its own SQLite),
the self-test refusing a connection that writes differently, and the whole export the same file
and digest with and without the shortcut."""

from __future__ import annotations

import json
import shlex
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from recoverylog.clock import FixedClock
from recoverylog.exports import ExportRequest
from recoverylog.exports.envelope import row_encoder
from recoverylog.storage import encryption, full_json
from recoverylog.storage.db import open_store

NOW = datetime.fromisoformat("2026-11-21T10:00:00+00:00")
TODAY = date(2026, 11, 21)
SEP = ",\n        "
ENCODE = row_encoder(sort_keys=False, compact=True)   # what the full export encodes rows with
PASS = "correct horse battery staple"
needs_sqlcipher = pytest.mark.skipif(not encryption.available(), reason="the encrypt extra is not installed")

# A table with a column of each affinity (and one with none), the names not in sorted order.
COLUMNS = {"id": "INTEGER PRIMARY KEY", "zeta": "TEXT", "count": "INTEGER", "amount": "REAL", "anything": "",
           "numeric_x": "NUMERIC", "blob_y": "BLOB", "label": "VARCHAR(10)"}
NAMES = sorted(COLUMNS)
TEXTUAL = {n for n, t in COLUMNS.items() if full_json.holds_text_only(t)}
CONTROL = "".join(map(chr, range(32))) + '\x7f"\\/'
SPECIAL_TEXT = [CONTROL, "\u2028\u2029\ufeff\uffff", "😀𝄞\U0010ffff", "é ∑ },{ ", '{"a":1}', "", "\x00"]
SPECIAL_FLOATS = [0.0, -0.0, 0.1, 1 / 3, 2.5, -1.25, 1e-7, 1e-4, 1e-5, 1e15, 1e16, 1e22, 1e300, 5e-324,
                  2.2250738585072014e-308, 1.7976931348623157e308, 123456789012345.6, float("inf"), float("-inf"),
                  float("nan"), 9007199254740993.0, 0.30000000000000004]
CELLS = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12), st.sampled_from(SPECIAL_TEXT),
    st.integers(-(2**63), 2**63 - 1), st.sampled_from([2**63 - 1, -(2**63), 0, -1, 2**53 + 1]),
    st.floats(), st.sampled_from(SPECIAL_FLOATS),
    st.binary(max_size=4), st.sampled_from([b"\x00", b"\x131", b"\x0c"]),
)
ROWS = st.lists(st.fixed_dictionaries({n: CELLS for n in NAMES if n != "id"}), max_size=8)
# The demo's kinds of values: text of any character, integers, short decimals, null; no blob.
PLAIN_CELLS = st.one_of(st.none(), st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
                        st.sampled_from(SPECIAL_TEXT), st.integers(-(2**63), 2**63 - 1),
                        st.integers(0, 4000).map(lambda n: n / 4), st.sampled_from([0.1, 0.3, 2.75, 12.5]))
PLAIN_ROWS = st.lists(st.fixed_dictionaries({n: PLAIN_CELLS for n in NAMES if n != "id"}), min_size=1, max_size=8)


def _fill(conn, rows) -> None:
    conn.execute("DROP TABLE IF EXISTS t")
    conn.execute("CREATE TABLE t (" + ", ".join(f"{n} {t}" for n, t in COLUMNS.items()) + ")")
    for row in rows:
        conn.execute(f"INSERT INTO t ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values()))


def _stored(conn) -> list[tuple]:
    cursor = conn.cursor()
    cursor.row_factory = None
    return cursor.execute(f"SELECT {', '.join(NAMES)} FROM t ORDER BY id").fetchall()


def _reference(conn) -> tuple[str, bytes]:
    """The encoder's way (storage/full.row_batches(sorted_keys=True) and the row encoder)."""
    texts = [ENCODE(dict(zip(NAMES, row, strict=True))) for row in _stored(conn)]
    return SEP.join(texts), ",".join(texts).encode("utf-8")


def _sqlite_writes_as_python(conn) -> bool:
    """Whether every stored cell is one the shortcut may write: no blob, and each real number
    written by SQLite as by the encoder (the encoder refuses infinity)."""
    for row in _stored(conn):
        for value in row:
            if isinstance(value, bytes):
                return False
            if isinstance(value, float):
                try:
                    python = ENCODE({"v": value})
                except ValueError:
                    return False
                if conn.execute("SELECT json_object('v', ?)", (value,)).fetchone()[0] != python:
                    return False
    return True


def _check(conn, rows, check_blobs: bool) -> None:
    _fill(conn, rows)
    written = full_json.table_text(conn, "t", NAMES, ["id"], SEP, ENCODE, textual=TEXTUAL, check_blobs=check_blobs)
    if _sqlite_writes_as_python(conn):
        assert written == _reference(conn)
    else:
        assert written is None   # the encoder's way then decides (and refuses a blob or infinity)


def test_the_sentinel_holds_every_character_class():
    text = full_json.sentinel_text()
    assert {chr(c) for c in range(0x800)} <= set(text) and "\U0010ffff" in text and "\u2028" in text
    assert not any(0xD800 <= ord(c) < 0xE000 for c in text)


@settings(max_examples=250, deadline=None)
@given(rows=ROWS, check_blobs=st.booleans())
@example(rows=[{n: None for n in NAMES if n != "id"} | {"amount": -0.0, "anything": -0.0}], check_blobs=False)
@example(rows=[{n: None for n in NAMES if n != "id"} | {"anything": 0.0}, {n: None for n in NAMES if n != "id"}
               | {"anything": -0.0}], check_blobs=False)
@example(rows=[{n: None for n in NAMES if n != "id"} | {"zeta": b"\x131"}], check_blobs=True)
def test_sqlite_text_is_the_encoders_or_nothing_on_a_plain_connection(rows, check_blobs):
    conn = sqlite3.connect(":memory:")
    assert full_json.writes_like_python(conn, ENCODE)
    _check(conn, rows, check_blobs or not full_json.refuses_blobs(conn))


@settings(max_examples=100, deadline=None)
@given(rows=PLAIN_ROWS)
@example(rows=[{n: None for n in NAMES if n != "id"} | {"numeric_x": "1E100", "count": "2.5"}])
def test_plain_values_take_the_shortcut(rows):
    """Text of every kind, integers at the limits and short decimals: SQLite writes the table
    (unless a column of numeric affinity made a number of a text, 1E100 say, that it writes
    otherwise)."""
    conn = sqlite3.connect(":memory:")
    _check(conn, rows, not full_json.refuses_blobs(conn))


def test_text_that_is_not_utf8_is_left_to_the_encoders_way():
    conn = sqlite3.connect(":memory:")
    _fill(conn, [])
    conn.execute("INSERT INTO t (zeta) VALUES (CAST(x'61ff62' AS TEXT))")
    assert full_json.table_text(conn, "t", NAMES, ["id"], SEP, ENCODE, textual=TEXTUAL, check_blobs=True) is None
    with pytest.raises(sqlite3.OperationalError):
        _reference(conn)


def _encrypted_journal(cli, tmp_path: Path, monkeypatch) -> Path:
    secret = tmp_path / "pass.txt"
    secret.write_text(PASS + "\n")
    monkeypatch.setenv(encryption.PASSPHRASE_COMMAND, f"cat {shlex.quote(str(secret))}")
    db = tmp_path / "enc.db"
    _hostile_journal(cli, db)
    cli("--db", str(db), "db", "encrypt", ok=True)
    assert encryption.is_encrypted(db)
    return db


@needs_sqlcipher
def test_sqlite_text_is_the_encoders_or_nothing_on_an_encrypted_journal(cli, tmp_path, monkeypatch):
    db = _encrypted_journal(cli, tmp_path, monkeypatch)
    store = open_store(db, FixedClock(NOW), key=encryption.unlock(db, interactive=False), create=False)
    try:
        conn = store.conn
        assert full_json.writes_like_python(conn, ENCODE)
        check_blobs = not full_json.refuses_blobs(conn)

        @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
        @given(rows=ROWS)
        @example(rows=[{n: None for n in NAMES if n != "id"} | {"zeta": b"\x131", "anything": b"\x00"}])
        def check(rows):
            _check(conn, rows, check_blobs)

        check()
    finally:
        store.close()


def _ascii_object(*args):
    """A json_object that writes non-ASCII as \\u escapes (as ensure_ascii would)."""
    return json.dumps(dict(zip(args[::2], args[1::2], strict=True)), separators=(",", ":"))


def test_the_self_test_refuses_a_connection_that_writes_differently():
    differently = sqlite3.connect(":memory:")
    differently.create_function("json_object", -1, _ascii_object)
    assert not full_json.writes_like_python(differently, ENCODE)
    missing = sqlite3.connect(":memory:")
    missing.create_function("json_object", -1, lambda *args: 1 / 0)   # fails like a missing function
    assert not full_json.writes_like_python(missing, ENCODE)


def test_blobs_read_as_json_are_found():
    accepting = sqlite3.connect(":memory:")
    accepting.create_function("json_object", -1, lambda *args: "{}")
    assert not full_json.refuses_blobs(accepting)


def test_odd_names_are_left_to_the_encoders_way():
    conn = sqlite3.connect(":memory:")
    conn.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, "a b" TEXT)')
    assert full_json.table_text(conn, "t", ["a b", "id"], ["id"], SEP, ENCODE, textual={"a b"},
                                check_blobs=True) is None


# -- the whole export ------------------------------------------------------------------------

NOTE = '"quoted" back\\slash 😀 é ∑ },{ {"a":1} \u2028'


def _hostile_journal(cli, db: Path) -> None:
    base = ["--db", str(db)]
    cli(*base, "substance", "add", "alcohol", "--unit", "drinks", "--goal", "reduce", "--max-per-day", "2",
        "--last-use", "2026-10-01", ok=True)
    for i, amount in enumerate(["0.25", "1.5", "2", "0.1"]):
        cli(*base, "use", "alcohol", "--amount", amount, "--note", f"{NOTE} {i}", "--date", f"2026-11-0{i + 1}", ok=True)
    for i in range(5):
        cli(*base, "checkin", "--date", f"2026-11-1{i}", "--mood", str(3 + i), "--craving", "2", "--sleep",
            str(6.5 + i / 4), "--note", NOTE * (i + 1), "--gratitude", "my sister 😀", "--sober", ok=True)
    cli(*base, "meeting", "add", 'Tuesday "Night" 😀', "--date", "2026-11-03", "--fellowship", "AA", ok=True)
    cli(*base, "contact", "add", 'Sam \\ "x"', "--role", "sponsor", "--phone", "555-0142", ok=True)
    cli(*base, "plan", "add", "coping", 'call "Sam" 😀', ok=True)


def _raw_rows(db: Path, key=None) -> None:
    """Rows no command writes but a file may hold: every control character, reals SQLite writes
    with other digits than Python's, integers at SQLite's limits."""
    conn = sqlite3.connect(db) if key is None else encryption.connect(db, key)
    with conn:
        conn.execute("UPDATE checkins SET note = ?, gratitude = ? WHERE date = '2026-11-12'", (CONTROL, CONTROL[::-1]))
        conn.execute("UPDATE meetings SET note = ?, minutes = ?", (CONTROL + "\U0010ffff", 2**63 - 1))
        conn.execute("UPDATE substances SET max_per_day = ?, milestones = ?", (1 / 3, -(2**63)))
        conn.execute("UPDATE uses SET amount = 1e-7 WHERE date = '2026-11-04'")
    conn.close()


def _export(db: Path, key=None) -> tuple[str, str]:
    from recoverylog.exports.full import build

    store = open_store(db, FixedClock(NOW), key=key, create=False)
    try:
        document = build(store, ExportRequest(profile="full", format="json", today=TODAY, as_of=TODAY))
        assert not store.conn.in_transaction   # the read transaction each table's query took is over
    finally:
        store.close()
    return document.content, document.digest


def _both_ways(db: Path, monkeypatch, key=None) -> list[str]:
    """The export with and without the shortcut (the same file and digest), and the tables SQLite wrote."""
    from recoverylog.exports import full

    written: list[str] = []
    real = full._sqlite_text

    def spy(store, table, encode, check_blobs):
        found = real(store, table, encode, check_blobs)
        if found is not None and found[0]:
            written.append(table)
        return found

    monkeypatch.setattr(full, "_sqlite_text", spy)
    fast = _export(db, key)
    monkeypatch.setattr(full_json, "writes_like_python", lambda conn, encode: False)
    plain = _export(db, key)
    monkeypatch.undo()
    assert fast == plain
    assert json.loads(fast[0])["digest"] == fast[1]
    return written


def test_the_export_is_the_same_file_and_digest_with_and_without_sqlite(cli, tmp_path, monkeypatch):
    db = tmp_path / "j.db"
    _hostile_journal(cli, db)
    written = _both_ways(db, monkeypatch)
    assert {"checkins", "uses", "meetings", "contacts", "substances", "plan_versions"} <= set(written)
    _raw_rows(db)
    written = _both_ways(db, monkeypatch)
    assert "checkins" in written and "meetings" in written and "substances" not in written and "uses" not in written


@needs_sqlcipher
def test_the_encrypted_export_is_the_same_file_and_digest_with_and_without_sqlite(cli, tmp_path, monkeypatch):
    db = _encrypted_journal(cli, tmp_path, monkeypatch)
    key = encryption.unlock(db, interactive=False)
    written = _both_ways(db, monkeypatch, key)
    assert {"checkins", "uses", "meetings"} <= set(written)
    _raw_rows(db, key)
    written = _both_ways(db, monkeypatch, key)
    assert "checkins" in written and "substances" not in written


def test_a_connection_that_writes_differently_gives_the_same_export(cli, tmp_path, monkeypatch):
    """The self-test fails on it, and every table is encoded the encoder's way."""
    from recoverylog.exports import full

    db = tmp_path / "j.db"
    _hostile_journal(cli, db)
    expected = _export(db)
    store = open_store(db, FixedClock(NOW), create=False)
    store.conn.create_function("json_object", -1, _ascii_object)
    calls: list[str] = []
    monkeypatch.setattr(full, "_sqlite_text", lambda *args: calls.append(args[1]))
    try:
        document = full.build(store, ExportRequest(profile="full", format="json", today=TODAY, as_of=TODAY))
    finally:
        store.close()
    assert (document.content, document.digest) == expected and calls == []


@pytest.mark.parametrize("cell, kind", [(b"\x00\x01", "TypeError"), (float("inf"), "ValueError")])
def test_a_blob_or_infinity_fails_as_before(cli, tmp_path, cell, kind):
    db = tmp_path / "j.db"
    _hostile_journal(cli, db)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE uses SET amount = ?" if isinstance(cell, float) else "UPDATE meetings SET note = ?", (cell,))
    conn.close()
    result = cli("--db", str(db), "export", "--profile", "full", "-o", str(tmp_path / "out.json"))
    assert result.exit_code == 70 and f"internal problem ({kind})" in result.stderr


def test_a_number_in_a_text_column_is_damage(cli, tmp_path):
    """The shortcut does not look for real numbers in columns of text affinity: SQLite stores none
    there, and the check the full export runs first reports a file that holds one."""
    db = tmp_path / "j.db"
    _hostile_journal(cli, db)
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE forged (id INTEGER PRIMARY KEY, x REAL)")
    conn.execute("INSERT INTO forged (x) VALUES (0.1)")
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = 'CREATE TABLE forged (id INTEGER PRIMARY KEY, x TEXT)' "
                 "WHERE name = 'forged'")
    conn.commit()
    conn.close()
    result = cli("--db", str(db), "export", "--profile", "full", "-o", str(tmp_path / "out.json"))
    assert result.exit_code == 4 and "damaged" in result.stderr
