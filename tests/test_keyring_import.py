"""Importing keyring for a remembered key without loading what a check-in never uses
(docs/definitions.md §13): the modules deferred with importlib.util.LazyLoader load on first use,
behave as the real ones, and a module already imported is never replaced.

Each check runs in a fresh interpreter (what is in sys.modules is the point). Needs keyring."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from recoverylog.storage import encryption

try:
    import keyring  # noqa: F401

    HAS_KEYRING = True
except ImportError:
    HAS_KEYRING = False
pytestmark = pytest.mark.skipif(not HAS_KEYRING, reason="keyring is not installed (the encrypt extra)")

TESTS = Path(__file__).parent


def run(code: str, tmp_path: Path, **env_extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RECOVERYLOG_", "PYTHON_KEYRING"))}
    env.update(PYTHONPATH=os.pathsep.join([str(TESTS), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
               RECOVERYLOG_TEST_KEYRING=str(tmp_path / "keyring.json"), HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "share"))
    env.update(env_extra)
    prelude = ("import sys, json, types\nfrom recoverylog.storage import encryption\n"
               "def state(name):\n"
               "    m = sys.modules.get(name)\n"
               "    return 'absent' if m is None else ('deferred' if type(m) is not types.ModuleType else 'loaded')\n")
    out = subprocess.run([sys.executable, "-c", prelude + code], env=env, capture_output=True, text=True,
                         cwd=tmp_path, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_keyring_loads_without_executing_the_deferred_modules(tmp_path):
    code = ("k = encryption._keyring()\n"
            "k.get_keyring()\n"
            "print(json.dumps({n: state(n) for n in encryption.KEYRING_DEFERRED + ('keyring', 'http.client')}))")
    states = run(code, tmp_path, PYTHON_KEYRING_BACKEND="_keyring_file.FileKeyring")
    assert states["keyring"] == "loaded"
    assert states["http.client"] == "absent"  # urllib.request's own imports never ran
    for name in encryption.KEYRING_DEFERRED:
        if name == "importlib_metadata" and sys.version_info >= (3, 12):
            continue  # keyring uses the standard library's importlib.metadata there
        assert states[name] == "deferred", name


def test_a_deferred_module_is_the_real_one_on_first_use(tmp_path):
    code = ("encryption._keyring()\n"
            "import urllib.request, configparser\n"
            "before = state('urllib.request')\n"
            "request = urllib.request.Request('https://example.org/')\n"
            "parser = configparser.RawConfigParser(); parser.read_string('[backend]\\nx = 1\\n')\n"
            "from urllib.request import urlopen\n"
            "print(json.dumps({'before': before, 'after': state('urllib.request'),\n"
            "                  'same': sys.modules['urllib.request'] is urllib.request,\n"
            "                  'host': request.host, 'x': parser.get('backend', 'x'),\n"
            "                  'urlopen': urlopen.__module__, 'config': state('configparser')}))")
    got = run(code, tmp_path)
    assert got == {"before": "deferred", "after": "loaded", "same": True, "host": "example.org", "x": "1",
                   "urlopen": "urllib.request", "config": "loaded"}


def test_backend_discovery_still_finds_every_entry_point(tmp_path):
    # With no backend named, keyring looks through its entry points (importlib_metadata on first use).
    code = ("k = encryption._keyring()\n"
            "from keyring import backend\n"
            "eps = sorted(ep.name for ep in backend.metadata.entry_points(group='keyring.backends'))\n"
            "print(json.dumps({'eps': eps, 'ring': type(k.get_keyring()).__module__}))")
    deferred = run(code, tmp_path)
    eager = run(code.replace("k = encryption._keyring()", "import keyring as k"), tmp_path)
    assert deferred == eager and deferred["eps"]


def test_a_module_loaded_before_is_left_as_it_is(tmp_path):
    code = ("import urllib.request, configparser\n"
            "ids = (id(urllib.request), id(configparser))\n"
            "deferred = encryption._defer(encryption.KEYRING_DEFERRED)\n"
            "import urllib.request, configparser\n"
            "print(json.dumps({'deferred': deferred, 'same': ids == (id(urllib.request), id(configparser)),\n"
            "                  'state': state('urllib.request')}))")
    got = run(code, tmp_path)
    assert "urllib.request" not in got["deferred"] and "configparser" not in got["deferred"]
    assert got["same"] and got["state"] == "loaded"


def test_defer_skips_a_name_that_does_not_exist(tmp_path):
    code = ("print(json.dumps({'deferred': encryption._defer(('no_such_module_here', 'urllib.no_such')),\n"
            "                  'absent': state('no_such_module_here')}))")
    assert run(code, tmp_path) == {"deferred": [], "absent": "absent"}


def test_without_keyring_installed_nothing_is_deferred(tmp_path, monkeypatch):
    # keyring missing: _keyring() answers None and leaves sys.modules alone.
    import importlib.util

    monkeypatch.delitem(sys.modules, "keyring", raising=False)
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "keyring" else real(name, *a))
    calls = []
    monkeypatch.setattr(encryption, "_defer", lambda names: calls.append(names) or [])
    assert encryption._keyring() is None and calls == []
