"""`db encrypt`, `db decrypt`, `db passphrase`: encryption at rest (docs/definitions.md §13).

Every SQLCipher detail is in storage/encryption.py; these commands only order the steps and
say what happened. Passphrases are asked before any write, never inside a transaction."""

from __future__ import annotations

from pathlib import Path

import typer

from recoverylog.cli.state import state


def _backup_path(path: Path, what: str, clock) -> Path:
    """A new name beside the journal (never replacing an earlier backup)."""
    stamp = clock.now().strftime("%Y%m%dT%H%M%S")
    candidate = path.with_name(f"{path.name}.before-{what}-{stamp}.bak")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.before-{what}-{stamp}-{n}.bak")
        n += 1
    return candidate


def encrypt(ctx: typer.Context,
            remember: bool = typer.Option(False, "--remember",
                                          help="Keep the key in your OS keyring so daily commands open the "
                                          "journal without asking (needs the keyring package).")) -> None:
    """Encrypt the journal with a passphrase (SQLCipher). Checks the file, backs it up, writes an
    encrypted copy, checks it row for row and swaps it in. The passphrase comes from
    RECOVERYLOG_PASSPHRASE_COMMAND, or is asked twice on a terminal. The backup it makes first is
    not encrypted: delete it (or keep it somewhere safe) once the journal opens."""
    from recoverylog.errors import InputError, StorageError, UsageError
    from recoverylog.render import encryption as say
    from recoverylog.render.console import info
    from recoverylog.storage import encryption
    from recoverylog.storage.db import backup

    app_state = state(ctx)
    path = app_state.db_path
    if not encryption.available():
        raise StorageError("Encryption needs the optional SQLCipher package, which is not installed. "
                           f"Install it with: {encryption.INSTALL_HINT}")
    if path.exists() and encryption.is_encrypted(path):
        raise InputError(f"{path} is already encrypted. To change its passphrase: recoverylog db passphrase")
    if remember and (reason := encryption.keyring_usable()):
        raise UsageError(reason)
    store = app_state.store(create=False)  # ours, sound header, migrated
    key = encryption.new_passphrase()
    encryption.check_plain(path)
    copy = backup(store, _backup_path(path, "encryption", app_state.clock))
    app_state.close()
    result = encryption.encrypt_file(path, key)
    for line in say.encrypted(path, result.tables, result.rows, copy):
        info(line)
    if remember:
        try:
            encryption.remember(encryption.salt_of(path), result.raw_key, path)
            info(say.remembered(True))
        except StorageError as exc:
            info(say.remembered(False, exc.message))


def decrypt(ctx: typer.Context) -> None:
    """Turn an encrypted journal back into a plain SQLite file (anyone who can read the file can
    then read the journal). An encrypted backup is made first; a remembered key is forgotten."""
    from recoverylog.errors import InputError
    from recoverylog.render import encryption as say
    from recoverylog.render.console import info
    from recoverylog.storage import encryption
    from recoverylog.storage.db import backup, open_store

    app_state = state(ctx)
    path = app_state.db_path
    if not path.exists() or not encryption.is_encrypted(path):
        raise InputError(f"{path} is not encrypted; nothing to do.")
    key = encryption.unlock(path)
    salt = encryption.salt_of(path)
    store = open_store(path, app_state.clock, create=False, key=key)
    try:
        copy = backup(store, _backup_path(path, "decryption", app_state.clock))
    finally:
        store.close()
    result = encryption.decrypt_file(path, key)
    encryption.forget(salt, path)
    for line in say.decrypted(path, result.tables, result.rows, copy):
        info(line)


def passphrase(ctx: typer.Context,
               remember: bool = typer.Option(False, "--remember", help="Remember the new key in the OS keyring."),
               forget: bool = typer.Option(False, "--forget", help="Remove the remembered key from the OS keyring.")) -> None:
    """Change the passphrase of an encrypted journal. The current one is taken the usual way
    (RECOVERYLOG_PASSPHRASE_COMMAND, remembered key, or asked); the new one from
    RECOVERYLOG_NEW_PASSPHRASE_COMMAND, or asked twice on a terminal."""
    from recoverylog.errors import InputError, UsageError
    from recoverylog.render import encryption as say
    from recoverylog.render.console import info
    from recoverylog.storage import encryption

    if remember and forget:
        raise UsageError("--remember and --forget cannot be used together.")
    path = state(ctx).db_path
    if not path.exists() or not encryption.is_encrypted(path):
        raise InputError(f"{path} is not encrypted. To encrypt it: recoverylog db encrypt")
    if remember and (reason := encryption.keyring_usable()):
        raise UsageError(reason)
    old = encryption.unlock(path)
    was_remembered = encryption.remembered_key(path) is not None
    new = encryption.new_passphrase(encryption.NEW_PASSPHRASE_COMMAND)
    raw = encryption.change_passphrase(path, old, new)
    salt = encryption.salt_of(path)
    keep = remember or (was_remembered and not forget)
    if keep:
        encryption.remember(salt, raw, path)
    forgotten = (forget or was_remembered) and not keep and encryption.forget(salt, path)
    for line in say.passphrase_changed(path, keep, bool(forgotten)):
        info(line)


def add_commands(db_app: typer.Typer) -> None:
    db_app.command("encrypt")(encrypt)
    db_app.command("decrypt")(decrypt)
    db_app.command("passphrase")(passphrase)
