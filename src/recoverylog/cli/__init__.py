"""Command-line interface: thin commands over services, reports and renderers."""

from __future__ import annotations

import os
import sys

PROG = "recoverylog"
COMPLETE_VAR = "_RECOVERYLOG_COMPLETE"


def completion_wanted(argv: list[str], environ=os.environ) -> bool:
    """Build the shell-completion machinery only when it can be used: the shell asking for
    completions, or a root-level call (`--install-completion`, `--show-completion`, `--help`, no
    command). Running a command (`checkin …`) takes the fast path without it."""
    if environ.get(COMPLETE_VAR):
        return True
    from recoverylog.cli.app import COMMANDS

    skip = False
    for word in argv:
        if skip:
            skip = False
            continue
        if word == "--db":
            skip = True
        elif word in COMMANDS:
            return False
    return True


def main() -> None:
    if "prompt" in sys.argv[1:4]:
        # The shell-prompt segment runs on every prompt: answered before typer, rich (or even the
        # signal module, which imports enum) load. Silent on Ctrl-C too.
        try:
            from recoverylog.prompt import run

            if run(sys.argv[1:]):
                return
        except KeyboardInterrupt:
            sys.exit(130)
    import signal

    _pause_collector()
    try:
        try:
            try:
                signal.signal(signal.SIGINT, signal.default_int_handler)  # see recoverylog/__init__.py
            except (ValueError, OSError):
                pass
            _deliver_lost_interrupts()
            from recoverylog.cli.app import app, set_completion

            set_completion(app, completion_wanted(sys.argv[1:]))
            app(prog_name=PROG)
        finally:
            _ignore_ctrl_c()  # the command is over: a Ctrl-C while Python shuts down changes nothing
    except KeyboardInterrupt:
        # Ctrl-C during start-up (imports), or in the last steps on the way out (this `finally`,
        # the app's own exit handling), where the command's handler cannot see it: still one
        # true line and 130, never a traceback. A Ctrl-C that lands in the `finally` before
        # SIG_IGN is in place replaces the exit already under way, so it arrives here too.
        from recoverylog import outcome

        _ignore_ctrl_c()
        if not outcome.told:
            sys.stderr.write(f"Error: {outcome.stopped_message()}\n")
        sys.exit(130)


_paused = False


def _pause_collector() -> None:
    """Start-up (typer, this package, the command's module) allocates only what lives as long as
    the process: modules, classes, functions. The cyclic garbage collector can free none of it,
    yet runs dozens of times while it loads (~4 ms of a check-in's ~30 ms above the Typer app,
    README "Start-up"). It is paused until `startup_over()`."""
    global _paused
    import gc

    if gc.isenabled():
        gc.disable()
        _paused = True


def startup_over() -> None:
    """The command's module is loaded: what start-up built moves to the collector's permanent
    generation (`gc.freeze`: never rescanned, never freed, as it would never be freed anyway) and
    the collector runs again for the command's own work. Only undoes a pause `main` made."""
    global _paused
    if _paused:
        import gc

        _paused = False
        gc.freeze()
        gc.enable()


def _deliver_lost_interrupts() -> None:
    """A Ctrl-C that lands in one of Python's clean-up callbacks (an import lock's, while a lazy
    import finishes) cannot be raised there: Python would print "Exception ignored … Traceback"
    and carry on as if no key was pressed. Such an interrupt is raised again instead, at the next
    line of ordinary code, where the command's handler says truthfully what was saved."""
    import _thread

    previous = sys.unraisablehook

    def hook(unraisable) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            # From another thread: in this one the handler would run inside the hook (at its next
            # instruction), where the interrupt would be lost again.
            _thread.start_new_thread(_thread.interrupt_main, ())
            return
        previous(unraisable)

    sys.unraisablehook = hook


def _ignore_ctrl_c() -> None:
    import signal

    try:  # signal.signal runs a pending handler first: a Ctrl-C already on its way is raised here
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except (ValueError, OSError):
        pass


def __getattr__(name: str):
    if name == "app":
        from recoverylog.cli.app import app

        return app
    raise AttributeError(name)
