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


# -- 0002: folded search index, filters, gazetteer lookups ----------------------
#
# The folded index holds, for every segment, clip and interview, its words folded to
# one Latin form (see archive.folding) so a query in one script finds the others.
# Segments and clips use contentless FTS5 tables (the text is already in their own
# tables; snippets are cut from the original text in Python) with contentless_delete,
# so a row can be removed without re-folding its old text.  Interviews are few and
# have a TEXT id, so their index stores the id as an UNINDEXED column.  Narrators'
# real names are never indexed: only pseudonyms, which search results may show.
#
# The triggers call sbs_fold(), which archive.folding.install() registers on every
# connection the archive opens.

# A segment's scope: tokens that search filters match inside the index, so a filter
# costs no lookups in the large segments table:
#   i<interview id>   its interview
#   l<language>       its language, or its interview's languages when it has none
#   t<theme id>       themes of its interview and of every clip it overlaps, with all
#                     their ancestors (so a filter on a theme and its sub-themes is one
#                     token; theme_closure lists each theme's ancestors)
#   p<place id>       its interview's place, and the place of every clip it overlaps
# Triggers below re-index the segments concerned when any of these changes.
SEGMENT_SCOPE = """'i' || s.interview_id
    || coalesce(' l' || s.language, (SELECT ' ' || group_concat('l' || j.value, ' ')
        FROM interviews iv, json_each(iv.languages) j WHERE iv.id = s.interview_id), '')
    || coalesce((SELECT ' ' || group_concat('t' || x.ancestor_id, ' ') FROM (
        SELECT DISTINCT tc.ancestor_id FROM theme_closure tc WHERE tc.theme_id IN (
            SELECT theme_id FROM interview_themes WHERE interview_id = s.interview_id
            UNION SELECT ct.theme_id FROM clips c JOIN clip_themes ct ON ct.clip_id = c.id
            WHERE c.interview_id = s.interview_id AND c.start < s."end" AND c."end" > s.start)
    ) x), '')
    || coalesce((SELECT ' ' || group_concat('p' || x.place_id, ' ') FROM (
        SELECT place_id FROM interviews WHERE id = s.interview_id AND place_id NOT NULL
        UNION SELECT c.place_id FROM clips c WHERE c.interview_id = s.interview_id
        AND c.place_id NOT NULL AND c.start < s."end" AND c."end" > s.start
    ) x), '')"""


def _index_segments(where: str) -> str:
    """A statement that indexes the segments ``s`` that ``where`` selects."""
    return f"""INSERT INTO segments_fold (rowid, text, translation, scope)
        SELECT s.id, sbs_fold(s.text), sbs_fold(s.translation), {SEGMENT_SCOPE}
        FROM segments s WHERE {where};"""


def _reindex_segments(where: str) -> str:
    """Statements that re-index the segments ``s`` that ``where`` selects."""
    return f"""
        DELETE FROM segments_fold WHERE rowid IN (SELECT s.id FROM segments s WHERE {where});
        {_index_segments(where)}"""


# The segments a clip covers (the same overlap as in SEGMENT_SCOPE).
_IN_CLIP = 's.interview_id = {c}.interview_id AND s.start < {c}."end" AND s."end" > {c}.start'
_IN_CLIP_ID = (
    "s.id IN (SELECT s2.id FROM clips c JOIN segments s2 ON s2.interview_id = c.interview_id "
    'AND s2.start < c."end" AND s2."end" > c.start WHERE c.id = {clip})'
)
# The segments tagged with a theme, through their interview or a clip.
_TAGGED = (
    "s.id IN (SELECT s2.id FROM interview_themes it JOIN segments s2 "
    "ON s2.interview_id = it.interview_id WHERE it.theme_id = {theme} "
    "UNION SELECT s2.id FROM clip_themes ct JOIN clips c ON c.id = ct.clip_id "
    'JOIN segments s2 ON s2.interview_id = c.interview_id AND s2.start < c."end" '
    'AND s2."end" > c.start WHERE ct.theme_id = {theme})'
)

FOLDED_SEARCH_SCHEMA = (
    # Each theme with itself and every ancestor; kept by archive.themes.sync_closure,
    # which writes only the pairs that change, so these triggers re-index little.
    """CREATE TABLE theme_closure (
        ancestor_id INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
        theme_id INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
        PRIMARY KEY (theme_id, ancestor_id)
    ) WITHOUT ROWID""",
    """CREATE VIRTUAL TABLE segments_fold USING fts5(
        text, translation, scope,
        content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0'
    )""",
    "INSERT INTO segments_fold (segments_fold, rank) VALUES ('rank', 'bm25(1.0, 0.5, 0.0)')",
    f"""CREATE TRIGGER segments_fold_insert AFTER INSERT ON segments BEGIN
        {_index_segments("s.id = new.id")}
    END""",
    """CREATE TRIGGER segments_fold_delete AFTER DELETE ON segments BEGIN
        DELETE FROM segments_fold WHERE rowid = old.id;
    END""",
    f"""CREATE TRIGGER segments_fold_update
        AFTER UPDATE OF text, translation, language, start, "end", interview_id ON segments
        BEGIN
        {_reindex_segments("s.id = new.id")}
    END""",
    f"""CREATE TRIGGER interviews_fold_languages AFTER UPDATE OF languages ON interviews
        WHEN old.languages IS NOT new.languages BEGIN
        {_reindex_segments("s.interview_id = new.id AND s.language IS NULL")}
    END""",
    f"""CREATE TRIGGER interviews_fold_place AFTER UPDATE OF place_id ON interviews
        WHEN old.place_id IS NOT new.place_id BEGIN
        {_reindex_segments("s.interview_id = new.id")}
    END""",
    f"""CREATE TRIGGER interview_themes_fold_insert AFTER INSERT ON interview_themes BEGIN
        {_reindex_segments("s.interview_id = new.interview_id")}
    END""",
    f"""CREATE TRIGGER interview_themes_fold_delete AFTER DELETE ON interview_themes BEGIN
        {_reindex_segments("s.interview_id = old.interview_id")}
    END""",
    f"""CREATE TRIGGER clip_themes_fold_insert AFTER INSERT ON clip_themes BEGIN
        {_reindex_segments(_IN_CLIP_ID.format(clip="new.clip_id"))}
    END""",
    f"""CREATE TRIGGER clip_themes_fold_delete AFTER DELETE ON clip_themes BEGIN
        {_reindex_segments(_IN_CLIP_ID.format(clip="old.clip_id"))}
    END""",
    f"""CREATE TRIGGER clips_fold_scope_update
        AFTER UPDATE OF start, "end", place_id, interview_id ON clips
        WHEN old.start IS NOT new.start OR old."end" IS NOT new."end"
            OR old.place_id IS NOT new.place_id OR old.interview_id IS NOT new.interview_id
        BEGIN
        {_reindex_segments(f"({_IN_CLIP.format(c='old')}) OR ({_IN_CLIP.format(c='new')})")}
    END""",
    f"""CREATE TRIGGER clips_fold_scope_delete AFTER DELETE ON clips BEGIN
        {_reindex_segments(_IN_CLIP.format(c="old"))}
    END""",
    f"""CREATE TRIGGER theme_closure_fold_insert AFTER INSERT ON theme_closure BEGIN
        {_reindex_segments(_TAGGED.format(theme="new.theme_id"))}
    END""",
    f"""CREATE TRIGGER theme_closure_fold_delete AFTER DELETE ON theme_closure BEGIN
        {_reindex_segments(_TAGGED.format(theme="old.theme_id"))}
    END""",
    _index_segments("1"),
    """CREATE VIRTUAL TABLE clips_fold USING fts5(
        title, note,
        content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0'
    )""",
    "INSERT INTO clips_fold (clips_fold, rank) VALUES ('rank', 'bm25(2.0, 1.0)')",
    """CREATE TRIGGER clips_fold_insert AFTER INSERT ON clips BEGIN
        INSERT INTO clips_fold (rowid, title, note)
        VALUES (new.id, sbs_fold(new.title), sbs_fold(new.note));
    END""",
    """CREATE TRIGGER clips_fold_delete AFTER DELETE ON clips BEGIN
        DELETE FROM clips_fold WHERE rowid = old.id;
    END""",
    """CREATE TRIGGER clips_fold_update AFTER UPDATE OF title, note ON clips BEGIN
        DELETE FROM clips_fold WHERE rowid = old.id;
        INSERT INTO clips_fold (rowid, title, note)
        VALUES (new.id, sbs_fold(new.title), sbs_fold(new.note));
    END""",
    """INSERT INTO clips_fold (rowid, title, note)
        SELECT id, sbs_fold(title), sbs_fold(note) FROM clips""",
    """CREATE VIRTUAL TABLE interviews_fold USING fts5(
        interview_id UNINDEXED, title, summary, pseudonym,
        tokenize='unicode61 remove_diacritics 0'
    )""",
    "INSERT INTO interviews_fold (interviews_fold, rank) VALUES ('rank', 'bm25(0, 2.0, 1.0, 2.0)')",
    """CREATE TRIGGER interviews_fold_insert AFTER INSERT ON interviews BEGIN
        INSERT INTO interviews_fold (interview_id, title, summary, pseudonym)
        VALUES (new.id, sbs_fold(new.title), sbs_fold(new.summary),
                (SELECT sbs_fold(pseudonym) FROM narrators WHERE id = new.narrator_id));
    END""",
    """CREATE TRIGGER interviews_fold_delete AFTER DELETE ON interviews BEGIN
        DELETE FROM interviews_fold WHERE interview_id = old.id;
    END""",
    """CREATE TRIGGER interviews_fold_update
        AFTER UPDATE OF title, summary, narrator_id ON interviews BEGIN
        DELETE FROM interviews_fold WHERE interview_id = old.id;
        INSERT INTO interviews_fold (interview_id, title, summary, pseudonym)
        VALUES (new.id, sbs_fold(new.title), sbs_fold(new.summary),
                (SELECT sbs_fold(pseudonym) FROM narrators WHERE id = new.narrator_id));
    END""",
    """CREATE TRIGGER narrators_fold_pseudonym AFTER UPDATE OF pseudonym ON narrators BEGIN
        DELETE FROM interviews_fold
        WHERE interview_id IN (SELECT id FROM interviews WHERE narrator_id = new.id);
        INSERT INTO interviews_fold (interview_id, title, summary, pseudonym)
        SELECT id, sbs_fold(title), sbs_fold(summary), sbs_fold(new.pseudonym)
        FROM interviews WHERE narrator_id = new.id;
    END""",
    """INSERT INTO interviews_fold (interview_id, title, summary, pseudonym)
        SELECT i.id, sbs_fold(i.title), sbs_fold(i.summary), sbs_fold(n.pseudonym)
        FROM interviews i LEFT JOIN narrators n ON n.id = i.narrator_id""",
    # Place names, folded, for lookups by any name in any script.
    "ALTER TABLE place_names ADD COLUMN folded TEXT",
    "UPDATE place_names SET folded = sbs_fold(name)",
    "CREATE INDEX place_names_folded ON place_names (folded)",
    """CREATE TRIGGER place_names_fold_insert AFTER INSERT ON place_names BEGIN
        UPDATE place_names SET folded = sbs_fold(new.name) WHERE id = new.id;
    END""",
    """CREATE TRIGGER place_names_fold_update AFTER UPDATE OF name ON place_names BEGIN
        UPDATE place_names SET folded = sbs_fold(new.name) WHERE id = new.id;
    END""",
    # Filters and the theme tree.
    "CREATE INDEX interviews_place ON interviews (place_id)",
    "CREATE INDEX interviews_recorded_on ON interviews (recorded_on)",
    "CREATE INDEX clips_place ON clips (place_id)",
    "CREATE INDEX clip_themes_theme_clip ON clip_themes (theme_id, clip_id)",
    "CREATE INDEX themes_parent ON themes (parent_id, position)",
)


@migrations(name="0002_folded_search")
def _m0002_folded_search(db: sqlite_utils.Database) -> None:
    from .folding import install
    from .themes import sync_closure

    install(db)  # the archive registers it on open; this makes the migration self-contained
    for statement in FOLDED_SEARCH_SCHEMA:
        db.execute(statement)
    sync_closure(db)


@migrations(name="0003_seed_vocabulary_and_places")
def _m0003_seed(db: sqlite_utils.Database) -> None:
    """The shipped themes and a few places with their names, into new and old archives."""
    from .folding import install
    from .places import seed_places
    from .themes import seed_vocabulary

    install(db)
    seed_vocabulary(db)
    seed_places(db)


_LIBRARY_KEY = """(
    SELECT sbs_fold(coalesce(i.title, '') || ' ' || coalesce(n.name, '') || ' ' ||
           coalesce(n.pseudonym, '') || ' ' || coalesce(i.place, '') || ' ' || i.languages)
    FROM interviews i LEFT JOIN narrators n ON n.id = i.narrator_id
    WHERE i.id = {which}
)"""

# The library's filter box matches this folded key, kept by triggers, so filtering
# 10,000 interviews is a column scan, not 10,000 calls of the folding function.
LIBRARY_FILTER_SCHEMA = (
    "ALTER TABLE interviews ADD COLUMN library_key TEXT NOT NULL DEFAULT ''",
    f"UPDATE interviews SET library_key = {_LIBRARY_KEY.format(which='interviews.id')}",
    f"""CREATE TRIGGER interviews_library_key_insert AFTER INSERT ON interviews BEGIN
        UPDATE interviews SET library_key = {_LIBRARY_KEY.format(which="new.id")}
        WHERE id = new.id;
    END""",
    f"""CREATE TRIGGER interviews_library_key_update
    AFTER UPDATE OF title, narrator_id, place, languages ON interviews BEGIN
        UPDATE interviews SET library_key = {_LIBRARY_KEY.format(which="new.id")}
        WHERE id = new.id;
    END""",
    f"""CREATE TRIGGER narrators_library_key_update
    AFTER UPDATE OF name, pseudonym ON narrators BEGIN
        UPDATE interviews SET library_key = {_LIBRARY_KEY.format(which="interviews.id")}
        WHERE narrator_id = new.id;
    END""",
)


@migrations(name="0004_library_filter_key")
def _m0004_library_filter_key(db: sqlite_utils.Database) -> None:
    from .folding import install

    install(db)
    for statement in LIBRARY_FILTER_SCHEMA:
        db.execute(statement)


# Recording: audio arrives as small encrypted chunks, each a vault file with a media
# row (role 'recording', no interview yet) so nothing sweeps it away; a crash leaves
# the chunks and markers, which the next start offers to recover.
RECORDING_SCHEMA = """
CREATE TABLE recordings (
    id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    sample_rate INTEGER NOT NULL,
    channels INTEGER NOT NULL,
    sample_width INTEGER NOT NULL CHECK (sample_width IN (2, 3)),
    device TEXT,                                -- the input's name, as the system gives it
    status TEXT NOT NULL DEFAULT 'recording'
        CHECK (status IN ('recording', 'stopped', 'interrupted', 'assembling', 'finished')),
    meta TEXT NOT NULL DEFAULT '{}',            -- JSON: what is known for the interview
    error TEXT,
    interview_id TEXT REFERENCES interviews(id) ON DELETE CASCADE  -- once finished
);
CREATE INDEX recordings_status ON recordings (status);

CREATE TABLE recording_chunks (
    recording_id TEXT NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    media_id TEXT NOT NULL REFERENCES media(id),
    start_frame INTEGER NOT NULL,
    frames INTEGER NOT NULL CHECK (frames > 0),
    PRIMARY KEY (recording_id, seq)
);

CREATE TABLE recording_markers (
    recording_id TEXT NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    at REAL NOT NULL CHECK (at >= 0),           -- seconds of recorded audio
    kind TEXT NOT NULL DEFAULT 'marker' CHECK (kind IN ('marker', 'verbal_consent')),
    theme_id INTEGER REFERENCES themes(id) ON DELETE SET NULL,
    note TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (recording_id, seq)
);
"""


@migrations(name="0005_recordings")
def _m0005_recordings(db: sqlite_utils.Database) -> None:
    db.executescript(RECORDING_SCHEMA)
