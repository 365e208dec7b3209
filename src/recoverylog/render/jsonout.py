"""JSON output: dates as YYYY-MM-DD, dataclasses as objects, UTF-8 kept as is. Strict JSON only
(allow_nan=False: never NaN or Infinity, which other readers reject)."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import date, datetime
from typing import Any

from recoverylog.jsonable import to_jsonable


def dumps(value: Any) -> str:
    return json.dumps(to_jsonable(value), indent=2, ensure_ascii=False, allow_nan=False)


def emit(value: Any) -> None:
    sys.stdout.write(dumps(value) + "\n")


def _default(value: Any) -> Any:
    if isinstance(value, (date, datetime)) or (dataclasses.is_dataclass(value) and not isinstance(value, type)):
        return to_jsonable(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def dumps_records(rows: list) -> str:
    """A list of records (long lists: all of history), one record per line: the same JSON as
    `dumps` but for whitespace, written by the standard library's C encoder, which `dumps`
    (indented) cannot use."""
    if not rows:
        return "[]"
    encode = json.JSONEncoder(ensure_ascii=False, default=_default).encode
    if all(type(r) is dict for r in rows):
        # One call for the whole list. Between two records the text is exactly '}, {'; a count
        # of one more means a value holds it too, and then each record is encoded alone.
        text = encode(rows)
        if text.count("}, {") == len(rows) - 1:
            return "[\n  " + text[1:-1].replace("}, {", "},\n  {") + "\n]"
    return "[\n" + ",\n".join("  " + encode(r) for r in rows) + "\n]"


def emit_records(rows: list) -> None:
    sys.stdout.write(dumps_records(rows) + "\n")
