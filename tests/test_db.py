"""The SQLCipher connection under sqlite-utils: exceptions, pragmas, migrations, FTS."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlcipher3

from archive import Archive, CorruptDatabaseError, NewerArchiveError
from archive.db import connect, translate_error
from archive.util import now

from .conftest import PASSPHRASE

KEY = bytes(range(32))


@pytest.fixture
def db(tmp_path: Path):
    database = connect(tmp_path / "t.db", KEY)
    yield database
    database.close()


def test_pragmas(db):
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA cipher_version").fetchone()[0]


def test_errors_are_standard_sqlite3_classes(db):
    with pytest.raises(sqlite3.OperationalError):
        db.execute("SELECT * FROM missing")
    db["t"].insert({"id": 1}, pk="id")
    with pytest.raises(sqlite3.IntegrityError):
        db["t"].insert({"id": 1})
    err = translate_error(sqlcipher3.OperationalError("x"))
    assert type(err) is sqlite3.OperationalError and err.args == ("x",)


def test_drop_ignore(db):
    db["never_existed"].drop(ignore=True)
    with pytest.raises(sqlite3.OperationalError):
        db["never_existed"].drop()


def test_upsert_and_strict_feature_checks(db):
    assert db.supports_strict is True
    db["s"].create({"id": int, "name": str}, pk="id", strict=True)
    assert db["s"].strict
    db["s"].upsert({"id": 1, "name": "Баку"}, pk="id")
    db["s"].upsert({"id": 1, "name": "Bakı"}, pk="id")
    assert list(db["s"].rows) == [{"id": 1, "name": "Bakı"}]


def test_savepoint_release_with_returning(db):
    db["r"].create({"id": int, "v": str}, pk="id")
    # sqlite-utils releases its savepoint, catches OperationalError while the
    # INSERT ... RETURNING is unfinished, then fetches: the path needs translation.
    rows = list(db.query("INSERT INTO r (v) VALUES ('x') RETURNING id"))
    assert rows == [{"id": 1}]
    assert db["r"].count == 1


def test_nested_atomic_rolls_back_inner(db):
    db["n"].create({"id": int}, pk="id")
    with db.atomic():
        db["n"].insert({"id": 1})
        with pytest.raises(sqlite3.IntegrityError), db.atomic():
            db["n"].insert({"id": 2})
            db["n"].insert({"id": 2})
    assert [r["id"] for r in db["n"].rows] == [1]


def test_file_is_encrypted(tmp_path: Path, db):
    db["t"].insert({"name": "Canarywordxyz"})
    db.close()
    data = (tmp_path / "t.db").read_bytes()
    assert not data.startswith(b"SQLite format 3")
    assert b"Canarywordxyz" not in data


def test_wrong_key_is_corrupt_database_error(tmp_path: Path, db):
    db["t"].insert({"a": 1})
    with pytest.raises(CorruptDatabaseError):
        connect(tmp_path / "t.db", bytes(32))


def test_tables_from_design_exist(archive: Archive):
    names = set(archive.db.table_names())
    for table in (
        "narrators", "interviews", "media", "segments", "themes", "clips", "clip_themes",
        "consent", "redactions", "jobs", "audit", "places", "anthologies", "segments_fts",
    ):  # fmt: skip
        assert table in names, table


def test_newer_schema_is_refused(archive_path: Path, archive: Archive):
    archive.db["_sqlite_migrations"].insert(
        {"migration_set": "sidebyside", "name": "9999_from_the_future", "applied_at": now()}
    )
    archive.close()
    with pytest.raises(NewerArchiveError):
        Archive.open(archive_path, PASSPHRASE)


def test_migrations_are_applied_once(archive_path: Path, archive: Archive):
    archive.close()
    with Archive.open(archive_path, PASSPHRASE) as again:
        names = [r["name"] for r in again.db["_sqlite_migrations"].rows]
    assert names == sorted(set(names))


def _add_interview(archive: Archive) -> str:
    stamp = now()
    archive.db["interviews"].insert({"id": "iv1", "created_at": stamp, "updated_at": stamp})
    return "iv1"


def test_fts_follows_inserts_edits_and_deletes(archive: Archive):
    from archive import NewSegment

    interview = _add_interview(archive)
    (seg_id,) = archive.segments.add(
        interview, [NewSegment(0.0, 2.0, "We baked bread in the tonir")]
    )
    assert [h.segment_id for h in archive.search("tonir")] == [seg_id]
    archive.segments.set_text(seg_id, "We baked lavash in the courtyard")
    assert archive.search("tonir") == []
    assert [h.segment_id for h in archive.search("lavash")] == [seg_id]
    assert archive.segments.get(seg_id).machine_text == "We baked bread in the tonir"
    archive.db.execute("DELETE FROM segments WHERE id = ?", [seg_id])
    assert archive.search("lavash") == []


def test_search_snippet_and_unicode(archive: Archive):
    from archive import NewSegment

    interview = _add_interview(archive)
    archive.segments.add(
        interview,
        [
            NewSegment(0.0, 1.0, "Мы жили в Баку, на улице Низами"),
            NewSegment(1.0, 2.0, "Մենք ապրում էինք Բաքվում"),
        ],
    )
    hits = archive.search("Баку")
    assert len(hits) == 1 and "\u27e6Баку\u27e7" in hits[0].snippet
    assert len(archive.search("Բաքվում")) == 1
