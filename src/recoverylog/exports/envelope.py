"""The JSON envelope every JSON export is wrapped in, and its SHA-256 digest (docs/definitions.md §8).

    {"format": "recoverylog-summary", "version": 1, "profile", "generated_at", "period",
     "person": {"name"}, "data": {…}, "digest": "sha256:<hex>"}

The digest is over the canonical JSON of everything but "digest" (and "signature", which a
signed export carries beside it: docs/definitions.md §8): keys sorted, no whitespace, UTF-8,
non-ASCII kept as is. It catches accidental and naive changes; it is
not a signature (anyone can recompute it), so it proves nothing about who wrote a file."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
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


def _refuse(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def row_encoder(*, sort_keys: bool, compact: bool, tree: bool = False) -> Callable[[Any], str]:
    """A function encoding one value as `json.dumps` would (ensure_ascii=False, allow_nan=False;
    `compact`: the canonical separators), built once for encoding many rows. It calls the
    standard library's C encoder directly where it exists: json.dumps builds an encoder per
    call, which costs more than encoding a table row. `tree`: the values are what json.loads
    makes (no object holds itself), so the encoder does not look for circular references."""
    item_sep, key_sep = (",", ":") if compact else (", ", ": ")
    from json import encoder as json_encoder

    make = getattr(json_encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - an interpreter without the C accelerator
        return json.JSONEncoder(sort_keys=sort_keys, separators=(item_sep, key_sep), ensure_ascii=False,
                                allow_nan=False).encode
    encode = make(None if tree else {}, _refuse, json_encoder.encode_basestring, None, key_sep, item_sep,
                  sort_keys, False, False)
    return lambda value: "".join(encode(value, 0))


def _has_long_list(value: Any, depth: int, length: int) -> bool:
    """Whether a list longer than `length` lies within `depth` levels of objects (only then is
    encoding in pieces worth it: a one-week summary is encoded in one call)."""
    if isinstance(value, list):
        return len(value) > length
    if depth <= 0 or not isinstance(value, dict):
        return False
    for v in value.values():   # a plain loop, scalars skipped: review digests thousands of files
        if isinstance(v, (list, dict)) and _has_long_list(v, depth - 1, length):
            return True
    return False


# A document read from a file of at most this many bytes is encoded in one piece for its digest:
# its canonical form is no larger than the file's text by more than a few times.
WHOLE_DIGEST_BYTES = 1024 * 1024


def compute_digest(doc: dict[str, Any], *, file_bytes: int | None = None) -> str:
    """The digest of `doc` (docs/definitions.md §8). `file_bytes`: the size of the file `doc` was
    read from, when the caller knows it; a small file's canonical form is then hashed in one
    piece, without first looking for long lists (the same bytes: canonical_chunks is canonical)."""
    body = {k: v for k, v in doc.items() if k not in ("digest", "signature")}
    if file_bytes is not None and file_bytes <= WHOLE_DIGEST_BYTES:
        return DIGEST_PREFIX + sha256_hex(canonical(body))
    chunks = canonical_chunks(body)
    first = next(chunks)
    second = next(chunks, None)
    if second is None:   # no long list: the canonical form in one piece
        return DIGEST_PREFIX + sha256_hex(first)
    import hashlib

    sha = hashlib.sha256(first)
    sha.update(second)
    for chunk in chunks:
        sha.update(chunk)
    return DIGEST_PREFIX + sha.hexdigest()


# Up to this many bytes, SHA-256 is computed by CPython's own module where it has one (`_sha256`,
# Python 3.11): it loads in a third of the time hashlib's OpenSSL does, which a one-week summary's
# few kilobytes would otherwise wait for; larger texts go to hashlib (OpenSSL hashes faster per byte).
SMALL_HASH_BYTES = 256 * 1024


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of `data` in hex (the same digest whichever implementation computes it)."""
    if len(data) <= SMALL_HASH_BYTES:
        try:
            from _sha256 import sha256 as small
        except ImportError:   # another Python (3.12 names it _sha2): hashlib's
            pass
        else:
            return small(data).hexdigest()
    import hashlib

    return hashlib.sha256(data).hexdigest()


def content_pieces(doc: dict[str, Any], table_pieces: Callable[[str, Any], Iterator[bytes]]) -> Iterator[bytes]:
    """What `compute_digest` hashes for a full export `doc` (its "data" holding "tables", both
    objects), in pieces: the canonical form of `doc` without "digest" and "signature", keys sorted
    at every level, each table's list given by `table_pieces(name, rows)` (the readers and the
    writer of full backups each know a cheaper way to its canonical text)."""
    data = doc["data"]
    tables = data["tables"]
    yield b"{"
    for i, key in enumerate(sorted(k for k in doc if k not in ("digest", "signature"))):
        yield (b"," if i else b"") + canonical(key) + b":"
        if key != "data":
            yield canonical(doc[key])
            continue
        yield b"{"
        for j, part in enumerate(sorted(data)):
            yield (b"," if j else b"") + canonical(part) + b":"
            if part != "tables":
                yield canonical(data[part])
                continue
            yield b"{"
            for n, name in enumerate(sorted(tables)):
                yield (b"," if n else b"") + canonical(name) + b":"
                yield from table_pieces(name, tables[name])
            yield b"}"
        yield b"}"
    yield b"}"


def canonical_chunks(value: Any, depth: int = 4, list_chunk: int = 512) -> Iterator[bytes]:
    """`canonical(value)` in pieces, byte for byte: the outer `depth` levels of objects are
    opened here (keys sorted as `sort_keys` does), and long lists are encoded a few hundred
    items at a time, so a fifty-year backup is never one more copy of itself in memory."""
    if depth > 0 and isinstance(value, dict) and all(type(k) is str for k in value) \
            and _has_long_list(value, depth, list_chunk):
        yield b"{"
        for i, key in enumerate(sorted(value)):
            yield (b"," if i else b"") + canonical(key) + b":"
            yield from canonical_chunks(value[key], depth - 1, list_chunk)
        yield b"}"
    elif depth > 0 and isinstance(value, list) and len(value) > list_chunk:
        yield b"["
        for start in range(0, len(value), list_chunk):
            piece = canonical(value[start:start + list_chunk])
            yield (b"," if start else b"") + piece[1:-1]
        yield b"]"
    else:
        yield canonical(value)


def verify(doc: Any, *, file_bytes: int | None = None) -> bool:
    """True when `doc` carries a digest that matches its content (`file_bytes`: as compute_digest)."""
    if not isinstance(doc, dict):
        return False
    claimed = doc.get("digest")
    if not isinstance(claimed, str) or not claimed.startswith(DIGEST_PREFIX):
        return False
    try:
        actual = compute_digest(doc, file_bytes=file_bytes)
    except (TypeError, ValueError, RecursionError):
        return False
    return claims_digest(doc, actual)


def claims_digest(doc: dict[str, Any], actual: str) -> bool:
    """Whether `doc`'s "digest" is `actual` ("sha256:<hex>", however it was computed), compared
    in constant time."""
    from hmac import compare_digest

    claimed = doc.get("digest")
    return (isinstance(claimed, str) and claimed.startswith(DIGEST_PREFIX)
            and compare_digest(claimed.encode("utf-8", "replace"), actual.encode("utf-8")))


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
    try:
        doc["digest"] = compute_digest(doc)
    except ValueError:
        from recoverylog.errors import InputError

        raise InputError("The journal holds an amount that is not a finite number (written before amounts "
                         "were limited); nothing was exported. Correct it with `recoverylog uses edit`.") from None
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


def _no_duplicate_keys(pairs):
    """An object with a key twice is refused: readers disagree on which value counts."""
    out = dict(pairs)   # in C; the same dict when no key repeats (the count says whether one does)
    if len(out) == len(pairs):
        return out
    out = {}
    for key, value in pairs:
        if key in out:
            shown = key if len(key) <= 40 and key.isprintable() else key[:40].encode("unicode_escape").decode()
            raise ValueError(f"the key {shown!r} appears twice in one object")
        out[key] = value
    return out


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
        return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicate_keys)
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
    return parse_json_bytes(read_file_bytes(path, label, max_bytes), label)


def read_file_bytes(path, label: str, max_bytes: int = MAX_SUMMARY_BYTES) -> bytes:
    """A file's bytes for `read_json_file`: its size checked before reading a byte of it."""
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
            # What stat saw (+1 to notice growth), not the limit: allocating the limit for every
            # small summary costs more than reading it (review reads thousands).
            raw = handle.read(min(info.st_size, max_bytes) + 1)
            if len(raw) > info.st_size:   # it grew since: read on, up to the limit
                raw += handle.read(max_bytes + 1 - len(raw))
    except OSError as exc:
        raise InputError(f"{label}: cannot read it ({exc.strerror}).") from None
    if len(raw) > max_bytes:
        raise InputError(f"{label}: larger than the {max_bytes // (1024 * 1024)} MB an export can be; not read.")
    return raw


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
