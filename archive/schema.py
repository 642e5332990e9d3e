"""Numbered schema migrations, applied on open.

Migrations are registered with sqlite-utils' :class:`Migrations` and recorded in
``_sqlite_migrations``.  An archive that has a migration this version does not know
was written by a newer app, and is refused rather than risked.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

from .errors import NewerArchiveError

MIGRATION_SET = "sidebyside"
migrations = Migrations(MIGRATION_SET)

INITIAL_SCHEMA = """
CREATE TABLE narrators (
    id TEXT PRIMARY KEY,
    name TEXT,                                  -- real name: exported only when consent allows
    pseudonym TEXT,
    birth_year INTEGER,
    birth_place TEXT,
    gender TEXT,
    languages TEXT NOT NULL DEFAULT '[]',       -- JSON list of language codes
    notes TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE places (
    id TEXT PRIMARY KEY,
    latitude REAL,
    longitude REAL,
    note TEXT,
    created_at TEXT NOT NULL
);

-- One place, several names, none preferred (Stepanakert / Khankendi ...).
CREATE TABLE place_names (
    id INTEGER PRIMARY KEY,
    place_id TEXT NOT NULL REFERENCES places(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    language TEXT,
    UNIQUE (place_id, name)
);

CREATE TABLE interviews (
    id TEXT PRIMARY KEY,
    title TEXT,
    narrator_id TEXT REFERENCES narrators(id) ON DELETE SET NULL,
    interviewer TEXT,
    recorded_on TEXT,                           -- ISO 8601, may be partial: 1994 or 1994-05
    place TEXT,                                 -- as typed
    place_id TEXT REFERENCES places(id) ON DELETE SET NULL,
    languages TEXT NOT NULL DEFAULT '[]',
    summary TEXT,
    duration REAL,
    transcription_status TEXT NOT NULL DEFAULT 'none'
        CHECK (transcription_status IN ('none', 'queued', 'running', 'partial', 'done', 'failed')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX interviews_narrator ON interviews (narrator_id);

CREATE TABLE media (
    id TEXT PRIMARY KEY,                        -- the vault file's name
    interview_id TEXT REFERENCES interviews(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('original', 'working', 'release_form', 'recording')),
    filename TEXT,                              -- name at import; only ever in the encrypted db
    container TEXT,
    codec TEXT,
    sample_rate INTEGER,
    channels INTEGER,
    duration REAL,
    has_video INTEGER NOT NULL DEFAULT 0,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX media_interview ON media (interview_id, role);

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL DEFAULT 'transcribe',
    interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
    params TEXT NOT NULL DEFAULT '{}',          -- JSON: model, language, translate
    progress REAL NOT NULL DEFAULT 0,
    resume_from REAL NOT NULL DEFAULT 0,        -- seconds: end of the last committed segment
    error TEXT,
    pid INTEGER,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX jobs_status ON jobs (status);

CREATE TABLE segments (
    id INTEGER PRIMARY KEY,
    interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    start REAL NOT NULL,
    "end" REAL NOT NULL CHECK ("end" >= start),
    speaker TEXT,
    text TEXT NOT NULL DEFAULT '',
    machine_text TEXT,                          -- the model's words, kept beside the human's
    confidence REAL,                            -- average log-probability
    no_speech_prob REAL,
    words TEXT,                                 -- JSON [{start, end, word, probability}]
    language TEXT,
    translation TEXT,
    source TEXT NOT NULL DEFAULT 'machine' CHECK (source IN ('machine', 'human', 'import')),
    edited INTEGER NOT NULL DEFAULT 0,
    job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX segments_interview_start ON segments (interview_id, start);

CREATE TABLE themes (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES themes(id),
    key TEXT UNIQUE,                            -- stable key of a shipped theme; NULL for own
    labels TEXT NOT NULL DEFAULT '{}',          -- JSON {"en": ..., "hy": ..., "az": ..., "ru": ...}
    scope_note TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE clips (
    id INTEGER PRIMARY KEY,
    interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    start REAL NOT NULL,
    "end" REAL NOT NULL CHECK ("end" >= start),
    kind TEXT NOT NULL DEFAULT 'clip' CHECK (kind IN ('clip', 'marker', 'verbal_consent')),
    title TEXT,
    note TEXT,
    place_id TEXT REFERENCES places(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX clips_interview ON clips (interview_id, start);

CREATE TABLE clip_themes (
    clip_id INTEGER NOT NULL REFERENCES clips(id) ON DELETE CASCADE,
    theme_id INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
    PRIMARY KEY (clip_id, theme_id)
);
CREATE INDEX clip_themes_theme ON clip_themes (theme_id);

CREATE TABLE interview_themes (
    interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    theme_id INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
    PRIMARY KEY (interview_id, theme_id)
);
CREATE INDEX interview_themes_theme ON interview_themes (theme_id);

-- No row means: closed, not publishable, pseudonym only.  Consent must be given.
CREATE TABLE consent (
    interview_id TEXT PRIMARY KEY REFERENCES interviews(id) ON DELETE CASCADE,
    level TEXT NOT NULL DEFAULT 'closed' CHECK (level IN ('open', 'restricted', 'closed')),
    publish INTEGER NOT NULL DEFAULT 0,
    name_display TEXT NOT NULL DEFAULT 'pseudonym' CHECK (name_display IN ('real', 'pseudonym')),
    pseudonym TEXT,
    embargo_until TEXT,
    withdrawn_on TEXT,
    withdrawn_note TEXT,
    release_media_id TEXT REFERENCES media(id) ON DELETE SET NULL,
    release_clip_id INTEGER REFERENCES clips(id) ON DELETE SET NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE clip_consent (
    clip_id INTEGER PRIMARY KEY REFERENCES clips(id) ON DELETE CASCADE,
    level TEXT CHECK (level IN ('open', 'restricted', 'closed')),
    publish INTEGER,
    name_display TEXT CHECK (name_display IN ('real', 'pseudonym')),
    updated_at TEXT NOT NULL
);

CREATE TABLE redactions (
    id INTEGER PRIMARY KEY,
    interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    segment_id INTEGER REFERENCES segments(id) ON DELETE CASCADE,
    start REAL,                                 -- a time range: audio and the text inside it
    "end" REAL,
    text TEXT,                                  -- a word or name (everywhere if no segment)
    char_start INTEGER,                         -- a span inside one segment's text
    char_end INTEGER,
    reason TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL,
    CHECK (
        (start IS NOT NULL AND "end" IS NOT NULL AND "end" > start)
        OR text IS NOT NULL
        OR (segment_id IS NOT NULL AND char_start IS NOT NULL AND char_end > char_start)
    )
);
CREATE INDEX redactions_interview ON redactions (interview_id);

CREATE TABLE anthologies (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    spec TEXT NOT NULL DEFAULT '{}',            -- JSON anthology specification
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Who did what, when.  Never content: no names, no words.
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT,
    action TEXT NOT NULL,
    object_type TEXT,
    object_id TEXT
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT
);

CREATE VIRTUAL TABLE segments_fts USING fts5(
    text, translation,
    content='segments', content_rowid='id',
    tokenize="unicode61 remove_diacritics 2"
);

CREATE TRIGGER segments_fts_insert AFTER INSERT ON segments BEGIN
    INSERT INTO segments_fts (rowid, text, translation)
    VALUES (new.id, new.text, new.translation);
END;

CREATE TRIGGER segments_fts_delete AFTER DELETE ON segments BEGIN
    INSERT INTO segments_fts (segments_fts, rowid, text, translation)
    VALUES ('delete', old.id, old.text, old.translation);
END;

CREATE TRIGGER segments_fts_update AFTER UPDATE OF text, translation ON segments BEGIN
    INSERT INTO segments_fts (segments_fts, rowid, text, translation)
    VALUES ('delete', old.id, old.text, old.translation);
    INSERT INTO segments_fts (rowid, text, translation)
    VALUES (new.id, new.text, new.translation);
END;
"""


@migrations(name="0001_initial")
def _m0001_initial(db: sqlite_utils.Database) -> None:
    db.executescript(INITIAL_SCHEMA)


def known_migrations() -> list[str]:
    return [m.name for m in migrations._migrations]


def migrate(db: sqlite_utils.Database) -> None:
    """Bring the schema up to date; refuse an archive from a newer version."""
    applied = {m.name for m in migrations.applied(db)}
    unknown = applied - set(known_migrations())
    if unknown:
        raise NewerArchiveError(
            "This archive was written by a newer version of Side by Side "
            f"(schema {max(unknown)}). Update the app to open it."
        )
    migrations.apply(db)
