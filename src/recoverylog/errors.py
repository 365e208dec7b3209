"""Errors a person can cause, each with the exit code the CLI maps it to.

Exit codes: 0 ok, 1 input error, 2 usage, 3 not found, 4 storage.
The message is shown as is, on one line, on stderr; never a traceback.
"""


class RecoverylogError(Exception):
    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


class InputError(RecoverylogError):
    """A value a person typed is out of range, malformed or not allowed."""

    exit_code = 1


class UsageError(RecoverylogError):
    """Options that cannot be used together, or a missing required answer."""

    exit_code = 2


class NotFoundError(RecoverylogError):
    """An unknown name, date or id."""

    exit_code = 3


class StorageError(RecoverylogError):
    """The database cannot be opened, read or written safely."""

    exit_code = 4
