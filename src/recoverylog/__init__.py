"""recoverylog: a local-first recovery journal and check-in tracker."""

__version__ = "0.1.0"


def _quiet_ctrl_c_until_main() -> None:
    """Run as the `recoverylog` command, a Ctrl-C before main() starts (while Python imports
    us) exits 130 with one line instead of a traceback; nothing can have been saved yet.
    main() puts Python's own handler back. Imported as a library, nothing changes."""
    import os
    import sys

    if os.path.basename(sys.argv[0] if sys.argv else "") not in ("recoverylog", "recoverylog.exe", "__main__.py"):
        return
    if "prompt" in sys.argv[1:4]:
        return  # the shell-prompt segment: no signal module (it imports enum) on every prompt
    try:  # the C module: built in, so the handler is in place at once (`signal` first imports enum)
        import _signal as signal
    except ImportError:  # pragma: no cover - an interpreter without it
        import signal

    def stopped(signum, frame):
        os.write(2, b"Error: Stopped. Nothing was saved.\n")
        os._exit(130)

    try:
        signal.signal(signal.SIGINT, stopped)
    except (ValueError, OSError):  # not the main thread, or no signals here
        pass


_quiet_ctrl_c_until_main()
