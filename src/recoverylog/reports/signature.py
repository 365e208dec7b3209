"""What a file's signature says to its reader, against the reader's trust list
(docs/definitions.md §8). One function, used by `review` and `inbox add`."""

from __future__ import annotations

from typing import Any

from recoverylog.records import record

STATUSES = ("verified", "untrusted", "unsigned", "invalid")


@record
class SignatureStatus:
    status: str                 # verified | untrusted | unsigned | invalid
    signer: str | None          # the trusted name (verified only)
    fingerprint: str | None     # of the key in the file (computed from it, never the file's claim)
    reason: str | None = None   # why invalid

    def as_json(self) -> dict:
        return {"status": self.status, "signer": self.signer, "fingerprint": self.fingerprint,
                "reason": self.reason}


def signature_status(doc: Any, trusted: dict[str, str], content: bytes | None = None) -> SignatureStatus:
    """`trusted` maps a base64 public key to the name the reader gave it. `content`: the signing
    input when the caller has it (signing.check_document)."""
    from recoverylog import signing

    checked = signing.check_document(doc, content)
    if checked.state == "unsigned":
        return SignatureStatus("unsigned", None, None)
    if checked.state == "invalid":
        return SignatureStatus("invalid", None, checked.fingerprint, checked.reason)
    if checked.public_key is None:  # pragma: no cover - a valid signature always has its key
        return SignatureStatus("invalid", None, None, "no key")
    name = trusted.get(signing.b64(checked.public_key))
    if name is None:
        return SignatureStatus("untrusted", None, checked.fingerprint)
    return SignatureStatus("verified", name, checked.fingerprint)
