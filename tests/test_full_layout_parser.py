"""The quick parser of a backup's rows (exports/full_layout._quick_loads: orjson) against json, the
reference parser (docs/definitions.md §12, "Reading a backup by its layout"): whatever text the
quick parser accepts parses to the same values in json (types, float bits and key order kept),
except an integer beyond 64 bits, which it reads as a float of magnitude at least WIDE_FLOAT
(the layout reader then parses the slice again); what json refuses, it refuses too. Without
orjson installed, the reading is json's."""

from __future__ import annotations

import json
import math
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from json_exact import exact
from recoverylog.exports.envelope import _reject_constant
from recoverylog.exports.full_layout import WIDE_FLOAT, _quick_loads


def _reference(text: str) -> Any:
    try:
        return ("parsed", json.loads(text, parse_constant=_reject_constant))
    except (ValueError, RecursionError):
        return ("refused",)


def _wide_ints(value: Any) -> bool:
    """Whether `value` holds an integer outside orjson's range (a signed or unsigned 64-bit one)."""
    if type(value) is dict:
        return any(_wide_ints(v) for v in value.values())
    if type(value) is list:
        return any(_wide_ints(v) for v in value)
    return type(value) is int and not -2 ** 63 <= value < 2 ** 64


def _floats(value: Any) -> list[float]:
    if type(value) is dict:
        return [f for v in value.values() for f in _floats(v)]
    if type(value) is list:
        return [f for v in value for f in _floats(v)]
    return [value] if type(value) is float else []


def _agrees(text: str) -> None:
    reference = _reference(text)
    quick = _quick_loads(text)
    if reference[0] == "refused":
        assert quick is None
        return
    if quick is None:
        return   # refused where json reads it (e.g. 1e400, which json reads as inf): parsed the reference way
    if _wide_ints(reference[1]):
        assert max(map(abs, _floats(quick))) >= WIDE_FLOAT
        return
    assert exact(quick) == exact(reference[1])


NUMBER = st.from_regex(r"\A-?(0|[1-9][0-9]{0,30})(\.[0-9]{1,30})?([eE][+-]?[0-9]{1,4})?\Z")
CELLS = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(-2 ** 70, 2 ** 70),
                  st.floats(allow_nan=False, allow_infinity=False), st.text(), st.text("\"\\é\u2028\x00\x1f ab"))
VALUES = st.recursive(CELLS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner,
                                                                                         max_size=4), max_leaves=20)


@settings(max_examples=1500, deadline=None)
@given(value=VALUES, ascii=st.booleans())
def test_the_quick_parser_reads_what_json_writes_as_json_does(value, ascii):
    _agrees(json.dumps([value], ensure_ascii=ascii))


@settings(max_examples=1500, deadline=None)
@given(numbers=st.lists(NUMBER, min_size=1, max_size=5))
def test_every_number_reads_as_json_reads_it(numbers):
    _agrees("[" + ",".join(numbers) + "]")
    _agrees('[{"amount":' + numbers[0] + "}]")


PIECES = ["[", "]", "{", "}", ",", ":", '"', "\\", "\\u", "d800", "dc00", "0", "1", "-", ".", "e", "E", "+",
          "null", "true", "NaN", "Infinity", " ", "\n", "\t", "\r", "\x0c", "\x00", "é", "\ud800", '"a"',
          "00", "1e400", "[" * 40]


@settings(max_examples=3000, deadline=None)
@given(parts=st.lists(st.sampled_from(PIECES), max_size=30))
def test_broken_text_is_refused_as_json_refuses_it(parts):
    _agrees("".join(parts))


@pytest.mark.parametrize("text", [
    "[18446744073709551616]", "[-9223372036854775809]", "[123456789012345678901234567890]",
    "[18446744073709551615]", "[-9223372036854775808]", "[1e400]", "[-1e400]", "[NaN]", "[Infinity]",
    '[{"a":1,"a":2}]', '["\\ud800"]', "[" * 2000 + "]" * 2000, "[0.1e-400]", "[-0.0]", "[5e-324]",
    "[1.7976931348623157e308]", "[2.2250738585072011e-308]", "[0.30000000000000004441]",
])
def test_the_edges_of_the_two_parsers(text):
    _agrees(text)


def test_an_integer_beyond_64_bits_reads_as_a_float_the_reader_parses_again():
    """The one difference WIDE_FLOAT stands for: pinned, so that a parser that one day reads such an
    integer exactly (or another way) is noticed here."""
    quick = _quick_loads("[18446744073709551616, -9223372036854775809]")
    assert quick is not None and all(type(v) is float and abs(v) >= WIDE_FLOAT for v in quick)
    assert _quick_loads("[18446744073709551615, -9223372036854775808]") == [2 ** 64 - 1, -2 ** 63]
    assert math.isinf(json.loads("[1e400]")[0]) and _quick_loads("[1e400]") is None


def test_without_orjson_the_reading_is_jsons(monkeypatch):
    monkeypatch.setitem(sys.modules, "orjson", None)   # `import orjson` raises ImportError
    assert _quick_loads('[{"a":18446744073709551616,"b":1.5}]') == [{"a": 2 ** 64, "b": 1.5}]
    assert _quick_loads("[NaN]") is None and _quick_loads("[1,") is None
    assert _quick_loads("[" * 100_000) is None   # json's recursion limit: refused, not raised
