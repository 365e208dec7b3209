"""A progress bar on stderr that appears only on a terminal and only once work has taken
over a second (rich.progress is imported then, not before)."""

from __future__ import annotations

import sys
import time

SHOW_AFTER_SECONDS = 1.0


class LazyProgress:
    def __init__(self, description: str, *, stream=None, clock=time.monotonic):
        self.description = description
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.started = clock()
        self.bar = None
        self.task = None

    def enabled(self) -> bool:
        try:
            return bool(self.stream.isatty())
        except (AttributeError, ValueError):
            return False

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if self.clock() - self.started < SHOW_AFTER_SECONDS or not self.enabled():
                return
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                                console=Console(file=self.stream), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.description, total=total)
        self.bar.update(self.task, completed=done, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def __enter__(self) -> "LazyProgress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
