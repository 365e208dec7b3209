"""Light stand-ins for the few rich renderables our screens draw: `Text`, `Padding`, `Panel` and
`Table`, with the same constructors as rich's for the options we use.

Each has `__rich__()`, giving the rich object it stands for (a rich console prints that, so every
rich path draws what it drew before), and `plain_lines(width)`: the lines rich writes for it on a
console of that width that draws no style, or None whenever rich would do anything our plain
layout does not follow (a wide character, a tab, a word longer than a line, a table whose columns
do not all get their widest cell). `render.plain.ScreenConsole` writes those lines itself and
hands everything else to rich (docs/definitions.md §12); tests/test_screen_console.py compares
each with rich on random and hostile text. Nothing here imports rich until `__rich__` is called.
"""

from __future__ import annotations

from typing import Any

from recoverylog.render.plain import _NARROW, _TEXT_RULES, shown, wrap


def _plain_ok(text: str) -> bool:
    """Text whose width is its length and that rich lays out as written: one line of characters
    one cell wide, no tab or control code (rich's Text expands or removes those)."""
    return "\n" not in text and _TEXT_RULES.search(text) is None and _NARROW.fullmatch(text) is not None


class Text:
    """rich's `Text(text, style=)`, `.append(text, style)`, `Text.assemble(...)` and `.rstrip()`,
    for plain text (no markup is read, as in rich)."""

    def __init__(self, text: str = "", style: str = "") -> None:
        self.text, self.style = text, style
        self.parts: list[tuple[str, str | None]] = []
        self._rstrip = False

    @classmethod
    def assemble(cls, *parts: str | tuple[str, str]) -> "Text":
        text = cls()
        for part in parts:
            if isinstance(part, str):
                text.append(part)
            else:
                text.append(*part)
        return text

    def append(self, text: str, style: str | None = None) -> "Text":
        self.parts.append((text, style))
        return self

    def rstrip(self) -> None:
        self._rstrip = True

    @property
    def plain(self) -> str:
        text = self.text + "".join(t for t, _ in self.parts)
        return text.rstrip() if self._rstrip else text

    def __rich__(self) -> Any:
        from rich.text import Text as RichText

        text = RichText(self.text, style=self.style)
        for part, style in self.parts:
            text.append(part, style=style)
        if self._rstrip:
            text.rstrip()
        return text

    def maximum(self, width: int) -> int | None:
        """rich's measure of the text (its widest line, at most `width`)."""
        plain = self.plain
        return min(len(plain), width) if _plain_ok(plain) else None

    def plain_lines(self, width: int) -> list[str] | None:
        plain = self.plain
        return wrap(plain, width) if _plain_ok(plain) else None


class Padding:
    """rich's `Padding(renderable, (0, 0, 0, left), expand=False)`: the renderable at its own
    width (at most the console's less the indent), each line filled to that width."""

    def __init__(self, renderable: Any, pad: tuple[int, int, int, int], expand: bool = True) -> None:
        self.renderable, self.pad, self.expand = renderable, pad, expand

    def __rich__(self) -> Any:
        from rich.padding import Padding as RichPadding

        return RichPadding(self.renderable.__rich__(), self.pad, expand=self.expand)

    def plain_lines(self, width: int) -> list[str] | None:
        top, right, bottom, left = self.pad
        if top or right or bottom or self.expand:
            return None
        measure = getattr(self.renderable, "maximum", None)
        maximum = measure(width) if measure is not None else None
        if maximum is None:
            return None
        inner = min(maximum + left, width) - left
        if inner < 1:
            return None
        lines = self.renderable.plain_lines(inner)
        if lines is None:
            return None
        return [" " * left + line.ljust(inner) for line in lines]


BOXES = ("ROUNDED", "SIMPLE_HEAD")


class Panel:
    """rich's `Panel(Text, title=Text | str, title_align="left", box=ROUNDED, expand=True)`; the
    box is named ("ROUNDED")."""

    def __init__(self, renderable: Text, title: Text | str | None = None, title_align: str = "center",
                 box: str = "ROUNDED", expand: bool = True) -> None:
        self.renderable, self.title, self.title_align, self.box, self.expand = (
            renderable, title, title_align, box, expand)

    def __rich__(self) -> Any:
        from rich import box
        from rich.panel import Panel as RichPanel

        title = self.title.__rich__() if isinstance(self.title, Text) else self.title
        return RichPanel(self.renderable.__rich__(), title=title, title_align=self.title_align,  # type: ignore[arg-type]
                         box=getattr(box, self.box), expand=self.expand)

    def plain_lines(self, width: int) -> list[str] | None:
        if self.box != "ROUNDED" or not self.expand or self.title_align != "left" or width < 6:
            return None
        if not isinstance(self.title, Text):
            return None   # a markup title is read with emoji codes: rich's
        title = f" {self.title.plain} "
        if not _plain_ok(title) or len(title) > width - 4:
            return None
        body = self.renderable.plain_lines(width - 4)
        if body is None:
            return None
        top = f"╭─{title}{'─' * (width - 4 - len(title))}─╮" if self.title.plain else f"╭{'─' * (width - 2)}╮"
        return ([top]
                + [f"│ {line.ljust(width - 4)} │" for line in body]
                + [f"╰{'─' * (width - 2)}╯"])


class Table:
    """rich's `Table` with `add_column(header, justify=, no_wrap=, overflow=)` and `add_row(*markup)`,
    for the two kinds our screens draw: no box (`box=None`) and `box="SIMPLE_HEAD"` without edge.
    Plain lines only when every column gets its widest cell (the table fits as it is): rich's
    width algorithm then leaves each cell on one line."""

    def __init__(self, **options: Any) -> None:
        self.options = options
        self.columns: list[tuple[str, dict[str, Any]]] = []
        self.rows: list[tuple[str, ...]] = []

    def add_column(self, header: str, **options: Any) -> None:
        self.columns.append((header, options))

    def add_row(self, *cells: str) -> None:
        self.rows.append(cells)

    def __rich__(self) -> Any:
        from rich import box
        from rich.table import Table as RichTable

        options = dict(self.options)
        if options.get("box") is not None:
            options["box"] = getattr(box, options["box"])
        table = RichTable(**options)
        for header, column in self.columns:
            table.add_column(header, **column)
        for row in self.rows:
            table.add_row(*row)
        return table

    def _layout(self, width: int) -> tuple[list[int], list[tuple[int, int]], list[list[str]]] | None:
        """(column widths with padding, each column's padding, the cells' text by column), when the
        table fits `width` at its natural widths; else None."""
        options = self.options
        known = {"box", "show_edge", "pad_edge", "header_style", "padding", "expand"}
        if set(options) - known or not self.columns or options.get("expand", False):
            return None
        boxed = options.get("box") is not None
        if boxed and (options["box"] != "SIMPLE_HEAD" or options.get("show_edge", True)):
            return None
        if any(set(column) - {"justify", "no_wrap", "overflow"} or column.get("justify", "left") not in
               ("left", "right") for _, column in self.columns):
            return None
        padding = options.get("padding", (0, 1))
        if len(padding) != 2 or padding[0] or any(len(row) > len(self.columns) for row in self.rows):
            return None   # (rich adds a column for a cell beyond the last)
        side = padding[1]
        pad_edge = options.get("pad_edge", True)
        last = len(self.columns) - 1
        pads = [(0 if i == 0 and not pad_edge else side, 0 if i == last and not pad_edge else side)
                for i in range(len(self.columns))]
        texts = [[shown(header)] + [shown(row[i]) if i < len(row) else "" for row in self.rows]
                 for i, (header, _) in enumerate(self.columns)]
        if any(not _plain_ok(text) for column in texts for text in column):
            return None
        widths = [max(map(len, column)) + left + right or 1 for column, (left, right) in zip(texts, pads, strict=True)]
        extra = last if boxed else 0
        if sum(widths) > width - extra:
            return None
        return widths, pads, texts

    def maximum(self, width: int) -> int | None:
        layout = self._layout(width)
        if layout is None:
            return None
        return sum(layout[0]) + (len(self.columns) - 1 if self.options.get("box") is not None else 0)

    def plain_lines(self, width: int) -> list[str] | None:
        layout = self._layout(width)
        if layout is None:
            return None
        widths, pads, texts = layout
        divider = " " if self.options.get("box") is not None else ""
        lines = []
        for r in range(len(self.rows) + 1):
            cells = []
            for (_, column), w, (left, right), column_texts in zip(self.columns, widths, pads, texts, strict=True):
                inner = w - left - right
                text = column_texts[r]
                text = text.rstrip().rjust(inner) if column.get("justify") == "right" else text.ljust(inner)
                cells.append(" " * left + text + " " * right)
            lines.append(divider.join(cells))
            if r == 0 and divider:
                lines.append("─" * len(lines[0]))
        return lines
