"""The screen console (render/plain.py `ScreenConsole`, taken by render/console.py `screen_console`
where rich would draw no style) writes what rich's own console writes: for one markup string, for
a print of anything, and for whole screens on journals with hostile names (docs/definitions.md §12)."""

from __future__ import annotations

import contextlib
import io
import shutil
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverylog.render.console import esc, esc_tail
from recoverylog.render.plain import _NARROW, _TEXT_RULES, ScreenConsole, shown

PIECES = ["[bold]", "[/]", "[/bold]", "[dim]", "[green]", "[/green]", "\\[", "\\", "\\\\", "[1]", "[", "]",
          "[bold]x[/]", "\\[bold]", "\\\\[dim]y[/dim]", "word", "  ", " ", "é", "漢", "“", "█", "·", "\n",
          "\t", "\r", "\x07", "longerwordthanmost"]
MARKUP = st.lists(st.sampled_from(PIECES), max_size=20).map("".join)
USER = st.lists(st.sampled_from(list("ab [ ]/\\#@é漢“█·") + ["[bold]", "[/]", "\\[", "longword"]),
                max_size=12).map("".join)


def _rich(width: int):
    from rich.console import Console

    out = io.StringIO()
    return out, Console(file=out, width=width, color_system=None, highlight=False, soft_wrap=False, emoji=False)


def _markup_ok(markup: str) -> bool:
    """Whether rich's markup parser takes the string (our screens never write one it refuses)."""
    from rich.errors import MarkupError
    from rich.markup import render

    try:
        render(markup, emoji=False)
    except MarkupError:
        return False
    return True


@settings(max_examples=400, deadline=None)
@given(MARKUP)
def test_shown_is_the_text_rich_s_markup_parser_leaves(markup):
    """(Tabs and control codes, which rich's Text changes after parsing, the console leaves to rich.)"""
    from rich.markup import render

    if _markup_ok(markup) and not _TEXT_RULES.search(markup):
        assert shown(markup) == render(markup, emoji=False).plain


@settings(max_examples=300, deadline=None)
@given(USER, USER)
def test_escaped_text_before_a_tag_and_at_the_end_shows_as_rich_shows_it(before, after):
    """`esc` before a tag, `esc_tail` at the end: rich and `shown` show the same characters, and
    the text as typed whenever it holds no backslash (rich's escape leaves some to its parser:
    `\\[` shows as `[`, two before a tag as one; the same on both consoles)."""
    from rich.markup import render

    from recoverylog.render.console import strip_control

    markup = f"[bold]{esc(before)}[/]{esc_tail(after)}"
    assert shown(markup) == render(markup, emoji=False).plain
    if "\\" not in before + after:
        assert shown(markup) == strip_control(before) + strip_control(after)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(objects=st.lists(MARKUP, max_size=3), width=st.integers(1, 60), soft_wrap=st.sampled_from([None, True, False]),
       end=st.sampled_from(["\n", "", " end\n"]))
def test_a_print_writes_what_rich_writes(objects, width, soft_wrap, end, monkeypatch):
    if not all(map(_markup_ok, objects)):
        return
    out, console = _rich(width)
    console.print(*objects, soft_wrap=soft_wrap, end=end)
    monkeypatch.setenv("COLUMNS", str(width))
    screen = io.StringIO()
    with contextlib.redirect_stdout(screen):
        ScreenConsole(width).print(*objects, soft_wrap=soft_wrap, end=end)
    assert screen.getvalue() == out.getvalue()


NARROW_PIECES = ["[bold]", "[/]", "[dim]", "\\[", "\\", "[1]", "[", "]", "word", "  ", " ", " ", " ", "é", "“",
                 "█", "·", "\n", "\xa0", "longerwordthanmost", "ab", "c"]


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(objects=st.lists(st.lists(st.sampled_from(NARROW_PIECES), max_size=30).map("".join), min_size=1,
                        max_size=2),
       width=st.integers(1, 60), soft_wrap=st.sampled_from([None, False]))
def test_a_line_wider_than_the_console_is_wrapped_as_rich_wraps_it(objects, width, soft_wrap, monkeypatch):
    from hypothesis import event

    if not all(map(_markup_ok, objects)):
        return
    out, console = _rich(width)
    console.print(*objects, soft_wrap=soft_wrap)
    monkeypatch.setenv("COLUMNS", str(width))
    screen = io.StringIO()
    plain = ScreenConsole(width)
    with contextlib.redirect_stdout(screen):
        plain.print(*objects, soft_wrap=soft_wrap)
    wrapped = any(len(line) > width for line in shown(" ".join(objects)).split("\n"))
    event(("wrapped" if wrapped else "fits") + (", by rich" if plain._rich is not None else ", plain"))
    assert screen.getvalue() == out.getvalue()


def test_rich_objects_go_to_rich_in_order(monkeypatch):
    from rich.table import Table

    monkeypatch.setenv("COLUMNS", "40")
    table = Table("A", "B")
    table.add_row("1", "2")
    out, console = _rich(40)
    screen = io.StringIO()
    with contextlib.redirect_stdout(screen):
        plain = ScreenConsole(40)
        for target in (console, plain):
            target.print("[bold]before[/]")
            target.print(table)
            target.print("after", style="red")
            target.print("x" * 50)      # wider than the console: rich wraps it
    assert screen.getvalue() == out.getvalue()


def test_every_character_taken_as_narrow_is_one_cell_in_rich():
    from rich.cells import cell_len

    pattern = _NARROW.pattern
    assert pattern.startswith("[") and pattern.endswith("]*")
    body = pattern[1:-2]
    ranges, i = [], 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            ranges.append((body[i], body[i + 2]))
            i += 3
        else:
            ranges.append((body[i], body[i]))
            i += 1
    for low, high in ranges:
        for code in range(ord(low), ord(high) + 1):
            if chr(code) != "\n":
                assert cell_len(chr(code)) == 1, hex(code)


# -- whole screens -------------------------------------------------------------------------

NOW = datetime(2026, 11, 21, 10, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_journal(tmp_path_factory):
    from recoverylog.clock import FixedClock
    from recoverylog.services.demo import write_demo
    from recoverylog.storage.db import open_store

    path = tmp_path_factory.mktemp("screen") / "demo.db"
    store = open_store(path, FixedClock(NOW))
    write_demo(store, 150, seed=3)
    store.close()
    return path


def _hostile_copy(source, folder, title: str, name: str):
    from recoverylog.clock import FixedClock
    from recoverylog.errors import InputError
    from recoverylog.services.goals import GoalInput, add_goal
    from recoverylog.services.substances import SubstanceSpec, add_substance
    from recoverylog.storage.db import open_store

    path = folder / "copy.db"
    shutil.copyfile(source, path)
    store = open_store(path, FixedClock(NOW))
    with contextlib.suppress(InputError):
        add_goal(store, GoalInput(title=title or "x"))
    with contextlib.suppress(InputError):
        add_substance(store, SubstanceSpec(name or "y", unit="count", goal="reduce", max_per_day=3.0))
    return store


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=USER, name=USER, width=st.integers(20, 140), back=st.integers(0, 200))
def test_status_on_the_screen_console_is_rich_s(demo_journal, tmp_path_factory, monkeypatch, title, name, width,
                                                back):
    from recoverylog.render.status import render_status
    from recoverylog.reports.status import build_status

    store = _hostile_copy(demo_journal, tmp_path_factory.mktemp("s"), title, name)
    try:
        report = build_status(store, date(2026, 11, 21) - timedelta(days=back))
    finally:
        store.close()
    out, console = _rich(width)
    render_status(console, report)
    monkeypatch.setenv("COLUMNS", str(width))
    screen = io.StringIO()
    with contextlib.redirect_stdout(screen):
        render_status(ScreenConsole(width), report)
    assert screen.getvalue() == out.getvalue()


def test_status_to_a_file_loads_no_rich(demo_journal, tmp_path):
    """`status` written to a file or a pipe draws no style: with lines only, it never loads rich."""
    import os

    from tests.loaded_modules import loaded_modules

    path = tmp_path / "j.db"
    shutil.copyfile(demo_journal, path)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RECOVERYLOG_", "COLUMNS", "FORCE_COLOR"))}
    env.update(RECOVERYLOG_NOW=NOW.isoformat(), RECOVERYLOG_HOME=str(tmp_path / "home"), RECOVERYLOG_NO_PROMPT="1")
    assert loaded_modules(env, ["--db", str(path), "status"], ("rich", "rich.console")) == []


# -- light renderables (render/table.py) --------------------------------------------------

# Text of characters one cell wide (the screen console's own lines), or with any hostile piece.
NARROW_TEXT = st.lists(st.sampled_from(list("ab [ ]/\\#é“·–−") + ["  ", "\xa0", "[bold]", "[/]", "\\[",
                                                                 "longwordlongerthanmost", "word", ""]),
                       max_size=14).map("".join)
TEXT = st.one_of(NARROW_TEXT, st.lists(st.sampled_from(list("ab [ ]/\\#é漢“·–−") + [
    "  ", "\xa0", "\t", "\r", "[bold]", "[/]", "\\[", "longwordlongerthanmost", "word", "", "\u2028", "😀"]),
    max_size=14).map("".join))
KINDS = [dict(box=None, pad_edge=False, header_style="bold", padding=(0, 1)),
         dict(box="SIMPLE_HEAD", show_edge=False, pad_edge=False, expand=False)]
COLUMN_OPTIONS = st.fixed_dictionaries({}, optional={"justify": st.sampled_from(["left", "right"]),
                                                     "no_wrap": st.booleans(), "overflow": st.just("fold")})


def _screen(width: int, obj, monkeypatch) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    screen = io.StringIO()
    with contextlib.redirect_stdout(screen):
        ScreenConsole(width).print(obj)
    return screen.getvalue()


def _rich_print(width: int, obj) -> str:
    out, console = _rich(width)
    console.print(obj)
    return out.getvalue()


@st.composite
def light_tables(draw):
    from recoverylog.render.table import Table

    table = Table(**draw(st.sampled_from(KINDS)))
    count = draw(st.integers(1, 5))
    for _ in range(count):
        table.add_column(esc(draw(TEXT)) or "H", **draw(COLUMN_OPTIONS))
    for _ in range(draw(st.integers(0, 6))):
        table.add_row(*(draw(st.sampled_from(["", "{}", "[bold]{}[/]", "use on {}"])).format(esc(draw(TEXT)))
                        for _ in range(count)))
    return table


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=light_tables(), width=st.integers(20, 140), indent=st.sampled_from([None, 2]))
def test_a_light_table_writes_what_rich_writes(table, width, indent, monkeypatch):
    """Both kinds of table, alone or indented as sobriety's history is: the screen console's lines
    (its own when the table fits at its widest cells, else rich's) are rich's."""
    from hypothesis import event

    from recoverylog.render.table import Padding

    obj = table if indent is None else Padding(table, (0, 0, 0, indent), expand=False)
    lines = obj.plain_lines(width)
    event("plain lines" if lines is not None else "left to rich")
    expected = _rich_print(width, obj)
    if lines is not None:
        assert "".join(line + "\n" for line in lines) == expected
    assert _screen(width, obj, monkeypatch) == expected


@st.composite
def light_texts(draw):
    from recoverylog.render.table import Text

    if draw(st.booleans()):
        return Text(draw(TEXT), style=draw(st.sampled_from(["", "dim", "bold"])))
    text = Text.assemble(*((draw(TEXT), draw(st.sampled_from(["bold", "dim", "green"]))) if draw(st.booleans())
                           else draw(TEXT) for _ in range(draw(st.integers(0, 5)))))
    if draw(st.booleans()):
        text.rstrip()
    return text


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=light_texts(), width=st.integers(1, 60), indent=st.sampled_from([None, 2]))
def test_a_light_text_writes_what_rich_writes(text, width, indent, monkeypatch):
    """A line of text, alone or indented (`Padding(Text(line), (0, 0, 0, 2))`), wrapped as rich
    wraps it: trailing spaces kept where rich keeps them, filled to the width where rich fills."""
    from hypothesis import event

    from recoverylog.render.table import Padding

    obj = text if indent is None else Padding(text, (0, 0, 0, indent), expand=False)
    lines = obj.plain_lines(width)
    event("plain lines" if lines is not None else "left to rich")
    expected = _rich_print(width, obj)
    if lines is not None:
        assert "".join(line + "\n" for line in lines) == expected
    assert _screen(width, obj, monkeypatch) == expected


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=TEXT, title=TEXT, width=st.integers(1, 100), markup_title=st.booleans())
def test_a_light_panel_writes_what_rich_writes(body, title, width, markup_title, monkeypatch):
    from hypothesis import event

    from recoverylog.render.table import Panel, Text

    panel = Panel(Text(body), title=esc(title) if markup_title else Text(title), title_align="left",
                  box="ROUNDED", expand=True)
    lines = panel.plain_lines(width)
    event("plain lines" if lines is not None else "left to rich")
    expected = _rich_print(width, panel)
    if lines is not None:
        assert "".join(line + "\n" for line in lines) == expected
    assert _screen(width, panel, monkeypatch) == expected


def test_light_renderables_know_their_lines_where_they_fit():
    """Guards the tests above: in the common case the lines are the screen console's own."""
    from recoverylog.render.table import Padding, Panel, Table, Text

    table = Table(**KINDS[1])
    table.add_column("How you felt", no_wrap=True)
    table.add_column("Mean", justify="right")
    table.add_row("Mood", "7.5")
    history = Table(**KINDS[0])
    history.add_column("From", no_wrap=True)
    history.add_column("Ended by", overflow="fold")
    history.add_row("2026-01-01", "use on 2026-02-01: \\[note]")
    cases = [(table, 20), (Padding(history, (0, 0, 0, 2), expand=False), 40),
             (Text("Legend: ", style="dim").append("● ok  "), 20),
             (Padding(Text("a line that wraps at twenty"), (0, 0, 0, 2), expand=False), 20),
             (Panel(Text("Checked in"), title=Text("Report · 1 Nov"), title_align="left", box="ROUNDED"), 30)]
    for case, width in cases:
        lines = case.plain_lines(width)
        assert lines is not None, case
        assert "".join(line + "\n" for line in lines) == _rich_print(width, case)
    assert Padding(history, (0, 0, 0, 2), expand=False).plain_lines(40) == [
        "  From        Ended by                 ", "  2026-01-01  use on 2026-02-01: [note]"]
    assert Padding(Text("a line that wraps at twenty"), (0, 0, 0, 2), expand=False).plain_lines(20) == [
        "  a line that wraps ", "  at twenty         "]


def test_a_light_table_wider_than_the_console_goes_to_rich(monkeypatch):
    from recoverylog.render.table import Table

    table = Table(**KINDS[0])
    table.add_column("Ended by", overflow="fold")
    table.add_row("word " * 10)
    assert table.plain_lines(20) is None
    assert _screen(20, table, monkeypatch) == _rich_print(20, table)


# -- whole screens: sobriety and report ------------------------------------------------------

def _hostile_use(store, name: str, note: str, back: int) -> None:
    from recoverylog.errors import InputError, NotFoundError
    from recoverylog.services.uses import record_use

    with contextlib.suppress(InputError, NotFoundError):   # a name the journal refused
        record_use(store, name or "y", date(2026, 11, 21) - timedelta(days=back), amount=5, note=note or None)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=USER, name=USER, note=USER, width=st.integers(20, 140), back=st.integers(0, 200),
       use_back=st.integers(1, 60))
def test_sobriety_on_the_screen_console_is_rich_s(demo_journal, tmp_path_factory, monkeypatch, title, name, note,
                                                  width, back, use_back):
    from recoverylog.render.sobriety import render_sobriety
    from recoverylog.reports.sobriety import build_substance_reports

    store = _hostile_copy(demo_journal, tmp_path_factory.mktemp("s"), title, name)
    try:
        _hostile_use(store, name, note, use_back)
        day = date(2026, 11, 21) - timedelta(days=back)
        reports = build_substance_reports(store, day, None)
    finally:
        store.close()
    out, console = _rich(width)
    render_sobriety(console, reports, day)
    monkeypatch.setenv("COLUMNS", str(width))
    screen = io.StringIO()
    with contextlib.redirect_stdout(screen):
        render_sobriety(ScreenConsole(width), reports, day)
    assert screen.getvalue() == out.getvalue()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=USER, name=USER, note=USER, width=st.integers(20, 140), back=st.integers(0, 120),
       kind=st.sampled_from(["week", "month", "days", "since"]), use_back=st.integers(1, 60))
def test_the_report_on_the_screen_console_is_rich_s(demo_journal, tmp_path_factory, monkeypatch, title, name, note,
                                                    width, back, kind, use_back):
    from recoverylog.render.report import render_report
    from recoverylog.render.rhythm_part import render_part
    from recoverylog.reports.period import resolve_period
    from recoverylog.reports.report import build_report
    from recoverylog.reports.rhythm_part import report_part

    store = _hostile_copy(demo_journal, tmp_path_factory.mktemp("r"), title, name)
    try:
        _hostile_use(store, name, note, use_back)
        day = date(2026, 11, 21) - timedelta(days=back)
        period = resolve_period(day, week=kind == "week", month=kind == "month",
                                since=day - timedelta(days=100) if kind == "since" else None)
        report = build_report(store, period, day)
        part = report_part(store, period.end, tracked=report.tracked)
    finally:
        store.close()

    def draw(console) -> None:
        render_report(console, report)
        render_part(console, part)

    out, console = _rich(width)
    draw(console)
    monkeypatch.setenv("COLUMNS", str(width))
    screen = io.StringIO()
    with contextlib.redirect_stdout(screen):
        draw(ScreenConsole(width))
    assert screen.getvalue() == out.getvalue()


@pytest.mark.parametrize("argv", [["sobriety"], ["report", "--week"], ["report", "--month"]])
def test_sobriety_and_the_report_to_a_file_load_no_rich(demo_journal, tmp_path, argv):
    """Written to a file or a pipe at the bench's width, their tables, panel and lines are all
    written without rich."""
    import os

    from tests.loaded_modules import loaded_modules

    path = tmp_path / "j.db"
    shutil.copyfile(demo_journal, path)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RECOVERYLOG_", "COLUMNS", "FORCE_COLOR"))}
    env.update(RECOVERYLOG_NOW=NOW.isoformat(), RECOVERYLOG_HOME=str(tmp_path / "home"), RECOVERYLOG_NO_PROMPT="1",
               COLUMNS="80")
    assert loaded_modules(env, ["--db", str(path), *argv], ("rich", "rich.console")) == []
