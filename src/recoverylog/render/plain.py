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
from typing import TextIO

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
            elif self.color:
                out.append("\x1b[0m" if tag.startswith("/") else _ansi(tag))
            position = match.end()
        out.append(markup[position:].replace("\\[", "["))
        return "".join(out)

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
