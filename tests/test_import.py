"""Import: every common format round-trips byte for byte; bad input leaves nothing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from archive import (
    Archive,
    CorruptMediaError,
    DiskFullError,
    EmptyMediaError,
    ImportCancelledError,
    InterviewMetadata,
    InvalidInputError,
    MediaImportError,
    NotMediaError,
    UnreadableFileError,
    UnsupportedMediaError,
)

from .conftest import FAST_KDF, FIXTURES, PASSPHRASE, vault_names
from .media_factory import read_wav, tone, write_video_only, write_wav

FORMATS = {
    # file: (container as FFmpeg names it, codec, has video)
    "speech_en.wav": ("wav", "pcm_s16le", False),
    "speech_en.flac": ("flac", "flac", False),
    "speech_en.mp3": ("mp3", "mp3", False),
    "speech_en.ogg": ("ogg", "opus", False),
    "speech_en.m4a": ("mov,mp4,m4a,3gp,3g2,mj2", "aac", False),
    "speech_en.mp4": ("mov,mp4,m4a,3gp,3g2,mj2", "aac", True),
    "speech_en.webm": ("matroska,webm", "opus", True),
}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_round_trip_keeps_original_bytes(archive: Archive, tmp_path: Path, name: str):
    source = FIXTURES / name
    interview = archive.import_file(
        source,
        InterviewMetadata(title="Courtyard", narrator="Anahit", languages=("en",)),
    )
    out = tmp_path / f"back-{name}"
    archive.media.write_original(interview.id, out)
    assert out.read_bytes() == source.read_bytes()

    original = archive.media.of_role(interview.id, "original")
    container, codec, has_video = FORMATS[name]
    assert (original.container, original.codec, original.has_video) == (container, codec, has_video)
    assert original.filename == name
    assert original.size == source.stat().st_size
    assert original.channels == 1 and original.sample_rate in (22050, 44100, 48000)

    expected_seconds = len(read_wav(FIXTURES / "speech_en.wav")) / 22050
    assert interview.duration == pytest.approx(expected_seconds, abs=0.15)
    audio = archive.media.working_audio(interview.id)
    assert audio.dtype == np.float32
    assert len(audio) / 16000 == pytest.approx(expected_seconds, abs=0.15)
    assert 0.05 < float(np.abs(audio).max()) <= 1.0


def test_working_copy_is_a_faithful_resample(archive: Archive, tmp_path: Path):
    src = write_wav(tmp_path / "tone.wav", tone(2.0, rate=16000))
    interview = archive.import_file(src)
    audio = archive.media.working_audio(interview.id)
    original = read_wav(src).astype(np.float32) / 32768
    assert len(audio) == len(original)
    assert np.max(np.abs(audio - original)) < 2e-4  # 16 kHz mono in: copied, not altered


def test_stereo_is_mixed_down_for_the_working_copy(archive: Archive, tmp_path: Path):
    left, right = tone(1.0, rate=48000, freq=300), tone(1.0, rate=48000, freq=500, seed=1)
    stereo = np.column_stack([left, right]).ravel()
    src = write_wav(tmp_path / "stereo.wav", stereo, rate=48000, channels=2)
    interview = archive.import_file(src)
    original = archive.media.of_role(interview.id, "original")
    assert (original.channels, original.sample_rate) == (2, 48000)
    assert len(archive.media.working_audio(interview.id)) == pytest.approx(16000, abs=32)


def test_metadata_is_stored(archive: Archive):
    meta = InterviewMetadata(
        title="Хлеб и чай",
        narrator="Ნინო Bəxtiyarova",
        interviewer="Armen",
        recorded_on="1994-05",
        place="Gyumri",
        languages=("hy", "RU", "hy"),
    )
    interview = archive.import_file(FIXTURES / "speech_en.flac", meta)
    got = archive.interviews.get(interview.id)
    assert got.title == "Хлеб и чай"
    assert got.narrator_name == "Ნინო Bəxtiyarova"
    assert (got.interviewer, got.recorded_on, got.place) == ("Armen", "1994-05", "Gyumri")
    assert got.languages == ("hy", "ru")
    again = archive.import_file(FIXTURES / "speech_en.mp3", meta)
    assert again.narrator_id == got.narrator_id  # same narrator, not a duplicate
    assert [e.action for e in archive.audit.entries()][:2] == ["interview.import"] * 2


def _assert_nothing_added(archive: Archive, archive_path: Path) -> None:
    assert archive.interviews.list() == []
    assert archive.media.list() == []
    assert vault_names(archive_path) == set()


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, type[MediaImportError]]]:
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    text = tmp_path / "notes.mp3"
    text.write_text("These are interview notes, not audio.\n" * 50)
    random_bytes = tmp_path / "noise.bin"
    random_bytes.write_bytes(os.urandom(20000))
    cut_wav = tmp_path / "cut.wav"
    data = (FIXTURES / "speech_en.wav").read_bytes()
    cut_wav.write_bytes(data[: len(data) // 2])
    cut_mp4 = tmp_path / "cut.mp4"
    data = (FIXTURES / "speech_en.mp4").read_bytes()
    cut_mp4.write_bytes(data[: len(data) // 2])
    cut_flac = tmp_path / "cut.flac"
    data = (FIXTURES / "speech_en.flac").read_bytes()
    cut_flac.write_bytes(data[: len(data) // 3])
    folder = tmp_path / "a folder.wav"
    folder.mkdir()
    return {
        "empty": (empty, EmptyMediaError),
        "text": (text, NotMediaError),
        "random": (random_bytes, NotMediaError),
        "truncated wav": (cut_wav, CorruptMediaError),
        "truncated mp4": (cut_mp4, CorruptMediaError),
        "truncated flac": (cut_flac, CorruptMediaError),
        "video only": (write_video_only(tmp_path / "silent-film.mp4"), UnsupportedMediaError),
        "missing": (tmp_path / "missing.wav", UnreadableFileError),
        "folder": (folder, UnreadableFileError),
    }


@pytest.mark.parametrize(
    "case",
    [
        "empty",
        "text",
        "random",
        "truncated wav",
        "truncated mp4",
        "truncated flac",
        "video only",
        "missing",
        "folder",
    ],
)
def test_bad_input_is_a_typed_error_and_leaves_nothing(
    archive: Archive, archive_path: Path, tmp_path: Path, case: str
):
    path, error = _bad_inputs(tmp_path)[case]
    with pytest.raises(error) as info:
        archive.import_file(path)
    message = str(info.value)
    assert path.name in message and "Traceback" not in message
    _assert_nothing_added(archive, archive_path)


def test_invalid_metadata_is_refused_before_any_work(archive: Archive, archive_path: Path):
    with pytest.raises(InvalidInputError, match="date"):
        archive.import_file(FIXTURES / "speech_en.wav", InterviewMetadata(recorded_on="May 1994"))
    with pytest.raises(InvalidInputError, match="language"):
        archive.import_file(FIXTURES / "speech_en.wav", InterviewMetadata(languages=("Armenian",)))
    _assert_nothing_added(archive, archive_path)


def test_cancel_leaves_nothing(archive: Archive, archive_path: Path, tmp_path: Path):
    src = write_wav(tmp_path / "long.wav", tone(30.0))
    seen: list[float] = []
    with pytest.raises(ImportCancelledError):
        archive.import_file(src, progress=seen.append, cancelled=lambda: len(seen) > 3)
    _assert_nothing_added(archive, archive_path)


def test_progress_is_reported_and_ends_at_one(archive: Archive, tmp_path: Path):
    src = write_wav(tmp_path / "long.wav", tone(20.0))
    seen: list[float] = []
    archive.import_file(src, progress=seen.append)
    assert len(seen) > 5
    assert seen == sorted(seen) and seen[-1] == 1.0


def test_disk_full_during_import_is_clear_and_leaves_nothing(small_disk, tmp_path: Path):
    disk = small_disk("1500k")
    archive_path = disk / "archive"
    archive = Archive.create(archive_path, PASSPHRASE, kdf=FAST_KDF)
    src = write_wav(tmp_path / "big.wav", tone(60.0, rate=22050))  # 2.6 MB original
    with pytest.raises(DiskFullError, match="disk is full"):
        archive.import_file(src)
    _assert_nothing_added(archive, archive_path)
    assert archive.verify().ok
    small = write_wav(tmp_path / "small.wav", tone(1.0))
    assert archive.import_file(small).duration == pytest.approx(1.0, abs=0.01)
    archive.close()


def test_delete_interview_removes_its_media(archive: Archive, archive_path: Path):
    keep = archive.import_file(FIXTURES / "speech_en.ogg")
    gone = archive.import_file(FIXTURES / "speech_en.mp3")
    archive.interviews.delete(gone.id)
    assert [i.id for i in archive.interviews.list()] == [keep.id]
    assert vault_names(archive_path) == {m.id for m in archive.media.for_interview(keep.id)}
    assert archive.verify().ok


def test_unicode_file_names(archive: Archive, tmp_path: Path):
    src = tmp_path / "Գյումրի_Bakı_Тбилиси_თბილისი.wav"
    shutil.copyfile(FIXTURES / "speech_en.wav", src)
    interview = archive.import_file(src)
    assert archive.media.of_role(interview.id, "original").filename == src.name
