"""`search`: where words were written, newest first (docs/definitions.md §11)."""

from __future__ import annotations

from datetime import date

from recoverylog.records import record
from recoverylog.storage.db import Store

PLACES = {"checkin": "check-in", "use": "use", "meeting": "meeting", "plan": "plan"}


@record
class SearchHit:
    date: date
    where: str              # "check-in note", "check-in gratitude", "use note (alcohol)", "plan: coping" …
    source: str             # checkin | use | meeting | plan
    field: str
    text: str               # the whole stored text
    snippet: str            # the matching part; matches between MARK_START and MARK_END
    matches: tuple[str, ...]  # the matched words, as written


@record
class SearchResult:
    query: str
    since: date | None
    until: date | None
    hits: tuple[SearchHit, ...]
    limited: bool           # True when --limit cut the list


def _where(row: dict) -> str:
    if row["source"] == "plan":
        return f"plan: {row['field']}"
    if row["source"] == "use":
        return f"use note ({row['substance']})" if row.get("substance") else "use note"
    if row["source"] == "meeting":
        return f"meeting note ({row['meeting']})" if row.get("meeting") else "meeting note"
    return f"check-in {row['field']}"


def search_notes(store: Store, text: str, *, since: date | None = None, until: date | None = None,
                 limit: int | None = None) -> SearchResult:
    import re

    from recoverylog.storage.search import MARK_END, MARK_START, search

    rows = search(store, text, since, until, None if limit is None else limit + 1)
    limited = limit is not None and len(rows) > limit
    rows = rows[:limit] if limit is not None else rows
    pattern = re.compile(re.escape(MARK_START) + "(.*?)" + re.escape(MARK_END), re.S)
    hits = tuple(SearchHit(date=date.fromisoformat(r["date"]), where=_where(r), source=r["source"], field=r["field"],
                           text=r["text"], snippet=r["snippet"], matches=tuple(dict.fromkeys(pattern.findall(r["snippet"]))))
                 for r in rows)
    return SearchResult(query=text, since=since, until=until, hits=hits, limited=limited)
