"""The JSON envelope: canonical JSON, SHA-256 digest, verification, guarded parsing, the shipped schema."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoverylog.errors import InputError
from recoverylog.exports.envelope import (
    canonical,
    check_envelope,
    compute_digest,
    dumps,
    make_envelope,
    parse_json_bytes,
    verify,
)


def _doc(data=None, name="Alex"):
    return make_envelope(profile="sponsor", generated_at="2026-11-21T10:00:00+00:00",
                         period={"start": "2026-11-15", "end": "2026-11-21", "days": 7}, name=name,
                         data=data if data is not None else {"x": 1, "note": "café ✓"})


def test_canonical_is_sorted_compact_utf8_with_non_ascii_kept():
    assert canonical({"b": 1, "a": [1, 2], "é": "ü ✓"}) == '{"a":[1,2],"b":1,"é":"ü ✓"}'.encode()


def test_canonical_refuses_nan():
    with pytest.raises(ValueError):
        canonical({"x": float("nan")})


def test_digest_is_sha256_of_canonical_body_without_digest():
    import hashlib

    doc = _doc()
    body = {k: v for k, v in doc.items() if k != "digest"}
    assert doc["digest"] == "sha256:" + hashlib.sha256(canonical(body)).hexdigest()
    assert list(doc) == ["format", "version", "profile", "generated_at", "period", "person", "data", "digest"]
    assert verify(doc)


def test_layout_does_not_matter_content_does():
    doc = _doc()
    text = dumps(doc)
    reordered = json.loads(json.dumps(json.loads(text), sort_keys=True, indent=7, ensure_ascii=True))
    assert verify(reordered)
    changed = json.loads(text)
    changed["data"]["x"] = 2
    assert not verify(changed)


def test_one_byte_change_in_the_file_is_detected():
    text = dumps(_doc()).encode("utf-8")
    position = text.index(b'"x": 1') + 5
    altered = text[:position] + b"7" + text[position + 1:]
    assert len(altered) == len(text) and altered != text
    assert verify(json.loads(text)) and not verify(json.loads(altered))


@pytest.mark.parametrize("mutate", [
    lambda d: d.pop("digest"),
    lambda d: d.__setitem__("digest", "sha256:" + "0" * 64),
    lambda d: d.__setitem__("digest", 12),
    lambda d: d.__setitem__("digest", "md5:abc"),
    lambda d: d["person"].__setitem__("name", "Someone else"),
    lambda d: d.__setitem__("extra", True),
])
def test_verify_fails_for_missing_wrong_or_stale_digests(mutate):
    doc = _doc()
    mutate(doc)
    assert verify(doc) is False


def test_verify_never_raises_on_junk():
    assert verify(None) is False and verify([]) is False and verify("sha256:x") is False


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.text(max_size=20)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=150, deadline=None)
@given(data=st.dictionaries(st.text(max_size=10), json_values, max_size=6), name=st.none() | st.text(max_size=30))
def test_any_envelope_survives_a_write_and_read(data, name):
    doc = _doc(data, name)
    assert verify(json.loads(dumps(doc)))
    assert compute_digest(json.loads(dumps(doc))) == doc["digest"]


@settings(max_examples=100, deadline=None)
@given(data=st.dictionaries(st.text(min_size=1, max_size=10), st.integers(), min_size=1, max_size=6))
def test_changing_any_value_changes_the_digest(data):
    doc = _doc(data)
    key = sorted(data)[0]
    doc["data"][key] = data[key] + 1
    assert not verify(doc)


# -- guarded parsing --------------------------------------------------------------------

@pytest.mark.parametrize("raw, words", [
    (b"", "empty"),
    (b"   \n", "empty"),
    (b'{"format": "recoverylog-summary", "version": 1, "data": {"a": [1, 2', "truncated"),
    (b'{"format": "recoverylog-summary", "person": {"name": "Sa', "truncated"),   # cut inside a string
    (b'{"format": "recoverylog-summary", "person": {"na', "truncated"),
    (b"{not json}", "not valid JSON"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b'{"x": NaN}', "not valid JSON"),
    (b'{"x": Infinity}', "not valid JSON"),
    (b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
    (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "nested too deeply"),
])
def test_hostile_bytes_give_one_line_errors(raw, words):
    with pytest.raises(InputError) as info:
        parse_json_bytes(raw, "f.json")
    assert words in info.value.message
    assert "\n" not in info.value.message and info.value.message.startswith("f.json: ")


@pytest.mark.parametrize("doc, words", [
    ([], "not a recoverylog export"),
    ({"format": "other"}, "not a recoverylog export"),
    ({"format": "recoverylog-summary", "version": 2, "data": {}}, "version 2"),
    ({"format": "recoverylog-summary", "version": True, "data": {}}, "version"),
    ({"format": "recoverylog-summary", "version": "1", "data": {}}, "version"),
    ({"format": "recoverylog-summary", "version": 1, "data": []}, "no data"),
])
def test_envelope_checks(doc, words):
    with pytest.raises(InputError) as info:
        check_envelope(doc, "f.json")
    assert words in info.value.message


def test_the_schema_ships_with_the_package_and_is_valid():
    jsonschema = pytest.importorskip("jsonschema")
    text = resources.files("recoverylog").joinpath("data/summary.schema.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    good = make_envelope(profile="full", generated_at="2026-11-21T10:00:00+00:00", period=None, name=None,
                         data={"schema_version": 1, "tables": {"checkins": [{"date": "2026-11-21", "mood": 5}]}})
    assert not list(validator.iter_errors(good))
    bad = dict(good, digest="sha256:xyz")
    assert list(validator.iter_errors(bad))
    wrong_version = dict(good, version=2)
    assert list(validator.iter_errors(wrong_version))
