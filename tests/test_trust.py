"""Signed summaries, the trust list, verified review, court sheets reviewed, and replies that come back.

Two journals per test: the person's (`person.db`) and the sponsor's (`sponsor.db`), each with
its own key file beside it, driven through the CLI as each of them would type it."""

from __future__ import annotations

import base64
import json
import stat
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverylog import signing
from recoverylog.exports.envelope import compute_digest, dumps
from summary_seed import export_json, seed_person


@pytest.fixture
def person(tmp_path: Path) -> Path:
    return tmp_path / "person" / "person.db"


@pytest.fixture
def sponsor(tmp_path: Path) -> Path:
    return tmp_path / "sponsor" / "sponsor.db"


def as_(db: Path, *args) -> list[str]:
    return ["--db", str(db), *map(str, args)]


def _seeded(cli, db: Path, **kw) -> Path:
    seed_person(cli, db, **kw)
    return db


def _key_init(cli, db: Path) -> str:
    result = cli(*as_(db, "key", "init"), ok=True)
    return result.stdout.split("Fingerprint:")[1].strip()


def _trust_person(cli, person: Path, sponsor: Path, tmp_path: Path, name: str = "Jo") -> None:
    """The sponsor trusts the person's key from a `key export-public` file (after comparing it)."""
    pub = tmp_path / f"{name}.pub"
    cli(*as_(person, "key", "export-public", pub), ok=True)
    cli(*as_(sponsor, "trust", "add", pub, "--name", name), ok=True)


def _review(cli, db: Path, *files) -> dict:
    return cli.json(*as_(db, "review", *files, "--format", "json"))


def _resign(doc: dict, pair: signing.KeyPair | None = None) -> dict:
    """What someone editing a file would do: recompute the digest (and sign with their own key)."""
    doc = {k: v for k, v in doc.items() if k not in ("digest", "signature")}
    doc["digest"] = compute_digest(doc)
    return signing.sign_document(pair, doc) if pair else doc


# -- the signing module itself -----------------------------------------------------------------

def test_sign_then_verify_and_every_change_is_caught():
    pair = signing.generate_key()
    doc = {"format": "x", "data": {"a": 1, "text": "naïve"}, "digest": "sha256:0"}
    signed = signing.sign_document(pair, doc)
    assert signed["signature"]["alg"] == "ed25519"
    assert base64.b64decode(signed["signature"]["public_key"]) == pair.public_key
    assert signing.check_document(signed).state == "valid"
    # The digest is not signed content, so it can be corrected without touching the signature...
    assert signing.check_document(dict(signed, digest="sha256:1")).state == "valid"
    # ...but the content is.
    changed = json.loads(json.dumps(signed))
    changed["data"]["a"] = 2
    assert signing.check_document(changed).state == "invalid"
    assert signing.check_document({"data": {}}).state == "unsigned"


def test_fingerprint_is_short_readable_and_stable():
    raw = bytes(range(32))
    fp = signing.fingerprint(raw)
    assert fp == signing.fingerprint(raw)
    groups = fp.split("-")
    assert len(groups) == 5 and all(len(g) == 4 for g in groups)
    assert set(fp.replace("-", "")) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert fp != signing.fingerprint(bytes(31) + b"\x01")
    assert signing.normalize_fingerprint(fp.lower().replace("-", " ")) == signing.normalize_fingerprint(fp)


def test_signing_input_is_the_digest_content():
    import hashlib

    doc = {"format": "recoverylog-summary", "data": {"b": [1, 2]}, "person": {"name": "Zoë"}}
    doc["digest"] = compute_digest(doc)
    signed = signing.sign_document(signing.generate_key(), doc)
    assert "sha256:" + hashlib.sha256(signing.signing_input(signed)).hexdigest() == signed["digest"]
    assert compute_digest(signed) == doc["digest"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sig=st.one_of(st.none(), st.integers(), st.text(max_size=30),
                     st.dictionaries(st.sampled_from(["alg", "public_key", "value", "fingerprint"]),
                                     st.one_of(st.text(max_size=100), st.integers(), st.none(), st.just("ed25519")))))
def test_a_hostile_signature_object_is_invalid_never_an_error(sig):
    checked = signing.check_document({"data": {}, "signature": sig})
    assert checked.state == "invalid" and checked.reason


_PAIR = signing.generate_key()


@settings(max_examples=80, deadline=None)
@given(data=st.dictionaries(st.text(max_size=6), st.one_of(st.integers(), st.text(max_size=10)), min_size=1,
                            max_size=6),
       pick=st.integers(min_value=0), new=st.one_of(st.integers(), st.text(max_size=10)))
def test_any_change_to_signed_content_is_invalid(data, pick, new):
    doc = {"format": "recoverylog-summary", "data": data}
    doc["digest"] = compute_digest(doc)
    signed = signing.sign_document(_PAIR, doc)
    assert signing.check_document(signed).state == "valid"
    key = sorted(data)[pick % len(data)]
    if data[key] == new or (type(data[key]) is type(new) and data[key] == new):
        return
    changed = dict(signed, data=dict(data, **{key: new}))
    assert signing.check_document(changed).state == "invalid"


# -- keys -------------------------------------------------------------------------------------

def test_key_init_makes_a_private_file_beside_the_database(cli, person):
    fp = _key_init(cli, person)
    key_file = person.with_name("person.db.key")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    shown = cli.json(*as_(person, "key", "show", "--json"))
    assert shown["fingerprint"] == fp and shown["alg"] == "ed25519"
    assert len(base64.b64decode(shown["public_key"])) == 32
    assert "PRIVATE" not in json.dumps(shown)
    again = cli(*as_(person, "key", "init"))
    assert again.exit_code == 1 and "already has a signing key" in again.stderr
    assert cli.json(*as_(person, "key", "show", "--json"))["fingerprint"] == fp


def test_key_show_without_a_key_says_how(cli, person):
    result = cli(*as_(person, "key", "show"))
    assert result.exit_code == 3 and "key init" in result.stderr


def test_private_key_moves_by_export_and_import(cli, person, tmp_path):
    fp = _key_init(cli, person)
    moved = tmp_path / "moving.pem"
    result = cli(*as_(person, "key", "export-private", moved), ok=True)
    assert "PRIVATE" in result.stderr and "Never send it" in result.stderr
    assert stat.S_IMODE(moved.stat().st_mode) == 0o600
    new_db = tmp_path / "new" / "journal.db"
    result = cli(*as_(new_db, "key", "import-private", moved), ok=True)
    assert fp in result.stdout
    assert cli.json(*as_(new_db, "key", "show", "--json"))["fingerprint"] == fp
    # A different key is refused unless --replace, and the old one is kept.
    other = tmp_path / "other" / "x.db"
    _key_init(cli, other)
    cli(*as_(other, "key", "export-private", tmp_path / "other.pem"), ok=True)
    refused = cli(*as_(new_db, "key", "import-private", tmp_path / "other.pem"))
    assert refused.exit_code == 1 and "another signing key" in refused.stderr
    cli(*as_(new_db, "key", "import-private", tmp_path / "other.pem", "--replace"), ok=True)
    assert new_db.with_name("journal.db.key.replaced-1").exists()


def test_import_private_refuses_what_is_not_a_key(cli, person, tmp_path):
    bad = tmp_path / "bad.pem"
    bad.write_text("-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n")
    result = cli(*as_(person, "key", "import-private", bad))
    assert result.exit_code == 1 and result.stderr.startswith("Error:") and "Traceback" not in result.stderr
    assert not person.with_name("person.db.key").exists()


# -- signed exports ---------------------------------------------------------------------------

def test_unsigned_export_suggests_key_init_once(cli, person, tmp_path):
    _seeded(cli, person)
    first = cli(*as_(person, "export", "-f", "json", "-o", tmp_path / "a.json"), ok=True)
    assert "key init" in first.stderr
    assert "signature" not in json.loads((tmp_path / "a.json").read_text())
    second = cli(*as_(person, "export", "-f", "json", "-o", tmp_path / "b.json"), ok=True)
    assert "key init" not in second.stderr


def test_signed_export_names_the_fingerprint_in_every_format(cli, person, tmp_path):
    _seeded(cli, person)
    fp = _key_init(cli, person)
    doc = export_json(cli, person, tmp_path / "s.json")
    assert doc["signature"]["fingerprint"] == fp and doc["signature"]["alg"] == "ed25519"
    assert set(doc["signature"]) == {"alg", "public_key", "fingerprint", "value"}
    assert doc["digest"] == compute_digest(doc)
    for profile, fmt in (("sponsor", "markdown"), ("sponsor", "html"), ("court", "markdown"), ("court", "html")):
        out = tmp_path / f"{profile}.{fmt}"
        cli(*as_(person, "export", "--profile", profile, "-f", fmt, "-o", out), ok=True)
        assert fp in out.read_text(), (profile, fmt)
    court = tmp_path / "court.json"
    cli(*as_(person, "export", "--profile", "court", "-f", "json", "-o", court), ok=True)
    assert json.loads(court.read_text())["signature"]["fingerprint"] == fp


def test_signed_exports_match_the_schema(cli, person, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(resources.files("recoverylog").joinpath("data/summary.schema.json").read_text("utf-8"))
    _seeded(cli, person)
    _key_init(cli, person)
    jsonschema.validate(export_json(cli, person, tmp_path / "s.json"), schema)
    cli(*as_(person, "export", "--profile", "court", "-f", "json", "-o", tmp_path / "c.json"), ok=True)
    jsonschema.validate(json.loads((tmp_path / "c.json").read_text()), schema)
    cli(*as_(person, "export", "--profile", "full", "-o", tmp_path / "f.json"), ok=True)
    jsonschema.validate(json.loads((tmp_path / "f.json").read_text()), schema)


def test_private_key_is_absent_from_every_export(cli, person, tmp_path):
    _seeded(cli, person)
    _key_init(cli, person)
    pem = person.with_name("person.db.key").read_bytes()
    seed = signing.raw_private_bytes(pem)
    body = b"".join(line for line in pem.splitlines() if not line.startswith(b"-----"))
    needles = {
        "raw": seed, "hex": seed.hex().encode(), "HEX": seed.hex().upper().encode(),
        "base64": base64.b64encode(seed).rstrip(b"="), "base64url": base64.urlsafe_b64encode(seed).rstrip(b"="),
        "pem body": body, "pem header": b"PRIVATE KEY",
    }
    written = []
    for profile, formats in (("sponsor", ("markdown", "html", "json", "csv")), ("court", ("csv", "markdown", "html", "json")),
                             ("care", ("markdown", "html", "json")), ("full", ("json",))):
        for fmt in formats:
            out = tmp_path / f"{profile}-{fmt}"
            cli(*as_(person, "export", "--profile", profile, "-f", fmt, "--include-notes", "-o", out), ok=True)
            written.append(out)
    backup = tmp_path / "backup.db"
    cli(*as_(person, "db", "backup", backup), ok=True)
    written.append(backup)
    for out in written:
        data = out.read_bytes()
        assert len(data) > 100
        for what, needle in needles.items():
            assert needle not in data, (out.name, what)
    # The search would catch a leak: it finds the key in the file `key export-private` writes.
    leaked = tmp_path / "leaked.pem"
    cli(*as_(person, "key", "export-private", leaked), ok=True)
    assert needles["pem body"] in leaked.read_bytes() and needles["pem header"] in leaked.read_bytes()


def test_full_backup_says_the_key_is_not_in_it_and_how_to_move_it(cli, person, tmp_path):
    _seeded(cli, person)
    _key_init(cli, person)
    result = cli(*as_(person, "export", "--profile", "full", "-o", tmp_path / "f.json"), ok=True)
    assert "key export-private" in result.stderr and "key import-private" in result.stderr
    doc = json.loads((tmp_path / "f.json").read_text())
    assert doc["data"]["signing_key"]["included"] is False
    assert "import-private" in doc["data"]["signing_key"]["how_to_move"]


# -- review: who signed it ---------------------------------------------------------------------

def test_review_verified_by_a_trusted_key(cli, person, sponsor, tmp_path):
    _seeded(cli, person)
    fp = _key_init(cli, person)
    summary = tmp_path / "jo.json"
    export_json(cli, person, summary)
    _trust_person(cli, person, sponsor, tmp_path)
    out = _review(cli, sponsor, summary)
    sig = out["overview"][0]["signature"]
    assert sig == {"status": "verified", "signer": "Jo", "fingerprint": fp, "reason": None}
    table = cli(*as_(sponsor, "review", summary), ok=True)
    assert "Signed by Jo" in table.stdout and "unchanged since signing" in table.stdout


def test_review_untrusted_when_the_key_is_not_in_the_list(cli, person, sponsor, tmp_path):
    _seeded(cli, person)
    fp = _key_init(cli, person)
    summary = tmp_path / "jo.json"
    export_json(cli, person, summary)
    sig = _review(cli, sponsor, summary)["overview"][0]["signature"]
    assert sig["status"] == "untrusted" and sig["signer"] is None and sig["fingerprint"] == fp
    text = cli(*as_(sponsor, "review", summary), ok=True).stdout
    assert "trust add" in text and fp in text


def test_edited_file_with_recomputed_digest_is_invalid_and_listed_first(cli, person, sponsor, tmp_path):
    _seeded(cli, person)
    _key_init(cli, person)
    honest = tmp_path / "honest.json"
    export_json(cli, person, honest)
    edited = json.loads(honest.read_text())
    edited["data"]["checkins"]["days"] = 10
    edited["data"]["high_craving_days"] = 0
    edited["digest"] = compute_digest(edited)          # the naive edit the digest alone cannot catch
    edited["person"]["name"] = edited["person"]["name"]
    edited_path = tmp_path / "edited.json"
    edited_path.write_text(dumps(edited))
    _trust_person(cli, person, sponsor, tmp_path)
    out = _review(cli, sponsor, honest, edited_path)
    first = out["overview"][0]
    assert first["file"] == str(edited_path)
    assert first["digest_ok"] is True
    assert first["signature"]["status"] == "invalid" and first["signature"]["signer"] is None
    assert first["flags"][0] == "signature_invalid"
    assert out["overview"][1]["signature"]["status"] == "verified"
    table = cli(*as_(sponsor, "review", edited_path), ok=True).stdout
    assert "does NOT match" in table


def test_file_re_signed_by_another_key_is_untrusted(cli, person, sponsor, tmp_path):
    _seeded(cli, person)
    _key_init(cli, person)
    summary = tmp_path / "jo.json"
    doc = export_json(cli, person, summary)
    _trust_person(cli, person, sponsor, tmp_path)
    forged = _resign(json.loads(json.dumps(doc)) | {"data": dict(doc["data"], high_craving_days=0)},
                     signing.generate_key())
    forged_path = tmp_path / "forged.json"
    forged_path.write_text(dumps(forged))
    sig = _review(cli, sponsor, forged_path)["overview"][0]["signature"]
    assert sig["status"] == "untrusted" and sig["signer"] is None
    assert sig["fingerprint"] != cli.json(*as_(person, "key", "show", "--json"))["fingerprint"]


def test_unsigned_file_of_todays_format_still_reviews(cli, person, sponsor, tmp_path):
    _seeded(cli, person)
    summary = tmp_path / "plain.json"
    doc = export_json(cli, person, summary)
    assert "signature" not in doc
    out = _review(cli, sponsor, summary)
    row = out["overview"][0]
    assert row["signature"]["status"] == "unsigned" and row["digest_ok"] is True
    assert "signature_invalid" not in row["flags"]
    assert "Not signed" in cli(*as_(sponsor, "review", summary), ok=True).stdout
    assert not sponsor.exists()  # review never creates the reader's database


def test_review_flags_the_message_and_a_hard_week_for_mood(cli, person, sponsor, tmp_path):
    _seeded(cli, person, moods=[6, 6, 5, 2, 6, 6, 6, 6, 6, 6])
    summary = tmp_path / "jo.json"
    export_json(cli, person, summary, "--message", "the holidays worry me")
    row = _review(cli, sponsor, summary)["overview"][0]
    assert "low_mood" in row["flags"] and "message" in row["flags"]
    assert row["mood_min"] == 2 and row["message"] == "the holidays worry me"
    assert any("the holidays worry me" in t for t in row["flag_text"])


def test_a_low_mean_alone_is_a_hard_week_and_a_steady_week_is_not(cli, tmp_path):
    low, steady = tmp_path / "low.db", tmp_path / "steady.db"
    _seeded(cli, low, moods=[3] * 10)
    _seeded(cli, steady, moods=[4] * 10)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    export_json(cli, low, a)
    export_json(cli, steady, b)
    rows = {r["file"]: r for r in _review(cli, tmp_path / "reader.db", a, b)["overview"]}
    assert "low_mood" in rows[str(a)]["flags"] and rows[str(a)]["mood_mean"] == 3
    assert "low_mood" not in rows[str(b)]["flags"] and "message" not in rows[str(b)]["flags"]


# -- court sheets -------------------------------------------------------------------------------

def test_court_sheet_reviewed_against_the_published_key(cli, person, sponsor, tmp_path):
    _seeded(cli, person)
    _key_init(cli, person)
    sheet = tmp_path / "court.json"
    cli(*as_(person, "export", "--profile", "court", "-f", "json", "-o", sheet), ok=True)
    _trust_person(cli, person, sponsor, tmp_path, name="Jo Smith")
    original = json.loads(sheet.read_text())
    out = _review(cli, sponsor, sheet)
    assert out["overview"] == []
    court = out["court_sheets"][0]
    assert court["signature"]["status"] == "verified" and court["signature"]["signer"] == "Jo Smith"
    assert court["meetings"] == original["data"]["meetings"] == len(court["rows"]) == 3
    assert court["rows"][0]["name"] == "Thursday Step Group"
    req = court["requirements"][0]
    assert req["label"] == "court"
    assert req["counted"] == sum(p["counted"] for p in original["data"]["requirements"][0]["periods"])
    assert "mood" not in json.dumps(court) and "craving" not in json.dumps(court)
    table = cli(*as_(sponsor, "review", sheet), ok=True).stdout
    assert "Thursday Step Group" in table and "Signed by Jo Smith" in table
    md = cli(*as_(sponsor, "review", sheet, "--format", "markdown"), ok=True).stdout
    assert "Signed by Jo Smith" in md and "Thursday Step Group" in md
    # A row removed and the digest recomputed: the signature shows it.
    original["data"]["rows"] = original["data"]["rows"][1:]
    original["digest"] = compute_digest(original)
    sheet.write_text(dumps(original))
    court = _review(cli, sponsor, sheet)["court_sheets"][0]
    assert court["signature"]["status"] == "invalid" and court["flags"][0] == "signature_invalid"


# -- trust list ---------------------------------------------------------------------------------

def test_trust_add_list_remove(cli, person, sponsor, tmp_path):
    fp = _key_init(cli, person)
    key = cli.json(*as_(person, "key", "show", "--json"))["public_key"]
    added = cli(*as_(sponsor, "trust", "add", key, "--name", "Jo"), ok=True)
    assert fp in added.stdout
    listed = cli.json(*as_(sponsor, "trust", "list", "--json"))
    assert [(k["name"], k["fingerprint"]) for k in listed] == [("Jo", fp)]
    dup = cli(*as_(sponsor, "trust", "add", key, "--name", "Joanne"))
    assert dup.exit_code == 1 and "already trust this key as Jo" in dup.stderr
    assert "Jo" in cli(*as_(sponsor, "trust", "list"), ok=True).stdout
    cli(*as_(sponsor, "trust", "remove", "jo"), ok=True)
    assert cli.json(*as_(sponsor, "trust", "list", "--json")) == []
    missing = cli(*as_(sponsor, "trust", "remove", "Jo"))
    assert missing.exit_code == 3 and missing.stderr.startswith("Error:")


def test_trust_add_from_a_signed_summary_and_refusals(cli, person, sponsor, tmp_path):
    _seeded(cli, person)
    fp = _key_init(cli, person)
    summary = tmp_path / "jo.json"
    export_json(cli, person, summary)
    assert fp in cli(*as_(sponsor, "trust", "add", summary, "--name", "Jo"), ok=True).stdout
    private = tmp_path / "priv.pem"
    cli(*as_(person, "key", "export-private", private), ok=True)
    refused = cli(*as_(sponsor, "trust", "add", private, "--name", "X"))
    assert refused.exit_code == 1 and "PRIVATE key" in refused.stderr
    assert cli(*as_(sponsor, "trust", "add", "not-a-key", "--name", "Y")).exit_code == 1
    assert cli(*as_(sponsor, "trust", "add", "nope/missing.pub", "--name", "Y")).exit_code == 3
    assert cli(*as_(sponsor, "trust", "add", summary, "--name", "  ")).exit_code == 1
    assert [k["name"] for k in cli.json(*as_(sponsor, "trust", "list", "--json"))] == ["Jo"]


# -- replies ------------------------------------------------------------------------------------

def _reply(cli, sponsor: Path, summary: Path, out: Path, *extra) -> dict:
    cli(*as_(sponsor, "reply", summary, "--note", "Proud of the meetings.\nCall me Sunday.", *extra, "-o", out), ok=True)
    return json.loads(out.read_text())


def test_reply_round_trip(cli, person, sponsor, tmp_path):
    _seeded(cli, person)
    _key_init(cli, person)
    sponsor_fp = _key_init(cli, sponsor)
    summary = tmp_path / "jo.json"
    doc = export_json(cli, person, summary)
    reply_file = tmp_path / "reply.json"
    reply = _reply(cli, sponsor, summary, reply_file, "--ask", "How was Thursday?", "--suggest-goal",
                   "Call me twice a week", "--suggest-goal", "Read step 4", "--name", "Sam")
    assert reply["in_reply_to"]["digest"] == doc["digest"]
    assert reply["in_reply_to"]["period"]["start"] == doc["period"]["start"]
    assert reply["signature"]["fingerprint"] == sponsor_fp and reply["digest"] == compute_digest(reply)
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(resources.files("recoverylog").joinpath("data/reply.schema.json").read_text("utf-8"))
    jsonschema.validate(reply, schema)

    # The person trusts the sponsor's key, then adds the reply.
    pub = tmp_path / "sam.pub"
    cli(*as_(sponsor, "key", "export-public", pub), ok=True)
    cli(*as_(person, "trust", "add", pub, "--name", "Sam"), ok=True)
    goals_before = cli.json(*as_(person, "goal", "list", "--json"))
    added = cli(*as_(person, "inbox", "add", reply_file), ok=True)
    assert "Signed by Sam" in added.stdout
    assert cli.json(*as_(person, "goal", "list", "--json")) == goals_before   # never on import
    inbox = cli.json(*as_(person, "inbox", "--json"))
    assert len(inbox) == 1
    item = inbox[0]
    assert item["signature"] == {"status": "verified", "signer": "Sam", "fingerprint": sponsor_fp}
    assert item["summary"]["digest"] == doc["digest"] and item["summary"]["period"]["start"] == doc["period"]["start"]
    assert item["note"] == "Proud of the meetings.\nCall me Sunday." and item["ask"] == "How was Thursday?"
    assert [g["title"] for g in item["suggested_goals"]] == ["Call me twice a week", "Read step 4"]
    shown = cli(*as_(person, "inbox", "show", item["number"]), ok=True).stdout
    assert "Call me Sunday." in shown and "How was Thursday?" in shown

    again = cli(*as_(person, "inbox", "add", reply_file))
    assert again.exit_code == 1 and "already in your inbox" in again.stderr

    ambiguous = cli(*as_(person, "inbox", "accept", item["number"]))
    assert ambiguous.exit_code == 2 and "--goal" in ambiguous.stderr
    cli(*as_(person, "inbox", "accept", item["number"], "--goal", "2"), ok=True)
    titles = [g["title"] for g in cli.json(*as_(person, "goal", "list", "--json"))]
    assert "Read step 4" in titles and "Call me twice a week" not in titles
    twice = cli(*as_(person, "inbox", "accept", item["number"], "--goal", "2"))
    assert twice.exit_code == 1 and "already took on" in twice.stderr

    # Replies never appear in a sponsor or court export; the next summary names the answered one.
    for profile, fmt in (("sponsor", "json"), ("sponsor", "markdown"), ("sponsor", "html"), ("court", "json"),
                         ("court", "csv")):
        out = tmp_path / f"next-{profile}.{fmt}"
        cli(*as_(person, "export", "--profile", profile, "-f", fmt, "-o", out), ok=True)
        text = out.read_text()
        assert "Proud of the meetings" not in text and "How was Thursday" not in text
    nxt = json.loads((tmp_path / "next-sponsor.json").read_text())
    assert [a["digest"] for a in nxt["data"]["answered_summaries"]] == [doc["digest"]]
    assert "Replies received" in (tmp_path / "next-sponsor.markdown").read_text()

    # The person's own full backup carries replies, identical after a round trip.
    backup = tmp_path / "full.json"
    cli(*as_(person, "export", "--profile", "full", "-o", backup), ok=True)
    assert "Proud of the meetings" in backup.read_text()
    restored = tmp_path / "restored.db"
    cli(*as_(restored, "import", backup), ok=True)
    again_backup = tmp_path / "full2.json"
    cli(*as_(restored, "export", "--profile", "full", "-o", again_backup), ok=True)
    t1 = json.loads(backup.read_text())["data"]["tables"]
    t2 = json.loads(again_backup.read_text())["data"]["tables"]
    for table in ("replies", "reply_goals", "trusted_keys"):
        assert t1[table] and t1[table] == t2[table], table
    assert cli.json(*as_(restored, "inbox", "--json")) == cli.json(*as_(person, "inbox", "--json"))


def test_inbox_refuses_a_reply_to_a_summary_not_exported_here(cli, person, sponsor, tmp_path):
    other = tmp_path / "other.db"
    _seeded(cli, other)
    summary = tmp_path / "other.json"
    export_json(cli, other, summary)
    reply_file = tmp_path / "r.json"
    _reply(cli, sponsor, summary, reply_file)
    _seeded(cli, person)
    result = cli(*as_(person, "inbox", "add", reply_file))
    assert result.exit_code == 3 and "not in your export log" in result.stderr
    assert cli.json(*as_(person, "inbox", "--json")) == []


def test_inbox_refuses_a_reply_changed_after_signing(cli, person, sponsor, tmp_path):
    _seeded(cli, person)
    _key_init(cli, sponsor)
    summary = tmp_path / "jo.json"
    export_json(cli, person, summary)
    reply_file = tmp_path / "r.json"
    reply = _reply(cli, sponsor, summary, reply_file, "--suggest-goal", "Call me daily")
    reply["suggested_goals"] = ["Stop going to meetings"]
    reply["digest"] = compute_digest(reply)
    reply_file.write_text(dumps(reply))
    result = cli(*as_(person, "inbox", "add", reply_file))
    assert result.exit_code == 1 and "signature does not match" in result.stderr
    assert cli.json(*as_(person, "inbox", "--json")) == []


def test_unsigned_and_untrusted_replies_are_kept_and_say_so(cli, person, sponsor, tmp_path):
    _seeded(cli, person)
    summary = tmp_path / "jo.json"
    export_json(cli, person, summary)
    unsigned = tmp_path / "u.json"
    _reply(cli, sponsor, summary, unsigned, "--name", "Sam")
    result = cli(*as_(person, "inbox", "add", unsigned), ok=True)
    assert "Not signed" in result.stdout
    _key_init(cli, sponsor)
    signed = tmp_path / "s.json"
    cli(*as_(sponsor, "reply", summary, "--note", "second", "-o", signed), ok=True)
    result = cli(*as_(person, "inbox", "add", signed), ok=True)
    assert "not in your trust list" in result.stdout
    inbox = cli.json(*as_(person, "inbox", "--json"))
    assert [r["signature"]["status"] for r in inbox] == ["untrusted", "unsigned"]   # newest first
    assert "not signed" in cli(*as_(person, "inbox"), ok=True).stdout


def test_reply_refuses_an_altered_summary_and_needs_a_note(cli, person, sponsor, tmp_path):
    _seeded(cli, person)
    summary = tmp_path / "jo.json"
    doc = export_json(cli, person, summary)
    doc["data"]["checkins"]["days"] = 99
    summary.write_text(dumps(doc))
    result = cli(*as_(sponsor, "reply", summary, "--note", "hi", "-o", tmp_path / "r.json"))
    assert result.exit_code == 1 and "changed after it was exported" in result.stderr
    assert not (tmp_path / "r.json").exists()
    fresh = tmp_path / "fresh.json"
    export_json(cli, person, fresh)
    result = cli(*as_(sponsor, "reply", fresh, "--note", "   ", "-o", tmp_path / "r.json"))
    assert result.exit_code == 2 and not (tmp_path / "r.json").exists()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20)),
                          lambda c: st.one_of(st.lists(c, max_size=3), st.dictionaries(st.text(max_size=8), c, max_size=4)),
                          max_leaves=12))
def test_inbox_add_of_hostile_json_is_one_error_line(cli, tmp_path, value):
    db = tmp_path / "hostile.db"
    path = tmp_path / "hostile.json"
    doc = value if not isinstance(value, dict) else dict(value, format="recoverylog-reply", version=1)
    path.write_text(json.dumps(doc))
    result = cli(*as_(db, "inbox", "add", path))
    assert result.exit_code in (1, 3) and result.stderr.startswith("Error:")


# -- week over week -------------------------------------------------------------------------------

def test_previous_period_in_json_and_every_format(cli, person, tmp_path):
    # 14 days seeded; the default summary is the last 7, so the 7 before are the previous period.
    _seeded(cli, person, days=14, used_on=(2,), skip=(5,), meetings=(1, 4, 9), cravings=[5] * 7 + [2] * 7)
    doc = export_json(cli, person, tmp_path / "s.json")
    prev = doc["data"]["previous_period"]
    assert (prev["start"], prev["end"], prev["days"]) == ("2026-11-08", "2026-11-14", 7)
    assert prev["checkin_days"] == 6 and prev["meetings"] == 2 and prev["craving_mean"] == 5
    assert prev["substances"] == [{"name": "alcohol", "use_days": 1, "recorded_days": 6}]
    # The same figures as the report for that period (one computation).
    report = cli.json(*as_(person, "report", "--since", "2026-11-08", "--until", "2026-11-14", "-f", "json"))
    assert report["checkins"]["days"] == prev["checkin_days"]
    for fmt in ("markdown", "html"):
        out = tmp_path / f"s.{fmt}"
        cli(*as_(person, "export", "-f", fmt, "-o", out), ok=True)
        text = out.read_text()
        assert "Compared with the period before" in text and "2026-11-08" in text
    table = cli("review", tmp_path / "s.json", ok=True).stdout
    assert "2026-11-08 to 2026-11-14" in table and "Check-in days: 6" in table
    overview = cli.json("review", tmp_path / "s.json", "--format", "json")["overview"][0]
    assert overview["previous_period"] == prev


def test_reading_the_trust_list_or_inbox_creates_no_journal(cli, tmp_path):
    db = tmp_path / "none" / "j.db"
    assert "No trusted keys yet" in cli(*as_(db, "trust", "list"), ok=True).stdout
    assert cli.json(*as_(db, "trust", "list", "--json")) == []
    assert "No replies yet" in cli(*as_(db, "inbox"), ok=True).stdout
    assert cli.json(*as_(db, "inbox", "--json")) == []
    assert not db.exists()


def test_key_files_are_not_written_over_without_force(cli, person, tmp_path):
    _key_init(cli, person)
    target = tmp_path / "pub.pem"
    target.write_text("keep me")
    result = cli(*as_(person, "key", "export-public", target))
    assert result.exit_code == 1 and "--force" in result.stderr and target.read_text() == "keep me"
    cli(*as_(person, "key", "export-public", target, "--force"), ok=True)
    assert target.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    folder = cli(*as_(person, "key", "export-private", tmp_path))
    assert folder.exit_code == 1 and "folder" in folder.stderr


_JSONISH = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**12, max_value=10**12),
                                  st.text(max_size=12), st.sampled_from(["2026-11-20", "2026-13-01", "x"])),
                        lambda c: st.one_of(st.lists(c, max_size=3), st.dictionaries(st.text(max_size=8), c, max_size=4)),
                        max_leaves=15)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_JSONISH, max_size=4), requirements=_JSONISH, period=_JSONISH, signature=_JSONISH)
def test_review_of_a_hostile_court_sheet_never_breaks(cli, tmp_path, rows, requirements, period, signature):
    doc = {"format": "recoverylog-summary", "version": 1, "profile": "court", "generated_at": "2026-11-21T10:00:00Z",
           "period": period, "person": {"name": "x"},
           "data": {"rows": rows + [{"date": "2026-11-20", "name": "Group"}], "requirements": requirements}}
    doc["digest"] = compute_digest(doc)
    if signature is not None:
        doc["signature"] = signature
    path = tmp_path / "hostile-court.json"
    path.write_text(json.dumps(doc))
    for fmt in ("json", "table", "markdown"):
        result = cli("--db", tmp_path / "reader.db", "review", path, "--format", fmt)
        assert result.exit_code in (0, 1), result.stderr
        assert "Traceback" not in result.stdout + result.stderr
    result = cli("--db", tmp_path / "reader.db", "review", path, "--format", "json")
    out = json.loads(result.stdout)
    if result.exit_code == 1:  # refused whole (one line): nothing of it is shown
        assert result.stderr.startswith("Error:") and out["court_sheets"] == []
        return
    sig = out["court_sheets"][0]["signature"]["status"]
    assert sig == ("unsigned" if signature is None else "invalid")


def test_inbox_add_checks_the_reply_schema_first(cli, person, sponsor, tmp_path):
    _seeded(cli, person)
    summary = tmp_path / "jo.json"
    export_json(cli, person, summary)
    reply_file = tmp_path / "r.json"
    reply = _reply(cli, sponsor, summary, reply_file)
    reply["suggested_goals"] = ["x"] * 11
    reply["digest"] = compute_digest(reply)
    reply_file.write_text(dumps(reply))
    result = cli(*as_(person, "inbox", "add", reply_file))
    assert result.exit_code == 1 and "does not match the recoverylog reply format" in result.stderr
    assert "$.suggested_goals" in result.stderr
    assert cli.json(*as_(person, "inbox", "--json")) == []


def test_reply_refuses_typed_control_characters(cli, person, sponsor, tmp_path):
    _seeded(cli, person)
    summary = tmp_path / "jo.json"
    export_json(cli, person, summary)
    for option, value in (("--note", "hi\x1b[31m"), ("--ask", "line\nbreak"), ("--suggest-goal", "a\x07")):
        args = ["--note", "ok"] if option != "--note" else []
        result = cli(*as_(sponsor, "reply", summary, *args, option, value, "-o", tmp_path / "r.json"))
        assert result.exit_code == 1 and result.stderr.startswith("Error:"), option
        assert not (tmp_path / "r.json").exists()


def test_review_checks_a_signed_summary_on_the_content_it_read_once(cli, person, sponsor, tmp_path, monkeypatch):
    """The signing input review hands the signature check is the one it made for the digest:
    `signing_input` is not called again, and the answer is the full check's."""
    from recoverylog.reports import review
    from recoverylog.reports.signature import signature_status

    _seeded(cli, person)
    _key_init(cli, person)
    path = tmp_path / "s.json"
    doc = export_json(cli, person, path)
    trusted = {doc["signature"]["public_key"]: "Jo"}
    expected = signature_status(doc, trusted)
    assert expected.status == "verified"
    with monkeypatch.context() as m:
        m.setattr(signing, "signing_input", lambda d: (_ for _ in ()).throw(AssertionError("made twice")))
        loaded = review.load_summary(path, trusted, overview_only=True)
    assert loaded.signature == expected
    # The same file through the CLI, trusted by the sponsor: verified.
    _trust_person(cli, person, sponsor, tmp_path)
    out = _review(cli, sponsor, path)
    assert json.dumps(out).count("verified") >= 1
