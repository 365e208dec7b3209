"""The shortcuts `review` takes for thousands of files give the same answers as the full rules
they skip (docs/definitions.md §12): the date walk, the display rule for printable ASCII, the
line wrapper for short lines, and the digest's test for long lists."""

from __future__ import annotations

import textwrap

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverylog import schemacheck
from recoverylog.exports import envelope
from recoverylog.render.console import wrap_line
from recoverylog.reports import summary_view
from recoverylog.textcheck import display

SETTINGS = settings(max_examples=500, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))

KEYS = st.sampled_from(["date", "start", "end", "due", "received_on", "x_on", "name", "on", "days", "a"])
DATES = st.sampled_from(["2026-11-21", "1899-12-31", "1900-01-01", "2999-12-31", "3000-01-01", "2026-02-30",
                         "2026-02-28T10:00", "20261121xx", "2026-1-021", "x", "", "9999-12-31"])
LEAVES = st.none() | st.booleans() | st.integers(-2, 2) | st.floats(allow_nan=False) | DATES | st.text(max_size=12)
TREES = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
                     max_leaves=20)


@SETTINGS
@given(doc=TREES)
def test_the_date_walk_without_paths_agrees_with_the_full_walk(doc):
    assert schemacheck._dates_all_ok(doc) == (schemacheck._first_bad_date(doc) is None)
    assert schemacheck.check_dates(doc) == schemacheck._first_bad_date(doc)


def test_a_value_json_never_makes_goes_to_the_full_walk():
    class Text(str):
        pass

    doc = {"date": Text("2026-02-30")}
    assert not schemacheck._dates_all_ok(doc)
    assert schemacheck.check_dates(doc) == '$.date: "2026-02-30" is not a real date'


def _full_text(v, limit, one_line):
    text = display(v)
    if one_line:
        text = " ".join(text.split())
    return text[:limit] + ("…" if len(text) > limit else "")


TEXT = st.text(alphabet=st.sampled_from([chr(i) for i in range(128)] + ["\u202e", "\u2066", "\x85", "\xa0", "é",
                                                                          "\u2028", "\ud800", "\x9b"]), max_size=14)


@SETTINGS
@given(v=TEXT, limit=st.integers(0, 16), one_line=st.booleans())
def test_the_view_shows_text_as_the_display_rule_does(v, limit, one_line):
    assert summary_view._text(v, limit, one_line) == _full_text(v, limit, one_line)


@SETTINGS
@given(line=st.lists(st.sampled_from(list(" ab-\t\n\u00a0\u2003é.x·–界\u3000\x85\u200d\x1c\u2028")
                                    + ["abcdefgh ", "x" * 30]), max_size=40).map("".join),
       width=st.integers(20, 45))
def test_short_lines_wrap_as_textwrap_wraps_them(line, width):
    assert wrap_line(line, width) == (textwrap.wrap(line, width, break_on_hyphens=False) or [""])


def _has_long_list_reference(value, depth, length):
    if isinstance(value, list):
        return len(value) > length
    if depth <= 0 or not isinstance(value, dict):
        return False
    return any(_has_long_list_reference(v, depth - 1, length) for v in value.values())


@SETTINGS
@given(doc=TREES, depth=st.integers(0, 4), length=st.integers(0, 3))
def test_the_long_list_test_is_unchanged(doc, depth, length):
    assert envelope._has_long_list(doc, depth, length) == _has_long_list_reference(doc, depth, length)


def _int_reference(v):
    import math

    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    if isinstance(v, float) and (not math.isfinite(v) or not v.is_integer()):
        return None
    return int(v) if abs(v) < 10**9 else None


def _num_reference(v):
    import math

    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v if abs(v) < 10**9 else None


NUMBERS = (st.integers() | st.floats() | st.sampled_from([10**9, -10**9, 10**9 - 1, 1e9, -1e9, 999999999.5, True, False,
                                                           float("nan"), float("inf"), None, "1"]))


@SETTINGS
@given(v=NUMBERS)
def test_the_view_reads_numbers_as_before(v):
    import math

    for fast, slow in ((summary_view._int, _int_reference), (summary_view._num, _num_reference)):
        got, want = fast(v), slow(v)
        assert type(got) is type(want) and (got == want or (isinstance(got, float) and math.isnan(got)))


HOSTILE = st.lists(st.sampled_from(list("ab [/]\\:*_#-.é\u0301\u200d\u202e\t\n\x1b\x07\r") + ["[bold]", "[/]", "\\[x]",
                                                                                          "界", "😀", "\ufe0f", "word "]),
                   max_size=30).map("".join)


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(names=st.lists(HOSTILE, min_size=1, max_size=4), paths=st.lists(HOSTILE, min_size=4, max_size=4),
       message=HOSTILE, width=st.integers(40, 100))
def test_plain_overview_is_what_rich_writes(names, paths, message, width, monkeypatch_module):
    import io
    from datetime import date

    from rich.console import Console

    from recoverylog.render import review as render_review
    from recoverylog.reports.review import Flag, OverviewRow, Review
    from recoverylog.reports.summary_view import _text

    rows = tuple(OverviewRow(path=paths[i], name=_text(name), period_start=date(2026, 11, 16),
                             period_end=date(2026, 11, 21), continuous_days=(("alcohol", 12),), checkin_days=5,
                             period_days=6, checkin_share=5 / 6, craving_mean=2.5, craving_max=8.0,
                             high_craving_days=1, use_days=0, meetings=3, meetings_required=None, longest_gap=1,
                             flags=(Flag("message", f"wants to talk about: {_text(message, 1000)}"),), verified=True,
                             continuous_recorded=(("alcohol", 10),))
                 for i, name in enumerate(names))
    review = Review((), (), rows)

    def draw(plain: bool) -> str:
        out = io.StringIO()
        console = Console(file=out, width=width, highlight=False, soft_wrap=False, emoji=False, color_system=None)
        assert render_review.plain_output(console)
        monkeypatch_module.setattr(render_review, "plain_output", lambda c: plain)
        try:
            render_review.render_overview(console, review)
        finally:
            monkeypatch_module.undo()
        return out.getvalue()

    assert draw(True) == draw(False)


def test_a_styled_console_still_goes_through_rich():
    from rich.console import Console

    from recoverylog.render.review import plain_output

    assert not plain_output(Console(force_terminal=True, color_system="standard"))


import pytest  # noqa: E402


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


# -- the digest of a small file, in one piece --------------------------------------------

JSON_TREES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=6), inner, max_size=6),
    max_leaves=40)


def _digest_reference(doc):
    """The digest as it was computed before a file's size was passed (canonical_chunks always)."""
    import hashlib

    body = {k: v for k, v in doc.items() if k not in ("digest", "signature")}
    sha = hashlib.sha256()
    for chunk in envelope.canonical_chunks(body):
        sha.update(chunk)
    return envelope.DIGEST_PREFIX + sha.hexdigest()


@SETTINGS
@given(data=st.dictionaries(st.sampled_from(["format", "data", "digest", "signature", "period", "é", ""]),
                            JSON_TREES, max_size=6),
       long=st.integers(0, 1200), size=st.sampled_from([None, 0, 1, 100_000, envelope.WHOLE_DIGEST_BYTES]))
def test_the_digest_of_a_small_file_is_the_digest(data, long, size):
    doc = dict(data)
    doc.setdefault("data", {})
    if isinstance(doc["data"], dict):
        doc["data"] = dict(doc["data"], days=[{"d": i, "x": [i] * (i % 3)} for i in range(long)])
    want = _digest_reference(doc)
    assert envelope.compute_digest(doc, file_bytes=size) == want
    assert envelope.compute_digest(doc) == want
    doc["digest"] = want
    assert envelope.verify(doc, file_bytes=size) and envelope.verify(doc)


def test_the_digest_of_a_small_file_refuses_what_the_full_digest_refuses():
    import pytest

    for bad in ({"data": {"x": float("nan")}}, {"data": {"x": object()}}, {"data": {1: 1, "a": 2}}):
        for size in (None, 10):
            with pytest.raises((TypeError, ValueError)):
                envelope.compute_digest(bad, file_bytes=size)
            assert not envelope.verify(dict(bad, digest="sha256:0"), file_bytes=size)


# -- reading a file once -----------------------------------------------------------------

HEADS = st.sampled_from([b"", b"  ", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n", b"\t\r\n"])
BODIES = st.sampled_from([b"<!DOCTYPE html><html></html>", b"<HTML>", b"<html", b"# Summary\n", b"#x", b"# ",
                          b'{"a": 1}', b'{"format": "recoverylog-summary", "version": 1, "data": {}}', b"[1, 2",
                          b"\xff\xfe{", b'{"a": 1, "a": 2}', b"NaN", b"", b"x" * 70 + b"<html>"])


def _old_read(path, label):
    from recoverylog.reports import review

    review._refuse_rendered_summary(path, label)
    return envelope.read_json_file(path, label)


def _outcome(read, path):
    from recoverylog.errors import RecoverylogError

    try:
        got = read(path, str(path))
    except RecoverylogError as exc:
        return ("error", type(exc).__name__, exc.message)
    return ("doc", got[0] if isinstance(got, tuple) else got)


@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(head=HEADS, body=BODIES, suffix=st.sampled_from([".json", ".JSON", ".html", ".md", ".csv", ".txt", ""]))
def test_reading_once_answers_as_the_two_steps(tmp_path_factory, head, body, suffix):
    from recoverylog.reports.review import _read_document

    folder = tmp_path_factory.mktemp("read")
    path = folder / f"f{suffix}"
    path.write_bytes(head + body)
    assert _outcome(_read_document, path) == _outcome(_old_read, path)
    doc, size = _read_document(path, "x")[:2] if _outcome(_old_read, path)[0] == "doc" else (None, None)
    assert size in (None, len(head + body))


def test_reading_once_answers_as_the_two_steps_for_what_is_not_a_small_regular_file(tmp_path, monkeypatch):
    import os

    from recoverylog.reports import review

    (tmp_path / "folder.json").mkdir()
    big = tmp_path / "big.json"
    big.write_bytes(b"<html>" + b" " * 200)
    cases = [tmp_path / "missing.json", tmp_path / "folder.json", big]
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.json")
        cases.append(tmp_path / "pipe.json")
    monkeypatch.setattr(envelope, "MAX_SUMMARY_BYTES", 100)
    for path in cases:
        assert _outcome(review._read_document, path) == _outcome(_old_read, path)
    assert "HTML" in _outcome(review._read_document, big)[2]


# -- the overview's view -----------------------------------------------------------------

ODD = st.sampled_from([None, "", "x", -1, 0, 1.5, 10**12, True, [], {}, "2026-11-18", float("inf")])
DAY_TEXT = st.sampled_from(["2026-11-12", "2026-11-15", "2026-11-16", "2026-11-18", "2026-11-21", "2026-11-22",
                            "2026-02-30", "x"])
SUBSTANCE_NAMES = st.sampled_from(["Alcohol", "alcohol", "Cigarettes", "Cannabis", " spaced  name ", ""])


def _maybe(strategy):
    return strategy | ODD


USE = st.fixed_dictionaries({"substance": _maybe(SUBSTANCE_NAMES), "used": _maybe(st.booleans()),
                             "amount": _maybe(st.sampled_from([None, 0, 1, 2, 2.5, 4, 9]))})
DAY = st.fixed_dictionaries({"date": _maybe(DAY_TEXT), "checkin": _maybe(st.booleans()),
                             "mood": _maybe(st.integers(0, 10)), "craving": _maybe(st.integers(0, 10)),
                             "stress": _maybe(st.integers(0, 10)), "uses": _maybe(st.lists(USE, max_size=3)),
                             "halt": _maybe(st.just(["tired"])), "meetings": _maybe(st.integers(0, 2)),
                             "note": st.just("a note")})
SUBSTANCE = st.fixed_dictionaries({
    "name": _maybe(SUBSTANCE_NAMES), "goal": _maybe(st.sampled_from(["abstain", "reduce", "monitor"])),
    "max_per_day": _maybe(st.sampled_from([None, 1, 2, 3.5])), "max_days": _maybe(st.sampled_from([None, 1, 3])),
    "max_days_per": _maybe(st.sampled_from([None, "week", "month"])),
    "continuous_days": _maybe(st.integers(0, 400)), "recorded_since_last_use": _maybe(st.integers(0, 400)),
    "unit": st.just("drinks"), "period": st.just({"use_days": 1, "recorded_days": 6})})
PERIOD = st.fixed_dictionaries({"start": _maybe(DAY_TEXT), "end": _maybe(DAY_TEXT),
                                "counted": _maybe(st.integers(0, 4)), "required": _maybe(st.integers(0, 4)),
                                "complete": _maybe(st.booleans())})
REQUIREMENT = st.fixed_dictionaries({"label": _maybe(st.sampled_from(["court", "program"])),
                                     "per": _maybe(st.sampled_from(["week", "month"])),
                                     "count": _maybe(st.integers(0, 3)), "periods": _maybe(st.lists(PERIOD, max_size=3))})
MEASURE = st.fixed_dictionaries({"days": _maybe(st.integers(0, 7)), "mean": _maybe(st.floats(0, 10)),
                                 "min": _maybe(st.integers(0, 10)), "max": _maybe(st.integers(0, 10))})
SUMMARY = st.fixed_dictionaries({
    "profile": st.just("sponsor"),
    "period": _maybe(st.fixed_dictionaries({"start": _maybe(DAY_TEXT), "end": _maybe(DAY_TEXT)})),
    "person": _maybe(st.fixed_dictionaries({"name": _maybe(st.sampled_from(["Jo", "Zoë [b]", "\x1b[31mx"]))})),
    "data": st.fixed_dictionaries({}, optional={
        "message": _maybe(st.sampled_from(["call me", "x" * 1500])),
        "checkins": _maybe(st.fixed_dictionaries({}, optional={"days": _maybe(st.integers(0, 7)),
                                                               "share": _maybe(st.floats(0, 1))})),
        "high_craving_days": _maybe(st.integers(0, 7)),
        "measures": _maybe(st.fixed_dictionaries({}, optional={"mood": _maybe(MEASURE), "craving": _maybe(MEASURE)})),
        "days": _maybe(st.lists(DAY, max_size=9)),
        "substances": _maybe(st.lists(SUBSTANCE, max_size=3)),
        "meetings": _maybe(st.fixed_dictionaries({}, optional={
            "count": _maybe(st.integers(0, 9)), "requirements": _maybe(st.lists(REQUIREMENT, max_size=2)),
            "items": st.just([{"date": "2026-11-17", "name": "Tuesday"}])})),
        "previous_period": _maybe(st.fixed_dictionaries({
            "start": _maybe(DAY_TEXT), "end": _maybe(DAY_TEXT), "checkin_days": _maybe(st.integers(0, 7)),
            "craving_mean": _maybe(st.floats(0, 10)), "meetings": _maybe(st.integers(0, 3)),
            "substances": _maybe(st.lists(st.fixed_dictionaries({"name": _maybe(SUBSTANCE_NAMES),
                                                                 "use_days": _maybe(st.integers(0, 7))}),
                                          max_size=2))})),
        "include_notes": _maybe(st.booleans())}),
})


@settings(max_examples=600, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(doc=SUMMARY, verified=st.booleans(), fingerprint=st.sampled_from([None, "ABCD-EFGH"]))
def test_the_overview_view_gives_the_overview_row_of_the_full_view(doc, verified, fingerprint):
    from recoverylog.reports.review import LoadedSummary, overview_row
    from recoverylog.reports.signature import SignatureStatus

    signature = SignatureStatus("untrusted", None, fingerprint) if fingerprint else None
    full = summary_view.summary_view(doc, verified, fingerprint=fingerprint)
    light = summary_view.summary_view(doc, verified, fingerprint=fingerprint, overview_only=True)
    assert overview_row(LoadedSummary("f.json", light, signature)) == overview_row(LoadedSummary("f.json", full, signature))


def _esc_reference(text):
    """render.console.esc's full rule: the display rule, then rich's markup escape (its pattern)."""
    import re

    from recoverylog.text import strip_control

    out = re.sub(r"(\\*)(\[[a-z#/@][^[]*?])", lambda m: f"{m.group(1)}{m.group(1)}\\{m.group(2)}",
                 strip_control(str(text)))
    if out.endswith("\\") and not out.endswith("\\\\"):
        out += "\\"
    return out


@SETTINGS
@given(text=HOSTILE | TEXT | st.text(max_size=12) | st.integers())
def test_escaping_printable_text_is_the_full_rule(text):
    from recoverylog.render.console import esc

    assert esc(text) == _esc_reference(text)


# Well-formed summaries (a stated period, days on and around its edges, uses of the substances
# under each goal), where every figure of the row depends on the days read.
GOOD_DATE = st.sampled_from(["2026-11-12", "2026-11-15", "2026-11-16", "2026-11-17", "2026-11-18", "2026-11-21",
                             "2026-11-22"])
GOOD_USE = st.fixed_dictionaries({"substance": st.sampled_from(["Alcohol", "alcohol", "Cigarettes"]),
                                  "used": st.booleans(), "amount": st.sampled_from([None, 0, 1, 2, 2.5, 4, 9])})
GOOD_DAY = st.fixed_dictionaries({"date": GOOD_DATE, "checkin": st.booleans(), "mood": st.none() | st.integers(0, 10),
                                  "craving": st.none() | st.integers(0, 10), "uses": st.lists(GOOD_USE, max_size=3)})
GOOD_SUBSTANCE = st.fixed_dictionaries({
    "name": st.sampled_from(["Alcohol", "Cigarettes", "Cannabis"]), "goal": st.sampled_from(["abstain", "reduce", "monitor"]),
    "max_per_day": st.sampled_from([None, 1, 2, 3.5]), "max_days": st.sampled_from([None, 1, 3]),
    "max_days_per": st.sampled_from([None, "week", "month"]), "continuous_days": st.integers(0, 400)})
WELL_FORMED = st.fixed_dictionaries({
    "profile": st.just("sponsor"),
    "period": st.fixed_dictionaries({"start": st.sampled_from(["2026-11-15", "2026-11-16"]),
                                     "end": st.sampled_from(["2026-11-18", "2026-11-21"])}),
    "person": st.just({"name": "Jo"}),
    "data": st.fixed_dictionaries({"days": st.lists(GOOD_DAY, max_size=9),
                                   "substances": st.lists(GOOD_SUBSTANCE, max_size=3)},
                                  optional={"checkins": st.just({"days": 3}), "high_craving_days": st.integers(0, 3),
                                            "measures": st.just({"mood": {"mean": 2.5, "min": 1}})}),
})


@settings(max_examples=600, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(doc=SUMMARY | WELL_FORMED, verified=st.booleans(), fingerprint=st.sampled_from([None, "ABCD-EFGH"]),
       status=st.sampled_from(["unsigned", "untrusted", "invalid"]))
def test_the_row_read_from_day_tuples_is_the_row_of_the_view(doc, verified, fingerprint, status):
    # review_files reads each day as a tuple (summary_view.overview_days) instead of building the
    # overview-only view's day records; the row is the one overview_row makes of the full view.
    from recoverylog.reports.review import LoadedSummary, overview_row, summary_row
    from recoverylog.reports.signature import SignatureStatus

    signature = SignatureStatus(status, None, fingerprint)
    full = summary_view.summary_view(doc, verified, fingerprint=fingerprint)
    light = summary_view.summary_view(doc, verified, fingerprint=fingerprint, overview_only=True)
    want = _overview_row_reference(LoadedSummary("f.json", full, signature))
    assert overview_row(LoadedSummary("f.json", full, signature)) == want
    assert summary_row("f.json", doc, verified, signature) == want
    assert overview_row(LoadedSummary("f.json", light, signature)) == want



# -- overview_row as it was before its days were read as tuples (the reference) --------------

from recoverylog.reports.review import (  # noqa: E402
    HIGH_CRAVING_DAYS,
    LOW_MOOD_DAY,
    LOW_MOOD_MEAN,
    NO_CHECKIN_DAYS,
    Flag,
    OverviewRow,
    requirement_behind,
)
from recoverylog.reports.summary_view import HIGH_CRAVING  # noqa: E402


def _longest_gap_ref(view) -> int:
    """The longest run of days in the period without a check-in."""
    if view.period_start is None or view.period_end is None:
        return 0
    present = {d.date.toordinal() for d in view.days if d.checkin}
    best = run = 0
    for day in range(view.period_start.toordinal(), view.period_end.toordinal() + 1):   # the dates, as day numbers
        run = 0 if day in present else run + 1
        if run > best:
            best = run
    return best


def _outside_goal_ref(view) :
    """(date, substance) pairs with use outside the person's own goal: any use under abstain, and
    under reduce a day the day-state engine judges over the goal (over the daily limit, or past the
    allowed use days of its week or month). A use whose amount was not recorded is neither within
    nor over (docs/definitions.md §4); monitor goals never are."""
    from recoverylog.reports import daystate as ds

    goals = {s.name.casefold(): s for s in view.substances}
    histories: dict[str, ds.History] = {}
    for key, line in goals.items():
        if line.goal != "reduce":
            continue
        records = {row.date: ds.UseDay(mark.used, mark.amount) for row in view.days for mark in row.uses
                   if mark.substance.casefold() == key}
        if records:
            histories[key] = ds.History(records, min(records),
                                        ds.Limits("reduce", line.max_per_day, line.max_days, line.max_days_per))
    found: list = []
    for row in sorted(view.days, key=lambda r: r.date):
        for mark in row.uses:
            if not mark.used:
                continue
            key = mark.substance.casefold()
            sub = goals.get(key)
            goal = sub.goal if sub else "abstain"
            if goal == "abstain":
                found.append((row.date, mark.substance))
            elif goal == "reduce" and key in histories and ds.day_within_goal(histories[key], row.date) is False:
                found.append((row.date, mark.substance))
    return found


def _overview_row_reference(summary):
    view = summary.view
    gap = _longest_gap_ref(view)
    outside = _outside_goal_ref(view)
    behind = requirement_behind(view)
    use_days = len({r.date for r in view.days if any(m.used for m in r.uses)})
    high = sum(1 for r in view.days if r.craving is not None and r.craving >= HIGH_CRAVING) or view.high_craving_days
    flags = []
    signature = summary.signature
    if signature is not None and signature.status == "invalid":
        flags.append(Flag("signature_invalid", "signature does not match: changed after signing"))
    moods = [r.mood for r in view.days if r.mood is not None]
    mood = view.measures.get("mood")
    mood_mean = mood.mean if mood and mood.mean is not None else (sum(moods) / len(moods) if moods else None)
    mood_min = min(moods) if moods else (mood.min if mood else None)
    if (mood_min is not None and mood_min <= LOW_MOOD_DAY) or (mood_mean is not None and mood_mean <= LOW_MOOD_MEAN):
        low = [r.date for r in view.days if r.mood is not None and r.mood <= LOW_MOOD_DAY]
        parts = []
        if low:
            parts.append(f"mood {LOW_MOOD_DAY} or below on {len(low)} day{'s' if len(low) != 1 else ''}")
        if mood_mean is not None and mood_mean <= LOW_MOOD_MEAN:
            parts.append(f"mean mood {round(mood_mean, 1):g}")
        flags.append(Flag("low_mood", "hard week for mood: " + ", ".join(parts or ["lowest mood "
                                                                                   f"{mood_min:g}"])))
    if view.message:
        flags.append(Flag("message", f"wants to talk about: {view.message[:120]}"))
    if outside:
        days = len({d for d, _ in outside})
        subs = sorted({s for _, s in outside})
        flags.append(Flag("use_outside_goal",
                          f"use outside own goal on {days} day{'s' if days != 1 else ''} ({', '.join(subs)})"))
    if high >= HIGH_CRAVING_DAYS:
        flags.append(Flag("high_craving", f"craving {HIGH_CRAVING}+ on {high} days"))
    if gap >= NO_CHECKIN_DAYS:
        flags.append(Flag("no_checkin", f"no check-in for {gap} days"))
    if behind:
        flags.append(Flag("requirement_behind", "meeting requirement behind: " + "; ".join(behind)))
    if not view.verified:
        flags.append(Flag("altered", "file changed after export"))
    required = counted = requirement = None
    if view.requirements:
        first = view.requirements[0]
        periods = [p for p in first.periods if view.period_start is None or p.end >= view.period_start]
        required = sum(p.required for p in periods)
        counted = sum(p.counted for p in periods)
        unit = {"week": "weeks", "month": "months"}.get(first.per or "", "periods")
        requirement = f"{first.label}: {counted} of {required} in its {unit}"
    craving = view.measures.get("craving")
    return OverviewRow(
        path=summary.path, name=view.name, period_start=view.period_start, period_end=view.period_end,
        continuous_days=tuple((s.name, s.continuous_days) for s in view.substances if s.goal == "abstain"),
        continuous_recorded=tuple((s.name, s.recorded_since_last_use) for s in view.substances if s.goal == "abstain"),
        checkin_days=view.checkin_days, period_days=view.period_days, checkin_share=view.checkin_share,
        craving_mean=craving.mean if craving else None, craving_max=craving.max if craving else None,
        high_craving_days=high, use_days=use_days, meetings=view.meetings_count, meetings_required=required,
        longest_gap=gap, flags=tuple(flags), verified=view.verified, meetings_counted=counted,
        requirement=requirement, signature=signature, mood_min=mood_min, mood_mean=mood_mean,
        message=view.message, previous=view.previous,
    )


@SETTINGS
@given(text=HOSTILE | TEXT | st.text(max_size=12))
def test_a_heading_is_as_wide_as_rich_measures_it(text):
    from rich.cells import cell_len

    from recoverylog.render.review import _cell_len

    assert _cell_len(text) == cell_len(text)
    assert _cell_len("1. " + text + "  2026-11-16 to 2026-11-21") == cell_len("1. " + text + "  2026-11-16 to 2026-11-21")
