"""The digest's SHA-256 is the same whichever implementation computes it (exports/envelope.sha256_hex:
CPython's own module for a small text, hashlib's for a large one), and compute_digest is the SHA-256 of
the canonical form whether that form comes in one piece or in many."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoverylog.exports import envelope

SIZES = [0, 1, 55, 56, 63, 64, 65, envelope.SMALL_HASH_BYTES - 1, envelope.SMALL_HASH_BYTES,
         envelope.SMALL_HASH_BYTES + 1]


@pytest.mark.parametrize("size", SIZES)
def test_sha256_hex_at_the_sizes_where_it_changes_hands(size):
    data = bytes((i * 7 + 3) % 256 for i in range(size))
    assert envelope.sha256_hex(data) == hashlib.sha256(data).hexdigest()


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4096))
def test_sha256_hex_is_sha256(data):
    assert envelope.sha256_hex(data) == hashlib.sha256(data).hexdigest()


CELLS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=12),
                  st.floats(allow_nan=False, allow_infinity=False))


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.dictionaries(st.text(max_size=5), CELLS, max_size=4), max_size=1200),
       extra=st.dictionaries(st.text(max_size=5), CELLS, max_size=3))
def test_compute_digest_is_the_hash_of_the_canonical_form(rows, extra):
    # More than 512 rows: canonical_chunks hands the form over in pieces; fewer: in one.
    doc = {"format": envelope.FORMAT, "data": {"tables": {"uses": rows}, **extra}, "digest": "x", "signature": "y"}
    body = {k: v for k, v in doc.items() if k not in ("digest", "signature")}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    expected = envelope.DIGEST_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert envelope.compute_digest(doc) == expected
    assert envelope.compute_digest(doc, file_bytes=len(text)) == expected


@pytest.mark.parametrize("count", [0, 1, 512, 513, 1500])
def test_compute_digest_of_long_lists_is_the_hash_of_the_canonical_form(count):
    rows = [{"date": f"2026-01-{1 + i % 28:02d}", "n": i, "note": "ünï" if i % 3 else None} for i in range(count)]
    doc = {"format": envelope.FORMAT, "data": {"tables": {"uses": rows, "checkins": rows[:7]}}, "digest": "x"}
    text = json.dumps({k: v for k, v in doc.items() if k != "digest"}, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    chunks = list(envelope.canonical_chunks({k: v for k, v in doc.items() if k != "digest"}))
    assert (len(chunks) > 1) == (count > 512)
    assert envelope.compute_digest(doc) == envelope.DIGEST_PREFIX + hashlib.sha256(text.encode()).hexdigest()
