"""What `remind --at HH:MM --print` shows: the files or crontab that would be installed."""

from __future__ import annotations

import shlex
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from recoverylog.services.remind import Reminder


def render_plan(reminder: "Reminder") -> None:
    out = sys.stdout
    if reminder.via == "systemd":
        out.write(f"# A systemd user timer, daily at {reminder.at}. Nothing was changed.\n")
        for path, content in reminder.files:
            out.write(f"\n# {path}\n{content}")
    else:
        out.write(f"# Your crontab with a daily reminder at {reminder.at}. Nothing was changed.\n")
        out.write(reminder.crontab or "")
    out.write("\n# Then: " + "; ".join(" ".join(shlex.quote(a) for a in step) for step in reminder.steps) + "\n")
