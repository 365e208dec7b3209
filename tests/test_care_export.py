"""The care export in every format, the sponsor summary without health data unless asked (searched
in every format), and the full backup carrying the new tables."""

from __future__ import annotations

import json
import sqlite3
from importlib import resources
from pathlib import Path

import pytest

from summary_seed import NOTE, copy_db, export_json, seeded_once

MED = "Buprenorphinezz"      # unusual names, so a search cannot match something else by accident
MED2 = "Sertralinezz"
HEALTH_WORDS = (MED, MED2, "PHQ", "GAD", "BARC", "assessment", "Self-assessment", "item9")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return seeded_once(tmp_path_factory.mktemp("care"), "care", used_on=(3,), skip=(5,))


@pytest.fixture
def db(cli, template, tmp_path) -> Path:
    db = copy_db(template, tmp_path / "care.db")
    base = ["--db", str(db)]
    cli(*base, "assess", "phq9", "--answers", "2,2,2,2,2,0,0,0,0", "--date", "2026-11-14", ok=True)   # 10 moderate
    cli(*base, "assess", "phq9", "--answers", "1,1,1,1,0,0,0,0,1", "--date", "2026-11-20", ok=True)   # 5 mild, item 9
    cli(*base, "assess", "barc10", "--answers", "5,5,5,5,5,5,5,4,4,4", "--date", "2026-11-20", ok=True)  # 47
    cli(*base, "med", "add", MED, "--dose", "8 mg", "--kind", "moud", ok=True)
    cli(*base, "med", "add", MED2, "--schedule", "twice-daily", "--kind", "psychiatric", ok=True)
    for day in ("2026-11-18", "2026-11-19", "2026-11-21"):
        cli(*base, "med", "taken", MED, "--date", day, ok=True)
    cli(*base, "med", "taken", MED, "--date", "2026-11-20", "--missed", ok=True)
    cli(*base, "med", "taken", MED2, "--date", "2026-11-20", ok=True)
    return db


def _schema_errors(doc):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(resources.files("recoverylog").joinpath("data/summary.schema.json").read_text("utf-8"))
    return [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(doc)]


def test_care_json_has_assessments_medications_trends_use_and_meetings(cli, db, tmp_path):
    doc = export_json(cli, db, tmp_path / "care.json", "--profile", "care", "--since", "2026-11-12")
    assert doc["profile"] == "care" and _schema_errors(doc) == []
    from recoverylog.exports.envelope import verify

    assert verify(doc)
    data = doc["data"]
    phq = next(a for a in data["assessments"] if a["instrument"] == "phq9")
    assert (phq["latest"]["total"], phq["previous"]["total"], phq["change"], phq["band"]) == (5, 10, -5, "mild")
    assert [t["item9_positive"] for t in data["assessments_taken"] if t["instrument"] == "phq9"] == [False, True]
    bup = next(m for m in data["medications"] if m["name"] == MED)
    assert (bup["taken"], bup["recorded"], bup["missed"]) == (3, 4, 1)
    assert set(data["measures"]) >= {"mood", "sleep", "stress"} and data["measures"]["sleep"]["mean"] == 7
    assert data["substances"][0]["name"] == "alcohol" and data["substances"][0]["use_days"] == 1
    assert data["meetings"]["count"] == 3
    assert "notes" not in data and NOTE not in json.dumps(doc)


def test_care_figures_are_the_reports_figures(cli, db):
    """One computation: the care export carries what `report --format json` says for the same period."""
    doc = cli.json("--db", str(db), "export", "--profile", "care", "-f", "json", "--since", "2026-11-12")
    report = cli.json("--db", str(db), "report", "-f", "json", "--since", "2026-11-12", "--until", "2026-11-21")
    assert doc["data"]["assessments"] == report["assessments"]
    assert doc["data"]["medications"] == report["medications"]
    assert doc["data"]["measures"]["mood"]["mean"] == report["mood"]["mean"]


@pytest.mark.parametrize("fmt,marks", [
    ("markdown", ["# Summary for my care team", "PHQ-9: 5 of 27 on 2026-11-20, mild depression symptoms; −5 since "
                  "2026-11-14 (10).", "taken on 3 of 4 recorded days", "not a diagnosis", "Digest: `sha256:"]),
    ("html", ["<!DOCTYPE html>", "<h2>Self-assessments</h2>", "taken on 3 of 4 recorded days",
              "PHQ-9 item 9", "47 or more predicted sustained remission"]),
])
def test_care_markdown_and_html(cli, db, tmp_path, fmt, marks):
    out = tmp_path / f"care.{fmt}"
    cli("--db", str(db), "export", "--profile", "care", "-f", fmt, "--since", "2026-11-12", "-o", str(out), ok=True)
    text = out.read_text("utf-8")
    for mark in marks:
        assert mark in text, mark
    assert NOTE not in text and "<script>" not in text
    log = cli.json("--db", str(db), "export", "log", "--json")
    assert log[-1]["profile"] == "care" and log[-1]["format"] == fmt and log[-1]["digest"].startswith("sha256:")


def test_care_notes_only_with_include_notes_and_escaped_in_html(cli, db, tmp_path):
    out = tmp_path / "care.html"
    cli("--db", str(db), "export", "--profile", "care", "-f", "html", "--include-notes", "-o", str(out), ok=True)
    text = out.read_text("utf-8")
    assert "private note &lt;script&gt;alert(1)&lt;/script&gt; about work" in text and "<script>" not in text
    doc = cli.json("--db", str(db), "export", "--profile", "care", "-f", "json", "--include-notes")
    assert doc["data"]["notes"][0]["note"] == NOTE


def test_care_refuses_csv(cli, db):
    result = cli("--db", str(db), "export", "--profile", "care", "-f", "csv")
    assert result.exit_code == 1 and "markdown, html or json" in result.stderr


@pytest.mark.parametrize("fmt", ["markdown", "html", "json", "csv"])
def test_sponsor_summary_leaves_health_out_by_default(cli, db, tmp_path, fmt):
    out = tmp_path / f"sponsor.{fmt}"
    cli("--db", str(db), "export", "-f", fmt, "-o", str(out), ok=True)
    text = out.read_text("utf-8")
    assert "alcohol" in text  # the summary itself is there
    for word in HEALTH_WORDS:
        assert word.lower() not in text.lower(), (fmt, word)


@pytest.mark.parametrize("fmt", ["markdown", "html", "json"])
def test_sponsor_summary_with_include_health(cli, db, tmp_path, fmt):
    out = tmp_path / f"sponsor.{fmt}"
    cli("--db", str(db), "export", "-f", fmt, "--include-health", "-o", str(out), ok=True)
    text = out.read_text("utf-8")
    assert MED in text and "PHQ-9" in text
    if fmt == "json":
        doc = json.loads(text)
        assert _schema_errors(doc) == [] and doc["data"]["include_health"] is True
    else:
        assert "taken on 3 of 4 recorded days" in text


def test_review_reads_a_summary_with_health_defensively(cli, db, tmp_path):
    out = tmp_path / "s.json"
    cli("--db", str(db), "export", "-f", "json", "--include-health", "-o", str(out), ok=True)
    doc = json.loads(out.read_text("utf-8"))
    doc["data"]["medications"].append({"name": "x", "taken": "lots"})  # hostile row: dropped, no traceback
    from recoverylog.reports.summary_view import summary_view

    view = summary_view(doc, verified=False)
    assert [m.name for m in view.medications] == [MED, MED2]


def _health_rows(db: Path):
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                for t in ("assessments", "medications", "medication_doses")}
    finally:
        conn.close()


def test_full_backup_and_import_carry_the_new_tables_identically(cli, db, tmp_path):
    first = export_json(cli, db, tmp_path / "backup.json", "--profile", "full")
    assert len(first["data"]["tables"]["assessments"]) == 3 and len(first["data"]["tables"]["medication_doses"]) == 5
    target = tmp_path / "moved.db"
    cli("--db", str(target), "import", str(tmp_path / "backup.json"), ok=True)
    second = export_json(cli, target, tmp_path / "again.json", "--profile", "full")
    assert second["data"] == first["data"] and second["digest"] == first["digest"]
    assert _health_rows(target) == _health_rows(db)
    assert cli.json("--db", str(target), "assess", "list", "--json") == cli.json("--db", str(db), "assess", "list", "--json")


def test_include_health_on_the_court_sheet_says_it_changes_nothing(cli, db):
    result = cli("--db", str(db), "export", "--profile", "court", "-f", "csv", "--include-health", ok=True)
    assert "attendance only, never health data" in result.stderr
    assert MED not in result.stdout and "PHQ" not in result.stdout


def test_words_in_the_care_summary_status_and_report(cli, db):
    texts = [cli("--db", str(db), "export", "--profile", "care", ok=True).stdout,
             cli("--db", str(db), "status", ok=True).stdout,
             cli("--db", str(db), "report", ok=True).stdout]
    for text in texts:
        for word in ("addict", "abuser", "dirty", "failure", "failed", "non-compliant", "noncompliant"):
            assert word not in text.lower(), word


def test_the_care_export_is_signed_when_the_person_has_a_key(cli, tmp_path):
    """Like the sponsor and court profiles: the JSON carries a signature that verifies, and the
    markdown and HTML footers name the fingerprint."""
    from recoverylog.signing import check_document

    db = tmp_path / "k.db"
    cli("--db", str(db), "checkin", "--mood", "6", "--craving", "2", ok=True)
    cli("--db", str(db), "key", "init", ok=True)
    shown = json.loads(cli("--db", str(db), "key", "show", "--json", ok=True).stdout)
    doc = json.loads(cli("--db", str(db), "export", "--profile", "care", "-f", "json", ok=True).stdout)
    assert doc["signature"]["fingerprint"] == shown["fingerprint"]
    assert check_document(doc).state == "valid"
    doc["data"]["period_checkins"] = "edited"   # any change after signing breaks it
    assert check_document(doc).state == "invalid"
    for fmt in ("markdown", "html"):
        text = cli("--db", str(db), "export", "--profile", "care", "-f", fmt, ok=True).stdout
        assert f"Signing key fingerprint: {shown['fingerprint']}" in text
