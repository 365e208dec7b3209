"""What this process has done to the journal, for honest last words (docs/definitions.md §12).

`saved` becomes True the moment a COMMIT returns (storage/db.py sets it). An interruption, a
storage error or an internal problem after that says the write was saved; before it, that
nothing was saved. A leaf module with no imports, so even a Ctrl-C during start-up can read it.
"""

saved = False
what: str | None = None   # e.g. "the use", set by the CLI when a command starts
told = False              # the stopped message has been written (render.console.stopped)


def mark_saved() -> None:
    global saved
    saved = True


def stopped_message() -> str:
    if not saved:
        return "Stopped. Nothing was saved."
    return f"Stopped after saving: {what or 'what you entered'} is recorded."


def reset() -> None:
    """For tests that run several commands in one process."""
    global saved, what, told
    saved, what, told = False, None, False
