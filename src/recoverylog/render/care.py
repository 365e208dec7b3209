"""The care summary (for a counselor, therapist or prescriber) as markdown and as one
self-contained HTML page. Both are rendered from the envelope's data through one list of
sections, so the two say exactly the same thing."""

from __future__ import annotations

from dataclasses import field
from typing import Any

from recoverylog.records import record
from recoverylog.render.words import num, plural

TITLE = "Summary for my care team"
INTRO = ("Self-reported between appointments in recoverylog. Questionnaire scores are screening "
         "measures: a score is not a diagnosis.")
ITEM9_TEXT = ("PHQ-9 item 9 (thoughts of being better off dead or of self-harm) was answered above "
              "\"Not at all\" on {dates}.")


@record
class Section:
    title: str
    lines: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    freetext: tuple[tuple[str, str], ...] = field(default=())   # (label, text), kept multi-line


def _pct(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.0f}%"


def _trend(value) -> str:
    if value is None:
        return "too few days for a trend"
    if abs(value) < 0.05:
        return "steady"
    return f"trend {'+' if value > 0 else '−'}{abs(value):.1f} a week"


def sections(doc: dict[str, Any]) -> list[Section]:
    from recoverylog.render.health import NOT_A_DIAGNOSIS, adherence_line, band_phrase, coverage_text
    from recoverylog.reports.health import Adherence
    from recoverylog.services.instruments import load_instruments

    instruments = load_instruments()
    data = doc["data"]
    out: list[Section] = []

    lines, rows = [], []
    for s in data["assessments"]:
        inst = instruments.get(s["instrument"])
        latest, previous = s["latest"], s["previous"]
        band = band_phrase(inst, latest["band"]) if inst else (latest["band"] or "")
        change = ("first in the record" if s["change"] is None else
                  f"{'+' if s['change'] > 0 else '−' if s['change'] < 0 else '±'}{abs(s['change'])} "
                  f"since {previous['date']} ({previous['total']})")
        lines.append(f"{s['name']}: {latest['total']} of {s['range'][1]} on {latest['date']}"
                     + (f", {band}" if band else "") + f"; {change}.")
        if s["instrument"] == "barc10" and inst and inst.reference_score is not None:
            lines.append(f"BARC-10 range {inst.min}–{inst.max}, higher means more recovery capital. {inst.reference_text}")
    positive = [t["date"] for t in data["assessments_taken"] if t.get("item9_positive")]
    if positive:
        lines.append(ITEM9_TEXT.format(dates=", ".join(positive)))
    for t in data["assessments_taken"]:
        inst = instruments.get(t["instrument"])
        rows.append((t["date"], t["name"], f"{t['total']} of {t['range'][1]}",
                     band_phrase(inst, t["band"]) if inst else (t["band"] or "–")))
    if lines or rows:
        lines.append(NOT_A_DIAGNOSIS)
    else:
        lines.append("No self-assessments recorded.")
    out.append(Section("Self-assessments", tuple(lines), ("Date", "Questionnaire", "Score", "Band") if rows else (),
                       tuple(rows)))

    window = "this period"
    med_lines = []
    for m in data["medications"]:
        a = Adherence.from_json(m)
        cover = coverage_text(a)
        dose = f" ({m['dose']})" if m.get("dose") else ""
        line = adherence_line(a, window).replace(a.name + ":", f"{a.name}{dose}:", 1)
        med_lines.append(line + (f"; {cover}" if cover else "") + ".")
    if med_lines:
        med_lines.append("A day or dose with no record is not counted as taken or as missed.")
    out.append(Section("Medication", tuple(med_lines) or ("No medication recorded.",)))

    labels = {"mood": "Mood (1–10, 10 = best)", "sleep": "Sleep (hours)", "stress": "Stress (0–10)",
              "craving": "Craving (0–10)"}
    measure_lines = [f"Checked in on {plural(data['checkins']['days'], 'day')} ({_pct(data['checkins']['share'])})."]
    for key, label in labels.items():
        m = data["measures"].get(key)
        if not m or not m["days"]:
            continue
        measure_lines.append(f"{label}: mean {num(m['mean'])}, range {num(m['min'])}–{num(m['max'])} over "
                             f"{plural(m['days'], 'day')}; {_trend(m['trend_per_week'])}.")
    out.append(Section("Mood, sleep and stress", tuple(measure_lines)))

    use_lines = []
    for s in data["substances"]:
        if not s["recorded_days"]:
            use_lines.append(f"{s['name']}: no day recorded.")
            continue
        amount = ""
        if s["unit"] != "none" and s["total_amount"] is not None:
            amount = f"; {num(s['total_amount'])} {s['unit'] if s['unit'] == 'drinks' else ''}".rstrip() + " in total"
        recorded = plural(s['recorded_days'], 'recorded day')
        used = (f"used on {s['use_days']} of {recorded}" if s["use_days"]
                else f"no use on any of {recorded}")
        unrecorded = f"; {plural(s['unrecorded_days'], 'day')} not recorded" if s["unrecorded_days"] else ""
        use_lines.append(f"{s['name']}: {used}{amount}{unrecorded}.")
    out.append(Section("Use per substance", tuple(use_lines) or ("No substances tracked.",)))

    meetings = data["meetings"]
    out.append(Section("Meetings", (f"{plural(meetings['count'], 'meeting')} in the period"
                                    + (f" ({meetings['verified']} verified)." if meetings["verified"] else "."),)))

    if data.get("include_notes"):
        notes = tuple((n["date"], " · ".join(t for t in (n.get("note"), n.get("gratitude") and
                                                         f"grateful for: {n['gratitude']}") if t))
                      for n in data.get("notes", []))
        out.append(Section("Notes", () if notes else ("No notes in the period.",), freetext=notes))
    return out


def _period(doc) -> str:
    p = doc.get("period") or {}
    return f"{p.get('start')} to {p.get('end')} ({plural(p.get('days', 0), 'day')})"


def _title(doc) -> str:
    name = (doc.get("person") or {}).get("name")
    return f"{TITLE} — {name}" if name else TITLE


# The care team has no recoverylog to run `review`: the footer names the key and says how to check it.
SIGNED = ("Signing key fingerprint: {fp}. The JSON form of this export carries an Ed25519 signature by this "
          "key; compare the fingerprint with the person once, in person or by phone.")


def render_markdown(doc: dict[str, Any], fingerprint: str | None = None) -> str:
    from recoverylog.render.summary_md import md

    out = [f"# {md(_title(doc))}", "", f"**Period:** {_period(doc)}  ", f"**Exported:** {md(doc['generated_at'])}",
           "", md(INTRO), ""]
    for s in sections(doc):
        out += [f"## {md(s.title)}", ""]
        out += [f"- {md(line)}" for line in s.lines]
        if s.rows:
            out += ["", "| " + " | ".join(s.headers) + " |", "|" + "---|" * len(s.headers)]
            out += ["| " + " | ".join(md(c) for c in row) + " |" for row in s.rows]
        for label, text in s.freetext:
            out.append(f"- **{md(label)}**: {md(text)}")
        out.append("")
    out += ["---", f"Digest: `{doc['digest']}`  ",
            "The digest shows whether the JSON file was changed after export; it is not a signature."]
    if fingerprint:
        out += ["", md(SIGNED.format(fp=fingerprint))]
    return "\n".join(out) + "\n"


def render_html(doc: dict[str, Any], fingerprint: str | None = None) -> str:
    from recoverylog.render.html import esc, page, paragraph, section, table

    body = [paragraph(f"Period: {_period(doc)} · exported {doc['generated_at']}"), paragraph(INTRO, css_class="note")]
    for s in sections(doc):
        inner = "".join(paragraph(line) for line in s.lines)
        if s.rows:
            inner += table(s.headers, s.rows, nowrap=(0,))
        inner += "".join(f'<p><b>{esc(label)}</b></p><p class="freetext">{esc(text)}</p>\n' for label, text in s.freetext)
        body.append(section(s.title, inner))
    body.append(f"<footer>{esc('Digest: ' + doc['digest'])}<br>{esc('The digest shows whether the JSON file was changed after export; it is not a signature.')}"
                + (f"<br>{esc(SIGNED.format(fp=fingerprint))}" if fingerprint else "") + "</footer>")
    return page(_title(doc), "".join(body), extra_css=".freetext{white-space:pre-wrap;overflow-wrap:anywhere}")
