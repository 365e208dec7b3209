"""The full export (a person's own backup) and `import` into an empty database."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from summary_seed import NOTE, PHONE, copy_db, export_json, seeded_once


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return seeded_once(tmp_path_factory.mktemp("full"), "source", used_on=(3,), skip=(5,))


@pytest.fixture
def source(cli, template, tmp_path: Path) -> Path:
    db = copy_db(template, tmp_path / "source.db")
    # Something edited, so revisions exist too.
    cli("--db", str(db), "checkin", "--date", "2026-11-20", "--mood", "9", ok=True)
    return db


def _counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("checkins", "uses", "substances", "meetings", "requirements", "contacts", "outreach",
                          "steps", "revisions", "settings")}
    finally:
        conn.close()


def test_export_import_export_gives_identical_data(cli, source, tmp_path):
    first = export_json(cli, source, tmp_path / "backup.json", "--profile", "full")
    assert first["profile"] == "full" and first["period"] is None
    target = tmp_path / "new" / "moved.db"
    target.parent.mkdir()
    result = cli("--db", str(target), "import", str(tmp_path / "backup.json"), ok=True)
    assert "Imported" in result.stderr and result.stdout == ""
    second = export_json(cli, target, tmp_path / "again.json", "--profile", "full")
    assert second["data"] == first["data"]
    assert second["digest"] == first["digest"]
    assert _counts(target)["checkins"] == 9 and _counts(target)["revisions"] >= 1


def test_full_export_holds_everything_including_private_text(cli, source, tmp_path):
    doc = export_json(cli, source, tmp_path / "backup.json", "--profile", "full")
    tables = doc["data"]["tables"]
    assert {"checkins", "uses", "substances", "meetings", "contacts", "revisions", "exports"} <= set(tables)
    assert tables["checkins"][0]["note"] == NOTE
    assert tables["contacts"][0]["phone"] == PHONE
    assert os.stat(tmp_path / "backup.json").st_mode & 0o777 == 0o600


def test_imported_data_reads_the_same_through_the_commands(cli, source, tmp_path):
    export_json(cli, source, tmp_path / "backup.json", "--profile", "full")
    target = tmp_path / "t.db"
    cli("--db", str(target), "import", str(tmp_path / "backup.json"), ok=True)
    before = cli.json("--db", str(source), "checkins", "--json")
    after = cli.json("--db", str(target), "checkins", "--json")
    assert before == after


def test_import_refuses_a_database_that_holds_data(cli, source, tmp_path):
    export_json(cli, source, tmp_path / "backup.json", "--profile", "full")
    counts = _counts(source)
    result = cli("--db", str(source), "import", str(tmp_path / "backup.json"))
    assert result.exit_code == 1
    assert "already holds data" in result.stderr and "Traceback" not in result.stderr
    assert _counts(source) == counts


def _write(path: Path, doc: dict, fix_digest: bool = True) -> Path:
    from recoverylog.exports.envelope import compute_digest

    if fix_digest:
        doc["digest"] = compute_digest(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize("change, words", [
    (lambda d: d["data"]["tables"]["checkins"][0].__setitem__("mood", 11), "does not fit"),
    (lambda d: d["data"]["tables"]["checkins"][0].__setitem__("shoe_size", 11), "unknown column"),
    (lambda d: d["data"]["tables"]["checkins"][0].pop("recorded_at"), "has no recorded_at"),
    (lambda d: d["data"]["tables"]["checkins"][0].__setitem__("mood", [1]),
     "$.data.tables.checkins[0].mood: [1] is not text or a number or null"),
    (lambda d: d["data"]["tables"]["checkins"][0].__setitem__("mood", True),
     "$.data.tables.checkins[0].mood: true is not text or a number or null"),
    (lambda d: d["data"]["tables"].__setitem__("sqlite_master", []), "unknown table"),
    (lambda d: d["data"]["tables"].__setitem__("checkins", {}), "$.data.tables.checkins: {} is not a list"),
    (lambda d: d["data"]["tables"]["uses"][0].__setitem__("substance_id", 999), "does not fit"),
    (lambda d: d["data"].__setitem__("schema_version", 99), "newer recoverylog"),
    (lambda d: d.__setitem__("profile", "sponsor"), "not a full one"),
    (lambda d: d.__setitem__("version", 2), "version 2"),
])
def test_import_validates_before_writing_and_writes_nothing_on_error(cli, source, tmp_path, change, words):
    doc = export_json(cli, source, tmp_path / "backup.json", "--profile", "full")
    change(doc)
    path = _write(tmp_path / "bad.json", doc)
    target = tmp_path / "t.db"
    result = cli("--db", str(target), "import", str(path))
    assert result.exit_code == 1, result.stderr
    assert words in result.stderr and result.stderr.count("\n") == 1
    assert not target.exists()  # a refused import creates no database


def test_import_refuses_a_file_changed_after_export(cli, source, tmp_path):
    doc = export_json(cli, source, tmp_path / "backup.json", "--profile", "full")
    doc["data"]["tables"]["checkins"][0]["mood"] = 1
    path = _write(tmp_path / "bad.json", doc, fix_digest=False)
    result = cli("--db", str(tmp_path / "t.db"), "import", str(path))
    assert result.exit_code == 1 and "changed after it was exported" in result.stderr
    assert not (tmp_path / "t.db").exists()


@pytest.mark.parametrize("content", [b"", b"{", b"[1,2]", b"\x00\x01", b"[" * 100000])
def test_import_of_junk_is_a_message(cli, tmp_path, content):
    path = tmp_path / "junk.json"
    path.write_bytes(content)
    result = cli("--db", str(tmp_path / "t.db"), "import", str(path))
    assert result.exit_code == 1 and result.stderr.startswith("Error: ") and "Traceback" not in result.stderr


def test_import_of_a_missing_file(cli, tmp_path):
    result = cli("--db", str(tmp_path / "t.db"), "import", str(tmp_path / "nope.json"))
    assert result.exit_code == 3 and "no such file" in result.stderr


def test_full_is_json_only_and_has_no_period(cli, source, tmp_path):
    result = cli("--db", str(source), "export", "-p", "full", "-f", "markdown")
    assert result.exit_code == 1 and "JSON only" in result.stderr
    result = cli("--db", str(source), "export", "-p", "full", "--week")
    assert result.exit_code == 1 and "do not apply" in result.stderr


def test_full_export_is_logged_and_not_overwritten_without_force(cli, source, tmp_path):
    out = tmp_path / "backup.json"
    doc = export_json(cli, source, out, "--profile", "full", "--to", "new laptop")
    result = cli("--db", str(source), "export", "-p", "full", "-o", str(out))
    assert result.exit_code == 1 and "--force" in result.stderr
    log = cli.json("--db", str(source), "export", "log", "--json")
    assert [(e["profile"], e["format"], e["digest"], e["to"]) for e in log] == [
        ("full", "json", doc["digest"], "new laptop")]


def test_a_malformed_import_creates_no_database(cli, tmp_path):
    bad = tmp_path / "cut.json"
    bad.write_text('{"format": "recoverylog-summary", "version": 1, "profile": "full", "da', encoding="utf-8")
    target = tmp_path / "new" / "fresh.db"
    result = cli("--db", str(target), "import", str(bad))
    assert result.exit_code != 0 and result.stderr.startswith("Error: ")
    assert not target.exists() and not target.parent.exists()
