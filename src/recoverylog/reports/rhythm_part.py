"""The report's part from the daily rhythm (docs/definitions.md §10): the two largest
differences of what went together (over the 90 days ending at the report's last day) and
money not spent as of that day. Read from reports/insights.py and reports/money.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from recoverylog.records import record


@record
class ReportPart:
    insights: Any      # reports.insights.Insights
    money: tuple       # reports.money.MoneyNotSpent, …
    as_of: date

    def as_json(self) -> dict[str, Any]:
        from recoverylog.reports.insights import comparison_json
        from recoverylog.reports.money import money_json

        return {"insights": {"start": self.insights.start.isoformat(), "end": self.insights.end.isoformat(),
                             "largest": [comparison_json(c) for c in self.insights.largest()]},
                "money": money_json(self.money)}


def report_part(store, end: date, tracked: Sequence | None = None) -> ReportPart:
    """`tracked`: the substance histories as of `end` the caller already read (a report's
    `.tracked` when it was built without `histories`), so that money not spent reads none again."""
    from recoverylog.reports.insights import build_insights, default_range
    from recoverylog.reports.money import money_not_spent

    start, last = default_range(end, None, end)
    return ReportPart(insights=build_insights(store, start, last), money=money_not_spent(store, end, tracked),
                      as_of=end)
