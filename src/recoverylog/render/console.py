"""Consoles built per invocation (width and colour from the environment at run time).

rich honours NO_COLOR and COLUMNS itself. User text must be escaped with `esc()`
before it reaches rich markup."""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING

from recoverylog.text import strip_control

if TYPE_CHECKING:
    from rich.console import Console

    from recoverylog.render.plain import ScreenConsole


def make_console(stderr: bool = False) -> "Console":
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False, emoji=False)  # user text shown as typed


_MARKUP_TAG = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")


def _double(match: re.Match) -> str:
    backslashes, tag = match.groups()
    return f"{backslashes}{backslashes}\\{tag}"


def esc(text: object) -> str:
    """Make user text inert for rich: strip control characters, escape markup (the same rule as
    `rich.markup.escape`, without importing rich on paths that draw nothing)."""
    if type(text) is str and text.isprintable() and "[" not in text and not text.endswith("\\"):
        # Printable text holds nothing the display rule removes (control characters, escape
        # sequences, bidirectional marks and surrogates are all unprintable), and without a
        # bracket or a trailing backslash nothing to escape: it is its own answer (a test
        # compares this with the full rule).
        return text

    out = _MARKUP_TAG.sub(_double, strip_control(str(text)))
    if out.endswith("\\") and not out.endswith("\\\\"):
        out += "\\"
    return out


def esc_tail(text: object) -> str:
    """`esc` for text that ends a markup string (no tag follows it): rich reads backslashes only
    before a tag, so a trailing backslash is left as it is (`esc` doubles it, for a tag after it)."""
    return _MARKUP_TAG.sub(_double, strip_control(str(text)))


def print_wrapped(console: "Console", lines, indent: int = 2) -> None:
    """Plain-text lines (escaped here), indented; wrapped lines keep the indent and carry
    no trailing spaces. Lines without a bracket go out in one print (each print measures the
    terminal and lays out its text); with one, line by line, so that a bracket left open by a
    wrap can never pair with one on the next line (a test compares the two)."""
    out = wrapped_lines(console, lines, indent)
    text = "\n".join(out)
    if out and "[" not in text:
        console.print(text, soft_wrap=True)
        return
    for line in out:
        console.print(line, soft_wrap=True)


def wrapped_lines(console: "Console", lines, indent: int = 2, columns: int | None = None) -> list[str]:
    """What `print_wrapped` prints, line by line (escaped), for printing in one call.
    `columns`: the console's width when the caller already asked for it (it is measured each time)."""
    width = max(20, (console.width if columns is None else columns) - indent)
    return [" " * indent + esc(piece) for line in lines for piece in wrap_line(line, width)]


def wrap_line(line: str, width: int) -> list[str]:
    """`textwrap.wrap(line, width, break_on_hyphens=False) or [""]`, with its common case (printable
    words between single spaces: textwrap splits only at ASCII whitespace, of which printable text
    holds only the space) answered without it."""
    if line.isprintable():
        words = line.split(" ")
        if all(words) and len(line) <= width:
            return [line]   # the greedy fill below, when every word fits on one line
        if all(words) and max(map(len, words)) <= width:
            # Single spaces, no word wider than a line: textwrap's greedy fill, word by word.
            out, current = [], words[0]
            for word in words[1:]:
                if len(current) + 1 + len(word) <= width:
                    current += " " + word
                else:
                    out.append(current)
                    current = word
            out.append(current)
            return out
    import textwrap

    return textwrap.wrap(line, width, break_on_hyphens=False) or [""]


def plain_console_width(environ=None) -> int | None:
    """The width of the console `make_console()` would make, when that console would draw no
    style (rich's color system None, no recording); None whenever that is not plain from what is
    read here, and rich then decides. Plain here: not Windows, not inside IPython, TTY_COMPATIBLE
    and FORCE_COLOR unset, stdout a file that is not a terminal. The width is rich's: COLUMNS when
    it is ASCII digits, else the size of the first of stdin, stdout and stderr that is a terminal,
    else 80; COLUMNS of other digits leaves it to rich (tests compare with rich's own console)."""
    import builtins
    import os
    import sys

    env = os.environ if environ is None else environ
    columns = env.get("COLUMNS")
    if columns is not None and columns.isdigit() and not columns.isascii():
        return None
    if sys.platform == "win32" or hasattr(builtins, "get_ipython"):
        return None
    if "TTY_COMPATIBLE" in env or "FORCE_COLOR" in env:
        return None
    out = sys.stdout
    if out is None or hasattr(out, "rich_proxied_file"):
        return None
    try:
        if out.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    if columns is not None and columns.isdigit():
        return int(columns)
    width = None
    for descriptor in (0, 1, 2):   # rich's order: a pipe's output still takes the terminal's width
        try:
            width = os.get_terminal_size(descriptor)[0]
        except (AttributeError, ValueError, OSError):
            continue
        break
    return width or 80


def screen_console() -> "Console | ScreenConsole":
    """The console a screen prints to: a `render.plain.ScreenConsole` when `plain_console_width`
    knows rich would draw no style (a file or a pipe), so that a screen made of lines never loads
    rich.console; else `make_console()`. Both write the same characters (docs/definitions.md §12)."""
    width = plain_console_width()
    if width is None:
        return make_console()
    from recoverylog.render.plain import ScreenConsole

    return ScreenConsole(width)


def error(message: str, hint: str | None = None) -> None:
    """One-line error on stderr (plain text: no rich needed to say something went wrong)."""
    sys.stderr.write(f"Error: {strip_control(message)}\n")
    if hint:
        sys.stderr.write(f"{strip_control(hint)}\n")
    sys.stderr.flush()


def stopped() -> None:
    """The last words after Ctrl-C: whether anything was saved (docs/definitions.md §12).
    Said once; the exit paths that might say it again ask `outcome.told`."""
    from recoverylog import outcome

    error(outcome.stopped_message())
    outcome.told = True


def info(message: str) -> None:
    sys.stderr.write(f"{message}\n")
    sys.stderr.flush()
