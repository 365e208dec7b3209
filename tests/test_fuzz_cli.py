"""A bounded fuzz of the whole command line (docs/definitions.md §12).

Hypothesis builds random argument lists for every command in the typer tree (walked, so commands
added later are fuzzed too): a few of its options and arguments, filled with hostile values — dates
before 1900 and at year 9999, 1e308, NaN, ids past SQLite's range, invalid UTF-8, escape codes,
bidi overrides, empty and 300-character names — and ordinary ones. After every run:

- no uncaught exception, no traceback, no "internal problem" (exit 70);
- when the command refused (exit ≠ 0), the journal is byte-identical and no file appeared.

Every path the fuzzer can produce is relative to tmp_path (the test runs there) or inside it:
no absolute path elsewhere, no `..`, no `~`, never /dev.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

EXAMPLES = int(os.environ.get("RECOVERYLOG_FUZZ_EXAMPLES", "1500"))  # both journals together
SKIP = {("demo",), ("plan", "edit")}  # demo writes years of rows (own tests); plan edit is an interactive editor

HOSTILE = [
    "0001-01-01", "9999-12-31", "1899-12-31", "1900-01-01", "2999-12-31", "3000-01-01", "today", "yesterday",
    "100000 days ago", "monday", "29 Feb", "03/04/2026", "1e308", "-1e308", "1e999", "nan", "inf", "-inf", "-0",
    "0", "1", "-1", "2", "7", "11", "24.5", "1000", "1000.5", "9223372036854775807", "9223372036854775808",
    "-9223372036854775809", "99999999999999999999999", "\udcff", "bad\udcff", "\x1b[31mred", "\x1b]0;x\x07",
    "a\x00b", "del\x7f", "c1\x9b", "Sam\u202eevil", "\u2066iso\u2069", "", " ", "-", "--", "a" * 300,
    "[bold]x[/bold]", "alcohol", "alcohol:2", "alcohol:1e308", "Sam", "coping", "triggers", "week", "month",
    "sponsor", "court", "full", "json", "markdown", "html", "csv", "meetings", "milestones", "day-start-hour",
    "off", "AA", "signature", "J.R.", "19:00", "25:00", "60", "note\nwith a line break",
]
DATES = ["0001-01-01", "9999-12-31", "1899-12-31", "1900-01-01", "2999-12-31", "3000-01-01", "today",
         "yesterday", "100000 days ago", "999999 days ago", "monday", "29 Feb", "7 March 1", "03/04/2026",
         "2026-02-30", "2026-11-20", "\udcff", ""]
NUMBERS = ["1e308", "-1e308", "1e999", "nan", "inf", "-inf", "-0", "0", "1", "-1", "7", "11", "24.5", "1000",
           "1000.5", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1e-320", "", "x"]
PATHS = ["out.json", "out.md", "b.db", "sub/x.db", "nowhere/x.db", "-", "fifo", "folder", "", "a" * 300,
         "journal.db", "\udcff.db", "summary.json", "bad.json"]


def _walk():
    import typer.main

    from recoverylog.cli.app import app

    def sub(command):
        if not hasattr(command, "list_commands"):
            return []
        return sorted((n, command.get_command(None, n)) for n in command.list_commands(None))

    def walk(command, path):
        if path and not hasattr(command, "list_commands") or getattr(command, "invoke_without_command", False):
            if tuple(path) not in SKIP and path:
                yield tuple(path), command
        for name, child in sub(command):
            yield from walk(child, path + [name])

    return list(walk(typer.main.get_command(app), []))


COMMANDS = _walk()


def _is_path(param) -> bool:
    name = (param.name or "").lower()
    return name in {"output", "file", "files", "target", "backup_file", "db", "path"} or "Path" in type(param.type).__name__


def _kind(param) -> str:
    """What a parameter holds, so the fuzzer aims the right hostile values at it."""
    name = (param.name or "").lower()
    type_name = type(param.type).__name__
    if _is_path(param):
        return "path"
    if name in {"date", "day", "since", "until", "as_of", "start", "end", "due", "last_use", "sober_since", "by"}:
        return "date"
    if "Int" in type_name or "Float" in type_name or name in {"amount", "id", "number", "target", "minutes"}:
        return "number"
    return "text"


def _args_for(command) -> st.SearchStrategy[list[str]]:
    options, arguments = [], []
    for param in command.params:
        if param.param_type_name == "option":
            flag = max((o for o in param.opts if o.startswith("--")), key=len, default=param.opts[0])
            if flag in ("--help",):
                continue
            options.append((flag, getattr(param, "is_flag", False), _kind(param)))
        elif param.param_type_name == "argument":
            arguments.append(_kind(param))

    text = st.text(max_size=12).filter(lambda t: ".." not in t and not t.startswith(("/", "~")))

    def value(kind: str) -> st.SearchStrategy[str]:
        if kind == "path":
            return st.sampled_from(PATHS)
        if kind == "date":
            return st.one_of(st.sampled_from(DATES), st.sampled_from(HOSTILE))
        if kind == "number":
            return st.one_of(st.sampled_from(NUMBERS), st.integers(-2**70, 2**70).map(str))
        return st.one_of(st.sampled_from(HOSTILE), text)

    chosen = st.lists(st.sampled_from(options), max_size=4, unique=True) if options else st.just([])

    @st.composite
    def build(draw):
        out: list[str] = []
        for flag, is_flag, kind in draw(chosen):
            out += [flag] if is_flag else [flag, draw(value(kind))]
        for kind in arguments:
            out.append(draw(value(kind)))
        if draw(st.integers(0, 9)) == 0:
            out.append(draw(st.sampled_from(HOSTILE)))  # one argument too many
        return out

    return build()


def _tree(root: Path) -> dict[str, str]:
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in files:
            path = Path(folder) / name
            try:
                data = path.read_bytes() if path.is_file() else b""
            except OSError:
                data = b"?"
            found[str(path.relative_to(root))] = hashlib.sha256(data).hexdigest()
        for name in dirs:
            found[str((Path(folder) / name).relative_to(root)) + "/"] = ""
    return found


@pytest.fixture
def playground(tmp_path, monkeypatch, cli):
    """A small journal in tmp_path (through --db journal.db), a FIFO and a folder to aim at."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    db = ["--db", "journal.db"]
    cli(*db, "substance", "add", "alcohol", "--unit", "drinks", ok=True)
    cli(*db, "use", "alcohol", "--amount", "2", "--date", "2026-11-19", ok=True)
    cli(*db, "checkin", "--mood", "6", "--craving", "2", "--sober", "--note", "a note", ok=True)
    cli(*db, "meeting", "add", "Grace Group", "--date", "2026-11-19", ok=True)
    cli(*db, "contact", "add", "Sam", "--role", "sponsor", ok=True)
    cli(*db, "plan", "add", "coping", "walk", ok=True)
    cli(*db, "goal", "add", "3 meetings a week", "--metric", "meetings", "--target", "3", ok=True)
    cli(*db, "export", "-f", "json", "-o", "summary.json", ok=True)
    (work / "bad.json").write_text('{"format": "recoverylog-summary", "version": 1, "a": 1, "a": 2}')
    os.mkfifo(work / "fifo")
    (work / "folder").mkdir()
    return work


class Hung(Exception):
    pass


def _alarm(signum, frame):
    raise Hung("the command did not finish within 30 s (blocked on a FIFO or device?)")


ROOT_DBS = ["fifo", "folder", "", "bad.json", "summary.json", "\udcff.db", "a" * 300, "sub/missing.db", "-"]


@pytest.mark.parametrize("root_db", ["journal.db", "missing.db", "odd"], ids=["journal", "no journal", "odd --db"])
def test_fuzz_every_command(playground, root_db):
    import signal

    from recoverylog.cli.app import app

    runner = CliRunner()
    strategy = st.sampled_from(COMMANDS).flatmap(lambda pc: _args_for(pc[1]).map(lambda a, p=pc[0]: (p, a)))
    if root_db == "odd":
        strategy = st.tuples(st.sampled_from(ROOT_DBS), strategy)
    else:
        strategy = strategy.map(lambda case: (root_db, case))
    previous = signal.signal(signal.SIGALRM, _alarm)

    @settings(max_examples=EXAMPLES // 3, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def one(case):
        db, (path, args) = case
        argv = ["--db", db] + list(path) + args
        before = _tree(playground)
        signal.alarm(30)
        try:
            result = runner.invoke(app, argv)
        finally:
            signal.alarm(0)
        shown = (result.stdout or "") + (result.stderr or "")
        assert result.exception is None or isinstance(result.exception, SystemExit), (argv, repr(result.exception))
        assert "Traceback" not in shown, (argv, shown)
        assert result.exit_code != 70 and "internal problem" not in shown, (argv, shown)
        if result.exit_code != 0:
            after = _tree(playground)
            assert after == before, (argv, result.exit_code, result.stderr,
                                     sorted(set(after.items()) ^ set(before.items())))

    try:
        one()
    finally:
        signal.signal(signal.SIGALRM, previous)
