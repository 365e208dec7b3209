"""Full-text search over the searchable copy of notes (`search_text`, kept by triggers; the FTS5
index `search_text_fts`, kept by sqlite-utils' triggers). docs/definitions.md §11."""

from __future__ import annotations

from datetime import date
from typing import Any

from recoverylog.storage.db import Store

MARK_START, MARK_END = "\x02", "\x03"   # snippet markers: control characters no stored text keeps


def fts_query(text: str) -> str:
    """What a person typed, as an FTS5 query that cannot be a syntax error: every word is a
    quoted phrase (so AND, OR, NEAR, '*', '"' and ':' are plain words), all of them required."""
    words = text.split()
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def search(store: Store, text: str, since: date | None, until: date | None, limit: int | None) -> list[dict[str, Any]]:
    query = fts_query(text)
    if not query:
        return []
    sql = (f"SELECT t.source, t.source_key, t.date, t.field, t.text, "
           f"snippet(search_text_fts, 0, '{MARK_START}', '{MARK_END}', '…', 16) AS snippet, "
           "s.name AS substance, m.name AS meeting "
           "FROM search_text_fts JOIN search_text t ON t.id = search_text_fts.rowid "
           "LEFT JOIN substances s ON t.source = 'use' "
           "AND s.id = CAST(substr(t.source_key, 1, instr(t.source_key, ':') - 1) AS INTEGER) "
           "LEFT JOIN meetings m ON t.source = 'meeting' AND m.id = CAST(t.source_key AS INTEGER) "
           "WHERE search_text_fts MATCH ?")
    params: list[Any] = [query]
    if since is not None:
        sql += " AND t.date >= ?"
        params.append(since.isoformat())
    if until is not None:
        sql += " AND t.date <= ?"
        params.append(until.isoformat())
    sql += " ORDER BY t.date DESC, search_text_fts.rank, t.id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [dict(r) for r in store.query(sql, params)]
