"""Exports: what leaves the machine, by profile.

Each profile is a module here with `build(store, request) -> ExportDocument`:
`court` (attendance sheet), `sponsor` (summary), `full` (backup), `care` (for a counselor,
therapist or prescriber).
A profile decides its own default period and which formats it supports; the CLI only
resolves options, calls `build`, writes the document and logs it."""

from __future__ import annotations

from dataclasses import field
from datetime import date
from importlib import import_module

from recoverylog.errors import InputError
from recoverylog.records import record

PROFILES = ("sponsor", "court", "full", "care")
FORMATS = ("markdown", "html", "json", "csv")


@record
class ExportRequest:
    profile: str
    format: str | None            # None: the profile's default format
    today: date
    as_of: date
    week: bool = False
    month: bool = False
    since: date | None = None
    until: date | None = None
    include_notes: bool = False
    include_warnings: bool = False
    include_health: bool = False  # sponsor: add self-assessments and medication (left out by default)
    name: str | None = None
    to: str | None = None
    message: str | None = None
    table: str | None = None      # court CSV: "attendance" (default) or "totals"


@record
class ExportDocument:
    profile: str
    format: str
    content: str                  # the text to write (UTF-8)
    period_start: date | None = None
    period_end: date | None = None
    digest: str | None = None     # "sha256:<hex>" when the format carries one
    extra: dict = field(default_factory=dict)


def build(store, request: ExportRequest) -> ExportDocument:
    if request.profile not in PROFILES:
        raise InputError(f"Unknown profile {request.profile!r}: use {', '.join(PROFILES)}.")
    if request.format is not None and request.format not in FORMATS:
        raise InputError(f"Unknown format {request.format!r}: use {', '.join(FORMATS)}.")
    if request.table is not None and request.profile != "court":
        raise InputError("--table chooses a table of the court sheet's CSV (--profile court -f csv); "
                         f"the {request.profile} export has no tables to choose.")
    try:
        module = import_module(f"recoverylog.exports.{request.profile}")
    except ModuleNotFoundError as exc:
        if exc.name == f"recoverylog.exports.{request.profile}":
            raise InputError(f"The {request.profile} profile is not available in this version.") from None
        raise
    return module.build(store, request)
