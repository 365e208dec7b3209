"""Every file read from outside is checked against the shipped schema before a figure is read
(docs/definitions.md §12). Used by `review` and `import` only: jsonschema is imported here,
inside the functions, never at start-up.

- `check_export(doc, label)`: the document must match `data/summary.schema.json` (draft 2020-12).
  The first failing place is named as a path with what is wrong there:
  "$.data.checkins.share: 7 is more than 1".
- Dates anywhere in a file must be real dates from 1900-01-01 to 2999-12-31 (the same limits as
  typed dates), so a summary "ending 9999-12-31" is refused instead of overflowing day arithmetic.
- `check_json_columns(tables, label)`: a full export's text columns that hold JSON (HALT flags,
  tags, fellowships, plan versions, revisions) must parse, to the type the journal expects.

Duplicate keys are refused when the file is parsed (exports/envelope.parse_json_bytes).
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from typing import Any

from recoverylog.errors import InputError

# Keys whose string values are dates, in summaries and in a full export's rows.
DATE_KEYS = frozenset({"date", "start", "end", "week_start", "sobriety_date", "current_since", "last_use",
                       "declared_last_use", "period_start", "period_end", "target_date", "due", "archived_on"})
# Text columns of a full export that hold JSON: the JSON type each must parse to and, for a
# list, the type of its items (None: any).
JSON_COLUMNS: dict[str, dict[str, tuple[type, type | None]]] = {
    "checkins": {"halt": (list, str), "tags": (list, str)},
    "requirements": {"fellowships": (list, str)},
    "plan_versions": {"data": (dict, None)},
    "revisions": {"data": (dict, None)},
    "assessments": {"answers": (list, int)},
}
_SHORT = 40


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    from importlib import resources

    return json.loads(resources.files("recoverylog").joinpath("data/summary.schema.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _validator():
    import jsonschema

    return jsonschema.Draft202012Validator(_schema())


@lru_cache(maxsize=1)
def _fast():
    """The same schema compiled to Python by fastjsonschema (draft 7 semantics: the schema uses
    only keywords that draft 7 and 2020-12 share, which a test checks). About 5× faster a file than
    jsonschema, so `review` of a thousand summaries does not spend seconds here."""
    import fastjsonschema

    # use_default=False: a check never fills in defaults (it must not change the document).
    return fastjsonschema.compile(_schema(), use_default=False)


def _fast_valid(doc: Any) -> bool:
    """True only when the compiled schema accepts `doc`. Anything else (a problem, or the compiled
    check failing in any way) sends the document to jsonschema, which decides and names the path:
    this can only make a valid file faster, never accept one that jsonschema would refuse (a
    property test compares the two on random and hostile documents)."""
    try:
        _fast()(doc)
    except Exception:  # noqa: BLE001 - any doubt goes to the reference validator
        return False
    return True


def json_path(parts) -> str:
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and part.isidentifier():
            out += f".{part}"
        else:
            out += "[" + json.dumps(str(part)[:_SHORT], ensure_ascii=True) + "]"
    return out


def _show(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=True, allow_nan=False)
    except (TypeError, ValueError):
        text = type(value).__name__
    return text if len(text) <= _SHORT else text[:_SHORT - 1] + "…"


def _what(error) -> str:
    """One short phrase for a jsonschema error (the schema's own words are long)."""
    kind, rule, value = error.validator, error.validator_value, error.instance
    if kind == "maximum":
        return f"{_show(value)} is more than {rule}"
    if kind == "minimum":
        return f"{_show(value)} is less than {rule}"
    if kind == "type":
        names = {"array": "a list", "object": "an object", "string": "text", "number": "a number",
                 "integer": "a whole number", "null": "null", "boolean": "true or false"}
        wanted = " or ".join(names.get(r, r) for r in (rule if isinstance(rule, list) else [rule]))
        return f"{_show(value)} is not {wanted}"
    if kind == "required":
        missing = next((k for k in rule if isinstance(value, dict) and k not in value), "?")
        return f"{_show(missing)} is missing"
    if kind in ("enum", "const"):
        allowed = rule if isinstance(rule, list) else [rule]
        return f"{_show(value)} is not one of {', '.join(_show(a) for a in allowed[:6])}"
    if kind == "pattern":
        return f"{_show(value)} is not in the expected form"
    if kind == "not":
        return "holds something a summary must never carry"
    if kind == "additionalProperties":
        return "has a key that does not belong there"
    if kind in ("oneOf", "anyOf"):
        return f"{_show(value)} matches none of the allowed shapes"
    return f"{_show(value)} breaks the rule {kind!r}"


def first_problem(doc: Any) -> str | None:
    """The first place where `doc` does not match the schema, or None when it matches."""
    if _fast_valid(doc):
        return None
    from jsonschema.exceptions import best_match

    validator = _validator()
    try:
        error = best_match(validator.iter_errors(doc))
    except RecursionError:
        return "$: nested too deeply"
    if error is None:
        return None
    return f"{json_path(error.absolute_path)}: {_what(error)}"


def check_dates(value: Any, path: list | None = None) -> str | None:
    """The first date outside the limits (or not a real date) under `value`, as "$.x: why"."""
    from recoverylog.dates import MAX_DATE, MIN_DATE

    stack: list[tuple[Any, list]] = [(value, path or [])]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            for key, child in node.items():
                if isinstance(child, str) and (key in DATE_KEYS or key.endswith("_on")):
                    text = child[:10]
                    if len(text) == 10 and text[4] == "-" and text[7] == "-":
                        try:
                            day = date.fromisoformat(text)
                        except ValueError:
                            return f"{json_path(where + [key])}: {_show(child)} is not a real date"
                        if day < MIN_DATE:
                            return f"{json_path(where + [key])}: {text} is before {MIN_DATE.isoformat()}"
                        if day > MAX_DATE:
                            return f"{json_path(where + [key])}: {text} is after {MAX_DATE.isoformat()}"
                elif isinstance(child, (dict, list)):
                    stack.append((child, where + [key]))
        elif isinstance(node, list):
            for index in range(len(node) - 1, -1, -1):
                if isinstance(node[index], (dict, list)):
                    stack.append((node[index], where + [index]))
    return None


_CELL_TYPES = ("string", "number", "null")


def _cell_ok(value: Any) -> bool:
    """The schema's {"type": ["string", "number", "null"]} (a boolean is not a number)."""
    return value is None or isinstance(value, str) or (isinstance(value, (int, float)) and not isinstance(value, bool))


def _rows_problem(tables: dict) -> tuple[list, str] | None:
    """The full profile's rule for table rows ($defs/full: every row an object, every cell text, a
    number or null), checked directly: the (path, phrase) that jsonschema's best_match would name
    among these rows' errors (the shallowest, then the greatest path), or None."""
    best: tuple[int, list] | None = None
    phrase = ""
    for table, rows in tables.items():
        if not isinstance(rows, list):
            continue   # not a list: the schema check of the envelope names it
        for index, row in enumerate(rows):
            if not isinstance(row, dict):
                found, what = ["data", "tables", table, index], f"{_show(row)} is not an object"
            else:
                bad = [key for key, value in row.items() if not _cell_ok(value)]
                if not bad:
                    continue
                key = max(bad)
                found, what = ["data", "tables", table, index, key], f"{_show(row[key])} is not text or a number or null"
            rank = (-len(found), found)
            if best is None or rank > best:
                best, phrase = rank, what
    return None if best is None else (best[1], phrase)


def first_problem_of_export(doc: Any) -> str | None:
    """`first_problem(doc)`, the same answer, with a full export's rows (tens of thousands of them)
    checked directly instead of through jsonschema: the rest of the document, its tables' names and
    kinds included, goes through the schema as it is, with each table's rows set aside; of the two
    first problems, the one best_match ranks higher (the shallower, then the greater path) is named."""
    data = doc.get("data") if isinstance(doc, dict) and doc.get("profile") == "full" else None
    tables = data.get("tables") if isinstance(data, dict) else None
    if not isinstance(tables, dict):
        return first_problem(doc)
    from jsonschema.exceptions import best_match

    stub = dict(doc, data=dict(data, tables={k: ([] if isinstance(v, list) else v) for k, v in tables.items()}))
    try:
        error = best_match(_validator().iter_errors(stub))
    except RecursionError:
        return "$: nested too deeply"
    rows = _rows_problem(tables)
    if rows is not None:
        path, what = rows
        try:
            rows_first = error is None or (-len(path), path) > (-len(error.path), list(error.path))
        except TypeError:
            rows_first = False
        if rows_first:
            return f"{json_path(path)}: {what}"
    if error is None:
        return None
    return f"{json_path(error.absolute_path)}: {_what(error)}"


def check_export(doc: Any, label: str) -> None:
    """InputError naming the first failing path when `doc` is not a valid recoverylog export."""
    problem = first_problem_of_export(doc) or check_dates(doc)
    if problem:
        raise InputError(f"{label}: does not match the recoverylog export format ({problem}); not read.")


def check_json_columns(tables: dict[str, list[dict[str, Any]]], label: str) -> None:
    """Every JSON-holding text column of a full export parses, to the expected type."""
    for table, columns in JSON_COLUMNS.items():
        for number, row in enumerate(tables.get(table) or []):
            if not isinstance(row, dict):
                continue
            for column, (kind, item) in columns.items():
                text = row.get(column)
                if text is None:
                    continue
                where = json_path(["data", "tables", table, number, column])
                if not isinstance(text, str):
                    raise InputError(f"{label}: {where} is not JSON text; nothing was imported.")
                try:
                    value = json.loads(text, parse_constant=_reject_constant)
                except (ValueError, RecursionError):
                    raise InputError(f"{label}: {where} is not valid JSON; nothing was imported.") from None
                if not isinstance(value, kind):
                    wanted = "a list" if kind is list else "an object"
                    raise InputError(f"{label}: {where} should hold {wanted}; nothing was imported.")
                if item is not None and not all(isinstance(v, item) and not isinstance(v, bool) for v in value):
                    what = "words" if item is str else "whole numbers"
                    raise InputError(f"{label}: {where} should hold a list of {what}; nothing was imported.")
