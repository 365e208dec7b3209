"""Shortcuts in the terminal renderers give what rich gives without them."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st


@settings(max_examples=200, deadline=None)
@given(title=st.text(alphabet=st.characters(blacklist_characters="[:"), max_size=60),
       body=st.text(max_size=40), width=st.integers(20, 120), color=st.booleans())
def test_a_panel_title_without_brackets_or_colons_may_be_given_as_text(title, body, width, color):
    """render/report.py gives the report panel's title as Text (which keeps rich from loading its
    emoji table) when it holds neither "[" nor ":": rich draws the same panel from the str."""
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
