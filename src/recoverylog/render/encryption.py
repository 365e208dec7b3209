"""What `db encrypt`, `db decrypt` and `db passphrase` tell the person (stderr lines)."""

from __future__ import annotations

from pathlib import Path

from recoverylog.render.words import plural


def encrypted(path: Path, tables: int, rows: int, backup: Path) -> list[str]:
    return [
        f"Encrypted {path}: {plural(tables, 'table')} and {plural(rows, 'row')} checked against the original, "
        "one by one. The unencrypted file was replaced.",
        f"The backup made first, {backup}, is NOT encrypted: it still holds every note in plain text. "
        "Once the journal opens (try `recoverylog status`), delete it, or keep it somewhere only you "
        "can reach (an encrypted disk).",
        "Deleting a file does not wipe it from an SSD or from earlier backups of this folder: the old "
        "plain copy may still be recoverable from the disk itself.",
        "Keep the passphrase safe: without it (or the remembered key) nobody can open the journal, "
        "you included.",
    ]


def remembered(ok: bool, reason: str | None = None) -> str:
    if ok:
        return ("The key is remembered in the OS keyring: daily commands open the journal without "
                "asking (anyone logged in as you can open it too).")
    return f"The journal is encrypted, but the key was not remembered: {reason}"


def decrypted(path: Path, tables: int, rows: int, backup: Path) -> list[str]:
    return [
        f"Decrypted {path}: {plural(tables, 'table')} and {plural(rows, 'row')} checked against the encrypted "
        "journal, one by one. The journal is now readable by anyone who can open the file.",
        f"The backup made first, {backup}, is still encrypted with the old passphrase.",
    ]


def passphrase_changed(path: Path, remembered_now: bool, forgotten: bool) -> list[str]:
    lines = [f"Changed the passphrase of {path}. Backups made before still open with the old one."]
    if remembered_now:
        lines.append("The new key is remembered in the OS keyring.")
    elif forgotten:
        lines.append("The remembered key was removed from the OS keyring.")
    return lines
