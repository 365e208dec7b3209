"""Which of some modules a recoverylog command loads, run in a fresh process (what a person's
command pays for at start-up), for tests that hold a command to the modules it needs."""

from __future__ import annotations

import json
import subprocess
import sys


def loaded_modules(env: dict[str, str], argv: list[str], modules: tuple[str, ...]) -> list[str]:
    """The names among `modules` that `recoverylog *argv` has imported by the time it ends
    (it must end with exit code 0), sorted."""
    code = (f"import sys, json\nsys.argv = ['recoverylog', *{argv!r}]\nfrom recoverylog.cli import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
            f"print(json.dumps(sorted(m for m in {list(modules)!r} if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])
