"""Encryption at rest with SQLCipher 4 (the optional `encrypt` extra): docs/definitions.md §13.

Everything that knows about SQLCipher lives here. Nothing in this module imports `sqlcipher3` or
`keyring` at import time: a plain journal (whose file starts with "SQLite format 3\\0") never loads
them. An encrypted file has no readable header at all (SQLCipher encrypts every byte after a random
16-byte salt), so it is recognised by the absence of the SQLite header and a size that is a whole
number of pages.

Unlocking, in this order (`unlock`, and `open_encrypted` for storage/db.py):
1. `RECOVERYLOG_PASSPHRASE_COMMAND`: a command that prints the passphrase on its first line of
   stdout (a password manager's). It is split like a shell line (`shlex`) and run WITHOUT a shell:
   pipes or `$VARS` need an explicit `sh -c '…'`. A wrong passphrase from it is final (exit 4).
2. The OS keyring, if the `keyring` package is importable and the person chose `--remember`: it holds
   the raw 256-bit key derived from the passphrase and this file's salt, so opening skips PBKDF2.
3. A prompt on a terminal (never off one; never when RECOVERYLOG_NO_PROMPT is set).
Off a terminal with none of these: one clear line, exit 4.

`prompt` and `remind --notify` must never ask and never print when they cannot open the journal:

    from recoverylog.storage import encryption
    key = None
    if encryption.is_encrypted(path):
        key = encryption.unlock(path, interactive=False, silent=True)
        if key is None:
            return            # locked: print nothing
    store = open_store(path, clock, create=False, key=key)

(silent=True uses only the remembered key: a passphrase command may itself ask, e.g. pinentry.)
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from recoverylog.errors import StorageError
from recoverylog.records import record
from recoverylog.terminal import may_prompt  # the CLI's rule for asking, in one place

SQLITE_MAGIC = b"SQLite format 3\x00"
PASSPHRASE_COMMAND = "RECOVERYLOG_PASSPHRASE_COMMAND"
NEW_PASSPHRASE_COMMAND = "RECOVERYLOG_NEW_PASSPHRASE_COMMAND"
INSTALL_HINT = 'pip install "recoverylog[encrypt]"'
KEYRING_SERVICE = "recoverylog"
# SQLCipher 4 defaults (docs/definitions.md §13): PBKDF2-HMAC-SHA512, 256,000 iterations, a 16-byte
# salt at the start of the file, 256-bit AES key, 4096-byte pages.
KDF_ITERATIONS = 256_000
SALT_BYTES = 16
MIN_PAGE = 512
COMMAND_TIMEOUT_S = 120
PROMPT_TRIES = 3
BUSY_TIMEOUT_MS = 15_000


# -- recognising an encrypted file (no sqlcipher3 needed) -------------------------------------

def is_encrypted(path: Path) -> bool:
    """True when the file could be an SQLCipher journal: not empty, no SQLite header, and a whole
    number of pages long. Reads 16 bytes; never imports sqlcipher3."""
    try:
        if not os.path.isfile(path):  # a folder, a FIFO or a device is never opened here
            return False
        size = os.path.getsize(path)
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError:
        return False
    return size >= MIN_PAGE and size % MIN_PAGE == 0 and head != SQLITE_MAGIC


def salt_of(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(SALT_BYTES)


def available() -> bool:
    try:
        import sqlcipher3  # noqa: F401
    except ImportError:
        return False
    return True


def _sqlcipher():
    try:
        import sqlcipher3
    except ImportError:
        raise StorageError("Encryption needs the optional SQLCipher package, which is not installed. "
                           f"Install it with: {INSTALL_HINT}") from None
    return sqlcipher3


# -- keys ---------------------------------------------------------------------------------------

@record
class Key:
    """What opens one journal: a passphrase (SQLCipher derives the key, ~0.1 s) or a raw key
    (`x'…'`, no derivation). `source` is where it came from: command, keyring, prompt, new."""

    material: bytes
    source: str

    @property
    def is_raw(self) -> bool:
        # SQLCipher takes x'<64 hex digits>' as the 256-bit key itself (no derivation).
        body = self.material[2:-1]
        return (len(self.material) == 67 and self.material.startswith(b"x'") and self.material.endswith(b"'")
                and all(c in b"0123456789abcdefABCDEF" for c in body))

    def __repr__(self) -> str:  # never show key material in a traceback or a log
        return f"Key(source={self.source!r})"


def passphrase_key(passphrase: str, source: str) -> Key:
    if not passphrase:
        raise StorageError("The passphrase is empty; nothing was changed.")
    if "\x00" in passphrase:
        raise StorageError("The passphrase contains a NUL character; nothing was changed.")
    return Key(passphrase.encode("utf-8"), source)


def derive_raw_key(passphrase: Key, salt: bytes) -> Key:
    """SQLCipher 4's own derivation (PBKDF2-HMAC-SHA512, 256,000 rounds, the file's salt), done
    once here so that the remembered key opens the file without deriving again."""
    import hashlib

    raw = hashlib.pbkdf2_hmac("sha512", passphrase.material, salt, KDF_ITERATIONS, 32)
    return Key(b"x'" + raw.hex().encode("ascii") + b"'", "keyring")


# -- a connection that raises the standard library's sqlite3 errors ---------------------------
# sqlcipher3 is a fork of the standard sqlite3 module with its own exception classes. Every layer
# above (storage, services, sqlite-utils' migrations) catches sqlite3.Error, so the wrapper turns
# sqlcipher3's errors into the standard ones of the same name, and the rest of the code is unchanged.

def _translate(exc: Exception) -> sqlite3.Error:
    cls = getattr(sqlite3, type(exc).__name__, sqlite3.DatabaseError)
    if not (isinstance(cls, type) and issubclass(cls, sqlite3.Error)):
        cls = sqlite3.DatabaseError
    new = cls(*exc.args)
    for attr in ("sqlite_errorcode", "sqlite_errorname"):
        if hasattr(exc, attr):
            try:
                setattr(new, attr, getattr(exc, attr))
            except AttributeError:
                pass
    return new


class _Cursor:
    __slots__ = ("_cur", "_errors")

    def __init__(self, cur, errors):
        self._cur = cur
        self._errors = errors

    def _call(self, name: str, *args):
        try:
            return getattr(self._cur, name)(*args)
        except self._errors as exc:
            raise _translate(exc) from exc

    def execute(self, sql, params=()):
        self._call("execute", sql, params)
        return self

    def executemany(self, sql, seq):
        self._call("executemany", sql, seq)
        return self

    def executescript(self, script):
        self._call("executescript", script)
        return self

    def fetchone(self):
        return self._call("fetchone")

    def fetchall(self):
        return self._call("fetchall")

    def fetchmany(self, size=None):
        return self._call("fetchmany") if size is None else self._call("fetchmany", size)

    def __iter__(self) -> Iterator[Any]:
        while True:
            row = self._call("fetchone")
            if row is None:
                return
            yield row

    def close(self):
        return self._call("close")

    def __getattr__(self, name):  # lastrowid, rowcount, description, arraysize, row_factory, …
        return getattr(self._cur, name)

    def __setattr__(self, name, value):
        if name in _Cursor.__slots__:
            object.__setattr__(self, name, value)
            return
        if name == "row_factory" and value is sqlite3.Row:
            import sqlcipher3

            value = sqlcipher3.Row  # sqlite3.Row cannot wrap sqlcipher3's cursors; its twin can
        setattr(self._cur, name, value)


class EncryptedConnection:
    """A keyed sqlcipher3 connection that behaves like a sqlite3.Connection to its callers."""

    def __init__(self, conn, module):
        object.__setattr__(self, "_conn", conn)
        object.__setattr__(self, "_module", module)
        object.__setattr__(self, "_errors", module.Error)

    def _call(self, name: str, *args, **kwargs):
        try:
            return getattr(self._conn, name)(*args, **kwargs)
        except self._errors as exc:
            raise _translate(exc) from exc

    def execute(self, sql, params=()):
        return _Cursor(self._call("execute", sql, params), self._errors)

    def executemany(self, sql, seq):
        return _Cursor(self._call("executemany", sql, seq), self._errors)

    def executescript(self, script):
        return _Cursor(self._call("executescript", script), self._errors)

    def cursor(self, *args):
        return _Cursor(self._call("cursor", *args), self._errors)

    def commit(self):
        return self._call("commit")

    def rollback(self):
        return self._call("rollback")

    def close(self):
        return self._call("close")

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.commit()
        else:
            self.rollback()
        return False

    @property
    def row_factory(self):
        return self._conn.row_factory

    @row_factory.setter
    def row_factory(self, value):
        # sqlite3.Row cannot wrap sqlcipher3's cursors; its twin can.
        self._conn.row_factory = self._module.Row if value is sqlite3.Row else value

    def __getattr__(self, name):  # in_transaction, total_changes, create_function, isolation_level, …
        return getattr(self._conn, name)

    def __setattr__(self, name, value):
        if name == "row_factory":
            object.__setattr__(self, name, value)  # the property above
        else:
            setattr(self._conn, name, value)

    @property
    def raw(self):
        """The sqlcipher3 connection itself (rekey, export)."""
        return self._conn


def _keyed(path: Path, key: Key, *, uri: str | None = None):
    """A sqlcipher3 connection to `path` with `key` applied and checked; None when the key is
    wrong (or the file is not an SQLCipher database). The file is only read."""
    sqlcipher3 = _sqlcipher()
    conn = sqlcipher3.connect(uri or str(path), uri=uri is not None, isolation_level=None,
                              timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our message, not SQLCipher's log
        conn.set_key(key.material)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        if "not a database" in str(exc).lower() or "encrypted" in str(exc).lower():
            return None
        raise StorageError(f"Cannot open {path}: {str(exc).rstrip('.')}. Nothing was changed.") from None
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _wrap(conn) -> EncryptedConnection:
    import sqlcipher3

    wrapped = EncryptedConnection(conn, sqlcipher3)
    wrapped.row_factory = sqlite3.Row
    return wrapped


def connect(path: Path, key: Key) -> EncryptedConnection:
    """An open, keyed connection for storage/db.py; StorageError 'could not unlock' on a wrong key."""
    conn = _keyed(path, key)
    if conn is None:
        raise StorageError(_could_not_unlock(path, key.source))
    return _wrap(conn)


def _could_not_unlock(path: Path, source: str) -> str:
    where = {"command": f" with the passphrase from {PASSPHRASE_COMMAND}",
             "prompt": " with the passphrase typed",
             "keyring": " with the remembered key"}.get(source, "")
    return (f"Could not unlock {path}{where}: wrong passphrase, or not an encrypted recoverylog "
            "journal. The file was left unchanged.")


# -- where passphrases come from --------------------------------------------------------------



def run_passphrase_command(variable: str = PASSPHRASE_COMMAND) -> str | None:
    """The first line a passphrase command prints, or None when `variable` is unset.
    Split with shlex and run without a shell; its stderr and stdin stay the terminal's, so a
    password manager can ask for its own unlock."""
    line = os.environ.get(variable)
    if line is None or not line.strip():
        return None
    import shlex
    import subprocess
    try:
        argv = shlex.split(line)
    except ValueError as exc:
        raise StorageError(f"{variable} cannot be read as a command ({exc}). Nothing was opened.") from None
    try:
        done = subprocess.run(argv, stdout=subprocess.PIPE, timeout=COMMAND_TIMEOUT_S, check=False)
    except FileNotFoundError:
        raise StorageError(f"{variable}: the command {argv[0]!r} was not found. Nothing was opened.") from None
    except PermissionError:
        raise StorageError(f"{variable}: the command {argv[0]!r} cannot be run (permission denied). "
                           "Nothing was opened.") from None
    except subprocess.TimeoutExpired:
        raise StorageError(f"{variable}: the command gave no passphrase within {COMMAND_TIMEOUT_S} s. "
                           "Nothing was opened.") from None
    except OSError as exc:
        raise StorageError(f"{variable}: cannot run the command ({exc.strerror}). Nothing was opened.") from None
    if done.returncode != 0:
        raise StorageError(f"{variable}: the command exited with status {done.returncode} and gave no "
                           "passphrase. Nothing was opened.")
    try:
        text = done.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise StorageError(f"{variable}: the command's output is not UTF-8 text. Nothing was opened.") from None
    first = text.split("\n", 1)[0].rstrip("\r")
    if not first:
        raise StorageError(f"{variable}: the command printed an empty first line, not a passphrase. "
                           "Nothing was opened.")
    return first


def _ask(prompt: str) -> str:
    import getpass

    try:
        return getpass.getpass(prompt, stream=sys.stderr)
    except EOFError:
        raise StorageError("No passphrase was typed; nothing was opened.") from None


def new_passphrase(variable: str = PASSPHRASE_COMMAND, *, what: str = "the new passphrase") -> Key:
    """A passphrase to encrypt with: from `variable`'s command, else asked twice on a terminal."""
    from_command = run_passphrase_command(variable)
    if from_command is not None:
        return passphrase_key(from_command, "new")
    if not may_prompt():
        raise StorageError(f"No way to get {what} here: set {variable} to a command that prints it, "
                           "or run this in a terminal. Nothing was changed.")
    first = _ask(f"Choose {what}: ")
    if not first:
        raise StorageError("The passphrase is empty; nothing was changed.")
    second = _ask("Type it again: ")
    if first != second:
        raise StorageError("The two passphrases differ; nothing was changed.")
    return passphrase_key(first, "new")


# -- the OS keyring (optional package) ----------------------------------------------------------

# Modules that `import keyring` loads at its top level but uses only inside functions a check-in
# never calls (docs/definitions.md §13): urllib.request (jaraco.context's tarball download, ~15 ms
# with http.client and email), the importlib_metadata backport (entry-point discovery, which runs
# only when no backend is named), configparser (keyring's own config file) and more_itertools
# (jaraco.functools' print_yielded, ~3 ms). Each is put in
# sys.modules as a lazy module (importlib.util.LazyLoader): it executes on its first attribute
# access, so whoever really uses it gets the real module. Only modules not loaded yet are deferred,
# and only for the keyring import.
KEYRING_DEFERRED = ("urllib.request", "importlib_metadata", "configparser", "more_itertools")


def _deferred_class(lazy: type) -> type:
    """LazyLoader's module type, except that reading `__spec__` does not load the module: an
    `import` statement that finds the module in sys.modules reads `module.__spec__._initializing`,
    which would otherwise execute it at once. Every other attribute loads it, as LazyLoader does."""

    class Deferred(lazy):
        def __getattribute__(self, attr):
            if attr == "__spec__":
                return object.__getattribute__(self, "__dict__")["__spec__"]
            return super().__getattribute__(attr)

    return Deferred


def _defer(names: tuple[str, ...]) -> list[str]:
    """Install a lazy module for each of `names` not imported yet; the names deferred."""
    import importlib.util

    deferred = []
    for name in names:
        if name in sys.modules:
            continue
        try:
            spec = importlib.util.find_spec(name)  # imports a parent package (urllib: tiny)
        except (ImportError, ValueError):
            continue
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            continue
        loader = importlib.util.LazyLoader(spec.loader)
        spec.loader = loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        loader.exec_module(module)
        module.__class__ = _deferred_class(type(module))
        parent, _, child = name.rpartition(".")
        if parent:  # `import urllib.request` then reads urllib.request as an attribute
            setattr(sys.modules[parent], child, module)
        deferred.append(name)
    return deferred


def _keyring():
    if "keyring" in sys.modules:
        return sys.modules["keyring"]
    import importlib.util

    try:
        if importlib.util.find_spec("keyring") is None:
            return None
    except (ImportError, ValueError):
        return None
    _defer(KEYRING_DEFERRED)
    try:
        import keyring
    except ImportError:
        return None
    return keyring


def _keyring_user(salt: bytes) -> str:
    # The salt travels with the file (moves and renames keep it; so does a `db backup` copy, which
    # SQLCipher writes with the same salt and key), and it is already readable in the file itself.
    return f"journal-{salt.hex()}"


# Which keyring backend holds a journal's key (docs/definitions.md §13). Not a secret: the name of
# a Python class, e.g. keyring.backends.SecretService.Keyring, in a small file beside the journal,
# tied to the journal by its salt. At unlock that backend is loaded directly, which skips keyring's
# look through every installed backend (entry points) - unless PYTHON_KEYRING_BACKEND, keyring's own
# config file or an in-process keyring.set_keyring() names one: those always win. When the recorded
# backend cannot be loaded or does not hold the key, keyring's own choice is asked as before.
BACKEND_HINT_KEYS = {"salt", "backend"}
_BACKEND_NAME_MAX = 200


def backend_hint_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.keyring-backend")


def _valid_backend_name(name: object) -> bool:
    if not isinstance(name, str) or not 3 <= len(name) <= _BACKEND_NAME_MAX or "." not in name:
        return False
    return all(part.isidentifier() and part.isascii() for part in name.split("."))


def backend_name(backend: object) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _recordable(name: str) -> bool:
    # fail/null store nothing; the chainer asks every backend in turn (loading it is discovery).
    return _valid_backend_name(name) and not name.startswith(
        ("keyring.backends.fail.", "keyring.backends.null.", "keyring.backends.chainer."))


def read_backend_hint(path: Path, salt: bytes) -> str | None:
    """The backend name recorded for the journal at `path` with this salt, or None (no file, not
    ours, another journal's, or not the expected shape: {"salt": hex, "backend": dotted name})."""
    import json

    try:
        with open(backend_hint_path(path), encoding="utf-8") as handle:
            data = json.loads(handle.read(1024))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or set(data) != BACKEND_HINT_KEYS or data["salt"] != salt.hex():
        return None
    name = data["backend"]
    return name if _valid_backend_name(name) and _recordable(name) else None


def write_backend_hint(path: Path, salt: bytes, name: str) -> bool:
    """Record `name` for the journal at `path` (atomically, mode 0600); False when it cannot be
    written (the key is remembered all the same: unlocking then asks keyring's own choice)."""
    import json

    if not _recordable(name):
        remove_backend_hint(path)
        return False
    target = backend_hint_path(path)
    temp = target.with_name(f"{target.name}.{os.getpid()}")
    try:
        fd = os.open(temp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps({"salt": salt.hex(), "backend": name}) + "\n")
        os.replace(temp, target)
    except OSError:
        try:
            temp.unlink(missing_ok=True)
        except OSError:
            pass
        return False
    return True


def remove_backend_hint(path: Path) -> None:
    try:
        backend_hint_path(path).unlink(missing_ok=True)
    except OSError:
        pass


def _recorded_backend(keyring, path: Path, salt: bytes):
    """The recorded backend, loaded by name, when keyring has not been told which one to use;
    else None (then keyring's own choice is used)."""
    if os.environ.get("PYTHON_KEYRING_BACKEND"):
        return None
    core = keyring.core
    if getattr(core, "_keyring_backend", None) is not None:  # set_keyring() in this process
        return None
    name = read_backend_hint(path, salt)
    if name is None:
        return None
    try:
        from keyring.util import platform_

        if (platform_.config_root() / "keyringrc.cfg").exists():  # keyring's own config wins
            return None
        backend = core.load_keyring(name)  # imports that one module; raises when not viable here
    except Exception:  # noqa: BLE001 - a name that no longer loads: keyring's own choice
        return None
    if not isinstance(backend, keyring.backend.KeyringBackend):
        return None
    return backend


def remembered_key(path: Path) -> Key | None:
    """The raw key stored by `--remember`, or None (no keyring package, no backend, no entry)."""
    keyring = _keyring()
    if keyring is None:
        return None
    try:
        salt = salt_of(path)
    except OSError:
        return None
    user = _keyring_user(salt)
    value = None
    recorded = _recorded_backend(keyring, path, salt)
    if recorded is not None:
        try:
            value = recorded.get_password(KEYRING_SERVICE, user)
        except Exception:  # noqa: BLE001 - ask keyring's own choice instead
            value = None
    if value is None:
        try:
            value = keyring.get_password(KEYRING_SERVICE, user)
        except Exception:  # any backend failure means "not remembered", never a traceback
            return None
    if not value or len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        return None
    return Key(b"x'" + value.encode("ascii") + b"'", "keyring")


def keyring_usable() -> str | None:
    """None when a key can be remembered here, else why not (one sentence)."""
    keyring = _keyring()
    if keyring is None:
        return "--remember needs the keyring package: pip install keyring"
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 - a broken backend is reported, not raised
        return f"--remember: the OS keyring cannot be used ({exc})."
    name = type(backend).__module__ + "." + type(backend).__name__
    if name.startswith(("keyring.backends.fail", "keyring.backends.null")) or getattr(backend, "priority", 1) <= 0:
        return ("--remember: no OS keyring is available on this machine (keyring found none), "
                "so the key cannot be remembered.")
    return None


def remember(salt: bytes, raw: Key, path: Path | None = None) -> None:
    """Store the raw key for the journal whose file starts with `salt` (in keyring's own choice of
    backend); with `path`, record beside the journal which backend that was (its name only)."""
    keyring = _keyring()
    if keyring is None:
        raise StorageError("--remember needs the keyring package: pip install keyring")
    value = raw.material[2:-1].decode("ascii").lower()
    try:
        backend = keyring.get_keyring()
        backend.set_password(KEYRING_SERVICE, _keyring_user(salt), value)
    except Exception as exc:  # noqa: BLE001
        raise StorageError(f"The key could not be stored in the OS keyring ({exc}).") from None
    if path is not None:
        write_backend_hint(path, salt, backend_name(backend))


def forget(salt: bytes, path: Path | None = None) -> bool:
    """Remove the remembered key of the journal whose file starts with `salt`; True when one was.
    With `path`, the record of its backend beside the journal goes too."""
    if path is not None and read_backend_hint(path, salt) is not None:
        remove_backend_hint(path)
    keyring = _keyring()
    if keyring is None:
        return False
    try:
        keyring.delete_password(KEYRING_SERVICE, _keyring_user(salt))
    except Exception:  # noqa: BLE001 - nothing stored is fine
        return False
    return True


# -- unlocking ----------------------------------------------------------------------------------

def _locked_message(path: Path, *, stale: bool = False) -> str:
    if not available():
        return (f"{path} is not an SQLite file: either an encrypted recoverylog journal or another kind "
                f"of file; it was left unchanged. To open an encrypted journal, install: {INSTALL_HINT}")
    remembered = "the remembered key no longer opens it" if stale else "no remembered key"
    return (f"{path} is encrypted (it is not an SQLite file) and cannot be unlocked here: no terminal "
            f"to ask on, no {PASSPHRASE_COMMAND}, {remembered}. It was left unchanged.")


def _unlock_connection(path: Path, *, interactive: bool | None = None, silent: bool = False):
    """(sqlcipher3 connection, key) for an encrypted file, or (None, None) when silent and locked."""
    if silent:
        if not available():
            return None, None
        key = remembered_key(path)
        conn = _keyed(path, key) if key is not None else None
        return (conn, key) if conn is not None else (None, None)
    if not available():
        raise StorageError(_locked_message(path))
    passphrase = run_passphrase_command()
    if passphrase is not None:
        key = passphrase_key(passphrase, "command")
        conn = _keyed(path, key)
        if conn is None:
            raise StorageError(_could_not_unlock(path, "command"))
        return conn, key
    key = remembered_key(path)
    if key is not None:
        conn = _keyed(path, key)
        if conn is not None:
            return conn, key
    if interactive is None:
        interactive = may_prompt()
    if not interactive:
        raise StorageError(_locked_message(path, stale=key is not None))
    for _ in range(PROMPT_TRIES):
        typed = _ask(f"Passphrase for {path}: ")
        if not typed:
            continue
        key = passphrase_key(typed, "prompt")
        conn = _keyed(path, key)
        if conn is not None:
            return conn, key
        print("That passphrase does not open this journal.", file=sys.stderr)
    raise StorageError(_could_not_unlock(path, "prompt"))


def unlock(path: Path, *, interactive: bool | None = None, silent: bool = False) -> Key | None:
    """The key that opens the encrypted journal at `path`.

    silent=True never asks, never prints and never runs the passphrase command: it returns the
    remembered key when it opens the file, else None. Otherwise it raises StorageError (exit 4)
    when the journal cannot be unlocked."""
    conn, key = _unlock_connection(path, interactive=interactive, silent=silent)
    if conn is not None:
        conn.close()
    return key


def unlock_without_asking(path: Path) -> Key | None:
    """For commands that must show something at once (help-now): None for a plain file; the
    remembered key for an encrypted one; StorageError (exit 4, one line) when it is locked."""
    if not is_encrypted(path):
        return None
    key = unlock(path, interactive=False, silent=True)
    if key is None:
        raise StorageError("the journal is encrypted and could not be opened without asking for its "
                           "passphrase")
    return key


def open_encrypted(path: Path, key: Key | None = None) -> tuple[sqlite3.Connection, Key]:
    """For storage/db.py: an unlocked connection (with `key`, or by the unlock order above). It is
    an EncryptedConnection, which stands in for a sqlite3.Connection (same methods, same errors)."""
    if key is None:
        conn, found = _unlock_connection(path)
        if conn is None or found is None:  # only a silent unlock returns nothing
            raise StorageError(_locked_message(path))
        return cast(sqlite3.Connection, _wrap(conn)), found
    return cast(sqlite3.Connection, connect(path, key)), key


def open_readonly(path: Path, key: Key | None = None) -> tuple[sqlite3.Connection, Key]:
    """An encrypted file (e.g. a backup to restore) opened read-only, unlocked with `key` or by the
    usual order. `VACUUM INTO` from it writes a copy encrypted with the same key and salt."""
    uri = _file_uri(path)
    if key is None:
        key = unlock(path)
        if key is None:  # not silent: unlock raises rather than return nothing
            raise StorageError(_locked_message(path))
    conn = _keyed(path, key, uri=uri)
    if conn is None:
        raise StorageError(_could_not_unlock(path, key.source))
    return cast(sqlite3.Connection, _wrap(conn)), key


# -- encrypt, decrypt, change the passphrase --------------------------------------------------------

@record
class Converted:
    path: Path
    tables: int
    rows: int
    raw_key: Key | None = None


def _file_uri(path: Path, mode: str = "ro") -> str:
    return f"{path.resolve().as_uri()}?mode={mode}"


def _temp_beside(path: Path, what: str) -> Path:
    return path.with_name(f".{path.name}.{what}-{os.getpid()}")


def remove_stale_temps(path: Path) -> None:
    """Partial copies left by a killed encrypt/decrypt (their process is gone)."""
    for what in ("encrypting", "decrypting"):
        for temp in path.parent.glob(f".{path.name}.{what}-*"):
            pid = temp.name.rsplit("-", 1)[-1]
            if pid.isdigit() and not _alive(int(pid)):
                temp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _tables(conn) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_stat%' "
        "ORDER BY name").fetchall()]


def _rows(conn, table: str):
    quoted = '"' + table.replace('"', '""') + '"'
    info = conn.execute(f"PRAGMA table_info({quoted})").fetchall()
    columns = len(info)
    without_rowid = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    if without_rowid and "without rowid" in without_rowid.lower():
        order = ", ".join(str(i + 1) for i in range(columns))
        return conn.execute(f"SELECT * FROM {quoted} ORDER BY {order}")
    return conn.execute(f"SELECT rowid, * FROM {quoted} ORDER BY rowid")


def compare(source, copy) -> tuple[int, int]:
    """Schema, header values and every row of every table, one by one. (tables, rows) when equal;
    StorageError when anything differs."""
    def schema(conn):
        return sorted(tuple(r) for r in conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall())

    if schema(source) != schema(copy):
        raise StorageError("The converted copy's tables differ from the journal's; nothing was changed.")
    for pragma in ("user_version", "application_id"):
        if source.execute(f"PRAGMA {pragma}").fetchone()[0] != copy.execute(f"PRAGMA {pragma}").fetchone()[0]:
            raise StorageError(f"The converted copy's {pragma} differs; nothing was changed.")
    tables = _tables(source)
    total = 0
    for table in tables:
        left, right = _rows(source, table), _rows(copy, table)
        while True:
            a, b = left.fetchmany(500), right.fetchmany(500)
            if [tuple(r) for r in a] != [tuple(r) for r in b]:
                raise StorageError(f"The converted copy differs from the journal in table {table}; "
                                   "nothing was changed.")
            total += len(a)
            if not a:
                break
    return len(tables), total


def _swap(temp: Path, path: Path) -> None:
    """Atomic: a rename in the same folder. The old file's name now points at the new one."""
    for side in ("-journal", "-wal"):
        if path.with_name(path.name + side).exists():
            raise StorageError(f"{path} has an unfinished write ({path.name}{side}); open it once with "
                               "recoverylog, then try again. Nothing was changed.")
    from recoverylog.outfile import fsync_dir, fsync_file

    fsync_file(temp)
    os.replace(temp, path)
    fsync_dir(path.parent)


def _export(source_conn, temp: Path, key: bytes) -> None:
    """sqlcipher_export into a new file attached with `key` (b'' = a plain SQLite file)."""
    user_version = source_conn.execute("PRAGMA main.user_version").fetchone()[0]
    app_id = source_conn.execute("PRAGMA main.application_id").fetchone()[0]
    old_umask = os.umask(0o077)
    try:
        source_conn.execute("ATTACH DATABASE ? AS converted KEY ?", (str(temp), key))
        try:
            source_conn.execute("SELECT sqlcipher_export('converted')").fetchall()
            # sqlcipher_export copies schema and rows, not the header's two numbers.
            source_conn.execute(f"PRAGMA converted.user_version = {int(user_version)}")
            source_conn.execute(f"PRAGMA converted.application_id = {int(app_id)}")
        finally:
            source_conn.execute("DETACH DATABASE converted")
    finally:
        os.umask(old_umask)
    os.chmod(temp, 0o600)


# A named point between steps: tests stop a real process at each one (a no-op otherwise).
STEPS = ("checked", "exported", "verified", "swapped")


def _step(name: str) -> None:
    """Between two steps of a conversion (no-op)."""


def _convert(path: Path, *, key: Key, to_encrypted: bool) -> Converted:
    """Write a converted copy beside the journal (encrypted with `key`, or plain), check it row for
    row against the journal, then swap it in by a rename in the same folder.

    The journal is only read until the rename, so a stop at any point before it leaves the journal
    as it was (and a partial hidden copy that the next run removes). A write lock is held on the
    journal throughout: a check-in typed meanwhile waits, then is refused as busy (nothing lost).
    After the rename the old file's first page is zeroed through the still-open handle, so a
    recoverylog that had it open before cannot write into the removed copy unseen. The caller
    makes the backup first."""
    sqlcipher3 = _sqlcipher()
    remove_stale_temps(path)
    temp = _temp_beside(path, "encrypting" if to_encrypted else "decrypting")
    temp.unlink(missing_ok=True)
    guard = source = None
    swapped = False
    try:
        if to_encrypted:
            guard = sqlcipher3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
            source = sqlcipher3.connect(_file_uri(path), uri=True, isolation_level=None)
            source.execute("PRAGMA cipher_log_level = NONE")
        else:
            guard = _keyed(path, key)
            source = _keyed(path, key, uri=_file_uri(path))
            if guard is None or source is None:
                raise StorageError(_could_not_unlock(path, key.source))
        guard.execute("BEGIN IMMEDIATE")
        _check_sound(source, path, encrypted=not to_encrypted)
        _step("checked")
        _export(source, temp, key.material if to_encrypted else b"")
        _step("exported")
        if to_encrypted:
            copy = _keyed(temp, key)
            if copy is None:
                raise StorageError("The encrypted copy does not open with the new passphrase; nothing was changed.")
        else:
            copy = sqlcipher3.connect(_file_uri(temp), uri=True, isolation_level=None)
            with open(temp, "rb") as handle:
                if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                    copy.close()
                    raise StorageError("The decrypted copy is not a plain SQLite file; nothing was changed.")
        try:
            _check_sound(copy, temp, encrypted=to_encrypted)
            tables, rows = compare(source, copy)
        finally:
            copy.close()
        raw = None
        if to_encrypted:  # what --remember stores: the key itself, never the passphrase
            raw = Key(key.material, "keyring") if key.is_raw else derive_raw_key(key, salt_of(temp))
        _step("verified")
        old = os.open(path, os.O_RDWR)
        try:
            _swap(temp, path)
            swapped = True
            _step("swapped")
            if hasattr(os, "pwrite") and os.fstat(old).st_nlink == 0:  # the removed copy only
                os.pwrite(old, bytes(MIN_PAGE * 8), 0)
        finally:
            os.close(old)
    except sqlcipher3.Error as exc:
        raise StorageError(f"Converting {path} did not finish ({str(exc).rstrip('.')}); "
                           "the journal was left unchanged.") from None
    except OSError as exc:  # no room for the copy, a read-only folder, a rename refused
        if is_encrypted(path) == to_encrypted and swapped:
            raise StorageError(f"{path} was converted, but the last step did not finish ({exc.strerror}).") from None
        raise StorageError(f"Converting {path} did not finish ({exc.strerror}); "
                           "the journal was left unchanged.") from None
    finally:
        for conn in (source, guard):
            if conn is not None:
                conn.close()
        temp.unlink(missing_ok=True)
    return Converted(path, tables, rows, raw)


def encrypt_file(path: Path, key: Key) -> Converted:
    return _convert(path, key=key, to_encrypted=True)


def decrypt_file(path: Path, key: Key) -> Converted:
    return _convert(path, key=key, to_encrypted=False)


def change_passphrase(path: Path, old: Key, new: Key) -> Key:
    """PRAGMA rekey: SQLCipher rewrites every page under the new key in one transaction (the
    salt stays). Returns the new raw key (for the keyring)."""
    sqlcipher3 = _sqlcipher()
    conn = _keyed(path, old)
    if conn is None:
        raise StorageError(_could_not_unlock(path, old.source))
    try:
        _check_sound(conn, path, encrypted=True)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.reset_key(new.material)
    except sqlcipher3.Error as exc:
        raise StorageError(f"The passphrase of {path} was not changed ({exc}).") from None
    finally:
        conn.close()
    check = _keyed(path, new)
    if check is None:
        raise StorageError(f"{path} does not open with the new passphrase after the change. "
                           "Restore the backup you made before.")
    check.close()
    return Key(new.material, "keyring") if new.is_raw else derive_raw_key(new, salt_of(path))


def _check_sound(conn, path: Path, *, encrypted: bool) -> None:
    rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    problems = [r for r in rows if r != "ok"]
    if encrypted:
        problems += [r[0] for r in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
    if problems:
        raise StorageError(f"{path} did not pass its integrity check ({problems[0]}); nothing was changed. "
                           "Restore a backup.")


def check_plain(path: Path) -> None:
    """quick_check on a plain journal before it is encrypted (read-only)."""
    conn = sqlite3.connect(_file_uri(path), uri=True)
    try:
        _check_sound(conn, path, encrypted=False)
    except sqlite3.Error as exc:
        raise StorageError(f"{path} cannot be checked ({exc}); nothing was changed.") from None
    finally:
        conn.close()

