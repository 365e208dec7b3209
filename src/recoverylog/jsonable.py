"""Plain JSON values from report dataclasses: dates as YYYY-MM-DD, dataclasses as objects.
A leaf module, so reports/ can build a JSON contract without importing render/."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

_PLAIN = (str, int, float, bool, type(None))


def to_jsonable(value: Any) -> Any:
    if type(value) in _PLAIN:   # most values: nothing to convert
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): v if type(v) in _PLAIN else to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [v if type(v) in _PLAIN else to_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value
