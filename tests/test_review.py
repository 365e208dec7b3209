"""`review`: a sponsor reads summaries from several people; the files are untrusted."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from recoverylog.exports.envelope import compute_digest
from summary_seed import export_json, seed_person


def _resign(doc: dict) -> dict:
    doc["digest"] = compute_digest(doc)
    return doc


def _write(path: Path, doc, resign: bool = True) -> Path:
    if resign and isinstance(doc, dict):
        _resign(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def three(tmp_path_factory) -> dict[str, Path]:
    """Ana: used under an abstain goal, craving 8 on two days. Ben: three days without a check-in,
    behind on a court requirement. Cai: a reduce goal kept, but the file was edited after export."""
    import os

    from typer.testing import CliRunner  # module-scoped: build the files once

    folder = tmp_path_factory.mktemp("review")
    saved = {k: os.environ.get(k) for k in ("RECOVERYLOG_NOW", "RECOVERYLOG_NO_PROMPT", "RECOVERYLOG_HOME")}
    os.environ.update(RECOVERYLOG_NOW="2026-11-21T10:00:00+00:00", RECOVERYLOG_NO_PROMPT="1",
                      RECOVERYLOG_HOME=str(folder / "home"))

    class _Cli:
        def __call__(self, *args, ok=None):
            from recoverylog.cli.app import app

            result = CliRunner().invoke(app, [str(a) for a in args])
            assert result.exit_code == 0, (args, result.stderr)
            return result

    cli = _Cli()
    try:
        seed_person(cli, folder / "ana.db", used_on=(5,), cravings=[2, 2, 2, 2, 8, 3, 8, 2, 2, 2], requirement=None)
        seed_person(cli, folder / "ben.db", skip=(5, 6, 7), meetings=(4,), requirement=3)
        seed_person(cli, folder / "cai.db", goal="reduce", used_on=(5,), amounts={5: 1}, meetings=(1, 4, 8),
                    requirement=None)
        files = {}
        for who in ("ana", "ben", "cai"):
            files[who] = folder / f"{who}.json"
            export_json(cli, folder / f"{who}.db", files[who], "--name", who.capitalize())
        doc = json.loads(files["cai"].read_text())
        doc["data"]["days"][0]["craving"] = 0          # edited by hand, digest left as it was
        _write(files["cai"], doc, resign=False)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return files


def test_overview_flags_and_order(cli, three):
    out = cli.json("review", three["ana"], three["ben"], three["cai"], "--format", "json")
    rows = out["overview"]
    assert [r["name"] for r in rows] == ["Ana", "Ben", "Cai"]
    ana, ben, cai = rows
    assert ana["flags"] == ["use_outside_goal", "high_craving"]
    assert ana["use_days"] == 1 and ana["high_craving_days"] == 2 and ana["craving_max"] == 8
    assert ana["continuous_days"] == [{"substance": "alcohol", "days": 4, "recorded": 4}]
    assert ben["flags"] == ["no_checkin", "requirement_behind"]
    assert ben["longest_without_checkin"] == 3 and ben["checkin_days"] == 4 and ben["checkin_share"] == 0.5714
    assert ben["meetings"] == 1
    assert cai["flags"] == ["altered"] and cai["digest_ok"] is False and cai["use_days"] == 1
    assert out["errors"] == []
    assert ana["priority"] > ben["priority"] > cai["priority"]


def test_order_does_not_depend_on_the_order_given(cli, three):
    out = cli.json("review", three["cai"], three["ben"], three["ana"], "--format", "json")
    assert [r["name"] for r in out["overview"]] == ["Ana", "Ben", "Cai"]


def test_overview_table_at_80_and_60_columns(cli, three, monkeypatch):
    for width in ("80", "60"):
        monkeypatch.setenv("COLUMNS", width)
        result = cli("review", three["ana"], three["ben"], three["cai"], ok=True)
        lines = result.stdout.splitlines()
        assert max(len(line) for line in lines) <= int(width)
        text = " ".join(result.stdout.split())
        assert "Ana" in text and "Ben" in text and "Cai" in text
        assert text.index("Ana") < text.index("Ben") < text.index("Cai")


def test_overview_markdown(cli, three):
    md = cli("review", three["ana"], three["ben"], three["cai"], "--format", "markdown", ok=True).stdout
    assert md.startswith("# Summaries") and "| Ana |" in md
    assert "use outside own goal on 1 day (alcohol)" in md and "no check-in for 3 days" in md
    assert "file changed after export" in md


def test_one_file_shows_the_summary(cli, three):
    result = cli("review", three["ana"], ok=True)
    text = " ".join(result.stdout.split())
    assert "Recovery summary — Ana" in text and "Day by day" in text
    assert "changed after it was exported" not in text and "matches the content" in text


def test_one_altered_file_shows_a_clear_banner(cli, three):
    for fmt in ("table", "markdown"):
        result = cli("review", three["cai"], "--format", fmt, ok=True)
        assert "this file was changed after it was exported" in " ".join(result.stdout.split())


def test_review_writes_nothing(cli, three, tmp_path):
    before = sorted(p.name for p in three["ana"].parent.iterdir())
    cli("review", three["ana"], three["cai"], ok=True)
    assert not (tmp_path / "data").exists()  # no database was created
    assert sorted(p.name for p in three["ana"].parent.iterdir()) == before


# -- the flags, one at a time, on small crafted summaries --------------------------------------

def _summary(days, substances=(), requirements=(), start="2026-11-15", end="2026-11-21"):
    """A small sponsor summary that matches the shipped schema (review refuses one that does not)."""
    from recoverylog.exports.envelope import make_envelope

    measure = {"days": 0, "mean": None, "min": None, "max": None, "trend_per_week": None}
    subs = [{"continuous_days": None, "period": {"recorded_days": 7, "use_days": 0, "coverage": 1, "pda": 100}} | s
            for s in substances]
    reqs = [r | {"periods": [{"deficit": max(0, p["required"] - p["counted"]), "met": p["counted"] >= p["required"]} | p
                             for p in r["periods"]]} for r in requirements]
    return make_envelope(profile="sponsor", generated_at="2026-11-21T10:00:00+00:00",
                         period={"start": start, "end": end, "days": 7}, name="X",
                         data={"include_notes": False, "message": None,
                               "checkins": {"days": sum(1 for d in days if d["checkin"]), "share": None, "streak": 0,
                                            "longest_streak": 0, "backfilled_days": 0},
                               "measures": {m: measure for m in ("mood", "craving", "stress", "sleep")},
                               "high_craving_days": 0, "halt": {h: 0 for h in ("hungry", "angry", "lonely", "tired")},
                               "days": days, "substances": subs,
                               "meetings": {"count": 0, "items": [], "per_week": [], "requirements": reqs},
                               "goals": [], "milestones": [], "outreach": {"count": 0}, "steps": []})


def _day(d, **kw):
    base = {"date": f"2026-11-{d}", "checkin": True, "mood": 6, "craving": 2, "stress": None, "sleep": None,
            "halt": [], "uses": [], "unrecorded": [], "meetings": 0}
    return base | kw


def _flags(tmp_path, doc) -> list[str]:
    from recoverylog.reports.review import load_summary, overview_row

    return [f.code for f in overview_row(load_summary(_write(tmp_path / "x.json", doc))).flags]


def test_reduce_goal_flags_only_days_over_the_persons_own_limit(tmp_path):
    sub = {"name": "alcohol", "unit": "drinks", "goal": "reduce", "max_per_day": 2, "max_days": 2,
           "max_days_per": "week"}
    used = lambda n: [{"substance": "alcohol", "used": True, "amount": n}]  # noqa: E731
    within = [_day(d, uses=used(2)) if d in (16, 18) else _day(d) for d in range(15, 22)]
    assert _flags(tmp_path, _summary(within, [sub])) == []
    over_amount = [_day(d, uses=used(3)) if d == 16 else _day(d) for d in range(15, 22)]
    assert _flags(tmp_path, _summary(over_amount, [sub])) == ["use_outside_goal"]
    too_many_days = [_day(d, uses=used(1)) if d in (16, 17, 18) else _day(d) for d in range(15, 22)]
    assert _flags(tmp_path, _summary(too_many_days, [sub])) == ["use_outside_goal"]
    monitor = dict(sub, goal="monitor")
    assert _flags(tmp_path, _summary(over_amount, [monitor])) == []
    # A use whose amount was not recorded is neither within nor over: no flag on its own.
    unknown = [_day(d, uses=used(None)) if d == 16 else _day(d) for d in range(15, 22)]
    assert _flags(tmp_path, _summary(unknown, [sub])) == []


def test_high_craving_needs_two_days_and_gaps_need_three(tmp_path):
    one = [_day(d, craving=9) if d == 16 else _day(d) for d in range(15, 22)]
    assert _flags(tmp_path, _summary(one)) == []
    two = [_day(d, craving=7) if d in (16, 20) else _day(d) for d in range(15, 22)]
    assert _flags(tmp_path, _summary(two)) == ["high_craving"]
    gap2 = [_day(d) for d in range(15, 22) if d not in (17, 18)]
    assert _flags(tmp_path, _summary(gap2)) == []
    gap3_at_end = [_day(d) for d in range(15, 19)]
    assert _flags(tmp_path, _summary(gap3_at_end)) == ["no_checkin"]


def test_requirement_behind(tmp_path):
    days = [_day(d) for d in range(15, 22)]
    req = lambda counted, start="2026-11-16", end="2026-11-22", complete=False: {  # noqa: E731
        "label": "court", "count": 3, "per": "week",
        "periods": [{"start": start, "end": end, "counted": counted, "required": 3, "complete": complete}]}
    assert _flags(tmp_path, _summary(days, requirements=[req(2)])) == []       # 2 after 6 of 7 days: on pace
    assert _flags(tmp_path, _summary(days, requirements=[req(1)])) == ["requirement_behind"]
    done = req(2, "2026-11-09", "2026-11-15", complete=True)
    assert _flags(tmp_path, _summary(days, requirements=[done])) == ["requirement_behind"]


# -- hostile files --------------------------------------------------------------------------

def _hostile(tmp_path: Path, good: Path) -> dict[str, Path]:
    files = {}
    text = good.read_text()
    (files.setdefault("malformed", tmp_path / "malformed.json")).write_text("{this is not json")
    (files.setdefault("truncated", tmp_path / "truncated.json")).write_text(text[: len(text) // 2])
    doc = json.loads(text)
    doc["version"] = 2
    files["wrong_version"] = _write(tmp_path / "v2.json", doc)
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as handle:
        handle.truncate(21 * 1024 * 1024)   # sparse: the size is checked before a byte is read
    files["huge"] = huge
    (files.setdefault("nested", tmp_path / "nested.json")).write_text("[" * 300_000 + "]" * 300_000)
    (files.setdefault("nested_objects", tmp_path / "nested2.json")).write_text('{"a":' * 300_000 + "1" + "}" * 300_000)
    (files.setdefault("not_utf8", tmp_path / "latin1.json")).write_bytes(b'{"name": "\xe9"}')
    (files.setdefault("array", tmp_path / "array.json")).write_text("[1, 2, 3]")
    (files.setdefault("nan", tmp_path / "nan.json")).write_text('{"format": "recoverylog-summary", "x": NaN}')
    full = json.loads(text)
    full["profile"] = "full"
    files["full_profile"] = _write(tmp_path / "full.json", full)
    files["folder"] = tmp_path / "a-folder"
    files["folder"].mkdir()
    files["missing"] = tmp_path / "missing.json"
    return files


def test_every_hostile_file_gets_one_line_and_the_others_are_shown(cli, three, tmp_path):
    bad = _hostile(tmp_path, three["ana"])
    result = cli("review", three["ana"], *bad.values(), three["ben"], "--format", "json")
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert [r["name"] for r in out["overview"]] == ["Ana", "Ben"]
    errors = {e["file"]: e["error"] for e in out["errors"]}
    assert len(errors) == len(bad)
    expected = {"malformed": "not valid JSON", "truncated": "truncated", "wrong_version": "version 2",
                "huge": "larger than the 20 MB", "nested": "nested too deeply",
                "nested_objects": "nested too deeply", "not_utf8": "not UTF-8", "array": "not a recoverylog export",
                "nan": "not valid JSON", "full_profile": "review reads sponsor summaries",
                "folder": "is a folder", "missing": "no such file"}
    for key, path in bad.items():
        assert expected[key] in errors[str(path)], (key, errors[str(path)])
    stderr_lines = result.stderr.strip().splitlines()
    assert len(stderr_lines) == len(bad) and all(line.startswith("Error: ") for line in stderr_lines)
    assert "Traceback" not in result.stderr


def test_hostile_files_in_the_table_view_too(cli, three, tmp_path):
    bad = _hostile(tmp_path, three["ana"])
    result = cli("review", *bad.values(), three["ben"])
    assert result.exit_code == 1 and "Ben" in result.stdout


def test_only_bad_files_exit_nonzero_with_nothing_on_stdout(cli, tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{")
    result = cli("review", path)
    assert result.exit_code == 1 and result.stdout == "" and result.stderr.count("\n") == 1


MARKUP = "[bold red]Boss[/bold red] [link=file:///etc/passwd]click[/link]"
ANSI = "\x1b[31mred\x1b[0m\x1b]8;;http://x\x07link\x1b]8;;\x07 bell\x07 back\x08\x08 nul\x00"


def _poisoned(three) -> dict:
    doc = json.loads(three["ana"].read_text())
    doc["person"]["name"] = MARKUP + ANSI
    doc["data"]["include_notes"] = True
    doc["data"]["message"] = "call me " + ANSI
    doc["data"]["days"][0]["note"] = MARKUP + "\n" + ANSI
    doc["data"]["substances"][0]["name"] = "[blink]alcohol[/blink]"
    doc["data"]["meetings"]["items"][0]["name"] = "\x1b[2J\x1b[Hcleared"
    return doc


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_markup_ansi_and_control_characters_are_inert(cli, three, tmp_path, fmt):
    path = _write(tmp_path / "poisoned.json", _poisoned(three))
    result = cli("review", path, "--format", fmt, ok=True)
    out = result.stdout
    assert "\x1b" not in out and "\x07" not in out and "\x00" not in out and "\x08" not in out
    if fmt == "table":
        assert "[bold red]Boss[/bold red]" in out and "[link=file:///etc/passwd]" in out
        assert "[blink]alcohol[/blink]" in out and "cleared" in out
    if fmt == "markdown":
        assert "\\[bold red\\]Boss\\[/bold red\\]" in out


def test_poisoned_overview_table_is_inert(cli, three, tmp_path):
    path = _write(tmp_path / "poisoned.json", _poisoned(three))
    result = cli("review", path, three["ben"], ok=True)
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "[boldred]Boss[/boldred]" in "".join(result.stdout.split())


def test_wrong_types_inside_a_signed_file_are_refused_by_the_schema_and_contained(cli, three, tmp_path):
    # A file whose digest was recomputed after editing is still checked against the schema before a
    # figure is read: wrong types are one line naming the first failing path; the other file shows.
    doc = json.loads(three["ana"].read_text())
    data = doc["data"]
    data["days"] = [{"date": "2026-11-15", "mood": "9", "craving": 1e308, "uses": "lots", "halt": {"x": 1}},
                    {"date": "not a date"}, 7, None, {"date": "2026-13-45"}] + [{"date": "2026-11-16"}] * 50_000
    data["checkins"] = {"days": -5, "share": "all"}
    data["measures"] = {"craving": {"mean": True, "max": float(10**20)}}
    data["substances"] = [{"name": 5}, {"name": "alcohol", "continuous_days": "many", "period": []}]
    data["meetings"] = {"count": "x", "items": [{"date": "2026-11-15"}], "requirements": [{"label": "court",
                        "periods": [{"start": "2026-11-16", "end": "2026-11-10", "counted": 1, "required": 3}]}]}
    doc["period"] = {"start": "2026-11-21", "end": "2026-11-15"}
    path = _write(tmp_path / "odd.json", doc)
    for fmt in ("table", "markdown", "json"):
        result = cli("review", path, "--format", fmt)
        assert result.exit_code == 1, (fmt, result.stderr)
        assert "does not match the recoverylog export format ($." in result.stderr
        assert "Traceback" not in result.stderr + result.stdout
    result = cli("review", path, three["ben"])
    assert result.exit_code == 1 and "Ben" in result.stdout and "odd.json" in result.stderr


def test_review_of_a_full_export_says_what_it_reads(cli, tmp_path):
    doc = _summary([])
    doc["profile"] = "full"
    path = _write(tmp_path / "full.json", doc)
    result = cli("review", path)
    assert result.exit_code == 1 and "a full export; review reads sponsor summaries and court sheets" in result.stderr


def test_a_sponsor_file_relabelled_court_is_read_as_a_court_sheet_holding_no_meetings(cli, tmp_path):
    # Only attendance fields are read from a court sheet: the sponsor data in it shows nowhere.
    doc = _summary([])
    doc["profile"] = "court"
    path = _write(tmp_path / "court.json", doc)
    result = cli("review", path, "--format", "json")
    if result.exit_code == 1:  # a schema check may refuse it outright: then nothing of it is shown
        assert result.stderr.startswith("Error:") and json.loads(result.stdout)["court_sheets"] == []
        return
    out = json.loads(result.stdout)
    assert result.exit_code == 0 and out["overview"] == [] and len(out["court_sheets"]) == 1
    sheet = out["court_sheets"][0]
    assert sheet["rows"] == [] and sheet["meetings"] == 0 and "measures" not in sheet


def test_unknown_format(cli, three):
    result = cli("review", three["ana"], "--format", "pdf")
    assert result.exit_code == 2 and "Unknown format" in result.stderr


def test_views_are_dated_as_given():
    from recoverylog.reports.summary_view import summary_view

    view = summary_view(_summary([_day(15)]), verified=True)
    assert view.period_start == date(2026, 11, 15) and view.days[0].date == date(2026, 11, 15)


def test_lone_surrogates_in_a_file_are_not_a_crash(cli, three, tmp_path):
    """JSON may spell an unpaired surrogate (\\ud800); it cannot be printed as UTF-8, so it is
    dropped from names and notes instead of stopping the whole review with a traceback."""
    doc = json.loads(three["ana"].read_text())
    doc["person"]["name"] = "Ana\ud800"
    doc["data"]["include_notes"] = True
    doc["data"]["days"][0]["note"] = "note \udfff here"
    path = tmp_path / "surrogate.json"
    path.write_text(json.dumps(doc), encoding="ascii")  # \ud800 escapes, as another program may write
    for fmt in ("table", "markdown", "json"):
        result = cli("review", path, "--format", fmt)
        assert result.exit_code == 0, (fmt, result.stderr)
        assert "Ana" in result.stdout and "Traceback" not in result.stderr
    result = cli("review", path, three["ben"], ok=True)
    assert "Ana" in result.stdout and "Ben" in result.stdout


def test_overview_markdown_escapes_requirement_labels(cli, three, tmp_path):
    """A requirement's label comes from the file: in the markdown overview it must not break the
    table (|) or become a link or an image."""
    doc = json.loads(three["ben"].read_text())
    doc["data"]["meetings"]["requirements"][0]["label"] = "court | [click](http://evil.example) <img src=x>"
    path = _write(tmp_path / "label.json", doc)
    out = cli("review", path, three["ana"], "--format", "markdown", ok=True).stdout
    row = next(line for line in out.splitlines() if "click" in line)
    assert "court \\| \\[click\\](http://evil.example) \\<img src=x\\>" in row
    assert row.count(" | ") == 8          # nine cells, none added by the label
