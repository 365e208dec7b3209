"""The reader's trust list (public keys checked in person) and the replies inbox."""

from __future__ import annotations

import json
from typing import Any

from recoverylog.storage.db import Store, inserted_id

# -- trust list -------------------------------------------------------------------------

def list_trusted(store: Store) -> list[dict[str, Any]]:
    return [dict(r) for r in store.query("SELECT * FROM trusted_keys ORDER BY name COLLATE NOCASE")]


def trusted_by_key(store: Store) -> dict[str, str]:
    """base64 public key → trusted name."""
    return {r["public_key"]: r["name"] for r in store.query("SELECT name, public_key FROM trusted_keys")}


def find_trusted(store: Store, *, name: str | None = None, public_key: str | None = None) -> dict | None:
    if name is not None:
        row = store.query_one("SELECT * FROM trusted_keys WHERE name = ? COLLATE NOCASE", (name,))
    else:
        row = store.query_one("SELECT * FROM trusted_keys WHERE public_key = ?", (public_key,))
    return dict(row) if row else None


def add_trusted(store: Store, *, name: str, public_key: str, fingerprint: str) -> int:
    stamp, _ = store.stamp()
    with store.write() as conn:
        cur = conn.execute("INSERT INTO trusted_keys (name, public_key, fingerprint, added_at) VALUES (?, ?, ?, ?)",
                           (name, public_key, fingerprint, stamp))
        return inserted_id(cur)


def remove_trusted(store: Store, row: dict[str, Any]) -> None:
    with store.write() as conn:
        store.add_revision(conn, "trusted_key", str(row["id"]), "delete", row)
        conn.execute("DELETE FROM trusted_keys WHERE id = ?", (row["id"],))


# -- export log look-up -------------------------------------------------------------------

def export_with_digest(store: Store, digest: str) -> dict | None:
    row = store.query_one("SELECT * FROM exports WHERE digest = ? ORDER BY id LIMIT 1", (digest,))
    return dict(row) if row else None


def last_export_of(store: Store, profile: str) -> dict | None:
    row = store.query_one("SELECT * FROM exports WHERE profile = ? ORDER BY id DESC LIMIT 1", (profile,))
    return dict(row) if row else None


# -- replies --------------------------------------------------------------------------------

def _reply(row) -> dict[str, Any]:
    out = dict(row)
    out["suggested_goals"] = json.loads(out["suggested_goals"] or "[]")
    return out


def add_reply(store: Store, row: dict[str, Any]) -> int:
    stamp, day = store.stamp()
    values = dict(row, received_at=stamp, received_on=day,
                  suggested_goals=json.dumps(row["suggested_goals"], ensure_ascii=False))
    names = list(values)
    with store.write() as conn:
        cur = conn.execute(f"INSERT INTO replies ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
                           [values[n] for n in names])
        return inserted_id(cur)


def reply_by_digest(store: Store, digest: str) -> dict | None:
    row = store.query_one("SELECT * FROM replies WHERE digest = ?", (digest,))
    return _reply(row) if row else None


def list_replies(store: Store) -> list[dict[str, Any]]:
    """Newest first."""
    return [_reply(r) for r in store.query("SELECT * FROM replies ORDER BY received_at DESC, id DESC")]


def get_reply(store: Store, reply_id: int) -> dict | None:
    row = store.query_one("SELECT * FROM replies WHERE id = ?", (reply_id,))
    return _reply(row) if row else None


def accepted_goals(store: Store, reply_id: int) -> dict[int, int]:
    """suggestion number → goal id."""
    return {r["suggestion"]: r["goal_id"] for r in store.query(
        "SELECT suggestion, goal_id FROM reply_goals WHERE reply_id = ?", (reply_id,))}


def record_accepted(conn, *, reply_id: int, suggestion: int, goal_id: int, stamp: str) -> None:
    conn.execute("INSERT INTO reply_goals (reply_id, suggestion, goal_id, accepted_at) VALUES (?, ?, ?, ?)",
                 (reply_id, suggestion, goal_id, stamp))


def answered_between(store: Store, received_from: str, received_to: str, summary_end_before: str) -> list[dict]:
    """Summaries answered by a reply received in [from, to], whose period ended on or before
    `summary_end_before`: one row per summary, first reply's day."""
    return [dict(r) for r in store.query(
        "SELECT summary_digest, summary_start, summary_end, MIN(received_on) AS received_on FROM replies "
        "WHERE received_on BETWEEN ? AND ? AND (summary_end IS NULL OR summary_end <= ?) "
        "GROUP BY summary_digest ORDER BY summary_end, summary_digest",
        (received_from, received_to, summary_end_before))]
