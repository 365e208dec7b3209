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


def make_console(stderr: bool = False) -> "Console":
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False, emoji=False)  # user text shown as typed


_MARKUP_TAG = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")


def esc(text: object) -> str:
    """Make user text inert for rich: strip control characters, escape markup (the same rule as
    `rich.markup.escape`, without importing rich on paths that draw nothing)."""
    if type(text) is str and text.isprintable() and "[" not in text and not text.endswith("\\"):
        # Printable text holds nothing the display rule removes (control characters, escape
        # sequences, bidirectional marks and surrogates are all unprintable), and without a
        # bracket or a trailing backslash nothing to escape: it is its own answer (a test
        # compares this with the full rule).
        return text

    def double(match: re.Match) -> str:
        backslashes, tag = match.groups()
        return f"{backslashes}{backslashes}\\{tag}"

    out = _MARKUP_TAG.sub(double, strip_control(str(text)))
    if out.endswith("\\") and not out.endswith("\\\\"):
        out += "\\"
    return out


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
