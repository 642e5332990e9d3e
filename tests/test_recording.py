"""Recording through the archive: lossless originals, markers, crash recovery, full disks.

Every test feeds the same :class:`~archive.recording.RecordingWriter` a microphone feeds
in the app (the desktop's device source and the CLI push blocks into ``feed``), here
with deterministic synthetic audio so the saved original can be compared sample by
sample with what went in.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import av
import numpy as np
import pytest

from archive import Archive, DiskFullError, InterviewMetadata
from archive.recording import (
    EmptyRecordingError,
    RecordingError,
    bytes_needed_per_second,
    seconds_left,
)
from archive.recording_pcm import (
    Level,
    PcmFormat,
    ToneSource,
    WavFileSource,
    canary_pcm,
    int32_to_s24,
    levels,
    samples,
    wav_header,
)

from .conftest import FAST_KDF, PASSPHRASE, vault_names

MONO_16 = PcmFormat(48_000, 1, 2)
STEREO_24 = PcmFormat(48_000, 2, 3)


def feed_tone(writer, seconds: float, *, start: int = 0, block: float = 0.05) -> int:
    """Feed ``seconds`` of canary audio from frame ``start`` in blocks; returns frames fed."""
    fmt = writer.format
    total, step = int(seconds * fmt.sample_rate), int(block * fmt.sample_rate)
    for first in range(start, start + total, step):
        writer.feed(canary_pcm(first, min(step, start + total - first), fmt))
    return total


def original_bytes(archive: Archive, interview_id: str) -> bytes:
    return archive.media.read_all(archive.media.of_role(interview_id, "original").id)


def decoded(data: bytes) -> tuple[np.ndarray, int, int, str]:
    """Decode with PyAV (as any player would): samples (frames, channels), rate, channels."""
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        ctx = stream.codec_context
        frames = [f.to_ndarray() for f in container.decode(stream)]
        name, rate, channels = ctx.name, ctx.sample_rate, ctx.channels
    planar = np.concatenate(frames, axis=1) if frames[0].shape[0] == channels else None
    if planar is not None and channels > 1:
        return planar.T, rate, channels, name
    return np.concatenate(frames, axis=1).reshape(-1, channels), rate, channels, name


@pytest.mark.parametrize("fmt", [MONO_16, STEREO_24], ids=["16-bit mono", "24-bit stereo"])
@pytest.mark.parametrize("background", [False, True], ids=["inline", "background"])
def test_original_is_exactly_what_was_fed(archive: Archive, fmt: PcmFormat, background: bool):
    writer = archive.recordings.start(fmt, device="Test", background=background)
    frames = feed_tone(writer, 5.3)
    interview = writer.stop(InterviewMetadata(title="Կանարի", languages=("hy",)))

    data = original_bytes(archive, interview.id)
    header = wav_header(frames * fmt.frame_size, fmt)
    assert data[: len(header)] == header
    assert data[len(header) : len(header) + frames * fmt.frame_size] == canary_pcm(0, frames, fmt)
    # A player reads it: the format and all channels are kept.
    pcm, rate, channels, codec = decoded(data)
    assert (rate, channels, codec) == (fmt.sample_rate, fmt.channels, fmt.codec)
    assert pcm.shape[0] == frames
    original = archive.media.of_role(interview.id, "original")
    assert (original.container, original.codec, original.channels) == (
        "wav",
        fmt.codec,
        fmt.channels,
    )
    # The working copy is made as an import's is: 16 kHz mono, the same duration.
    working = archive.media.working_audio(interview.id)
    assert len(working) == pytest.approx(5.3 * 16_000, abs=20)
    assert interview.duration == pytest.approx(5.3)
    assert interview.title == "Կանարի" and interview.languages == ("hy",)
    # The chunks are gone; nothing else is in the vault; verify passes.
    assert archive.recordings.unfinished() == []
    assert archive.recordings.get(writer.id).status == "finished"
    assert vault_names(archive.paths.root) == {
        m.id for m in archive.media.for_interview(interview.id)
    }
    assert archive.verify().ok


def test_pause_and_resume_leave_out_the_pause(archive: Archive):
    writer = archive.recordings.start(STEREO_24, background=True)
    feed_tone(writer, 1.0)
    writer.pause()
    feed_tone(writer, 0.5, start=48_000)  # dropped while paused
    assert writer.status().paused and writer.seconds == pytest.approx(1.0)
    writer.resume()
    feed_tone(writer, 1.0, start=72_000)
    interview = writer.stop()
    data = original_bytes(archive, interview.id)
    expected = canary_pcm(0, 48_000, STEREO_24) + canary_pcm(72_000, 48_000, STEREO_24)
    assert data[44:] == expected
    assert interview.duration == pytest.approx(2.0)


def test_markers_become_clips_and_verbal_consent_links_the_consent(archive: Archive):
    theme = archive.themes.list()[0]
    writer = archive.recordings.start(MONO_16)
    feed_tone(writer, 2.0)
    first = writer.add_marker(note="  the bakery on Nizami street ")
    feed_tone(writer, 1.0, start=96_000)
    consent = writer.add_marker(kind="verbal_consent")
    second = writer.add_marker(at=0.5, theme_id=theme.id)
    writer.update_marker(first.seq, note="the bakery", theme_id=theme.id)
    gone = writer.add_marker(at=1.0)
    writer.remove_marker(gone.seq)
    feed_tone(writer, 2.0, start=144_000)
    assert [m.seq for m in archive.recordings.markers(writer.id)] == [
        second.seq,
        first.seq,
        consent.seq,
    ]
    interview = writer.stop()

    clips = archive.clips.for_interview(interview.id)
    assert [(c.kind, c.start, c.end, c.note, c.theme_ids) for c in clips] == [
        ("marker", 0.5, 0.5, None, (theme.id,)),
        ("marker", 2.0, 2.0, "the bakery", (theme.id,)),
        ("verbal_consent", 3.0, 5.0, None, ()),
    ]
    assert archive.consent.get(interview.id).release_clip_id == clips[2].id
    assert archive.recordings.markers(writer.id) == []


def test_marker_rules(archive: Archive):
    writer = archive.recordings.start(MONO_16)
    feed_tone(writer, 1.0)
    with pytest.raises(Exception, match="kind of marker"):
        writer.add_marker(kind="clip")
    with pytest.raises(Exception, match="within the recording"):
        writer.add_marker(at=30.0)
    with pytest.raises(Exception, match="theme"):
        writer.add_marker(theme_id=999_999)
    writer.discard()
    assert archive.recordings.unfinished() == [] and vault_names(archive.paths.root) == set()


def test_a_crash_leaves_chunks_and_markers_that_recover(archive_path: Path, tmp_path: Path):
    """In process: the writer never closes (as if killed); the next opener recovers it.

    (The real SIGKILL of a recording process is in test_record_cli.py.)
    """
    archive = Archive.create(archive_path, PASSPHRASE, kdf=FAST_KDF)
    writer = archive.recordings.start(STEREO_24, device="Lavalier pair", flush_seconds=0.5)
    feed_tone(writer, 3.2)  # 6 chunks committed, 0.2 s still in memory
    writer.add_marker(at=1.5, note="Sumgait, 1988")
    archive.close()  # the process "dies": no close(), no stop()

    with Archive.open(archive_path, PASSPHRASE) as again:
        (info,) = again.recordings.unfinished()
        assert (info.id, info.status, info.device) == (writer.id, "interrupted", "Lavalier pair")
        assert info.frames == 3 * 48_000 and info.chunks == 6 and info.markers == 1
        assert again.verify().ok  # the chunks are media rows: verified, never swept away
        interview = again.recordings.recover(info.id)
        data = original_bytes(again, interview.id)
        assert data[44:] == canary_pcm(0, 3 * 48_000, STEREO_24)
        assert [(c.start, c.note) for c in again.clips.for_interview(interview.id)] == [
            (1.5, "Sumgait, 1988")
        ]
        assert again.recordings.unfinished() == []
        assert again.verify().ok
        assert vault_names(archive_path) == {m.id for m in again.media.list()}


def test_a_lost_chunk_becomes_silence_so_markers_stay_in_place(archive: Archive):
    writer = archive.recordings.start(MONO_16, flush_seconds=1.0)
    feed_tone(writer, 3.0)
    writer.add_marker(at=2.5)
    writer.close()
    chunk = next(m for m in archive.media.list() if m.duration == 1.0 and m.role == "recording")
    archive.vault_path(chunk.id).unlink()  # e.g. a bad sector: one chunk unreadable
    (info,) = archive.recordings.unfinished()
    interview = archive.recordings.recover(info.id)
    pcm = samples(original_bytes(archive, interview.id)[44:], MONO_16).reshape(-1)
    expected = samples(canary_pcm(0, 3 * 48_000, MONO_16), MONO_16).reshape(-1)
    lost = [i for i in range(3) if not pcm[i * 48_000 : (i + 1) * 48_000].any()]
    assert len(lost) == 1 and interview.duration == 3.0
    for i in set(range(3)) - set(lost):
        assert np.array_equal(
            pcm[i * 48_000 : (i + 1) * 48_000], expected[i * 48_000 : (i + 1) * 48_000]
        )
    assert archive.clips.for_interview(interview.id)[0].start == 2.5
    assert archive.verify().ok


def test_discard_and_empty_recordings_leave_nothing(archive: Archive):
    writer = archive.recordings.start(MONO_16)
    with pytest.raises(EmptyRecordingError):
        writer.stop()
    writer = archive.recordings.start(MONO_16, flush_seconds=0.5)
    feed_tone(writer, 1.2)
    writer.close()
    with pytest.raises(RecordingError):
        writer.feed(canary_pcm(0, 10, MONO_16))
    (info,) = archive.recordings.unfinished()
    assert info.status == "stopped"
    archive.recordings.discard(info.id)
    assert archive.recordings.unfinished() == [] and archive.interviews.list() == []
    assert vault_names(archive.paths.root) == set() and archive.verify().ok


def test_a_recording_is_saved_once(archive: Archive):
    writer = archive.recordings.start(MONO_16)
    feed_tone(writer, 0.5)
    writer.close()
    archive.recordings.recover(writer.id)
    with pytest.raises(RecordingError, match="finished"):
        archive.recordings.recover(writer.id)
    assert len(archive.interviews.list()) == 1


def test_metadata_given_at_start_is_used_on_recovery(archive: Archive):
    meta = InterviewMetadata(
        title="Gyumri", narrator="Anahit", place="Gyumri", languages=("hy", "ru")
    )
    writer = archive.recordings.start(MONO_16, meta=meta)
    feed_tone(writer, 0.5)
    writer.close()
    interview = archive.recordings.recover(writer.id)
    assert (interview.title, interview.narrator_name, interview.languages) == (
        "Gyumri", "Anahit", ("hy", "ru"),
    )  # fmt: skip
    with pytest.raises(Exception, match="date"):
        archive.recordings.start(MONO_16, meta=InterviewMetadata(recorded_on="last spring"))


# -- disk space -----------------------------------------------------------------------------


def test_start_is_refused_when_the_disk_holds_under_a_minute(small_disk, tmp_path: Path):
    disk = small_disk("17m")
    with Archive.create(disk / "archive", PASSPHRASE, kdf=FAST_KDF) as archive:
        _free, left = seconds_left(archive.paths.vault, STEREO_24)
        assert left < 60
        with pytest.raises(DiskFullError, match="Not enough free disk space"):
            archive.recordings.start(STEREO_24)
        assert archive.recordings.unfinished() == []


def test_low_disk_stops_cleanly_and_everything_is_saved(small_disk):
    disk = small_disk("24m")
    fmt = PcmFormat(16_000, 1, 2)
    with Archive.create(disk / "archive", PASSPHRASE, kdf=FAST_KDF) as archive:
        writer = archive.recordings.start(fmt)
        assert writer.status().seconds_left > 60
        fed = 0
        with pytest.raises(DiskFullError, match="almost full") as stopped:
            for _ in range(400):  # 200 s: more than the disk holds
                fed += feed_tone(writer, 0.5, start=fed)
        assert writer.status().stopped and writer.status().low_disk
        assert "still room to save it" in str(stopped.value)
        writer.feed(canary_pcm(fed, 800, fmt))  # later audio is dropped, quietly
        interview = writer.stop()
        data = original_bytes(archive, interview.id)
        assert data[44:] == canary_pcm(0, fed, fmt)  # nothing fed before the stop is lost
        assert 40 < interview.duration < 200
        assert archive.verify().ok


def test_disk_full_mid_recording_keeps_what_was_flushed(small_disk):
    disk = small_disk("24m")
    archive_path = disk / "archive"
    fmt = PcmFormat(16_000, 1, 2)
    archive = Archive.create(archive_path, PASSPHRASE, kdf=FAST_KDF)
    writer = archive.recordings.start(fmt, flush_seconds=0.5)
    fed = feed_tone(writer, 3.0)
    # Something else fills the disk.
    ballast = disk / "ballast"
    with open(ballast, "wb") as f:
        f.write(b"\0" * (shutil.disk_usage(disk).free - 4096))
    with pytest.raises(DiskFullError, match="disk is full"):
        for _ in range(20):
            fed += feed_tone(writer, 0.5, start=fed)
    assert writer.status().stopped
    writer.close()
    archive.close()
    ballast.unlink()

    with Archive.open(archive_path, PASSPHRASE) as again:
        (info,) = again.recordings.unfinished()
        assert info.frames >= 3 * 16_000
        interview = again.recordings.recover(info.id)
        assert original_bytes(again, interview.id)[44:] == canary_pcm(0, info.frames, fmt)
        assert again.verify().ok


def test_disk_budget_counts_chunks_original_and_working_copy():
    fmt = STEREO_24
    assert bytes_needed_per_second(fmt) == 2 * 288_000 + 32_000


# -- samples, levels, headers, sources --------------------------------------------------------


def test_24_bit_is_the_top_three_bytes_of_32_bit_samples():
    values = np.array([0x7FFFFF00, -0x80000000, 0x12345678, -1], dtype="<i4")
    packed = int32_to_s24(values.tobytes())
    assert packed == bytes.fromhex("ffff7f000080563412ffffff")
    fmt = PcmFormat(48_000, 2, 3)
    assert samples(packed, fmt).tolist() == [[0x7FFFFF, -0x800000], [0x123456, -1]]


def test_levels_peak_rms_and_clipping():
    fmt = PcmFormat(48_000, 2, 2)
    left = np.full(480, 16384, dtype="<i2")  # -6 dBFS square
    right = np.full(480, 32767, dtype="<i2")  # full scale
    pcm = np.stack([left, right], axis=1).tobytes()
    (a, b) = levels(pcm, fmt)
    assert a.peak == pytest.approx(0.5) and a.rms == pytest.approx(0.5) and not a.clipped
    assert Level.db(a.peak) == pytest.approx(-6.02, abs=0.01)
    assert b.clipped
    assert levels(b"", fmt) == [Level(0.0, 0.0)] * 2


def test_rf64_header_for_originals_past_four_gigabytes(tmp_path: Path):
    fmt = STEREO_24
    pcm = canary_pcm(0, 4800, fmt)
    data = wav_header(len(pcm), fmt, rf64=True) + pcm
    assert data[:4] == b"RF64"
    frames, rate, channels, codec = decoded(data)
    assert (rate, channels, codec, frames.shape[0]) == (48_000, 2, "pcm_s24le", 4800)
    assert wav_header(5 * 2**30, fmt)[:4] == b"RF64"  # chosen by size
    assert wav_header(2**30, fmt)[:4] == b"RIFF"


def test_file_and_tone_sources(tmp_path: Path):
    import wave

    fmt = PcmFormat(44_100, 2, 3)
    path = tmp_path / "two-lavaliers.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(3)
        w.setframerate(44_100)
        w.writeframes(canary_pcm(0, 44_100, fmt))
    source = WavFileSource(path)
    assert source.format == fmt
    blocks = []
    while (block := source.read()) is not None:
        blocks.append(block)
    source.close()
    assert b"".join(blocks) == canary_pcm(0, 44_100, fmt)
    tone = ToneSource(fmt, 0.3)
    assert len(b"".join(iter(tone.read, None))) == int(0.3 * 44_100) * fmt.frame_size
    (tmp_path / "not.wav").write_bytes(b"nothing")
    with pytest.raises(Exception, match="not a PCM WAV"):
        WavFileSource(tmp_path / "not.wav")


def test_recording_rows_hold_no_audio(archive: Archive):
    """The database keeps the format and markers; the samples are only in the vault."""
    writer = archive.recordings.start(MONO_16, flush_seconds=0.5)
    feed_tone(writer, 1.0)
    row = next(archive.db.query("SELECT * FROM recordings"))
    assert json.loads(row["meta"])["title"].startswith("Recording ")
    assert {r["frames"] for r in archive.db.query("SELECT frames FROM recording_chunks")} == {
        24_000
    }
    writer.discard()
