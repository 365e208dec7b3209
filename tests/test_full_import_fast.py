"""The full backup's one-pass acceptance (exports/full.quick_accept) never accepts a file that the
reference checks (the schema, dates, JSON columns, amounts: exports/full.reference_checks) refuse,
on a real backup changed at random in hostile ways; and it does accept a real backup."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverylog.errors import InputError
from recoverylog.exports.full import quick_accept, read_full_file, reference_checks
from recoverylog.schemacheck import JSON_COLUMNS
from summary_seed import copy_db, seeded_once


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return seeded_once(tmp_path_factory.mktemp("fastimport"), "source", used_on=(3,), skip=(5,))


@pytest.fixture
def backup(cli, template, tmp_path: Path) -> dict:
    db = copy_db(template, tmp_path / "source.db")
    cli("--db", str(db), "checkin", "--date", "2026-11-20", "--mood", "9", "--tag", "calm", ok=True)
    out = tmp_path / "backup.json"
    cli("--db", str(db), "export", "--profile", "full", "-o", str(out), ok=True)
    return json.loads(out.read_text(encoding="utf-8"))


def _refused(doc) -> bool:
    try:
        reference_checks(doc, "x")
    except InputError:
        return True
    return False


def test_a_real_backup_is_accepted_by_both(backup):
    assert any(backup["data"]["tables"][t] for t in ("checkins", "uses", "meetings"))
    assert quick_accept(backup)
    assert not _refused(backup)


HOSTILE = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from([2**63, -(2**63) - 1, 1e300, -0.5, 1e12]),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=12),
    st.sampled_from(["2026-02-30", "1899-12-31", "3000-01-01", "9999-12-31", "2026-13-01", "2026-1-011",
                     "2026-11-20", "2026-11-20T25:00", "0000-00-00", "[]", "[1]", "[true]", "{}", "{", "NaN",
                     '["a",1]', '["tired"]', "[1,2,3]", '{"a":1}', "null", "\"x\"", "[" * 50]),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=2), st.none(), max_size=1))
KEYS = st.sampled_from(["date", "halt", "tags", "amount", "note", "fellowships", "answers", "data", "x_on",
                        "target_date", "due", "start", "period_start", "mood", "created_at", "zz"])


@st.composite
def changed(draw, base: dict):
    doc = copy.deepcopy(base)
    tables = doc["data"]["tables"]
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.integers(0, 9))
        filled = sorted(t for t, r in tables.items() if isinstance(r, list) and r)
        table = draw(st.sampled_from(filled if where <= 6 and filled else sorted(tables)))
        rows = tables[table]
        if where <= 6 and isinstance(rows, list) and rows:
            index = draw(st.integers(0, len(rows) - 1))
            if isinstance(rows[index], dict):
                own = sorted(rows[index]) + sorted(JSON_COLUMNS.get(table, {}))
                rows[index][draw(st.one_of(KEYS, st.sampled_from(own)) if own else KEYS)] = draw(HOSTILE)  # an added {} has no keys
            continue
        if where == 7 and isinstance(rows, list):
            rows.append(draw(st.one_of(HOSTILE, st.dictionaries(KEYS, HOSTILE, max_size=3))))
        elif where == 8:
            tables[draw(st.sampled_from([table, "x", "uses"]))] = draw(st.one_of(HOSTILE, st.lists(HOSTILE, max_size=2)))
        else:
            spot = draw(st.sampled_from(["period", "person", "generated_at", "version", "data.schema_version",
                                         "data.signing_key", "data.extra"]))
            if spot.startswith("data."):
                doc["data"][spot[5:]] = draw(HOSTILE)
            else:
                doc[spot] = draw(HOSTILE)
    return doc


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_one_pass_never_accepts_what_the_reference_refuses(backup, data):
    doc = data.draw(changed(backup))
    if quick_accept(doc):
        assert not _refused(doc)


@pytest.mark.parametrize("table, key, value, words", [
    ("checkins", "date", "2026-02-30", "not a real date"),
    ("checkins", "halt", "[1]", "should hold a list of words"),
    ("checkins", "tags", "{", "is not valid JSON"),
    ("uses", "amount", 1e12, "is outside"),
    ("checkins", "mood", True, "is not text or a number or null"),
])
def test_a_bad_row_is_named_by_the_reference_message(backup, tmp_path, table, key, value, words):
    doc = copy.deepcopy(backup)
    rows = doc["data"]["tables"][table]
    assert rows, table
    rows[-1][key] = value
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert not quick_accept(doc)
    with pytest.raises(InputError, match=words):
        read_full_file(path, "changed.json")
