"""Support network: contacts, outreach (command and check-in), counts by role without phones."""

from __future__ import annotations

import json
from datetime import date

import pytest

from recoverylog.services.contacts import ROLES


def contacts(cli, *extra):
    return cli.json("contact", "list", "--json", *extra)["contacts"]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_can_be_added(cli, role):
    cli("contact", "add", "Sam", "--role", role, ok=True)
    assert [(c["alias"], c["role"]) for c in contacts(cli)] == [("Sam", role)]


def test_add_list_edit_remove(cli):
    result = cli("contact", "add", "Sam", "--role", "sponsor", "--phone", "+1 (555) 010-0100", "--note", "calls back", ok=True)
    assert "Added Sam (sponsor)" in result.stderr
    cli("contact", "add", "Jo", "--role", "Counsellor", ok=True)  # British spelling accepted
    listed = contacts(cli)
    assert [(c["alias"], c["role"], c["phone"]) for c in listed] == [
        ("Sam", "sponsor", "+1 (555) 010-0100"), ("Jo", "counselor", None)]
    out = cli("contact", "list", ok=True).stdout
    assert "+1 (555) 010-0100" in out and "stay on this machine" in out

    cli("contact", "edit", "sam", "--phone", "555 0199", "--role", "peer", ok=True)
    assert contacts(cli)[0]["phone"] == "555 0199" and contacts(cli)[0]["role"] == "peer"
    cli("contact", "edit", "Sam", "--phone", "", ok=True)
    assert contacts(cli)[0]["phone"] is None

    cli("contact", "remove", "Jo", ok=True)
    assert [c["alias"] for c in contacts(cli)] == ["Sam"]
    assert [c["alias"] for c in contacts(cli, "--all")] == ["Sam", "Jo"]
    cli("contact", "add", "jo", "--role", "counselor", ok=True)  # comes back
    assert [c["alias"] for c in contacts(cli)] == ["Sam", "jo"]


def test_edits_and_removals_keep_revisions(cli, db_path):
    import sqlite3

    cli("contact", "add", "Sam", "--role", "sponsor", "--phone", "555 0100", ok=True)
    cli("contact", "edit", "Sam", "--phone", "555 0199", ok=True)
    cli("contact", "remove", "Sam", ok=True)
    conn = sqlite3.connect(db_path)
    rows = conn.execute("SELECT action, data FROM revisions WHERE entity = 'contact' ORDER BY id").fetchall()
    assert [r[0] for r in rows] == ["update", "delete"]
    assert json.loads(rows[0][1])["phone"] == "555 0100"


def test_rename_keeps_the_plan_pointing_at_the_contact(cli):
    cli("contact", "add", "Sam", "--role", "sponsor", ok=True)
    cli("plan", "add", "help", "Sam", ok=True)
    cli("contact", "edit", "Sam", "--alias", "S.", ok=True)
    assert cli.json("plan", "--json")["help"] == ["S."]
    assert cli.json("plan", "history", "--json")[-1]["change"] == "contact renamed in help: Sam → S."


@pytest.mark.parametrize("args, code, message", [
    (("contact", "add", "Sam", "--role", "buddy"), 1, "Unknown role 'buddy'"),
    (("contact", "add", "Ray", "--role", "peer", "--phone", "call me"), 1, "does not look like a phone number"),
    (("contact", "add", "R:ay", "--role", "peer"), 1, "cannot contain ':'"),
    (("contact", "add", "Bo\x1b[31mb", "--role", "peer"), 1, "control characters"),
    (("contact", "add", "Bo\x7fb", "--role", "peer"), 1, "control characters"),
    (("contact", "add", "sam", "--role", "peer"), 1, "already have a contact 'Sam'"),
    (("contact", "edit", "Alex", "--role", "peer"), 3, "There is no contact 'Alex'. Your contacts: Sam."),
    (("contact", "edit", "Sam", "--role", "buddy"), 1, "Unknown role"),
    (("contact", "edit", "Sam"), 2, "Nothing to change"),
    (("contact", "remove", "Alex"), 3, "There is no contact 'Alex'"),
    (("reached-out", "Alex"), 3, "Your contacts: Sam"),
    (("reached-out", "Sam", "--how", "pigeon"), 1, "Unknown way of reaching out"),
    (("reached-out", "Sam", "--about", "weather"), 1, "Unknown topic"),
    (("reached-out", "Sam", "--date", "2026-11-22"), 1, "in the future"),
])
def test_bad_input_is_refused_and_nothing_is_stored(cli, db_path, args, code, message):
    import sqlite3

    cli("contact", "add", "Sam", "--role", "sponsor", "--phone", "555 0100", ok=True)

    def snapshot():
        conn = sqlite3.connect(db_path)
        try:
            return [conn.execute(f"SELECT * FROM {t}").fetchall() for t in ("contacts", "outreach", "revisions")]
        finally:
            conn.close()

    before = snapshot()
    result = cli(*args)
    assert result.exit_code == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot() == before


def test_alias_with_a_space_gets_a_privacy_tip(cli):
    result = cli("contact", "add", "Jo Smith", "--role", "friend", ok=True)
    assert "Tip: an alias" in result.stderr


def test_reached_out_command(cli):
    cli("contact", "add", "Sam", "--role", "sponsor", "--phone", "555 0100", ok=True)
    data = cli.json("reached-out", "sam", "--how", "call", "--about", "crisis", "--json")
    assert data == {"version": 1, "alias": "Sam", "role": "sponsor", "date": "2026-11-21", "how": "call",
                    "about": "crisis"}
    result = cli("reached-out", "Sam", "--date", "yesterday", ok=True)
    assert "Reached out to Sam (sponsor)" in result.stderr and "2026-11-20" in result.stderr
    assert contacts(cli)[0]["last_outreach"] == "2026-11-21"


def test_checkin_reached_out(cli):
    cli("contact", "add", "Sam", "--role", "sponsor", "--phone", "555 0100", ok=True)
    cli("contact", "add", "Ray", "--role", "peer", ok=True)
    data = cli.json("checkin", "--mood", "6", "--craving", "3", "--reached-out", "sam:call",
                    "--reached-out", "Ray", "--json")
    assert data["recorded"]["outreach"] == [
        {"alias": "Sam", "role": "sponsor", "how": "call", "recorded": True},
        {"alias": "Ray", "role": "peer", "how": None, "recorded": True}]
    assert "555" not in json.dumps(data)
    out = cli("checkin", "--mood", "7", "--reached-out", "Sam:call", ok=True).stdout
    assert "already recorded" in out
    from recoverylog.clock import clock_from_env
    from recoverylog.reports.outreach import outreach_counts
    from recoverylog.storage.db import open_store
    from recoverylog.storage.paths import resolve_db_path

    store = open_store(resolve_db_path(None), clock_from_env())
    try:
        summary = outreach_counts(store, date(2026, 11, 1), date(2026, 11, 30))
    finally:
        store.close()
    assert (summary.count, summary.by_role) == (2, {"peer": 1, "sponsor": 1})


def test_checkin_with_unknown_contact_saves_nothing(cli):
    cli("contact", "add", "Sam", "--role", "sponsor", ok=True)
    result = cli("checkin", "--mood", "6", "--craving", "3", "--reached-out", "Alex:call")
    assert result.exit_code == 3
    assert "There is no contact 'Alex'. Your contacts: Sam." in result.stderr
    assert cli.json("checkins", "--json") == []
    bad_how = cli("checkin", "--mood", "6", "--craving", "3", "--reached-out", "Sam:fax")
    assert bad_how.exit_code == 1 and "call, text, in-person, video" in bad_how.stderr
    assert cli.json("checkins", "--json") == []


def test_outreach_counts_by_role_and_window(cli):
    from recoverylog.clock import clock_from_env
    from recoverylog.render.jsonout import dumps
    from recoverylog.reports.outreach import outreach_counts, outreach_per_day
    from recoverylog.storage.db import open_store
    from recoverylog.storage.paths import resolve_db_path

    cli("contact", "add", "Sam", "--role", "sponsor", "--phone", "555 0100", "--note", "secret note", ok=True)
    cli("contact", "add", "Mum", "--role", "family", "--phone", "555 0111", ok=True)
    cli("reached-out", "Sam", "--date", "2026-10-31", ok=True)  # month end: outside November
    cli("reached-out", "Sam", "--date", "2026-11-01", "--how", "text", ok=True)
    cli("reached-out", "Mum", "--date", "2026-11-01", ok=True)
    cli("reached-out", "Sam", "--date", "2026-11-21", "--how", "call", ok=True)
    cli("contact", "remove", "Mum", ok=True)  # history still counts
    store = open_store(resolve_db_path(None), clock_from_env())
    try:
        november = outreach_counts(store, date(2026, 11, 1), date(2026, 11, 30))
        everything = outreach_counts(store, None, None)
        per_day = outreach_per_day(store, date(2026, 11, 1), date(2026, 11, 21))
    finally:
        store.close()
    assert november.count == 3 and november.by_role == {"family": 1, "sponsor": 2} and november.days == 2
    assert november.by_how == {"call": 1, "text": 1, "unspecified": 1}
    assert everything.count == 4
    assert per_day == {date(2026, 11, 1): 2, date(2026, 11, 21): 1}
    text = dumps(november)
    assert "555" not in text and "secret" not in text and "Sam" not in text
