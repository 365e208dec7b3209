"""May we ask the person something? One rule for the CLI's prompts and for a passphrase prompt."""

from __future__ import annotations

import os
import sys


def may_prompt() -> bool:
    """Only with a terminal on stdin and stderr, and not when RECOVERYLOG_NO_PROMPT is set (cron,
    scripts, tests)."""
    if os.environ.get("RECOVERYLOG_NO_PROMPT"):
        return False
    try:
        return sys.stdin.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
