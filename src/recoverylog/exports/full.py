"""The `full` profile: every table's rows, for the person's own backup or a move to a new
machine (notes included: it is their own data). `recoverylog import` reads it back."""

from __future__ import annotations

from typing import Any

from recoverylog.errors import InputError
from recoverylog.exports import ExportDocument, ExportRequest

MAX_FULL_BYTES = 512 * 1024 * 1024


def build_envelope(store, request: ExportRequest) -> dict[str, Any]:
    from recoverylog.exports.envelope import make_envelope
    from recoverylog.storage.full import dump_tables, schema_version

    if request.week or request.month or request.since or request.until:
        raise InputError("The full export holds everything; --week, --month, --since and --until do not apply.")
    data = {"schema_version": schema_version(store), "tables": dump_tables(store),
            # The private signing key is a file beside the database, never in a backup (docs/definitions.md §8).
            "signing_key": {"included": False,
                            "how_to_move": "recoverylog key export-private FILE on the old machine, then "
                                           "recoverylog key import-private FILE on the new one"}}
    generated_at, _ = store.stamp()
    return make_envelope(profile="full", generated_at=generated_at, period=None,
                         name=request.name, data=data)


def build(store, request: ExportRequest) -> ExportDocument:
    from recoverylog.exports.envelope import dumps

    if request.format not in (None, "json"):
        raise InputError(f"The full export is JSON only (a backup to read back with `recoverylog import`), "
                         f"not {request.format}.")
    doc = build_envelope(store, request)
    return ExportDocument(profile="full", format="json", content=dumps(doc), digest=doc["digest"])


def _valid_value(value: Any) -> bool:
    if value is None or isinstance(value, str):
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    return isinstance(value, float)


def validate_full(store, doc: Any, label: str) -> dict[str, list[dict[str, Any]]]:
    """Check a parsed full export completely, before anything is written.
    Returns the tables to load."""
    from recoverylog.exports.envelope import check_envelope, verify
    from recoverylog.storage.full import TABLES, schema_version, table_columns

    check_envelope(doc, label, profile="full")
    if not verify(doc):
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
        columns = {c["name"]: c for c in table_columns(store, table)}
        required = {n for n, c in columns.items() if c["notnull"] and c["dflt_value"] is None and not c["pk"]}
        for number, row in enumerate(rows, 1):
            if not isinstance(row, dict):
                raise InputError(f"{label}: row {number} of {table} is not an object; nothing was imported.")
            extra = [k for k in row if k not in columns]
            if extra:
                raise InputError(f"{label}: row {number} of {table} has an unknown column "
                                 f"{str(extra[0])[:40]!r}; nothing was imported.")
            missing = sorted(required - {k for k, v in row.items() if v is not None})
            if missing:
                raise InputError(f"{label}: row {number} of {table} has no {missing[0]}; nothing was imported.")
            bad = [k for k, v in row.items() if not _valid_value(v)]
            if bad:
                raise InputError(f"{label}: row {number} of {table}: {bad[0]} is not a number, text or null; "
                                 "nothing was imported.")
        checked[table] = rows
    return checked


def read_full_file(path, label: str) -> Any:
    """Read and parse a full export (size, UTF-8, JSON) before any database is opened."""
    from recoverylog.exports.envelope import read_json_file

    return read_json_file(path, label, max_bytes=MAX_FULL_BYTES)


def import_document(store, doc: Any, label: str) -> dict[str, int]:
    """Load a parsed full export into an empty database, in one transaction. Returns rows per table."""
    from recoverylog.storage.full import load_tables, nonempty_tables

    busy = nonempty_tables(store)
    if busy:
        raise InputError(f"This database already holds data ({', '.join(busy)}); nothing was imported. "
                         "Import into a new, empty database with --db PATH.")
    tables = validate_full(store, doc, label)
    return load_tables(store, tables)
