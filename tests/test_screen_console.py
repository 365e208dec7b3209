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
