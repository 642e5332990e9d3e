"""Unlocking: Argon2id floor, wrong passphrase, rewrapping, key file tampering."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive import (
    Archive,
    ArchiveLockedError,
    ArchiveNotFoundError,
    KdfParams,
    KeyfileError,
    NewerArchiveError,
    WeakKdfError,
    WrongPassphraseError,
)
from archive.keys import MasterKey

from .conftest import FAST_KDF, FIXTURES, PASSPHRASE


def test_default_kdf_is_above_the_floor():
    default = KdfParams()
    default.check_floor()
    assert default.memory_kib >= 19 * 1024 and default.time_cost >= 2


@pytest.mark.parametrize(
    "params", [KdfParams(1, 19 * 1024, 1), KdfParams(2, 18 * 1024, 1), KdfParams(2, 19 * 1024, 0)]
)
def test_kdf_below_floor_is_refused(tmp_path: Path, params: KdfParams):
    with pytest.raises(WeakKdfError):
        Archive.create(tmp_path / "a", PASSPHRASE, kdf=params)
    assert not (tmp_path / "a" / "keyfile.json").exists()


def test_wrong_passphrase_is_one_clear_error(archive_path: Path, archive: Archive):
    archive.close()
    with pytest.raises(WrongPassphraseError) as info:
        Archive.open(archive_path, "not the passphrase")
    assert "Wrong passphrase" in str(info.value)


def test_passphrase_is_unicode_normalised(tmp_path: Path):
    decomposed = "Bak\u0131 e\u0301"  # é as e + combining accent
    composed = "Bak\u0131 \u00e9"
    Archive.create(tmp_path / "a", decomposed, kdf=FAST_KDF).close()
    Archive.open(tmp_path / "a", composed).close()


def test_change_passphrase_rewraps_without_touching_media(archive_path: Path, archive: Archive):
    archive.import_file(FIXTURES / "speech_en.wav")
    vault_before = {p.name: p.read_bytes() for p in (archive_path / "vault").iterdir()}
    db_key_probe = archive.interviews.list()
    archive.change_passphrase("a new one")
    archive.close()
    with pytest.raises(WrongPassphraseError):
        Archive.open(archive_path, PASSPHRASE)
    with Archive.open(archive_path, "a new one") as reopened:
        assert reopened.interviews.list() == db_key_probe
        assert reopened.verify().ok
    vault_after = {p.name: p.read_bytes() for p in (archive_path / "vault").iterdir()}
    assert vault_after == vault_before


def test_edited_kdf_parameters_do_not_unlock(archive_path: Path, archive: Archive):
    archive.close()
    keyfile = archive_path / "keyfile.json"
    header = json.loads(keyfile.read_text())
    header["kdf"]["time_cost"] += 1
    keyfile.write_text(json.dumps(header))
    with pytest.raises(WrongPassphraseError):
        Archive.open(archive_path, PASSPHRASE)


def test_keyfile_from_a_newer_version_is_refused(archive_path: Path, archive: Archive):
    archive.close()
    keyfile = archive_path / "keyfile.json"
    header = json.loads(keyfile.read_text())
    header["version"] = 99
    keyfile.write_text(json.dumps(header))
    with pytest.raises(NewerArchiveError):
        Archive.open(archive_path, PASSPHRASE)


@pytest.mark.parametrize("content", [b"", b"{not json", b"[1, 2]", b'{"format": "other"}'])
def test_damaged_keyfile_is_a_clear_error(archive_path: Path, archive: Archive, content: bytes):
    archive.close()
    (archive_path / "keyfile.json").write_bytes(content)
    with pytest.raises(KeyfileError):
        Archive.open(archive_path, PASSPHRASE)


def test_missing_archive(tmp_path: Path):
    with pytest.raises(ArchiveNotFoundError):
        Archive.open(tmp_path / "nowhere", PASSPHRASE)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ArchiveNotFoundError):
        Archive.open(tmp_path / "empty", PASSPHRASE)


def test_keyfile_holds_no_secret_in_clear(archive_path: Path, archive: Archive):
    text = (archive_path / "keyfile.json").read_text()
    assert PASSPHRASE not in text
    header = json.loads(text)
    assert set(header) == {"format", "version", "archive_id", "kdf", "wrap"}
    assert header["kdf"]["algorithm"] == "argon2id"


def test_closed_archive_drops_its_keys(archive: Archive):
    archive.close()
    with pytest.raises(ArchiveLockedError):
        archive.media_key()
    with pytest.raises(ArchiveLockedError):
        archive.interviews.list()


def test_master_key_wipe_zeroes_the_buffer():
    key = MasterKey.generate()
    key.wipe()
    assert bytes(key._key) == bytes(32)
    with pytest.raises(ArchiveLockedError):
        key.subkey("media")


def test_subkeys_differ_by_purpose():
    key = MasterKey.generate()
    assert key.subkey("database") != key.subkey("media")
    assert key.subkey("media") == key.subkey("media")
