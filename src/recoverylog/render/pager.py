"""Long output through a pager, on a terminal only (docs/definitions.md §11).

While a paged command runs, its stdout is collected in a buffer that still says it is a
terminal (so colours and widths are as they would be); at the end, output longer than the
screen goes to $PAGER (default `less` with LESS=FRX: quits at once if it fits, keeps colours),
shorter output is written as it is. Never when stdout is piped or redirected, never with
`config set pager off`, and never for prompts (they are on stderr)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class _TerminalBuffer(io.StringIO):
    def __init__(self, real):
        super().__init__()
        self._real = real

    def isatty(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._real, "encoding", None) or "utf-8"


def stdout_is_terminal() -> bool:
    try:
        return bool(sys.stdout.isatty())
    except (AttributeError, ValueError):
        return False


def screen_lines() -> int:
    return shutil.get_terminal_size((80, 24)).lines


def show(text: str, out, enabled: Callable[[], bool] = lambda: True) -> None:
    if text.count("\n") < screen_lines() or not enabled():
        out.write(text)
        out.flush()
        return
    command = os.environ.get("PAGER") or "less"
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    try:
        process = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        out.write(text)
        out.flush()
        return
    try:
        process.communicate(text.encode(getattr(out, "encoding", None) or "utf-8", "replace"))
    except (BrokenPipeError, KeyboardInterrupt):
        pass
    if process.returncode == 127:   # no such pager: show it plainly
        out.write(text)
        out.flush()


@contextmanager
def paged_output(enabled: Callable[[], bool] = lambda: True) -> Iterator[None]:
    """`enabled` is asked at the end (the `pager` setting of the database the command opened)."""
    if not stdout_is_terminal():
        yield
        return
    real = sys.stdout
    buffer = _TerminalBuffer(real)
    sys.stdout = buffer
    try:
        yield
    finally:
        sys.stdout = real
        show(buffer.getvalue(), real, enabled)
