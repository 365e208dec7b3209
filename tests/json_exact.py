"""A parsed JSON value written so that == tells apart what JSON equality does not, for the tests
that compare a quick parser with json (test_full_layout_parser, test_review_quick_read)."""

from __future__ import annotations

from typing import Any


def exact(value: Any) -> Any:
    """`value` with each type (1 and 1.0, True and 1), each float's bits (0.0 and -0.0) and each
    object's key order kept in what == compares."""
    kind = type(value)
    if kind is dict:
        return ("dict", [(k, exact(v)) for k, v in value.items()])
    if kind is list:
        return ("list", [exact(v) for v in value])
    if kind is float:
        return ("float", value.hex())
    return (kind.__name__, value)
