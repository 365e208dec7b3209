"""The column-at-a-time shortcuts of a full import (exports/full.py `plain_rows`, `accepted_tables`,
`validate_full(judged=)`, storage/full.py `load_tables(shapes=)`), each against the way it stands
for, on a real backup changed at random in hostile ways:

- `quick_accept` answers as it did when every row was judged one by one (kept below verbatim);
- what a table's columns say (`PlainRows`: nulls, search text, the quotes its strings take) is
  what its rows hold;
- `validate_full` given those answers returns the same tables or the same message;
- an import that inserts each such table by one statement leaves the same database (every table's
  rows and their types), or refuses with the same message, as one inserting row by row."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverylog.clock import FixedClock
from recoverylog.errors import InputError
from recoverylog.exports.envelope import compute_digest
from recoverylog.exports.full import (
    _BY_ROWS,
    INT_MAX,
    INT_MIN,
    _judge_columns,
    _judge_rows,
    accepted_tables,
    import_document,
    quick_accept,
    validate_full,
)
from recoverylog.storage.db import open_store
from summary_seed import copy_db, seeded_once
from test_full_import_fast import HOSTILE, changed

CLOCK = FixedClock(datetime(2026, 11, 21, 10, tzinfo=UTC))


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return seeded_once(tmp_path_factory.mktemp("columnsimport"), "source", used_on=(3,), skip=(5,))


@pytest.fixture
def backup(cli, template, tmp_path: Path) -> dict:
    db = copy_db(template, tmp_path / "source.db")
    cli("--db", str(db), "checkin", "--date", "2026-11-20", "--mood", "9", "--tag", "calm", "--note",
        'a "quoted" note \\ é', ok=True)
    cli("--db", str(db), "plan", "add", "triggers", "payday", ok=True)
    out = tmp_path / "backup.json"
    cli("--db", str(db), "export", "--profile", "full", "-o", str(out), ok=True)
    return json.loads(out.read_text(encoding="utf-8"))


def _quick_accept_before(doc: Any) -> bool:
    """exports/full.quick_accept as it was before its rows were judged a column at a time."""
    from recoverylog.limits import MAX_AMOUNT
    from recoverylog.schemacheck import (
        DATE_KEYS,
        JSON_COLUMNS,
        check_dates,
        date_text_ok,
        json_cell_problem,
    )

    if not isinstance(doc, dict) or doc.get("profile") != "full":
        return False
    data = doc.get("data")
    tables = data.get("tables") if isinstance(data, dict) else None
    if not isinstance(tables, dict) or not all(type(t) is str and type(r) is list for t, r in tables.items()):
        return False
    # The document without its rows: the schema and the date rule, as the reference applies them.
    stub = dict(doc, data=dict(data, tables={table: [] for table in tables}))
    # (Here the reference's own schema rule for the stub; the full-profile branch was compiled then.)
    from recoverylog.schemacheck import first_problem_of_export

    envelope_ok = first_problem_of_export(stub) is None
    if not envelope_ok or check_dates(stub) is not None:
        return False
    good_dates: set[str] = set()
    for table, rows in tables.items():
        json_columns = JSON_COLUMNS.get(table, {})
        good_json: dict[str, set[str]] = {column: set() for column in json_columns}
        shapes: dict[tuple, tuple[str, ...]] = {}   # a row's keys -> its date-holding keys
        for row in rows:
            if type(row) is not dict:
                return False
            keys = tuple(row)
            date_keys = shapes.get(keys)
            if date_keys is None:
                if not all(type(k) is str for k in keys):
                    return False
                date_keys = shapes[keys] = tuple(k for k in keys if k in DATE_KEYS or k.endswith("_on"))
            for value in row.values():
                kind = type(value)
                if kind is str or value is None or kind is float:
                    continue
                if kind is not int or not INT_MIN <= value <= INT_MAX:
                    return False   # a bool, a list, an object, a subclass, a huge integer: not a plain cell
            for key in date_keys:
                value = row[key]
                if type(value) is not str or value in good_dates:
                    continue
                if len(value) >= 10 and value[4] == "-" and value[7] == "-" and not date_text_ok(value[:10]):
                    return False
                good_dates.add(value)
            for column, (want, item) in json_columns.items():
                text = row.get(column)
                if text is None or text in good_json[column]:
                    continue
                if json_cell_problem(text, want, item) is not None:
                    return False
                good_json[column].add(text)
        if table == "uses":
            for row in rows:
                amount = row.get("amount")
                if type(amount) in (int, float) and not 0 <= amount <= MAX_AMOUNT:
                    return False
    return True


@st.composite
def recast(draw, base: dict):
    """`changed`, and perhaps a few cells of one table replaced while every row keeps its keys
    (so the table is judged by its columns), then the digest made to match again."""
    doc = draw(changed(base))
    tables = doc["data"].get("tables") if isinstance(doc.get("data"), dict) else None
    if isinstance(tables, dict):
        filled = sorted(t for t, r in tables.items() if isinstance(r, list) and r and isinstance(r[0], dict) and r[0])
        for _ in range(draw(st.integers(0, 3))):
            if not filled:
                break
            rows = tables[draw(st.sampled_from(filled))]
            row = rows[draw(st.integers(0, len(rows) - 1))]
            if isinstance(row, dict) and row:
                row[draw(st.sampled_from(sorted(row)))] = draw(st.one_of(
                    HOSTILE, st.sampled_from([None, "", 0, -1, 2**62, 1001, 1000.0, "2026-02-29", "1900-01-01",
                                              "2999-12-31", "3000-01-01", "1899-12-31T23:00", '"', 'a"b"c'])))
    try:
        doc["digest"] = compute_digest(doc)
    except (TypeError, ValueError):
        pass
    return doc


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_quick_accept_answers_as_it_did_row_by_row(backup, data):
    doc = data.draw(recast(backup))
    assert quick_accept(doc) == _quick_accept_before(doc)


def test_a_real_backup_is_judged_by_its_columns(backup):
    judged = accepted_tables(backup)
    assert judged is not None and _quick_accept_before(backup)
    assert all(j.keys is not None for t, j in judged.items() if backup["data"]["tables"][t])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_columns_say_what_the_rows_hold(backup, data):
    doc = data.draw(recast(backup))
    tables = doc["data"].get("tables") if isinstance(doc.get("data"), dict) else None
    if not isinstance(tables, dict):
        return
    for table, rows in tables.items():
        if not isinstance(rows, list):
            continue
        judged = _judge_columns(table, rows, set())
        if judged is _BY_ROWS:
            continue
        assert (judged is None) == (not _judge_rows(table, rows, set()))
        if judged is None:
            continue
        keys = judged.keys
        assert all(list(row) == list(keys) or set(row) == set(keys) and len(row) == len(keys) for row in rows)
        assert judged.nulls == {k for row in rows for k, v in row.items() if v is None}
        assert judged.void == {k for k in keys if all(row[k] is None for row in rows)}
        assert judged.filled == {k for row in rows for k, v in row.items()
                                 if k in ("note", "gratitude") and v is not None and v != ""}
        assert judged.quotes == json.dumps(rows, ensure_ascii=False).count('"')
        assert all(INT_MIN <= v <= INT_MAX for row in rows for v in row.values() if type(v) is int)


@pytest.fixture
def stores(tmp_path: Path):
    made = []

    def new():
        store = open_store(tmp_path / f"db{len(made)}" / "new.db", CLOCK, defer_create=True)
        made.append(store)
        return store

    yield new
    for store in made:
        store.close()


@pytest.fixture
def store(tmp_path: Path):
    opened = open_store(tmp_path / "empty.db", CLOCK)
    yield opened
    opened.close()


def _validated(store, doc, judged):
    try:
        return ("ok", validate_full(store, doc, "x.json", plain=True, digest_matches=True, judged=judged))
    except InputError as exc:
        return ("refused", exc.message)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_validate_full_with_the_columns_answers_alike(backup, store, data):
    doc = data.draw(recast(backup))
    judged = accepted_tables(doc)
    if judged is None:
        return
    assert _validated(store, doc, judged) == _validated(store, doc, None)


def _dump(store) -> list:
    if store.pending:
        return []
    conn = store.conn
    out = []
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                                 "'search_text_fts%' AND name != '_sqlite_migrations' ORDER BY name"):
        columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
        cells = ", ".join(f'typeof("{c}"), quote("{c}")' for c in columns)
        out.append((table, conn.execute(f'SELECT {cells} FROM "{table}"').fetchall()))
    out.append(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall())
    out.append(conn.execute("SELECT rowid, * FROM search_text_fts ORDER BY rowid").fetchall())
    return out


def _imported(store, doc, judged):
    try:
        result: Any = ("ok", import_document(store, doc, "x.json", plain=True, digest_matches=True, judged=judged))
    except InputError as exc:
        result = ("refused", exc.message)
    return result, _dump(store)


@st.composite
def breaking(draw, base: dict):
    """A real backup whose cells are replaced with values of the right kinds that a table may refuse
    (out of range, a repeated key, a row pointing at no row, a null where one is not allowed), or
    with search text; every row keeps its keys."""
    doc = copy.deepcopy(base)
    tables = doc["data"]["tables"]
    filled = sorted(t for t, r in tables.items() if r)
    for _ in range(draw(st.integers(0, 3))):
        table = draw(st.sampled_from(filled))
        rows = tables[table]
        row = rows[draw(st.integers(0, len(rows) - 1))]
        key = draw(st.sampled_from(sorted(row)))
        other = rows[draw(st.integers(0, len(rows) - 1))]
        row[key] = draw(st.one_of(st.sampled_from([None, "", 0, 1, 2, 99, -1, 3.5, "x", "note text", "[]",
                                                   "2026-11-20", "called my sponsor"]),
                                  st.just(other.get(key))))
    # A column null in every row of its table (written NULL in the statement, storage/full.load_tables),
    # a required one among them at times: the import is refused alike.
    for _ in range(draw(st.integers(0, 2))):
        rows = tables[draw(st.sampled_from(filled))]
        key = draw(st.sampled_from(sorted(rows[0])))
        for row in rows:
            if key in row:
                row[key] = None
    return doc


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_an_import_from_the_columns_leaves_the_same_database(backup, stores, data):
    doc = data.draw(breaking(backup))
    judged = accepted_tables(doc)
    if judged is None:
        return
    fast = _imported(stores(), doc, judged)
    slow = _imported(stores(), doc, None)
    assert fast == slow


def test_a_real_backup_imports_alike_from_its_columns(backup, stores):
    judged = accepted_tables(backup)
    fast, slow = _imported(stores(), backup, judged), _imported(stores(), backup, None)
    assert fast == slow and fast[0][0] == "ok"



def test_a_refusal_from_the_columns_is_the_rows_message(backup, stores):
    doc = copy.deepcopy(backup)
    doc["data"]["tables"]["checkins"][-1]["mood"] = 99
    judged = accepted_tables(doc)
    assert judged is not None and judged["checkins"].keys is not None
    fast, slow = _imported(stores(), doc, judged), _imported(stores(), doc, None)
    assert fast == slow and fast[0][0] == "refused" and "checkins" in fast[0][1]


def test_the_search_text_columns_are_the_triggers_columns():
    from recoverylog.exports.full import _SEARCH_TEXT
    from recoverylog.storage.full import SEARCH_TRIGGERS

    assert _SEARCH_TEXT == {c for _, columns in SEARCH_TRIGGERS.values() for c in columns}
