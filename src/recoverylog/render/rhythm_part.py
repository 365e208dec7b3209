"""The report's short sections for what went together and money not spent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from recoverylog.render.console import print_wrapped

if TYPE_CHECKING:
    from recoverylog.reports.rhythm_part import ReportPart


def _title(part: "ReportPart") -> str:
    span = f"{part.insights.start.strftime('%-d %b')} – {part.insights.end.strftime('%-d %b %Y')}"
    return f"What went together ({span})"


def render_part(console: Any, part: "ReportPart") -> None:
    from recoverylog.render.insights import report_lines
    from recoverylog.render.money import render_money

    lines = report_lines(part.insights.largest())
    if lines:
        console.print()
        console.print(f"[bold]{_title(part)}[/]")
        print_wrapped(console, lines)
    render_money(console, part.money, part.as_of)


def part_markdown(part: "ReportPart") -> str:
    from recoverylog.render.insights import report_lines
    from recoverylog.render.money import money_lines

    out = []
    lines = report_lines(part.insights.largest())
    if lines:
        out.append(f"\n## {_title(part)}\n\n" + "".join(f"- {line}\n" for line in lines))
    if part.money:
        out.append("\n## Money not spent\n\n" + "".join(f"- {line}\n" for line in money_lines(part.money, part.as_of)))
    return "".join(out)
