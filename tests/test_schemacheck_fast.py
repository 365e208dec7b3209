"""The compiled schema (fastjsonschema) is only a fast way to say "valid": it must never accept a
document that the reference validator (jsonschema, draft 2020-12) refuses. Checked here on real
summaries and court sheets with random leaves replaced, keys removed and keys added
(docs/definitions.md §12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverylog import schemacheck
from summary_seed import export_json, seeded_once

# Keywords that mean the same in draft 7 (what fastjsonschema implements) and in draft 2020-12.
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
    if schemacheck._fast_valid(doc):
        assert _reference_valid(doc), "the fast check accepted a document jsonschema refuses"
    # Whichever way, the answer shown is jsonschema's: None exactly when it finds nothing.
    assert (schemacheck.first_problem(doc) is None) == _reference_valid(doc)


def test_review_of_a_changed_value_still_names_the_path(tmp_path: Path, documents):
    doc = json.loads(json.dumps(documents[0]))
    doc["data"]["checkins"]["share"] = 7
    assert not schemacheck._fast_valid(doc)
    assert schemacheck.first_problem(doc) == "$.data.checkins.share: 7 is more than 1"
