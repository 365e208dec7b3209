"""The schema, as ordered migrations.

Rules: a released migration is never renamed, reordered or edited;
add a new function at the end. `PRAGMA user_version` mirrors the number of
applied migrations so that opening a database can tell, without a scan and
without importing sqlite-utils, whether it is current, behind or newer.
Each migration gets a sqlite_utils.Database, except when a NEW journal is made: then
`apply_migrations` runs the same migration functions against `_LightDatabase`, the few
sqlite-utils calls they make (execute, executescript, a table's enable_fts and populate_fts)
restated in plain sqlite3 with the very SQL text sqlite-utils writes, so creating a journal
does not import sqlite-utils (docs/definitions.md §11). A test builds a journal both ways and
compares every statement in `sqlite_master`, every row and the header pragmas.
"""

from __future__ import annotations

APPLICATION_ID = 0x52434C47  # "RCLG": marks a file as a recoverylog database
MIGRATION_SET = "recoverylog"


def _run_script(db, script: str) -> None:
    """m001's statement runner, kept exactly as released: it drops `--` comments and splits on
    ';', so every database has the same stored m001 schema whichever version created it
    (docs/definitions.md §11 explains why m001's comments live in storage/schema_docs.py)."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    for statement in "\n".join(lines).split(";"):
        if statement.strip():
            db.execute(statement)


def split_statements(script: str) -> list[str]:
    """Complete SQL statements of a script, by `sqlite3.complete_statement`: a ';' inside a
    string, a comment or a trigger body does not end a statement, and comments stay in the text
    (so SQLite stores them in the schema)."""
    import sqlite3

    statements: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    rest = "\n".join(line for line in pending.splitlines() if not line.strip().startswith("--")).strip()
    if rest:
        # A last statement without its ';' (sqlite-utils writes them so) is still one statement.
        if not sqlite3.complete_statement(pending + ";"):
            raise ValueError(f"incomplete SQL statement at the end of a script: {rest[:60]!r}")
        statements.append(pending.strip())
    return statements


def run_statements(db, script: str) -> None:
    """Run a script's statements one by one inside the migration's transaction (sqlite3's
    executescript() would COMMIT it, and a migration must be all or nothing)."""
    for statement in split_statements(script):
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


def m002_health(db) -> None:
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


# -- search (docs/definitions.md §11) -------------------------------------------------
# checkins and uses are WITHOUT ROWID tables (clustered on their date keys), and FTS5 external
# content needs a rowid, so the searchable text is copied into `search_text` by triggers on each
# source table; sqlite-utils' enable_fts(create_triggers=True) keeps the FTS index in step with it.
SEARCH_SOURCES = """
CREATE TABLE search_text (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,          -- 'checkin', 'use', 'meeting' or 'plan'
    source_key TEXT NOT NULL,      -- the row it came from: a date, 'substance_id:date', an id
    date TEXT NOT NULL,            -- the local date the text belongs to
    field TEXT NOT NULL,           -- 'note', 'gratitude', a plan section …
    text TEXT NOT NULL             -- the words searched
);
CREATE INDEX search_text_source ON search_text (source, source_key);

CREATE TRIGGER search_checkins_ai AFTER INSERT ON checkins BEGIN
    INSERT INTO search_text (source, source_key, date, field, text)
        SELECT 'checkin', NEW.date, NEW.date, 'note', NEW.note WHERE NEW.note IS NOT NULL AND NEW.note != ''
        UNION ALL
        SELECT 'checkin', NEW.date, NEW.date, 'gratitude', NEW.gratitude
            WHERE NEW.gratitude IS NOT NULL AND NEW.gratitude != '';
END;
CREATE TRIGGER search_checkins_ad AFTER DELETE ON checkins BEGIN
    DELETE FROM search_text WHERE source = 'checkin' AND source_key = OLD.date;
END;
CREATE TRIGGER search_checkins_au AFTER UPDATE ON checkins BEGIN
    DELETE FROM search_text WHERE source = 'checkin' AND source_key = OLD.date;
    INSERT INTO search_text (source, source_key, date, field, text)
        SELECT 'checkin', NEW.date, NEW.date, 'note', NEW.note WHERE NEW.note IS NOT NULL AND NEW.note != ''
        UNION ALL
        SELECT 'checkin', NEW.date, NEW.date, 'gratitude', NEW.gratitude
            WHERE NEW.gratitude IS NOT NULL AND NEW.gratitude != '';
END;

CREATE TRIGGER search_uses_ai AFTER INSERT ON uses WHEN NEW.note IS NOT NULL AND NEW.note != '' BEGIN
    INSERT INTO search_text (source, source_key, date, field, text)
        VALUES ('use', NEW.substance_id || ':' || NEW.date, NEW.date, 'note', NEW.note);
END;
CREATE TRIGGER search_uses_ad AFTER DELETE ON uses BEGIN
    DELETE FROM search_text WHERE source = 'use' AND source_key = OLD.substance_id || ':' || OLD.date;
END;
CREATE TRIGGER search_uses_au AFTER UPDATE ON uses BEGIN
    DELETE FROM search_text WHERE source = 'use' AND source_key = OLD.substance_id || ':' || OLD.date;
    INSERT INTO search_text (source, source_key, date, field, text)
        SELECT 'use', NEW.substance_id || ':' || NEW.date, NEW.date, 'note', NEW.note
        WHERE NEW.note IS NOT NULL AND NEW.note != '';
END;

CREATE TRIGGER search_meetings_ai AFTER INSERT ON meetings WHEN NEW.note IS NOT NULL AND NEW.note != '' BEGIN
    INSERT INTO search_text (source, source_key, date, field, text)
        VALUES ('meeting', NEW.id, NEW.date, 'note', NEW.note);
END;
CREATE TRIGGER search_meetings_ad AFTER DELETE ON meetings BEGIN
    DELETE FROM search_text WHERE source = 'meeting' AND source_key = CAST(OLD.id AS TEXT);
END;
CREATE TRIGGER search_meetings_au AFTER UPDATE ON meetings BEGIN
    DELETE FROM search_text WHERE source = 'meeting' AND source_key = CAST(OLD.id AS TEXT);
    INSERT INTO search_text (source, source_key, date, field, text)
        SELECT 'meeting', NEW.id, NEW.date, 'note', NEW.note WHERE NEW.note IS NOT NULL AND NEW.note != '';
END;

-- The plan is kept whole per version; only the newest version's items are searched.
CREATE TRIGGER search_plan_ai AFTER INSERT ON plan_versions BEGIN
    DELETE FROM search_text WHERE source = 'plan';
    INSERT INTO search_text (source, source_key, date, field, text)
        SELECT 'plan', NEW.id, NEW.created_on, key, words FROM (
            SELECT section.key AS key, CASE item.type WHEN 'text' THEN item.value
                   WHEN 'object' THEN json_extract(item.value, '$.label') END AS words  -- risk dates: {date, label}
            FROM json_each(NEW.data) AS section, json_each(section.value) AS item)
        WHERE words IS NOT NULL AND words != '';
END;
"""

SEARCH_BACKFILL = """
INSERT INTO search_text (source, source_key, date, field, text)
    SELECT 'checkin', date, date, 'note', note FROM checkins WHERE note IS NOT NULL AND note != '';
INSERT INTO search_text (source, source_key, date, field, text)
    SELECT 'checkin', date, date, 'gratitude', gratitude FROM checkins WHERE gratitude IS NOT NULL AND gratitude != '';
INSERT INTO search_text (source, source_key, date, field, text)
    SELECT 'use', substance_id || ':' || date, date, 'note', note FROM uses WHERE note IS NOT NULL AND note != '';
INSERT INTO search_text (source, source_key, date, field, text)
    SELECT 'meeting', id, date, 'note', note FROM meetings WHERE note IS NOT NULL AND note != '';
INSERT INTO search_text (source, source_key, date, field, text)
    SELECT 'plan', id, created_on, key, words FROM (
        SELECT v.id AS id, v.created_on AS created_on, section.key AS key,
               CASE item.type WHEN 'text' THEN item.value WHEN 'object' THEN json_extract(item.value, '$.label') END AS words
        FROM (SELECT * FROM plan_versions ORDER BY id DESC LIMIT 1) AS v,
             json_each(v.data) AS section, json_each(section.value) AS item)
    WHERE words IS NOT NULL AND words != '';
"""


def m003_search(db) -> None:
    run_statements(db, SEARCH_SOURCES)
    run_statements(db, SEARCH_BACKFILL)
    # sqlite-utils runs its FTS set-up through executescript(), which would COMMIT this
    # migration's transaction half-way: route it through run_statements instead.
    db.executescript = lambda script: run_statements(db, script)
    try:
        db["search_text"].enable_fts(["text"], fts_version="FTS5", create_triggers=True, tokenize="porter")
        db["search_text"].populate_fts(["text"])
    finally:
        del db.executescript


# -- the `daily` view (docs/definitions.md §11) -------------------------------------------
DAILY_VIEW = """
-- One row per date that has anything recorded: the check-in's fields, the number of meetings,
-- and use per substance as JSON {"substance": {"used": 0|1, "amount": n}} (a substance missing
-- from it was not recorded that day: unrecorded, never sober).
CREATE VIEW daily AS
WITH days AS (
    SELECT date FROM checkins
    UNION SELECT date FROM meetings
    UNION SELECT date FROM uses
)
SELECT
    days.date AS date,                       -- local calendar date (YYYY-MM-DD)
    c.mood AS mood,                          -- 1–10, 10 = best
    c.craving AS craving,                    -- 0–10, strongest urge that day
    c.stress AS stress,                      -- 0–10
    c.sleep AS sleep,                        -- hours
    c.halt AS halt,                          -- JSON list: hungry, angry, lonely, tired
    c.tags AS tags,                          -- JSON list of words
    c.date IS NOT NULL AS checked_in,        -- 1 when the date has a check-in
    (SELECT count(*) FROM meetings m WHERE m.date = days.date) AS meetings,
    (SELECT json_group_object(s.name, json_object('used', u.used, 'amount', u.amount))
       FROM uses u JOIN substances s ON s.id = u.substance_id WHERE u.date = days.date) AS uses
FROM days LEFT JOIN checkins c ON c.date = days.date
ORDER BY days.date;
"""


def m004_daily_view(db) -> None:
    run_statements(db, DAILY_VIEW)


def m005_integrity_checks(db) -> None:
    """The day of the last PRAGMA quick_check (docs/definitions.md §12): one row, so the first
    write of each day can tell cheaply whether today's check has run."""
    _run_script(
        db,
        """
        CREATE TABLE integrity_checks (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            checked_on TEXT NOT NULL,      -- local date of the last check that found no damage
            checked_at TEXT NOT NULL       -- UTC
        );
        """
    )


def m006_trust_and_replies(db) -> None:
    """The reader's trust list of public keys, and replies a sponsor sent back (docs/definitions.md §8)."""
    _run_script(
        db,
        """
        -- Keys the reader compared in person or by phone. Removing one keeps a revision.
        CREATE TABLE trusted_keys (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            public_key TEXT NOT NULL UNIQUE,   -- base64 of the raw 32-byte Ed25519 key
            fingerprint TEXT NOT NULL,
            added_at TEXT NOT NULL
        );
        -- Replies to the person's own summaries, as received (the file's JSON kept whole).
        CREATE TABLE replies (
            id INTEGER PRIMARY KEY,
            received_at TEXT NOT NULL,
            received_on TEXT NOT NULL,
            digest TEXT NOT NULL UNIQUE,       -- the reply's own digest
            summary_digest TEXT NOT NULL,      -- the summary it answers (in the export log)
            summary_start TEXT,
            summary_end TEXT,
            written_at TEXT,
            sender TEXT,                        -- the name the reply gives, as written
            signature_status TEXT NOT NULL,     -- verified | untrusted | unsigned
            signer TEXT,                        -- the trusted name, when verified
            fingerprint TEXT,
            note TEXT NOT NULL,
            ask TEXT,
            suggested_goals TEXT NOT NULL DEFAULT '[]',
            document TEXT NOT NULL
        );
        CREATE INDEX replies_summary ON replies (summary_digest);
        -- A suggested goal the person chose to take on (`inbox accept`): never on import.
        CREATE TABLE reply_goals (
            id INTEGER PRIMARY KEY,
            reply_id INTEGER NOT NULL REFERENCES replies(id),
            suggestion INTEGER NOT NULL,        -- 1-based position in the reply's suggestions
            goal_id INTEGER NOT NULL REFERENCES goals(id),
            accepted_at TEXT NOT NULL,
            UNIQUE (reply_id, suggestion)
        );
        """
    )


def m007_rhythm(db) -> None:
    """What one unit (or a typical day before) of a substance cost, for money not spent, and the
    days a person chose not to fill in when the check-in offered (docs/definitions.md §10)."""
    run_statements(
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
MIGRATIONS = [m001_initial, m002_health, m003_search, m004_daily_view, m005_integrity_checks,
              m006_trust_and_replies, m007_rhythm]
SCHEMA_VERSION = len(MIGRATIONS)


# The migrations `_LightDatabase` is known to run exactly as sqlite-utils does (the test in
# tests/test_migrations_light.py compares the two). A migration added later runs through
# sqlite-utils until it is named here and the test passes with it.
LIGHT_MIGRATIONS = ("m001_initial", "m002_health", "m003_search", "m004_daily_view", "m005_integrity_checks",
                    "m006_trust_and_replies", "m007_rhythm")

# What sqlite-utils' Migrations writes first into a new database (ensure_migrations_table:
# Table.create of {id: int, migration_set: str, name: str, applied_at: str}, pk "id", then a
# unique index on (migration_set, name)), as it writes it.
MIGRATIONS_TABLE_SQL = ('CREATE TABLE "_sqlite_migrations" (\n   "id" INTEGER PRIMARY KEY,\n   "migration_set" TEXT,\n'
                        '   "name" TEXT,\n   "applied_at" TEXT\n)')
MIGRATIONS_INDEX_SQL = ('CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"\n'
                        '    ON "_sqlite_migrations" ("migration_set", "name")')


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class _LightTable:
    """The two sqlite-utils Table methods a migration uses, with sqlite-utils' SQL text."""

    def __init__(self, db: _LightDatabase, name: str) -> None:
        self.db, self.name = db, name

    def enable_fts(self, columns, fts_version: str = "FTS5", create_triggers: bool = False,
                   tokenize: str | None = None, replace: bool = False) -> _LightTable:
        if replace:
            raise NotImplementedError("enable_fts(replace=True): run the migrations through sqlite-utils")
        columns = list(columns)
        quoted = ", ".join(_quote_identifier(c) for c in columns)
        table, table_fts = _quote_identifier(self.name), _quote_identifier(self.name + "_fts")
        tokenize_sql = f"\n    tokenize={self.db.quote(tokenize)}," if tokenize else ""
        self.db.executescript(f"CREATE VIRTUAL TABLE {table_fts} USING {fts_version} (\n    {quoted},{tokenize_sql}\n"
                              f"    content={table}\n)")
        self.populate_fts(columns)
        if create_triggers:
            old_cols = ", ".join(f"old.{_quote_identifier(c)}" for c in columns)
            new_cols = ", ".join(f"new.{_quote_identifier(c)}" for c in columns)
            ai, ad, au = (_quote_identifier(self.name + suffix) for suffix in ("_ai", "_ad", "_au"))
            self.db.executescript(
                f"CREATE TRIGGER {ai} AFTER INSERT ON {table} BEGIN\n"
                f"  INSERT INTO {table_fts} (rowid, {quoted}) VALUES (new.rowid, {new_cols});\nEND;\n"
                f"CREATE TRIGGER {ad} AFTER DELETE ON {table} BEGIN\n"
                f"  INSERT INTO {table_fts} ({table_fts}, rowid, {quoted}) VALUES('delete', old.rowid, {old_cols});\nEND;\n"
                f"CREATE TRIGGER {au} AFTER UPDATE ON {table} BEGIN\n"
                f"  INSERT INTO {table_fts} ({table_fts}, rowid, {quoted}) VALUES('delete', old.rowid, {old_cols});\n"
                f"  INSERT INTO {table_fts} (rowid, {quoted}) VALUES (new.rowid, {new_cols});\nEND;")
        return self

    def populate_fts(self, columns) -> _LightTable:
        quoted = ", ".join(_quote_identifier(c) for c in columns)
        self.db.executescript(f"INSERT INTO {_quote_identifier(self.name + '_fts')} (rowid, {quoted})\n"
                              f"    SELECT rowid, {quoted} FROM {_quote_identifier(self.name)};")
        return self


class _LightDatabase:
    """What the migrations ask of a sqlite_utils.Database, on a plain sqlite3 connection, inside
    the caller's transaction (executescript runs statement by statement, never COMMITs)."""

    def __init__(self, conn) -> None:
        self.conn = conn

    def execute(self, sql: str, parameters=None):
        return self.conn.execute(sql, parameters) if parameters is not None else self.conn.execute(sql)

    def executescript(self, script: str) -> None:
        run_statements(self, script)

    def quote(self, value: str) -> str:
        return self.conn.execute("SELECT quote(?)", (value,)).fetchone()[0]

    def __getitem__(self, name: str) -> _LightTable:
        return _LightTable(self, name)


def apply_migrations(conn) -> None:
    """Apply every pending migration inside the caller's transaction (the caller sets
    `PRAGMA user_version`). A database with nothing in it yet, when every migration is one of
    LIGHT_MIGRATIONS, gets them through `_LightDatabase` (no sqlite-utils import: the same
    statements, the same `_sqlite_migrations` rows); anything else goes through sqlite-utils."""
    names = [fn.__name__ for fn in MIGRATIONS]
    fresh = conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is None
    if not fresh or tuple(names) != LIGHT_MIGRATIONS:
        from sqlite_utils import Database

        build_migrations().apply(Database(conn, execute_plugins=False))
        return
    import datetime

    db = _LightDatabase(conn)
    conn.execute(MIGRATIONS_TABLE_SQL)
    conn.execute(MIGRATIONS_INDEX_SQL)
    for fn in MIGRATIONS:
        fn(db)
        conn.execute("INSERT INTO \"_sqlite_migrations\" (\"migration_set\", \"name\", \"applied_at\") VALUES (?, ?, ?)",
                     (MIGRATION_SET, fn.__name__, str(datetime.datetime.now(datetime.UTC))))


def build_migrations():
    from sqlite_utils import Migrations

    migrations = Migrations(MIGRATION_SET)
    for fn in MIGRATIONS:
        migrations()(fn)
    return migrations
