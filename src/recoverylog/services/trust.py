"""The reader's trust list: public keys they compared in person or by phone (docs/definitions.md §8)."""

from __future__ import annotations

from pathlib import Path

from recoverylog.errors import InputError, NotFoundError
from recoverylog.records import record
from recoverylog.storage.db import Store

NAME_CHARS = 60
MAX_SOURCE_BYTES = 20 * 1024 * 1024


@record
class TrustedKey:
    name: str
    public_key: str
    fingerprint: str
    added_at: str

    def as_json(self) -> dict:
        return {"name": self.name, "fingerprint": self.fingerprint, "public_key": self.public_key,
                "added_at": self.added_at}


def clean_name(text: str) -> str:
    from recoverylog.text import strip_control
    from recoverylog.textcheck import check_text

    check_text(text, "--name", multiline=False)
    name = " ".join(strip_control(text).split())
    if not name:
        raise InputError("--name is empty: give the name you know this person by, e.g. --name Alex.")
    if len(name) > NAME_CHARS:
        raise InputError(f"--name is {len(name)} characters; keep it to {NAME_CHARS}.")
    return name


def public_key_from(source: str) -> bytes:
    """The raw public key in FILE-OR-KEY: a PEM public key file (`key export-public`), a signed
    recoverylog file (its signature's key, only if that signature holds), or the key as text."""
    from recoverylog import signing

    path = Path(source).expanduser()
    if path.is_file():
        from recoverylog.exports.envelope import parse_json_bytes, read_json_file
        from recoverylog.storage.keys import read_pem

        if path.stat().st_size <= 16 * 1024:
            raw = read_pem(path, source)
            if b"PRIVATE KEY" in raw:
                raise InputError(f"{source} is a PRIVATE key: ask for the public one "
                                 "(`recoverylog key export-public FILE`); nothing was added.")
            if raw.lstrip().startswith(b"-----BEGIN PUBLIC KEY-----"):
                try:
                    return signing.load_public_pem(raw)
                except signing.SigningError as exc:
                    raise InputError(f"{source}: {exc}; nothing was added.") from None
            doc = parse_json_bytes(raw, source)
        else:
            doc = read_json_file(path, source, max_bytes=MAX_SOURCE_BYTES)
        checked = signing.check_document(doc)
        if checked.state == "unsigned":
            raise InputError(f"{source} is not signed, so it holds no key to trust; nothing was added.")
        if checked.state == "invalid":
            raise InputError(f"{source}: its signature does not hold ({checked.reason}); nothing was added.")
        return checked.public_key
    try:
        return signing.parse_public_key_text(source)
    except signing.SigningError:
        if path.suffix or "/" in source or "\\" in source:
            raise NotFoundError(f"{source}: no such file; nothing was added.") from None
        raise InputError(f"{source[:40]!r} is neither a file nor a public key (base64 or hex); nothing was added.") from None


def add(store: Store, source: str, name: str) -> TrustedKey:
    from recoverylog import signing
    from recoverylog.storage import trust as rows

    name = clean_name(name)
    raw = public_key_from(source)
    key, fp = signing.b64(raw), signing.fingerprint(raw)
    same_key = rows.find_trusted(store, public_key=key)
    if same_key is not None:
        raise InputError(f"You already trust this key as {same_key['name']} (fingerprint {fp}); nothing was added.")
    same_name = rows.find_trusted(store, name=name)
    if same_name is not None:
        raise InputError(f"{name} is already the name of another key (fingerprint {same_name['fingerprint']}); "
                         f"`recoverylog trust remove {name}` first, or choose another name.")
    rows.add_trusted(store, name=name, public_key=key, fingerprint=fp)
    return TrustedKey(name, key, fp, store.stamp()[0])


def list_keys(store: Store) -> list[TrustedKey]:
    from recoverylog.storage import trust as rows

    return [TrustedKey(r["name"], r["public_key"], r["fingerprint"], r["added_at"]) for r in rows.list_trusted(store)]


def remove(store: Store, name: str) -> TrustedKey:
    from recoverylog.storage import trust as rows

    row = rows.find_trusted(store, name=" ".join(name.split()))
    if row is None:
        raise NotFoundError(f"No trusted key is named {name!r}; `recoverylog trust list` shows them.")
    rows.remove_trusted(store, row)
    return TrustedKey(row["name"], row["public_key"], row["fingerprint"], row["added_at"])
