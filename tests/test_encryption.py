"""Encryption at rest (docs/definitions.md §13): db encrypt | decrypt | passphrase, unlocking,
every command on an encrypted journal, and a killed `db encrypt`.

Needs the `encrypt` extra (sqlcipher3); CI installs it (.ci/run)."""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoverylog.errors import StorageError
from recoverylog.storage import encryption

HAS_SQLCIPHER = encryption.available()
needs_sqlcipher = pytest.mark.skipif(
    not HAS_SQLCIPHER, reason="the encrypt extra is not installed (pip install -e '.[test,encrypt]')")
try:
    import keyring  # noqa: F401

    HAS_KEYRING = True
except ImportError:
    HAS_KEYRING = False
needs_keyring = pytest.mark.skipif(not HAS_KEYRING, reason="keyring is not installed (the encrypt extra)")

TESTS = Path(__file__).parent
SRC = TESTS.parent / "src"
NOTE = "talked to Dana about the court date"
PHONE = "555-0142"
PASS = "correct horse battery staple"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def passphrase_command(tmp_path: Path, text: str, name: str = "pass.txt") -> str:
    secret = tmp_path / name
    secret.write_text(text + "\n")
    return f"cat {shlex.quote(str(secret))}"


def seed(cli) -> None:
    cli("substance", "add", "alcohol", "--unit", "drinks", "--goal", "abstain", "--last-use", "2026-10-01", ok=True)
    cli("checkin", "--mood", "6", "--craving", "3", "--note", NOTE, "--sober", ok=True)
    cli("checkin", "--date", "2026-11-19", "--mood", "4", "--craving", "6", "--gratitude", "my sister", "--sober", ok=True)
    cli("contact", "add", "Sam", "--role", "sponsor", "--phone", PHONE, ok=True)
    cli("meeting", "add", "Tuesday Night Group", "--fellowship", "AA", "--date", "2026-11-20", ok=True)
    cli("plan", "add", "coping", "call Sam", ok=True)


def all_rows(path: Path, key: encryption.Key | None = None) -> dict:
    if key is None:
        conn = sqlite3.connect(path)
    else:
        conn = encryption.connect(path, key)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").fetchall()]
        out = {t: sorted((tuple(r) for r in conn.execute(f'SELECT * FROM "{t}"').fetchall()), key=repr) for t in tables}
        out["_header"] = (conn.execute("PRAGMA user_version").fetchone()[0], conn.execute("PRAGMA application_id").fetchone()[0])
        return out
    finally:
        conn.close()


@pytest.fixture
def with_passphrase(tmp_path, monkeypatch):
    monkeypatch.setenv(encryption.PASSPHRASE_COMMAND, passphrase_command(tmp_path, PASS))
    return PASS


@pytest.fixture
def encrypted_journal(cli, db_path, with_passphrase):
    seed(cli)
    cli("db", "encrypt", ok=True)
    return db_path


@pytest.fixture
def file_keyring(tmp_path, monkeypatch):
    """A keyring in a file under tmp_path, in this process and in subprocesses."""
    if not HAS_KEYRING:
        pytest.skip("keyring is not installed (the encrypt extra)")
    import keyring
    from keyring.backends import null

    sys.path.insert(0, str(TESTS))
    from _keyring_file import FileKeyring

    store = tmp_path / "keyring.json"
    monkeypatch.setenv("RECOVERYLOG_TEST_KEYRING", str(store))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "_keyring_file.FileKeyring")
    keyring.set_keyring(FileKeyring())
    yield store
    keyring.set_keyring(null.Keyring())
    sys.path.remove(str(TESTS))


# -- without the extra ---------------------------------------------------------------------------

def test_without_the_extra_encrypt_says_how_to_install_and_nothing_changes(cli, db_path, monkeypatch):
    cli("checkin", "--mood", "5", "--craving", "1", ok=True)
    before = sha(db_path)
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)  # import sqlcipher3 now raises ImportError
    result = cli("db", "encrypt")
    assert result.exit_code == 4
    assert 'pip install "recoverylog[encrypt]"' in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert sha(db_path) == before
    assert cli("checkin", "--mood", "6", "--craving", "1").exit_code == 0  # nothing else changed


def test_without_the_extra_a_headerless_file_says_how_to_install(cli, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)
    path = tmp_path / "maybe.db"
    path.write_bytes(os.urandom(8192))
    result = cli("--db", str(path), "status")
    assert result.exit_code == 4
    assert "not an SQLite file" in result.stderr and "recoverylog[encrypt]" in result.stderr


def test_a_plain_check_in_never_imports_sqlcipher_or_keyring(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECOVERYLOG_")}
    env.update(RECOVERYLOG_HOME=str(tmp_path / "data"), RECOVERYLOG_NO_PROMPT="1",
               RECOVERYLOG_NOW="2026-11-21T10:00:00+00:00")
    code = ("import sys\nfrom recoverylog.cli import main\n"
            "sys.argv = ['recoverylog', 'checkin', '--mood', '6', '--craving', '2']\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
            "print('LOADED', sorted(m for m in ('sqlcipher3', 'keyring') if m in sys.modules))")
    for _ in range(2):  # creating the file, then the ordinary check-in on an existing one
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip().splitlines()[-1] == "LOADED []"


# -- recognising an encrypted file -----------------------------------------------------------------

@given(st.binary(max_size=64))
def test_a_file_with_the_sqlite_header_is_never_taken_for_encrypted(tmp_path_factory, tail):
    path = tmp_path_factory.mktemp("h") / "x.db"
    data = encryption.SQLITE_MAGIC + tail
    path.write_bytes(data + bytes(-len(data) % 512))
    assert not encryption.is_encrypted(path)


def test_is_encrypted_needs_whole_pages(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"my notes\n" * 100)
    assert not encryption.is_encrypted(path)
    assert not encryption.is_encrypted(tmp_path / "missing.db")
    path.write_bytes(os.urandom(4096))
    assert encryption.is_encrypted(path)


# -- the passphrase command --------------------------------------------------------------------------

@pytest.mark.parametrize("printed, expected", [
    ("secret\n", "secret"), ("secret\r\nsecond line ignored\n", "secret"), ("with spaces  \n", "with spaces  "),
    ("no newline", "no newline"), ("ünïcödé\n", "ünïcödé"),
])
def test_passphrase_command_first_line(tmp_path, monkeypatch, printed, expected):
    out = tmp_path / "out.bin"
    out.write_bytes(printed.encode())
    monkeypatch.setenv(encryption.PASSPHRASE_COMMAND, f"cat {shlex.quote(str(out))}")
    assert encryption.run_passphrase_command() == expected


@pytest.mark.parametrize("command, mentions", [
    ("false", "status 1"), ("no-such-command-xyz", "not found"), ("printf ''", "empty"),
    ("'unclosed", "cannot be read"), ("printf '\\377\\n'", "not UTF-8"), ("sleep 0", "empty"),
])
def test_passphrase_command_problems_are_one_line(monkeypatch, command, mentions):
    monkeypatch.setenv(encryption.PASSPHRASE_COMMAND, command)
    with pytest.raises(StorageError) as info:
        encryption.run_passphrase_command()
    assert mentions in info.value.message and "\n" not in info.value.message


def test_passphrase_command_runs_without_a_shell(tmp_path, monkeypatch):
    marker = tmp_path / "ran"
    monkeypatch.setenv(encryption.PASSPHRASE_COMMAND, f"echo secret; touch {marker}")
    assert encryption.run_passphrase_command() == f"secret; touch {marker}"  # echo's arguments, no shell
    assert not marker.exists()


# -- db encrypt -----------------------------------------------------------------------------------

@needs_sqlcipher
def test_encrypt_leaves_no_note_or_phone_number_in_the_file(cli, db_path, with_passphrase, tmp_path):
    seed(cli)
    plain = db_path.read_bytes()
    assert NOTE.encode() in plain and PHONE.encode() in plain  # the test can see them when present
    rows = all_rows(db_path)
    result = cli("db", "encrypt", ok=True)
    data = db_path.read_bytes()
    assert NOTE.encode() not in data and PHONE.encode() not in data and b"my sister" not in data
    assert not data.startswith(encryption.SQLITE_MAGIC)
    assert oct(db_path.stat().st_mode & 0o777) == "0o600"
    backups = sorted(db_path.parent.glob("recoverylog.db.before-encryption-*.bak"))
    assert len(backups) == 1 and all_rows(backups[0]) == rows  # the backup is the plain original
    assert "NOT encrypted" in result.stderr and "SSD" in result.stderr
    # nothing else was left beside it
    assert sorted(p.name for p in db_path.parent.iterdir()) == sorted(["recoverylog.db", backups[0].name])
    assert all_rows(db_path, encryption.passphrase_key(PASS, "test")) == rows


@needs_sqlcipher
def test_encrypt_twice_is_refused(cli, encrypted_journal):
    before = sha(encrypted_journal)
    result = cli("db", "encrypt")
    assert result.exit_code == 1 and "already encrypted" in result.stderr
    assert sha(encrypted_journal) == before


@needs_sqlcipher
def test_encrypt_off_a_terminal_without_a_passphrase_command(cli, db_path):
    cli("checkin", "--mood", "5", "--craving", "1", ok=True)
    before = sha(db_path)
    result = cli("db", "encrypt")
    assert result.exit_code == 4 and "RECOVERYLOG_PASSPHRASE_COMMAND" in result.stderr
    assert result.stderr.count("\n") == 1
    assert sha(db_path) == before and list(db_path.parent.iterdir()) == [db_path]


@needs_sqlcipher
def test_encrypt_refuses_a_damaged_journal(cli, db_path, with_passphrase):
    seed(cli)
    conn = sqlite3.connect(db_path)
    root, size = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'checkins'").fetchone()[0], \
        conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(db_path.read_bytes())
    # Scramble the check-ins table's page (not the file header), as a failing disk would.
    page = size * (root - 1)
    data[page + 8: page + size] = os.urandom(size - 8)
    db_path.write_bytes(bytes(data))
    before = sha(db_path)
    result = cli("db", "encrypt")
    assert result.exit_code == 4
    assert sha(db_path) == before


# -- unlocking ----------------------------------------------------------------------------------------

@needs_sqlcipher
def test_wrong_passphrase_could_not_unlock_and_the_file_is_byte_identical(cli, encrypted_journal, tmp_path, monkeypatch):
    before = sha(encrypted_journal)
    monkeypatch.setenv(encryption.PASSPHRASE_COMMAND, passphrase_command(tmp_path, "not it", "wrong.txt"))
    for args in (["status"], ["checkin", "--mood", "5", "--craving", "1"], ["checkins", "--json"], ["db", "decrypt"],
                 ["db", "backup", str(tmp_path / "b.db")]):
        result = cli(*args)
        assert result.exit_code == 4, args
        assert "Could not unlock" in result.stderr and result.stderr.count("\n") == 1, result.stderr
        assert sha(encrypted_journal) == before
    assert not (tmp_path / "b.db").exists()
    assert sorted(p.name for p in encrypted_journal.parent.iterdir() if not p.name.endswith(".bak")) == ["recoverylog.db"]


@needs_sqlcipher
def test_no_way_to_unlock_off_a_terminal_is_one_line(cli, encrypted_journal, monkeypatch):
    monkeypatch.delenv(encryption.PASSPHRASE_COMMAND)
    before = sha(encrypted_journal)
    result = cli("status")
    assert result.exit_code == 4 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "cannot be unlocked here" in result.stderr
    assert sha(encrypted_journal) == before


@needs_sqlcipher
def test_silent_unlock_never_asks_never_prints_and_never_runs_the_command(encrypted_journal, tmp_path, monkeypatch, capfd):
    marker = tmp_path / "ran"
    monkeypatch.setenv(encryption.PASSPHRASE_COMMAND, f"touch {shlex.quote(str(marker))}")
    assert encryption.unlock(encrypted_journal, interactive=False, silent=True) is None
    out, err = capfd.readouterr()
    assert out == "" and err == "" and not marker.exists()


# -- every command on an encrypted journal -----------------------------------------------------------

READS = [
    ["status", "--json"], ["checkins", "--json"], ["report", "--month", "--format", "json"],
    ["sobriety", "--json"], ["meetings", "--json"], ["contacts", "--json"], ["plan", "--json"],
    ["checkin", "show", "2026-11-19", "--json"], ["search", "Dana", "--json"],
    ["export", "--profile", "court", "--format", "json", "--as-of", "2026-11-21"],
]


def _reads(cli) -> dict:
    out = {}
    for args in READS:
        result = cli(*args)
        if result.exit_code == 2 and "No such command" in result.stderr:
            continue  # a listing another branch names differently
        assert result.exit_code == 0, (args, result.stderr)
        out[" ".join(args)] = json.loads(result.stdout)
    return out


@needs_sqlcipher
def test_every_main_command_works_the_same_on_an_encrypted_journal(cli, db_path, with_passphrase, tmp_path):
    seed(cli)
    before = _reads(cli)
    assert len(before) >= 8 and "search Dana --json" in before and before["search Dana --json"]
    full_plain = cli("export", "--profile", "full", "--format", "json", "--as-of", "2026-11-21", ok=True).stdout
    cli("db", "encrypt", ok=True)
    assert _reads(cli) == before
    full_encrypted = cli("export", "--profile", "full", "--format", "json", "--as-of", "2026-11-21", ok=True).stdout
    # The export log has one more row, the rest is the same journal.
    tables_plain = json.loads(full_plain)["data"]["tables"]
    tables_encrypted = json.loads(full_encrypted)["data"]["tables"]
    assert tables_plain["checkins"] and tables_encrypted["checkins"] == tables_plain["checkins"]
    assert tables_encrypted["contacts"] == tables_plain["contacts"]
    # Writes, each through the keyed connection.
    cli("checkin", "--date", "2026-11-20", "--mood", "7", "--craving", "2", "--note", "second secret note", ok=True)
    cli("use", "alcohol", "--date", "2026-11-18", "--amount", "2", ok=True)
    cli("meeting", "add", "Saturday Step Study", "--fellowship", "NA", "--date", "2026-11-21", ok=True)
    cli("plan", "add", "reasons", "my kids", ok=True)
    cli("contact", "add", "Robin", "--role", "peer", "--phone", "555-0177", ok=True)
    duplicate = cli("contact", "add", "Robin", "--role", "peer")  # an IntegrityError path, as on a plain file
    assert duplicate.exit_code not in (0, 4) or "already" in duplicate.stderr.lower(), duplicate.stderr
    assert "Traceback" not in duplicate.stderr
    status = cli.json("status", "--json")
    assert status  # opens and reads
    checkins = {c["date"]: c for c in cli.json("checkins", "--json")}
    assert checkins["2026-11-20"]["note"] == "second secret note"
    data = db_path.read_bytes()
    assert b"second secret note" not in data and b"555-0177" not in data and not data.startswith(encryption.SQLITE_MAGIC)


@needs_sqlcipher
def test_backup_of_an_encrypted_journal_is_encrypted_with_the_same_key(cli, encrypted_journal, tmp_path):
    target = tmp_path / "copy.db"
    cli("db", "backup", str(target), ok=True)
    data = target.read_bytes()
    assert NOTE.encode() not in data and PHONE.encode() not in data and not data.startswith(encryption.SQLITE_MAGIC)
    key = encryption.passphrase_key(PASS, "test")
    assert all_rows(target, key) == all_rows(encrypted_journal, key)
    # The copy works as a journal with the same passphrase.
    assert cli.json("--db", str(target), "checkins", "--json")[0]["note"] in (NOTE, None)


@needs_sqlcipher
def test_a_migration_on_an_encrypted_journal_runs_through_the_keyed_connection(cli, encrypted_journal):
    key = encryption.passphrase_key(PASS, "test")
    conn = encryption.connect(encrypted_journal, key)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.execute("PRAGMA user_version = 1")  # pretend it was written by an older recoverylog
    conn.close()
    if version <= 1:
        pytest.skip("only one migration so far")
    cli("db", "migrate", ok=True)
    conn = encryption.connect(encrypted_journal, key)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == version
    conn.close()
    backups = list(encrypted_journal.parent.glob("*before-schema*"))
    assert backups and not backups[0].read_bytes().startswith(encryption.SQLITE_MAGIC)


# -- decrypt, passphrase ------------------------------------------------------------------------------

@needs_sqlcipher
def test_decrypt_round_trip_gives_back_the_original_rows(cli, db_path, with_passphrase):
    seed(cli)
    original = all_rows(db_path)
    cli("db", "encrypt", ok=True)
    result = cli("db", "decrypt", ok=True)
    assert "readable by anyone" in result.stderr
    assert db_path.read_bytes().startswith(encryption.SQLITE_MAGIC)
    assert all_rows(db_path) == original
    backups = list(db_path.parent.glob("*.before-decryption-*.bak"))
    assert len(backups) == 1 and not backups[0].read_bytes().startswith(encryption.SQLITE_MAGIC)
    assert cli("checkin", "--mood", "5", "--craving", "1").exit_code == 0
    assert cli("db", "decrypt").exit_code == 1  # not encrypted any more


@needs_sqlcipher
def test_change_the_passphrase(cli, encrypted_journal, tmp_path, monkeypatch):
    rows = all_rows(encrypted_journal, encryption.passphrase_key(PASS, "t"))
    result = cli("db", "passphrase")
    assert result.exit_code == 4 and encryption.NEW_PASSPHRASE_COMMAND in result.stderr  # no new one off a terminal
    monkeypatch.setenv(encryption.NEW_PASSPHRASE_COMMAND, passphrase_command(tmp_path, "a new one", "new.txt"))
    cli("db", "passphrase", ok=True)
    assert cli("status").exit_code == 4  # the old passphrase no longer opens it
    monkeypatch.setenv(encryption.PASSPHRASE_COMMAND, passphrase_command(tmp_path, "a new one", "new.txt"))
    assert all_rows(encrypted_journal, encryption.passphrase_key("a new one", "t")) == rows
    cli("status", ok=True)


# -- the remembered key -----------------------------------------------------------------------------

@needs_sqlcipher
@needs_keyring
def test_remember_opens_without_a_passphrase_and_passphrase_and_decrypt_keep_it_right(
        cli, db_path, with_passphrase, file_keyring, monkeypatch, tmp_path):
    seed(cli)
    cli("db", "encrypt", "--remember", ok=True)
    stored = json.loads(file_keyring.read_text())
    assert len(stored) == 1
    (name, raw), = stored.items()
    assert name.startswith("recoverylog\x1fjournal-") and len(raw) == 64 and PASS not in raw
    # the raw key alone opens the file: no key derivation
    assert all_rows(db_path, encryption.Key(f"x'{raw}'".encode(), "t")) == all_rows(db_path, encryption.passphrase_key(PASS, "t"))
    monkeypatch.delenv(encryption.PASSPHRASE_COMMAND)
    cli("checkin", "--mood", "8", "--craving", "0", ok=True)
    key = encryption.unlock(db_path, interactive=False, silent=True)
    assert key is not None and key.source == "keyring"
    # a new passphrase updates the remembered key
    monkeypatch.setenv(encryption.PASSPHRASE_COMMAND, passphrase_command(tmp_path, PASS, "old.txt"))
    monkeypatch.setenv(encryption.NEW_PASSPHRASE_COMMAND, passphrase_command(tmp_path, "second", "new.txt"))
    cli("db", "passphrase", ok=True)
    monkeypatch.delenv(encryption.PASSPHRASE_COMMAND)
    new_raw = next(iter(json.loads(file_keyring.read_text()).values()))
    assert new_raw != raw
    cli("status", ok=True)
    # decrypt forgets it
    cli("db", "decrypt", ok=True)
    assert json.loads(file_keyring.read_text()) == {}


@needs_sqlcipher
@needs_keyring
def test_remember_without_a_usable_keyring_is_refused_before_anything_changes(cli, db_path, with_passphrase):
    cli("checkin", "--mood", "5", "--craving", "1", ok=True)
    before = sha(db_path)
    result = cli("db", "encrypt", "--remember")  # conftest's null keyring
    assert result.exit_code == 2 and "keyring" in result.stderr
    assert sha(db_path) == before and list(db_path.parent.iterdir()) == [db_path]


@needs_sqlcipher
@needs_keyring
def test_a_stale_remembered_key_falls_back_to_the_next_way(cli, encrypted_journal, file_keyring, monkeypatch):
    encryption.remember(encryption.salt_of(encrypted_journal), encryption.Key(b"x'" + b"ab" * 32 + b"'", "t"))
    cli("status", ok=True)  # the passphrase command still comes first
    monkeypatch.delenv(encryption.PASSPHRASE_COMMAND)
    result = cli("status")
    assert result.exit_code == 4 and "the remembered key no longer opens it" in result.stderr


# -- a killed db encrypt -------------------------------------------------------------------------------

KILLER = """
import os, signal, sys
from recoverylog.storage import encryption
at = os.environ["KILL_AT"]
if at == "mid-export":
    real_export = encryption._export
    def export(conn, temp, key):
        def tick():  # stop once sqlcipher_export has started writing the copy
            if temp.exists() and temp.stat().st_size > 0:
                os.kill(os.getpid(), signal.SIGKILL)
        conn.set_progress_handler(tick, 100)
        return real_export(conn, temp, key)
    encryption._export = export
else:
    def step(name):
        if name == at:
            os.kill(os.getpid(), signal.SIGKILL)
    encryption._step = step
from recoverylog.cli import main
sys.argv = ["recoverylog", "db", "encrypt"]
main()
"""


@needs_sqlcipher
@pytest.mark.parametrize("at", ["checked", "mid-export", "exported", "verified", "swapped"])
def test_a_killed_encrypt_leaves_the_journal_usable(cli, db_path, with_passphrase, at):
    seed(cli)
    original = all_rows(db_path)
    before = sha(db_path)
    env = dict(os.environ, KILL_AT=at)
    done = subprocess.run([sys.executable, "-c", KILLER], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, (done.returncode, done.stderr)
    partial = [p for p in db_path.parent.iterdir() if p.name.startswith(".recoverylog.db.encrypting-")]
    if at in ("mid-export", "exported", "verified"):
        assert partial and partial[0].stat().st_size > 0  # it was stopped with a partial copy written
    if at == "swapped":  # the rename happened: the encrypted journal is complete and opens
        assert encryption.is_encrypted(db_path)
        assert all_rows(db_path, encryption.passphrase_key(PASS, "t")) == original
    else:
        assert sha(db_path) == before
        assert all_rows(db_path) == original
    cli("checkin", "--mood", "7", "--craving", "1", ok=True)
    if at != "swapped":
        assert db_path.read_bytes().startswith(encryption.SQLITE_MAGIC)
        cli("db", "encrypt", ok=True)  # a later run finishes, and removes the partial copy
        leftovers = [p.name for p in db_path.parent.iterdir() if p.name.startswith(".")]
        assert leftovers == []
        assert encryption.is_encrypted(db_path)
    cli("status", ok=True)


@needs_sqlcipher
def test_a_recoverylog_that_opened_the_plain_file_before_the_swap_cannot_write_into_the_removed_copy(
        cli, db_path, with_passphrase):
    from datetime import datetime

    from recoverylog.clock import FixedClock
    from recoverylog.storage.db import open_store

    seed(cli)
    early = open_store(db_path, FixedClock(datetime.fromisoformat("2026-11-21T10:00:00+00:00")))
    cli("db", "encrypt", ok=True)
    with pytest.raises(StorageError):
        with early.write() as conn:
            conn.execute("INSERT INTO checkins (date, mood, craving, recorded_at, recorded_on, updated_at) "
                         "VALUES ('2026-11-01', 5, 1, 'x', '2026-11-01', 'x')")
    early.close()


# -- on a terminal: the prompts -----------------------------------------------------------------------

def _on_a_terminal(args: list[str], answers: list[tuple[str, str]], env: dict) -> tuple[int, str]:
    """Run recoverylog on a pseudo-terminal; for each (prompt, answer) wait for the prompt, type the
    answer. Returns (exit status, everything shown)."""
    import pty
    import select
    import time

    pid, fd = pty.fork()
    if pid == 0:  # the child: stdin, stdout and stderr are the terminal
        os.execvpe(sys.executable, [sys.executable, "-m", "recoverylog", *args], env)
    shown = b""
    deadline = time.monotonic() + 60

    def read_until(text: bytes | None) -> None:
        nonlocal shown
        while time.monotonic() < deadline and (text is None or text not in shown):
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    return
                if not chunk:
                    return
                shown += chunk
    for prompt, answer in answers:
        read_until(prompt.encode())
        assert prompt.encode() in shown, shown.decode(errors="replace")
        shown = shown.replace(prompt.encode(), b"<" + prompt.strip().encode() + b">", 1)
        os.write(fd, answer.encode() + b"\n")
    read_until(None)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), shown.decode(errors="replace")


@needs_sqlcipher
def test_on_a_terminal_encrypt_asks_twice_and_commands_ask_for_the_passphrase(cli, db_path):
    seed(cli)
    rows = all_rows(db_path)
    env = {k: v for k, v in os.environ.items() if k != "RECOVERYLOG_NO_PROMPT"}
    code, shown = _on_a_terminal(["db", "encrypt"], [("Choose the new passphrase: ", "terminal pass"),
                                                     ("Type it again: ", "terminal pass")], env)
    assert code == 0, shown
    assert "terminal pass" not in shown  # never echoed
    assert all_rows(db_path, encryption.passphrase_key("terminal pass", "t")) == rows
    code, shown = _on_a_terminal(["status"], [("Passphrase for ", "wrong"), ("Passphrase for ", "terminal pass")], env)
    assert code == 0, shown
    assert "does not open this journal" in shown
    before = sha(db_path)
    code, shown = _on_a_terminal(["status"], [("Passphrase for ", "a"), ("Passphrase for ", "b"),
                                              ("Passphrase for ", "c")], env)
    assert code == 4 and "Could not unlock" in shown
    assert sha(db_path) == before


@needs_sqlcipher
def test_on_a_terminal_two_different_passphrases_change_nothing(cli, db_path):
    cli("checkin", "--mood", "5", "--craving", "1", ok=True)
    before = sha(db_path)
    env = {k: v for k, v in os.environ.items() if k != "RECOVERYLOG_NO_PROMPT"}
    code, shown = _on_a_terminal(["db", "encrypt"], [("Choose the new passphrase: ", "one"),
                                                     ("Type it again: ", "two")], env)
    assert code == 4 and "differ" in shown
    assert sha(db_path) == before and list(db_path.parent.iterdir()) == [db_path]


@needs_sqlcipher
@settings(max_examples=8, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=40))
def test_any_passphrase_and_its_remembered_key_open_the_same_file(tmp_path_factory, text):
    """Quotes, backslashes, spaces, emoji: the passphrase is bound, never pasted into SQL, and the
    key derived here is SQLCipher's own."""
    folder = tmp_path_factory.mktemp("p")
    plain = folder / "plain.db"
    conn = sqlite3.connect(plain)
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.execute("INSERT INTO t VALUES ('private')")
    conn.commit()
    conn.close()
    key = encryption.passphrase_key(text, "t")
    encryption.encrypt_file(plain, key)
    raw = encryption.derive_raw_key(key, encryption.salt_of(plain))
    for k in (key, raw):
        c = encryption.connect(plain, k)
        assert c.execute("SELECT x FROM t").fetchall()[0][0] == "private"
        c.close()
    with pytest.raises(StorageError):
        encryption.connect(plain, encryption.passphrase_key(text + "x", "t"))


@needs_sqlcipher
def test_a_read_only_copy_of_an_encrypted_backup_keeps_its_key(cli, encrypted_journal, tmp_path):
    """What `db restore` relies on: VACUUM INTO from the backup, opened read-only, is encrypted
    with the same key, and the backup itself is not changed."""
    backup = tmp_path / "backup.db"
    cli("db", "backup", str(backup), ok=True)
    before = sha(backup)
    conn, key = encryption.open_readonly(backup)
    assert key.source == "command"
    conn.execute("VACUUM INTO ?", (str(tmp_path / "restored.db"),))
    conn.close()
    restored = tmp_path / "restored.db"
    assert sha(backup) == before and encryption.is_encrypted(restored)
    assert NOTE.encode() not in restored.read_bytes()
    assert all_rows(restored, key) == all_rows(encrypted_journal, key)
    cli("--db", str(restored), "checkin", "--mood", "6", "--craving", "2", ok=True)


@needs_sqlcipher
def test_help_now_on_a_locked_encrypted_journal_shows_the_crisis_lines_without_asking(cli, encrypted_journal, monkeypatch):
    monkeypatch.delenv(encryption.PASSPHRASE_COMMAND)
    result = cli("help-now", "--json")
    assert result.exit_code == 0
    view = json.loads(result.stdout)
    assert view["crisis"] and "encrypted" in json.dumps(view)
    env = {k: v for k, v in os.environ.items() if k != "RECOVERYLOG_NO_PROMPT"}
    code, shown = _on_a_terminal(["help-now"], [], env)
    assert code == 0 and "Passphrase" not in shown and "988" in shown


@needs_sqlcipher
@needs_keyring
def test_help_now_with_a_remembered_key_shows_the_persons_own_plan(cli, db_path, with_passphrase, file_keyring, monkeypatch):
    seed(cli)
    cli("db", "encrypt", "--remember", ok=True)
    monkeypatch.delenv(encryption.PASSPHRASE_COMMAND)
    shown = cli("help-now", ok=True).stdout
    assert "call Sam" in shown


@needs_sqlcipher
@needs_keyring
def test_a_raw_key_from_the_passphrase_command_is_remembered_as_it_is(cli, db_path, file_keyring, tmp_path, monkeypatch):
    raw = "0f" * 32
    monkeypatch.setenv(encryption.PASSPHRASE_COMMAND, passphrase_command(tmp_path, f"x'{raw}'"))
    cli("checkin", "--mood", "5", "--craving", "1", ok=True)
    cli("db", "encrypt", "--remember", ok=True)
    assert list(json.loads(file_keyring.read_text()).values()) == [raw]
    monkeypatch.delenv(encryption.PASSPHRASE_COMMAND)
    cli("status", ok=True)


def test_a_passphrase_command_that_hangs_is_stopped(monkeypatch):
    monkeypatch.setattr(encryption, "COMMAND_TIMEOUT_S", 0.3)
    monkeypatch.setenv(encryption.PASSPHRASE_COMMAND, "sleep 30")
    with pytest.raises(StorageError) as info:
        encryption.run_passphrase_command()
    assert "within 0.3 s" in info.value.message


REKEY_STARTER = """
import os, sys
from recoverylog.storage import encryption
real_check = encryption._check_sound
def check(conn, path, *, encrypted):
    real_check(conn, path, encrypted=encrypted)
    print("REKEY", flush=True)  # the rewrite starts right after this line
encryption._check_sound = check
from recoverylog.cli import main
sys.argv = ["recoverylog", "db", "passphrase"]
main()
"""


def _ten_years(db_path: Path, note_size: int = 40) -> None:
    from datetime import date, datetime, timedelta

    from recoverylog.clock import FixedClock
    from recoverylog.storage import checkins as checkin_rows
    from recoverylog.storage.db import open_store

    store = open_store(db_path, FixedClock(datetime.fromisoformat("2026-11-21T10:00:00+00:00")))
    stamp = "2026-11-21T10:00:00+00:00"
    with store.write() as conn:
        for i in range(3650):
            day = (date(2016, 11, 21) + timedelta(days=i)).isoformat()
            checkin_rows.upsert(conn, {"date": day, "mood": 1 + i % 10, "craving": i % 11, "stress": None,
                                       "sleep": None, "halt": [], "tags": [], "gratitude": None,
                                       "note": f"day {i}: " + os.urandom(note_size // 2).hex(), "recorded_at": stamp,
                                       "recorded_on": day, "updated_at": stamp})
    store.close()


@needs_sqlcipher
@pytest.mark.parametrize("after", [0.0, 0.2])
def test_a_killed_passphrase_change_leaves_the_journal_opening_with_one_of_the_two(cli, db_path, with_passphrase, tmp_path, after):
    import time

    _ten_years(db_path, note_size=4000)  # ~50 MB with its search index: a rewrite long enough to stop in it
    cli("db", "encrypt", ok=True)
    old = encryption.passphrase_key(PASS, "t")
    rows = all_rows(db_path, old)
    env = dict(os.environ, RECOVERYLOG_NEW_PASSPHRASE_COMMAND=passphrase_command(tmp_path, "the new one", "new.txt"))
    # The kill comes from outside (this process), so it can land in the middle of the rewrite.
    child = subprocess.Popen([sys.executable, "-c", REKEY_STARTER], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "REKEY"
    time.sleep(after)
    child.kill()
    child.wait(timeout=60)
    child.stdout.close()
    child.stderr.close()
    opened, which = [], []
    for name, key in (("old", old), ("new", encryption.passphrase_key("the new one", "t"))):
        try:
            opened.append(all_rows(db_path, key))
            which.append(name)
        except StorageError:
            pass
    assert opened == [rows], which  # exactly one passphrase opens it, with every row
    # (Killed in the middle of the rewrite, SQLCipher's rollback journal brings back the old key's pages.)


@needs_sqlcipher
def test_a_refused_rename_is_one_line_and_leaves_the_journal_unchanged(cli, db_path, with_passphrase, monkeypatch):
    import errno

    seed(cli)
    before = sha(db_path)

    def refuse(temp, path):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(encryption, "_swap", refuse)
    result = cli("db", "encrypt")
    assert result.exit_code == 4 and "left unchanged" in result.stderr and result.stderr.count("\n") == 1
    monkeypatch.undo()
    assert sha(db_path) == before
    assert [p.name for p in db_path.parent.iterdir() if p.name.startswith(".")] == []


@needs_sqlcipher
def test_the_keyed_connection_behaves_like_sqlite3(encrypted_journal):
    conn = encryption.connect(encrypted_journal, encryption.passphrase_key(PASS, "t"))
    try:
        row = conn.execute("SELECT 1 AS one").fetchone()
        assert row["one"] == 1 and dict(row) == {"one": 1}      # sqlite3.Row's twin
        cursor = conn.cursor()
        cursor.row_factory = None
        assert cursor.execute("SELECT 2").fetchone() == (2,)
        cursor.row_factory = sqlite3.Row
        assert cursor.execute("SELECT 3 AS three").fetchone()["three"] == 3
        with pytest.raises(sqlite3.OperationalError):            # the standard library's classes
            conn.execute("SELECT * FROM no_such_table")
        conn.execute("CREATE TEMP TABLE t (x UNIQUE)")
        conn.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO t VALUES (1)")
    finally:
        conn.close()


@needs_sqlcipher
def test_restore_accepts_an_encrypted_backup_and_the_journal_keeps_its_key(cli, encrypted_journal, tmp_path):
    key = encryption.passphrase_key(PASS, "t")
    backup = tmp_path / "backup.db"
    cli("db", "backup", str(backup), ok=True)
    rows = all_rows(backup, key)
    cli("checkin", "--date", "2026-11-20", "--mood", "2", "--craving", "9", ok=True)  # a change after the backup
    result = cli("db", "restore", str(backup))
    if result.exit_code == 2 and "No such command" in result.stderr:
        pytest.skip("db restore is not on this branch")
    assert result.exit_code == 0, result.stderr
    assert encryption.is_encrypted(encrypted_journal) and NOTE.encode() not in encrypted_journal.read_bytes()
    assert all_rows(encrypted_journal, key) == rows
    cli("status", ok=True)


@needs_sqlcipher
def test_restore_of_an_encrypted_backup_with_a_wrong_passphrase_changes_nothing(cli, encrypted_journal, tmp_path, monkeypatch):
    backup = tmp_path / "backup.db"
    cli("db", "backup", str(backup), ok=True)
    before = sha(encrypted_journal), sha(backup)
    monkeypatch.setenv(encryption.PASSPHRASE_COMMAND, passphrase_command(tmp_path, "not it", "wrong.txt"))
    result = cli("db", "restore", str(backup))
    if result.exit_code == 2 and "No such command" in result.stderr:
        pytest.skip("db restore is not on this branch")
    assert result.exit_code == 4 and "Could not unlock" in result.stderr
    assert (sha(encrypted_journal), sha(backup)) == before


@needs_sqlcipher
def test_prompt_and_remind_on_a_locked_encrypted_journal_print_nothing(cli, encrypted_journal, monkeypatch):
    monkeypatch.delenv(encryption.PASSPHRASE_COMMAND)
    for args in (["prompt"], ["remind", "--notify"]):
        result = cli(*args)
        if result.exit_code == 2 and "No such command" in result.stderr:
            continue
        assert result.exit_code == 0 and result.stdout == "" and result.stderr == "", (args, result.stderr)
