"""Small helpers for self-contained, printable HTML pages (exports).

Every helper that takes text escapes it (`esc`); helpers return HTML strings that can be
joined and passed as `body` to `page()`. No scripts and no external resources: the page
carries its own CSS and a Content-Security-Policy that forbids loading anything, so it reads
the same offline, on a phone and on paper.

    page(title, body, *, lang="en", subtitle=None, extra_css="") -> str   # the whole document
    esc(value) -> str                                                    # text → HTML (None → "")
    escape(text) -> str                                                  # html.escape(text, quote=True)
    heading(text, level=2) -> str
    paragraph(text, *, css_class=None) -> str
    facts(pairs) -> str                              # [(label, value), …] as a definition list
    table(headers, rows, *, caption=None, numeric=(), nowrap=(), css_class=None) -> str
    section(title, body, *, level=2) -> str          # a heading followed by trusted HTML
    note(text) -> str                                # small print (footer remarks)
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def escape(text: str) -> str:
    """`html.escape(text, quote=True)`, the standard library's five replacements in its order,
    without importing `html` (which loads its table of entities for `unescape`)."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#x27;"))


CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: #1a1a1a; background: #fff; margin: 0 auto; padding: 1rem; max-width: 72rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
p { margin: .4rem 0; }
.subtitle { color: #444; margin-bottom: 1rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: .5rem 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #bbb; padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.nowrap { white-space: nowrap; }
tbody tr:nth-child(even) td { background: #fafafa; }
.note { color: #555; font-size: .85rem; }
footer { margin-top: 2rem; border-top: 1px solid #ccc; padding-top: .5rem; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85em; overflow-wrap: anywhere; }
@media (max-width: 40rem) {
  body { font-size: 14px; padding: .5rem; }
  th, td { padding: .25rem .3rem; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .table-wrap { overflow: visible; }
  table { font-size: 9pt; }
  thead { display: table-header-group; }
  tr, dl.facts { page-break-inside: avoid; break-inside: avoid; }
  tbody tr:nth-child(even) td { background: none; }
  th { background: #eee; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
@page { margin: 1.5cm; }
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def esc(value: object) -> str:
    """Text → HTML: control characters dropped, & < > " ' escaped; None → ''."""
    if value is None:
        return ""
    return escape(_CONTROL.sub("", str(value)))


def page(title: str, body: str, *, lang: str = "en", subtitle: str | None = None, extra_css: str = "") -> str:
    """A complete HTML5 document: inline CSS, no scripts, nothing loaded from anywhere."""
    head_title = esc(title)
    sub = f'<p class="subtitle">{esc(subtitle)}</p>\n' if subtitle else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{head_title}</title>\n<style>{CSS}{extra_css}</style>\n</head>\n<body>\n"
        f"<h1>{head_title}</h1>\n{sub}{body}\n</body>\n</html>\n"
    )


def heading(text: str, level: int = 2) -> str:
    level = min(6, max(1, level))
    return f"<h{level}>{esc(text)}</h{level}>\n"


def paragraph(text: str, *, css_class: str | None = None) -> str:
    cls = f' class="{esc(css_class)}"' if css_class else ""
    return f"<p{cls}>{esc(text)}</p>\n"


def note(text: str) -> str:
    return paragraph(text, css_class="note")


def facts(pairs: Iterable[tuple[str, object]]) -> str:
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in pairs)
    return f'<dl class="facts">{items}</dl>\n'


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], *, caption: str | None = None,
          numeric: Collection[int] = (), nowrap: Collection[int] = (), css_class: str | None = None) -> str:
    """A table of text cells (every cell escaped); columns whose index is in `numeric` align right,
    those in `nowrap` never break (dates, times). Wrapped in a horizontally scrollable block so a
    wide table stays usable on a phone."""
    def cls(index: int) -> str:
        names = [n for n, on in (("num", index in numeric), ("nowrap", index in nowrap)) if on]
        return f' class="{" ".join(names)}"' if names else ""

    head = "".join(f'<th scope="col"{cls(i)}>{esc(h)}</th>' for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f"<td{cls(i)}>{esc(c)}</td>" for i, c in enumerate(row)) + "</tr>\n"
                   for row in rows)
    table_cls = f' class="{esc(css_class)}"' if css_class else ""
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (f'<div class="table-wrap"><table{table_cls}>{cap}<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{body}</tbody></table></div>\n")


def section(title: str, body: str, *, level: int = 2) -> str:
    """A heading followed by `body` (HTML already built with these helpers)."""
    return f"<section>\n{heading(title, level)}{body}</section>\n"
