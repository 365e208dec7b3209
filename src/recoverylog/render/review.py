"""Terminal and markdown views for `review`. Every string from a file passes `esc()` (control
characters and ANSI sequences stripped, rich markup escaped) before rich sees it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from recoverylog.render.console import esc, plain_console_width  # noqa: F401  (tests read the width rule here)
from recoverylog.render.plain import ScreenConsole as PlainConsole  # the overview's plain console
from recoverylog.render.summary_md import (
    ALTERED_BANNER,
    measure_lines,
    num,
    pct,
    period_text,
    plural,
    requirement_text,
    substance_line,
    title,
    use_cell,
)

if TYPE_CHECKING:
    from rich.console import Console

    from recoverylog.reports.review import OverviewRow, Review
    from recoverylog.reports.summary_view import SummaryView


def signature_line(sig, path: str | None = None) -> str:
    from recoverylog.render.trust import status_text

    if sig is None:
        return "Not signed: nothing shows who made this file."
    return status_text(sig, path)


def render_summary(console: "Console", view: "SummaryView", path: str, signature=None) -> None:
    from rich.panel import Panel
    from rich.table import Table

    if signature is not None and signature.status == "invalid":
        console.print(Panel(f"[bold]{esc(signature_line(signature))}[/bold]\nDo not rely on its figures; ask "
                            "the person for a fresh copy.", style="red", expand=False))
    if not view.verified:
        console.print(Panel(f"[bold]{esc(ALTERED_BANNER)}[/bold]\nRead it with care and ask the person "
                            "for a fresh copy.", style="red", expand=False))
    console.print(f"[bold]{esc(title(view))}[/bold]  {esc(period_text(view))}")
    console.print(f"[dim]{esc(path)}{'  exported ' + esc(view.generated_at) if view.generated_at else ''}[/dim]")
    from recoverylog.render.console import print_wrapped

    print_wrapped(console, [signature_line(signature, path)], indent=0)
    if view.message:
        console.print(f"\n[bold]Things I want to talk about:[/bold] {esc(view.message)}")
    console.print()
    line = f"Checked in on {view.checkin_days} of {plural(view.period_days, 'day')} ({pct(view.checkin_share)})"
    if view.streak is not None:
        line += f", current streak {plural(view.streak, 'day')}"
    console.print(esc(line))
    for label, text in measure_lines(view):
        console.print(f"  {label}: {esc(text)}")
    console.print(f"  Days with craving 7 or more: {view.high_craving_days}")
    halt = [f"{w} {n}" for w, n in view.halt if n]
    if halt:
        console.print(f"  HALT (days): {esc(', '.join(halt))}")
    if view.substances:
        heading = "Use and goals" if any(s.goal != "abstain" for s in view.substances) else "Days without use"
        console.print(f"\n[bold]{heading}[/bold]")
        from rich.padding import Padding

        for s in view.substances:
            console.print(Padding(f"[bold]{esc(s.name)}[/bold]: {esc(substance_line(s))}", (0, 0, 0, 2),
                                  expand=False))
    if view.milestones:
        console.print("\n[bold]Milestones reached[/bold]")
        for m in view.milestones:
            console.print(f"  {m.date.isoformat()}  {esc(m.substance)}: {esc(m.label)}")
    console.print(f"\n[bold]Meetings[/bold]: {view.meetings_count}")
    for m in view.meetings:
        extra = ", ".join(x for x in (m.fellowship, m.format, m.role) if x)
        console.print(f"  {m.date.isoformat()}  {esc(m.name)}" + (f" ({esc(extra)})" if extra else "")
                      + (" verified" if m.verified else ""))
    for req in view.requirements:
        console.print(f"  Requirement {esc(req.label)}:")
        for text in requirement_text(req):
            console.print(f"    {esc(text)}")
    if view.goals:
        console.print("\n[bold]Goals[/bold]")
        for g in view.goals:
            progress = f"{num(g.value)} of {num(g.target)}" if g.target is not None else num(g.value)
            console.print(f"  {esc(g.title)}: {esc(progress)} {esc(g.state or '')}")
    if view.outreach_count is not None:
        console.print(f"\nReached out {plural(view.outreach_count, 'time')}")
    if view.step_progress:
        console.print(f"Step work: {esc(view.step_progress.text)}")
    if view.days:
        table = Table(title="Day by day", title_justify="left", box=None, header_style="bold", pad_edge=False)
        for col in ("Date", "Mood", "Crav.", "Stress", "Sleep", "Use", "Mtg"):
            table.add_column(col, overflow="fold")
        for d in view.days:
            if not d.checkin and not d.uses:
                table.add_row(d.date.isoformat(), "[dim]no check-in[/dim]", "", "", "", "not recorded",
                              str(d.meetings or ""))
                continue
            table.add_row(d.date.isoformat(), num(d.mood), num(d.craving), num(d.stress), num(d.sleep),
                          esc(use_cell(d, view.substances)), str(d.meetings or ""))
        console.print()
        console.print(table)
    if view.include_notes:
        noted = [d for d in view.days if d.note or d.gratitude]
        if noted:
            console.print("\n[bold]Notes[/bold]")
            for d in noted:
                text = " · ".join(x for x in (d.note, f"grateful for: {d.gratitude}" if d.gratitude else None) if x)
                console.print(f"  {d.date.isoformat()}: {esc(text)}")
    if view.previous is not None:
        console.print("\n[bold]Compared with the period before[/bold]")
        for text in previous_lines(view):
            console.print(f"  {esc(text)}")
    if view.answered:
        console.print("\nReplies received to earlier summaries: " + esc(", ".join(answered_texts(view))))
    console.print(f"\n[dim]Digest {esc(view.digest or 'missing')}: "
                  f"{'matches the content' if view.verified else 'does NOT match the content'}. "
                  "A digest is not a signature.[/dim]")


def _continuous(row: "OverviewRow") -> str:
    """'alcohol 12', with how many were recorded whenever some were not: 'opioids 3 (none recorded)'."""
    recorded = dict(row.continuous_recorded)
    parts = []
    for name, days in row.continuous_days:
        if days is None:
            continue
        r = recorded.get(name)
        note = "" if r is None or r >= days else (" (none recorded)" if r == 0 else f" ({r} recorded)")
        parts.append(f"{name} {days}{note}")
    return ", ".join(parts) or "–"


def _meetings(row: "OverviewRow") -> str:
    if row.requirement:
        return f"{row.meetings} ({row.requirement})"
    return str(row.meetings)


PEOPLE_PER_PRINT = 200


def overview_console() -> "Console | PlainConsole":
    """The console for `render_overview`: a PlainConsole when `plain_console_width` knows it is
    plain, else `make_console()`."""
    from recoverylog.render.console import screen_console

    return screen_console()


def plain_output(console: "Console") -> bool:
    """Whether `console` writes no style at all (rich then writes a text's characters as they are)."""
    return console.color_system is None and not console.record


def shown(markup: str) -> str:
    """The characters rich shows for one line of our markup (escaped text and whole tags on
    one line): the line itself when it holds no bracket, else rich's own markup parser's text."""
    if "[" not in markup:
        return markup
    from rich.markup import render

    return render(markup, emoji=False).plain


def _cell_len(text: str) -> int:
    """rich.cells.cell_len(text): printable ASCII is one cell a character (the common heading,
    answered without importing rich); anything else is measured by rich (a test compares the two)."""
    if text.isascii() and text.isprintable():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def render_overview(console: "Console", review: "Review") -> None:
    """One short block per person, people who may need a call first; wraps cleanly at 60 columns."""
    from recoverylog.render.console import strip_control, wrapped_lines

    cell_len = _cell_len

    total = len(review.overview)
    flagged = sum(1 for r in review.overview if r.flags)
    count = f"{total} {'summary' if total == 1 else 'summaries'}"
    rest = (f", {flagged} with something to ask about (listed first)" if flagged else "") + "."
    # Every rich print measures the terminal and lays out its text, so the blocks go out in as
    # few prints as possible: lines wrapped here are printed as they are, and a heading is
    # printed on its own (for rich to wrap) only when it is wider than the terminal. When the
    # console draws no style at all (no colour system: a file or a pipe), rich would write the
    # characters its markup parser leaves (`shown`), so those are written without rich laying
    # them out (a test compares the two ways on hostile names, messages and paths).
    plain = plain_output(console)

    def flush(lines: list[str]) -> None:
        if plain:
            console.file.write("\n".join(map(shown, lines)) + "\n")
        else:
            console.print("\n".join(lines), soft_wrap=True)

    pending: list[str] = []
    columns = console.width   # measured once, not twice per person
    if plain and cell_len(count + rest) <= columns:
        pending.append(count + rest)   # what rich shows of it, on one line (it holds no user text)
    else:
        console.print(f"[bold]{count}[/bold]{rest}")
    for number, r in enumerate(review.overview, 1):
        period = (f"{r.period_start.isoformat()} to {r.period_end.isoformat()}"
                  if r.period_start and r.period_end else "period not stated")
        name = r.name or "(no name)"
        heading = f"[bold]{number}. {esc(name)}[/bold]  {period}"
        pending.append("")
        if cell_len(f"{number}. {strip_control(name)}  {period}") <= columns:
            # With no bracket or backslash in the name, what rich shows is the text between the tags.
            pending.append(f"{number}. {strip_control(name)}  {period}"
                           if plain and "[" not in name and "\\" not in name else heading)
        else:
            flush(pending)
            console.print(heading)
            pending = []
        facts = [f"check-ins {r.checkin_days}/{r.period_days} ({pct(r.checkin_share)})",
                 f"craving mean {num(r.craving_mean)}, max {num(r.craving_max)}, 7+ on {r.high_craving_days}",
                 f"use days {r.use_days}", f"meetings {_meetings(r)}"]
        if r.continuous_days:
            facts.insert(0, "days without use: " + _continuous(r))
        pending += wrapped_lines(console, [f"! {flag.text}" for flag in r.flags] + [" · ".join(facts),
                                                                              signature_line(r.signature, r.path), r.path],
                                 indent=3, columns=columns)
        if number % PEOPLE_PER_PRINT == 0:   # few prints, and bounded memory
            flush(pending)
            pending = []
    if pending:
        flush(pending)
    for court in review.court_sheets:
        console.print()
        render_court_block(console, court)


def previous_lines(view: "SummaryView") -> list[str]:
    """Week over week: this period beside the one of equal length before it."""
    from recoverylog.render.summary_md import previous_period_lines

    return previous_period_lines(view)


def answered_texts(view: "SummaryView") -> list[str]:
    return [f"{a.period_start.isoformat() if a.period_start else '?'} to "
            f"{a.period_end.isoformat() if a.period_end else '?'}" for a in view.answered]


def render_court_block(console: "Console", court) -> None:
    """A court sheet in the overview: who, the period, the totals, the flags and the signature."""
    from recoverylog.render.console import print_wrapped
    from recoverylog.render.court import summary_line

    sheet = court.sheet
    console.print(f"[bold]Court sheet: {esc(sheet.name or '(no name)')}[/bold]  {esc(summary_line(sheet))}")
    print_wrapped(console, [f"! {flag.text}" for flag in court.flags], indent=3)
    for req in sheet.requirements:
        counted = sum(p.counted for p in req.periods)
        required = sum(p.required for p in req.periods)
        print_wrapped(console, [f"{req.label}: {counted} of {required} over {len(req.periods)} "
                                f"period{'s' if len(req.periods) != 1 else ''}"], indent=3)
    print_wrapped(console, [signature_line(court.signature, court.path)], indent=3)
    print_wrapped(console, [court.path], indent=3)


def render_court(console: "Console", court) -> None:
    """One court sheet in full: the attendance rows, requirement totals, digest and signature."""
    from rich.table import Table

    from recoverylog.render.court import TOTAL_HEADERS, meeting_cells, total_cells

    sheet = court.sheet
    render_court_block(console, court)
    if sheet.rows:
        table = Table(title="Meetings", title_justify="left", box=None, header_style="bold", pad_edge=False)
        for col in ("Date", "Time", "Min", "Meeting", "Fellowship", "Verification", "By"):
            table.add_column(col, overflow="fold")
        for row in sheet.rows:
            cells = meeting_cells(row)
            table.add_row(*[esc("" if cells[i] is None else cells[i]) for i in (0, 1, 2, 3, 4, 8, 9)])
        console.print()
        console.print(table)
    for req in sheet.requirements:
        table = Table(title=f"Requirement: {esc(req.label)}", title_justify="left", box=None,
                      header_style="bold", pad_edge=False)
        for col in TOTAL_HEADERS[1:]:
            table.add_column(col, overflow="fold")
        for p in req.periods:
            table.add_row(*[esc(c) for c in total_cells(req.label, p)[1:]])
        console.print()
        console.print(table)
    console.print(f"\n[dim]Digest {esc(sheet.digest or 'missing')}: "
                  f"{'matches the content' if court.digest_ok else 'does NOT match the content'}.[/dim]")


def render_court_markdown(court) -> str:
    from recoverylog.render.court import to_markdown
    from recoverylog.render.summary_md import md

    text = to_markdown(court.sheet)
    lead = [f"> **{md(signature_line(court.signature, court.path))}**", ""]
    if not court.digest_ok:
        lead = [f"> **{md(ALTERED_BANNER)}**", ""] + lead
    return "\n".join(lead) + "\n" + text


def render_overview_markdown(review: "Review") -> str:
    from recoverylog.render.summary_md import md

    lines = ["# Summaries", "",
             "| Person | Period | Days without use | Check-ins | Craving mean/max | Craving 7+ days | "
             "Use days | Meetings | Flags |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in review.overview:
        period = (f"{r.period_start.isoformat()} to {r.period_end.isoformat()}"
                  if r.period_start and r.period_end else "?")
        lines.append(f"| {md(r.name or '(no name)')} | {period} | {md(_continuous(r))} | "
                     f"{r.checkin_days}/{r.period_days} ({pct(r.checkin_share)}) | "
                     f"{num(r.craving_mean)}/{num(r.craving_max)} | {r.high_craving_days} | {r.use_days} | "
                     f"{md(_meetings(r))} | {md('; '.join(f.text for f in r.flags) or '–')} |")
    for court in review.court_sheets:
        sheet = court.sheet
        lines += ["", f"## Court sheet: {md(sheet.name or '(no name)')}", "",
                  f"{sheet.period_start.isoformat()} to {sheet.period_end.isoformat()}: {sheet.meetings} meetings, "
                  f"{sheet.verified} verified.  "]
        for req in sheet.requirements:
            lines.append(f"{md(req.label)}: {sum(p.counted for p in req.periods)} of "
                         f"{sum(p.required for p in req.periods)}.  ")
        lines += [md("; ".join(f.text for f in court.flags) or "No flags.") + "  ",
                  md(signature_line(court.signature, court.path))]
    if any(r.signature is not None for r in review.overview):
        lines += ["", "Signatures:"]
        lines += [f"- {md(r.name or '(no name)')}: {md(signature_line(r.signature, r.path))}" for r in review.overview]
    if review.problems:
        lines += ["", "Not read:"]
        lines += [f"- {md(p.message)}" for p in review.problems]
    return "\n".join(lines) + "\n"
