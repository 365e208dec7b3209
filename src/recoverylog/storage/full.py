"""Every table's rows, for the `full` export, and loading them back into an empty database
(the search triggers and the full-text index during a load: docs/definitions.md §11)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, groupby, islice
from operator import itemgetter
from typing import Any

from recoverylog.errors import InputError, StorageError
from recoverylog.storage.db import Store, _storage_error

# Parents before children (foreign keys): the order rows are written back in.
TABLES = ("settings", "substances", "uses", "checkins", "meetings", "requirements", "goals",
          "contacts", "outreach", "plan_versions", "steps", "assessments", "medications",
          "medication_doses", "revisions", "exports", "trusted_keys", "replies", "reply_goals", "backfill_declined")


def table_columns(store: Store, table: str) -> list[dict[str, Any]]:
    """PRAGMA table_info rows: name, type, notnull, dflt_value, pk."""
    return [dict(r) for r in store.query(f"PRAGMA table_info({table})")]


def schema_version(store: Store) -> int:
    return int(store.scalar("PRAGMA user_version"))


def dump_tables(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, ordered by primary key (so a dump is reproducible)."""
    return {table: table_rows(store, table) for table in TABLES}


def table_rows(store: Store, table: str) -> list[dict[str, Any]]:
    """One table's rows as plain dicts, ordered by primary key."""
    return [row for batch in row_batches(store, table) for row in batch]


BATCH_ROWS = 4096


def row_batches(store: Store, table: str, size: int | None = None, *,
                sorted_keys: bool = False) -> Iterator[list[dict[str, Any]]]:
    """One table's rows as plain dicts, ordered by primary key, `size` (BATCH_ROWS) rows at a time.
    `sorted_keys`: each dict's keys in sorted order (the canonical JSON order), so an encoder
    need not sort them again; otherwise in the table's column order."""
    columns = table_columns(store, table)
    keys = [c["name"] for c in sorted((c for c in columns if c["pk"]), key=lambda c: c["pk"])]
    order = ", ".join(keys) if keys else "rowid"
    wanted = ", ".join('"' + name + '"' for name in sorted(c["name"] for c in columns)) if sorted_keys else "*"
    try:
        cursor = store.conn.cursor()
        cursor.row_factory = None   # tuples: cheaper than sqlite3.Row for a whole table
        cursor.execute(f"SELECT {wanted} FROM {table} ORDER BY {order}")
        names = [d[0] for d in cursor.description]
        while batch := cursor.fetchmany(size or BATCH_ROWS):
            yield [dict(zip(names, row, strict=True)) for row in batch]
    except sqlite3.Error as exc:
        raise _storage_error(store.path, exc) from exc


def nonempty_tables(store: Store) -> list[str]:
    """Tables that already hold rows (settings do not count: an import replaces them)."""
    return [t for t in TABLES if t != "settings"
            and store.query_one(f"SELECT 1 FROM {t} LIMIT 1") is not None]


def load_tables(store: Store, tables: dict[str, list[dict[str, Any]]],
                shapes: dict[str, tuple[tuple[str, ...], frozenset[str], frozenset[str]]] | None = None
                ) -> dict[str, int]:
    """Write the rows in one transaction into a database whose tables are empty.

    Column names must already be checked against `table_columns` by the caller. A row that
    breaks a constraint (range, uniqueness, foreign key) rolls everything back. `shapes`: for a
    table whose every row holds the same keys (not one more), those keys and the search text
    columns among them holding something other than null and '', and the keys holding a null in
    every row (exports/full.PlainRows); its rows go in by one statement for those keys, in the
    same order, each row's cells read in the keys' order (no dict key order compared, no tuple
    list built), NULL written in the statement for a key that is null in every row (the same
    row as binding a null: a column's default is used only when it is left out).

    A null that is bound goes through `_NULL` (registered once, process-wide, as the adapter for
    None): the sqlite3 module looks up an adapter for every value that is not an int, float or
    str, and without one it tries two protocols, raising and clearing an AttributeError for each,
    four times the cost of binding a text; the adapter gives back None, bound as NULL as before."""
    counts: dict[str, int] = {}
    sqlite3.register_adapter(type(None), _NULL)
    # A new journal's schema is made in this same transaction (storage/db.Store.write).
    with store.write(schema_inside=True) as conn:
        busy = [t for t in TABLES if t != "settings"
                and conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() is not None]
        if busy:
            raise InputError(f"This database already holds data ({', '.join(busy)}); nothing was imported. "
                             "Import into a new, empty database with --db PATH.")
        # A table whose rows hold no searchable text: its search trigger would copy nothing,
        # so it is set aside while the rows go in and put back as it was (same statement).
        by_shape = shapes or {}
        quiet = {t for t, (_, names) in SEARCH_TRIGGERS.items()
                 if not (by_shape[t][1] & set(names) if t in by_shape else _holds_search_text(tables.get(t, []), names))}
        # Rows that do put text into search_text: the full-text index is built once from it at the end.
        index_aside = _set_index_aside(conn) if tables.get("plan_versions") or len(quiet) < len(SEARCH_TRIGGERS) else []
        for table in TABLES:
            rows = tables.get(table, [])
            verb = "INSERT OR REPLACE" if table == "settings" else "INSERT"
            trigger = _set_trigger_aside(conn, SEARCH_TRIGGERS[table][0]) if table in quiet and rows else None
            if table in by_shape and by_shape[table][0]:
                keys, _, void = by_shape[table]
                cells = tuple(k for k in keys if k not in void)
                one = "(" + ", ".join("NULL" if k in void else "?" for k in keys) + ")"
                groups: Any = [(keys, one, len(cells), map(_reader(cells), rows))] if rows else []
            else:
                # Consecutive rows with the same columns go in together, in file order.
                groups = ((names, "(" + ", ".join("?" * len(names)) + ")", len(names),
                           [tuple(row.values()) for row in group]) for names, group in groupby(rows, key=tuple))
            for names, one, width, values in groups:
                try:
                    _insert_rows(conn, f"{verb} INTO {table} ({', '.join(names)}) VALUES ", width, values, one)
                except sqlite3.IntegrityError as exc:
                    raise InputError(f"A row of {table} does not fit this database ({exc}); "
                                     "nothing was imported.") from None
                except sqlite3.Error as exc:
                    raise _storage_error(store.path, exc) from exc
            if trigger is not None:
                conn.execute(trigger)
            counts[table] = len(rows)
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise InputError(f"The file's {problems[0][0]} rows point at rows that are not in it; "
                             "nothing was imported.")
        if index_aside:
            conn.execute("INSERT INTO search_text_fts (search_text_fts) VALUES ('rebuild')")
            for statement in index_aside:
                conn.execute(statement)
    store.invalidate_settings()
    return counts


# Bound values per statement: SQLite's smallest limit on them (SQLITE_MAX_VARIABLE_NUMBER before
# 3.32; a SQLCipher build may keep it). Rows per statement: enough that the per-statement cost is
# spread thin, few enough that a statement stays small.
MAX_VARIABLES = 999
ROWS_PER_STATEMENT = 100


# The adapter for None (see load_tables): a builtin that, given one value, answers None.
_NULL: Any = {}.get


def _reader(cells: tuple[str, ...]) -> Any:
    """A function giving a row's values for `cells`, in that order, as a tuple."""
    if len(cells) > 1:
        return itemgetter(*cells)
    if cells:
        return lambda row, key=cells[0]: (row[key],)
    return lambda row: ()


def _insert_rows(conn: sqlite3.Connection, head: str, width: int, values: Iterable[Sequence[Any]],
                 one: str | None = None) -> None:
    """Insert `values` (rows of exactly `width` cells, in order: load_tables' rows of a group all
    come from the same keys, and a row of another length would shift its neighbours' cells) by
    `head` ("INSERT INTO t (a, b) VALUES ") and `one`, a row's values with a `?` for each of its
    cells (by default `width` of them: "(?, ?)"; "(?, NULL)" writes NULL for the second column):
    up to ROWS_PER_STATEMENT rows in one statement's VALUES list, the rest one statement a row.
    SQLite inserts a VALUES list's rows one after the other, each checked (constraints, triggers)
    as a statement of its own would be, so the table ends as row-by-row inserts leave it; the
    cost of running a statement is paid once per hundred rows instead of once a row."""
    per = max(1, min(ROWS_PER_STATEMENT, MAX_VARIABLES // max(width, 1)))
    if one is None:
        one = "(" + ", ".join("?" * width) + ")"
    many = head + ", ".join([one] * per)
    rows = iter(values)
    execute = conn.execute
    while True:
        chunk = list(islice(rows, per))
        if len(chunk) < per:
            if chunk:
                conn.executemany(head + one, chunk)
            return
        execute(many, list(chain.from_iterable(chunk)))


# The insert triggers that copy a row's text into search_text (storage/migrations.SEARCH_SOURCES,
# docs/definitions.md §11), and the columns they copy: each copies a cell only when it is not
# null and not ''.
SEARCH_TRIGGERS = {"uses": ("search_uses_ai", ("note",)), "checkins": ("search_checkins_ai", ("note", "gratitude")),
                   "meetings": ("search_meetings_ai", ("note",))}


# sqlite-utils' triggers keeping the full-text index in step with search_text.
INDEX_TRIGGERS = ("search_text_ai", "search_text_ad", "search_text_au")


def _holds_search_text(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> bool:
    """Whether a search trigger copying `columns` would copy anything from `rows`: a cell that is
    not missing, null or '' (a missing one is null, as these columns have no default; anything
    else, a number included, is stored as text and copied)."""
    for row in rows:
        for column in columns:
            value = row.get(column)
            if value is not None and value != "":
                return True
    return False


def _set_trigger_aside(conn: sqlite3.Connection, name: str) -> str | None:
    """Drop trigger `name` inside the caller's transaction; its statement, to create it again
    (None when there is no such trigger: nothing is dropped)."""
    found = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)).fetchone()
    if found is None or not found[0]:
        return None
    conn.execute(f'DROP TRIGGER "{name}"')
    return found[0]


def _set_index_aside(conn: sqlite3.Connection) -> list[str]:
    """Drop the full-text index's triggers for the load (their statements are returned, in order):
    the index is then rebuilt once from search_text (FTS5 'rebuild': every row of its content
    table, under its own id), which indexes what the triggers would have, row by row. Nothing is
    dropped unless all three are there."""
    found = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (?, ?, ?) "
                         "ORDER BY rowid", INDEX_TRIGGERS).fetchall()
    if len(found) != len(INDEX_TRIGGERS) or not all(sql for _, sql in found):
        return []
    for name, _ in found:
        conn.execute(f'DROP TRIGGER "{name}"')
    return [sql for _, sql in found]


__all__ = ["TABLES", "dump_tables", "row_batches", "table_rows", "load_tables", "nonempty_tables", "schema_version", "table_columns",
           "StorageError"]
