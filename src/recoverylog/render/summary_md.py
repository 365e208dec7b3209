"""A sponsor summary as markdown: short sections and small tables that read well pasted into a
chat or an email. Renders a `SummaryView`, so exports and `review` look the same."""

from __future__ import annotations

import functools
import re
from datetime import date, timedelta

from recoverylog.render.words import num, plural
from recoverylog.reports.summary_view import SummaryView, substance_day_state


@functools.cache
def _md_special() -> re.Pattern:
    """Compiled on first use: the html export, which imports this module, needs none."""
    return re.compile(r"([\\`*_\[\]<>|~])")


ALTERED_BANNER = ("WARNING: this file was changed after it was exported "
                  "(its digest does not match its content).")


def md(text: object) -> str:
    """User text made inert in markdown: one line, special characters backslash-escaped."""
    return _md_special().sub(r"\\\1", " ".join(str(text).split()))




def pct(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.0f}%"




def trend(value: float | None, reason: str | None = None) -> str:
    if value is None:
        return ", too few days for a trend" if reason else ""
    if abs(value) < 0.05:
        return ", steady"
    return f", trend {'+' if value > 0 else ''}{value:.1f}/week"


def title(view: SummaryView) -> str:
    return f"Recovery summary — {view.name}" if view.name else "Recovery summary"


def period_text(view: SummaryView) -> str:
    if view.period_start is None or view.period_end is None:
        return "period not stated"
    return f"{view.period_start.isoformat()} to {view.period_end.isoformat()} ({plural(view.period_days, 'day')})"


def measure_lines(view: SummaryView) -> list[tuple[str, str]]:
    labels = {"mood": "Mood (1–10, 10 = best)", "craving": "Craving (0–10)",
              "stress": "Stress (0–10)", "sleep": "Sleep (hours)"}
    out = []
    for key, label in labels.items():
        m = view.measures[key]
        if not m.days:
            continue
        spread = f", range {num(m.min)}–{num(m.max)}" if m.min != m.max else ""
        out.append((label, f"mean {num(m.mean)}{spread} over {plural(m.days, 'day')}{trend(m.trend_per_week, m.trend_reason)}"))
    return out


def goal_words(s) -> str:
    if s.goal != "reduce":
        return s.goal
    limits = []
    if s.max_per_day is not None:
        unit = "" if s.unit in ("count", "none") else f" {s.unit}"
        limits.append(f"at most {num(s.max_per_day)}{unit} a day")
    if s.max_days is not None:
        limits.append(f"{s.max_days} use days per {s.max_days_per or 'week'}")
    return "reduce" + (f" ({', '.join(limits)})" if limits else "")


def continuous_text(s) -> str | None:
    """'12 days without use (since …)', always with how many of them were recorded when some were
    not; none recorded: 'N days since the last recorded use (none recorded since)'."""
    if s.continuous_days is None or s.goal == "monitor":
        return None
    if s.continuous_days == 0 and s.sobriety_date:   # used on the last day: say when, not "since tomorrow"
        return f"used on the last day (last use {(s.sobriety_date - timedelta(days=1)).isoformat()})"
    recorded = s.recorded_since_last_use
    if recorded == 0 and s.continuous_days > 0:
        return f"{plural(s.continuous_days, 'day')} since the last recorded use (none recorded since)"
    since = f" (since {s.sobriety_date.isoformat()})" if s.sobriety_date else ""
    text = f"{plural(s.continuous_days, 'day')} without use{since}"
    if recorded is not None and recorded < s.continuous_days:
        text += f", {recorded} of them recorded"
    return text


def amount_text(s) -> str | None:
    if not s.total_amount:
        return None
    unit = s.unit[:-1] if s.total_amount == 1 and s.unit.endswith("s") else s.unit
    return f"{num(s.total_amount)} {'' if unit in ('count', 'none') else unit} in total".replace("  ", " ")


def reduce_text(s) -> list[str]:
    """A reduce goal in its own terms (docs/definitions.md §4): never 'sober' or 'days abstinent'."""
    parts = []
    if s.recorded_days is not None:
        period = (f"this period: {plural(s.use_days or 0, 'use day')} of {plural(s.recorded_days, 'recorded day')}"
                  + (f" (coverage {pct(s.coverage)})" if s.coverage is not None else ""))
        if (amount := amount_text(s)):
            period += f", {amount}"
        parts.append(period)
    r = s.reduce
    if r is None:
        if s.within_goal_days is not None and s.recorded_days:
            parts.append(f"within goal on {s.within_goal_days} of {s.recorded_days} recorded days")
        return parts
    if r.days_within_limit is not None and r.use_days:
        text = f"within the daily limit on {r.days_within_limit} of {plural(r.use_days, 'use day')}"
        if r.days_amount_unknown:
            text += f", amount not recorded on {r.days_amount_unknown} (neither within nor over)"
        parts.append(text)
    judged = r.periods_within_goal + r.periods_over_goal + r.periods_incomplete
    if judged:
        text = f"{r.per}s within goal: {r.periods_within_goal} of {judged}"
        if r.periods_over_goal:
            text += f", {r.periods_over_goal} over"
        if r.periods_incomplete:
            text += f", {r.periods_incomplete} not fully recorded"
        parts.append(text)
    if r.amount_this_period is not None and s.unit != "none":
        unit = " drinks" if s.unit == "drinks" else ""
        text = f"this {r.per}: {num(r.amount_this_period)}{unit}"
        if r.average_amount_previous_4 is not None:
            text += f" (average of the {r.per}s before: {num(r.average_amount_previous_4)}{unit})"
        parts.append(text)
    parts.append(f"within goal {plural(r.streak_days, 'day')} in a row")
    return parts


def substance_line(s) -> str:
    parts = []
    if s.goal == "abstain":
        if (text := continuous_text(s)):
            parts.append(text)
        if s.sober_days is not None and s.recorded_days_total:
            parts.append(f"{s.sober_days} of {s.recorded_days_total} recorded days sober")
        if s.recorded_days is not None:
            period = f"this period: {s.use_days or 0} use day{'s' if s.use_days != 1 else ''}, " \
                     f"{s.recorded_days} recorded day{'s' if s.recorded_days != 1 else ''}"
            if s.pda is not None:
                period += f", {s.pda:.0f}% days abstinent"
            if s.coverage is not None:
                period += f" (coverage {pct(s.coverage)})"
            if (amount := amount_text(s)):
                period += f", {amount}"
            if s.heavy_days:
                period += f", {plural(s.heavy_days, 'heavy day')}"
            parts.append(period)
    elif s.goal == "reduce":
        parts += reduce_text(s)
        if s.continuous_days is not None and s.sobriety_date:
            parts.append(f"last use {(s.sobriety_date - timedelta(days=1)).isoformat()}")
    else:  # monitor: use days and amount, no verdict
        if s.recorded_days is not None:
            period = f"this period: {plural(s.use_days or 0, 'use day')} of {plural(s.recorded_days, 'recorded day')}"
            if (amount := amount_text(s)):
                period += f", {amount}"
            parts.append(period)
    return f"goal {goal_words(s)}; " + "; ".join(parts)


def use_cell(day, substances=()) -> str:
    """What was recorded about use that day, in words ("not recorded" is never "no use"; a use
    within a reduce goal's daily limit says so)."""
    by_name = {s.name: s for s in substances}
    parts = []
    for u in day.uses:
        if u.used:
            state = substance_day_state(day, by_name[u.substance]) if u.substance in by_name else "used"
            parts.append(f"{u.substance} used" + (f" ({num(u.amount)})" if u.amount is not None else "")
                         + {"within": ", within goal", "unknown": ", amount not recorded"}.get(state, ""))
    if not parts and day.uses:
        parts.append("no use")
    if day.unrecorded:
        parts.append(("not recorded: " + ", ".join(day.unrecorded)) if day.uses else "not recorded")
    return "; ".join(parts) or "–"


def requirement_text(req) -> list[str]:
    lines = []
    for p in req.periods:
        state = "met" if p.met else (f"{p.deficit} to go" if not p.complete else f"short by {p.deficit}")
        lines.append(f"{p.start.isoformat()} to {p.end.isoformat()}: {p.counted} of {p.required} ({state})")
    return lines


def previous_period_lines(view: SummaryView) -> list[str]:
    """This period beside the one of equal length before it (docs/definitions.md §8), figures as
    the summary states them."""
    p = view.previous
    if p is None:
        return []
    head = f"{p.start.isoformat()} to {p.end.isoformat()} ({plural(p.days, 'day')}) → this period"
    craving_now = view.measures.get("craving").mean if view.measures.get("craving") else None
    lines = [head,
             f"Check-in days: {num(p.checkin_days)} → {view.checkin_days}",
             f"Craving mean: {num(p.craving_mean)} → {num(craving_now)}",
             f"Meetings: {num(p.meetings)} → {view.meetings_count}"]
    now = {s.name: s for s in view.substances}
    for s in p.substances:
        current = now.get(s.name)
        lines.append(f"{s.name} use days: {num(s.use_days)} of {plural(s.recorded_days or 0, 'recorded day')} → "
                     + (f"{num(current.use_days)} of {plural(current.recorded_days or 0, 'recorded day')}"
                        if current else "not in this summary"))
    return lines


def render_markdown(view: SummaryView, heading: str | None = None) -> str:
    """The summary as markdown; `heading` replaces the title (the person's own report)."""
    out: list[str] = []
    add = out.append
    if not view.verified:
        add(f"> **{ALTERED_BANNER}**\n")
    add(f"# {md(heading or title(view))}\n")
    add(f"**Period:** {period_text(view)}  ")
    if view.generated_at:
        add(f"**Exported:** {md(view.generated_at)}")
    add("")
    if view.message:
        add(f"**Things I want to talk about:** {md(view.message)}\n")

    add("## Check-ins\n")
    line = f"- Checked in on {view.checkin_days} of {plural(view.period_days, 'day')}"
    if view.checkin_share is not None:
        line += f" ({pct(view.checkin_share)})"
    if view.streak is not None:
        line += f"; current streak {plural(view.streak, 'day')}"
    if view.longest_streak:
        line += f" (longest {view.longest_streak})"
    add(line)
    if view.backfilled_days:
        add(f"- {plural(view.backfilled_days, 'day')} filled in later")
    for label, text in measure_lines(view):
        add(f"- {label}: {text}")
    add(f"- Days with craving 7 or more: {view.high_craving_days}")
    halt = [f"{w} {n}" for w, n in view.halt if n]
    if halt:
        add(f"- HALT (days): {', '.join(halt)}")
    add("")

    if view.substances:
        add("## Use and goals\n" if any(s.goal != "abstain" for s in view.substances) else "## Days without use\n")
        for s in view.substances:
            add(f"- **{md(s.name)}**: {md(substance_line(s))}")
        add("")
    if view.milestones:
        add("## Milestones reached\n")
        for m in view.milestones:
            add(f"- {m.date.isoformat()}: {md(m.substance)} — {md(m.label)}")
        add("")

    add("## Meetings\n")
    add(f"{plural(view.meetings_count, 'meeting')} in the period.\n")
    if view.meetings:
        add("| Date | Meeting | Fellowship | Format | Role |")
        add("|---|---|---|---|---|")
        for m in view.meetings:
            when = m.date.isoformat() + (f" {md(m.time)}" if m.time else "")
            add(f"| {when} | {md(m.name)} | {md(m.fellowship or '')} | {md(m.format or '')} | "
                f"{md(m.role or '')}{' (verified)' if m.verified else ''} |")
        add("")
    for req in view.requirements:
        add(f"**Requirement {md(req.label)}**"
            + (f" ({req.count} per {md(req.per or '')}{', verified only' if req.verified_only else ''})"
               if req.count is not None else "") + ":")
        for text in requirement_text(req):
            add(f"- {text}")
        add("")

    if view.goals:
        add("## Goals\n")
        add("| Goal | Progress | State |")
        add("|---|---|---|")
        for g in view.goals:
            progress = f"{num(g.value)} of {num(g.target)}" if g.target is not None else num(g.value)
            if g.progress is not None:
                progress += f" ({g.progress:.0f}%)"
            add(f"| {md(g.title)} | {progress} | {md(g.state or '')} |")
        add("")
    if view.outreach_count is not None or view.steps or view.step_progress:
        add("## Reaching out and step work\n")
        if view.outreach_count is not None:
            how = ", ".join(f"{md(k)} {n}" for k, n in view.outreach_by_how)
            add(f"- Reached out {plural(view.outreach_count, 'time')}" + (f" ({how})" if how else ""))
        if view.step_progress:
            add(f"- {md(view.step_progress.text)}")
        for s in view.steps:
            add(f"- {md(s.program)} step {s.step if s.step is not None else '?'}: {md(s.status or '')}"
                + (f" ({s.date.isoformat()})" if s.date else ""))
        add("")
    if view.warnings:
        add("## Early warnings\n")
        for detail, step in view.warnings:
            add(f"- {md(detail)}" + (f" Next step: {md(step)}" if step else ""))
        add("")

    if view.include_health and (view.assessments or view.medications):
        from recoverylog.render.health import summary_health_lines

        add("## Self-assessments and medication\n")
        for line in summary_health_lines(view):
            add(f"- {md(line)}")
        add("")
    if view.days:
        add("## Day by day\n")
        add("| Date | Mood | Craving | Stress | Sleep | HALT | Use | Meetings |")
        add("|---|---|---|---|---|---|---|---|")
        for d in view.days:
            if not d.checkin and not d.uses and not d.meetings:
                add(f"| {_day(d.date)} | no check-in | | | | | not recorded | |")
                continue
            add(f"| {_day(d.date)} | {num(d.mood)} | {num(d.craving)} | {num(d.stress)} | {num(d.sleep)} | "
                f"{', '.join(d.halt)} | {md(use_cell(d, view.substances))} | {d.meetings or ''} |")
        add("")
    if view.include_notes:
        noted = [d for d in view.days if d.note or d.gratitude or d.tags]
        noted_meetings = [m for m in view.meetings if m.note]
        if noted or noted_meetings:
            add("## Notes\n")
            for d in noted:
                parts = []
                if d.note:
                    parts.append(md(d.note))
                if d.gratitude:
                    parts.append(f"grateful for: {md(d.gratitude)}")
                if d.tags:
                    parts.append("tags: " + ", ".join(md(t) for t in d.tags))
                add(f"- **{d.date.isoformat()}**: " + " · ".join(parts))
            for m in noted_meetings:
                add(f"- **{m.date.isoformat()}** ({md(m.name)}): {md(m.note)}")
            add("")
    if view.previous is not None:
        add("## Compared with the period before\n")
        for line in previous_period_lines(view):
            add(f"- {md(line)}")
        add("")
    if view.answered:
        add("**Replies received to earlier summaries:** " + ", ".join(
            f"{a.period_start.isoformat() if a.period_start else '?'} to {a.period_end.isoformat() if a.period_end else '?'}"
            for a in view.answered) + "\n")
    add("---")
    if view.digest:
        add(f"Digest: `{view.digest.replace('`', '')}`  ")
        add("The digest shows whether the JSON file was changed after export; it is not a signature.")
    if view.fingerprint:
        from recoverylog.render.trust import fingerprint_footer

        add("")
        add(fingerprint_footer(view.fingerprint))  # our words; a fingerprint is A–Z, 2–7 and hyphens
    return "\n".join(out).rstrip() + "\n"


def _day(day: date) -> str:
    return f"{day.strftime('%a')} {day.isoformat()}"
