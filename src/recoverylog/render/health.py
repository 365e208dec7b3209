"""Words for self-assessments and medication: the saved score, lists, the status lines and the
report section. Every sentence about them is written here (docs/definitions.md §9)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from recoverylog.render.console import esc
from recoverylog.render.words import plural

if TYPE_CHECKING:
    from rich.console import Console

    from recoverylog.reports.health import Adherence, AssessmentDue, AssessmentSummary, HealthReport, HealthStatus
    from recoverylog.services.instruments import Instrument

NOT_A_DIAGNOSIS = "A score is not a diagnosis; it is something to talk over with your counselor or doctor."
WINDOW_LABEL = "last {n} days"


def band_phrase(instrument: "Instrument", band: str | None) -> str:
    """'moderate depression symptoms', '3 or more: taking the full PHQ-9 is suggested'."""
    if band is None:
        return ""
    return f"{band} {instrument.band_noun}".strip() if instrument.band_noun else band


def score_lines(instrument: "Instrument", total: int, band: str | None) -> list[str]:
    lines = [f"{instrument.name}: {total} of {instrument.max}"
             + (f" ({band_phrase(instrument, band)})" if band else "") + "."]
    if instrument.reference_score is not None:
        lines.append(f"Range {instrument.min}–{instrument.max}; higher means more recovery capital. "
                     + instrument.reference_text)
    lines.append(NOT_A_DIAGNOSIS)
    return lines


def saved_lines(saved) -> list[str]:
    inst = saved.instrument
    lines = [f"Saved your {inst.name} for {saved.date.isoformat()} (id {saved.id})."]
    lines += score_lines(inst, saved.score.total, saved.score.band)
    return lines


def item9_intro() -> str:
    return ("You answered that you have had thoughts that you would be better off dead or of hurting "
            "yourself. Thank you for answering honestly. You do not have to carry this alone; here is "
            "who you can reach right now.")


def change_text(summary: "AssessmentSummary") -> str:
    if summary.change is None:
        return "first one"
    if summary.change == 0:
        return f"same as {summary.previous.date.isoformat()}"
    sign = "+" if summary.change > 0 else "−"
    return f"{sign}{abs(summary.change)} since {summary.previous.date.isoformat()}"


def render_assessment_list(console: "Console", items, instruments) -> None:
    if not items:
        console.print("No self-assessments yet. `recoverylog assess phq9` takes one (also phq2, gad7, gad2, barc10).")
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold")
    for col in ("Id", "Date", "Questionnaire", "Score", "Band"):
        table.add_column(col, no_wrap=col != "Band", overflow="fold")
    for r in items:
        inst = instruments[r.instrument]
        table.add_row(str(r.id), r.date.isoformat(), inst.name, f"{r.total} of {inst.max}",
                      band_phrase(inst, r.band) or "–")
    console.print(table)
    console.print(f"[dim]{NOT_A_DIAGNOSIS}[/]")


def render_assessment_show(console: "Console", row, instrument: "Instrument") -> None:
    console.print(f"[bold]{esc(instrument.title)} · {row.date.isoformat()} (id {row.id})[/]")
    if instrument.stem:
        console.print(esc(instrument.stem))
    for number, (item, answer) in enumerate(zip(instrument.items, row.answers, strict=False), 1):
        console.print(f"  {number:>2}. {esc(item)}")
        console.print(f"      [dim]{answer} · {esc(instrument.option_label(answer))}[/]")
    for line in score_lines(instrument, row.total, row.band):
        console.print(esc(line))


# -- medication ---------------------------------------------------------------------------

def schedule_text(schedule: str) -> str:
    return {"daily": "daily", "twice-daily": "twice a day", "weekly": "weekly", "as-needed": "as needed"}[schedule]


def render_medication_list(console: "Console", meds) -> None:
    if not meds:
        console.print("No medication yet. `recoverylog med add NAME --schedule daily --kind moud` adds one; "
                      "it is kept apart from substances and never counts as use.")
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold")
    for col in ("Name", "Dose", "Schedule", "Kind", "Since"):
        table.add_column(col, overflow="fold")
    for m in meds:
        name = esc(m.name) + ("" if m.active else f" [dim](archived {m.archived_on.isoformat()})[/]")
        table.add_row(name, esc(m.dose or ""), schedule_text(m.schedule), m.kind, m.added_on.isoformat())
    console.print(table)


def adherence_line(a: "Adherence", window: str) -> str:
    """'Buprenorphine: taken on 27 of 28 recorded days (last 30 days)'."""
    name = a.name
    if a.unit is None:
        if a.doses_taken == 0:
            return f"{name}: no doses recorded ({window})"
        return f"{name}: taken {plural(a.doses_taken, 'time')} on {plural(a.taken_days, 'day')} ({window}; as needed)"
    if a.recorded == 0:
        what = {"day": "days", "dose": "doses", "week": "weeks"}[a.unit]
        return f"{name}: no {what} recorded yet ({window})"
    if a.unit == "day":
        return f"{name}: taken on {a.taken} of {plural(a.recorded, 'recorded day')} ({window})"
    if a.unit == "dose":
        return (f"{name}: {a.taken} of {plural(a.recorded, 'recorded dose')} taken, "
                f"on {plural(a.recorded_days, 'recorded day')} ({window})")
    return f"{name}: taken in {a.taken} of {plural(a.recorded, 'recorded week')} ({window})"


def coverage_text(a: "Adherence") -> str:
    if a.unit is None or a.scheduled == 0:
        return ""
    what = {"day": "day", "dose": "dose", "week": "week"}[a.unit]
    return (f"{plural(a.unrecorded, what)} not recorded of {a.scheduled} "
            f"(not counted as taken or missed)") if a.unrecorded else f"every {what} recorded"


def due_line(d: "AssessmentDue", past: bool = False) -> str:
    if d.days_until > 0:
        return f"Next {d.name}: due {d.due.strftime('%a %-d %b')} (in {plural(d.days_until, 'day')})."
    if d.days_until == 0:
        return f"Next {d.name}: due {'that day' if past else 'today'} — `recoverylog assess {d.instrument}`."
    return (f"Next {d.name}: due since {d.due.strftime('%a %-d %b')} (the last was {d.last.isoformat()}) — "
            f"`recoverylog assess {d.instrument}` when you are ready.")


def render_status_health(console: "Console", status: "HealthStatus", report) -> None:
    past = report.today is not None and report.as_of < report.today
    window = WINDOW_LABEL.format(n=status.window_days)
    console.print()
    if status.medications:
        console.print("[bold]Medication[/]")
        for a in status.medications:
            console.print("  " + esc(adherence_line(a, window)))
    for d in status.due:
        console.print(esc(due_line(d, past)))


def report_lines(health: "HealthReport") -> list[str]:
    from recoverylog.services.instruments import load_instruments

    instruments = load_instruments()
    lines = []
    for s in health.assessments:
        inst = instruments[s.instrument]
        band = band_phrase(inst, s.latest.band)
        lines.append(f"{s.name}: {s.latest.total} of {s.max} on {s.latest.date.isoformat()}"
                     + (f", {band}" if band else "") + f" ({change_text(s)})")
    window = f"{health.start.isoformat()} to {health.end.isoformat()}"
    for a in health.medications:
        line = adherence_line(a, window)
        cover = coverage_text(a)
        lines.append(line + (f"; {cover}" if cover else ""))
    return lines


def render_report_health(console: "Console", health: "HealthReport") -> None:
    if not health.assessments and not health.medications:
        return
    console.print()
    console.print("[bold]Self-assessments and medication[/]")
    for line in report_lines(health):
        console.print("  " + esc(line))
    if health.assessments:
        console.print(f"  [dim]{NOT_A_DIAGNOSIS}[/]")


def report_markdown(health: "HealthReport") -> str:
    if not health.assessments and not health.medications:
        return ""
    from recoverylog.render.summary_md import md as md_escape

    out = ["", "## Self-assessments and medication", ""]
    out += [f"- {md_escape(line)}" for line in report_lines(health)]
    if health.assessments:
        out += ["", f"_{NOT_A_DIAGNOSIS}_"]
    return "\n".join(out) + "\n"


def summary_health_lines(view) -> list[str]:
    """The sponsor summary's health lines (only present with --include-health)."""
    from recoverylog.services.instruments import load_instruments

    instruments = load_instruments()
    lines = []
    for a in view.assessments:
        inst = instruments.get(a.instrument)
        band = band_phrase(inst, a.band) if inst else (a.band or "")
        change = ("first one" if a.change is None or a.previous_date is None else
                  f"{'+' if a.change > 0 else '−' if a.change < 0 else '±'}{abs(a.change)} since {a.previous_date.isoformat()}")
        lines.append(f"{a.name}: {a.total} of {a.max} on {a.date.isoformat()}" + (f", {band}" if band else "")
                     + f" ({change})")
    for m in view.medications:
        cover = coverage_text(m)
        lines.append(adherence_line(m, "this period") + (f"; {cover}" if cover else ""))
    if view.assessments:
        lines.append(NOT_A_DIAGNOSIS)
    return lines
