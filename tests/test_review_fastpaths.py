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
@given(line=st.lists(st.sampled_from(list(" ab-\t\n\u00a0\u2003é.x") + ["abcdefgh ", "x" * 30]), max_size=40).map("".join),
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
