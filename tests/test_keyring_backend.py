"""The recorded keyring backend (docs/definitions.md §13): `--remember` notes, beside the journal,
the name of the backend that stored the key; unlocking loads that one directly instead of looking
through every installed backend, unless PYTHON_KEYRING_BACKEND, keyring's own config file or
set_keyring() names one. The key itself is only ever in the keyring.

Needs the encrypt extra (sqlcipher3 and keyring)."""

from __future__ import annotations

import json
import os
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoverylog.storage import encryption

try:
    import keyring  # noqa: F401

    HAS_KEYRING = True
except ImportError:
    HAS_KEYRING = False
pytestmark = pytest.mark.skipif(not (HAS_KEYRING and encryption.available()),
                                reason="the encrypt extra is not installed (sqlcipher3 and keyring)")

TESTS = Path(__file__).parent
PASS = "a passphrase for the backend tests"
FILE_BACKEND = "_keyring_file.FileKeyring"


@pytest.fixture
def file_keyring(tmp_path, monkeypatch):
    import keyring
    from keyring.backends import null

    sys.path.insert(0, str(TESTS))
    from _keyring_file import FileKeyring

    store = tmp_path / "keyring.json"
    monkeypatch.setenv("RECOVERYLOG_TEST_KEYRING", str(store))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", FILE_BACKEND)
    keyring.set_keyring(FileKeyring())
    yield store
    keyring.set_keyring(null.Keyring())
    sys.path.remove(str(TESTS))


@pytest.fixture
def remembered(cli, db_path, file_keyring, tmp_path, monkeypatch):
    """An encrypted journal whose key is remembered in the file keyring; the passphrase command unset."""
    secret = tmp_path / "pass.txt"
    secret.write_text(PASS + "\n")
    monkeypatch.setenv(encryption.PASSPHRASE_COMMAND, f"cat {shlex.quote(str(secret))}")
    cli("checkin", "--mood", "6", "--craving", "2", ok=True)
    cli("db", "encrypt", "--remember", ok=True)
    for side in db_path.parent.glob("*.bak"):
        side.unlink()
    monkeypatch.delenv(encryption.PASSPHRASE_COMMAND)
    return db_path


def unlock_in_fresh_process(path: Path, tmp_path: Path, *, before: str = "", **env_extra: str) -> dict:
    """remembered_key(path) in a new interpreter with PYTHON_KEYRING_BACKEND unset (unless given)
    and keyring's config folder under tmp_path; which of the deferred modules ran."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RECOVERYLOG_", "PYTHON_KEYRING"))}
    env.update(PYTHONPATH=os.pathsep.join([str(TESTS), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
               RECOVERYLOG_TEST_KEYRING=str(tmp_path / "keyring.json"), HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "share"))
    env.update(env_extra)
    code = (f"import sys, json, types\n{before}\nfrom pathlib import Path\n"
            "from recoverylog.storage import encryption\n"
            f"key = encryption.remembered_key(Path({str(path)!r}))\n"
            "m = sys.modules.get('importlib_metadata')\n"
            "print(json.dumps({'key': None if key is None else key.material.decode(),\n"
            "                  'discovery': m is not None and type(m) is types.ModuleType}))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         cwd=tmp_path, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def stored_raw(file_keyring: Path) -> str:
    return next(iter(json.loads(file_keyring.read_text()).values()))


def test_remember_records_the_backend_name_and_nothing_secret(remembered, file_keyring):
    hint = encryption.backend_hint_path(remembered)
    data = json.loads(hint.read_text())
    assert data == {"salt": encryption.salt_of(remembered).hex(), "backend": FILE_BACKEND}
    assert stored_raw(file_keyring) not in hint.read_text() and PASS not in hint.read_text()
    assert stat.S_IMODE(hint.stat().st_mode) == 0o600


def test_unlock_loads_the_recorded_backend_without_discovery(remembered, file_keyring, tmp_path):
    got = unlock_in_fresh_process(remembered, tmp_path)
    assert got == {"key": f"x'{stored_raw(file_keyring)}'", "discovery": False}


def test_pythonkeyringbackend_still_wins_over_the_record(remembered, tmp_path):
    got = unlock_in_fresh_process(remembered, tmp_path, PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    assert got["key"] is None  # the named (empty) keyring was asked, not the recorded one


def test_keyrings_own_config_file_still_wins_over_the_record(remembered, tmp_path):
    config = tmp_path / "config" / "python_keyring"
    config.mkdir(parents=True)
    (config / "keyringrc.cfg").write_text("[backend]\ndefault-keyring = keyring.backends.null.Keyring\n")
    assert unlock_in_fresh_process(remembered, tmp_path)["key"] is None


def test_set_keyring_in_process_still_wins_over_the_record(remembered, monkeypatch):
    import keyring
    from keyring.backends import null

    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    keyring.set_keyring(null.Keyring())
    assert encryption.remembered_key(remembered) is None


@pytest.mark.parametrize("backend", ["no_such_module.Keyring", "_keyring_file.NoSuchClass",
                                     "keyring.backends.null.Keyring"])
def test_a_record_that_does_not_load_or_hold_the_key_falls_back_to_discovery(remembered, file_keyring,
                                                                              tmp_path, backend):
    hint = encryption.backend_hint_path(remembered)
    hint.write_text(json.dumps({"salt": encryption.salt_of(remembered).hex(), "backend": backend}))
    # discovery then finds the file keyring (imported, so registered) as keyring would on a desktop
    got = unlock_in_fresh_process(remembered, tmp_path, before="import _keyring_file")
    assert got == {"key": f"x'{stored_raw(file_keyring)}'", "discovery": True}


def test_another_journals_record_is_ignored(remembered, file_keyring, tmp_path):
    hint = encryption.backend_hint_path(remembered)
    hint.write_text(json.dumps({"salt": "00" * 16, "backend": FILE_BACKEND}))
    assert encryption.read_backend_hint(remembered, encryption.salt_of(remembered)) is None
    got = unlock_in_fresh_process(remembered, tmp_path, before="import _keyring_file")
    assert got["key"] == f"x'{stored_raw(file_keyring)}'" and got["discovery"] is True


def test_decrypt_and_forget_remove_the_record(cli, remembered, file_keyring, tmp_path, monkeypatch):
    hint = encryption.backend_hint_path(remembered)
    new = tmp_path / "new.txt"
    new.write_text("another passphrase\n")
    monkeypatch.setenv(encryption.NEW_PASSPHRASE_COMMAND, f"cat {shlex.quote(str(new))}")
    cli("db", "passphrase", ok=True)  # remembered before: kept, and the record with it
    assert json.loads(hint.read_text())["backend"] == FILE_BACKEND
    new.write_text("a third passphrase\n")
    cli("db", "passphrase", "--forget", ok=True)
    assert not hint.exists() and json.loads(file_keyring.read_text()) == {}
    new.write_text("a fourth passphrase\n")
    monkeypatch.setenv(encryption.PASSPHRASE_COMMAND, f"cat {shlex.quote(str(tmp_path / 'old.txt'))}")
    (tmp_path / "old.txt").write_text("a third passphrase\n")
    cli("db", "passphrase", "--remember", ok=True)
    assert hint.exists()
    monkeypatch.setenv(encryption.PASSPHRASE_COMMAND, f"cat {shlex.quote(str(new))}")
    cli("db", "decrypt", ok=True)
    assert not hint.exists()


def test_a_fail_or_null_backend_is_never_recorded(tmp_path):
    path = tmp_path / "j.db"
    for name in ("keyring.backends.fail.Keyring", "keyring.backends.null.Keyring",
                 "keyring.backends.chainer.ChainerBackend", "not a name", ""):
        assert encryption.write_backend_hint(path, b"s" * 16, name) is False
        assert not encryption.backend_hint_path(path).exists()


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_hint_file_is_read_without_error_and_only_a_dotted_name_comes_out(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("hint") / "j.db"
    encryption.backend_hint_path(path).write_bytes(content)
    name = encryption.read_backend_hint(path, b"s" * 16)
    assert name is None or encryption._valid_backend_name(name)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.binary(min_size=16, max_size=16))
def test_a_hint_round_trips_exactly_when_the_name_is_recordable(tmp_path_factory, name, salt):
    path = tmp_path_factory.mktemp("hint") / "j.db"
    written = encryption.write_backend_hint(path, salt, name)
    assert written == encryption._recordable(name)
    assert encryption.read_backend_hint(path, salt) == (name if written else None)
    if written:
        assert encryption.read_backend_hint(path, bytes(16) if salt != bytes(16) else b"\x01" * 16) is None
