"""A full export's rows are checked directly (schemacheck.first_problem_of_export); the answer
equals jsonschema's over the whole document (first_problem), on random broken documents."""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from recoverylog import schemacheck

CELLS = st.one_of(st.none(), st.text(max_size=3), st.integers(-5, 5), st.floats(allow_nan=False, allow_infinity=False),
                  st.booleans(), st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=2), st.none(),
                                                                                         max_size=1))
ROWS = st.one_of(st.dictionaries(st.sampled_from(["a", "b", "date", "z"]), CELLS, max_size=4),
                 st.integers(), st.text(max_size=2), st.none(), st.lists(st.none(), max_size=1))
TABLES = st.dictionaries(st.sampled_from(["checkins", "uses", "meetings", "x"]),
                         st.one_of(st.lists(ROWS, max_size=5), st.none(), st.integers(), st.text(max_size=2)),
                         max_size=4)

BASE = {"format": "recoverylog-summary", "version": 1, "profile": "full", "generated_at": "2026-11-21T10:00:00+00:00",
        "period": {"start": "2026-01-01", "end": "2026-11-21"}, "person": {"name": None},
        "data": {"schema_version": 5, "tables": {}}, "digest": "sha256:" + "0" * 64}


@st.composite
def documents(draw):
    doc = copy.deepcopy(BASE)
    doc["data"]["tables"] = draw(TABLES)
    if draw(st.booleans()):
        doc["data"]["schema_version"] = draw(st.one_of(st.integers(-1, 3), st.text(max_size=2), st.none()))
    if draw(st.booleans()):
        doc[draw(st.sampled_from(["version", "generated_at", "period", "person"]))] = draw(
            st.one_of(st.none(), st.integers(), st.text(max_size=2)))
    if draw(st.integers(0, 9)) == 0:
        doc["data"] = draw(st.one_of(st.none(), st.integers()))
    return doc


@settings(max_examples=300, deadline=None)
@given(documents())
def test_the_direct_row_check_names_what_jsonschema_names(doc):
    assert schemacheck.first_problem_of_export(doc) == schemacheck.first_problem(doc)


def test_a_valid_full_document_has_no_problem():
    doc = copy.deepcopy(BASE)
    doc["data"]["tables"] = {"uses": [{"date": "2026-01-01", "used": 1, "amount": 2.5, "note": None}]}
    assert schemacheck.first_problem(doc) is None
    assert schemacheck.first_problem_of_export(doc) is None
