"""The schema, as ordered migrations.

Rules (STYLE.md): a released migration is never renamed, reordered or edited;
add a new function at the end. `PRAGMA user_version` mirrors the number of
applied migrations so that opening a database can tell, without a scan and
without importing sqlite-utils, whether it is current, behind or newer.
Each migration gets a sqlite_utils.Database.
"""

from __future__ import annotations

APPLICATION_ID = 0x52434C47  # "RCLG": marks a file as a recoverylog database
MIGRATION_SET = "recoverylog"


def _run_script(db, script: str) -> None:
    """Run statements one by one: sqlite3's executescript() would COMMIT the
    surrounding transaction, and a migration must be all or nothing."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    for statement in "\n".join(lines).split(";"):
        if statement.strip():
            db.execute(statement)


def m001_initial(db) -> None:
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    _run_script(
        db,
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        -- Every edit or delete keeps the previous values here (JSON), never overwritten.
        CREATE TABLE revisions (
            id INTEGER PRIMARY KEY,
            entity TEXT NOT NULL,          -- 'checkin', 'use', 'meeting', ...
            entity_key TEXT NOT NULL,      -- e.g. the date, or 'substance_id:date', or an id
            action TEXT NOT NULL,          -- 'update' | 'delete' | 'restore'
            data TEXT NOT NULL,            -- JSON of the row before the change
            changed_at TEXT NOT NULL,      -- UTC ISO 8601
            changed_on TEXT NOT NULL       -- local date the change counts for
        );
        CREATE INDEX revisions_entity ON revisions (entity, entity_key);

        CREATE TABLE checkins (
            date TEXT PRIMARY KEY,         -- local date the check-in counts for
            mood INTEGER CHECK (mood BETWEEN 1 AND 10),
            craving INTEGER CHECK (craving BETWEEN 0 AND 10),
            stress INTEGER CHECK (stress BETWEEN 0 AND 10),
            sleep REAL CHECK (sleep BETWEEN 0 AND 24),
            halt TEXT NOT NULL DEFAULT '[]',
            gratitude TEXT,
            note TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            recorded_at TEXT NOT NULL,     -- first written, UTC
            recorded_on TEXT NOT NULL,     -- local date of the first write (later than date = back-filled)
            updated_at TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE substances (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            unit TEXT NOT NULL DEFAULT 'none',
            goal TEXT NOT NULL DEFAULT 'abstain',
            max_per_day REAL,
            max_days INTEGER,
            max_days_per TEXT,
            declared_last_use TEXT,
            milestones INTEGER,            -- NULL: the default for the goal; 0/1 forced
            added_on TEXT NOT NULL,
            created_at TEXT NOT NULL,
            archived_on TEXT
        );
        CREATE TABLE uses (
            substance_id INTEGER NOT NULL REFERENCES substances(id),
            date TEXT NOT NULL,
            used INTEGER NOT NULL CHECK (used IN (0, 1)),
            amount REAL CHECK (amount >= 0),
            note TEXT,
            recorded_at TEXT NOT NULL,
            recorded_on TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (substance_id, date)
        ) WITHOUT ROWID;

        CREATE TABLE meetings (
            id INTEGER PRIMARY KEY,
            date TEXT NOT NULL,
            time TEXT,
            minutes INTEGER,
            name TEXT NOT NULL,
            fellowship TEXT,
            format TEXT,
            location TEXT,
            online_id TEXT,
            group_number TEXT,
            role TEXT NOT NULL DEFAULT 'attended',
            home_group INTEGER NOT NULL DEFAULT 0,
            verification TEXT NOT NULL DEFAULT 'none',
            verified_by TEXT,
            ref TEXT,
            note TEXT,
            recorded_at TEXT NOT NULL,
            recorded_on TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX meetings_date ON meetings (date);
        CREATE INDEX meetings_name ON meetings (name COLLATE NOCASE, date);

        CREATE TABLE requirements (
            id INTEGER PRIMARY KEY,
            label TEXT NOT NULL UNIQUE COLLATE NOCASE,
            count INTEGER NOT NULL,
            per TEXT NOT NULL,
            start TEXT NOT NULL,
            end TEXT,
            verified_only INTEGER NOT NULL DEFAULT 0,
            fellowships TEXT NOT NULL DEFAULT '[]',
            week_starts TEXT NOT NULL DEFAULT 'monday',
            created_at TEXT NOT NULL
        );

        CREATE TABLE goals (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            metric TEXT NOT NULL,
            substance_id INTEGER REFERENCES substances(id),
            target REAL,
            every_day INTEGER NOT NULL DEFAULT 0,
            per TEXT NOT NULL,
            start TEXT NOT NULL,
            due TEXT,
            done_on TEXT,
            archived_on TEXT,
            created_at TEXT NOT NULL
        );

        CREATE TABLE contacts (
            id INTEGER PRIMARY KEY,
            alias TEXT NOT NULL UNIQUE COLLATE NOCASE,
            role TEXT NOT NULL,
            phone TEXT,
            note TEXT,
            created_at TEXT NOT NULL,
            removed_on TEXT
        );
        CREATE TABLE outreach (
            id INTEGER PRIMARY KEY,
            contact_id INTEGER NOT NULL REFERENCES contacts(id),
            date TEXT NOT NULL,
            how TEXT,
            about TEXT,
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX outreach_date ON outreach (date);

        -- The plan is kept whole per version: the newest row is the current plan.
        CREATE TABLE plan_versions (
            id INTEGER PRIMARY KEY,
            data TEXT NOT NULL,            -- JSON {section: [items]}
            change TEXT NOT NULL,          -- what changed, in words
            created_at TEXT NOT NULL,
            created_on TEXT NOT NULL
        );

        CREATE TABLE steps (
            id INTEGER PRIMARY KEY,
            program TEXT NOT NULL,
            step INTEGER NOT NULL,
            status TEXT NOT NULL,
            date TEXT NOT NULL,
            note TEXT,
            recorded_at TEXT NOT NULL
        );

        CREATE TABLE exports (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            profile TEXT NOT NULL,
            period_start TEXT,
            period_end TEXT,
            format TEXT NOT NULL,
            digest TEXT,
            to_label TEXT,
            destination TEXT
        );
        """
    )


def m030_health(db) -> None:
    """Self-assessments and medication (docs/definitions.md §9). Medication lives apart from
    substances and uses: it is never use and never touches a count of days without use."""
    _run_script(
        db,
        """
        CREATE TABLE assessments (
            id INTEGER PRIMARY KEY,
            instrument TEXT NOT NULL,      -- phq9 | phq2 | gad7 | gad2 | barc10
            date TEXT NOT NULL,            -- local date it was taken for
            answers TEXT NOT NULL,         -- JSON list of item answers, in item order
            total INTEGER NOT NULL,
            band TEXT,                     -- the band as the instrument names it; NULL for BARC-10
            item9_positive INTEGER NOT NULL DEFAULT 0 CHECK (item9_positive IN (0, 1)),
            recorded_at TEXT NOT NULL,
            recorded_on TEXT NOT NULL
        );
        CREATE INDEX assessments_instrument_date ON assessments (instrument, date);

        CREATE TABLE medications (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            dose TEXT,
            schedule TEXT NOT NULL DEFAULT 'daily'
                CHECK (schedule IN ('daily', 'twice-daily', 'weekly', 'as-needed')),
            kind TEXT NOT NULL DEFAULT 'other' CHECK (kind IN ('moud', 'psychiatric', 'other')),
            added_on TEXT NOT NULL,
            created_at TEXT NOT NULL,
            archived_on TEXT
        );
        -- One row per dose recorded: taken (1) or missed (0). A dose with no row is unrecorded.
        CREATE TABLE medication_doses (
            medication_id INTEGER NOT NULL REFERENCES medications(id),
            date TEXT NOT NULL,
            dose_number INTEGER NOT NULL DEFAULT 1 CHECK (dose_number >= 1),
            taken INTEGER NOT NULL CHECK (taken IN (0, 1)),
            recorded_at TEXT NOT NULL,
            recorded_on TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (medication_id, date, dose_number)
        ) WITHOUT ROWID;
        CREATE INDEX medication_doses_date ON medication_doses (date);
        """
    )


def m040_rhythm(db) -> None:
    """What one unit (or a typical day before) of a substance cost, for money not spent, and the
    days a person chose not to fill in when the check-in offered (docs/definitions.md §10)."""
    _run_script(
        db,
        """
        ALTER TABLE substances ADD COLUMN cost REAL CHECK (cost > 0);
        ALTER TABLE substances ADD COLUMN cost_per TEXT CHECK (cost_per IN ('unit', 'day'));
        CREATE TABLE backfill_declined (
            date TEXT PRIMARY KEY,         -- the unrecorded day the person chose to leave as it is
            declined_at TEXT NOT NULL      -- UTC
        ) WITHOUT ROWID;
        """,
    )


# Append new migrations here; never edit, rename or reorder one that has shipped.
MIGRATIONS = [m001_initial, m030_health, m040_rhythm]
SCHEMA_VERSION = len(MIGRATIONS)


def build_migrations():
    from sqlite_utils import Migrations

    migrations = Migrations(MIGRATION_SET)
    for fn in MIGRATIONS:
        migrations()(fn)
    return migrations
