"""Shortcuts in the terminal renderers give what rich gives without them."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st


@settings(max_examples=200, deadline=None)
@given(title=st.text(alphabet=st.characters(blacklist_characters="[:"), max_size=60).filter(str.isprintable),
       body=st.text(max_size=40), width=st.integers(20, 120), color=st.booleans())
def test_a_panel_title_without_brackets_or_colons_may_be_given_as_text(title, body, width, color):
    """render/report.py gives the report panel's title as Text (which keeps rich from loading its
    emoji table) when it is printable and holds neither "[" nor ":": rich draws the same panel
    from the str. (Not so for control characters: Text('\\r') is empty, so no title at all.)"""
    from rich import box
    from rich.console import Console
    from rich.panel import Panel
    from rich.text import Text

    def draw(value) -> str:
        out = io.StringIO()
        console = Console(file=out, width=width, color_system="standard" if color else None, force_terminal=color,
                          highlight=False, soft_wrap=False, emoji=False)
        console.print(Panel(Text(body), title=value, title_align="left", box=box.ROUNDED, expand=True))
        return out.getvalue()

    assert draw(Text(title)) == draw(title)


@given(text=st.text(alphabet=st.sampled_from(list("&<>\"'ab &amp;#x27;é\n")) | st.characters(), max_size=40))
def test_html_escape_is_the_standard_librarys(text):
    import html

    from recoverylog.render.html import escape

    assert escape(text) == html.escape(text, quote=True)


LINE = st.lists(st.sampled_from(list("ab [ ]/\\#@é漢\t") + ["[bold]", "[/]", "\\[", "  ", "word", "longerword"]),
                max_size=25).map("".join)


@settings(max_examples=150, deadline=None)
@given(lines=st.one_of(st.lists(LINE, max_size=5), st.lists(LINE.map(lambda s: s.replace("[", "(")), max_size=5)), width=st.integers(20, 100), indent=st.integers(0, 4),
       color=st.booleans(), plain=st.booleans())
def test_print_wrapped_in_one_print_is_printing_line_by_line(lines, width, indent, color, plain):
    """render.console.print_wrapped prints lines without a bracket at once: rich (with and without
    colour) and the check-in's plain console write what printing them one by one writes. (With a
    bracket they differ: a wrap can leave '[bold' on one line and ']' on the next.)"""
    from rich.console import Console

    from recoverylog.render.console import print_wrapped, wrapped_lines
    from recoverylog.render.plain import PlainConsole

    def console(out):
        if plain:
            return PlainConsole(stream=out, width=width)
        return Console(file=out, width=width, color_system="standard" if color else None, force_terminal=color,
                       highlight=False, soft_wrap=False, emoji=False)

    at_once, one_by_one = io.StringIO(), io.StringIO()
    print_wrapped(console(at_once), lines, indent=indent)
    target = console(one_by_one)
    for line in wrapped_lines(target, lines, indent):
        target.print(line, soft_wrap=True)
    assert at_once.getvalue() == one_by_one.getvalue()
