"""Self-assessments: exact scoring at every band edge (hand-computed), refusals that store nothing,
the PHQ-9 item 9 panel, list/show/delete, and when the next one is due."""

from __future__ import annotations

import copy
import json
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoverylog.errors import InputError, StorageError
from recoverylog.services.instruments import check_instrument, get_instrument, load_instruments, score

# (answers, hand-computed total, band). Each total is the sum written out beside it.
PHQ9 = [
    ([0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "minimal"),                 # 0
    ([1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "minimal"),                 # 1+1+1+1
    ([1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "mild"),                    # 5 × 1
    ([3, 3, 3, 0, 0, 0, 0, 0, 0], 9, "mild"),                    # 3+3+3
    ([2, 2, 2, 2, 2, 0, 0, 0, 0], 10, "moderate"),               # 5 × 2
    ([3, 3, 3, 3, 2, 0, 0, 0, 0], 14, "moderate"),               # 12+2
    ([3, 3, 3, 3, 3, 0, 0, 0, 0], 15, "moderately severe"),      # 5 × 3
    ([3, 3, 3, 3, 3, 2, 2, 0, 0], 19, "moderately severe"),      # 15+2+2
    ([3, 3, 3, 3, 3, 3, 2, 0, 0], 20, "severe"),                 # 18+2
    ([3, 3, 3, 3, 3, 3, 3, 3, 3], 27, "severe"),                 # 9 × 3
]
GAD7 = [
    ([0, 0, 0, 0, 0, 0, 0], 0, "minimal"),
    ([2, 2, 0, 0, 0, 0, 0], 4, "minimal"),                       # 2+2
    ([2, 2, 1, 0, 0, 0, 0], 5, "mild"),                          # 2+2+1
    ([3, 3, 3, 0, 0, 0, 0], 9, "mild"),                          # 3+3+3
    ([3, 3, 3, 1, 0, 0, 0], 10, "moderate"),                     # 9+1
    ([2, 2, 2, 2, 2, 2, 2], 14, "moderate"),                     # 7 × 2
    ([3, 3, 3, 3, 3, 0, 0], 15, "severe"),                       # 5 × 3
    ([3, 3, 3, 3, 3, 3, 3], 21, "severe"),                       # 7 × 3
]
TWO_ITEM = [
    ([0, 0], 0, "below the cut-off of 3"),
    ([1, 1], 2, "below the cut-off of 3"),
    ([2, 1], 3, "3 or more"),
    ([3, 3], 6, "3 or more"),
]
BARC10 = [
    ([1] * 10, 10),                                              # 10 × 1
    ([6] * 10, 60),                                              # 10 × 6
    ([5, 5, 5, 5, 5, 5, 5, 4, 4, 4], 47),                        # 35+12: the validation cut-off
    ([5, 5, 5, 5, 5, 5, 4, 4, 4, 4], 46),                        # 30+16
]


@pytest.mark.parametrize("answers,total,band", PHQ9)
def test_phq9_totals_and_bands_at_every_edge(answers, total, band):
    result = score(get_instrument("phq9"), answers)
    assert (result.total, result.band) == (total, band)
    assert result.item9_positive is (answers[8] > 0)


@pytest.mark.parametrize("answers,total,band", GAD7)
def test_gad7_totals_and_bands_at_every_edge(answers, total, band):
    result = score(get_instrument("gad7"), answers)
    assert (result.total, result.band) == (total, band)


@pytest.mark.parametrize("key,full", [("phq2", "phq9"), ("gad2", "gad7")])
@pytest.mark.parametrize("answers,total,band", TWO_ITEM)
def test_two_item_screeners_suggest_the_full_questionnaire_from_3(key, full, answers, total, band):
    result = score(get_instrument(key), answers)
    assert result.total == total and result.band.startswith(band)
    assert result.suggest == (full if total >= 3 else None)


@pytest.mark.parametrize("answers,total", BARC10)
def test_barc10_totals_have_no_invented_bands(answers, total):
    inst = get_instrument("barc10")
    result = score(inst, answers)
    assert result.total == total and result.band is None
    assert inst.reference_score == 47 and (inst.min, inst.max) == (10, 60)


def test_published_wording_and_options_are_the_data():
    phq9 = get_instrument("PHQ-9")
    assert phq9.stem == "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    assert [(o.value, o.label) for o in phq9.options] == [
        (0, "Not at all"), (1, "Several days"), (2, "More than half the days"), (3, "Nearly every day")]
    assert phq9.items[8] == "Thoughts that you would be better off dead or of hurting yourself in some way"
    assert get_instrument("phq2").items == phq9.items[:2]
    assert get_instrument("gad2").items == get_instrument("gad7").items[:2]
    barc = get_instrument("barc10")
    assert barc.items[0] == "There are more important things to me in life than using substances."
    assert [o.label for o in barc.options][0] == "Strongly disagree" and barc.values == (1, 2, 3, 4, 5, 6)
    for inst in load_instruments().values():
        assert inst.source_citation and inst.checked_against


@pytest.mark.parametrize("key,answers,words", [
    ("phq9", [0] * 8, "9 items and 8 answers"),
    ("phq9", [0] * 10, "too many"),
    ("phq9", [0] * 8 + [4], "Answer 9 is 4, out of range"),
    ("gad7", [0, 0, 0, -1, 0, 0, 0], "Answer 4 is -1"),
    ("barc10", [0] + [3] * 9, "Answer 1 is 0, out of range: BARC-10 answers are 1–6"),
    ("barc10", [3] * 9 + [7], "Answer 10 is 7"),
])
def test_missing_or_out_of_range_answers_are_refused(key, answers, words):
    with pytest.raises(InputError) as info:
        score(get_instrument(key), answers)
    assert words in info.value.message and "Nothing was saved" in info.value.message


@settings(max_examples=200, deadline=None)
@given(key=st.sampled_from(["phq9", "phq2", "gad7", "gad2", "barc10"]),
       answers=st.lists(st.integers(-3, 9), min_size=0, max_size=12))
def test_any_answers_are_either_refused_or_summed_exactly(key, answers):
    inst = get_instrument(key)
    valid = len(answers) == len(inst.items) and all(a in inst.values for a in answers)
    try:
        result = score(inst, answers)
    except InputError:
        assert not valid
        return
    assert valid and result.total == sum(answers) and inst.min <= result.total <= inst.max
    assert (result.band is None) == (key == "barc10")


def _raw(key):
    from importlib import resources

    data = json.loads(resources.files("recoverylog").joinpath("data/instruments.json").read_text("utf-8"))
    return copy.deepcopy(data["instruments"][key])


@pytest.mark.parametrize("change,words", [
    (lambda r: r["bands"].__setitem__(1, dict(r["bands"][1], min=6)), "gap or overlap"),
    (lambda r: r["scoring"].__setitem__("max", 26), "does not match"),
    (lambda r: r["bands"].pop(), "bands stop"),
    (lambda r: r["options"].pop(1), "consecutive"),
    (lambda r: r.pop("source"), "no source"),
])
def test_the_data_file_is_checked_when_loaded(change, words):
    raw = _raw("phq9")
    check_instrument("phq9", raw)  # the shipped data passes
    change(raw)
    with pytest.raises(StorageError) as info:
        check_instrument("phq9", raw)
    assert words in info.value.message


# -- through the CLI ------------------------------------------------------------------------

def _rows(db):
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT instrument, date, total, band, item9_positive, answers FROM assessments").fetchall()
    finally:
        conn.close()


def test_assess_with_answers_saves_the_exact_score(cli, db_path):
    out = cli.json("assess", "phq9", "--answers", "2,2,2,2,2,0,0,0,0", "--date", "2026-11-20", "--json")
    assert out["total"] == 10 and out["band"] == "moderate" and out["item9_positive"] is False
    assert _rows(db_path) == [("phq9", "2026-11-20", 10, "moderate", 0, "[2, 2, 2, 2, 2, 0, 0, 0, 0]")]
    text = cli("assess", "gad7", "--answers", "0,0,0,0,0,0,0", ok=True)
    assert "GAD-7: 0 of 21 (minimal anxiety symptoms)." in text.stderr
    assert "not a diagnosis" in text.stderr


@pytest.mark.parametrize("args", [
    ["assess", "phq9", "--answers", "1,1,1"],
    ["assess", "phq9", "--answers", "1,1,1,1,1,1,1,1,x"],
    ["assess", "barc10", "--answers", ",".join(["0"] * 10)],
    ["assess", "phq9"],                      # no terminal to ask on: refused, not guessed
    ["assess", "phq8", "--answers", "0"],
    ["assess", "phq2", "--answers", "0,0", "--date", "2026-11-22"],   # the future
])
def test_refusals_store_nothing_and_create_no_database(cli, db_path, args):
    result = cli(*args)
    assert result.exit_code in (1, 2, 3) and result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr
    assert not db_path.exists()


def test_a_refusal_leaves_an_existing_database_unchanged(cli, db_path):
    cli("assess", "gad2", "--answers", "1,1", ok=True)
    before = _rows(db_path)
    assert cli("assess", "gad2", "--answers", "1,4").exit_code == 1
    assert _rows(db_path) == before


def test_item_9_alone_shows_the_help_now_panel_with_the_persons_own_plan(cli, db_path):
    cli("plan", "add", "coping", "Walk around the block", ok=True)
    cli("contact", "add", "Sam", "--role", "sponsor", "--phone", "555-0101", ok=True)
    result = cli("assess", "phq9", "--answers", "0,0,0,0,0,0,0,0,1", ok=True)
    assert "PHQ-9: 1 of 27 (minimal depression symptoms)." in result.stderr  # a low total …
    assert "Crisis lines for the United States" in result.stdout               # … and the panel anyway
    assert "988" in result.stdout and "Walk around the block" in result.stdout and "Sam" in result.stdout
    assert _rows(db_path)[0][4] == 1  # item9_positive kept


def test_item_9_at_zero_shows_no_panel_even_with_a_high_total(cli):
    result = cli("assess", "phq9", "--answers", "3,3,3,3,3,3,3,3,0", ok=True)
    assert "severe" in result.stderr and "Crisis lines" not in result.stdout + result.stderr


def test_item_9_with_json_keeps_stdout_for_data_and_the_panel_on_stderr(cli):
    result = cli("assess", "phq9", "--answers", "0,0,0,0,0,0,0,0,2", "--json", ok=True)
    assert json.loads(result.stdout)["item9_positive"] is True
    assert "988" in result.stderr


def test_list_show_delete_keeps_a_revision(cli, db_path):
    cli("assess", "phq2", "--answers", "1,2", "--date", "2026-11-19", ok=True)
    cli("assess", "barc10", "--answers", "5,5,5,5,5,5,5,4,4,4", "--date", "2026-11-20", ok=True)
    items = cli.json("assess", "list", "--json")
    assert [(i["instrument"], i["total"]) for i in items] == [("phq2", 3), ("barc10", 47)]
    only = cli.json("assess", "list", "--instrument", "barc10", "--json")
    assert [i["total"] for i in only] == [47]
    shown = cli.json("assess", "show", str(items[1]["id"]), "--json")
    assert shown["items"][0]["label"] == "Agree" and shown["range"] == [10, 60]
    table = cli("assess", "show", str(items[1]["id"]), ok=True).stdout
    assert "47 or more predicted sustained remission" in table and "not a diagnosis" in table
    assert cli("assess", "delete", str(items[0]["id"])).exit_code == 2  # needs --yes without a terminal
    cli("assess", "delete", str(items[0]["id"]), "--yes", ok=True)
    assert [i["instrument"] for i in cli.json("assess", "list", "--json")] == ["barc10"]
    conn = sqlite3.connect(db_path)
    rev = conn.execute("SELECT entity, action, data FROM revisions WHERE entity = 'assessment'").fetchone()
    conn.close()
    assert rev[0:2] == ("assessment", "delete") and json.loads(rev[2])["total"] == 3
    missing = cli("assess", "show", "999")
    assert missing.exit_code == 3 and "No self-assessment with id 999" in missing.stderr


def test_status_says_when_the_next_phq9_and_gad7_are_due_and_can_be_switched_off(cli, empty_journal):
    assert "Next PHQ-9" not in cli("status", ok=True).stdout  # never taken: no reminder
    cli("assess", "phq9", "--answers", "0,0,0,0,0,0,0,0,0", "--date", "2026-11-10", ok=True)
    cli("assess", "gad7", "--answers", "0,0,0,0,0,0,0", "--date", "2026-11-20", ok=True)
    cli("assess", "barc10", "--answers", ",".join(["3"] * 10), ok=True)
    doc = cli.json("status", "--json")
    due = {d["instrument"]: d for d in doc["assessments_due"]}
    assert set(due) == {"phq9", "gad7"}  # BARC-10 has no reminder
    assert due["phq9"]["due"] == "2026-11-24" and due["phq9"]["days_until"] == 3
    assert due["gad7"]["due"] == "2026-12-04"
    text = cli("status", ok=True).stdout
    assert "Next PHQ-9: due Tue 24 Nov (in 3 days)." in text
    overdue = cli("status", now="2026-11-30T10:00:00+00:00", ok=True).stdout
    assert "Next PHQ-9: due since Tue 24 Nov" in overdue
    cli("config", "set", "assessment-reminders", "off", ok=True)
    assert "Next PHQ-9" not in cli("status", ok=True).stdout
    assert "assessments_due" not in cli.json("status", "--json")


def test_report_has_an_assessments_section_with_latest_previous_change_and_band(cli):
    cli("assess", "phq9", "--answers", "2,2,2,2,2,0,0,0,0", "--date", "2026-11-16", ok=True)
    cli("assess", "phq9", "--answers", "1,1,1,1,0,0,0,0,0", "--date", "2026-11-20", ok=True)
    doc = cli.json("report", "-f", "json")
    (phq,) = doc["assessments"]
    assert phq["latest"]["total"] == 4 and phq["previous"]["total"] == 10 and phq["change"] == -6
    assert phq["band"] == "minimal" and phq["in_period"] == 2
    assert "PHQ-9: 4 of 27 on 2026-11-20, minimal depression symptoms (−6 since 2026-11-16)" in \
        cli("report", "-f", "markdown", ok=True).stdout
    assert "Self-assessments and medication" in cli("report", ok=True).stdout


def test_help_texts(cli):
    for args in (["assess", "--help"], ["assess", "list", "--help"], ["med", "--help"], ["med", "taken", "--help"]):
        result = cli(*args, ok=True)
        assert "Usage" in result.stdout
    assert "not a diagnosis" in cli("assess", "--help", ok=True).stdout


def test_on_a_terminal_each_item_is_asked_and_a_wrong_answer_asked_again(cli, db_path, monkeypatch):
    import recoverylog.cli.assess as assess_cli

    monkeypatch.setattr(assess_cli, "interactive", lambda: True)
    # Item 1 first gets 7 (not an option), then 3; the other six items 0.
    result = cli("assess", "gad7", input="7\n3\n0\n0\n0\n0\n0\n0\n", ok=True)
    assert "Feeling nervous, anxious, or on edge" in result.stderr
    assert "0 = Not at all" in result.stderr and "Please enter one of 0, 1, 2, 3." in result.stderr
    assert _rows(db_path)[0][:4] == ("gad7", "2026-11-21", 3, "minimal")


def test_stopping_half_way_stores_nothing(cli, db_path, monkeypatch):
    import recoverylog.cli.assess as assess_cli

    monkeypatch.setattr(assess_cli, "interactive", lambda: True)
    result = cli("assess", "phq9", input="1\n2\n")  # the input ends after two items
    assert result.exit_code != 0 and "Traceback" not in result.stderr
    assert not db_path.exists() or _rows(db_path) == []
