"""`report`: the period review. One computation, three renderers."""

from __future__ import annotations

from typing import Optional

import typer

from recoverylog.cli.state import parse_day, parse_range, state

FORMATS = ("table", "json", "markdown")


def report(
    ctx: typer.Context,
    week: bool = typer.Option(False, "--week", help="The week (Monday first) containing --as-of, up to it."),
    month: bool = typer.Option(False, "--month", help="The calendar month containing --as-of, up to it."),
    since: Optional[str] = typer.Option(None, "--since", help="First day of the period."),
    until: Optional[str] = typer.Option(None, "--until", help="Last day of the period (not in the future)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Treat this day as today (not in the future)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, json or markdown."),
) -> None:
    """Your review of a period (default: the last 7 days): check-ins, mood and craving trends,
    days without use, meetings, outreach and goals, with a calendar of each day; self-assessments
    (latest, previous, change, band) and medication taken, when you record them."""
    from recoverylog.errors import InputError
    from recoverylog.reports.period import resolve_period
    from recoverylog.reports.report import build_report

    chosen = fmt.strip().lower()
    if chosen not in FORMATS:
        raise InputError(f"Unknown format {fmt!r}: use table, json or markdown.")
    store = state(ctx).store(create=False)
    day = parse_day(ctx, as_of, what="--as-of date")
    start, end = parse_range(ctx, since, until)
    if end is not None and as_of is not None and end > day:
        raise InputError(f"--until {end.isoformat()} is after --as-of {day.isoformat()}.")
    period = resolve_period(day, week=week, month=month, since=start, until=end)
    result = build_report(store, period, day)
    from recoverylog.reports.rhythm_part import report_part
    from recoverylog.storage.presence import parts_with_rows

    # A journal without one assessment or medication has nothing for their section (its lists
    # are empty): the code of that part is not loaded (tests/test_screen_console.py compares).
    health = None
    if parts_with_rows(store) & {"medications", "assessments"}:
        from recoverylog.reports.health import health_report

        health = health_report(store, period.start, period.end)
    # What went together, money not spent: from the histories the report read as of the period's end.
    part = report_part(store, period.end, tracked=result.tracked)
    if chosen == "json":
        from recoverylog.render.jsonout import emit

        emit(result.as_json() | {"assessments": health.assessments_json() if health else [],
                                 "medications": health.medications_json() if health else []} | part.as_json())
    elif chosen == "markdown":
        import sys

        from recoverylog.exports.sponsor import report_view
        from recoverylog.render.report import period_title
        from recoverylog.render.rhythm_part import part_markdown
        from recoverylog.render.summary_md import render_markdown

        health_md = ""
        if health is not None:
            from recoverylog.render.health import report_markdown

            health_md = report_markdown(health)
        # One markdown renderer for the report and the sponsor summary.
        sys.stdout.write(render_markdown(report_view(store, result), heading=f"Report · {period_title(result)}")
                         + health_md + part_markdown(part))
    else:
        from recoverylog.render.console import screen_console
        from recoverylog.render.report import render_report
        from recoverylog.render.rhythm_part import render_part

        console = screen_console()
        render_report(console, result)
        if health is not None:
            from recoverylog.render.health import render_report_health

            render_report_health(console, health)
        render_part(console, part)


def register(app: typer.Typer) -> None:
    app.command("report")(report)
