"""The journal's private signing key: one file beside the database (docs/definitions.md §8).

`recoverylog.db` → `recoverylog.db.key`, mode 0600 in the database's 0700 folder. It is never
read by an export: only the signing code asks for it, and only the PEM text is stored. Nothing
here imports `cryptography`: reading and writing the file is plain file work."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from recoverylog.errors import InputError, StorageError

MAX_KEY_FILE_BYTES = 16 * 1024
PEM_BEGIN = b"-----BEGIN PRIVATE KEY-----"


def key_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".key")


def has_key(db_path: Path) -> bool:
    return key_path(db_path).is_file()


def read_pem(path: Path, label: str | None = None) -> bytes:
    """The bytes of a key file, size-checked first."""
    label = label or str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        from recoverylog.errors import NotFoundError

        raise NotFoundError(f"{label}: no such file.") from None
    except OSError as exc:
        raise StorageError(f"Cannot read {label}: {exc.strerror}.") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{label}: not a regular file; not read.")
    if info.st_size > MAX_KEY_FILE_BYTES:
        raise InputError(f"{label}: too large to be a key file; not read.")
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_KEY_FILE_BYTES + 1)
    except OSError as exc:
        raise StorageError(f"Cannot read {label}: {exc.strerror}.") from None


def read_private(db_path: Path) -> bytes | None:
    """The journal's private key (PEM), or None when it has none."""
    path = key_path(db_path)
    if not path.exists():
        return None
    return read_pem(path, f"The signing key {path}")


def write_private_file(path: Path, pem: bytes, *, replace: bool = False) -> None:
    """Write a private key file, mode 0600 from the first byte (temp file + rename)."""
    path = path.expanduser()
    if not path.parent.is_dir():
        raise StorageError(f"The folder {path.parent} does not exist; nothing was written.")
    if path.exists() and not replace:
        raise InputError(f"{path} already exists; nothing was written.")
    temp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise StorageError(f"Cannot write {path}: {exc.strerror}. Nothing was written.") from None


def ensure_folder(db_path: Path) -> None:
    """The database's folder, created 0700 when missing (as opening the database would)."""
    parent = db_path.parent
    if not parent.exists():
        try:
            parent.mkdir(mode=0o700, parents=True)
        except OSError as exc:
            raise StorageError(f"Cannot create the folder {parent}: {exc.strerror}.") from None


def write_private(db_path: Path, pem: bytes, *, replace: bool = False) -> Path:
    """Store the journal's key. Replacing keeps the old one beside it (`….key.replaced-N`)."""
    ensure_folder(db_path)
    path = key_path(db_path)
    if path.exists() and replace:
        number = 1
        while path.with_name(f"{path.name}.replaced-{number}").exists():
            number += 1
        os.replace(path, path.with_name(f"{path.name}.replaced-{number}"))
    write_private_file(path, pem, replace=False)
    return path
