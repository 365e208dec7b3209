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
    """The shipped schema compiled to a plain predicate (compile_schema, below), or None."""
    return compile_schema(_schema())


def _fast_valid(doc: Any) -> bool:
    """True only when the compiled schema accepts `doc`. Anything else (a problem, or the compiled
    check failing in any way) sends the document to jsonschema, which decides and names the path
    (a property test shows the two decide alike on valid, mutated, random and hostile documents)."""
    check = _fast()
    if check is None:
        return False
    try:
        return check(doc) is True
    except Exception:  # noqa: BLE001 - any doubt goes to the reference validator
        return False


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


_DATES_SEEN: dict[str, bool] = {}    # date text -> within the limits (the same dates recur across files)


def date_text_ok(text: str) -> bool:
    """`text` (10 characters, "YYYY-MM-DD"-shaped) is a real date within the limits: the rule
    check_dates applies (answers are remembered: the same dates recur across files and rows)."""
    known = _DATES_SEEN.get(text)
    if known is None:
        from recoverylog.dates import MAX_DATE, MIN_DATE

        try:
            known = MIN_DATE <= date.fromisoformat(text) <= MAX_DATE
        except ValueError:
            known = False
        if len(_DATES_SEEN) > 50_000:
            _DATES_SEEN.clear()
        _DATES_SEEN[text] = known
    return known


_JSON_SCALARS = frozenset({int, float, bool, type(None)})


def _dates_all_ok(value: Any) -> bool:
    """True only when `check_dates(value)` finds nothing: the same walk and the same test over
    what json.loads makes (exact types), without building a path for every node. Anything else
    (a problem, or a value of another type) answers False, and the full walk decides."""
    stack = [value]
    pop, push, keys, scalars = stack.pop, stack.append, DATE_KEYS, _JSON_SCALARS
    while stack:
        node = pop()
        kind = type(node)
        if kind is dict:
            for key, child in node.items():
                kind = type(child)
                if kind is str:
                    if (key in keys or key.endswith("_on")) and len(child) >= 10 and child[4] == "-" \
                            and child[7] == "-" and not date_text_ok(child[:10]):
                        return False
                elif kind is dict or kind is list:
                    push(child)
                elif kind not in scalars:
                    return False
        elif kind is list:
            for child in node:
                kind = type(child)
                if kind is dict or kind is list:
                    push(child)
                elif kind is not str and kind not in scalars:
                    return False
        elif kind is not str and kind not in scalars:
            return False
    return True


def check_dates(value: Any, path: list | None = None) -> str | None:
    """The first date outside the limits (or not a real date) under `value`, as "$.x: why"."""
    return None if _dates_all_ok(value) else _first_bad_date(value, path)


def _first_bad_date(value: Any, path: list | None = None) -> str | None:
    """check_dates' answer, walked with the path of every node."""
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
    stub = dict(doc, data=dict(data, tables={k: ([] if isinstance(v, list) else v) for k, v in tables.items()}))
    if _fast_valid(stub):
        error = None   # jsonschema would find nothing either (the compiled check decides alike)
    else:
        from jsonschema.exceptions import best_match

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
                problem = json_cell_problem(text, kind, item)
                if problem:
                    where = json_path(["data", "tables", table, number, column])
                    raise InputError(f"{label}: {where} {problem}; nothing was imported.")


def json_cell_problem(text: Any, kind: type, item: type | None) -> str | None:
    """The rule for one JSON-holding text cell (not None): JSON text of the expected type, a list's
    items of the expected kind. The problem as a phrase ("is not valid JSON"), or None."""
    if not isinstance(text, str):
        return "is not JSON text"
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return "is not valid JSON"
    if not isinstance(value, kind):
        return "should hold " + ("a list" if kind is list else "an object")
    if item is not None and not all(isinstance(v, item) and not isinstance(v, bool) for v in value):
        return "should hold a list of " + ("words" if item is str else "whole numbers")
    return None


# -- the fast accept path ----------------------------------------------------------------
# The schema compiled once into plain Python that answers only "valid?" (never raising, never
# building messages). It reads exactly the keywords below, with jsonschema's draft 2020-12
# meaning (docs/definitions.md §12): a schema with any other keyword is not compiled, and every
# document then goes to jsonschema. On "no" the caller asks jsonschema, which decides and names
# the path; a property test shows the two give the same answer on valid, mutated and random JSON.

class _Unsupported(Exception):
    """A schema construct the compiler does not translate (the fast path is then off)."""


_NOTES = frozenset({"$schema", "$id", "title", "description", "$comment", "$defs"})
_OBJECT_KEYS = frozenset({"properties", "required", "additionalProperties"})
_ARRAY_KEYS = frozenset({"items", "minItems", "maxItems"})
_STRING_KEYS = frozenset({"pattern", "minLength", "maxLength"})
_NUMBER_KEYS = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"})
_OTHER_KEYS = frozenset({"type", "enum", "const", "$ref", "allOf", "anyOf", "oneOf", "not", "if", "then", "else"})
_KNOWN = _NOTES | _OBJECT_KEYS | _ARRAY_KEYS | _STRING_KEYS | _NUMBER_KEYS | _OTHER_KEYS


def _is_number(v: Any) -> bool:
    """jsonschema's "number": any number but a boolean."""
    import numbers

    return not isinstance(v, bool) and isinstance(v, numbers.Number)


def _is_integer(v: Any) -> bool:
    """jsonschema's draft 2020-12 "integer": an int (not a boolean) or a float with no fraction."""
    if isinstance(v, bool):
        return False
    return isinstance(v, int) or (isinstance(v, float) and v.is_integer())


_TYPE_TEST = {
    "object": "isinstance({v}, dict)",
    "array": "isinstance({v}, list)",
    "string": "isinstance({v}, str)",
    "null": "{v} is None",
    "boolean": "isinstance({v}, bool)",
    "number": "(type({v}) is int or type({v}) is float or ({v} is not None and _is_number({v})))",
    "integer": "(type({v}) is int or ({v} is not None and _is_integer({v})))",
}
_NUMBER_TEST = _TYPE_TEST["number"]   # None, never a number, is answered without a call


class _Compiler:
    def __init__(self, root: dict) -> None:
        self.root = root
        self.functions: list[list[str]] = []
        self.names: dict[str, str] = {}        # $ref -> function name
        self.constants: dict[str, Any] = {}
        self.count = 0

    def _name(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def constant(self, value: Any) -> str:
        name = self._name("_c")
        self.constants[name] = value
        return name

    def function(self, node: Any) -> str:
        """A function `name(x) -> bool` for `node`; its name."""
        name = self._name("_f")
        body: list[str] = []
        self.emit(node, "x", body, 1)
        self.functions.append([f"def {name}(x):"] + body + ["    return True"])
        return name

    def ref(self, ref: Any) -> str:
        if not isinstance(ref, str) or not ref.startswith("#/$defs/") or "/" in ref[8:] or "~" in ref:
            raise _Unsupported(f"$ref {ref!r}")
        if ref not in self.names:
            defs = self.root.get("$defs")
            if not isinstance(defs, dict) or ref[8:] not in defs:
                raise _Unsupported(f"$ref {ref!r}")
            name = self._name("_r")
            self.names[ref] = name
            body: list[str] = []
            self.emit(defs[ref[8:]], "x", body, 1)
            self.functions.append([f"def {name}(x):"] + body + ["    return True"])
        return self.names[ref]

    def equals(self, v: str, value: Any) -> str:
        """jsonschema's equality for one scalar (1 == 1.0, but True is not 1)."""
        if value is None or isinstance(value, bool):
            return f"{v} is {value!r}"
        if isinstance(value, str):
            return f"{v} == {self.constant(value)}"
        if isinstance(value, (int, float)):
            return f"({v} == {value!r} and not isinstance({v}, bool))"
        raise _Unsupported("enum or const of a list or object")

    def emit(self, node: Any, v: str, out: list[str], depth: int) -> None:
        """Lines (indented `depth` levels) that `return False` when the value in `v` fails `node`."""
        pad = "    " * depth
        if node is True:
            return
        if node is False:
            out.append(f"{pad}return False")
            return
        if not isinstance(node, dict):
            raise _Unsupported("a schema that is not an object or a boolean")
        unknown = set(node) - _KNOWN
        if unknown:
            raise _Unsupported(f"keywords {sorted(unknown)}")
        if depth > 12:   # keep generated blocks shallow: go on in a function of its own
            out.append(f"{pad}if not {self.function(node)}({v}): return False")
            return
        known = None   # the one type the value is known to have past the type test
        if "type" in node:
            kinds = node["type"] if isinstance(node["type"], list) else [node["type"]]
            if not kinds or any(k not in _TYPE_TEST for k in kinds):
                raise _Unsupported(f"type {node['type']!r}")
            # The cheapest test first (an `or` of side-effect-free tests means the same in any order).
            tests = sorted(kinds, key=lambda k: k != "null")
            out.append(f"{pad}if not ({' or '.join(_TYPE_TEST[k].format(v=v) for k in tests)}): return False")
            known = kinds[0] if len(set(kinds)) == 1 else None
        if "const" in node:
            out.append(f"{pad}if not ({self.equals(v, node['const'])}): return False")
        if "enum" in node:
            if not isinstance(node["enum"], list):
                raise _Unsupported("enum that is not a list")
            tests = " or ".join(self.equals(v, e) for e in node["enum"]) or "False"
            out.append(f"{pad}if not ({tests}): return False")
        if _OBJECT_KEYS & set(node):
            self.emit_object(node, v, out, depth, known == "object")
        if _ARRAY_KEYS & set(node):
            out.append(f"{pad}if {'True' if known == 'array' else f'isinstance({v}, list)'}:")
            inner = pad + "    "
            if "minItems" in node:
                out.append(f"{inner}if len({v}) < {self.number(node['minItems'])}: return False")
            if "maxItems" in node:
                out.append(f"{inner}if len({v}) > {self.number(node['maxItems'])}: return False")
            if "items" in node:
                if isinstance(node["items"], list):
                    raise _Unsupported("items as a list")
                item = self._name("v")
                out.append(f"{inner}for {item} in {v}:")
                self.emit(node["items"], item, out, depth + 2)
            out.append(f"{inner}pass")
        if _STRING_KEYS & set(node):
            out.append(f"{pad}if {'True' if known == 'string' else f'isinstance({v}, str)'}:")
            inner = pad + "    "
            if "minLength" in node:
                out.append(f"{inner}if len({v}) < {self.number(node['minLength'])}: return False")
            if "maxLength" in node:
                out.append(f"{inner}if len({v}) > {self.number(node['maxLength'])}: return False")
            if "pattern" in node:
                if not isinstance(node["pattern"], str):
                    raise _Unsupported("pattern that is not text")
                import re

                search = self.constant(re.compile(node["pattern"]).search)
                out.append(f"{inner}if {search}({v}) is None: return False")
            out.append(f"{inner}pass")
        if _NUMBER_KEYS & set(node):
            # An integer (draft 2020-12: an int or an integral float, never a boolean) is a number.
            number = known in ("number", "integer")
            out.append(f"{pad}if {'True' if number else _NUMBER_TEST.format(v=v)}:")
            inner = pad + "    "
            for key, op in (("minimum", "<"), ("maximum", ">"), ("exclusiveMinimum", "<="),
                            ("exclusiveMaximum", ">=")):
                if key in node:
                    out.append(f"{inner}if {v} {op} {self.number(node[key])}: return False")
            out.append(f"{inner}pass")
        if "$ref" in node:
            out.append(f"{pad}if not {self.ref(node['$ref'])}({v}): return False")
        if "allOf" in node:
            for sub in self.schemas(node["allOf"]):
                self.emit(sub, v, out, depth)
        if "anyOf" in node:
            calls = " or ".join(f"{self.function(sub)}({v})" for sub in self.schemas(node["anyOf"]))
            out.append(f"{pad}if not ({calls}): return False")
        if "oneOf" in node:
            calls = " + ".join(f"{self.function(sub)}({v})" for sub in self.schemas(node["oneOf"]))
            out.append(f"{pad}if ({calls}) != 1: return False")
        if "not" in node:
            out.append(f"{pad}if {self.function(node['not'])}({v}): return False")
        if "if" in node:
            out.append(f"{pad}if {self.function(node['if'])}({v}):")
            self.emit(node.get("then", True), v, out, depth + 1)
            out.append(f"{pad}    pass")
            out.append(f"{pad}else:")
            self.emit(node.get("else", True), v, out, depth + 1)
            out.append(f"{pad}    pass")
        # "then"/"else" without "if" mean nothing (as in jsonschema).

    def emit_object(self, node: dict, v: str, out: list[str], depth: int, is_object: bool = False) -> None:
        """`is_object`: a type test just above returned False for anything but an object."""
        pad, inner = "    " * depth, "    " * (depth + 1)
        out.append(f"{pad}if {'True' if is_object else f'isinstance({v}, dict)'}:")
        required = node.get("required", [])
        if not isinstance(required, list) or not all(isinstance(k, str) for k in required):
            raise _Unsupported("required that is not a list of names")
        if required:
            out.append(f"{inner}if {' or '.join(f'{self.constant(k)} not in {v}' for k in required)}: return False")
        properties = node.get("properties", {})
        if not isinstance(properties, dict):
            raise _Unsupported("properties that is not an object")
        for key, sub in properties.items():
            if sub is True:
                continue
            child = self._name("v")
            out.append(f"{inner}{child} = {v}.get({self.constant(key)}, _MISSING)")
            out.append(f"{inner}if {child} is not _MISSING:")
            self.emit(sub, child, out, depth + 2)
            out.append(f"{inner}    pass")
        extra = node.get("additionalProperties", True)
        if extra is not True:
            known = self.constant(frozenset(properties))
            key, child = self._name("k"), self._name("v")
            out.append(f"{inner}for {key}, {child} in {v}.items():")
            out.append(f"{inner}    if {key} in {known}: continue")
            self.emit(extra, child, out, depth + 2)
        out.append(f"{inner}pass")

    def number(self, value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _Unsupported(f"a bound that is not a number: {value!r}")
        return repr(value)

    def schemas(self, value: Any) -> list:
        if not isinstance(value, list) or not value:
            raise _Unsupported("allOf/anyOf/oneOf that is not a non-empty list")
        return value


def compile_schema(schema: Any):
    """`schema` (the keyword subset above) as a function doc -> bool, or None when the schema
    uses something else (then nothing is fast, and jsonschema decides every document)."""
    compiler = _Compiler(schema if isinstance(schema, dict) else {})
    try:
        top = compiler.function(schema)
    except _Unsupported:
        return None
    source = "\n".join("\n".join(lines) for lines in compiler.functions) + "\n"
    namespace: dict[str, Any] = {"_MISSING": object(), "_is_number": _is_number, "_is_integer": _is_integer,
                                 **compiler.constants}
    exec(compile(source, "<recoverylog schema>", "exec"), namespace)  # noqa: S102 - our own generated code
    check = namespace[top]
    check.source = source
    return check
