"""The one way recoverylog writes a file a person named (`export -o`, `db backup`, `db restore`'s
copy of the current file): docs/definitions.md §12.

- The content goes to a temp file in the target's own folder, created mode 0600 with O_EXCL,
  flushed to disk, then renamed over the target: a reader sees the old file or the whole new
  one, never half of it.
- A temp file left by an interrupted run (kill -9, power loss) is named
  `.NAME.recoverylog-partial-PID`; the next write into that folder removes every such file whose
  process is gone, so no hidden partial copy of health data stays behind.
- Only a missing target or an existing regular file may be written. A folder, device, FIFO,
  socket (or a link to one: `/dev/stdout`) is refused even with --force; an existing file
  needs --force.
- `-` means standard output: nothing is written to disk.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from recoverylog.errors import InputError, StorageError

STDOUT = "-"
PARTIAL = ".recoverylog-partial-"
_PARTIAL_NAME = re.compile(r"^\..+" + re.escape(PARTIAL) + r"(\d+)$")


def is_stdout(target: object) -> bool:
    return str(target) == STDOUT


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return pid < 2**22  # alive (someone else's), or not a pid at all
    return True


def remove_stale_partials(folder: Path, target_name: str | None = None) -> int:
    """Remove partial temp files of runs that are no longer running. Returns how many."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    legacy = re.compile(r"^\." + re.escape(target_name) + r"\.tmp-(\d+)$") if target_name else None
    for entry in entries:
        match = _PARTIAL_NAME.match(entry.name) or (legacy.match(entry.name) if legacy else None)
        if not match:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
                continue
            if _pid_alive(int(match.group(1))):
                continue
            os.unlink(entry.path)
            removed += 1
        except OSError:
            continue
    return removed


def check_target(target: str | Path, *, force: bool, what: str = "file") -> Path:
    """Validate where a file will be written; returns the expanded path. Raises InputError
    (one line; nothing written) for an empty or over-long name, a missing folder, a target that
    is not a regular file, or an existing file without --force."""
    from recoverylog.limits import check_path

    path = check_path(target, what)
    if str(target).endswith(os.sep) or path.name in ("", ".", ".."):
        raise InputError(f"{target} is a folder; give a file name, e.g. {path / 'backup.db'}. Nothing was written.")
    try:
        info = os.stat(path)  # follows links: a link to /dev/null is a device
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise InputError(f"Cannot use {target}: {exc.strerror}. Nothing was written.") from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{target} is a folder; give a file name, e.g. {path / 'summary.md'}. "
                             "Nothing was written.")
        if not stat.S_ISREG(info.st_mode):
            kind = ("a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else
                    "a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else
                    "a socket" if stat.S_ISSOCK(info.st_mode) else "not a regular file")
            hint = " Use `-o -` for standard output." if what.startswith("output") else ""
            raise InputError(f"{target} is {kind}, not a regular file; it is never replaced, "
                             f"even with --force. Nothing was written.{hint}")
        if not force:
            raise InputError(f"{target} already exists; nothing was written. Use --force to replace it.")
    parent = path.parent
    if not parent.is_dir():
        raise InputError(f"The folder {parent} does not exist; nothing was written.")
    return path


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield an empty temp file (mode 0600) next to `path`; on a clean exit it replaces `path`.
    On any exception (Ctrl-C included) the temp file is removed and nothing is replaced.
    Call `check_target` first."""
    remove_stale_partials(path.parent, path.name)
    temp = path.with_name(f".{path.name[:200]}{PARTIAL}{os.getpid()}")
    try:
        temp.unlink(missing_ok=True)  # our own pid: a leftover of this very process
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except OSError as exc:
        raise StorageError(f"Cannot write in {path.parent}: {exc.strerror}. Nothing was written.") from None
    try:
        yield temp
        fsync_file(temp)
        os.replace(temp, path)
        fsync_dir(path.parent)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise StorageError(f"Cannot write {path}: {exc.strerror}. Nothing was written.") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_text(path: Path, content: str) -> None:
    """Write `content` (UTF-8) atomically to a checked target."""
    with atomic_output(path) as temp:
        with open(temp, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)


def fsync_file(path: Path) -> None:
    """Flush a written file to the disk (OSError when it cannot be opened or flushed)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename) to the disk; silent where a folder cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
