"""The `full` profile: every table's rows, for the person's own backup or a move to a new
machine (notes included: it is their own data). `recoverylog import` reads it back."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from recoverylog.errors import InputError
from recoverylog.exports import ExportDocument, ExportRequest
from recoverylog.records import record

MAX_FULL_BYTES = 512 * 1024 * 1024
INT_MIN, INT_MAX = -(2**63), 2**63 - 1   # what SQLite's INTEGER holds
# The private signing key is a file beside the database, never in a backup (docs/definitions.md §8).
SIGNING_KEY_NOTE = {"included": False,
                    "how_to_move": "recoverylog key export-private FILE on the old machine, then "
                                   "recoverylog key import-private FILE on the new one"}


def build_envelope(store, request: ExportRequest) -> dict[str, Any]:
    """The full export as one dict (every row held at once): the plain statement of what
    `build` writes in pieces; the tests check that the two agree."""
    from recoverylog.exports.envelope import make_envelope
    from recoverylog.storage.full import dump_tables, schema_version

    if request.week or request.month or request.since or request.until:
        raise InputError("The full export holds everything; --week, --month, --since and --until do not apply.")
    data = {"schema_version": schema_version(store), "signing_key": SIGNING_KEY_NOTE, "tables": dump_tables(store)}
    generated_at, _ = store.stamp()
    return make_envelope(profile="full", generated_at=generated_at, period=None,
                         name=request.name, data=data)


def build(store, request: ExportRequest) -> ExportDocument:
    """The backup file: the envelope indented, each table row on one line in its canonical form
    (keys sorted, no spaces), so one encoding by the standard library's C encoder serves the file
    and the digest. (An indented layout makes `json` fall back to its pure-Python encoder, ~10×
    slower.) Rows are read, encoded and hashed a table at a time; where SQLite's own JSON functions
    are shown to write the same text, a table's text comes from one query and no row becomes a
    Python object (storage/full_json.py, docs/definitions.md §8). The digest is over the canonical
    content (exports/envelope.py): the same digest `make_envelope` gives the same data."""
    import hashlib

    from recoverylog.exports.envelope import DIGEST_PREFIX, FORMAT, VERSION, content_pieces, row_encoder
    from recoverylog.exports.full_layout import laid_out
    from recoverylog.storage.full import TABLES, row_batches, schema_version
    from recoverylog.storage.full_json import refuses_blobs, writes_like_python

    if request.format not in (None, "json"):
        raise InputError(f"The full export is JSON only (a backup to read back with `recoverylog import`), "
                         f"not {request.format}.")
    if request.week or request.month or request.since or request.until:
        raise InputError("The full export holds everything; --week, --month, --since and --until do not apply.")
    store.check_integrity()  # a backup of a damaged file would copy the damage (docs/definitions.md §12)
    generated_at, _ = store.stamp()
    head = {"format": FORMAT, "version": VERSION, "profile": "full", "generated_at": generated_at,
            "period": None, "person": {"name": request.name}}
    version = schema_version(store)
    canon = row_encoder(sort_keys=True, compact=True)
    # Rows are read with their keys already in sorted order: encoding them unsorted gives the
    # canonical text without sorting every row again.
    canon_sorted = row_encoder(sort_keys=False, compact=True)

    texts: dict[str, str] = {}
    # SQLite writes each table's canonical text itself where that is shown to be the encoder's
    # (storage/full_json.py); a table it cannot vouch for is read and encoded here.
    by_sqlite = writes_like_python(store.conn, canon_sorted)
    check_blobs = by_sqlite and not refuses_blobs(store.conn)

    def table_pieces(table: str, _: Any) -> Iterator[bytes]:
        """The table's canonical list for the digest, in pieces; its text for the file into `texts`."""
        yield b"["
        written = _sqlite_text(store, table, canon_sorted, check_blobs) if by_sqlite else None
        if written is not None:
            text, digest_part = written
            del written
            texts[table] = "[" + ROW_INDENT + text + "\n      ]" if text else "[]"
            del text      # neither is held while the next table is read
            yield digest_part
            del digest_part
        else:
            lines = []
            for i, rows in enumerate(row_batches(store, table, sorted_keys=True)):
                text = canon_sorted(rows)   # "[{…},{…}]": its inside is this batch's part of the table's canonical list
                yield (b"," if i else b"") + text[1:-1].encode("utf-8")
                lines.append(_one_row_per_line(rows, text, canon))
            texts[table] = ("[" + ROW_INDENT + ("," + ROW_INDENT).join(lines) + "\n      ]") if lines else "[]"
            del lines
        yield b"]"

    # The digest over the canonical content (envelope.content_pieces), fed to the hash a table at a time.
    stub = dict(head, data={"schema_version": version, "signing_key": SIGNING_KEY_NOTE,
                            "tables": dict.fromkeys(TABLES)})
    sha = hashlib.sha256()
    for piece in content_pieces(stub, table_pieces):
        sha.update(piece)
    digest = DIGEST_PREFIX + sha.hexdigest()
    content = laid_out(head.items(), version, SIGNING_KEY_NOTE, ((t, texts.pop(t)) for t in TABLES), digest)
    return ExportDocument(profile="full", format="json", content=content, digest=digest)


ROW_INDENT = "\n        "


def _sqlite_text(store, table: str, encode, check_blobs: bool) -> tuple[str, bytes] | None:
    """Table `table`'s rows in canonical form, one per line (joined by "," + ROW_INDENT), and the
    same rows' UTF-8 joined by "," for the digest, written by SQLite; None when that text is not
    shown to be `encode`'s (storage/full_json.table_text)."""
    from recoverylog.storage.full import table_columns
    from recoverylog.storage.full_json import holds_text_only, table_text

    columns = table_columns(store, table)
    order = [c["name"] for c in sorted((c for c in columns if c["pk"]), key=lambda c: c["pk"])]
    return table_text(store.conn, table, sorted(c["name"] for c in columns), order, "," + ROW_INDENT, encode,
                      textual={c["name"] for c in columns if holds_text_only(c["type"] or "")},
                      check_blobs=check_blobs)


def _one_row_per_line(rows: list[dict[str, Any]], text: str, encode) -> str:
    """Rows one per line (joined by ROW_INDENT, no brackets), from `text`, the list's canonical
    encoding. Rows hold scalars only, so '},{' appears between rows and nowhere else unless a
    text value contains it; when the count says one does, each row is encoded on its own."""
    if text.count("},{") == len(rows) - 1:
        return text[1:-1].replace("},{", "}," + ROW_INDENT + "{")
    return ("," + ROW_INDENT).join(encode(r) for r in rows)


def _valid_value(value: Any) -> bool:
    if value is None or isinstance(value, str):
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return INT_MIN <= value <= INT_MAX
    return isinstance(value, float)


def validate_full(store, doc: Any, label: str, *, plain: bool = False, digest_matches: bool = False,
                  judged: dict[str, PlainRows] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Check a parsed full export completely, before anything is written.
    Returns the tables to load. `plain`: `quick_accept` said yes to this very document, so every
    row is an object whose cells are text, null, a float or an integer SQLite holds; then the
    per-cell rule is not repeated and a row's columns are judged once per distinct set of keys
    (the same answer and message: a property test compares the two ways). `digest_matches`:
    the digest was already found to match (`read_backup`), so it is not computed again.
    `judged` (with `plain` and `digest_matches`): what `accepted_tables` found of each table; a
    table whose rows all hold the same keys has its column rules judged once for those keys and
    the keys that hold a null (the same answer: when they do not pass, the rows are judged one by
    one as without it, and the message names the first row that fails)."""
    from recoverylog.exports.envelope import check_envelope, verify
    from recoverylog.storage.full import TABLES, schema_version, table_columns

    check_envelope(doc, label, profile="full")
    # With plain rows, each table's rows are first run through the column rules once
    # (`_plain_rows_pass`, which never raises): where they pass and every row's keys are already
    # in sorted order, the digest encodes them without sorting (`_digest_matches`).
    passed: dict[str, tuple[dict[str, Any], set[str], int]] = {}
    presorted: set[str] = set()
    found = doc["data"].get("tables") if plain else None
    if isinstance(found, dict):
        for table in TABLES:
            rows = found.get(table, [])
            if isinstance(rows, list):
                columns = {c["name"]: c for c in table_columns(store, table)}
                required = {n for n, c in columns.items() if c["notnull"] and c["dflt_value"] is None and not c["pk"]}
                known = judged.get(table) if judged and digest_matches else None
                if known is not None and known.rows is rows and known.keys is not None \
                        and columns.keys() >= set(known.keys) >= required and not required & known.nulls:
                    start, ordered = len(rows), False   # every row passes; the digest is not computed
                else:
                    start, ordered = _plain_rows_pass(rows, columns.keys(), required)
                passed[table] = (columns, required, start)
                if ordered and start == len(rows):
                    presorted.add(table)
    if not (digest_matches or (_digest_matches(doc, presorted) if presorted else verify(doc))):
        raise InputError(f"{label}: this file was changed after it was exported (its digest does not match); "
                         "nothing was imported.")
    data = doc["data"]
    version = data.get("schema_version")
    current = schema_version(store)
    if not isinstance(version, int) or isinstance(version, bool):
        raise InputError(f"{label}: no schema version in the export; nothing was imported.")
    if version > current:
        raise InputError(f"{label}: written by a newer recoverylog (schema {version}; this one knows up to "
                         f"{current}). Upgrade recoverylog first; nothing was imported.")
    if version != current:
        raise InputError(f"{label}: schema {version} exports cannot be read by this version; nothing was imported.")
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise InputError(f"{label}: no tables in the export; nothing was imported.")
    unknown = [t for t in tables if t not in TABLES]
    if unknown:
        raise InputError(f"{label}: unknown table {str(unknown[0])[:40]!r}; nothing was imported.")
    checked: dict[str, list[dict[str, Any]]] = {}
    for table in TABLES:
        rows = tables.get(table, [])
        if not isinstance(rows, list):
            raise InputError(f"{label}: {table} is not a list of rows; nothing was imported.")
        if table in passed:
            columns, required, start = passed[table]
        else:
            columns = {c["name"]: c for c in table_columns(store, table)}
            required = {n for n, c in columns.items() if c["notnull"] and c["dflt_value"] is None and not c["pk"]}
            start = 0
        names = columns.keys()
        for number, row in enumerate(rows[start:], start + 1):
            # The common case (every check passes) is tested first, cheaply; the messages say
            # exactly what the first problem in the row is.
            if not isinstance(row, dict):
                raise InputError(f"{label}: row {number} of {table} is not an object; nothing was imported.")
            if not row.keys() <= names:
                extra = [k for k in row if k not in columns]
                raise InputError(f"{label}: row {number} of {table} has an unknown column "
                                 f"{str(extra[0])[:40]!r}; nothing was imported.")
            for key in required:
                if row.get(key) is None:
                    missing = sorted(required - {k for k, v in row.items() if v is not None})
                    raise InputError(f"{label}: row {number} of {table} has no {missing[0]}; "
                                     "nothing was imported.")
            for v in row.values():
                kind = type(v)
                if kind is str or v is None or kind is float or (kind is int and INT_MIN <= v <= INT_MAX):
                    continue
                if _valid_value(v):  # subclasses: the full rule
                    continue
                bad = [k for k, v in row.items() if not _valid_value(v)]
                raise InputError(f"{label}: row {number} of {table}: {bad[0]} is not a number, text or null; "
                                 "nothing was imported.")
        checked[table] = rows
    return checked


def _plain_rows_pass(rows: list, names, required: set[str]) -> tuple[int, bool]:
    """Of rows of plain cells (`quick_accept` said yes), how many in a row from the first pass the
    column rules of `validate_full` (no unknown column, every required one not null): each distinct
    set of keys is judged once, each row's required cells are fetched in one call. Returns the index
    of the first row that does not pass (len(rows) when all do: the full rules judge that row, and
    name it), and whether every row before it has its keys in sorted order."""
    from operator import itemgetter

    need = sorted(required)
    fetch = itemgetter(*need) if len(need) > 1 else (lambda row: (row[need[0]],)) if need else (lambda row: ())
    good: set[tuple] = set()
    ordered = True
    for index, row in enumerate(rows):
        keys = tuple(row)
        if keys not in good:
            if not (row.keys() <= names and required <= row.keys()):
                return index, ordered
            good.add(keys)
            ordered = ordered and list(keys) == sorted(keys)
        if None in fetch(row):
            return index, ordered
    return len(rows), ordered


DIGEST_LIST_CHUNK = 512


def _digest_matches(doc: dict[str, Any], presorted: set[str]) -> bool:
    """`envelope.verify(doc)`, the same answer, for a full export whose tables named in
    `presorted` hold only rows with their keys already in sorted order: the canonical text is fed
    to the hash as `compute_digest` builds it (keys sorted at every level, no whitespace), those
    rows encoded a few hundred at a time without sorting them again (a property test compares the
    two on backups changed at random, their rows' keys shuffled)."""
    import hashlib

    from recoverylog.exports.envelope import (
        DIGEST_PREFIX,
        canonical,
        claims_digest,
        content_pieces,
        row_encoder,
        verify,
    )

    claimed = doc.get("digest")
    data = doc.get("data")
    tables = data.get("tables") if isinstance(data, dict) else None
    if not isinstance(claimed, str) or not claimed.startswith(DIGEST_PREFIX) or not isinstance(tables, dict):
        return verify(doc)
    encode = row_encoder(sort_keys=False, compact=True)

    def table_pieces(table: str, rows: Any) -> Iterator[bytes]:
        if table not in presorted or not rows:
            yield canonical(rows)
            return
        yield b"["
        for start in range(0, len(rows), DIGEST_LIST_CHUNK):
            text = encode(rows[start:start + DIGEST_LIST_CHUNK])
            yield (b"," if start else b"") + text[1:-1].encode("utf-8")
        yield b"]"

    sha = hashlib.sha256()
    try:
        for piece in content_pieces(doc, table_pieces):
            sha.update(piece)
    except (TypeError, ValueError, RecursionError):
        return verify(doc)   # what the reference makes of it
    return claims_digest(doc, DIGEST_PREFIX + sha.hexdigest())


def read_full_file(path, label: str) -> Any:
    """Read and check a full export before any database is opened: size, UTF-8, JSON without
    duplicate keys, the shipped schema (first failing path named), dates within limits, and the
    JSON inside its text columns (docs/definitions.md §12)."""
    return read_full_backup(path, label)[0]


def read_full_backup(path, label: str) -> tuple[Any, bool]:
    """`read_full_file`, and whether `quick_accept` said yes (then `import_document(...,
    plain=True)` may skip the per-cell rule it has already applied)."""
    found = read_backup(path, label)
    return found.doc, found.plain


@record
class FullBackup:
    """A full backup read and checked (`read_backup`). `plain`: `quick_accept` said yes.
    `digest_matches`: the digest was found to match while the file was read by its layout
    (exports/full_layout.py); False means not yet known (`validate_full` checks it). `tables`:
    what `quick_accept` found of each table (`accepted_tables`), when it said yes."""
    doc: Any
    plain: bool
    digest_matches: bool
    tables: dict[str, PlainRows] | None = None


def read_backup(path, label: str) -> FullBackup:
    """`read_full_backup`, the file read by the exporter's layout where it has it (the same
    document as parsing it whole, and its digest checked from its text: docs/definitions.md §12,
    "Reading a backup by its layout")."""

    from recoverylog.exports.envelope import check_envelope, claims_digest, parse_json_bytes, read_file_bytes
    from recoverylog.exports.full_layout import read_laid_out

    raw = read_file_bytes(path, label, max_bytes=MAX_FULL_BYTES)
    good_dates: set[str] = set()
    # Each table's rows are judged as they are parsed (`plain_rows`, what quick_accept asks of
    # them); the answer also lets the parse do without the duplicate-key hook (full_layout._parse_rows).
    laid = read_laid_out(raw, lambda table, rows: plain_rows(table, rows, good_dates))
    if laid is None:
        doc, matches, judged = parse_json_bytes(raw, label), False, None
    else:
        doc, judged = laid.doc, laid.judged
        matches = claims_digest(doc, laid.text_digest)
    del raw, laid
    check_envelope(doc, label, profile="full")
    tables = accepted_tables(doc, judged)
    if tables is None:
        # Something in the file is unusual: the reference checks decide, and name the first problem.
        reference_checks(doc, label)
    return FullBackup(doc=doc, plain=tables is not None, digest_matches=matches, tables=tables)


def reference_checks(doc: Any, label: str) -> None:
    """The checks after the envelope, one rule at a time: InputError naming the first problem."""
    from recoverylog.schemacheck import check_export, check_json_columns

    check_export(doc, label)
    tables = doc["data"].get("tables")
    if isinstance(tables, dict):
        check_json_columns(tables, label)
        for number, row in enumerate(tables.get("uses") or []):
            amount = row.get("amount") if isinstance(row, dict) else None
            if isinstance(amount, (int, float)) and not isinstance(amount, bool):
                from recoverylog.limits import MAX_AMOUNT

                if not 0 <= amount <= MAX_AMOUNT:
                    raise InputError(f"{label}: $.data.tables.uses[{number}].amount: {amount:g} is outside "
                                     f"0–{MAX_AMOUNT:g}; nothing was imported.")


def quick_accept(doc: Any) -> bool:
    """True only when every check `read_full_file` makes after the envelope would pass
    (docs/definitions.md §12: the shipped schema, dates within limits, the JSON inside text columns,
    amounts within limits): the same rules, with a full export's tens of thousands of rows checked
    in one pass, what repeats among them (a row's keys, a date, a JSON column's text) decided once.
    The rest of the document, its rows set aside, goes through the schema check as it is
    (`first_problem_of_export` of that small stub: jsonschema on a few dozen values costs less than
    compiling the fast validator). False means "not sure": the reference checks then run and name
    the first problem, so this can only make a valid file faster, never accept one they would
    refuse (a property test compares the two on random and hostile documents).

    The stub goes through the shipped schema's predicate (`_envelope_accepted`). True also
    promises plain cells: every row an object of text, null, floats and integers within SQLite's
    range (what `validate_full(plain=True)` relies on); a larger integer answers "not sure". Each
    table's rows are judged by `plain_rows`."""
    return accepted_tables(doc) is not None


def accepted_tables(doc: Any, found: dict[str, PlainRows] | None = None) -> dict[str, PlainRows] | None:
    """`quick_accept`'s answer with what it learnt of each table (`plain_rows`), or None for
    "not sure". `found`: tables already judged by `plain_rows` (the layout reader judges each
    table as it parses it); a table is taken from there only when it holds these very rows."""
    if not isinstance(doc, dict) or doc.get("profile") != "full":
        return None
    data = doc.get("data")
    tables = data.get("tables") if isinstance(data, dict) else None
    if not isinstance(tables, dict) or not all(type(t) is str and type(r) is list for t, r in tables.items()):
        return None
    if not _envelope_accepted(doc, data, tables):
        return None
    good_dates: set[str] = set()
    judged: dict[str, PlainRows] = {}
    for table, rows in tables.items():
        known = found.get(table) if found else None
        plain = known if known is not None and known.rows is rows else plain_rows(table, rows, good_dates)
        if plain is None:
            return None
        judged[table] = plain
    return judged


def _envelope_accepted(doc: dict, data: dict, tables: dict) -> bool:
    """The document without its rows: the schema and the date rule, as the reference applies them.
    The schema is the shipped one's predicate as the package ships it written out
    (schemacheck._fast_valid, what the reference's `first_problem_of_export` asks of the same
    stub first): loading it costs less than compiling the schema's full-profile branch alone."""
    from recoverylog.schemacheck import _fast_valid, check_dates

    stub = dict(doc, data=dict(data, tables={table: [] for table in tables}))
    return _fast_valid(stub) and check_dates(stub) is None


@record
class PlainRows:
    """A table's rows as `plain_rows` found them (every check `quick_accept` makes passed).
    `keys`: when every row holds the same keys (the exporter's case), those keys in the first
    row's order, with `nulls` the keys holding a null somewhere, `filled` the search text columns
    (storage/full.SEARCH_TRIGGERS: note, gratitude) holding something other than null and '',
    and `quotes` the number of '"' characters the rows' strings (keys and text cells) take when
    written as JSON without \\u escapes (exports/full_layout.py: what shows that no key was
    written twice); `void` the keys holding a null in every row (storage/full.load_tables writes
    NULL for them in the statement instead of a value per row); `widest_float` the largest
    magnitude of a float cell (0.0 without one; unknown, inf, when judged row by row:
    exports/full_layout.py keeps a parse by a parser that reads an integer beyond 64 bits as a
    float only when no float reaches 2**63). `keys`
    None: rows of several shapes, judged row by row; nothing else is known."""
    rows: list
    keys: tuple[str, ...] | None
    nulls: frozenset[str]
    filled: frozenset[str]
    quotes: int | None
    void: frozenset[str] = frozenset()
    widest_float: float = math.inf


_PLAIN_KINDS = frozenset({str, type(None), float, int})
_INTS, _INTS_OR_NULL = frozenset({int}), frozenset({int, type(None)})
_TEXTS, _TEXTS_OR_NULL = frozenset({str}), frozenset({str, type(None)})
_FLOATS = frozenset({float})
_SEARCH_TEXT = frozenset({"note", "gratitude"})   # the columns storage/full.SEARCH_TRIGGERS copy (a test compares)


def plain_rows(table: str, rows: list, good_dates: set[str]) -> PlainRows | None:
    """`quick_accept`'s rules for one table's rows, or None ("not sure"). Rows that all hold the
    same keys are judged a column at a time (`_judge_columns`: each column's types, integer range,
    dates, JSON texts and amounts decided by C-level passes over it); others row by row
    (`_judge_rows`), as the rules were first written. Both give the same answer (a property test
    compares them, and compares `quick_accept` with the reference checks). `good_dates`: date
    texts already found good, shared between the tables of one document."""
    judged = _judge_columns(table, rows, good_dates)
    if judged is not _BY_ROWS:
        return judged
    if not _judge_rows(table, rows, good_dates):
        return None
    return PlainRows(rows=rows, keys=None, nulls=frozenset(), filled=frozenset(), quotes=None)


_BY_ROWS: Any = object()   # _judge_columns: these rows are not all of one shape


# Rows turned into columns at a time by _judge_columns: enough that the per-column work is spread
# thin, few enough that the columns of one such slice are all that is held beside the rows.
JUDGE_ROWS = 4096


def _judge_columns(table: str, rows: list, good_dates: set[str]) -> Any:
    """`plain_rows` for rows that all hold the first row's keys: each slice of JUDGE_ROWS rows is
    turned into its columns in one pass (a tuple of each row's cells in the keys' order, then
    transposed), and each column judged by C-level passes over it (types, integer range, dates,
    JSON texts, amounts); what is known of a column (its kinds, nulls, quotes) adds up over the
    slices. A row without one of the keys, or holding another: `_BY_ROWS`."""
    from operator import itemgetter

    from recoverylog.limits import MAX_AMOUNT
    from recoverylog.schemacheck import DATE_KEYS, JSON_COLUMNS, json_cell_problem

    count = len(rows)
    if not count:
        return PlainRows(rows=rows, keys=(), nulls=frozenset(), filled=frozenset(), quotes=0)
    if set(map(type, rows)) != {dict}:
        return None   # a row that is not an object: not a plain cell
    keys = tuple(rows[0])
    width = len(keys)
    if not all(type(k) is str for k in keys) or list(map(len, rows)).count(width) != count:
        return _BY_ROWS
    if not width:
        return PlainRows(rows=rows, keys=keys, nulls=frozenset(), filled=frozenset(), quotes=0,
                         widest_float=0.0)
    # Every row holds `width` keys; each holds all of `keys` (else KeyError below), so no other.
    cells = itemgetter(*keys) if width > 1 else (lambda row, key=keys[0]: (row[key],))
    empties = dict.fromkeys(keys, 0)
    filled: set[str] = set()
    quotes = count * sum(2 + k.count('"') for k in keys)
    json_columns = JSON_COLUMNS.get(table, {})
    good_json: dict[str, set] = {key: {None} for key in json_columns}
    dated = {key for key in keys if key in DATE_KEYS or key.endswith("_on")}
    none = type(None)
    widest = 0.0
    for begin in range(0, count, JUDGE_ROWS):
        try:
            columns = zip(keys, zip(*map(cells, rows[begin:begin + JUDGE_ROWS]), strict=True), strict=True)
        except KeyError:
            return _BY_ROWS
        for key, column in columns:
            size = len(column)
            kinds = set(map(type, column))
            if not kinds <= _PLAIN_KINDS:
                return None   # a bool, a list, an object, a subclass: not a plain cell
            empty = column.count(None) if none in kinds else 0
            if empty:
                empties[key] += empty
                if empty == size:
                    continue   # nothing but nulls: no other rule has anything to judge
            if key in _SEARCH_TEXT and size - empty - column.count(""):
                filled.add(key)
            if float in kinds:
                floats = column if kinds == _FLOATS else [v for v in column if type(v) is float]
                widest = max(widest, max(map(abs, floats)))
            if int in kinds:
                if kinds == _INTS:
                    if min(column) < INT_MIN or max(column) > INT_MAX:
                        return None
                elif kinds <= _INTS_OR_NULL:
                    nonzero = list(filter(None, column))   # 0 and null are within range
                    if nonzero and (min(nonzero) < INT_MIN or max(nonzero) > INT_MAX):
                        return None
                elif not all(INT_MIN <= v <= INT_MAX for v in column if type(v) is int):
                    return None
            if str in kinds:
                if kinds == _TEXTS:
                    quotes += 2 * size + "".join(column).count('"')
                elif kinds <= _TEXTS_OR_NULL:
                    quotes += 2 * (size - empty) + "".join(filter(None, column)).count('"')
                else:
                    strings = [v for v in column if type(v) is str]
                    quotes += 2 * len(strings) + "".join(strings).count('"')
                if key in dated and not good_dates.issuperset(column) and not _dates_good(set(column), good_dates):
                    return None
            rule = json_columns.get(key)
            if rule is not None:
                seen = good_json[key]
                for text in set(column) - seen:
                    if json_cell_problem(text, *rule) is not None:
                        return None
                    seen.add(text)
            if key == "amount" and table == "uses" and (int in kinds or float in kinds):
                if kinds <= {int, float, none}:
                    amounts = list(filter(None, column))
                    if amounts and (min(amounts) < 0 or max(amounts) > MAX_AMOUNT):
                        return None
                elif not all(0 <= v <= MAX_AMOUNT for v in column if type(v) in (int, float)):
                    return None
    return PlainRows(rows=rows, keys=keys, nulls=frozenset(k for k, n in empties.items() if n),
                     filled=frozenset(filled), quotes=quotes,
                     void=frozenset(k for k, n in empties.items() if n == count), widest_float=widest)


def _dates_good(distinct: set, good_dates: set[str]) -> bool:
    """The date rule (schemacheck.date_text_ok: a text of at least ten characters with '-' at the
    fifth and eighth is a real date within §1's limits in its first ten) for the distinct values of
    a column; those found good are remembered. Values that are all ten characters long are first
    read as dates all at once: when every one is a date within the limits, so is every date-shaped
    one among them (`date.fromisoformat` reads a few other ten-character forms too, which the
    rule does not test: then the answer can only be "all good" if it is); anything else is judged
    value by value."""
    from datetime import date

    from recoverylog.dates import MAX_DATE, MIN_DATE
    from recoverylog.schemacheck import date_text_ok

    fresh = distinct - good_dates
    fresh.discard(None)
    if not fresh:
        return True
    try:
        if set(map(len, fresh)) == {10}:
            days = list(map(date.fromisoformat, fresh))
            if MIN_DATE <= min(days) and max(days) <= MAX_DATE:
                good_dates |= fresh
                return True
    except (TypeError, ValueError):
        pass
    texts = [v for v in fresh if type(v) is str]
    for value in texts:
        if len(value) >= 10 and value[4] == "-" and value[7] == "-" and not date_text_ok(value[:10]):
            return False
    good_dates.update(texts)
    return True


def _judge_rows(table: str, rows: list, good_dates: set[str]) -> bool:
    """`plain_rows`' rules row by row (rows of several shapes)."""
    from recoverylog.limits import MAX_AMOUNT
    from recoverylog.schemacheck import DATE_KEYS, JSON_COLUMNS, date_text_ok, json_cell_problem

    json_columns = JSON_COLUMNS.get(table, {})
    good_json: dict[str, set[str]] = {column: set() for column in json_columns}
    shapes: dict[tuple, tuple[str, ...]] = {}   # a row's keys -> its date-holding keys
    for row in rows:
        if type(row) is not dict:
            return False
        keys = tuple(row)
        date_keys = shapes.get(keys)
        if date_keys is None:
            if not all(type(k) is str for k in keys):
                return False
            date_keys = shapes[keys] = tuple(k for k in keys if k in DATE_KEYS or k.endswith("_on"))
        for value in row.values():
            kind = type(value)
            if kind is str or value is None or kind is float:
                continue
            if kind is not int or not INT_MIN <= value <= INT_MAX:
                return False   # a bool, a list, an object, a subclass, a huge integer: not a plain cell
        for key in date_keys:
            value = row[key]
            if type(value) is not str or value in good_dates:
                continue
            if len(value) >= 10 and value[4] == "-" and value[7] == "-" and not date_text_ok(value[:10]):
                return False
            good_dates.add(value)
        for column, (want, item) in json_columns.items():
            text = row.get(column)
            if text is None or text in good_json[column]:
                continue
            if json_cell_problem(text, want, item) is not None:
                return False
            good_json[column].add(text)
    if table == "uses":
        for row in rows:
            amount = row.get("amount")
            if type(amount) in (int, float) and not 0 <= amount <= MAX_AMOUNT:
                return False
    return True


def import_document(store, doc: Any, label: str, *, plain: bool = False, digest_matches: bool = False,
                    judged: dict[str, PlainRows] | None = None) -> dict[str, int]:
    """Load a parsed full export into an empty database, in one transaction. Returns rows per table.
    `plain`: `quick_accept(doc)` said yes; `digest_matches`: the digest was found to match;
    `judged`: `FullBackup.tables` (see `validate_full`)."""
    from recoverylog.storage.full import load_tables, nonempty_tables

    busy = nonempty_tables(store)
    if busy:
        raise InputError(f"This database already holds data ({', '.join(busy)}); nothing was imported. "
                         "Import into a new, empty database with --db PATH.")
    tables = validate_full(store, doc, label, plain=plain, digest_matches=digest_matches, judged=judged)
    shapes = None
    if judged and plain:
        # Tables whose rows all hold the same keys go in by one statement for those keys.
        shapes = {t: (j.keys, j.filled, j.void) for t, j in judged.items() if j.keys and j.rows is tables.get(t)}
    return load_tables(store, tables, shapes=shapes)
