"""What each table and column holds, in words: the source of `db datasette-metadata`
(docs/definitions.md §11).

The first migration (m001, released) stored its tables without their comments, and SQLite cannot
add a comment to an existing table without rebuilding it; so the words for those tables live here.
Tables from later migrations keep their `--` comments in the stored schema (migrations split
statements with sqlite3.complete_statement), and columns described only there are read from it."""

from __future__ import annotations

import re
from typing import Any

TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "settings": ("How things are shown (day-start hour, milestones, …); never how rows are read.", {
        "key": "Setting name", "value": "Its value, as text", "updated_at": "When it was last changed (UTC)"}),
    "revisions": ("Every edit or delete keeps the earlier values here, never overwritten.", {
        "entity": "What changed: checkin, use, meeting, …", "entity_key": "Which one: a date, 'substance_id:date' or an id",
        "action": "update, delete, restore or undo", "data": "JSON of the row before the change",
        "changed_at": "When (UTC)", "changed_on": "The local date the change counts for"}),
    "checkins": ("One daily check-in per date; checking in again merges into it.", {
        "date": "The local date the check-in counts for", "mood": "1–10, 10 = best",
        "craving": "0–10, the strongest urge that day", "stress": "0–10", "sleep": "Hours slept, 0–24",
        "halt": "JSON list of hungry, angry, lonely, tired", "gratitude": "Private free text",
        "note": "Private free text", "tags": "JSON list of words",
        "recorded_at": "First written (UTC)", "recorded_on": "Local date of the first write (after date: filled in later)",
        "updated_at": "Last changed (UTC)"}),
    "substances": ("What is tracked, with its unit and goal.", {
        "name": "Name (unique, case-insensitive)", "unit": "drinks, count or none (used or not)",
        "goal": "abstain, reduce or monitor", "max_per_day": "reduce: the most per day within goal",
        "max_days": "reduce: the most use days per week or month", "max_days_per": "week or month",
        "declared_last_use": "The last use before tracking began, as the person gave it",
        "milestones": "Empty: the goal's default; 0/1: switched off/on", "added_on": "The day it was added",
        "created_at": "When it was added (UTC)", "archived_on": "No longer tracked from this day",
        "cost": "What one unit, or a typical day of use, cost (money not spent)",
        "cost_per": "unit or day: what cost is for"}),
    "uses": ("One record per date and substance: used or not (a date with no record is unrecorded, never sober).", {
        "substance_id": "The substance (substances.id)", "date": "The local date",
        "used": "1 used, 0 a recorded day without use", "amount": "How much, in the substance's unit",
        "note": "Private note", "recorded_at": "First written (UTC)",
        "recorded_on": "Local date of the first write", "updated_at": "Last changed (UTC)"}),
    "meetings": ("Meetings attended: what court cards and slips ask.", {
        "date": "The local date", "time": "Start time, HH:MM", "minutes": "How long",
        "name": "The meeting's name", "fellowship": "AA, NA, SMART, LifeRing, …",
        "format": "in-person, online, phone or hybrid", "location": "Where it meets",
        "online_id": "The online meeting ID", "group_number": "The group's number",
        "role": "attended, shared, chaired or service", "home_group": "1 when it is the home group",
        "verification": "none, signature, initials, email, pathcheck or certificate",
        "verified_by": "First name or initials only (anonymity)", "ref": "A reference code",
        "note": "Private note (never on a court sheet)", "recorded_at": "First written (UTC)",
        "recorded_on": "Local date of the first write", "updated_at": "Last changed (UTC)"}),
    "requirements": ("Attendance requirements: N meetings per week or month from a start date.", {
        "label": "Its name (court, probation, …)", "count": "Meetings required per period",
        "per": "week or month", "start": "First day", "end": "Last day, if it ends",
        "verified_only": "1: only verified meetings count", "fellowships": "JSON list: only these count (empty: all)",
        "week_starts": "The first day of its weeks", "created_at": "When it was added (UTC)"}),
    "goals": ("Goals with a metric and a target per period.", {
        "title": "In the person's words", "metric": "meetings, checkins, sober-days, outreach or manual",
        "substance_id": "For sober-days: the substance", "target": "How many per period",
        "every_day": "1: every day of the period", "per": "week, month or total", "start": "First day",
        "due": "Due date", "done_on": "Marked done on", "archived_on": "Archived on",
        "created_at": "When it was added (UTC)"}),
    "contacts": ("The support network, by alias.", {
        "alias": "A name or alias (unique)", "role": "sponsor, peer, counselor, …",
        "phone": "Phone number (never in a summary)", "note": "Private note",
        "created_at": "When it was added (UTC)", "removed_on": "Removed from the list on"}),
    "outreach": ("Each time the person reached out to a contact.", {
        "contact_id": "The contact (contacts.id)", "date": "The local date", "how": "call, text, in person, …",
        "about": "What it was about (private)", "recorded_at": "When it was written (UTC)"}),
    "plan_versions": ("The relapse-prevention plan, kept whole per version: the newest row is the current plan.", {
        "data": "JSON {section: [items]}", "change": "What changed, in words",
        "created_at": "When (UTC)", "created_on": "The local date"}),
    "steps": ("Step work: a status per step and date.", {
        "program": "AA, NA, …", "step": "The step's number", "status": "not-started, in-progress or done",
        "date": "The local date", "note": "Private note", "recorded_at": "When it was written (UTC)"}),
    "exports": ("Every export that left the terminal: when, what, for whom.", {
        "created_at": "When (UTC)", "profile": "sponsor, court or full", "period_start": "First day covered",
        "period_end": "Last day covered", "format": "markdown, html, json or csv",
        "digest": "SHA-256 of the content", "to_label": "Who it was for", "destination": "A file path, or pipe"}),
    "assessments": ("Self-assessments (PHQ-9, PHQ-2, GAD-7, GAD-2, BARC-10), scored exactly; a score is not a diagnosis.", {
        "instrument": "phq9, phq2, gad7, gad2 or barc10", "date": "The local date it was taken for",
        "answers": "JSON list of item answers, in item order", "total": "The score",
        "band": "The band as the instrument names it (none for BARC-10)",
        "item9_positive": "1 when PHQ-9 item 9 was above 0", "recorded_at": "When it was written (UTC)",
        "recorded_on": "The local date it was written"}),
    "medications": ("Medication taken (MOUD, psychiatric, other): never use, never a count of days without use.", {
        "name": "Name (unique, case-insensitive)", "dose": "The dose, as the person wrote it",
        "schedule": "daily, twice-daily, weekly or as-needed", "kind": "moud, psychiatric or other",
        "added_on": "The day it was added", "created_at": "When it was added (UTC)",
        "archived_on": "No longer asked about from this day"}),
    "medication_doses": ("One row per dose recorded, taken or missed; a dose with no row is unrecorded.", {
        "medication_id": "The medication (medications.id)", "date": "The local date",
        "dose_number": "1, or 2 for a twice-daily dose", "taken": "1 taken, 0 missed",
        "recorded_at": "First written (UTC)", "recorded_on": "Local date of the first write",
        "updated_at": "Last changed (UTC)"}),
    "backfill_declined": ("Unrecorded days the person chose to leave as they are when the check-in offered "
                          "to fill them in (never offered again).", {}),
    "search_text": ("The searchable text of notes, gratitude and the current plan, kept by triggers "
                    "(search it in Datasette through search_text_fts).", {}),
    "daily": ("One row per date with anything recorded: check-in fields, meetings, use per substance.", {
        "meetings": "Meetings logged that date",
        "uses": 'JSON {"substance": {"used": 0 or 1, "amount": n}}; a substance missing was not recorded that day'}),
}

def stored_schema(store) -> list[dict[str, Any]]:
    """Tables and views as stored, each with its column names (PRAGMA table_info)."""
    rows = store.query("SELECT name, type, sql FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY rowid")
    out = []
    for row in rows:
        columns = [c["name"] for c in store.query(f"PRAGMA table_info(\"{row['name']}\")")]
        out.append({"name": row["name"], "type": row["type"], "sql": row["sql"], "columns": columns})
    return out


LABEL_COLUMNS = {"contacts": "alias", "substances": "name", "requirements": "label", "goals": "title"}
_VIEW_COLUMN_COMMENT = re.compile(r'\bAS\s+"?(\w+)"?\s*,?\s*--\s*(.+?)\s*$', re.IGNORECASE)
_COLUMN_COMMENT = re.compile(r'^\s*"?(\w+)"?\s+[A-Z][^\n]*?--\s*(.+?)\s*$', re.IGNORECASE)


def comments_in(sql: str | None) -> dict[str, str]:
    """`name TYPE …, -- words` (tables) and `expr AS name, -- words` (views) from stored SQL."""
    out: dict[str, str] = {}
    for line in (sql or "").splitlines():
        match = _VIEW_COLUMN_COMMENT.search(line) or _COLUMN_COMMENT.match(line)
        if match:
            out.setdefault(match.group(1), match.group(2))
    return out


def datasette_metadata(schema: list[dict[str, Any]], database: str) -> dict[str, Any]:
    """A Datasette metadata.json for the tables and views in `schema` (rows of sqlite_master with
    their column names)."""
    tables: dict[str, Any] = {}
    for entry in schema:
        name = entry["name"]
        if name.startswith(("sqlite_", "_sqlite_", "search_text_fts")):
            continue
        description, columns = TABLES.get(name, ("", {}))
        stored = comments_in(entry.get("sql"))
        described = {c: columns.get(c) or stored.get(c) for c in entry["columns"]}
        table: dict[str, Any] = {}
        if description:
            table["description"] = description
        if any(described.values()):
            table["columns"] = {c: d for c, d in described.items() if d}
        if name in LABEL_COLUMNS:
            table["label_column"] = LABEL_COLUMNS[name]
        tables[name] = table
    return {
        "title": "recoverylog",
        "description": "A private recovery journal. Notes, gratitude and phone numbers are private: "
                       "serve this on localhost only.",
        "databases": {database: {"tables": tables}},
    }
