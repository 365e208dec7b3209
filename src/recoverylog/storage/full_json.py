"""A table's rows in the full export's canonical JSON, written by SQLite's own JSON functions
(docs/definitions.md §8, "Full backup"): the text only where it is shown to be what the standard
library's encoder writes for the same rows; otherwise None, and the caller encodes the rows itself.

What is shown, and how:
- text, integers and null: `writes_like_python` compares SQLite's JSON of sentinel values (every
  character of the first plane but the surrogates, a spread of the others', integers at SQLite's
  limits) with the encoder's, once per connection. JSON functions missing, or any difference:
  nothing is written here.
- real numbers: SQLite writes fewer or more digits than Python's shortest repr, and writes -0.0 as
  0.0, so each distinct real value of the table is fetched and its text compared with the
  encoder's (zeros one by one: to SQL a zero of either sign is one value). Infinity, which the
  encoder refuses, never matches. A column of text affinity holds no numbers (SQLite stores a
  number written to it as text; `PRAGMA quick_check`, which the full export runs first, reports
  one that is there all the same), so only the other columns are looked at.
- blobs: the encoder refuses them. Where json_object refuses every blob too (`refuses_blobs`: it
  did up to SQLite 3.44), a blob ends the query and the caller takes over; where it reads a blob
  as JSONB (3.45 on), each cell's type is checked and a table holding a blob (or, in a column
  of text affinity, anything but text and null) is left to the caller. Either way the caller then
  fails as it always has.
- order: each table's rows are read in primary-key order, in a subquery whose ORDER BY SQLite
  keeps (it does not drop one under an aggregate other than count, min or max, nor one with a
  LIMIT), and the count of line breaks in the result checks the count of rows."""

from __future__ import annotations

import re
import sys
from array import array
from collections.abc import Callable, Collection
from functools import lru_cache
from typing import Any

NAME = re.compile(r"[a-z_][a-z0-9_]*\Z")
SENTINEL_INTS = (0, 1, -1, 2**53 + 1, -(2**53 + 1), 2**63 - 1, -(2**63))
# Blobs json_object reads as JSONB where it does (null, the integer 1, an empty object), and two
# it refuses there too.
PROBE_BLOBS = (b"\x00", b"\x131", b"\x0c", b"", b"abc")


@lru_cache(maxsize=1)
def sentinel_text() -> str:
    """Every character of the first plane but the surrogates, and every 1023rd of the astral
    planes, the last one included: every class of character a JSON encoder may escape."""
    codes = array("I", range(0xD800))
    codes.extend(range(0xE000, 0x10000))
    codes.extend(range(0x10000, 0x110000, 0x3FF))
    codes.append(0x10FFFF)
    if codes.itemsize != 4:  # pragma: no cover - a platform whose C int is not 32 bits
        return "".join(map(chr, codes))
    return codes.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")


def writes_like_python(conn, encode: Callable[[Any], str]) -> bool:
    """Whether SQLite's json_object on `conn` writes text, integers and null as `encode` (the
    canonical encoder of rows whose keys are in sorted order) does: one query over sentinels."""
    values: dict[str, Any] = {"a_null": None, "b_text": sentinel_text(), "c_short": '"\\/\n\x00\x7f\u2028'}
    values |= {f"int_{i}": n for i, n in enumerate(SENTINEL_INTS)}
    keys = sorted(values)
    sql = "SELECT json_object(" + ", ".join(f"'{k}', ?" for k in keys) + ")"
    try:
        found = _cursor(conn).execute(sql, [values[k] for k in keys]).fetchone()
        return found is not None and found[0] == encode({k: values[k] for k in keys})
    except Exception:  # noqa: BLE001 - no JSON functions, or anything else: the encoder's way
        return False


def refuses_blobs(conn) -> bool:
    """Whether json_object on `conn` fails on each of PROBE_BLOBS (SQLite before 3.45 fails on
    every blob; later ones read a blob as JSONB)."""
    cursor = _cursor(conn)
    for blob in PROBE_BLOBS:
        try:
            cursor.execute("SELECT json_object('b', ?)", (blob,)).fetchone()
        except Exception:  # noqa: BLE001 - refused: what is wanted
            continue
        return False
    return True


def holds_text_only(declared: str) -> bool:
    """Whether a column declared `declared` has text affinity (sqlite.org/datatype3.html §3.1:
    a type containing "INT" has integer affinity, else one containing "CHAR", "CLOB" or "TEXT"
    text): SQLite stores a number written to it as text."""
    declared = declared.upper()
    return "INT" not in declared and any(word in declared for word in ("CHAR", "CLOB", "TEXT"))


def table_text(conn, table: str, names: list[str], order: list[str], sep: str, encode: Callable[[Any], str],
               *, textual: Collection[str], check_blobs: bool) -> tuple[str, bytes] | None:
    """Table `table`'s rows ordered by the columns `order` (the rowid when empty), each the JSON
    object of its columns `names` in that order, as (the rows joined by `sep`, their UTF-8
    joined by ","); None when this text is not shown to be `encode`'s for the same rows (see the
    module's note) or anything goes wrong. `textual`: the columns of text affinity.
    `check_blobs`: json_object does not refuse blobs (`refuses_blobs` is False), so every cell's
    type is checked. `sep` starts with "," and holds a line break, which canonical JSON never
    does. The caller has checked `writes_like_python` on `conn`."""
    if not names or not all(NAME.match(n) for n in (*names, *order, table)) \
            or not sep.startswith(",") or "\n" not in sep:
        return None
    quoted = {n: '"' + n + '"' for n in names}
    obj = "json_object(" + ", ".join(f"'{n}', {quoted[n]}" for n in names) + ")"
    maybe_real = [n for n in names if n not in textual]
    kinds = [f"sum(typeof({quoted[n]}) = 'real')" for n in maybe_real]
    if check_blobs:
        kinds.append("total(" + " + ".join(f"(typeof({quoted[n]}) NOT IN ('text', 'null'))" if n in textual
                                           else f"(typeof({quoted[n]}) = 'blob')" for n in names) + ")")
    # ORDER BY as storage/full.row_batches writes it, so both ways read the rows in one order.
    sql = (f"SELECT group_concat(j, ?), CAST(group_concat(j, ',') AS BLOB), count(*){''.join(', ' + k for k in kinds)} "
           f"FROM (SELECT {obj} AS j, {', '.join(quoted.values())} FROM {table} "
           f"ORDER BY {', '.join(order) if order else 'rowid'} LIMIT -1)")
    try:
        cursor = _cursor(conn)
        # One read transaction: the real values compared are those of the text written.
        cursor.execute("SAVEPOINT full_json")
    except Exception:  # noqa: BLE001 - the caller's way decides
        return None
    try:
        found = cursor.execute(sql, (sep,)).fetchone()
        if found is None:
            return None
        text, digest_bytes, count, *counts = found
        if count == 0:
            return "", b""
        if not isinstance(text, str) or not isinstance(digest_bytes, bytes) or text.count("\n") != (count - 1) * sep.count("\n"):
            return None
        if check_blobs and counts.pop():
            return None
        reals = [name for name, n in zip(maybe_real, counts, strict=True) if n]
        if reals and not _reals_written_alike(cursor, table, [quoted[n] for n in reals], encode):
            return None
    except Exception:  # noqa: BLE001 - a blob, text that is not UTF-8, a limit: the caller's way decides
        return None
    finally:
        _release(cursor)
    return text, digest_bytes


def _release(cursor) -> None:
    try:
        cursor.execute("RELEASE full_json")   # nothing was written: this only ends the read
    except Exception:  # noqa: BLE001, S110 - a connection that failed already: nothing is held
        pass


def _reals_written_alike(cursor, table: str, columns: list[str], encode: Callable[[Any], str]) -> bool:
    """Whether json_object writes every real value in `columns` (quoted names) of `table` as
    `encode` writes it."""
    for q in columns:
        distinct = cursor.execute(f"SELECT json_object('v', v), v FROM (SELECT DISTINCT {q} AS v FROM {table} "
                                  f"WHERE typeof({q}) = 'real' AND {q} <> 0)").fetchall()
        zeros = cursor.execute(f"SELECT json_object('v', {q}), {q} FROM {table} "
                               f"WHERE typeof({q}) = 'real' AND {q} = 0").fetchall()
        for text, value in (*distinct, *zeros):
            if type(value) is not float or not _same(text, value, encode):
                return False
    return True


def _same(text: Any, value: float, encode: Callable[[Any], str]) -> bool:
    """Whether `text` is what `encode` writes for {"v": value} (json_object writes -0.0 as 0.0,
    and the text is compared with the encoder's for the value fetched: a -0.0 never matches)."""
    try:
        return text == encode({"v": value})
    except ValueError:   # infinity: the encoder refuses it
        return False


def _cursor(conn):
    cursor = conn.cursor()
    cursor.row_factory = None   # tuples
    return cursor
