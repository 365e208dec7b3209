"""The compiled schema (schemacheck.compile_schema) is only a fast way to say "valid": it must
decide exactly as the reference validator (jsonschema, draft 2020-12) does. Checked here on real
summaries and court sheets with random leaves replaced, keys removed and keys added, on random
JSON, on small schemas of every keyword it translates, and on the reply schema
(docs/definitions.md §12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverylog import schemacheck
from summary_seed import export_json, seeded_once

# Keywords the schema may use: those that mean the same in draft 7 and in draft 2020-12.
SHARED_KEYWORDS = {
    "$defs", "$id", "$ref", "$schema", "additionalProperties", "allOf", "anyOf", "const", "description",
    "enum", "if", "then", "else", "items", "maxItems", "minItems", "maximum", "minimum", "not", "oneOf",
    "pattern", "properties", "required", "title", "type", "maxLength", "minLength", "exclusiveMaximum",
    "exclusiveMinimum", "uniqueItems", "patternProperties",
}


def _keywords(node, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            if key in ("properties", "$defs", "patternProperties"):
                for sub in value.values():
                    _keywords(sub, found)
            else:
                _keywords(value, found)
    elif isinstance(node, list):
        for item in node:
            _keywords(item, found)
    return found


def test_the_schema_uses_only_keywords_both_drafts_share():
    used = _keywords(schemacheck._schema(), set())
    assert used <= SHARED_KEYWORDS, used - SHARED_KEYWORDS


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> list[dict]:
    folder = tmp_path_factory.mktemp("fastschema")
    db = seeded_once(folder, "p", used_on=(3,), cravings=[3, 8, 2, 7, 1, 2, 3, 4, 2, 1])
    from summary_seed import _OnceCli

    cli = _OnceCli()
    sponsor = export_json(cli, db, folder / "s.json", "--name", "Ana", "--message", "work")
    court = export_json(cli, db, folder / "c.json", "--profile", "court")
    return [sponsor, court]


def _paths(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, path + (i,))
    yield path


VALUES = st.one_of(
    st.sampled_from([None, True, False, -1, 0, 1, 1.0, 7, 2**63, 10**30, 1e308, -0.5, "", "x", "0001-01-01",
                     "2026-02-30", "9999-12-31", "2026-11-21", "sponsor", "court", "full", [], {}, [None], {"a": 1},
                     [1, 2], "\u202e"]),
    st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=12),
)


def _reference_valid(doc) -> bool:
    return schemacheck._validator().is_valid(doc)


@settings(max_examples=400, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_the_fast_check_never_accepts_what_jsonschema_refuses(documents, data):
    doc = json.loads(json.dumps(data.draw(st.sampled_from(documents))))
    assert schemacheck._fast_valid(doc) and _reference_valid(doc)   # the real files pass both
    paths = [p for p in _paths(doc) if p]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        node = doc
        try:
            for key in path[:-1]:
                node = node[key]
            action = data.draw(st.sampled_from(["replace", "remove", "add"]))
            if action == "replace":
                node[path[-1]] = data.draw(VALUES)
            elif action == "remove" and isinstance(node, dict):
                node.pop(path[-1], None)
            elif isinstance(node, dict):
                node[data.draw(st.text(min_size=1, max_size=8))] = data.draw(VALUES)
        except (KeyError, IndexError, TypeError):
            continue   # an earlier edit changed the shape under this path
    # Both ways: never accepts what jsonschema refuses, never refuses what it accepts.
    assert schemacheck._fast_valid(doc) == _reference_valid(doc)
    # Whichever way, the answer shown is jsonschema's: None exactly when it finds nothing.
    assert (schemacheck.first_problem(doc) is None) == _reference_valid(doc)


def test_review_of_a_changed_value_still_names_the_path(tmp_path: Path, documents):
    doc = json.loads(json.dumps(documents[0]))
    doc["data"]["checkins"]["share"] = 7
    assert not schemacheck._fast_valid(doc)
    assert schemacheck.first_problem(doc) == "$.data.checkins.share: 7 is more than 1"


def test_the_shipped_schema_compiles():
    # None would mean every file goes to jsonschema (correct, but the fast path would be off).
    assert schemacheck._fast() is not None


def test_the_shipped_predicate_module_is_what_predicate_module_writes():
    # A schema edited without regenerating fails here (and, at run time, only loses the shortcut:
    # the recorded digest no longer matches, so the schema is compiled as before).
    from importlib import resources

    from recoverylog import _summary_schema_check as shipped

    raw = resources.files("recoverylog").joinpath("data/summary.schema.json").read_bytes()
    assert schemacheck._schema_bytes() == raw
    written = Path(schemacheck.__file__).with_name("_summary_schema_check.py").read_text(encoding="utf-8")
    assert written == schemacheck.predicate_module(raw)
    assert schemacheck._fast() is shipped.check


def test_a_stale_predicate_module_is_not_used(monkeypatch):
    from recoverylog import _summary_schema_check as shipped

    monkeypatch.setattr(shipped, "SCHEMA_SHA256", "0" * 64)
    schemacheck._fast.cache_clear()
    try:
        fresh = schemacheck._fast()
        assert fresh is not None and fresh is not shipped.check and hasattr(fresh, "source")
    finally:
        monkeypatch.undo()
        schemacheck._fast.cache_clear()
    assert schemacheck._fast() is shipped.check


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(doc=st.none() | st.booleans() | st.integers() | st.text(max_size=4) | st.lists(st.none(), max_size=2)
       | st.dictionaries(st.text(max_size=3), st.none() | st.integers() | st.text(max_size=3), max_size=3),
       data=st.data())
def test_the_shipped_predicate_decides_as_the_compiled_schema(documents, doc, data):
    from recoverylog import _summary_schema_check as shipped

    compiled = schemacheck.compile_schema(schemacheck._schema())
    real = json.loads(json.dumps(data.draw(st.sampled_from(documents))))
    for candidate in (doc, real, {**real, "data": doc}, {**real, "version": doc}):
        assert shipped.check(candidate) == compiled(candidate)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from([0.0, 1.0, 1.5, -0.5, 2**70, 1e300])
    | st.sampled_from(["", "a", "ab", "2026-01-02", "2026-01-02\n", "sha256:" + "0" * 64, "sponsor", "١٢٣٤-٠١-٠٢"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(doc=JSON)
def test_random_json_decided_alike(doc):
    assert schemacheck._fast_valid(doc) == _reference_valid(doc)


# Small schemas, one or two keywords each, so every translated keyword meets values of every type.
SMALL_SCHEMAS = [
    {"type": "integer"}, {"type": "number"}, {"type": ["integer", "null"], "minimum": 0},
    {"type": ["number", "null"], "minimum": 0, "maximum": 1}, {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
    {"type": "boolean"}, {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 2},
    {"type": "object"}, {"const": 1}, {"const": False}, {"const": "a"}, {"const": None}, {"enum": ["a", None, 1]},
    {"enum": [0.0, True]}, {"minLength": 1, "maxLength": 2}, {"exclusiveMinimum": 0, "exclusiveMaximum": 2},
    {"required": ["a", "b"]}, {"properties": {"a": {"type": "integer"}}, "additionalProperties": False},
    {"properties": {"a": {"const": 1}}, "additionalProperties": {"type": "array"}},
    {"oneOf": [{"type": "null"}, {"type": "integer"}, {"type": "number"}]},
    {"anyOf": [{"required": ["a"]}, {"required": ["b"]}]}, {"not": {"anyOf": [{"required": ["c"]}, {"type": "string"}]}},
    {"if": {"properties": {"a": {"const": 1}}}, "then": {"required": ["b"]}, "else": {"required": ["c"]}},
    {"if": {"type": "object"}, "then": {"properties": {"a": {"type": "array", "items": {"not": {"required": ["a"]}}}}}},
    {"allOf": [{"minimum": 1}, {"type": "integer"}]}, {"$ref": "#/$defs/x", "$defs": {"x": {"type": ["string", "null"]}}},
    {"items": False}, {"properties": {"a": True, "b": False}}, True, False,
    # One type stated, so the keyword's own type guard is known to hold (and null tested first).
    {"type": "integer", "minimum": 1, "maximum": 2}, {"type": "number", "exclusiveMaximum": 1},
    {"type": ["integer", "integer"], "minimum": 0}, {"type": ["null", "integer"], "maximum": 0},
    {"type": "string", "minLength": 2}, {"type": "array", "minItems": 2, "items": {"type": ["number", "null"]}},
    {"type": "object", "required": ["a"], "properties": {"a": {"type": "integer", "minimum": 0}}},
    {"type": ["object", "array"], "minItems": 1, "required": ["a"]},
    # Written out another way: an enum of three or more strings (a set lookup), three or more
    # required keys (a subset test) and their properties read directly, a scalar $ref inlined,
    # "required" alone (and anyOf/not/oneOf of it) as an expression.
    {"enum": ["a", "ab", "2026-01-02"]}, {"enum": ["a", "ab", 1]},
    {"required": ["a", "b", "c"], "properties": {"a": {"type": "integer"}, "b": {"const": None}, "d": {"type": "array"}}},
    {"type": "object", "required": ["a", "b", "c"], "properties": {"c": {"enum": ["", "a", "sponsor"]}}},
    {"$ref": "#/$defs/x", "minimum": 1, "$defs": {"x": {"type": ["integer", "null"], "maximum": 2}}},
    {"properties": {"a": {"$ref": "#/$defs/x"}, "b": {"$ref": "#/$defs/y"}},
     "$defs": {"x": {"enum": ["a", "sponsor", ""]}, "y": {"type": "string", "pattern": "^a", "maxLength": 1}}},
    {"not": {"required": ["a", "b"]}}, {"oneOf": [{"required": ["a"]}, {"required": ["b"]}]},
    {"not": {"not": {"required": ["a"]}}}, {"anyOf": [{"required": ["a"]}, {"type": "string"}]},
    {"not": {"anyOf": [{"required": ["a"]}, {"required": ["b", "c"]}, {"required": ["d"], "title": "x"}]}},
    {"anyOf": [{"required": []}, {"required": ["a"]}]},
    {"items": {"$ref": "#/$defs/x"}, "$defs": {"x": {"type": "array", "items": {"$ref": "#/$defs/y"}},
                                                 "y": {"type": "number", "exclusiveMaximum": 2}}},
]


@settings(max_examples=600, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(schema=st.sampled_from(SMALL_SCHEMAS), doc=JSON)
def test_each_keyword_decided_like_jsonschema(schema, doc):
    import jsonschema

    check = schemacheck.compile_schema(schema)
    assert check is not None
    assert check(doc) == jsonschema.Draft202012Validator(schema).is_valid(doc), (schema, doc)


def test_a_keyword_it_does_not_translate_turns_the_fast_path_off():
    for schema in ({"type": "string", "format": "date"}, {"patternProperties": {"a": {}}},
                   {"$ref": "https://example.org/x"}, {"enum": [[1]]}, {"items": [{}]}, {"type": "any"}):
        assert schemacheck.compile_schema(schema) is None, schema


@pytest.fixture(scope="module")
def reply_schema():
    from importlib import resources

    return json.loads(resources.files("recoverylog").joinpath("data/reply.schema.json").read_text("utf-8"))


@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_the_reply_schema_decided_alike(reply_schema, data):
    import jsonschema

    check = schemacheck.compile_schema(reply_schema)
    assert check is not None
    doc = {"format": "recoverylog-reply", "version": 1, "generated_at": "2026-11-21T10:00:00+00:00",
           "in_reply_to": {"digest": "sha256:" + "a" * 64, "profile": "sponsor",
                           "period": {"start": "2026-11-15", "end": "2026-11-21", "days": 7}},
           "from": {"name": "Sam"}, "note": "Proud of you.", "ask": None, "suggested_goals": ["call me"],
           "digest": "sha256:" + "b" * 64}
    assert check(doc) and jsonschema.Draft202012Validator(reply_schema).is_valid(doc)
    paths = [p for p in _paths(doc) if p]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        node = doc
        try:
            for key in path[:-1]:
                node = node[key]
            if data.draw(st.booleans()):
                node[path[-1]] = data.draw(VALUES | JSON)
            elif isinstance(node, dict):
                node.pop(path[-1], None)
        except (KeyError, IndexError, TypeError):
            continue
    assert check(doc) == jsonschema.Draft202012Validator(reply_schema).is_valid(doc)
