"""JSON output: dates as YYYY-MM-DD, dataclasses as objects, UTF-8 kept as is. Strict JSON only
(allow_nan=False: never NaN or Infinity, which other readers reject)."""

from __future__ import annotations

import dataclasses
import json
import math
import sys
from datetime import date, datetime
from typing import Any


def to_jsonable(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None  # strict JSON: a non-finite number (only a legacy row could hold one) is unknown
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def dumps(value: Any) -> str:
    return json.dumps(to_jsonable(value), indent=2, ensure_ascii=False, allow_nan=False)


def emit(value: Any) -> None:
    sys.stdout.write(dumps(value) + "\n")
