"""JSON output: dates as YYYY-MM-DD, dataclasses as objects, UTF-8 kept as is."""

from __future__ import annotations

import json
import sys
from typing import Any

from recoverylog.jsonable import to_jsonable


def dumps(value: Any) -> str:
    return json.dumps(to_jsonable(value), indent=2, ensure_ascii=False)


def emit(value: Any) -> None:
    sys.stdout.write(dumps(value) + "\n")
