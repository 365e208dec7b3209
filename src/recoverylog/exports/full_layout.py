"""A full backup read by the layout the exporter writes (exports/full.py `build`), and its digest
checked from the file's own text (docs/definitions.md §12, "Reading a backup by its layout").

The exporter writes the envelope indented and each table row on a line of its own in canonical
form. Such a file is cut into the envelope with every table's list written `[]` (the skeleton)
and one slice per non-empty table (`[`, its rows, `]`); each is parsed on its own, as
`parse_json_bytes` parses (no NaN, duplicate keys refused), and the skeleton must be exactly the
exporter's rendering of what it parsed to. The document is then the skeleton's with each table's
list replaced by its slice's: what parsing the whole file gives.

The canonical content the digest is over is then the skeleton's values encoded canonically (a few
hundred bytes) and each slice with the exporter's row separator `,\\n        ` written `,`:
hashing that needs no encoding of the rows. Anything else (another layout, an error in any
piece) answers None, and the caller reads the file the reference way. A caller that judges each
table's rows as they are parsed (`read_laid_out(examine=)`) may have a slice parsed without the
duplicate-key hook where its count of '"' shows that no key repeats (`_parse_rows`)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from recoverylog.records import field, record

TABLES_OPEN = b'\n    "tables": {\n'
ENTRY = b'      "'
ROWS_OPEN = b"[\n        "
ROWS_CLOSE = b"\n      ]"
ROW_SEP = b",\n        "
TABLES_CLOSE = b'\n    }\n  },\n  "digest": '
BOM = b"\xef\xbb\xbf"


@record
class LaidOut:
    """A backup read by its layout: the parsed document, and the digest of the content as its
    text holds it (`text_digest`: "sha256:<hex>"; it equals the canonical digest whenever the
    rows are written canonically, as the exporter writes them)."""
    doc: dict
    text_digest: str
    judged: dict = field(default_factory=dict)


def read_laid_out(raw: bytes, examine: Callable[[str, list], Any] | None = None) -> LaidOut | None:
    """The document and its text digest, or None when `raw` is not in the exporter's layout or
    any piece of it does not parse (the reference reading then decides, and names the problem).

    `examine(table, rows)`: called on each table's rows as they are parsed; its answer is kept
    (`LaidOut.judged`) when it is not None. An answer whose `quotes` is the number of '"' in the
    table's slice, a slice without the two characters \\u, lets the slice be parsed without the
    duplicate-key hook (`_parse_rows`); otherwise it is parsed again with it."""
    try:
        return _read(raw, examine)
    except (ValueError, RecursionError, TypeError, KeyError, IndexError):
        return None


def _read(raw: bytes, examine: Callable[[str, list], Any] | None = None) -> LaidOut | None:
    import hashlib

    from recoverylog.exports.envelope import (
        DIGEST_PREFIX,
        _no_duplicate_keys,
        _reject_constant,
        content_pieces,
        row_encoder,
    )

    start = 3 if raw.startswith(BOM) else 0
    opened = raw.find(TABLES_OPEN, start)
    if opened < 0:
        return None
    pos = opened + len(TABLES_OPEN)
    skeleton = [raw[start:pos]]
    entries: list[tuple[bytes, tuple[int, int] | None]] = []   # each table's name as written, its "[…]" span
    while True:
        if not raw.startswith(ENTRY, pos):
            return None
        colon = raw.find(b'": ', pos + len(ENTRY))
        if colon < 0:
            return None
        value = colon + 3
        if raw.startswith(b"[]", value):
            end = value + 2
            span = None
        elif raw.startswith(ROWS_OPEN, value):
            close = raw.find(ROWS_CLOSE, value)
            if close < 0:
                return None
            end = close + len(ROWS_CLOSE)
            span = (value, end)
        else:
            return None
        skeleton.append(raw[pos:value] + b"[]")
        entries.append((raw[pos + len(ENTRY) - 1:colon + 1], span))
        if raw.startswith(b",\n", end):
            skeleton.append(b",\n")
            pos = end + 2
            continue
        if raw.startswith(TABLES_CLOSE, end):
            skeleton.append(raw[end:])
            break
        return None
    head = b"".join(skeleton).decode("utf-8")
    doc = json.loads(head, parse_constant=_reject_constant, object_pairs_hook=_no_duplicate_keys)
    if not isinstance(doc, dict) or _render_skeleton(doc) != head:
        return None
    # The rendering matched: the skeleton's tables are the entries walked, in that order, each
    # name written as the exporter writes it, each list `[]`.
    tables = doc["data"]["tables"]
    line = row_encoder(sort_keys=False, compact=False)
    if len(tables) != len(entries):
        return None
    spans: dict[str, tuple[int, int]] = {}
    for name, (written, span) in zip(list(tables), entries, strict=True):
        if tables[name] != [] or line(name).encode("utf-8") != written:
            return None
        if span is not None:
            spans[name] = span
    # The canonical content (envelope.content_pieces, as compute_digest hashes it); each table's
    # slice is parsed where the hash reaches it (one table's text at a time in memory beside the file's).

    judged: dict[str, Any] = {}

    def table_pieces(name: str, _: Any) -> Iterator[bytes]:
        if name not in spans:
            yield b"[]"
            return
        rows, answer = _parse_rows(raw, spans[name], name, examine)
        if not isinstance(rows, list):
            raise ValueError("a table's slice is not a list")   # read_laid_out: not this layout
        tables[name] = rows
        if answer is not None:
            judged[name] = answer
        yield b"["
        yield from _compact(raw, spans[name])
        yield b"]"

    sha = hashlib.sha256()
    for piece in content_pieces(doc, table_pieces):
        sha.update(piece)
    return LaidOut(doc=doc, text_digest=DIGEST_PREFIX + sha.hexdigest(), judged=judged)


def _parse_rows(raw: bytes, span: tuple[int, int], name: str = "",
                examine: Callable[[str, list], Any] | None = None) -> tuple[Any, Any]:
    """One table's slice parsed as `parse_json_bytes` parses (strict UTF-8, no NaN, duplicate
    keys refused), and `examine`'s answer on the rows (None without `examine`).

    With `examine`, the slice is first parsed without the duplicate-key hook (a repeated key
    would then leave one member, its last value, and no error). The parse is kept when the
    answer's `quotes` (the '"' characters its keys and text cells take written as JSON) is the
    number of '"' in the slice and the slice holds no \\u: every '"' of a JSON text is an end of a
    string token or, inside one, written \\" for one '"' of its value (with no \\u escape, no
    other way writes one), so the slice's count is what every key and text of its objects take;
    a member dropped for a repeated key takes at least its key's two with it, so equal counts
    mean no key was written twice, and the hook would have given the same rows (docs/definitions.md
    §12). That first parse is `_quick_rows`'; it is kept only when the answer's `widest_float`
    is below WIDE_FLOAT (where that parser may have read an integer as a float). Otherwise the
    slice is parsed again with the hook, which refuses a repeated key."""
    from recoverylog.exports.envelope import _no_duplicate_keys, _reject_constant

    begin, end = span
    if examine is not None:
        rows = _quick_rows(raw, span)
        answer = examine(name, rows) if isinstance(rows, list) else None
        quotes = getattr(answer, "quotes", None)
        if quotes is not None and quotes == raw.count(b'"', begin, end) and _unicode_escape(raw, begin, end) is None \
                and getattr(answer, "widest_float", math.inf) < WIDE_FLOAT:
            return rows, answer
        del rows, answer
    text = str(memoryview(raw)[begin:end], "utf-8")
    rows = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicate_keys)
    del text
    return rows, (examine(name, rows) if examine is not None and isinstance(rows, list) else None)


# orjson reads an integer beyond 64 bits as the nearest float, which is at least this large;
# json reads it as the integer. Any float of this magnitude or more: the slice is parsed again.
WIDE_FLOAT = 2.0 ** 63


# The rows of a slice are parsed by _quick_rows in pieces of about this many bytes.
PARSE_CHUNK = 1 << 18


def _quick_rows(raw: bytes, span: tuple[int, int]) -> list | None:
    """The rows of the table's slice raw[span] (`[` and its rows laid out, then `]`), parsed by
    `_quick_loads` a piece of about PARSE_CHUNK bytes at a time, or None when a piece is refused.

    Each piece ends at a row separator (ROW_SEP, which holds a newline: never inside a JSON text)
    and is decoded strictly and parsed as a list of its own. When every piece parses to a list of
    at least one value, the slice is those values one after the other, as one parse of it gives:
    joined by a comma, lists of values make one list. A piece that parses to no value (nothing but
    spaces between two separators, or after the last) is a place the whole list has an empty
    element, which JSON refuses: None, as for a piece that does not parse. Pieces, not the
    whole slice at once: its text and the parser's own copy are never held beside the file."""
    view = memoryview(raw)
    start, stop = span[0] + len(ROWS_OPEN), span[1] - len(ROWS_CLOSE)
    rows: list = []
    while True:
        cut = raw.find(ROW_SEP, min(start + PARSE_CHUNK, stop), stop)
        if cut < 0:
            cut = stop
        piece = _quick_loads("[" + str(view[start:cut], "utf-8") + "]")   # strict, as the reference decodes
        if not piece:
            return None
        rows += piece
        if cut == stop:
            return rows
        start = cut + len(ROW_SEP)


def _quick_loads(text: str) -> Any:
    """`text` parsed as JSON by orjson when it is installed (2-3 times json's speed on a backup's
    rows), else by json (NaN and Infinity refused, as parse_json_bytes refuses them); None when
    the parser refuses the text (the caller then parses it the reference way, which names the
    problem). What orjson accepts, json parses to the same values, except an integer beyond 64
    bits (see WIDE_FLOAT); a repeated key leaves its last value in both (the caller's count of
    '"' finds it). tests/test_full_layout_parser.py compares the two."""
    try:
        import orjson
    except ImportError:   # pragma: no cover - a dependency; kept working without it
        from recoverylog.exports.envelope import _reject_constant

        try:
            return json.loads(text, parse_constant=_reject_constant)
        except (ValueError, RecursionError):
            return None
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return None


def _unicode_escape(raw: bytes, begin: int, end: int) -> Any:
    """Where the two characters \\u first appear in raw[begin:end] (a match), or None: the regular
    expression engine finds them from the rare backslash, twice as fast as bytes.find here."""
    import re

    return re.compile(rb"\\u").search(raw, begin, end)


COMPACT_CHUNK = 1 << 18


def _compact(raw: bytes, span: tuple[int, int]) -> Iterator[bytes]:
    """A table's rows with their separators written "," (what the digest hashes of its slice), in
    pieces of about COMPACT_CHUNK bytes, each cut just after a separator (so no separator is
    split), never the whole table's text again beside the file's."""
    start, stop = span[0] + len(ROWS_OPEN), span[1] - len(ROWS_CLOSE)
    while start < stop:
        cut = raw.find(ROW_SEP, min(start + COMPACT_CHUNK, stop), stop)
        cut = stop if cut < 0 else cut + len(ROW_SEP)
        yield raw[start:cut].replace(ROW_SEP, b",")
        start = cut


def _render_skeleton(doc: dict) -> str:
    """The exporter's layout (exports/full.py `build`) of `doc`, every table's list as `[]`:
    the envelope's keys one per line before "data", then "data" with schema_version, signing_key
    and tables, then "digest" last."""
    from recoverylog.exports.envelope import row_encoder

    keys = list(doc)
    data = doc.get("data")
    if keys[-2:] != ["data", "digest"] or not isinstance(data, dict) \
            or list(data) != ["schema_version", "signing_key", "tables"] or not isinstance(data["tables"], dict):
        return ""
    line = row_encoder(sort_keys=False, compact=False)
    return laid_out(((k, doc[k]) for k in keys[:-2]), data["schema_version"], data["signing_key"],
                    ((t, line(rows)) for t, rows in data["tables"].items()), doc["digest"])


def laid_out(head: Iterable[tuple[str, Any]], schema_version: Any, signing_key: Any,
             tables: Iterable[tuple[str, str]], digest: Any) -> str:
    """The full backup's text as the exporter lays it out: the envelope's values one per line,
    then "data" with schema_version, signing_key and tables (`tables`: each table's name and the
    text of its list, as written), then "digest" last. The one statement of the layout: the
    exporter writes by it, and `_read` checks a file's envelope against it."""
    from recoverylog.exports.envelope import row_encoder

    line = row_encoder(sort_keys=False, compact=False)
    parts = ["{\n", *(f"  {line(k)}: {line(v)},\n" for k, v in head),
             f'  "data": {{\n    "schema_version": {line(schema_version)},\n'
             f'    "signing_key": {line(signing_key)},\n    "tables": {{\n']
    for number, (name, text) in enumerate(tables):
        parts += [",\n" if number else "", f"      {line(name)}: ", text]
    parts.append(f'\n    }}\n  }},\n  "digest": {line(digest)}\n}}\n')
    return "".join(parts)
