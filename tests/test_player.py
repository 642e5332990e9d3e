"""The interview player: vault device, WAV fallback, playback, waveform, errors, no temp files.

Real everything: the encrypted archive, Qt offscreen, QtMultimedia's FFmpeg backend.
There is no audio output device here, so positions are checked by seeking, not by
listening; one test plays for a second and skips if the backend's clock stands still.
"""

from __future__ import annotations

import io
import os
import tempfile
import time
import wave
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtMultimedia import QMediaDevices, QMediaPlayer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from archive import Archive, Interview
from archive.vault import CHUNK_SIZE, HEADER_SIZE, TAG_SIZE
from desk.player import SHORTCUTS, MediaKind, PlayerWidget, describe, install_shortcuts
from desk.player.controls import SKIP_SECONDS
from desk.player.peaks import compute_peaks
from desk.player.player import PLAYER_SHORTCUTS
from desk.player.sources import open_source
from desk.player.timefmt import format_clock
from desk.player.vault_device import VaultDevice
from desk.player.wav import WAV_HEADER_SIZE

from .media_factory import tone, write_wav

FIXTURES = Path(__file__).parent / "fixtures"
WAIT_MS = 5000

Importer = Callable[[str], Interview]


@pytest.fixture
def imported(archive: Archive) -> Importer:
    return lambda name: archive.import_file(FIXTURES / name)


@pytest.fixture
def player(qtbot, archive: Archive) -> PlayerWidget:
    widget = PlayerWidget(archive)
    qtbot.addWidget(widget)
    widget.resize(720, 130)
    widget.show()
    return widget


def _load(qtbot, player: PlayerWidget, interview: Interview, **kwargs: object) -> None:
    started = time.monotonic()
    player.load(interview.id, **kwargs)
    assert time.monotonic() - started < 0.25  # the UI thread does not wait for the backend
    qtbot.waitUntil(lambda: player.ready, timeout=WAIT_MS)


def _read(device: VaultDevice, offset: int, count: int) -> bytes:
    assert device.seek(offset)
    return bytes(device.read(count).data())


def _tamper(archive: Archive, media_id: str, chunk: int) -> None:
    path = archive.vault_path(media_id)
    data = bytearray(path.read_bytes())
    data[HEADER_SIZE + chunk * (CHUNK_SIZE + TAG_SIZE) + 100] ^= 0x01
    path.write_bytes(bytes(data))


# -- the device -------------------------------------------------------------------------


def test_vault_device_reads_exactly_the_plaintext_at_random_offsets(archive, imported):
    interview = imported("speech_en.wav")  # six 64 KiB chunks
    media = archive.media.of_role(interview.id, "original")
    plain = archive.media.read_all(media.id)
    device = open_source(archive, interview.id, MediaKind.ORIGINAL).device
    assert device.size() == len(plain) == media.size
    assert not device.isSequential()
    rng = np.random.default_rng(7)
    for offset in [0, CHUNK_SIZE - 5, len(plain) - 10, *rng.integers(0, len(plain), 40)]:
        count = int(rng.integers(1, 3 * CHUNK_SIZE))
        assert _read(device, int(offset), count) == plain[offset : offset + count]
        assert device.pos() == min(len(plain), offset + count)
        assert device.bytesAvailable() == len(plain) - device.pos()
    assert device.seek(len(plain)) and device.atEnd()
    assert bytes(device.read(10).data()) == b""
    assert not device.seek(len(plain) + 1)
    device.release()
    assert device.released and device.atEnd()


def test_working_copy_is_served_as_a_wav_that_parses_in_memory(archive, imported):
    interview = imported("speech_en.ogg")
    working = archive.media.of_role(interview.id, "working")
    pcm = archive.media.read_all(working.id)
    device = open_source(archive, interview.id, MediaKind.WORKING).device
    assert device.size() == WAV_HEADER_SIZE + len(pcm)
    assert _read(device, 40, 10) == len(pcm).to_bytes(4, "little") + pcm[:6]  # straddles
    whole = io.BytesIO(_read(device, 0, device.size()))  # in memory, never a file
    with wave.open(whole, "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 16000)
        assert wav.getnframes() == len(pcm) // 2
        assert wav.readframes(wav.getnframes()) == pcm
    assert abs(len(pcm) / 2 / 16000 - interview.duration) < 0.01
    device.release()


def test_a_tampered_chunk_ends_the_stream_with_a_message_instead_of_raising(
    qtbot, archive, imported
):
    interview = imported("speech_en.wav")
    media = archive.media.of_role(interview.id, "original")
    plain = archive.media.read_all(media.id)
    _tamper(archive, media.id, chunk=2)
    device = open_source(archive, interview.id, MediaKind.ORIGINAL).device
    assert _read(device, 0, 1000) == plain[:1000]  # the intact chunks still read
    with qtbot.waitSignal(device.failed, timeout=WAIT_MS) as signal:
        assert _read(device, 2 * CHUNK_SIZE + 10, 1000) == b""
    assert "integrity" in signal.args[0] and device.error == signal.args[0]
    assert device.atEnd()  # what Qt's FFmpeg glue turns into AVERROR_EOF: no retry loop


# -- the player ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["speech_en.wav", "speech_en.mp3", "speech_en.ogg", "speech_en.mp4"]
)
def test_player_streams_the_original_and_seeks(qtbot, player, imported, name):
    interview = imported(name)
    durations: list[float] = []
    player.duration_changed.connect(durations.append)
    _load(qtbot, player, interview)
    # QtMultimedia opens each of these containers from the QIODevice: no fallback.
    assert player.media_kind is MediaKind.ORIGINAL
    assert player.error_message is None
    assert abs(player.duration - interview.duration) < 0.2
    assert abs(player.playback.media_player.duration() / 1000 - interview.duration) < 0.2
    assert durations and durations[-1] == player.duration
    with qtbot.waitSignal(player.position_changed, timeout=WAIT_MS):
        player.seek(3.0)
    qtbot.waitUntil(lambda: abs(player.position - 3.0) < 0.05, timeout=WAIT_MS)
    assert player.playback.media_player.position() == pytest.approx(3000, abs=50)
    assert player.controls.elapsed_label.text() == "0:03"
    assert player.controls.total_label.text() == format_clock(player.duration)


def test_skip_play_from_speed_and_pitch(qtbot, player, imported):
    interview = imported("speech_en.wav")
    _load(qtbot, player, interview)
    media = player.playback.media_player
    player.seek(3.0)
    player.skip(-5.0)
    qtbot.waitUntil(lambda: player.position == 0.0, timeout=WAIT_MS)
    player.skip(2.5)
    qtbot.waitUntil(lambda: abs(player.position - 2.5) < 0.05, timeout=WAIT_MS)
    player.forward()
    assert abs(player.position - 7.5) < 0.1
    player.skip(60.0)
    assert abs(player.position - player.duration) < 0.05  # clamped at the end
    player.rewind()
    assert abs(player.position - (player.duration - 5.0)) < 0.1

    player.set_speed(1.5)
    assert player.speed == 1.5 and media.playbackRate() == 1.5
    assert player.controls.speed_box.currentText() == "1.5×"
    player.faster()
    player.faster()
    player.faster()
    assert media.playbackRate() == 2.0  # stepped up, then held at the top
    for _ in range(8):
        player.slower()
    assert media.playbackRate() == 0.5
    player.controls.speed_box.setCurrentIndex(2)  # the user picks 1×
    assert media.playbackRate() == 1.0 == player.speed
    if (
        media.pitchCompensationAvailability()
        != QMediaPlayer.PitchCompensationAvailability.Unavailable
    ):
        assert player.pitch_kept and media.pitchCompensation()

    player.play_from(1.0)
    qtbot.waitUntil(lambda: player.playing, timeout=WAIT_MS)
    assert player.position >= 1.0
    player.toggle_play()
    qtbot.waitUntil(lambda: not player.playing, timeout=WAIT_MS)


def test_seek_before_the_media_is_ready_is_kept_for_it(qtbot, player, imported):
    interview = imported("speech_en.mp3")
    player.load(interview.id)
    player.seek(4.0)  # the backend is still loading and would drop it
    assert player.position == 4.0
    qtbot.waitUntil(lambda: player.ready, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: abs(player.playback.media_player.position() - 4000) < 50, timeout=WAIT_MS
    )


def test_position_is_reported_often_while_playing(qtbot, player, imported):
    interview = imported("speech_en.wav")
    _load(qtbot, player, interview)
    updates: list[float] = []
    player.position_changed.connect(updates.append)
    player.play()
    qtbot.wait(1000)
    player.pause()
    if not updates and not QMediaDevices.audioOutputs():
        pytest.skip("the backend's clock does not run without an audio device here")
    assert len(updates) >= 9  # about 20 a second; the transcript follows these
    assert 0.5 < updates[-1] < 1.6


def test_working_copy_plays_as_the_fallback(qtbot, player, imported):
    interview = imported("speech_en.mp4")
    _load(qtbot, player, interview, media=MediaKind.WORKING)
    assert player.media_kind is MediaKind.WORKING
    assert abs(player.duration - interview.duration) < 0.05
    player.seek(2.0)
    qtbot.waitUntil(lambda: abs(player.position - 2.0) < 0.05, timeout=WAIT_MS)


def test_unload_drops_the_device_and_a_new_load_works(qtbot, player, imported):
    first, second = imported("speech_en.wav"), imported("speech_en_2.wav")
    _load(qtbot, player, first)
    device = player.device
    assert device is not None and not device.released
    player.unload()
    assert device.released and player.device is None and player.media_kind is None
    media = player.playback.media_player
    assert media.sourceDevice() is None and media.source().isEmpty()
    assert player.duration == 0.0 and player.position == 0.0
    assert not player.controls.isEnabled()
    _load(qtbot, player, second)
    assert abs(player.duration - second.duration) < 0.2


def test_deleting_the_window_while_playing_detaches_the_device(qtbot, archive, imported):
    interview = imported("speech_en.wav")
    window = QWidget()
    player = PlayerWidget(archive, window)
    QVBoxLayout(window).addWidget(player)
    window.show()
    _load(qtbot, player, interview)
    player.play()
    player.seek(2.0)
    device = player.device
    destroyed: list[object] = []
    player.destroyed.connect(lambda *_: destroyed.append(True))
    window.deleteLater()
    qtbot.waitUntil(lambda: bool(destroyed), timeout=WAIT_MS)
    assert device is not None and device.released


# -- the waveform -----------------------------------------------------------------------------


def test_peaks_are_the_largest_sample_of_each_span():
    silence = np.zeros(16000, dtype="<i2")
    loud = np.full(16001, 16384, dtype="<i2")  # half scale; one sample into a short span
    stream = io.BytesIO(np.concatenate([silence, loud]).tobytes())
    peaks = compute_peaks(stream, 32001, count=100)
    assert peaks is not None and len(peaks) == 100
    assert peaks[:49].max() == 0.0
    assert np.allclose(peaks[51:], 0.5)
    assert compute_peaks(io.BytesIO(), 0).size == 0
    assert compute_peaks(io.BytesIO(b"\0\0" * 10), 10, cancelled=lambda: True) is None


def test_waveform_shows_the_silent_padding_low_and_the_speech_high(qtbot, player, imported):
    interview = imported("speech_en.wav")  # 0.3 s of digital silence at both ends
    player.load(interview.id)
    qtbot.waitUntil(lambda: player.waveform.peaks is not None, timeout=WAIT_MS)
    peaks = player.waveform.peaks
    per_second = len(peaks) / interview.duration
    head = peaks[: int(0.25 * per_second)]
    tail = peaks[-int(0.25 * per_second) :]
    speech = peaks[int(1 * per_second) : int((interview.duration - 1) * per_second)]
    assert head.max() < 0.01 and tail.max() < 0.01
    assert speech.max() > 0.2 and np.median(speech) > 10 * max(head.max(), 1e-4)


def test_clicking_and_dragging_the_overview_seeks(qtbot, player, imported):
    interview = imported("speech_en.wav")
    _load(qtbot, player, interview)
    overview = player.waveform
    track = overview.rect().adjusted(8, 8, -8, -8)

    def x_at(fraction: float) -> QPoint:
        return QPoint(round(track.left() + fraction * track.width()), track.center().y())

    qtbot.mouseClick(overview, Qt.MouseButton.LeftButton, pos=x_at(0.25))
    qtbot.waitUntil(lambda: abs(player.position - 0.25 * player.duration) < 0.1, timeout=WAIT_MS)
    qtbot.mousePress(overview, Qt.MouseButton.LeftButton, pos=x_at(0.1))
    qtbot.mouseMove(overview, x_at(0.4))
    qtbot.mouseRelease(overview, Qt.MouseButton.LeftButton, pos=x_at(0.6))
    qtbot.waitUntil(lambda: abs(player.position - 0.6 * player.duration) < 0.1, timeout=WAIT_MS)
    overview.setFocus()
    qtbot.keyClick(overview, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: player.position == 0.0, timeout=WAIT_MS)


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["middle chunk", "first chunk", "file missing"])
def test_damaged_vault_file_shows_a_message_not_a_traceback(
    qtbot, archive, player, imported, damage
):
    interview = imported("speech_en.wav")  # six chunks
    media = archive.media.of_role(interview.id, "original")
    if damage == "file missing":
        archive.vault_path(media.id).unlink()
    else:
        _tamper(archive, media.id, chunk=0 if damage == "first chunk" else 2)
    messages: list[str] = []
    player.failed.connect(messages.append)
    player.load(interview.id)
    player.seek(4.0)  # chunk 2 holds 2.97 s to 4.46 s of this 22.05 kHz file
    player.play()
    qtbot.waitUntil(lambda: player.error_message is not None, timeout=WAIT_MS)
    expected = "missing" if damage == "file missing" else "integrity check"
    assert expected in player.error_message and "Traceback" not in player.error_message
    assert messages == [player.error_message]
    assert not player.controls.isEnabled()
    player.play()  # refused until another load
    qtbot.waitUntil(lambda: not player.playing, timeout=WAIT_MS)
    assert player.media_kind in (MediaKind.ORIGINAL, None)  # no silent fallback


# -- no plaintext on disk --------------------------------------------------------------------


def _new_files(roots: list[Path], since: float) -> Iterator[Path]:
    seen: set[Path] = set()
    for root in roots:
        for folder, _dirs, files in os.walk(root):
            for name in files:
                path = Path(folder, name)
                try:
                    fresh = path.stat().st_mtime >= since and path.is_file()
                except OSError:
                    continue
                if fresh and path not in seen:
                    seen.add(path)
                    yield path


def _plaintext_files(roots: list[Path], since: float, needle: bytes) -> list[str]:
    found = []
    for path in _new_files(roots, since):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if (data[:4] == b"RIFF" and data[8:12] == b"WAVE") or needle in data:
            found.append(str(path))
    return found


def test_playing_writes_no_plaintext_audio_to_any_temp_folder(qtbot, tmp_path, archive, player):
    since = time.time() - 1
    (tmp_path / "input").mkdir()
    source = write_wav(tmp_path / "input" / "canary.wav", tone(6.0, freq=987.6, seed=11))
    raw = source.read_bytes()
    needle = raw[len(raw) // 2 : len(raw) // 2 + 64]  # 16 kHz mono: the working copy too
    interview = archive.import_file(source)
    for kind in (MediaKind.ORIGINAL, MediaKind.WORKING):
        _load(qtbot, player, interview, media=kind)
        player.seek(2.0)
        player.play()
        qtbot.wait(300)
        player.seek(4.5)
        qtbot.waitUntil(lambda: player.waveform.peaks is not None, timeout=WAIT_MS)
    player.unload()
    roots = [Path(tempfile.gettempdir()), tmp_path]
    found = _plaintext_files(roots, since, needle)
    assert found == [str(source)]  # the scanner sees the input the test wrote, only it


# -- shortcuts and looks -------------------------------------------------------------------------


def test_shortcuts_are_listed_once_and_drive_the_player(qtbot, player, imported):
    keys = [shortcut.keys.toString() for shortcut in SHORTCUTS]
    assert len(keys) == len(set(keys))
    assert {"Ctrl+Space", "Ctrl+R", "Ctrl+Shift+R", "Ctrl+Up", "Ctrl+Down"} <= set(keys)
    assert all(callable(getattr(player, shortcut.name)) for shortcut in SHORTCUTS)
    for name in ("rewind", "forward"):  # the text says what the skip does
        assert f" {SKIP_SECONDS:g} " in describe(next(s for s in SHORTCUTS if s.name == name))
    assert PLAYER_SHORTCUTS is SHORTCUTS  # the name the main window's sheet imports
    _load(qtbot, player, imported("speech_en.wav"))
    installed = dict(zip(keys, install_shortcuts(player, player), strict=True))
    player.seek(6.0)
    installed["Ctrl+R"].activated.emit()
    assert abs(player.position - 1.0) < 0.05
    installed["Ctrl+Shift+R"].activated.emit()
    assert abs(player.position - 6.0) < 0.05
    installed["Ctrl+Up"].activated.emit()
    assert player.speed == 1.25
    installed["Ctrl+Down"].activated.emit()
    assert player.speed == 1.0


def test_screenshot_shows_the_played_part_tinted(qtbot, player, imported):
    interview = imported("speech_en.wav")
    _load(qtbot, player, interview)
    qtbot.waitUntil(lambda: player.waveform.peaks is not None, timeout=WAIT_MS)
    player.seek(0.4 * player.duration)
    qtbot.wait(50)
    shot = player.grab()
    assert shot.save("/tmp/player.png")
    image = player.waveform.grab().toImage()
    accent = player.waveform.palette().color(QPalette.ColorRole.Highlight)

    def tinted_columns(left: int, right: int) -> int:
        mid = image.height() // 2
        return sum(
            1
            for x in range(left, right)
            for y in (mid - 1, mid, mid + 1)
            if _close(image.pixelColor(x, y), accent)
        )

    playhead = round(8 + 0.4 * (image.width() - 16))
    assert tinted_columns(12, playhead - 6) > 20
    assert tinted_columns(playhead + 6, image.width() - 12) == 0


def _close(a: QColor, b: QColor) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 60


def test_clock_format():
    assert format_clock(0) == "0:00"
    assert format_clock(7.57) == "0:07"
    assert format_clock(65.2) == "1:05"
    assert format_clock(3 * 3600 + 62) == "3:01:02"
    assert format_clock(5, hours=True) == "0:00:05"
