"""The journal's signing key: make one, read it, move it between machines (docs/definitions.md §8).

Only these functions and the signing code touch the private key. `cryptography` is imported
(through recoverylog.signing) only once a key is actually made, read or used."""

from __future__ import annotations

from pathlib import Path

from recoverylog.errors import InputError, NotFoundError
from recoverylog.records import record

NO_KEY = "This journal has no signing key yet; `recoverylog key init` makes one."


@record
class KeyInfo:
    alg: str
    public_key: str             # base64 of the raw 32 bytes
    fingerprint: str
    key_file: str

    def as_json(self) -> dict:
        return {"alg": self.alg, "public_key": self.public_key, "fingerprint": self.fingerprint,
                "key_file": self.key_file}


def _info(db_path: Path, pair) -> KeyInfo:
    from recoverylog import signing
    from recoverylog.storage.keys import key_path

    return KeyInfo(alg=signing.ALG, public_key=signing.b64(pair.public_key),
                   fingerprint=signing.fingerprint(pair.public_key), key_file=str(key_path(db_path)))


def load_key(db_path: Path):
    """The journal's KeyPair, or None when it has no key. A damaged key file is an error."""
    from recoverylog.storage.keys import key_path, read_private

    pem = read_private(db_path)
    if pem is None:
        return None
    from recoverylog import signing

    try:
        return signing.load_private(pem)
    except signing.SigningError as exc:
        raise InputError(f"The signing key {key_path(db_path)} cannot be used: {exc}. "
                         "Restore it with `recoverylog key import-private FILE`.") from None


def init_key(db_path: Path, *, replace: bool = False) -> KeyInfo:
    from recoverylog import signing
    from recoverylog.storage.keys import has_key, key_path, write_private

    if has_key(db_path) and not replace:
        current = load_key(db_path)
        raise InputError(f"This journal already has a signing key (fingerprint {_info(db_path, current).fingerprint}); "
                         f"nothing was changed. --replace makes a new one (the old is kept beside it as "
                         f"{key_path(db_path).name}.replaced-N).")
    pair = signing.generate_key()
    write_private(db_path, pair.private_pem, replace=replace)
    return _info(db_path, pair)


def show_key(db_path: Path) -> KeyInfo:
    pair = load_key(db_path)
    if pair is None:
        raise NotFoundError(NO_KEY)
    return _info(db_path, pair)


def public_key_pem(db_path: Path) -> tuple[KeyInfo, str]:
    from recoverylog import signing

    pair = load_key(db_path)
    if pair is None:
        raise NotFoundError(NO_KEY)
    return _info(db_path, pair), signing.public_pem(pair.public_key).decode("ascii")


def private_key_pem(db_path: Path) -> tuple[KeyInfo, bytes]:
    pair = load_key(db_path)
    if pair is None:
        raise NotFoundError(NO_KEY)
    return _info(db_path, pair), pair.private_pem


def import_private(db_path: Path, source: Path, *, replace: bool = False) -> KeyInfo:
    """Take a key written by `key export-private` (PEM) as this journal's key."""
    from recoverylog import signing
    from recoverylog.storage.keys import has_key, read_pem, write_private

    raw = read_pem(source.expanduser(), str(source))
    try:
        pair = signing.load_private(raw)
    except signing.SigningError as exc:
        raise InputError(f"{source}: {exc}; nothing was changed.") from None
    if has_key(db_path):
        current = load_key(db_path)
        if current.public_key == pair.public_key:
            raise InputError(f"This journal already has this key (fingerprint "
                             f"{signing.fingerprint(pair.public_key)}); nothing was changed.")
        if not replace:
            raise InputError(f"This journal already has another signing key (fingerprint "
                             f"{_info(db_path, current).fingerprint}); nothing was changed. --replace takes "
                             "the new one and keeps the old beside it.")
    write_private(db_path, pair.private_pem, replace=replace)
    return _info(db_path, pair)


def sign_if_key(db_path: Path, doc: dict) -> tuple[dict, str | None]:
    """`doc` signed with the journal's key when it has one, else unchanged; and the fingerprint."""
    from recoverylog.storage.keys import has_key

    if not has_key(db_path):
        return doc, None
    pair = load_key(db_path)
    from recoverylog import signing

    signed = signing.sign_document(pair, doc)
    return signed, signed["signature"]["fingerprint"]
