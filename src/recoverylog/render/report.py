"""The period report for the terminal (rich). Its markdown is the sponsor summary's renderer
(render/summary_md.py), fed the same report.

Every state is a symbol as well as a colour, so the view reads the same with NO_COLOR.
Pieces (calendar grid, sparklines, sentences, week labels) are plain text here."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from recoverylog.render.goals import goal_grid
from recoverylog.render.words import num
from recoverylog.reports.daystate import period_start

if TYPE_CHECKING:
    from rich.console import Console

    from recoverylog.reports.report import Report, SubstanceMeasures

# state -> (symbol, rich style, legend words)
CELLS = {
    "sober": ("●", "green", "no use"),
    "within_goal": ("◐", "yellow", "used, within goal"),
    "amount_unknown": ("◌", "yellow", "used, amount not recorded"),
    "used": ("✕", "red", "used"),
    "unrecorded": ("·", "dim", "not recorded"),
    "not_tracked": (" ", "", "not tracked"),
    "checked_in": ("●", "green", "checked in"),
    "no_checkin": ("·", "dim", "no check-in"),
}
SPARK = "▁▂▃▄▅▆▇█"
SCALE_RANGE = {"mood": (1, 10), "craving": (0, 10), "stress": (0, 10), "sleep": (0, 12)}
SCALE_LABEL = {"mood": "Mood", "craving": "Craving", "stress": "Stress", "sleep": "Sleep (h)"}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
CELL_WIDTH = 3


# -- shared text pieces --------------------------------------------------------

def day_label(day: date) -> str:
    return f"{day.day} {day.strftime('%b %Y')}"


def period_title(report: "Report") -> str:
    p = report.period
    days = "1 day" if p.days == 1 else f"{p.days} days"
    if p.start == p.end:
        return f"{day_label(p.start)} ({days})"
    first = f"{p.start.day} {p.start.strftime('%b')}" if p.start.year == p.end.year else day_label(p.start)
    return f"{first} – {day_label(p.end)} ({days})"




def pct(fraction: float) -> str:
    return f"{fraction * 100:.0f} %"


def trend_words(trend: float | None, reason: str | None = None) -> str:
    if trend is None:
        return "too few days" if reason else "–"
    if abs(trend) < 0.05:
        return "→ steady"
    arrow = "↑" if trend > 0 else "↓"
    return f"{arrow} {trend:+.1f}/wk".replace("-", "−")


def sparkline(values: list[float | None], low: float, high: float, width: int) -> str:
    """One character per day (averaged into buckets when the period is wider than `width`);
    a space for a day without a value. Fixed scale: the same height means the same value."""
    if not values or width <= 0:
        return ""
    if len(values) > width:
        size = -(-len(values) // width)
        buckets = []
        for i in range(0, len(values), size):
            chunk = [v for v in values[i:i + size] if v is not None]
            buckets.append(sum(chunk) / len(chunk) if chunk else None)
        values = buckets
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        else:
            share = (min(max(v, low), high) - low) / (high - low)
            out.append(SPARK[min(len(SPARK) - 1, int(share * (len(SPARK) - 1) + 0.5))])
    return "".join(out)


def checkins_sentence(report: "Report") -> str:
    c = report.checkins
    text = (f"Checked in {c.days} of {report.period.days} days ({pct(c.share)}) · "
            f"longest streak {c.longest_streak} " + ("day" if c.longest_streak == 1 else "days"))
    if c.backfilled:
        text += f" · {c.backfilled} filled in later"
    return text


def halt_sentence(report: "Report") -> str:
    return "HALT: " + " · ".join(f"{k} {v}" for k, v in report.halt.items())


def goal_words(s: "SubstanceMeasures") -> str:
    if s.goal != "reduce":
        return {"abstain": "goal: no use", "monitor": "monitoring"}.get(s.goal, s.goal)
    unit = {"drinks": "drinks", "count": ""}.get(s.unit, "")
    parts = []
    if s.max_per_day is not None:
        parts.append(f"≤ {num(s.max_per_day)} {unit} a day".replace("  ", " "))
    if s.max_days is not None:
        parts.append(f"≤ {s.max_days} use days a {s.max_days_per or 'week'}")
    return "goal: reduce" + (" (" + ", ".join(parts) + ")" if parts else "")


def substance_lines(s: "SubstanceMeasures", report: "Report") -> list[str]:
    """Plain sentences (user text not escaped) describing one substance over the period."""
    n = report.period.days
    mark = "*" if s.incomplete else ""
    lines = [f"Recorded {s.recorded_days} of {n} days ({pct(s.coverage)}){mark}"
             + (f" · {s.unrecorded_days} not recorded" if s.unrecorded_days else "")]
    if s.tracking_began and s.tracking_began > report.period.start:
        lines[0] += f" · tracked since {day_label(s.tracking_began)}"
    if s.recorded_days and s.goal == "abstain":
        line = f"No use on {s.sober_days} of {s.recorded_days} recorded days · used on {s.use_days}"
        if s.pda is not None:
            line += f" · {s.pda:.0f} % days without use{mark}"
        lines.append(line)
    elif s.recorded_days:
        lines.append(f"Used on {s.use_days} of {s.recorded_days} recorded days")
    unit = "drinks" if s.unit == "drinks" else ("" if s.unit == "none" else "")
    if s.unit != "none" and s.use_days:
        amount = f"{num(s.total_amount)} {unit}".strip() + " in all"
        if s.amount_per_use_day is not None:
            amount += f" · {num(s.amount_per_use_day)} per use day{mark}"
        if s.heavy_days is not None:
            amount += f" · heavy days (≥ {num(report.heavy_day_threshold)}): {s.heavy_days}"
        lines.append(amount)
    if s.goal == "reduce" and s.reduce is not None:
        lines += reduce_lines(s)
    if s.days_at_end is not None and s.goal == "abstain":
        end = report.period.end
        since = f" (last use {day_label(s.last_use)})" if s.last_use and s.last_use >= report.period.start else ""
        days = "1 day" if s.days_at_end == 1 else f"{s.days_at_end} days"
        lines.append(f"{days} without use on {day_label(end)}{since}")
    return lines


def reduce_lines(s: "SubstanceMeasures") -> list[str]:
    """A reduce goal over the report's window, in its own terms (docs/definitions.md §4)."""
    r = s.reduce
    assert r is not None
    lines = []
    if r.days_within_limit is not None and r.use_days:
        line = f"Daily limit: within it on {r.days_within_limit} use day{'s' if r.days_within_limit != 1 else ''}"
        line += f", over on {r.days_over_limit}"
        if r.days_amount_unknown:
            line += f", amount not recorded on {r.days_amount_unknown} (neither within nor over)"
        lines.append(line)
    judged = r.periods_within_goal + r.periods_over_goal + r.periods_incomplete
    if judged:
        word = r.per + ("s" if r.periods_within_goal != 1 else "")
        line = f"{r.periods_within_goal} {word} within goal, {r.periods_over_goal} over"
        if r.periods_incomplete:
            line += f", {r.periods_incomplete} not fully recorded"
        if any(p.start < s_start(s) for p in r.periods[:1]):
            line += f" (each {r.per} judged on all its days)"
        lines.append(line)
    if s.unit != "none" and r.amount_this_period is not None:
        unit = " drinks" if s.unit == "drinks" else ""
        line = f"Amount in the {r.per} of {day_label(r.current.start)}: {num(r.amount_this_period)}{unit}"
        if r.average_amount_previous_4 is not None:
            line += (f" · average of the {r.previous_periods} {r.per}{'s' if r.previous_periods != 1 else ''} "
                     f"before: {num(r.average_amount_previous_4)}{unit}")
        lines.append(line)
    lines.append(f"Within goal {r.streak_days} day{'s' if r.streak_days != 1 else ''} in a row on {day_label(r.end)}")
    return lines


def s_start(s: "SubstanceMeasures") -> date:
    return s.reduce.start if s.reduce is not None else date.min


def calendar_subjects(report: "Report") -> list[str]:
    """Substances drawn as calendars; none tracked: one calendar of check-ins."""
    return [s.name for s in report.substances] or ["__checkins__"]


def calendar_cells(report: "Report", subject: str) -> dict[date, str]:
    if subject == "__checkins__":
        return {d.date: ("checked_in" if d.checked_in else "no_checkin") for d in report.days}
    out = {}
    for d in report.days:
        mark = next((s for s in d.substances if s.name == subject), None)
        if mark is None:
            out[d.date] = "not_tracked"
        elif mark.day_state == "amount_not_recorded":
            out[d.date] = "amount_unknown"   # neither within nor over (docs/definitions.md §4)
        else:
            out[d.date] = mark.state
    return out


def calendar_grid(report: "Report", subject: str, width: int) -> list[list[tuple[str, str]]]:
    """GitHub-style heat map: a row per weekday (Monday first), a column per week, under a
    row of month names and a row of each week's Monday. Returns rows of (text, style)
    segments; when the period is wider than `width`, the most recent weeks are kept."""
    cells = calendar_cells(report, subject)
    start, end = report.period.start, report.period.end
    first = period_start(start, "week")
    weeks = [first + timedelta(weeks=i) for i in range((end - first).days // 7 + 1)]
    fit = max(1, (width - 4) // CELL_WIDTH)
    if len(weeks) > fit:
        weeks = weeks[-fit:]
    months = [" "] * (4 + CELL_WIDTH * len(weeks) + 3)
    last_month, free_from = None, 0
    for i, w in enumerate(weeks):
        # A column belongs to the month of its Monday (the day number printed under it), so a
        # month's name stands over the first column whose Monday is in that month.
        column = 4 + CELL_WIDTH * i
        # A first column from the month before the window, followed at once by the window's own
        # month, leaves its label out: two names do not fit side by side.
        lead_in = i == 0 and w < start and len(weeks) > 1 and weeks[1].month != w.month
        if w.month != last_month and column >= free_from and not lead_in:
            label = w.strftime("%b")
            months[column:column + len(label)] = list(label)
            free_from = column + len(label) + 1
            last_month = w.month
    days = "    " + "".join(f"{w.day:>2} " for w in weeks)
    rows: list[list[tuple[str, str]]] = [[("".join(months).rstrip(), "dim")], [(days.rstrip(), "dim")]]
    for wd in range(7):
        row = [(f"{WEEKDAYS[wd]} ", "dim")]
        for w in weeks:
            state = cells.get(w + timedelta(days=wd))
            symbol, style, _ = CELLS[state] if state else (" ", "", "")
            row.append((f" {symbol} ", style))
        rows.append(row)
    return rows


def calendar_blocks(report: "Report", width: int) -> list[list[list[tuple[str, str]]]]:
    """Each subject's calendar (a title row, then the grid), placed side by side while they fit."""
    blocks = []
    for subject in calendar_subjects(report):
        title = "Check-ins" if subject == "__checkins__" else strip_text(subject)
        grid = calendar_grid(report, subject, width)
        block_width = max(len(title), max(sum(len(t) for t, _ in row) for row in grid))
        blocks.append((block_width, [[(title, "bold")]] + grid))
    lines: list[list[list[tuple[str, str]]]] = []
    group: list[tuple[int, list]] = []
    used = 0
    for block_width, block in blocks:
        if group and used + 4 + block_width > width:
            lines.append(_side_by_side(group))
            group, used = [], 0
        group.append((block_width, block))
        used += block_width + (4 if len(group) > 1 else 0)
    if group:
        lines.append(_side_by_side(group))
    return lines


def _side_by_side(group: list[tuple[int, list]]) -> list[list[tuple[str, str]]]:
    height = max(len(block) for _, block in group)
    rows = []
    for r in range(height):
        row: list[tuple[str, str]] = []
        for i, (block_width, block) in enumerate(group):
            segs = block[r] if r < len(block) else []
            row.extend(segs)
            if i < len(group) - 1:
                row.append((" " * (block_width - sum(len(t) for t, _ in segs) + 4), ""))
        rows.append(row)
    return rows


def strip_text(text: str) -> str:
    from recoverylog.render.console import strip_control

    return strip_control(text)


def legend_states(report: "Report") -> list[str]:
    if not report.substances:
        return ["checked_in", "no_checkin"]
    states = ["sober", "used", "unrecorded"]
    if any(s.goal == "reduce" for s in report.substances):
        states.insert(1, "within_goal")
    if any(sd.day_state == "amount_not_recorded" for d in report.days for sd in d.substances):
        states.insert(states.index("used"), "amount_unknown")
    return states


def meetings_lines(report: "Report") -> list[str]:
    mt = report.meetings
    if not mt.count and not mt.requirements:
        return ["No meetings recorded in this period."]
    lines = [f"{mt.count} meeting{'s' if mt.count != 1 else ''} · {mt.verified} verified"]
    if mt.by_fellowship:
        lines.append("By fellowship: " + ", ".join(f"{k} {v}" for k, v in mt.by_fellowship.items()))
    if mt.by_format:
        lines.append("By format: " + ", ".join(f"{k} {v}" for k, v in mt.by_format.items()))
    if len(mt.weeks) > 1:
        lines.append("Per week: " + "; ".join(week_label(w.week_start, w.start, w.end) + f": {w.count}"
                                              for w in mt.weeks))
    for r in mt.requirements:
        if r.met:
            state = "met"
        elif r.current:
            state = f"{r.deficit} to go, {r.days_left} day{'s' if r.days_left != 1 else ''} left"
        else:
            state = f"short by {r.deficit}"
        lines.append(f"{r.label} {r.start.day} {r.start.strftime('%b')}–{r.end.day} {r.end.strftime('%b')} "
                     f"({counts_words(r.verified_only, r.fellowships)}): {r.counted} of {r.required} ({state})")
    return lines


def short_day(day: date) -> str:
    return f"{day.day} {day.strftime('%b')}"


def week_label(week_start: date, first: date, last: date) -> str:
    """'week of 30 Mar', or the days a report window covers of it: 'week of 30 Mar, from 1 Apr',
    'week of 27 Apr, to 30 Apr' (docs/definitions.md §6)."""
    label = f"week of {short_day(week_start)}"
    if first > week_start:
        label += f", from {short_day(first)}"
    if last < week_start + timedelta(days=6):
        label += f", to {short_day(last)}" if first == week_start else f" to {short_day(last)}"
    return label


def counts_words(verified_only: bool, fellowships: tuple[str, ...] = ()) -> str:
    """What a requirement counts: 'all meetings', 'verified meetings only', 'verified AA meetings only'."""
    which = "/".join(fellowships)
    if verified_only:
        return f"verified {which + ' ' if which else ''}meetings only"
    return f"{which} meetings only" if which else "all meetings"


def outreach_line(report: "Report") -> str:
    o = report.outreach
    if not o.count:
        return "No outreach recorded in this period."
    times = "time" if o.count == 1 else "times"
    roles = ", ".join(f"{k} {v}" for k, v in o.by_role.items())
    return f"Reached out {o.count} {times}" + (f" ({roles})" if roles else "")


INCOMPLETE_NOTE = "* based on incomplete records: fewer than 80 % of the days were recorded."
EMPTY_NOTE = ("Nothing was recorded in this period yet. A check-in takes a minute: "
              "`recoverylog checkin`.")


# -- terminal ----------------------------------------------------------------------

def render_report(console: "Console", report: "Report") -> None:
    # Light stand-ins for rich's Text, Padding, Panel and Table: a rich console draws the rich
    # objects they stand for; a screen console writes their lines itself (docs/definitions.md §12).
    from recoverylog.render.table import Padding, Panel, Table, Text

    width = console.width
    title = f"Report · {period_title(report)}"
    # rich reads a str title as markup with emoji codes (:name:), loading its emoji table; a
    # printable title with neither "[" nor ":" is that same text, given as Text
    plain_title = title.isprintable() and "[" not in title and ":" not in title
    console.print(Panel(Text(checkins_sentence(report)), title=Text(title) if plain_title else title,
                        title_align="left", box="ROUNDED", expand=True))
    if report.empty:
        console.print(EMPTY_NOTE)
        return

    table = Table(box="SIMPLE_HEAD", show_edge=False, pad_edge=False, expand=False)
    table.add_column("How you felt", no_wrap=True)
    table.add_column("Mean", justify="right")
    table.add_column("Range", justify="right", no_wrap=True)
    table.add_column("Days", justify="right")
    table.add_column("Trend", no_wrap=True)
    for s in report.scales:
        rng = "–" if s.min is None else f"{num(s.min)}–{num(s.max)}"
        table.add_row(SCALE_LABEL[s.name], num(s.mean), rng, str(s.days), trend_words(s.trend_per_week, s.trend_reason))
    console.print(table)
    if any(s.trend_reason and s.days for s in report.scales):
        console.print(Text("A trend needs at least 7 days with a value, spread over at least 7 days.", style="dim"))
    craving = report.scale("craving")
    console.print(f"High-craving days (≥ 7): {craving.high_days} · {halt_sentence(report)}")
    spark_width = max(7, min(len(report.days), width - 12))
    for name in ("mood", "craving"):
        scale = report.scale(name)
        if scale.days:
            low, high = SCALE_RANGE[name]
            line = Text(f"{SCALE_LABEL[name]:<9} ", style="bold")
            line.append(sparkline([getattr(d, name) for d in report.days], low, high, spark_width),
                        style="cyan" if name == "mood" else "magenta")
            console.print(line)

    for s in report.substances:
        console.print()
        console.print(Text.assemble((esc_plain(s.name), "bold"), f"  {goal_words(s)}"))
        for line in substance_lines(s, report):
            console.print(Padding(Text(line), (0, 0, 0, 2), expand=False))
    if any(s.incomplete for s in report.substances):
        console.print(Text(INCOMPLETE_NOTE, style="dim"))

    console.print()
    for block in calendar_blocks(report, width):
        for row in block:
            line = Text.assemble(*row)
            line.rstrip()
            console.print(line)
    legend = Text("Legend: ", style="dim")
    for state in legend_states(report):
        symbol, style, words = CELLS[state]
        legend.append(symbol, style=style)
        legend.append(f" {words}  ")
    console.print(legend)

    console.print()
    console.print(Text("Meetings", style="bold"))
    for line in meetings_lines(report):
        console.print(Padding(Text(line), (0, 0, 0, 2), expand=False))
    console.print(Text("Outreach", style="bold"))
    console.print(Padding(Text(outreach_line(report)), (0, 0, 0, 2), expand=False))
    if report.goals:
        console.print(Text("Goals", style="bold"))
        goal_grid(console, report.goals, 10 if width < 70 else 20, with_ids=False, indent=2)


def esc_plain(text: str) -> str:
    """User text for a rich Text object (no markup is parsed there): strip control characters."""
    from recoverylog.render.console import strip_control

    return strip_control(text)
