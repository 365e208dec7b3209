"""The overview's plain console (render/review.py `overview_console`) is taken only where rich's own
console would draw no style, at the width rich would use; and the overview it writes is the one
rich's console writes (docs/definitions.md §12)."""

from __future__ import annotations

import io
import itertools
from datetime import date

import pytest

from recoverylog.render import review as render_review
from recoverylog.render.console import make_console


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Closed(io.StringIO):
    def isatty(self) -> bool:
        raise ValueError("I/O operation on closed file")


ENV_KEYS = ("COLUMNS", "FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR", "LINES", "TERM")
VALUES = {"COLUMNS": [None, "80", "40", "0", "7", "200", "abc", "８０", "²", ""], "FORCE_COLOR": [None, "", "1"],
          "TTY_COMPATIBLE": [None, "0", "1"], "NO_COLOR": [None, "1"], "LINES": [None, "30"], "TERM": [None, "dumb"]}


@pytest.mark.parametrize("stream", [io.StringIO, _Tty, _Closed])
def test_the_plain_console_is_taken_only_where_rich_draws_no_style(stream, monkeypatch):
    for combo in itertools.product(*(VALUES[k] for k in ENV_KEYS)):
        for key, value in zip(ENV_KEYS, combo, strict=True):
            if value is None:
                monkeypatch.delenv(key, raising=False)
            else:
                monkeypatch.setenv(key, value)
        monkeypatch.setattr("sys.stdout", stream())
        width = render_review.plain_console_width()
        if width is None:
            continue
        console = make_console()
        assert render_review.plain_output(console), combo
        assert console.width == width, combo
        assert isinstance(render_review.overview_console(), render_review.PlainConsole)


@pytest.mark.parametrize("sizes", [{}, {0: 120}, {2: 61}, {1: 0, 2: 90}, {0: 0}, {1: 33}])
@pytest.mark.parametrize("columns", [None, "", "abc", "100", "0"])
def test_without_columns_the_width_is_the_terminals_as_rich_reads_it(sizes, columns, monkeypatch):
    """A pipe's output in a terminal (COLUMNS is seldom exported): rich takes the width of the first
    of stdin, stdout and stderr that is a terminal, else 80; the plain console takes the same."""
    import os

    def terminal_size(fd: int = 1) -> os.terminal_size:
        if fd not in sizes:
            raise OSError("not a terminal")
        return os.terminal_size((sizes[fd], 24))

    monkeypatch.setattr(os, "get_terminal_size", terminal_size)
    for key in ("FORCE_COLOR", "TTY_COMPATIBLE", "LINES"):
        monkeypatch.delenv(key, raising=False)
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setattr("sys.stdout", io.StringIO())
    width = render_review.plain_console_width()
    assert width is not None
    assert width == make_console().width
    assert isinstance(render_review.overview_console(), render_review.PlainConsole)


def _review(names):
    from recoverylog.reports.review import Flag, OverviewRow, Review

    rows = tuple(OverviewRow(path=f"/tmp/x/{i}.json", name=name, period_start=date(2026, 11, 16),
                             period_end=date(2026, 11, 21), continuous_days=(("alcohol", 12),), checkin_days=5,
                             period_days=6, checkin_share=5 / 6, craving_mean=2.5, craving_max=8.0,
                             high_craving_days=1, use_days=0, meetings=3, meetings_required=None, longest_gap=1,
                             flags=(Flag("message", "wants to talk about: [b]x"),) if i % 2 else (), verified=True)
                 for i, name in enumerate(names))
    return Review((), (), rows)


NAMES = [["Ana"], ["Ana", "[bold]Ben[/bold]"], ["Zoë 名前 " * 12, "Ben\\", None], [], ["x" * 300]]


@pytest.mark.parametrize("names", NAMES)
@pytest.mark.parametrize("columns", ["80", "30", "7", "0"])
def test_the_plain_overview_is_what_rich_writes(names, columns, monkeypatch):
    monkeypatch.setenv("COLUMNS", columns)
    for key in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(key, raising=False)
    review = _review(names)
    drawn = []
    for plain in (True, False):
        out = io.StringIO()
        monkeypatch.setattr("sys.stdout", out)
        console = render_review.overview_console() if plain else make_console()
        assert isinstance(console, render_review.PlainConsole) == plain
        render_review.render_overview(console, review)
        drawn.append(out.getvalue())
    assert drawn[0] == drawn[1]


def test_a_plain_overview_does_not_load_rich_console():
    import subprocess
    import sys

    code = ("import io, sys; from recoverylog.render import review as r; "
            "from tests.test_review_plain_console import _review; out = io.StringIO(); sys.stdout = out; "
            "r.render_overview(r.overview_console(), _review(['Ana', 'Ben'])); sys.stdout = sys.__stdout__; "
            "assert out.getvalue().startswith('2 summaries'), out.getvalue(); "
            "print('rich.console' in sys.modules)")
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    env["COLUMNS"] = "80"
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=root,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
