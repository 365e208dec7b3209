"""Search results on the terminal: date, where, and the snippet with each match marked.
Stored text is escaped piece by piece, so only our own markup reaches rich."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from recoverylog.render.console import esc

if TYPE_CHECKING:
    from rich.console import Console

    from recoverylog.reports.search import SearchHit, SearchResult


def marked(snippet: str, style: str = "bold reverse") -> str:
    """The snippet as rich markup: text escaped, each match wrapped in `style`."""
    from recoverylog.storage.search import MARK_END, MARK_START

    out = []
    for index, piece in enumerate(snippet.replace(MARK_END, MARK_START).split(MARK_START)):
        text = esc(re.sub(r"\s+", " ", piece))
        out.append(f"[{style}]{text}[/]" if index % 2 == 1 and text else text)
    return "".join(out)


def render_search(console: "Console", result: "SearchResult") -> None:
    if not result.hits:
        console.print(f"Nothing found for {esc(repr(result.query))}.", soft_wrap=True)
        return
    for hit in result.hits:
        console.print(f"[bold]{hit.date.isoformat()}[/]  [dim]{esc(hit.where)}[/]", soft_wrap=True)
        console.print("  " + marked(hit.snippet))
    count = len(result.hits)
    more = " (more with a higher --limit)" if result.limited else ""
    console.print(f"[dim]{count} match{'es' if count != 1 else ''}, newest first{more}.[/]", soft_wrap=True)


def hit_json(hit: "SearchHit") -> dict:
    from recoverylog.storage.search import MARK_END, MARK_START

    return {"date": hit.date.isoformat(), "where": hit.where, "source": hit.source, "field": hit.field,
            "text": hit.text, "snippet": hit.snippet.replace(MARK_START, "").replace(MARK_END, ""),
            "matches": list(hit.matches)}
