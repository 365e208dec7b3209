"""The JSON envelope every JSON export is wrapped in, and its SHA-256 digest (DOMAIN.md §7).

    {"format": "recoverylog-summary", "version": 1, "profile", "generated_at", "period",
     "person": {"name"}, "data": {…}, "digest": "sha256:<hex>"}

The digest is over the canonical JSON of everything but "digest" (and "signature", which a
signed export carries beside it: docs/definitions.md §8): keys sorted, no whitespace, UTF-8,
non-ASCII kept as is. It catches accidental and naive changes; it is
not a signature (anyone can recompute it), so it proves nothing about who wrote a file."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

FORMAT = "recoverylog-summary"
VERSION = 1
DIGEST_PREFIX = "sha256:"
ENVELOPE_KEYS = ("format", "version", "profile", "generated_at", "period", "person", "data", "digest")
# Optional beside the digest when the person has a signing key (docs/definitions.md §8).
SIGNATURE_KEY = "signature"


def canonical(value: Any) -> bytes:
    """Canonical JSON bytes: sorted keys, no whitespace, UTF-8, non-ASCII as is, no NaN."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def compute_digest(doc: dict[str, Any]) -> str:
    body = {k: v for k, v in doc.items() if k not in ("digest", "signature")}
    return DIGEST_PREFIX + hashlib.sha256(canonical(body)).hexdigest()


def verify(doc: Any) -> bool:
    """True when `doc` carries a digest that matches its content."""
    if not isinstance(doc, dict):
        return False
    claimed = doc.get("digest")
    if not isinstance(claimed, str) or not claimed.startswith(DIGEST_PREFIX):
        return False
    try:
        actual = compute_digest(doc)
    except (TypeError, ValueError, RecursionError):
        return False
    return hmac.compare_digest(claimed.encode("utf-8", "replace"), actual.encode("utf-8"))


def make_envelope(*, profile: str, generated_at: str, period: dict[str, Any] | None,
                  name: str | None, data: dict[str, Any]) -> dict[str, Any]:
    """The envelope with its digest (values must already be JSON types)."""
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "profile": profile,
        "generated_at": generated_at,
        "period": period,
        "person": {"name": name},
        "data": data,
    }
    doc["digest"] = compute_digest(doc)
    return doc


def period_dict(start, end) -> dict[str, Any]:
    return {"start": start.isoformat(), "end": end.isoformat(), "days": (end - start).days + 1}


def dumps(doc: dict[str, Any]) -> str:
    """The file's text: indented for people, same content as the canonical form."""
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


# -- reading files someone else may have written ---------------------------------------

MAX_SUMMARY_BYTES = 20 * 1024 * 1024


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def parse_json_bytes(raw: bytes, label: str) -> Any:
    """Parse untrusted JSON: strict UTF-8, no NaN/Infinity, nesting depth guarded.
    Raises InputError with a one-line message naming `label`."""
    from recoverylog.errors import InputError

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{label}: not UTF-8 text, so not a recoverylog export.") from None
    if not text.strip():
        raise InputError(f"{label}: the file is empty.")
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise InputError(f"{label}: nested too deeply to be a recoverylog export; not read.") from None
    except json.JSONDecodeError as exc:
        # A JSON string cannot hold a raw line break, so an unterminated one runs to the end.
        cut = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
        where = "it ends too early (truncated?)" if cut else f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
        raise InputError(f"{label}: not valid JSON ({where}).") from None
    except ValueError as exc:
        raise InputError(f"{label}: not valid JSON ({exc}).") from None


def read_json_file(path, label: str, max_bytes: int = MAX_SUMMARY_BYTES) -> Any:
    """Read and parse a JSON file, checking its size before reading a byte of it."""
    import os
    import stat

    from recoverylog.errors import InputError, NotFoundError

    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise NotFoundError(f"{label}: no such file.") from None
    except OSError as exc:
        raise InputError(f"{label}: cannot read it ({exc.strerror}).") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{label}: is a folder, not a file.")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{label}: not a regular file; not read.")
    if info.st_size > max_bytes:
        raise InputError(f"{label}: {info.st_size / 1024 / 1024:.1f} MB is larger than the "
                         f"{max_bytes // (1024 * 1024)} MB an export can be; not read.")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{label}: cannot read it ({exc.strerror}).") from None
    if len(raw) > max_bytes:
        raise InputError(f"{label}: larger than the {max_bytes // (1024 * 1024)} MB an export can be; not read.")
    return parse_json_bytes(raw, label)


def check_envelope(doc: Any, label: str, profile: str | None = None) -> None:
    """Refuse what is not a version-1 recoverylog export (of `profile`, when given)."""
    from recoverylog.errors import InputError

    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InputError(f"{label}: not a recoverylog export (no \"format\": \"{FORMAT}\").")
    version = doc.get("version")
    if version != VERSION or isinstance(version, bool):
        shown = version if isinstance(version, (int, float, str)) and len(str(version)) < 20 else "?"
        raise InputError(f"{label}: export format version {shown} is not one this recoverylog reads "
                         f"(it reads version {VERSION}).")
    if profile is not None and doc.get("profile") != profile:
        got = doc.get("profile")
        shown = got if isinstance(got, str) and len(got) < 20 and got.isprintable() else "?"
        raise InputError(f"{label}: this is a {shown!s} export, not a {profile} one.")
    if not isinstance(doc.get("data"), dict):
        raise InputError(f"{label}: the export has no data section.")
