"""help-now / sos: crisis lines always, the person's own plan when readable; the check-in pointer."""

from __future__ import annotations

import json
from importlib import resources

import pytest

LOCALE_HINT = "change with `recoverylog config set crisis-locale XX`"


def crisis_data():
    return json.loads(resources.files("recoverylog").joinpath("data/crisis_lines.json").read_text("utf-8"))


def test_crisis_data_covers_the_required_locales_with_sources():
    data = crisis_data()
    assert {"US", "CA", "GB", "IE", "AU"} <= set(data["locales"])
    assert data["default"] in data["locales"]
    for code, entry in data["locales"].items():
        assert entry["lines"], code
        for line in entry["lines"]:
            assert line["source"].startswith(("https://", "http://")), (code, line)
            assert any(c.isdigit() for c in line["contact"]), (code, line)
        # Every shipped locale names its emergency number (IE: 112 or 999, per the HSE).
        assert any(c.isdigit() for c in entry["emergency"]["contact"]), code
        assert entry["emergency"]["source"].startswith(("https://", "http://")), code


def test_ireland_shows_its_emergency_numbers(cli, monkeypatch):
    monkeypatch.setenv("LANG", "en_IE.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    out = cli("help-now", ok=True).stdout
    assert "Crisis lines for Ireland" in out and "112 or 999" in out


def test_help_now_without_a_database_creates_nothing(cli, db_path):
    result = cli("help-now", ok=True)
    assert "Crisis lines for the United States" in result.stdout
    assert "Call or text 988" in result.stdout and "1-800-662-4357" in result.stdout
    assert f"(from your system locale; {LOCALE_HINT})" in result.stdout
    assert "Your own plan will appear here" in result.stdout
    assert not db_path.exists()


def test_help_now_with_an_empty_database(cli, db_path):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"")
    result = cli("help-now", ok=True)
    assert "988" in result.stdout and "Your own plan will appear here" in result.stdout


@pytest.mark.parametrize("garbage", [b"this is not a database at all" * 20,
                                     b"SQLite format 3\x00" + b"\xff" * 200])
def test_help_now_with_a_corrupt_database_still_shows_the_lines(cli, db_path, garbage):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(garbage)
    result = cli("help-now", ok=True)
    assert "Crisis lines for the United States" in result.stdout
    assert "Call or text 988" in result.stdout
    assert "could not be read just now" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert db_path.read_bytes() == garbage  # left unchanged


def test_locale_from_the_system_and_from_the_setting(cli, monkeypatch):
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    out = cli("help-now", ok=True).stdout
    assert "Crisis lines for the United Kingdom" in out
    assert f"(from your system locale; {LOCALE_HINT})" in out
    assert "116 123" in out and "Text SHOUT to 85258" in out and "999" in out
    cli("config", "set", "crisis-locale", "ie", ok=True)
    out = cli("help-now", ok=True).stdout
    assert "Crisis lines for Ireland" in out and "from your crisis-locale setting" in out
    cli("config", "set", "crisis-locale", "au", ok=True)
    out = cli("sos", ok=True).stdout
    assert "Crisis lines for Australia" in out and "13 11 14" in out and "000" in out
    cli("config", "set", "crisis-locale", "ca", ok=True)
    assert "Crisis lines for Canada" in cli("sos", ok=True).stdout


def test_unknown_locale_falls_back_and_says_so(cli, monkeypatch):
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    out = cli("help-now", ok=True).stdout
    assert "No crisis lines are stored for DE" in out and "the United States" in out
    monkeypatch.setenv("LANG", "C")
    out = cli("help-now", ok=True).stdout
    assert "does not name a country" in out


def test_lc_all_wins_over_lang(cli, monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("LC_ALL", "en_AU.UTF-8")
    assert "Crisis lines for Australia" in cli("help-now", ok=True).stdout


def _with_plan(cli):
    cli("contact", "add", "Sam", "--role", "sponsor", "--phone", "555 0100", ok=True)
    cli("contact", "add", "Mum", "--role", "family", "--phone", "555 0111", ok=True)
    cli("plan", "add", "coping", "walk round the block", ok=True)
    cli("plan", "add", "coping", "cold water on my face", ok=True)
    cli("plan", "add", "reasons", "my daughter", ok=True)


def test_help_now_shows_own_plan_and_phones(cli):
    _with_plan(cli)
    out = cli("help-now", ok=True).stdout
    assert "1. walk round the block" in out and "2. cold water on my face" in out
    assert "Sam (sponsor)" in out and "555 0100" in out and "Mum (family)" in out
    assert "my daughter" in out
    assert out.index("Sam") < out.index("Mum")  # sponsor first when the plan names nobody
    cli("plan", "add", "help", "Mum", ok=True)
    out = cli("help-now", ok=True).stdout
    # Naming someone in the plan drops nobody: the sponsor stays first, then the plan's people.
    assert "Mum (family)" in out and "Sam (sponsor)" in out and out.index("Sam") < out.index("Mum")
    assert cli("sos", ok=True).stdout == out


def test_help_now_json(cli):
    _with_plan(cli)
    data = cli.json("help-now", "--json")
    assert data["crisis"]["locale"] == "US" and data["crisis"]["emergency"] == "911"
    assert data["coping"] == ["walk round the block", "cold water on my face"]
    assert data["contacts"][0] == {"alias": "Sam", "role": "sponsor", "phone": "555 0100"}


@pytest.mark.parametrize("columns", ["60", "100"])
def test_help_now_fits_the_terminal(cli, monkeypatch, columns):
    _with_plan(cli)
    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setenv("LANG", "en_AU.UTF-8")
    out = cli("help-now", ok=True).stdout
    assert max(len(line.rstrip()) for line in out.splitlines()) <= int(columns)
    for word in ("addict", "dirty", "failure", "failed", "!"):
        assert word not in out.lower()


def test_high_craving_checkin_points_to_help_now(cli):
    _with_plan(cli)
    out = cli("checkin", "--mood", "5", "--craving", "9", ok=True).stdout
    assert "craving 9/10" in out
    assert "walk round the block" in out and "Sam (sponsor): 555 0100" in out
    assert "recoverylog help-now" in out
    calm = cli("checkin", "--date", "yesterday", "--mood", "6", "--craving", "2", ok=True).stdout
    assert "help-now" not in calm


def test_low_mood_checkin_without_a_plan_still_points_to_help_now(cli):
    out = cli("checkin", "--mood", "2", "--craving", "1", ok=True).stdout
    assert "mood 2/10" in out and "recoverylog help-now" in out and "988" in out
