"""Start-up stays cheap: importing the CLI leaves heavy modules unimported, and every command's
--help works (the command tree is walked, so commands added later are covered too)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("sqlite_utils", "dateutil.parser", "rich.table", "rich.progress", "rich.markdown", "pydantic",
         "jsonschema", "cryptography")


def _imported_after(code: str) -> list[str]:
    probe = (f"{code}\nimport json, sys\n"
             f"print(json.dumps(sorted(m for m in {list(HEAVY)!r} if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_importing_the_cli_leaves_heavy_modules_unimported():
    assert _imported_after("import recoverylog.cli.app") == []


def test_the_probe_can_see_a_heavy_import():
    # Guards the test above against passing vacuously.
    assert _imported_after("import recoverylog.cli.app, rich.table") == ["rich.table"]


def test_help_does_not_import_heavy_modules():
    code = ("import sys\nsys.argv = ['recoverylog', '--help']\nfrom recoverylog.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass")
    assert _imported_after(code) == []


def _subcommands(command):
    """(name, command) pairs of a group, through list_commands/get_command so that lazily
    loaded commands are walked too."""
    if not hasattr(command, "list_commands"):
        return []
    ctx = None
    return sorted((name, command.get_command(ctx, name)) for name in command.list_commands(ctx))


def _command_paths() -> list[list[str]]:
    import typer.main

    from recoverylog.cli.app import app

    def walk(command, path):
        yield path
        for name, sub in _subcommands(command):
            yield from walk(sub, path + [name])

    return list(walk(typer.main.get_command(app), []))


PATHS = _command_paths()


def test_the_foundation_commands_are_registered():
    names = {" ".join(p) for p in PATHS}
    assert {"checkin", "checkin show", "checkin delete", "checkin undo", "checkins", "db path", "db migrate",
            "db backup", "config list", "config get", "config set"} <= names


@pytest.mark.parametrize("path", PATHS, ids=[" ".join(p) or "(root)" for p in PATHS])
def test_every_command_has_help(cli, path, db_path):
    result = cli(*path, "--help")
    assert result.exit_code == 0, result.stderr
    assert "Usage:" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert not db_path.exists()  # asking for help touches no database


def test_version_and_module_entry_point():
    out = subprocess.run([sys.executable, "-m", "recoverylog", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("recoverylog ")



def test_a_checkin_does_not_import_cryptography_even_with_a_signing_key(tmp_path):
    """Signing is paid for only by commands that sign or verify: a check-in in a journal that
    has a key leaves `cryptography` unimported."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("RECOVERYLOG_")}
    env.update(RECOVERYLOG_HOME=str(tmp_path / "data"), RECOVERYLOG_NOW="2026-11-21T10:00:00+00:00",
               RECOVERYLOG_NO_PROMPT="1")
    subprocess.run([sys.executable, "-m", "recoverylog", "key", "init"], env=env, check=True, capture_output=True)
    assert (tmp_path / "data" / "recoverylog.db.key").exists()
    code = ("import sys\nsys.argv = ['recoverylog', 'checkin', '--mood', '6', '--craving', '2']\n"
            "from recoverylog.cli import main\ntry:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code")
    probe = (f"{code}\nimport json\nprint(json.dumps('cryptography' in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) is False
    # ...while an export that signs does import it (the probe can see it).
    probe = ("import sys\nsys.argv = ['recoverylog', 'export', '-f', 'json']\nfrom recoverylog.cli import main\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\nprint('cryptography' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip().splitlines()[-1] == "True"


def _checkin_probe(env: dict, argv: list[str], modules: tuple[str, ...]) -> dict:
    """Run `recoverylog <argv>` through cli.main in a fresh interpreter; which of `modules` it
    imported, and whether the garbage collector is on again afterwards."""
    code = (f"import sys, gc, json\nsys.argv = ['recoverylog', *{argv!r}]\nfrom recoverylog.cli import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
            f"print(json.dumps({{'imported': sorted(m for m in {list(modules)!r} if m in sys.modules), "
            "'gc': gc.isenabled()}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


LAZY_FOR_A_CHECKIN = ("recoverylog.reports.daystate", "recoverylog.services.crisis", "recoverylog.services.plan")


def test_an_everyday_checkin_leaves_the_engine_crisis_lines_and_plan_unimported(tmp_path):
    """A check-in in a journal with a month of check-ins (so the craving warning computes its
    means) needs none of them; one that needs support loads the crisis lines (the probe sees)."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("RECOVERYLOG_")}
    env.update(RECOVERYLOG_HOME=str(tmp_path / "data"), RECOVERYLOG_NOW="2026-11-21T10:00:00+00:00",
               RECOVERYLOG_NO_PROMPT="1")
    for day in range(1, 20):
        subprocess.run([sys.executable, "-m", "recoverylog", "checkin", "--mood", "6", "--craving", "2",
                        "--date", f"2026-11-{day:02d}"], env=env, check=True, capture_output=True)
    plain = _checkin_probe(env, ["checkin", "--mood", "7", "--craving", "2", "--date", "2026-11-20"],
                           LAZY_FOR_A_CHECKIN)
    assert plain == {"imported": [], "gc": True}
    hard = _checkin_probe(env, ["checkin", "--mood", "2", "--craving", "9", "--date", "2026-11-21"],
                          LAZY_FOR_A_CHECKIN)
    assert "recoverylog.services.crisis" in hard["imported"] and hard["gc"] is True


def test_the_collector_is_paused_only_for_start_up_and_only_by_main():
    """cli.main pauses the cyclic collector while the framework and the command's module load;
    the command runs with it on. startup_over() never turns on a collector someone else turned off."""
    code = ("import gc, sys\nfrom recoverylog import cli\n"
            "gc.disable()\ncli.startup_over()\nassert not gc.isenabled()\n"   # not ours to undo
            "gc.enable()\ncli._pause_collector()\nassert not gc.isenabled()\n"
            "from recoverylog.cli.app import _module_commands\n_module_commands('checkin')\n"
            "assert gc.isenabled()\nprint('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"
