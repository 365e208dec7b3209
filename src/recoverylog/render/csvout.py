"""The one CSV style of every export (docs/definitions.md §11).

- RFC 4180: CRLF line endings, fields quoted only when needed (the csv module), one header row,
  every record as wide as the header.
- One header style: lower-case snake_case names, the same words as the JSON keys.
- One formula guard: a text cell that a spreadsheet would run as a formula (starting with
  = + - @, a tab or a carriage return) gets a leading single quote. Numbers stay numbers.
- Values: None is an empty cell, True/False are yes/no, 2.0 is written 2.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

LINE_END = "\r\n"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def header_name(text: str) -> str:
    """'Start time' → 'start_time' (the one header style)."""
    import re

    return re.sub(r"\W+", "_", text.strip().lower()).strip("_")


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=LINE_END, quoting=csv.QUOTE_MINIMAL)
    width = len(header)
    writer.writerow([cell(h) for h in header])
    for row in rows:
        cells = [cell(c) for c in row]
        if len(cells) != width:
            raise ValueError(f"a CSV row has {len(cells)} cells for {width} columns")
        writer.writerow(cells)
    return buffer.getvalue()
