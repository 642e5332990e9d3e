"""verify: names what is wrong — a tampered, truncated or missing media file, a damaged database."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive import Archive, CorruptDatabaseError, verify_archive
from archive.vault import HEADER_SIZE

from .conftest import FIXTURES, PASSPHRASE


@pytest.fixture
def filled(archive_path: Path, archive: Archive) -> Path:
    for name in ("speech_en.wav", "speech_en.flac", "speech_en_2.wav"):
        archive.import_file(
            FIXTURES / name,
        )
    archive.close()
    return archive_path


def _original_file(path: Path) -> tuple[str, Path]:
    with Archive.open(path, PASSPHRASE) as a:
        first = a.interviews.list()[0]
        media_id = a.media.of_role(first.id, "original").id
    return media_id, path / "vault" / media_id


def test_clean_archive_verifies(filled: Path):
    report = verify_archive(filled, PASSPHRASE)
    assert report.ok and report.media_checked == 6 and report.bytes_checked > 0


def test_tampered_media_is_named(filled: Path):
    media_id, vault_file = _original_file(filled)
    data = bytearray(vault_file.read_bytes())
    data[HEADER_SIZE + 1000] ^= 0x40
    vault_file.write_bytes(bytes(data))
    report = verify_archive(filled, PASSPHRASE)
    assert [p.where for p in report.problems] == [f"media {media_id}"]
    assert "integrity" in report.problems[0].message
    with Archive.open(filled, PASSPHRASE) as a, pytest.raises(Exception, match="integrity"):
        a.media.write_original(a.interviews.list()[0].id, filled.parent / "out.wav")
    assert not (filled.parent / "out.wav").exists()


def test_truncated_media_is_named(filled: Path):
    media_id, vault_file = _original_file(filled)
    with open(vault_file, "r+b") as f:
        f.truncate(vault_file.stat().st_size - 7)
    report = verify_archive(filled, PASSPHRASE)
    assert [p.where for p in report.problems] == [f"media {media_id}"]
    assert "truncated" in report.problems[0].message or "cut" in report.problems[0].message


def test_missing_media_is_named(filled: Path):
    media_id, vault_file = _original_file(filled)
    vault_file.unlink()
    report = verify_archive(filled, PASSPHRASE)
    assert [str(p) for p in report.problems] == [
        f"media {media_id}: the file is missing from the vault"
    ]


def test_checksum_mismatch_is_named(filled: Path):
    """A valid vault file swapped in for another (same key) still fails the checksum."""
    with Archive.open(filled, PASSPHRASE) as a:
        first, second = a.interviews.list()[:2]
        a_id = a.media.of_role(first.id, "original").id
        b_id = a.media.of_role(second.id, "original").id
        a.db.execute("UPDATE media SET sha256 = ? WHERE id = ?", ["0" * 64, a_id])
    report = verify_archive(filled, PASSPHRASE)
    assert [p.where for p in report.problems] == [f"media {a_id}"]
    assert "checksum" in report.problems[0].message
    assert b_id != a_id


def _corrupt_db_page(path: Path, page: int) -> None:
    db = path / "archive.db"
    assert not (path / "archive.db-wal").exists() or (path / "archive.db-wal").stat().st_size == 0
    data = bytearray(db.read_bytes())
    assert len(data) > (page + 1) * 4096, "the database should have enough pages"
    data[page * 4096 + 100] ^= 0xFF
    db.write_bytes(bytes(data))


def test_damaged_database_page_is_named(filled: Path):
    _corrupt_db_page(filled, page=3)
    report = verify_archive(filled, PASSPHRASE)
    assert not report.ok
    assert any(p.where == "database" for p in report.problems)


def test_unreadable_database_is_a_clear_error_and_verify_still_checks_media(filled: Path):
    _corrupt_db_page(filled, page=0)
    with pytest.raises(CorruptDatabaseError, match="damaged"):
        Archive.open(filled, PASSPHRASE)
    report = verify_archive(filled, PASSPHRASE)
    assert report.problems[0].where == "database"
    assert report.media_checked == 6  # the vault files were still authenticated


def test_orphans_and_temp_files_are_swept_on_open(filled: Path):
    vault = filled / "vault"
    (vault / ("ab" * 16)).write_bytes(b"left by a crash")
    (vault / ".tmp-0123456789abcdef").write_bytes(b"half written")
    with Archive.open(filled, PASSPHRASE) as a:
        assert a.verify().ok
        assert {p.name for p in vault.iterdir()} == {m.id for m in a.media.list()}


def test_orphans_are_reported_when_another_process_holds_the_archive(filled: Path):
    holder = Archive.open(filled, PASSPHRASE)  # another user of the archive: no sweeping
    try:
        (filled / "vault" / ("cd" * 16)).write_bytes(b"not yet committed by the holder")
        with Archive.open(filled, PASSPHRASE) as a:
            problems = [str(p) for p in a.verify().problems]
        assert problems == [f"vault {'cd' * 16}: file not referenced by any row"]
    finally:
        holder.close()
