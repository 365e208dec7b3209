"""`review`'s quick read of a summary (reports/review._quick_read: orjson's parse and its encoding
with sorted keys, docs/definitions.md §12, "Reading a summary once") against the reference: when it
answers, the document is json's, value for value (types, float bits and key order kept), and the
content is `envelope.canonical`'s bytes, which the digest is over; otherwise it declines (None) and
the standard library reads the file. Numbers are where the two encoders could differ, so they
are generated across every magnitude, at the edges of Python's fixed notation and of 64 bits."""

from __future__ import annotations

import json
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from json_exact import exact
from recoverylog.exports import envelope
from recoverylog.reports import review

orjson = pytest.importorskip("orjson")

SETTINGS = settings(max_examples=400, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))




def _content(doc: dict) -> bytes:
    return envelope.canonical({k: v for k, v in doc.items() if k not in ("digest", "signature")})


def _agrees(text: str) -> bool:
    """The quick read of `text` is the reference's or declines; True when it answered."""
    quick = review._quick_read(text)
    if quick is None:
        return False
    doc, content = quick
    want = json.loads(text, parse_constant=envelope._reject_constant)
    assert exact(doc) == exact(want)
    assert content == _content(want)
    return True


# Every magnitude, the edges of repr's fixed notation (1e-4, 1e16) and of 64 bits.
EDGES = [0.0, -0.0, 1.0, -1.0, 100.0, 0.1, 7.33, 1e-4, 0.00010000000000000002, 9.999999999999999e-05, 1e-5,
         1e15, 9999999999999998.0, 1e16, 1.0000000000000002e16, 2.0 ** 53, 2.0 ** 63, 2.0 ** 64, 1e21, 1e22,
         5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 123456789012345.6, 0.30000000000000004]
FLOATS = st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(EDGES + [-x for x in EDGES]) \
    | st.integers(-10 ** 20, 10 ** 20).map(lambda n: n / 10 ** 3)
INTS = st.integers(-3, 3) | st.integers(-2 ** 66, 2 ** 66) \
    | st.sampled_from([2 ** 63 - 1, 2 ** 63, 2 ** 64 - 1, 2 ** 64, -2 ** 63, -2 ** 63 - 1, 10 ** 30])
# Strings without what a backslash-free text cannot hold ('"', '\\', control characters), with
# number-shaped text that the float check must tell apart from a number.
PLAIN = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='"\\'), max_size=8)
STRINGS = PLAIN | st.sampled_from([":1.50,", "[1.0]", ",-0.00001}", "2e5", "x1.5", "1.5", "0.0", ":1e+16,",
                                   "é", "\U0001f600", "\uffff", "\u2028", "\x7f", "a.b", "..", "-.5"])
KEYS = STRINGS | st.sampled_from(["date", "mean", "digest", "signature", "\ue000", "\U00010000", "a", "B"])
SCALARS = st.none() | st.booleans() | INTS | FLOATS | STRINGS
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
                      max_leaves=20)
DOCS = st.dictionaries(KEYS, VALUES, max_size=6)


@SETTINGS
@given(doc=DOCS, indent=st.sampled_from([None, 2]))
def test_the_quick_read_is_the_reference_read_or_declines(doc, indent):
    text = json.dumps(doc, ensure_ascii=False, indent=indent)
    if "\\" not in text:   # the quick read's condition (review._parse_exported sends any other text on)
        _agrees(text)


@pytest.mark.parametrize("number", EDGES + [-x for x in EDGES] + [2 ** 63 - 1, 2 ** 63, 2 ** 64, -2 ** 63 - 1])
def test_a_number_at_an_edge_reads_as_the_reference_reads_it(number):
    for text in (json.dumps({"n": number}), json.dumps({"a": [number, {"n": number}], "b": "x"}, indent=2)):
        _agrees(text)


@pytest.mark.parametrize("number", [1e-5, 1e16, 2.0 ** 64, 1e300, 5e-324, 2 ** 64, -2 ** 63 - 1])
def test_a_number_canonical_writes_with_an_exponent_or_beyond_64_bits_is_declined(number):
    """1e-5 is where orjson (0.00001) and repr (1e-05) spell a float differently in fixed notation:
    the check of each float against repr declines it."""
    assert review._quick_read(json.dumps({"n": number})) is None


@pytest.mark.parametrize("doc", [{"digest": -2 ** 63 - 1}, {"a": 1, "signature": {"value": 2 ** 64}},
                                 {"digest": "sha256:00", "signature": [1e-5]}])
def test_a_wide_number_in_the_entries_left_out_of_the_content_is_declined(doc):
    """"digest" and "signature" are not in the canonical content, but they are in the document."""
    assert review._quick_read(json.dumps(doc)) is None
    _agrees(json.dumps(doc))


def test_an_ordinary_summary_takes_the_quick_read():
    """Fractions, integers, nulls, dates and number-shaped text: the quick read answers (the
    property test above is not met only by declining)."""
    doc = {"format": "recoverylog-summary", "version": 1, "digest": "sha256:00",
           "data": {"mean": 7.33, "share": 1.0, "min": -0.0, "days": 6, "trend": None, "ok": True,
                    "message": "meet at 7:30, bring [1.5] things, 2.5 km", "when": "2026-11-21",
                    "big": 2 ** 63 - 1, "list": [0.5, 1.25, -3.75, 100.0, 123456789012345.6]}}
    assert _agrees(envelope.dumps(doc))
    assert _agrees(json.dumps(doc, ensure_ascii=False, separators=(",", ":")))


@SETTINGS
@given(value=st.floats(allow_nan=False, allow_infinity=False))
def test_orjson_writes_every_float_with_a_point_or_an_exponent(value):
    """What the float check rests on: a float never comes out shaped like an integer."""
    text = orjson.dumps(value)
    assert any(mark in text for mark in (b".", b"e", b"E")), text


def test_nesting_past_orjsons_limit_is_declined_and_read_by_the_reference():
    text = '{"a": ' + "[" * 300 + "]" * 300 + "}"
    assert review._quick_read(text) is None
    doc, _, content = review._parse_exported(text.encode(), "f.json", envelope.parse_json_bytes)
    assert content == _content(doc) and doc == json.loads(text)


def test_a_repeated_key_is_still_refused_after_the_quick_read():
    """orjson keeps a repeated key's last value without a word; the count of quotes finds it."""
    from recoverylog.errors import InputError

    with pytest.raises(InputError, match="appears twice"):
        review._parse_exported(b'{"a": 1.5, "b": {"c": 2, "c": 2}}', "f.json", envelope.parse_json_bytes)


def test_without_orjson_review_reads_the_same(monkeypatch):
    raw = envelope.dumps({"format": "recoverylog-summary", "data": {"mean": 7.33, "n": 1e-5}}).encode()
    with_quick = review._parse_exported(raw, "f.json", envelope.parse_json_bytes)
    monkeypatch.setitem(sys.modules, "orjson", None)   # import orjson now raises ImportError
    assert review._quick_read(raw.decode()) is None
    assert review._parse_exported(raw, "f.json", envelope.parse_json_bytes) == with_quick


def test_review_of_exported_files_uses_the_quick_read(monkeypatch):
    """A spy: the exporter's own summaries go through the quick read, and it answers."""
    answers = []
    real = review._quick_read

    def spy(text):
        answers.append(real(text))
        return answers[-1]

    monkeypatch.setattr(review, "_quick_read", spy)
    doc = envelope.make_envelope(profile="sponsor", generated_at="2026-11-21T10:00:00+00:00",
                                 period={"start": "2026-11-16", "end": "2026-11-21", "days": 6}, name="Ana",
                                 data={"checkins": {"days": 6, "share": 1.0}, "mean": 7.33})
    raw = envelope.dumps(doc).encode()
    parsed, _, content = review._parse_exported(raw, "f.json", envelope.parse_json_bytes)
    assert answers and answers[0] is not None
    assert review._digest_matches(parsed, content)
