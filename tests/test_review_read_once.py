"""`review`'s one-pass read of a summary (docs/definitions.md §12, "Reading a summary once") gives
the reference's answers: the document or the error of `envelope.parse_json_bytes`, the date rule
of `schemacheck.check_dates` and the digest check of `envelope.verify`, on exporter-written files,
on files with keys repeated, spaced, escaped or reordered, and on files whose digest was kept
after a change or recomputed canonically."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverylog import schemacheck
from recoverylog.errors import InputError
from recoverylog.exports import envelope
from recoverylog.reports import review

SETTINGS = settings(max_examples=400, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))

KEYS = st.sampled_from(["date", "start", "end", "due", "archived_on", "x_on", "name", "days", "a", "digest",
                        "signature", "format", "é", "", "da\"te", "k\\"])
STRINGS = st.sampled_from(["2026-11-21", "1899-12-31", "2999-12-31", "3000-01-01", "2026-02-30", "2026-11-21T10:00",
                           "abcd-ef-gh", "x", "", "9999-12-31", "say \"hi\"", "back\\slash", "é", "\u2028", "a:b",
                           ": c", "\x7f", "sha256:00"]) | st.text(max_size=6)
SCALARS = st.none() | st.booleans() | st.integers(-3, 3) | st.floats(allow_nan=False, allow_infinity=False) | STRINGS
SEPARATORS = st.sampled_from([": ", ":", " : ", "\n:\t", ":\n  "])


def _text_of(value) -> str:
    return json.dumps(value, ensure_ascii=False)


# A JSON text built member by member, so that a key can repeat, be spaced or be written escaped.
TEXTS = st.deferred(lambda: SCALARS.map(_text_of) | OBJECT_TEXTS | st.lists(TEXTS, max_size=3).map(
    lambda items: "[" + ", ".join(items) + "]"))
MEMBER = st.tuples(KEYS, st.booleans(), SEPARATORS, TEXTS).map(
    lambda m: (json.dumps(m[0], ensure_ascii=m[1]) if m[0] != "a" or not m[1] else '"\\u0061"') + m[2] + m[3])
OBJECT_TEXTS = st.lists(MEMBER, max_size=5).map(lambda members: "{" + ", ".join(members) + "}")


def _reference(raw: bytes):
    try:
        return envelope.parse_json_bytes(raw, "f.json")
    except InputError as exc:
        return ("error", exc.message)


def _check(raw: bytes) -> None:
    want = _reference(raw)
    try:
        doc, dates_ok, content = review._parse_exported(raw, "f.json", envelope.parse_json_bytes)
    except InputError as exc:
        assert want == ("error", exc.message)
        return
    assert json.dumps(doc, sort_keys=False) == json.dumps(want, sort_keys=False)   # same values, same key order
    if dates_ok:
        assert schemacheck.check_dates(doc) is None
    if content is not None:
        assert content == envelope.canonical({k: v for k, v in doc.items() if k not in ("digest", "signature")})
        assert review._digest_matches(doc, content) == envelope.verify(doc, file_bytes=len(raw))


@SETTINGS
@given(text=OBJECT_TEXTS, head=st.sampled_from(["", " ", "\ufeff", "\n"]))
def test_the_one_pass_read_is_the_reference_read(text, head):
    _check((head + text).encode("utf-8"))


@SETTINGS
@given(text=TEXTS)
def test_any_json_text_reads_as_the_reference_reads_it(text):
    _check(text.encode("utf-8"))


def _summary() -> dict:
    days = [{"date": f"2026-11-{d:02d}", "checkin": True, "mood": 6, "craving": 2.5, "uses": [
        {"substance": "alcohol", "used": False, "amount": None}]} for d in range(16, 22)]
    return envelope.make_envelope(profile="sponsor", generated_at="2026-11-21T10:00:00+00:00",
                                  period=envelope.period_dict(*map(__import__("datetime").date.fromisoformat,
                                                                   ("2026-11-16", "2026-11-21"))),
                                  name="Ana Zoë", data={"include_notes": False, "message": "call: me",
                                                        "checkins": {"days": 6, "share": 1.0},
                                                        "days": days, "quit_on": "2020-01-01"})


EDITS = st.sampled_from(["message", "name", "date", "share", "dup", "dup_nested", "space", "escape", "order",
                         "bad_date", "quote", "none"])


@SETTINGS
@given(edit=EDITS, redigest=st.booleans(), value=STRINGS, digest=st.sampled_from([None, 12, "sha256:0", "md5:x"]))
def test_an_edited_summary_reads_and_verifies_as_the_reference(edit, redigest, value, digest):
    doc = _summary()
    if edit == "message":
        doc["data"]["message"] = value
    elif edit == "name":
        doc["person"]["name"] = value
    elif edit == "date":
        doc["data"]["days"][0]["date"] = value
    elif edit == "share":
        doc["data"]["checkins"]["share"] = 0.5
    elif edit == "bad_date":
        doc["data"]["quit_on"] = "2026-02-30"
    elif edit == "order":
        doc["data"] = dict(reversed(list(doc["data"].items())))
    if redigest:
        body = {k: v for k, v in doc.items() if k not in ("digest", "signature")}
        doc["digest"] = envelope.DIGEST_PREFIX + __import__("hashlib").sha256(envelope.canonical(body)).hexdigest()
    if digest is not None and edit == "none":
        doc["digest"] = digest
    text = envelope.dumps(doc)
    if edit == "dup":
        text = text.replace('"version": 1,', '"version": 1,\n  "version": 1,')
    elif edit == "dup_nested":
        text = text.replace('"days": 6,', '"days": 6, "days": 6,')
    elif edit == "space":
        text = text.replace('"profile": ', '"profile" :\n ')
    elif edit == "escape":
        text = text.replace('"format"', '"\\u0066ormat"')
    elif edit == "quote":
        text = text.replace('"call: me"', '"call \\"me\\""')
    _check(text.encode("utf-8"))


def test_an_exporter_written_summary_takes_the_one_pass_read():
    raw = envelope.dumps(_summary()).encode("utf-8")
    doc, dates_ok, content = review._parse_exported(raw, "f.json", envelope.parse_json_bytes)
    assert content is not None and dates_ok and review._digest_matches(doc, content)


@pytest.mark.parametrize("text", ['{"a": 1, "a": 1}', '{"a": {"b": "x", "b": "x"}}', '{"a" : 1, "a":1}',
                                  '{"a": 1, "\\u0061": 1}', '[{"k": "v", "k": "v"}]'])
def test_repeated_keys_are_refused_as_the_reference_refuses_them(text):
    with pytest.raises(InputError, match="appears twice"):
        review._parse_exported(text.encode(), "f.json", envelope.parse_json_bytes)


@settings(max_examples=60, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(size=st.integers(0, 300_000), extra=st.integers(-3, 3))
def test_reading_the_bytes_is_reading_the_file(tmp_path_factory, size, extra):
    path = tmp_path_factory.mktemp("bytes") / "f.json"
    path.write_bytes(bytes(range(256)) * (size // 256) + b"x" * (size % 256))
    limit = max(0, size + extra)
    with open(path, "rb") as handle:
        want = handle.read(limit)
    assert review._read_bytes(path, limit) == want


@pytest.mark.parametrize("text", ['{"a": [-1, -22, -3], "b": "2026-02-30"}', '["x",   -1,-2, "2026-11-21"]',
                                  '{"due": "2026-13-01T00"}', '{"x_on": "abcd-ef-gh"}', '{"start": "2026-1-021"}',
                                  '{"n": "é026-11-21", "date": "2026-11-2"}'])
def test_the_date_rule_read_off_the_text_is_the_date_rule(text):
    doc = json.loads(text)
    if review._dates_pass(text):
        assert schemacheck.check_dates(doc) is None
    _check(text.encode("utf-8"))


def _dates_pass_reference(text: str) -> bool:
    """_dates_pass as it was: each match's ten characters tested, none remembered."""
    import re

    for match in re.finditer(r'-(?<="[^"]{4}-)[^"]{2}-[^"]{2}', text):
        at = match.start()
        if not schemacheck.date_text_ok(text[at - 4:at + 6]):
            return False
    return True


@SETTINGS
@given(texts=st.lists(TEXTS, min_size=1, max_size=4))
def test_the_date_rule_read_off_the_text_answers_as_before(texts):
    # Several texts in a row, so that pairs remembered from one are consulted for the next.
    for text in texts + ["[" + ", ".join(texts) + "]"]:
        if "\\" not in text:
            assert review._dates_pass(text) == _dates_pass_reference(text), text


def _longest_gap_reference(view) -> int:
    from datetime import timedelta

    if view.period_start is None or view.period_end is None:
        return 0
    present = {d.date for d in view.days if d.checkin}
    best = run = 0
    day = view.period_start
    while day <= view.period_end:
        run = 0 if day in present else run + 1
        best = max(best, run)
        day += timedelta(days=1)
    return best


@SETTINGS
@given(start=st.integers(0, 40), length=st.integers(-2, 40), checkins=st.lists(st.tuples(st.integers(-5, 50),
                                                                                      st.booleans()), max_size=30))
def test_the_longest_gap_by_day_numbers_is_the_longest_gap(start, length, checkins):
    from datetime import date, timedelta
    from types import SimpleNamespace

    first = date(2026, 1, 1) + timedelta(days=start)
    days = [SimpleNamespace(date=first + timedelta(days=i), checkin=c) for i, c in checkins]
    view = SimpleNamespace(period_start=first, period_end=first + timedelta(days=length), days=days)
    assert review.longest_gap(view) == _longest_gap_reference(view)



@SETTINGS
@given(change=st.sampled_from(["none", "message", "name", "digest", "key"]), value=STRINGS)
def test_a_signed_summary_is_checked_on_the_content_read_once(change, value):
    """review hands the signature check the canonical content it made for the digest: the same
    answer as the check that makes the signing input itself (signing.signing_input)."""
    from recoverylog import signing
    from recoverylog.reports.signature import signature_status

    pair, other = _KEYS
    doc = signing.sign_document(pair, _summary())
    if change == "message":
        doc["data"]["message"] = value          # changed after signing
    elif change == "name":
        doc["person"]["name"] = value
    elif change == "digest":
        doc["digest"] = "sha256:0"              # not signed content
    elif change == "key":
        doc = signing.sign_document(other, {k: v for k, v in doc.items() if k != "signature"})
    raw = envelope.dumps(doc).encode("utf-8")
    trusted = {signing.b64(pair.public_key): "Ana"}
    expected = signature_status(json.loads(raw), trusted)
    parsed, _, content = review._parse_exported(raw, "s.json", envelope.parse_json_bytes)
    if content is not None:
        assert review.check_signature(parsed, trusted, content) == expected


def _make_keys():
    from recoverylog import signing

    return signing.generate_key(), signing.generate_key()


_KEYS = _make_keys()
