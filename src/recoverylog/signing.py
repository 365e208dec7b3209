"""Ed25519 signatures over an export's canonical content (docs/definitions.md §8).

Pure functions, no files and no database: key generation, the signing input, sign, verify and
the fingerprint. `cryptography` is imported inside the functions that need it, so a check-in
(or any command that neither signs nor verifies) never loads it.

The signing input is exactly the bytes the digest covers: the canonical JSON
(exports/envelope.py `canonical`) of the document without its "digest" and "signature" keys.
So a digest and a signature speak about the same content, and anyone can check a file with
any Ed25519 tool, given those bytes."""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from recoverylog.records import record

ALG = "ed25519"
PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64
# 20 base32 characters = 100 bits of SHA-256(public key), shown in five groups of four.
FINGERPRINT_CHARS = 20
FINGERPRINT_GROUP = 4
UNSIGNED_KEYS = ("digest", "signature")


class SigningError(ValueError):
    """A key or signature that cannot be used (malformed, wrong length, wrong kind)."""


@record
class KeyPair:
    private_pem: bytes          # PKCS#8 PEM, unencrypted: kept in a 0600 file, never exported
    public_key: bytes           # the raw 32 bytes


def generate_key() -> KeyPair:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return _pair(Ed25519PrivateKey.generate())


def _pair(private) -> KeyPair:
    from cryptography.hazmat.primitives import serialization as s

    pem = private.private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.NoEncryption())
    raw = private.public_key().public_bytes(s.Encoding.Raw, s.PublicFormat.Raw)
    return KeyPair(private_pem=pem, public_key=raw)


def load_private(pem: bytes) -> KeyPair:
    """Read a PKCS#8 PEM Ed25519 private key; raises SigningError for anything else."""
    from cryptography.hazmat.primitives import serialization as s
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        private = s.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise SigningError(f"not an unencrypted PEM private key ({str(exc)[:60]})") from None
    except Exception as exc:  # cryptography raises its own UnsupportedAlgorithm for odd keys
        raise SigningError(f"not a key this version can read ({type(exc).__name__})") from None
    if not isinstance(private, Ed25519PrivateKey):
        raise SigningError("not an Ed25519 key")
    return _pair(private)


def raw_private_bytes(pem: bytes) -> bytes:
    """The 32-byte private seed (for tests that look for the key in exported files)."""
    from cryptography.hazmat.primitives import serialization as s

    private = s.load_pem_private_key(pem, password=None)
    return private.private_bytes(s.Encoding.Raw, s.PrivateFormat.Raw, s.NoEncryption())


def public_pem(public_key: bytes) -> bytes:
    from cryptography.hazmat.primitives import serialization as s
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    key = Ed25519PublicKey.from_public_bytes(check_public_key(public_key))
    return key.public_bytes(s.Encoding.PEM, s.PublicFormat.SubjectPublicKeyInfo)


def load_public_pem(pem: bytes) -> bytes:
    from cryptography.hazmat.primitives import serialization as s
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = s.load_pem_public_key(pem)
    except (ValueError, TypeError) as exc:
        raise SigningError(f"not a PEM public key ({str(exc)[:60]})") from None
    except Exception as exc:
        raise SigningError(f"not a key this version can read ({type(exc).__name__})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningError("not an Ed25519 public key")
    return key.public_bytes(s.Encoding.Raw, s.PublicFormat.Raw)


def check_public_key(public_key: bytes) -> bytes:
    if not isinstance(public_key, bytes) or len(public_key) != PUBLIC_KEY_BYTES:
        raise SigningError(f"an Ed25519 public key is {PUBLIC_KEY_BYTES} bytes")
    return public_key


# -- text forms ---------------------------------------------------------------------------

def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: Any, size: int, what: str) -> bytes:
    """Strict standard base64 of exactly `size` bytes."""
    if not isinstance(text, str) or len(text) > 4 * size:
        raise SigningError(f"{what} is not base64 text")
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise SigningError(f"{what} is not base64 text") from None
    if len(data) != size:
        raise SigningError(f"{what} is {len(data)} bytes, not {size}")
    return data


def parse_public_key_text(text: str) -> bytes:
    """A public key typed or pasted: base64 (as in a file's signature) or 64 hex digits."""
    cleaned = "".join(text.split())
    if len(cleaned) == 2 * PUBLIC_KEY_BYTES and all(c in "0123456789abcdefABCDEF" for c in cleaned):
        return bytes.fromhex(cleaned)
    return unb64(cleaned, PUBLIC_KEY_BYTES, "the key")


def fingerprint(public_key: bytes) -> str:
    """Short enough to read aloud: the first 100 bits of SHA-256(raw public key) in base32
    (A–Z, 2–7: no 0/O or 1/I to confuse), in groups of four, e.g. "K7QF-2MZA-…"."""
    digest = hashlib.sha256(check_public_key(public_key)).digest()
    text = base64.b32encode(digest).decode("ascii")[:FINGERPRINT_CHARS]
    return "-".join(text[i:i + FINGERPRINT_GROUP] for i in range(0, FINGERPRINT_CHARS, FINGERPRINT_GROUP))


def normalize_fingerprint(text: str) -> str:
    """For comparing what someone read out: case, spaces and hyphens do not matter."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


# -- signing a document ---------------------------------------------------------------------

def signing_input(doc: dict[str, Any]) -> bytes:
    """The canonical content a digest and a signature cover: the document without
    "digest" and "signature", as canonical JSON."""
    from recoverylog.exports.envelope import canonical

    return canonical({k: v for k, v in doc.items() if k not in UNSIGNED_KEYS})


def sign_bytes(private_pem: bytes, message: bytes) -> bytes:
    from cryptography.hazmat.primitives import serialization as s

    return s.load_pem_private_key(private_pem, password=None).sign(message)


def verify_bytes(public_key: bytes, message: bytes, signature: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(check_public_key(public_key)).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def signature_object(key: KeyPair, doc: dict[str, Any]) -> dict[str, str]:
    """The `signature` object a document carries beside its digest."""
    value = sign_bytes(key.private_pem, signing_input(doc))
    return {"alg": ALG, "public_key": b64(key.public_key), "fingerprint": fingerprint(key.public_key),
            "value": b64(value)}


def sign_document(key: KeyPair, doc: dict[str, Any]) -> dict[str, Any]:
    """A copy of `doc` with its `signature` (placed just after the digest)."""
    out = {k: v for k, v in doc.items() if k != "signature"}
    out["signature"] = signature_object(key, out)
    return out


@record
class Checked:
    """What a document's signature says, before any trust list is consulted."""
    state: str                  # "unsigned", "invalid" or "valid"
    public_key: bytes | None
    fingerprint: str | None
    reason: str | None = None   # why invalid, in words


def check_document(doc: Any, content: bytes | None = None) -> Checked:
    """Check the `signature` of a parsed document. Never raises for a hostile file.
    `content`: `signing_input(doc)`, when the caller has already made it (review encodes each
    file's content once, for its digest and its signature)."""
    if not isinstance(doc, dict) or "signature" not in doc:
        return Checked("unsigned", None, None)
    sig = doc["signature"]
    if not isinstance(sig, dict):
        return Checked("invalid", None, None, "the signature is not an object")
    if sig.get("alg") != ALG:
        return Checked("invalid", None, None, "the signature is not an Ed25519 one")
    try:
        public_key = unb64(sig.get("public_key"), PUBLIC_KEY_BYTES, "the public key")
        value = unb64(sig.get("value"), SIGNATURE_BYTES, "the signature value")
    except SigningError as exc:
        return Checked("invalid", None, None, str(exc))
    shown = fingerprint(public_key)
    claimed = sig.get("fingerprint")
    if claimed is not None and (not isinstance(claimed, str)
                                or normalize_fingerprint(claimed) != normalize_fingerprint(shown)):
        return Checked("invalid", public_key, shown, "the fingerprint written in the file is not its key's")
    try:
        message = signing_input(doc) if content is None else content
    except (TypeError, ValueError, RecursionError):
        return Checked("invalid", public_key, shown, "the content cannot be read in canonical form")
    if not verify_bytes(public_key, message, value):
        return Checked("invalid", public_key, shown, "the content was changed after signing")
    return Checked("valid", public_key, shown)
