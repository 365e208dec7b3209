"""A keyring backend for tests only: a JSON file named by RECOVERYLOG_TEST_KEYRING (under pytest's
tmp_path). Selected with keyring.set_keyring() in-process and PYTHON_KEYRING_BACKEND in
subprocesses, so no test ever reads or writes the machine's real keyring."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class FileKeyring(KeyringBackend):
    priority = 1

    def _path(self) -> Path | None:
        value = os.environ.get("RECOVERYLOG_TEST_KEYRING")
        return Path(value) if value else None

    def _load(self) -> dict:
        path = self._path()
        if path is None or not path.exists():
            return {}
        return json.loads(path.read_text())

    def get_password(self, service, username):
        return self._load().get(f"{service}\x1f{username}")

    def set_password(self, service, username, password):
        path = self._path()
        if path is None:
            raise RuntimeError("RECOVERYLOG_TEST_KEYRING is not set")
        data = self._load()
        data[f"{service}\x1f{username}"] = password
        path.write_text(json.dumps(data))

    def delete_password(self, service, username):
        data = self._load()
        if data.pop(f"{service}\x1f{username}", None) is None:
            raise PasswordDeleteError("not stored")
        self._path().write_text(json.dumps(data))
