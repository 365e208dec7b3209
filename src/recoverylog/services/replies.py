"""Replies: a sponsor answers one summary; the person checks and keeps the answer (docs/definitions.md §8).

    {"format": "recoverylog-reply", "version": 1, "generated_at",
     "in_reply_to": {"digest", "profile": "sponsor", "period": {"start", "end", "days"}, "name"},
     "from": {"name"}, "note", "ask", "suggested_goals": [...], "digest", "signature"?}

The digest and signature follow the export envelope's rules (exports/envelope.py, signing.py).
Schema: data/reply.schema.json. A suggested goal becomes a goal only by `inbox accept`."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from recoverylog.errors import InputError, NotFoundError, UsageError

FORMAT = "recoverylog-reply"
VERSION = 1
NOTE_CHARS = 4000
ASK_CHARS = 500
GOAL_CHARS = 200          # a goal's title (services/goals.py MAX_TITLE_CHARS)
MAX_GOALS = 10
NAME_CHARS = 80
MAX_REPLY_BYTES = 1024 * 1024
_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")


def _clean(text: str | None, label: str, limit: int, multiline: bool = False) -> str | None:
    from recoverylog.text import strip_control

    if text is None:
        return None
    text = strip_control(text)
    text = "".join(ch for ch in text if not ("\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069"
                                             or "\ud800" <= ch <= "\udfff"))
    if multiline:
        text = "\n".join(" ".join(line.split()) for line in text.replace("\t", " ").splitlines()).strip()
    else:
        text = " ".join(text.split())
    if len(text) > limit:
        raise InputError(f"{label} is {len(text)} characters; keep it to {limit}.")
    return text or None


# -- writing a reply (the sponsor's side) --------------------------------------------------

def build_reply(summary_path: Path, *, note: str, ask: str | None, goals: list[str], sender: str | None,
                generated_at: str) -> dict[str, Any]:
    from recoverylog.exports.envelope import check_envelope, compute_digest, read_json_file, verify

    label = str(summary_path)
    doc = read_json_file(summary_path, label)
    check_envelope(doc, label, profile="sponsor")
    if not verify(doc):
        raise InputError(f"{label} was changed after it was exported (its digest does not match), so a reply "
                         "could not be matched to it; ask the person for a fresh copy. Nothing was written.")
    from recoverylog.textcheck import check_text

    check_text(note, "--note")  # typed text: control characters refused, as everywhere (docs/definitions.md §12)
    for value, what in ((ask, "--ask"), (sender, "--name"), *((g, "--suggest-goal") for g in goals)):
        if value is not None:
            check_text(value, what, multiline=False)
    period = doc.get("period") if isinstance(doc.get("period"), dict) else {}
    person = doc.get("person") if isinstance(doc.get("person"), dict) else {}
    note_text = _clean(note, "--note", NOTE_CHARS, multiline=True)
    if not note_text:
        raise UsageError("--note is empty: write a few words back.")
    suggestions = [g for g in (_clean(x, "--suggest-goal", GOAL_CHARS) for x in goals) if g]
    if len(suggestions) > MAX_GOALS:
        raise InputError(f"{len(suggestions)} suggested goals; keep it to {MAX_GOALS}.")
    name = person.get("name") if isinstance(person.get("name"), str) else None
    reply: dict[str, Any] = {
        "format": FORMAT, "version": VERSION, "generated_at": generated_at,
        "in_reply_to": {"digest": doc["digest"], "profile": "sponsor",
                        "period": {k: period.get(k) for k in ("start", "end", "days")},
                        "name": _clean(name, "name", NAME_CHARS) if name else None},
        "from": {"name": _clean(sender, "--name", NAME_CHARS)},
        "note": note_text, "ask": _clean(ask, "--ask", ASK_CHARS), "suggested_goals": suggestions,
    }
    reply["digest"] = compute_digest(reply)
    return reply


# -- receiving a reply (the person's side) ---------------------------------------------------

@lru_cache(maxsize=1)
def _reply_validator():
    import json
    from importlib import resources

    import jsonschema

    schema = json.loads(resources.files("recoverylog").joinpath("data/reply.schema.json").read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)


def check_reply(doc: Any, label: str) -> None:
    """A reply file, checked before anything in it is read: the shape data/reply.schema.json
    describes (the first failing path named), then the checks by hand."""
    from recoverylog.schemacheck import json_path

    if isinstance(doc, dict) and doc.get("format") == FORMAT:
        error = min(_reply_validator().iter_errors(doc), default=None,
                    key=lambda e: (len(e.absolute_path), [str(p) for p in e.absolute_path]))
        if error is not None:
            where = json_path(error.absolute_path)
            raise InputError(f"{label}: does not match the recoverylog reply format ({where}: "
                             f"{error.validator} {str(error.validator_value)[:40]}); nothing was added.")
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InputError(f"{label}: not a recoverylog reply (no \"format\": \"{FORMAT}\").")
    if doc.get("version") != VERSION or isinstance(doc.get("version"), bool):
        raise InputError(f"{label}: reply format version is not one this recoverylog reads (it reads {VERSION}).")
    target = doc.get("in_reply_to")
    if not isinstance(target, dict) or not isinstance(target.get("digest"), str) or not _DIGEST.match(target["digest"]):
        raise InputError(f"{label}: the reply does not name the summary it answers.")
    period = target.get("period")
    if period is not None and not isinstance(period, dict):
        raise InputError(f"{label}: the reply's period is not readable.")
    if not isinstance(doc.get("note"), str) or not doc["note"].strip():
        raise InputError(f"{label}: the reply has no note.")
    if doc.get("ask") is not None and not isinstance(doc.get("ask"), str):
        raise InputError(f"{label}: the reply's question is not text.")
    goals = doc.get("suggested_goals", [])
    if not isinstance(goals, list) or len(goals) > MAX_GOALS or not all(isinstance(g, str) for g in goals):
        raise InputError(f"{label}: the suggested goals are not a short list of text.")
    if not isinstance(doc.get("from", {}), dict):
        raise InputError(f"{label}: the reply's sender is not readable.")
    if not isinstance(doc.get("digest"), str):
        raise InputError(f"{label}: the reply has no digest.")


def _date_text(v: Any) -> str | None:
    from datetime import date

    if isinstance(v, str) and len(v) == 10:
        try:
            return date.fromisoformat(v).isoformat()
        except ValueError:
            return None
    return None


def add_to_inbox(store, path: Path) -> tuple[int, Any]:
    """Check a reply file and keep it. Returns (number, SignatureStatus)."""
    from recoverylog.exports.envelope import dumps, read_json_file, verify
    from recoverylog.reports.signature import signature_status
    from recoverylog.storage import trust as rows

    label = str(path)
    doc = read_json_file(path, label, max_bytes=MAX_REPLY_BYTES)
    check_reply(doc, label)
    if not verify(doc):
        raise InputError(f"{label} was changed after it was written (its digest does not match); "
                         "nothing was added. Ask for a fresh copy.")
    sig = signature_status(doc, rows.trusted_by_key(store))
    if sig.status == "invalid":
        raise InputError(f"{label}: its signature does not match (changed after signing: {sig.reason}); "
                         "nothing was added.")
    target = doc["in_reply_to"]
    exported = rows.export_with_digest(store, target["digest"])
    if exported is None:
        raise NotFoundError(f"{label} answers a summary ({target['digest'][:15]}…) that is not in your export log "
                            "(`recoverylog export log`); nothing was added.")
    existing = rows.reply_by_digest(store, doc["digest"])
    if existing is not None:
        raise InputError(f"This reply is already in your inbox (number {existing['id']}); nothing was added.")
    sender = doc.get("from", {}).get("name")
    row = {
        "digest": doc["digest"], "summary_digest": target["digest"],
        # The export log's own dates, not the reply's claim, say which summary it answers.
        "summary_start": exported["period_start"], "summary_end": exported["period_end"],
        "written_at": _clean(doc.get("generated_at"), "generated_at", 40) if isinstance(doc.get("generated_at"), str) else None,
        "sender": _clean(sender, "sender", NAME_CHARS) if isinstance(sender, str) else None,
        "signature_status": sig.status, "signer": sig.signer, "fingerprint": sig.fingerprint,
        "note": _clean(doc["note"], "note", NOTE_CHARS, multiline=True) or "",
        "ask": _clean(doc.get("ask"), "ask", ASK_CHARS) if doc.get("ask") else None,
        "suggested_goals": [g for g in (_clean(x, "suggested goal", GOAL_CHARS) for x in doc.get("suggested_goals", [])) if g],
        "document": dumps(doc),
    }
    number = rows.add_reply(store, row)
    return number, sig


def get(store, number: int) -> dict[str, Any]:
    from recoverylog.storage import trust as rows

    reply = rows.get_reply(store, number)
    if reply is None:
        raise NotFoundError(f"No reply number {number} in your inbox; `recoverylog inbox` lists them.")
    reply["accepted"] = rows.accepted_goals(store, number)
    return reply


def list_all(store) -> list[dict[str, Any]]:
    from recoverylog.storage import trust as rows

    out = []
    for reply in rows.list_replies(store):
        reply["accepted"] = rows.accepted_goals(store, reply["id"])
        out.append(reply)
    return out


def accept(store, number: int, which: int | None) -> tuple[int, str]:
    """Turn one suggested goal of reply `number` into a goal the person owns. Returns (goal id, title)."""
    from recoverylog.services.goals import GoalInput, validate
    from recoverylog.storage import goals as goal_rows
    from recoverylog.storage import trust as rows

    reply = get(store, number)
    goals = reply["suggested_goals"]
    if not goals:
        raise InputError(f"Reply {number} suggests no goal; nothing was added.")
    if which is None:
        if len(goals) > 1:
            listed = "; ".join(f"{i} {g}" for i, g in enumerate(goals, 1))
            raise UsageError(f"Reply {number} suggests {len(goals)} goals ({listed}); choose one with --goal N.")
        which = 1
    if not 1 <= which <= len(goals):
        raise InputError(f"Reply {number} suggests {len(goals)} goal{'s' if len(goals) != 1 else ''}; "
                         f"--goal {which} is not one of them.")
    if which in reply["accepted"]:
        raise InputError(f"You already took on that goal (goal #{reply['accepted'][which]}); nothing was added.")
    row = validate(store, GoalInput(title=goals[which - 1]), store.today())
    stamp, _ = store.stamp()
    row["created_at"] = stamp
    with store.write() as conn:
        goal_id = goal_rows.insert(conn, row)
        rows.record_accepted(conn, reply_id=number, suggestion=which, goal_id=goal_id, stamp=stamp)
    return goal_id, row["title"]
