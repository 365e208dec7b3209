"""The fast paths give the same answers as the straightforward ones they replaced: the full
export (one row per line, C encoder), the chunked digest, import by executemany. Speed itself is
measured in bench/, never here."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from recoverylog.clock import FixedClock
from recoverylog.exports import ExportRequest
from recoverylog.exports.envelope import canonical, canonical_chunks, compute_digest, row_encoder, verify
from recoverylog.storage.db import open_store

NOW = datetime.fromisoformat("2026-11-21T10:00:00+00:00")
TODAY = date(2026, 11, 21)
# Text that the one-call row splitter must not be fooled by, and that JSON must escape.
# (Control characters such as DEL are refused at input: docs/definitions.md §12.)
TRICKY_NOTE = 'a "quoted" },{ brace\nnew line, tab\t, café ✓, back\\slash, \u2028 and more'


def _seeded(cli, tmp_path: Path, tricky: bool) -> Path:
    db = tmp_path / "source.db"
    base = ["--db", str(db)]
    cli(*base, "substance", "add", "alcohol", "--unit", "drinks", "--goal", "reduce", "--max-per-day", "2", ok=True)
    for i in range(12):
        day = date(2026, 11, 1 + i).isoformat()
        note = TRICKY_NOTE if tricky and i == 4 else f"day {i}, ümlaut"
        cli(*base, "checkin", "--date", day, "--mood", str(1 + i % 10), "--craving", str(i % 11), "--sleep",
            str(6.5 + i / 4), "--note", note, "--tag", "work", "--used" if i % 3 == 0 else "--sober",
            *(["alcohol:1.5"] if i % 3 == 0 else []), ok=True)
    cli(*base, "checkin", "--date", "2026-11-03", "--mood", "9", ok=True)   # a revision
    cli(*base, "meeting", "add", "Tuesday Night", "--date", "2026-11-03", "--fellowship", "AA", ok=True)
    return db


def _old_layout(store) -> dict:
    """What the full export was before: make_envelope over dump_tables (kept as build_envelope)."""
    from recoverylog.exports.full import build_envelope

    return build_envelope(store, ExportRequest(profile="full", format="json", today=TODAY, as_of=TODAY))


@pytest.mark.parametrize("batch", [4096, 5, 1])
@pytest.mark.parametrize("tricky", [False, True], ids=["plain", "text-with-row-separator"])
def test_full_export_has_the_same_data_and_digest_as_before(cli, tmp_path, tricky, batch, monkeypatch):
    from recoverylog.exports.envelope import dumps
    from recoverylog.exports.full import build
    from recoverylog.storage import full as storage_full

    monkeypatch.setattr(storage_full, "BATCH_ROWS", batch)   # rows are read, encoded and hashed in batches

    db = _seeded(cli, tmp_path, tricky)
    store = open_store(db, FixedClock(NOW))
    try:
        before = _old_layout(store)
        document = build(store, ExportRequest(profile="full", format="json", today=TODAY, as_of=TODAY))
    finally:
        store.close()
    after = json.loads(document.content)
    assert after == before                      # every key and value, the digest included
    assert document.digest == before["digest"] == compute_digest(after)
    assert list(after) == list(before)          # the envelope's keys in the same order
    assert json.loads(dumps(before)) == after   # the old indented file parses to the same thing
    tables = after["data"]["tables"]
    assert tables["checkins"][4]["note"] == (TRICKY_NOTE if tricky else "day 4, ümlaut")
    assert tables["revisions"] and tables["meetings"]
    # One row per line, and nothing else changed but whitespace and the order of a row's keys.
    lines = document.content.splitlines()
    assert sum(1 for line in lines if line.startswith('        {"')) == sum(len(rows) for rows in tables.values())
    assert document.content.endswith("}\n") and "\n\n" not in document.content


def test_a_full_export_in_the_old_indented_layout_still_imports(cli, tmp_path):
    from recoverylog.exports.envelope import dumps

    db = _seeded(cli, tmp_path, tricky=True)
    store = open_store(db, FixedClock(NOW))
    try:
        old = _old_layout(store)
    finally:
        store.close()
    path = tmp_path / "old.json"
    path.write_text(dumps(old), encoding="utf-8")
    target = tmp_path / "restored.db"
    cli("--db", str(target), "import", str(path), ok=True)
    new_export = tmp_path / "new.json"
    cli("--db", str(target), "export", "--profile", "full", "-o", str(new_export), ok=True)
    again = json.loads(new_export.read_text(encoding="utf-8"))
    assert again["data"]["tables"] == old["data"]["tables"]


def test_import_keeps_rows_with_different_columns_in_file_order(cli, tmp_path):
    """Rows are inserted in batches of consecutive rows with the same columns; a row that
    leaves out a column with a default still gets it, and ids stay as written."""
    from recoverylog.exports.envelope import dumps

    db = _seeded(cli, tmp_path, tricky=False)
    store = open_store(db, FixedClock(NOW))
    try:
        doc = _old_layout(store)
    finally:
        store.close()
    checkins = doc["data"]["tables"]["checkins"]
    for row in checkins[::2]:
        del row["tags"]   # NOT NULL DEFAULT '[]' in the schema
    doc["digest"] = compute_digest(doc)
    path = tmp_path / "mixed.json"
    path.write_text(dumps(doc), encoding="utf-8")
    target = tmp_path / "t.db"
    cli("--db", str(target), "import", str(path), ok=True)
    listed = cli.json("--db", str(target), "checkins", "--json")
    assert [r["date"] for r in listed] == [r["date"] for r in checkins]
    assert [r["tags"] for r in listed][::2] == [[]] * len(checkins[::2])
    assert [r["tags"] for r in listed][1::2] == [["work"]] * len(checkins[1::2])


def test_import_still_names_the_first_bad_value(cli, tmp_path):
    from recoverylog.exports.envelope import dumps

    db = _seeded(cli, tmp_path, tricky=False)
    store = open_store(db, FixedClock(NOW))
    try:
        doc = _old_layout(store)
    finally:
        store.close()
    doc["data"]["tables"]["checkins"][3]["mood"] = 2**63
    doc["digest"] = compute_digest(doc)
    path = tmp_path / "bad.json"
    path.write_text(dumps(doc), encoding="utf-8")
    result = cli("--db", str(tmp_path / "t.db"), "import", str(path))
    assert result.exit_code == 1
    assert "row 4 of checkins: mood is not a number, text or null" in result.stderr
    doc["data"]["tables"]["checkins"][3]["mood"] = 2**63 - 1   # the largest integer SQLite holds passes this check
    doc["data"]["tables"]["checkins"][3]["craving"] = True
    doc["digest"] = compute_digest(doc)
    path.write_text(dumps(doc), encoding="utf-8")
    result = cli("--db", str(tmp_path / "t2.db"), "import", str(path))
    # The schema check, before any row is read, names the value by its path.
    assert result.exit_code == 1
    assert "$.data.tables.checkins[3].craving: true is not text or a number or null" in result.stderr


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=6), inner, max_size=5),
    max_leaves=40)


@settings(max_examples=200, deadline=None)
@given(value=json_values, depth=st.integers(0, 5), chunk=st.integers(1, 4))
def test_canonical_in_chunks_is_canonical_byte_for_byte(value, depth, chunk):
    assert b"".join(canonical_chunks(value, depth, chunk)) == canonical(value)


@settings(max_examples=200, deadline=None)
@given(value=json_values)
def test_the_row_encoder_writes_what_json_dumps_writes(value):
    assert row_encoder(sort_keys=True, compact=True)(value).encode("utf-8") == canonical(value)
    assert row_encoder(sort_keys=False, compact=False)(value) == json.dumps(value, ensure_ascii=False,
                                                                           allow_nan=False)


def test_the_row_encoder_refuses_what_json_refuses():
    encode = row_encoder(sort_keys=True, compact=True)
    with pytest.raises(ValueError):
        encode({"x": float("nan")})
    with pytest.raises(TypeError):
        encode({"x": b"bytes"})


def test_a_digest_over_many_rows_matches_the_one_shot_digest():
    rows = [{"id": i, "note": f"row {i} }},{{ ü", "amount": i / 7} for i in range(3000)]
    doc = {"format": "recoverylog-summary", "data": {"tables": {"b": rows, "a": rows[:5]}}, "version": 1}
    import hashlib

    one_shot = "sha256:" + hashlib.sha256(canonical(doc)).hexdigest()
    assert compute_digest(doc) == one_shot
    assert verify(doc | {"digest": one_shot})


# -- JSON lists of records (checkins --json) ----------------------------------------------

record_values = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) \
    | st.text(alphabet="ab}{, \"\\\n:[]é", max_size=8) | st.dates()
records = st.lists(st.dictionaries(
    st.text(alphabet="abc}{, ", max_size=4),
    record_values | st.lists(record_values, max_size=3) | st.dictionaries(st.text(max_size=3), record_values,
                                                                           max_size=2)
    | st.lists(st.dictionaries(st.text(max_size=2), record_values, max_size=2), max_size=2),
    max_size=5), max_size=6)


@settings(max_examples=300, deadline=None)
@given(rows=records)
def test_records_one_per_line_are_the_same_json_as_the_indented_output(rows):
    from recoverylog.render.jsonout import dumps, dumps_records

    text = dumps_records(rows)
    assert json.loads(text) == json.loads(dumps(rows))
    if rows:
        lines = text.split("\n")
        assert lines[0] == "[" and lines[-1] == "]" and len(lines) == len(rows) + 2


def test_checkins_json_is_the_same_data_one_check_in_per_line(cli, tmp_path):
    db = _seeded(cli, tmp_path, tricky=True)
    result = cli("--db", str(db), "checkins", "--json", ok=True)
    listed = json.loads(result.stdout)
    assert len(listed) == 12 and listed[4]["note"] == TRICKY_NOTE and listed[2]["revisions"] == 1
    assert listed[0]["halt"] == [] and listed[0]["tags"] == ["work"]
    assert result.stdout.count("\n") == 12 + 2
    # Each record is what `checkin show` (one row, parsed the plain way) says about that day.
    for record in listed[:6]:
        shown = cli.json("--db", str(db), "checkin", "show", record["date"], "--json")
        assert {k: v for k, v in shown.items() if k != "revisions"} == \
            {k: v for k, v in record.items() if k != "revisions"}
        assert len(shown["revisions"]) == record["revisions"]


# -- review: the overview printed in few prints, the text filter in one pass --------------

hostile_text = st.lists(st.sampled_from(
    list("ab [/]\\\t\n ") + ["\x1b", "\x1b[31m", "\x00", "\x7f", "\x85", "\x9b", "\u202a", "\u202e", "\u2066",
                              "\u2069", "\u2067", "\ud800", "\udfff", "\ud83d", "é", "✓", "\u200f"]), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=hostile_text, limit=st.integers(1, 50), one_line=st.booleans())
def test_review_text_follows_the_one_display_rule(text, limit, one_line):
    import re

    from recoverylog.reports.summary_view import _text
    from recoverylog.textcheck import display

    out = _text(text, limit, one_line)
    # Nothing that could steer a terminal or reorder what is read survives, whatever the input.
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\ud800-\udfff]", out)
    shown = display(text)
    if one_line:
        shown = " ".join(shown.split())
    assert out == shown[:limit] + ("…" if len(shown) > limit else "")


def _old_render_overview(console, review):
    """render.review.render_overview as it was: seven prints per person."""
    from recoverylog.render.console import esc, print_wrapped
    from recoverylog.render.review import _continuous, _meetings, signature_line
    from recoverylog.render.summary_md import num, pct

    total = len(review.overview)
    flagged = sum(1 for r in review.overview if r.flags)
    console.print(f"[bold]{total} {'summary' if total == 1 else 'summaries'}[/bold]"
                  + (f", {flagged} with something to ask about (listed first)" if flagged else "") + ".")
    for number, r in enumerate(review.overview, 1):
        period = (f"{r.period_start.isoformat()} to {r.period_end.isoformat()}"
                  if r.period_start and r.period_end else "period not stated")
        console.print()
        console.print(f"[bold]{number}. {esc(r.name or '(no name)')}[/bold]  {period}")
        print_wrapped(console, [f"! {flag.text}" for flag in r.flags], indent=3)
        facts = [f"check-ins {r.checkin_days}/{r.period_days} ({pct(r.checkin_share)})",
                 f"craving mean {num(r.craving_mean)}, max {num(r.craving_max)}, 7+ on {r.high_craving_days}",
                 f"use days {r.use_days}", f"meetings {_meetings(r)}"]
        if r.continuous_days:
            facts.insert(0, "days without use: " + _continuous(r))
        print_wrapped(console, [" · ".join(facts)], indent=3)
        print_wrapped(console, [signature_line(r.signature, r.path)], indent=3)
        print_wrapped(console, [r.path], indent=3)


NAMES = ["Alex", "[bold]Sam[/bold] \\", "Jo " * 30, "名前がとても長い人" * 5, "x\x1b[31m\u202ey", None,
         "a-very-long-unbroken-name-that-is-wider-than-any-terminal-" * 2, "Ren [red]", "Kim\\"]


@pytest.fixture(scope="module")
def summary_files(tmp_path_factory):
    from recoverylog.exports.envelope import compute_digest, dumps
    from summary_seed import seeded_once

    folder = tmp_path_factory.mktemp("review")
    db = seeded_once(folder, "person", used_on=(3,), skip=(5, 6, 7), cravings=[8, 2, 9, 1, 8, 2, 3, 8, 1, 2])
    from typer.testing import CliRunner

    from recoverylog.cli.app import app

    out = folder / "base.json"
    import os

    os.environ["RECOVERYLOG_NOW"] = "2026-11-21T10:00:00+00:00"
    try:
        result = CliRunner().invoke(app, ["--db", str(db), "export", "--week", "-f", "json", "-o", str(out)])
    finally:
        os.environ.pop("RECOVERYLOG_NOW", None)
    assert result.exit_code == 0, result.stderr
    base = json.loads(out.read_text(encoding="utf-8"))
    paths = []
    for i, name in enumerate(NAMES * 2):
        doc = json.loads(json.dumps(base))
        doc["person"]["name"] = name
        if i % 3 == 0:
            doc["data"]["days"] = doc["data"]["days"][:3]
        if i % 4 != 1:
            doc["digest"] = compute_digest(doc)
        path = folder / f"s{i:02d}.json"
        path.write_text(dumps(doc), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.mark.parametrize("width", [40, 60, 100])
@pytest.mark.parametrize("terminal", [False, True])
@pytest.mark.parametrize("per_print", [200, 3])
def test_the_review_overview_prints_what_it_printed_before(summary_files, width, terminal, per_print,
                                                           monkeypatch):
    import io

    from rich.console import Console

    from recoverylog.render import review as review_render
    from recoverylog.render.review import render_overview
    from recoverylog.reports.review import review_files

    monkeypatch.setattr(review_render, "PEOPLE_PER_PRINT", per_print)
    review = review_files(summary_files, keep_views=False)
    assert review.summaries == ()
    assert review.overview == review_files(summary_files).overview
    assert len(review.overview) == len(summary_files) and any(r.flags for r in review.overview)

    def rendered(fn):
        out = io.StringIO()
        console = Console(file=out, width=width, force_terminal=terminal, color_system="standard" if terminal else None,
                          highlight=False, soft_wrap=False, emoji=False)
        fn(console, review)
        return out.getvalue()

    new, old = rendered(render_overview), rendered(_old_render_overview)
    assert new == old
    assert "名前がとても長い人" in new and "[bold]Sam[/bold]" in new


def test_review_hands_the_garbage_collector_back_its_objects(summary_files):
    import gc

    from recoverylog.reports.review import review_files

    before = gc.get_freeze_count()
    review_files(summary_files)
    assert gc.get_freeze_count() == before == 0


# -- status: meetings read only for the dates shown -----------------------------------------

@settings(max_examples=300, deadline=None)
@given(
    offsets=st.lists(st.integers(0, 800), max_size=60),
    verified=st.lists(st.booleans(), min_size=60, max_size=60),
    rules=st.lists(st.tuples(st.integers(0, 800), st.integers(1, 5), st.sampled_from(["week", "month"]),
                             st.sampled_from(["monday", "sunday"]), st.none() | st.integers(0, 900),
                             st.booleans()), max_size=3),
    as_of_offset=st.integers(0, 800),
)
def test_status_meetings_from_the_bounded_read_are_the_full_history_answer(offsets, verified, rules, as_of_offset):
    from datetime import timedelta

    from recoverylog.reports.meetings import (
        Attendance,
        CurrentRequirement,
        Rule,
        meetings_summary,
        requirement_periods,
        status_since,
    )

    origin = date(2024, 2, 26)   # a leap year, month ends and both week starts on the way
    as_of = origin + timedelta(days=as_of_offset)
    meetings = sorted((Attendance(origin + timedelta(days=o), verified[i], "AA" if i % 3 else "SMART")
                       for i, o in enumerate(offsets)), key=lambda m: m.date)
    all_rules = [Rule(label=f"r{i}", count=count, per=per, start=origin + timedelta(days=start),
                      end=None if end is None else origin + timedelta(days=max(start, end)),
                      verified_only=only, week_starts=week)
                 for i, (start, count, per, week, end, only) in enumerate(rules)]
    active = [r for r in all_rules if r.active_on(as_of)]
    last = max((m.date for m in meetings if m.date <= as_of), default=None)
    since = status_since(active, as_of)
    bounded = meetings_summary([m for m in meetings if since <= m.date <= as_of], active, as_of, last_meeting=last)
    everything = meetings_summary(meetings, active, as_of, last_meeting=last)
    assert bounded == everything
    # And the current period is the last of all the periods since each requirement began.
    for rule, current in zip(active, everything.requirements, strict=True):
        full = requirement_periods(rule, meetings, as_of)[-1]
        assert current == CurrentRequirement(
            label=rule.label, period_start=full.start, period_end=full.end, counted=full.counted,
            required=full.required, deficit=full.deficit, days_left=full.days_left, met=full.met,
            partial=full.partial)


@settings(max_examples=600, deadline=None)
@given(
    offsets=st.lists(st.integers(0, 800), max_size=60),
    verified=st.lists(st.booleans(), min_size=60, max_size=60),
    rule=st.tuples(st.integers(0, 800), st.integers(1, 5), st.sampled_from(["week", "month"]),
                   st.sampled_from(["monday", "sunday"]), st.none() | st.integers(0, 900), st.booleans()),
    window=st.tuples(st.integers(-40, 800), st.integers(0, 40)),
)
@example(offsets=[], verified=[False] * 60, rule=(0, 1, "week", "monday", 0, False), window=(1, 0))  # ended before
def test_a_summarys_requirement_periods_from_the_bounded_read_are_the_full_history_ones(
        offsets, verified, rule, window):
    """The sponsor summary's requirement periods: computed from the period touching its first
    day, over the meetings from there, they are the full history's periods that reach it."""
    from datetime import timedelta

    from recoverylog.reports.meetings import Attendance, Rule, natural_period, periods_touching, requirement_periods

    origin = date(2024, 2, 26)
    start_o, count, per, week, end_o, only = rule
    req = Rule(label="r", count=count, per=per, start=origin + timedelta(days=start_o),
               end=None if end_o is None else origin + timedelta(days=max(start_o, end_o)),
               verified_only=only, week_starts=week)
    meetings = sorted((Attendance(origin + timedelta(days=o), verified[i], "AA" if i % 3 else "SMART")
                       for i, o in enumerate(offsets)), key=lambda m: m.date)
    start = origin + timedelta(days=window[0])
    as_of = start + timedelta(days=window[1])
    since = max(req.start, natural_period(start, req.per, req.week_starts)[0])
    bounded = periods_touching(req, [m for m in meetings if since <= m.date <= as_of], start, as_of)
    full = requirement_periods(req, meetings, as_of)
    assert bounded == tuple(p for p in full if p.end >= start)


# -- check-in streaks over day numbers ------------------------------------------------------

def _old_current_streak(dates, as_of):
    from datetime import timedelta

    present = set(dates)
    day = as_of if as_of in present else as_of - timedelta(days=1)
    count = 0
    while day in present:
        count += 1
        day -= timedelta(days=1)
    return count


def _old_longest_streak(dates):
    best = run = 0
    previous = None
    for day in sorted(set(dates)):
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        best = max(best, run)
        previous = day
    return best


@settings(max_examples=400, deadline=None)
@given(offsets=st.lists(st.integers(0, 120), max_size=90), as_of=st.integers(0, 130))
def test_streaks_over_day_numbers_are_the_engines_date_arithmetic(offsets, as_of):
    from datetime import timedelta

    from recoverylog.reports.daystate import current_run, longest_run
    from recoverylog.reports.runs import current_run_days, longest_run_days

    origin = date(2024, 2, 20)   # runs across 29 February
    days = [origin + timedelta(days=o) for o in offsets]
    day = origin + timedelta(days=as_of)
    numbers = sorted({d.toordinal() for d in days if d <= day})
    assert current_run_days(numbers, day.toordinal()) == current_run(days, day) == _old_current_streak(days, day)
    every = sorted({d.toordinal() for d in days})
    assert longest_run_days(every) == longest_run(days) == _old_longest_streak(days)


def test_checkin_summary_reads_day_numbers_and_says_what_it_said(cli, db_path):
    from datetime import timedelta

    from recoverylog.reports.checkins import checkin_summary
    from recoverylog.storage.checkins import dates_until

    start = date(2026, 10, 1)
    for i in (0, 1, 2, 3, 5, 6, 9, 10, 11, 12, 13, 14, 18, 19, 20):   # 1 Oct … 21 Oct
        cli("checkin", "--date", (start + timedelta(days=i)).isoformat(), "--mood", "5", "--craving", "1", ok=True)
    store = open_store(db_path, FixedClock(NOW))
    try:
        for as_of in (date(2026, 10, 21), date(2026, 10, 22), date(2026, 10, 23), date(2026, 10, 14),
                      date(2026, 10, 8), date(2026, 9, 30)):
            dates = dates_until(store, as_of)
            summary = checkin_summary(store, as_of)
            assert summary.streak == _old_current_streak(dates, as_of)
            assert summary.longest_streak == _old_longest_streak(dates)
            assert summary.total == len(dates)
            assert summary.last_checkin == (dates[-1] if dates else None)
            assert summary.today_done == (as_of in dates)
        assert checkin_summary(store, date(2026, 10, 21)).streak == 3
        assert checkin_summary(store, date(2026, 10, 22)).streak == 3
        assert checkin_summary(store, date(2026, 10, 14)).longest_streak == 5
        assert checkin_summary(store, date(2026, 10, 21)).longest_streak == 6
    finally:
        store.close()


# -- demo: a progress bar on a terminal ---------------------------------------------------

def test_demo_reports_progress_up_to_every_day(tmp_path):
    from recoverylog.services.demo import write_demo

    calls = []
    store = open_store(tmp_path / "demo.db", FixedClock(NOW))
    try:
        result = write_demo(store, 250, progress=lambda done, total: calls.append((done, total)))
    finally:
        store.close()
    assert result.checkins > 200
    assert calls[0] == (0, 250) and calls[-1] == (250, 250)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls) and len(calls) <= 130


def test_demo_progress_bar_draws_on_a_terminal_only(cli, tmp_path):
    import io
    import subprocess
    import sys

    from rich.console import Console

    from recoverylog.cli.demo import demo_progress

    out = io.StringIO()
    with demo_progress(Console(file=out, force_terminal=True, width=60)) as update:
        update(0, 100)
        update(100, 100)
    assert "Writing made-up days" in out.getvalue()
    # Not a terminal (a pipe): no bar, and rich.progress is never imported.
    probe = ("import sys\nfrom recoverylog.cli.demo import demo_progress\n"
             "with demo_progress() as update:\n    assert update is None\n"
             "print('rich.progress' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
    result = cli("demo", "--days", "20", "--db", str(tmp_path / "d.db"), ok=True)
    assert "Writing made-up days" not in result.stderr + result.stdout


def test_reading_a_file_that_grows_after_stat_still_stops_at_the_limit(tmp_path, monkeypatch):
    """read_json_file reads the size stat reported (+1); a file that grew is read on, and one that
    grew past the limit is still refused."""
    import os as os_module

    from recoverylog.errors import InputError
    from recoverylog.exports import envelope

    path = tmp_path / "growing.json"
    path.write_text('{"a": 1}', encoding="utf-8")
    real_stat = os_module.stat

    def stale_stat(p, *args, **kwargs):   # what stat said a moment before the file grew
        info = real_stat(p, *args, **kwargs)
        return os_module.stat_result((info.st_mode, *info[1:6], 3, *info[7:]))

    monkeypatch.setattr(os_module, "stat", stale_stat)
    assert envelope.read_json_file(path, "x", max_bytes=100) == {"a": 1}
    path.write_text('{"a": "' + "x" * 200 + '"}', encoding="utf-8")
    with pytest.raises(InputError, match="larger than"):
        envelope.read_json_file(path, "x", max_bytes=100)
