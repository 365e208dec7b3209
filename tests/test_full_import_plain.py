"""Two shortcuts on the way in of a full backup, each against the full rule on a real backup changed
at random in hostile ways (exports/full.py):

- the envelope (rows set aside) judged by `_envelope_accepted` decides as the whole schema and the
  date rule do (`first_problem_of_export`, `check_dates`);
- `validate_full(..., plain=True)`, allowed once `quick_accept` said yes, gives the same tables or
  the same message as `validate_full` checking every cell."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverylog.clock import FixedClock
from recoverylog.errors import InputError
from recoverylog.exports.envelope import compute_digest
from recoverylog.exports.full import _envelope_accepted, quick_accept, validate_full
from recoverylog.schemacheck import check_dates, first_problem_of_export
from recoverylog.storage.db import open_store
from summary_seed import copy_db, seeded_once
from test_full_import_fast import HOSTILE, KEYS, changed


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return seeded_once(tmp_path_factory.mktemp("plainimport"), "source", used_on=(3,), skip=(5,))


@pytest.fixture
def backup(cli, template, tmp_path: Path) -> dict:
    db = copy_db(template, tmp_path / "source.db")
    cli("--db", str(db), "plan", "add", "triggers", "payday", ok=True)
    out = tmp_path / "backup.json"
    cli("--db", str(db), "export", "--profile", "full", "-o", str(out), ok=True)
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture
def store(tmp_path: Path):
    from datetime import UTC, datetime

    opened = open_store(tmp_path / "empty.db", FixedClock(datetime(2026, 11, 21, 10, tzinfo=UTC)))
    yield opened
    opened.close()


@st.composite
def reshaped(draw, base: dict):
    """`changed`, then perhaps a row loses a key or gets one, and the digest is made to match again
    (so the rows' rules, not the digest, decide)."""
    doc = draw(changed(base))
    tables = doc.get("data", {}).get("tables") if isinstance(doc.get("data"), dict) else None
    if isinstance(tables, dict):
        for _ in range(draw(st.integers(0, 2))):
            filled = sorted(t for t, r in tables.items() if isinstance(r, list) and r)
            if not filled:
                break
            rows = tables[draw(st.sampled_from(filled))]
            row = rows[draw(st.integers(0, len(rows) - 1))]
            if not isinstance(row, dict):
                continue
            if row and draw(st.booleans()):
                del row[draw(st.sampled_from(sorted(row)))]
            else:
                row[draw(KEYS)] = draw(HOSTILE)
    try:
        doc["digest"] = compute_digest(doc)
    except (TypeError, ValueError):
        pass
    return doc


def _outcome(store, doc, plain: bool):
    try:
        return ("ok", validate_full(store, copy.deepcopy(doc), "x.json", plain=plain))
    except InputError as exc:
        return ("refused", exc.message)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_plain_rows_give_the_same_answer_as_every_cell_checked(backup, store, data):
    doc = data.draw(reshaped(backup))
    if quick_accept(doc):
        assert _outcome(store, doc, plain=True) == _outcome(store, doc, plain=False)


def test_a_real_backup_is_plain_and_loads_alike(backup, store):
    assert quick_accept(backup)
    assert _outcome(store, backup, plain=True) == _outcome(store, backup, plain=False)
    assert _outcome(store, backup, plain=True)[0] == "ok"


@pytest.mark.parametrize("change, words", [
    (lambda rows: rows["checkins"][0].pop("recorded_at"), "has no recorded_at"),
    (lambda rows: rows["checkins"][-1].update(recorded_on=None), "has no recorded_on"),
    (lambda rows: rows["uses"][0].update(zz=1), "unknown column 'zz'"),
    (lambda rows: rows["meetings"][-1].update(name=None, zz=2), "unknown column 'zz'"),
])
def test_a_bad_row_gets_the_full_rules_message(backup, store, change, words):
    doc = copy.deepcopy(backup)
    change(doc["data"]["tables"])
    doc["digest"] = compute_digest(doc)
    assert quick_accept(doc)
    plain, full = _outcome(store, doc, plain=True), _outcome(store, doc, plain=False)
    assert plain == full and plain[0] == "refused" and words in plain[1]


def test_a_huge_integer_is_not_plain(backup):
    doc = copy.deepcopy(backup)
    doc["data"]["tables"]["checkins"][0]["mood"] = 2**63
    assert not quick_accept(doc)


def _stub(doc: dict) -> dict:
    data = doc.get("data")
    tables = data.get("tables") if isinstance(data, dict) else None
    if not isinstance(tables, dict):
        return doc
    return dict(doc, data=dict(data, tables={k: ([] if isinstance(v, list) else v) for k, v in tables.items()}))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_envelope_is_judged_as_the_whole_schema_does(backup, data):
    doc = data.draw(changed(backup))
    tables = doc["data"].get("tables") if isinstance(doc.get("data"), dict) else None
    # (quick_accept asks only when every table is a list: any other goes to the reference checks)
    if doc.get("profile") == "full" and isinstance(tables, dict) and all(type(r) is list for r in tables.values()):
        stub = _stub(doc)
        assert _envelope_accepted(doc, doc["data"], tables) == (
            first_problem_of_export(stub) is None and check_dates(stub) is None)


@st.composite
def shuffled(draw, base: dict):
    """`reshaped`, then some tables' rows get their keys in another order (a hand-edited file)."""
    doc = draw(reshaped(base))
    tables = doc.get("data", {}).get("tables") if isinstance(doc.get("data"), dict) else None
    if isinstance(tables, dict):
        for table in draw(st.lists(st.sampled_from(sorted(tables) or ["x"]), max_size=2)):
            rows = tables.get(table)
            if isinstance(rows, list) and rows and isinstance(rows[0], dict):
                keys = draw(st.permutations(sorted(rows[0])))
                rows[0] = {k: rows[0][k] for k in keys}
        if draw(st.booleans()):
            doc["digest"] = "sha256:" + "0" * 64
    return doc


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_presorted_digest_decides_as_verify(backup, data):
    from recoverylog.exports.envelope import verify
    from recoverylog.exports.full import _digest_matches

    doc = data.draw(shuffled(backup))
    tables = doc["data"].get("tables") if isinstance(doc.get("data"), dict) else None
    if not isinstance(tables, dict):
        return
    presorted = {t for t, rows in tables.items()
                 if isinstance(rows, list) and all(isinstance(r, dict) and list(r) == sorted(r) for r in rows)}
    assert _digest_matches(doc, presorted) == verify(doc)
    assert _digest_matches(doc, set()) == verify(doc)

