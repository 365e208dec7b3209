"""Plain JSON values from report dataclasses: dates as YYYY-MM-DD, dataclasses as objects.
A leaf module, so reports/ can build a JSON contract without importing render/."""

from __future__ import annotations

import dataclasses
import math
from datetime import date, datetime
from typing import Any

_PLAIN = (str, int, bool, type(None))  # float is not here: it needs the finiteness check


def to_jsonable(value: Any) -> Any:
    if type(value) in _PLAIN:   # most values: nothing to convert
        return value
    if isinstance(value, float):
        # strict JSON: a non-finite number (only a legacy row could hold one) is unknown
        return value if math.isfinite(value) else None
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
