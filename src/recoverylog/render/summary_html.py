"""A sponsor summary as one self-contained, printable HTML page.

No scripts, no external fonts, images or styles: everything is inline, charts are inline SVG
(mood and craving over the period, meetings per week, a calendar of days without use, with use,
and not recorded). Every string that came from a person goes through `h()` (render.html.esc). Page, tables and
escaping come from render/html.py, shared with the court sheet.
Readable on a phone (fluid layout, tables scroll sideways inside their box) and on paper
(print styles, colour never the only signal: calendar cells carry a letter too)."""

from __future__ import annotations

from datetime import timedelta

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
from recoverylog.reports.daystate import period_start
from recoverylog.reports.summary_view import HIGH_CRAVING, SummaryView, substance_day_state

MOOD_COLOUR = "#1f5fa8"
CRAVING_COLOUR = "#c2410c"

EXTRA_CSS = """
body{max-width:56rem}
section{border:1px solid #d6dadf;border-radius:10px;padding:.2rem 1rem .8rem;margin:1rem 0}
section h2{margin:.8rem 0 .5rem}
.alert{background:#fdecea;border:2px solid #b3261e;color:#7a1410;font-weight:600;padding:.8rem 1rem}
.message{background:#eef5ff;border-color:#b9d3f5}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.6rem;margin:1rem 0}
.fig{border:1px solid #d6dadf;border-radius:10px;padding:.5rem .7rem}
.fig b{display:block;font-size:1.5rem;line-height:1.2}
.fig span{color:#555;font-size:.85rem}
ul{margin:.3rem 0;padding-left:1.2rem}
svg{display:block;width:100%;height:auto;max-width:100%;margin:.3rem 0}
.legend{font-size:.85rem;color:#444;margin:.2rem 0 0}
.sw{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-1px;margin:0 4px 0 10px;
border:1px solid #888}
.freetext{white-space:pre-wrap;overflow-wrap:anywhere;margin:.2rem 0}
footer{color:#555;font-size:.8rem;overflow-wrap:anywhere}
td:first-child{white-space:nowrap}
table.goals td:first-child{white-space:normal}
@media (max-width:40rem){section{padding:.1rem .6rem .6rem}table.daily{font-size:.8rem}}
@media print{section,.fig{break-inside:avoid}.sw,rect,.alert,.message{-webkit-print-color-adjust:exact;
print-color-adjust:exact}}
"""


def h(text: object) -> str:
    """Escape text for HTML (render.html.esc: control characters dropped, & < > " ' escaped)."""
    from recoverylog.render.html import esc

    return esc(text)


def _signed(view: SummaryView) -> str:
    if not view.fingerprint:
        return ""
    from recoverylog.render.trust import fingerprint_footer_html

    return f"<br>{fingerprint_footer_html(view.fingerprint)}"


def render_html(view: SummaryView) -> str:
    from recoverylog.render.html import page

    parts: list[str] = []
    add = parts.append
    if not view.verified:
        add(f'<section class="alert" role="alert">{h(ALTERED_BANNER)}</section>')
    if view.message:
        add(f'<section class="message"><h2>Things I want to talk about</h2><p class="freetext">{h(view.message)}</p>'
            "</section>")
    add(_figures(view))
    add(_checkins(view))
    add(_mood_craving_chart(view))
    add(_calendar(view))
    if view.substances or view.milestones:
        add(_substances(view))
    add(_meetings(view))
    if view.goals:
        add(_goals(view))
    if view.outreach_count is not None or view.steps or view.step_progress:
        add(_outreach(view))
    if view.include_health and (view.assessments or view.medications):
        from recoverylog.render.health import summary_health_lines
        from recoverylog.render.html import paragraph, section

        add(section("Self-assessments and medication", "".join(paragraph(line) for line in summary_health_lines(view))))
    if view.warnings:
        add("<section><h2>Early warnings</h2><ul>"
            + "".join(f"<li>{h(d)}" + (f" Next step: {h(step)}" if step else "") + "</li>" for d, step in view.warnings)
            + "</ul></section>")
    if view.days:
        add(_daily(view))
    if view.include_notes:
        add(_notes(view))
    if view.previous is not None:
        from recoverylog.render.summary_md import previous_period_lines

        lines = previous_period_lines(view)
        add("<section><h2>Compared with the period before</h2><ul>" + "".join(f"<li>{h(x)}</li>" for x in lines)
            + "</ul></section>")
    if view.answered:
        add("<section><h2>Replies received</h2><p>To the summaries for " + h(", ".join(
            f"{a.period_start.isoformat() if a.period_start else '?'} to {a.period_end.isoformat() if a.period_end else '?'}"
            for a in view.answered)) + ".</p></section>")
    add(f"<footer>Digest <code>{h(view.digest or 'missing')}</code>. The digest shows whether the JSON export was "
        "changed after it was made (<code>recoverylog review</code> checks it). It is not a signature: it does not "
        "prove who wrote the file." + _signed(view) + "</footer>")
    subtitle = period_text(view) + (f" · exported {view.generated_at}" if view.generated_at else "")
    return page(title(view), "\n".join(p for p in parts if p), subtitle=subtitle, extra_css=EXTRA_CSS)


# -- sections -------------------------------------------------------------------------------

def _fig(value: str, label: str) -> str:
    return f'<div class="fig"><b>{h(value)}</b><span>{h(label)}</span></div>'


def _figures(view: SummaryView) -> str:
    figs = [_fig(f"{view.checkin_days}/{view.period_days}", f"days checked in ({pct(view.checkin_share)})")]
    for s in view.substances[:3]:
        if s.goal == "reduce" and s.within_goal_days is not None and s.recorded_days:
            figs.append(_fig(f"{s.within_goal_days}/{s.recorded_days}", f"days {s.name} within goal"))
        elif s.continuous_days is not None and s.goal == "abstain":
            recorded = s.recorded_since_last_use
            if recorded == 0 and s.continuous_days:
                figs.append(_fig(str(s.continuous_days), f"days since the last recorded use of {s.name} "
                                                         "(none recorded since)"))
            else:
                figs.append(_fig(str(s.continuous_days), f"days without {s.name}"
                                 + (f" ({recorded} recorded)" if recorded is not None and recorded < s.continuous_days
                                    else "")))
    figs.append(_fig(str(view.meetings_count), "meetings"))
    craving = view.measures["craving"]
    if craving.days:
        figs.append(_fig(num(craving.mean), f"mean craving (max {num(craving.max)})"))
    return '<div class="figures">' + "".join(figs) + "</div>"


def _checkins(view: SummaryView) -> str:
    items = []
    line = f"Checked in on {view.checkin_days} of {plural(view.period_days, 'day')} ({pct(view.checkin_share)})"
    if view.streak is not None:
        line += f"; current streak {plural(view.streak, 'day')}"
    items.append(line)
    if view.backfilled_days:
        items.append(f"{plural(view.backfilled_days, 'day')} filled in later")
    items += [f"{label}: {text}" for label, text in measure_lines(view)]
    items.append(f"Days with craving {HIGH_CRAVING} or more: {view.high_craving_days}")
    halt = [f"{w} {n}" for w, n in view.halt if n]
    if halt:
        items.append("HALT (days): " + ", ".join(halt))
    return "<section><h2>Check-ins</h2><ul>" + "".join(f"<li>{h(i)}</li>" for i in items) + "</ul></section>"


def _mood_craving_chart(view: SummaryView) -> str:
    days = list(view.days)
    if not days or not any(d.mood is not None or d.craving is not None for d in days):
        return ""
    width, height = 520, 220
    left, right, top, bottom = 30, 8, 10, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(days)

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / 10)

    out = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="Mood and craving, day by day">']
    for v in (0, 2, 4, 6, 8, 10):
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e3e6ea"/>')
        out.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" font-size="13" text-anchor="end" fill="#555">{v}</text>')
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(HIGH_CRAVING):.1f}" y2="{y(HIGH_CRAVING):.1f}" '
               f'stroke="{CRAVING_COLOUR}" stroke-dasharray="2 4" stroke-opacity=".6"/>')
    step = max(1, -(-n // 6))
    for i, d in enumerate(days):
        if (n - 1 - i) % step == 0:
            label = d.date.strftime("%d %b") if n > 10 else d.date.strftime("%a %d")
            out.append(f'<text x="{x(i):.1f}" y="{height - 10}" font-size="13" text-anchor="middle" '
                       f'fill="#555">{h(label)}</text>')
        if not d.checkin:
            out.append(f'<rect x="{x(i) - plot_w / n / 2:.1f}" y="{top}" width="{plot_w / n:.1f}" '
                       f'height="{plot_h}" fill="#f1f3f5"/>')
    for attr, colour, dash in (("mood", MOOD_COLOUR, ""), ("craving", CRAVING_COLOUR, ' stroke-dasharray="6 4"')):
        segments: list[list[tuple[float, float]]] = [[]]
        for i, d in enumerate(days):
            v = getattr(d, attr)
            if v is None:
                if segments[-1]:
                    segments.append([])
                continue
            v = max(0.0, min(10.0, float(v)))
            segments[-1].append((x(i), y(v)))
        for seg in segments:
            if len(seg) > 1:
                pts = " ".join(f"{a:.1f},{b:.1f}" for a, b in seg)
                out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>')
            for a, b in seg:
                shape = (f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3.5" fill="{colour}"/>' if attr == "mood" else
                         f'<rect x="{a - 3.5:.1f}" y="{b - 3.5:.1f}" width="7" height="7" fill="{colour}"/>')
                out.append(shape)
    out.append("</svg>")
    legend = (f'<p class="legend"><span class="sw" style="background:{MOOD_COLOUR}"></span>mood (1–10, 10 = best)'
              f'<span class="sw" style="background:{CRAVING_COLOUR}"></span>craving (0–10, dashed; dotted line '
              f'at {HIGH_CRAVING})<span class="sw" style="background:#f1f3f5"></span>no check-in</p>')
    return "<section><h2>Mood and craving</h2>" + "".join(out) + legend + "</section>"


CAL_STYLE = {
    "sober": ("#cfe8d2", "#2e7d32", "✓", "no use recorded"),
    "within": ("#dbe8f7", "#1d5fa8", "≤", "used, within goal"),
    "unknown": ("#eeeeee", "#5f6368", "~", "used, amount not recorded (neither within nor over)"),
    "used": ("#ffd9a8", "#b45309", "U", "used"),
    "unrecorded": ("#ffffff", "#9aa0a6", "?", "not recorded"),
}


def _calendar(view: SummaryView) -> str:
    """One small calendar per substance, so that a reduce goal kept does not hide days without use
    of another substance."""
    if not view.days or view.period_start is None or view.period_end is None or not view.substances:
        return ""
    by_date = {d.date: d for d in view.days}
    first = period_start(view.period_start, "week")
    weeks = ((view.period_end - first).days // 7) + 1
    cell, gap, top = 40, 4, 18
    width = 7 * (cell + gap)
    height = top + weeks * (cell + gap)
    used_states: set[str] = set()
    blocks = []
    for substance in view.substances:
        out = [f'<svg viewBox="0 0 {width} {height}" role="img" '
               f'aria-label="{h(substance.name)}: calendar of days with and without use" '
               f'style="max-width:{width * 1.4:.0f}px">']
        for i, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")):
            out.append(f'<text x="{i * (cell + gap) + cell / 2}" y="12" font-size="11" text-anchor="middle" '
                       f'fill="#555">{name}</text>')
        for w in range(weeks):
            for i in range(7):
                day = first + timedelta(days=w * 7 + i)
                if not (view.period_start <= day <= view.period_end):
                    continue
                state = substance_day_state(by_date.get(day), substance)
                used_states.add(state)
                fill, stroke, mark, label = CAL_STYLE[state]
                cx, cy = i * (cell + gap), top + w * (cell + gap)
                dash = ' stroke-dasharray="3 2"' if state == "unrecorded" else ""
                out.append(f'<g><title>{h(day.isoformat())}: {h(label)}</title>'
                           f'<rect x="{cx}" y="{cy}" width="{cell}" height="{cell}" rx="5" fill="{fill}" '
                           f'stroke="{stroke}"{dash}/>'
                           f'<text x="{cx + 4}" y="{cy + 13}" font-size="11" fill="#333">{day.day}</text>'
                           f'<text x="{cx + cell / 2}" y="{cy + cell - 8}" font-size="15" font-weight="700" '
                           f'text-anchor="middle" fill="{stroke}">{h(mark)}</text></g>')
        out.append("</svg>")
        blocks.append(f"<h3>{h(substance.name)} <small>({h(substance.goal)})</small></h3>" + "".join(out))
    legend = " ".join(
        f'<span class="sw" style="background:{CAL_STYLE[s][0]};border-color:{CAL_STYLE[s][1]}"></span>'
        f"{h(CAL_STYLE[s][2] + ' ' if CAL_STYLE[s][2] else '')}{h(CAL_STYLE[s][3])}"
        for s in ("sober", "within", "unknown", "used", "unrecorded") if s in used_states)
    return ("<section><h2>Days with and without use</h2>" + "".join(blocks)
            + f'<p class="legend">{legend}. A day with no record is shown as not recorded, never as sober.</p>'
            + "</section>")


def _substances(view: SummaryView) -> str:
    heading = "Use and goals" if any(s.goal != "abstain" for s in view.substances) else "Days without use"
    out = [f"<section><h2>{heading}</h2>"]
    if view.substances:
        out.append("<ul>")
        for s in view.substances:
            out.append(f"<li><b>{h(s.name)}</b>: {h(substance_line(s))}</li>")
        out.append("</ul>")
    if view.milestones:
        out.append("<h2>Milestones reached</h2><ul>")
        for m in view.milestones:
            out.append(f"<li>{h(m.date.isoformat())}: {h(m.substance)} — {h(m.label)}</li>")
        out.append("</ul>")
    out.append("</section>")
    return "".join(out)


def _week_bars(view: SummaryView) -> str:
    weeks = list(view.meetings_per_week)
    if not weeks:
        return ""
    weekly_required = None
    verified_only = False
    for req in view.requirements:
        if req.per == "week" and req.count is not None:
            weekly_required, verified_only = req.count, req.verified_only
            break
    top_value = max([n for _, n in weeks] + [weekly_required or 0, 1])
    bar_w, gap, left, top, plot_h = 52, 12, 24, 16, 110
    width = max(left + len(weeks) * (bar_w + gap) + gap, 260)
    height = top + plot_h + 38
    out = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="Meetings per week" '
           f'style="max-width:{width * 1.3:.0f}px">']
    out.append(f'<line x1="{left}" x2="{width}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#999"/>')
    from recoverylog.render.report import short_day, week_label

    for i, (week, n) in enumerate(weeks):
        bh = plot_h * n / top_value
        bx = left + gap + i * (bar_w + gap)
        first = max(week, view.period_start) if view.period_start else week
        last = min(week + timedelta(days=6), view.period_end) if view.period_end else week + timedelta(days=6)
        label = week_label(week, first, last)   # the same words as the report's per-week line
        out.append(f'<rect x="{bx}" y="{top + plot_h - bh:.1f}" width="{bar_w}" height="{bh:.1f}" rx="3" '
                   f'fill="{MOOD_COLOUR}"><title>{h(label)}: {n}</title></rect>')
        out.append(f'<text x="{bx + bar_w / 2}" y="{top + plot_h - bh - 4:.1f}" font-size="13" '
                   f'text-anchor="middle" fill="#222">{n}</text>')
        out.append(f'<text x="{bx + bar_w / 2}" y="{top + plot_h + 17}" font-size="12" text-anchor="middle" '
                   f'fill="#555">{h(short_day(week))}</text>')
        if first > week or last < week + timedelta(days=6):
            cut = f"from {short_day(first)}" if first > week else f"to {short_day(last)}"
            out.append(f'<text x="{bx + bar_w / 2}" y="{top + plot_h + 31}" font-size="10" text-anchor="middle" '
                       f'fill="#555">{h(cut)}</text>')
    if weekly_required:
        ry = top + plot_h * (1 - weekly_required / top_value)
        out.append(f'<line x1="{left}" x2="{width}" y1="{ry:.1f}" y2="{ry:.1f}" stroke="{CRAVING_COLOUR}" '
                   'stroke-dasharray="5 4"/>')
        out.append(f'<text x="{left - 4}" y="{ry + 4:.1f}" font-size="12" text-anchor="end" '
                   f'fill="{CRAVING_COLOUR}">{weekly_required}</text>')
    out.append("</svg>")
    partial = view.period_start is not None and weeks[0][0] < view.period_start
    legend = ("Meetings per week (Monday first; each bar is labelled with its week's Monday"
              + (", and a week the period cuts with the days it covers" if partial or view.period_end else "") + ")"
              + (f"; dashed line: {weekly_required} required per week"
                 + (" (the requirement counts verified meetings only)" if verified_only else "")
                 if weekly_required else "") + ".")
    return "".join(out) + f'<p class="legend">{h(legend)}</p>'


def _meetings(view: SummaryView) -> str:
    out = [f"<section><h2>Meetings: {view.meetings_count}</h2>", _week_bars(view)]
    if view.meetings:
        from recoverylog.render.html import table

        out.append(table(("Date", "Meeting", "Fellowship", "Format", "Role"),
                         ((m.date.strftime("%a %d %b") + (f" {m.time}" if m.time else ""), m.name,
                           m.fellowship or "", m.format or "", (m.role or "") + (" · verified" if m.verified else ""))
                          for m in view.meetings)))
    for req in view.requirements:
        detail = (f" ({req.count} per {req.per}{', verified only' if req.verified_only else ''})"
                  if req.count is not None else "")
        out.append(f"<p><b>Requirement {h(req.label)}</b>{h(detail)}</p><ul>")
        out += [f"<li>{h(t)}</li>" for t in requirement_text(req)]
        out.append("</ul>")
    out.append("</section>")
    return "".join(out)


def _goals(view: SummaryView) -> str:
    from recoverylog.render.html import table

    rows = []
    for g in view.goals:
        progress = f"{num(g.value)} of {num(g.target)}" if g.target is not None else num(g.value)
        if g.progress is not None:
            progress += f" ({g.progress:.0f}%)"
        rows.append((g.title, progress, g.state or ""))
    return "<section><h2>Goals</h2>" + table(("Goal", "Progress", "State"), rows, numeric=(1,),
                                                   css_class="goals") + "</section>"


def _outreach(view: SummaryView) -> str:
    items = []
    if view.outreach_count is not None:
        how = ", ".join(f"{k} {n}" for k, n in view.outreach_by_how)
        items.append(f"Reached out {plural(view.outreach_count, 'time')}" + (f" ({how})" if how else ""))
    if view.step_progress:
        items.append(view.step_progress.text)
    for s in view.steps:
        items.append(f"{s.program} step {s.step if s.step is not None else '?'}: {s.status or ''}"
                     + (f" ({s.date.isoformat()})" if s.date else ""))
    return ("<section><h2>Reaching out and step work</h2><ul>" + "".join(f"<li>{h(i)}</li>" for i in items)
            + "</ul></section>")


def _daily(view: SummaryView) -> str:
    from recoverylog.render.html import table

    rows = []
    for d in view.days:
        label = d.date.strftime("%a %d %b")
        if not d.checkin:
            rows.append((label, "–", "–", "–", "–", "no check-in", use_cell(d, view.substances), d.meetings or ""))
        else:
            rows.append((label, num(d.mood), num(d.craving), num(d.stress), num(d.sleep), ", ".join(d.halt),
                         use_cell(d, view.substances), d.meetings or ""))
    return ("<section><h2>Day by day</h2>"
            + table(("Date", "Mood", "Craving", "Stress", "Sleep", "HALT", "Use", "Meetings"), rows,
                    numeric=(1, 2, 3, 4, 7), css_class="daily") + "</section>")


def _notes(view: SummaryView) -> str:
    rows = []
    for d in view.days:
        bits = []
        if d.note:
            bits.append(f'<p class="freetext">{h(d.note)}</p>')
        if d.gratitude:
            bits.append(f'<p class="freetext"><i>Grateful for:</i> {h(d.gratitude)}</p>')
        if d.tags:
            bits.append(f'<p class="freetext">tags: {h(", ".join(d.tags))}</p>')
        if bits:
            rows.append(f"<li><b>{h(d.date.isoformat())}</b>{''.join(bits)}</li>")
    for m in view.meetings:
        if m.note:
            rows.append(f'<li><b>{h(m.date.isoformat())}</b> ({h(m.name)})<p class="freetext">{h(m.note)}</p></li>')
    if not rows:
        return ""
    return "<section><h2>Notes</h2><ul>" + "".join(rows) + "</ul></section>"
