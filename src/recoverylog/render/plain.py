"""A console for plain lines, for the check-in confirmation: the one screen people see every day.

It takes the same small subset of rich markup our renderers write (`[bold]…[/]`, colours,
`console.rule`, escaped user text) and prints it without importing rich (~30 ms of start-up).
Colour only on a terminal, never with NO_COLOR or TERM=dumb; width from COLUMNS or the terminal.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from typing import Any, TextIO

# The same tag pattern rich's markup parser uses: a run of backslashes, then [tag].
_TAG = re.compile(r"(\\*)\[([a-z#/@][^[]*?)]")
_CODES = {"bold": "1", "dim": "2", "italic": "3", "red": "31", "green": "32", "yellow": "33",
          "blue": "34", "magenta": "35", "cyan": "36"}


class PlainConsole:
    def __init__(self, stream: TextIO | None = None, width: int | None = None):
        self.stream = stream or sys.stdout
        self.width = width or _width()
        self.color = _color(self.stream)

    def render(self, markup: str) -> str:
        """Markup → text (with ANSI codes when colour is on), parsed as rich parses it: escaped
        tags stay literal text, and `\\[` outside a tag is a plain `[`."""
        return _parsed(markup, self.color)

    def print(self, markup: str = "", soft_wrap: bool = True) -> None:
        self.stream.write(self.render(str(markup)) + "\n")

    def rule(self, title: str = "", align: str = "left", style: str = "") -> None:
        text = self.render(title)
        visible = len(re.sub(r"\x1b\[[0-9;]*m", "", text))
        line = "─" * max(0, self.width - visible - 1)
        self.print(f"{title} [{style}]{line}[/]" if style and self.color else f"{title} {line}")


def _ansi(tag: str) -> str:
    codes = [_CODES[word] for word in tag.split() if word in _CODES]
    return f"\x1b[{';'.join(codes)}m" if codes else ""


def _width() -> int:
    try:
        columns = int(os.environ.get("COLUMNS", ""))
        if columns > 0:
            return columns
    except ValueError:
        pass
    return shutil.get_terminal_size((80, 24)).columns


def _color(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# What rich's Text does to characters beyond the markup: tabs expanded, these control codes removed.
_TEXT_RULES = re.compile("[\t\x07\x08\x0b\x0c\r]")
# Characters one cell wide in rich's measure (tests/test_screen_console.py checks each with
# rich.cells): a line of them alone is as wide on screen as it is long.
_NARROW = re.compile("[\u0020-\u007e\u00a0-\u02ff\u0370-\u0482\u2010-\u2027\u2190-\u21ff"
                     "\u2212\u2264\u2265\u2500-\u25fc\u2713\u2715\n]*")


# rich's word: leading whitespace, the word, its trailing whitespace (rich/_wrap.py).
_WORD = re.compile(r"\s*\S+\s*")
_TRAILING = re.compile(r"\s+$")


def wrap(text: str, width: int) -> list[str] | None:
    """rich's `Text.wrap` of one line of text (characters one cell wide, no tab or control code)
    at `width` (default justify, fold overflow): break before a word that does not fit, keep each line's trailing spaces up to the
    width. None when a word is wider than a line (rich folds it) or the width is not positive."""
    if width < 1:
        return None
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            return None
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    lines = [text[a:b] for a, b in zip([0, *breaks], [*breaks, len(text)], strict=True)]
    out = []
    for line in lines:
        if len(line) > width and (space := _TRAILING.search(line)) is not None:
            line = line[:len(line) - min(len(space.group()), len(line) - width)]
        if len(line) > width:
            return None
        out.append(line)
    return out


def shown(markup: str) -> str:
    """The characters rich's markup parser leaves of `markup` (tags dropped, escapes undone): what
    a console that draws no style writes. tests/test_screen_console.py compares it with rich."""
    return _parsed(markup, False)


def _parsed(markup: str, color: bool) -> str:
    """Markup parsed as rich's parser reads it: tags become ANSI codes (colour) or nothing."""
    if "[" not in markup:
        return markup
    out: list[str] = []
    position = 0
    for match in _TAG.finditer(markup):
        backslashes, tag = match.groups()
        out.append(markup[position:match.start()].replace("\\[", "["))
        out.append("\\" * (len(backslashes) // 2))
        if len(backslashes) % 2:
            out.append(f"[{tag}]")  # escaped: literal text
        elif color:
            out.append("\x1b[0m" if tag.startswith("/") else _ansi(tag))
        position = match.end()
    out.append(markup[position:].replace("\\[", "["))
    return "".join(out)


class ScreenConsole:
    """The console a screen prints to when rich would draw no style (`render.console.screen_console`:
    a file or a pipe). A print of our markup strings that rich would not lay out (soft-wrapped, or
    every line narrower than the console, and no tab or control code) is written as rich writes it:
    the characters its markup parser leaves (a line wider than the console wrapped at its spaces, as
    rich wraps it); a light renderable of render/table.py is written as
    its `plain_lines` for the console's width, when it knows them. Anything else (a rich table, a
    panel, a line rich would wrap) goes to a rich console made the first time one is needed, as `make_console` makes it.
    So a screen made of lines never loads rich.console, and writes what rich would write."""

    color_system = None
    record = False
    is_terminal = False

    def __init__(self, width: int) -> None:
        self.width = width
        self._rich: Any = None

    @property
    def file(self) -> TextIO:
        return sys.stdout

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", soft_wrap: bool | None = None,
              **options: Any) -> None:
        if len(objects) == 1 and hasattr(objects[0], "plain_lines") and not options and end == "\n" \
                and not soft_wrap and self._utf8():
            # A light renderable (render/table.py): its lines when it knows them, else rich's.
            lines = objects[0].plain_lines(self.width)
            if lines is not None:
                sys.stdout.write("".join(line + "\n" for line in lines))
                return
        if not options and all(type(o) is str for o in objects) and (objects or end == "\n"):
            text = shown(sep.join(objects)) + end   # rich lays out the end with the text
            if not _TEXT_RULES.search(text) and (soft_wrap or self._fits(text)):
                sys.stdout.write(text)
                return
            if end == "\n" and not soft_wrap and not _TEXT_RULES.search(text) and _NARROW.fullmatch(text):
                # Wider than the console: rich wraps each line at its spaces (`wrap`), unless a
                # word is wider than a line.
                wrapped = [wrap(line, self.width) for line in text[:-1].split("\n")]
                if all(lines is not None for lines in wrapped):
                    sys.stdout.write("".join(line + "\n" for lines in wrapped for line in lines or ()))
                    return
        self.rich.print(*objects, sep=sep, end=end, soft_wrap=soft_wrap, **options)

    @staticmethod
    def _utf8() -> bool:
        """Whether rich would draw box characters as they are (it draws ASCII boxes on a stream
        of another encoding)."""
        return (getattr(sys.stdout, "encoding", None) or "utf-8").lower().startswith("utf")

    def _fits(self, text: str) -> bool:
        """Whether rich would leave every line of `text` as it is (each no wider than the console)."""
        if _NARROW.fullmatch(text) is None:
            return False
        return all(len(line) <= self.width for line in text.split("\n"))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.rich, name)   # a rule, a measure, …: rich's own

    @property
    def rich(self) -> Any:
        if self._rich is None:
            from recoverylog.render.console import make_console

            self._rich = make_console()
        return self._rich
