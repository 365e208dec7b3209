"""The plain console behind the everyday check-in screen, and the markup escaping it relies on."""

from __future__ import annotations

import io
import os
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from recoverylog.render.console import esc, strip_control
from recoverylog.render.plain import PlainConsole


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@given(st.text(alphabet=st.sampled_from(list("ab[]/\\#@ 1")), max_size=30))
def test_esc_is_rich_escape(text):
    from rich.markup import escape

    assert esc(text) == escape(strip_control(text))


@given(st.text(alphabet=st.characters(blacklist_characters="\t\n\r"), max_size=40))
def test_escaped_user_text_prints_as_typed(text):
    """Whatever a person typed, once escaped it is shown literally, by rich and by the plain console."""
    from rich.console import Console

    clean = strip_control(text)
    plain = PlainConsole(stream=io.StringIO(), width=200)
    rich_out = io.StringIO()
    Console(file=rich_out, width=200, color_system=None, highlight=False).print(esc(clean), soft_wrap=True, end="")
    assert plain.render(esc(clean)) == rich_out.getvalue()
    tagged = io.StringIO()
    Console(file=tagged, width=200, color_system=None, highlight=False).print(
        f"[bold]{esc(clean)}[/]", soft_wrap=True, end="")
    assert plain.render(f"[bold]{esc(clean)}[/]") == tagged.getvalue()
    if "\\" not in clean:  # rich's own escaping of backslashes next to brackets has quirks; we match rich
        assert plain.render(esc(clean)) == clean
        assert plain.render(f"[bold]{esc(clean)}[/]") == clean


def test_markup_becomes_ansi_on_a_terminal_and_nothing_otherwise(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    tty = PlainConsole(stream=_Tty(), width=40)
    assert tty.render("[bold green]✓[/] saved") == "\x1b[1;32m✓\x1b[0m saved"
    assert PlainConsole(stream=io.StringIO(), width=40).render("[bold green]✓[/] saved") == "✓ saved"
    monkeypatch.setenv("NO_COLOR", "1")
    assert PlainConsole(stream=_Tty(), width=40).render("[bold]x[/]") == "x"


def test_rule_fills_the_width():
    out = io.StringIO()
    PlainConsole(stream=out, width=30).rule("[bold]Right now[/]", style="blue")
    assert out.getvalue() == "Right now " + "─" * 20 + "\n"


def test_a_checkin_does_not_import_rich(tmp_path):
    """The everyday command stays light: no rich unless a prompt or a table is drawn."""
    env = dict(os.environ, RECOVERYLOG_DB=str(tmp_path / "r.db"), RECOVERYLOG_NO_PROMPT="1")
    code = ("import sys\n"
            "from recoverylog.cli.app import app\n"
            "try:\n"
            "    app(['checkin', '--mood', '8', '--craving', '9'], prog_name='recoverylog')\n"
            "except SystemExit:\n"
            "    pass\n"
            "print('RICH' if any(m == 'rich' or m.startswith('rich.') for m in sys.modules) else 'NO-RICH',"
            " file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert "Check-in saved" in done.stdout and "Right now" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "NO-RICH"
