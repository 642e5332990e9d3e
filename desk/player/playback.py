"""The media engine behind the player widget: QMediaPlayer over a vault device.

Times are float seconds at this boundary (QMediaPlayer counts milliseconds).

Two rules keep Python and QtMultimedia's threads out of each other's way:

* The backend calls the device's Python ``readData`` from its own threads, which
  then need the GIL.  ``QMediaPlayer.setSourceDevice`` does not release the GIL
  while it waits for a previous load to finish, so calling it while a load is
  reading deadlocks.  ``setSource(QUrl())`` does release it; :meth:`Playback.close`
  uses that to detach the device, and :meth:`Playback.open` always closes first.
* A device must outlive the backend's use of it, so it is released only after that
  detach.  The owner must call :meth:`close` before this object goes away (the
  player widget does so from its ``destroyed`` signal).

With no audio output device (a server, CI, PulseAudio absent) the backend still
loads, reports the duration, seeks, and its clock advances when playing; nothing is
heard.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer

from .sources import PlaybackSource

Status = QMediaPlayer.MediaStatus
_SEEKABLE = {
    Status.LoadedMedia,
    Status.BufferingMedia,
    Status.BufferedMedia,
    Status.StalledMedia,
    Status.EndOfMedia,
}


class Playback(QObject):
    """Plays one :class:`PlaybackSource` at a time."""

    position_changed = Signal(float)
    duration_changed = Signal(float)
    playing_changed = Signal(bool)
    unplayable = Signal(str)  # the backend refused the stream's format
    failed = Signal(str)  # reading the vault failed (tampered or missing file)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._player = QMediaPlayer(self)
        self._output = QAudioOutput(self)
        self._player.setAudioOutput(self._output)
        self._devices = QMediaDevices(self)
        self._devices.audioOutputsChanged.connect(self._follow_default_output)
        self.pitch_kept = (
            self._player.pitchCompensationAvailability()
            != QMediaPlayer.PitchCompensationAvailability.Unavailable
        )
        if self.pitch_kept:
            self._player.setPitchCompensation(True)
        self._source: PlaybackSource | None = None
        self._pending_ms: int | None = None
        self._reported = False
        self._player.positionChanged.connect(self._on_position)
        self._player.durationChanged.connect(self._on_duration)
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.playbackStateChanged.connect(self._on_state)
        self._player.errorOccurred.connect(self._on_error)

    # -- source ---------------------------------------------------------------------

    @property
    def source(self) -> PlaybackSource | None:
        return self._source

    def open(self, source: PlaybackSource) -> None:
        self.close()
        self._source = source
        self._reported = False
        source.device.failed.connect(self._on_device_failed)
        self._player.setSourceDevice(source.device, source.url)

    def close(self) -> None:
        """Detach the device from the backend, then drop its decrypted buffers."""
        source, self._source = self._source, None
        self._pending_ms = None
        if source is None:
            return
        self._player.setSource(QUrl())  # releases the GIL while the backend lets go
        with contextlib.suppress(RuntimeError):  # already gone when the app shuts down
            source.device.failed.disconnect(self._on_device_failed)
        source.device.release()

    # -- transport ------------------------------------------------------------------

    @property
    def media_player(self) -> QMediaPlayer:
        """The backend itself, for inspection; drive it through this class."""
        return self._player

    @property
    def ready(self) -> bool:
        """The backend has opened the media: duration known, seeks honoured."""
        return self._source is not None and self._player.mediaStatus() in _SEEKABLE

    @property
    def position(self) -> float:
        if self._pending_ms is not None:
            return self._pending_ms / 1000.0
        return self._player.position() / 1000.0 if self._source is not None else 0.0

    @property
    def playing(self) -> bool:
        return self._player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def play(self) -> None:
        if self._source is not None:
            self._player.play()

    def pause(self) -> None:
        self._player.pause()

    def seek(self, seconds: float) -> None:
        """Go to ``seconds``; before the media has loaded, go there once it has.

        (The backend drops seeks while it loads, and reports a seek's new position
        synchronously once it has loaded.)
        """
        ms = max(0, round(seconds * 1000))
        if self._player.duration() > 0:
            ms = min(ms, self._player.duration())
        if self.ready:
            self._pending_ms = None
            self._player.setPosition(ms)
        elif self._source is not None:
            self._pending_ms = ms
            self.position_changed.emit(ms / 1000.0)

    def set_rate(self, rate: float) -> None:
        self._player.setPlaybackRate(rate)

    def set_volume(self, linear: float) -> None:
        self._output.setVolume(linear)

    def set_muted(self, muted: bool) -> None:
        self._output.setMuted(muted)

    # -- backend events ----------------------------------------------------------------

    def _on_position(self, ms: int) -> None:
        if self._source is None or self._pending_ms is not None:
            return
        self.position_changed.emit(ms / 1000.0)

    def _on_duration(self, ms: int) -> None:
        if self._source is not None and ms > 0:
            self.duration_changed.emit(ms / 1000.0)

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if self._source is None:
            return
        if status == Status.LoadedMedia:
            # A video track would be decoded for nothing: the player is audio only.
            self._player.setActiveVideoTrack(-1)
            if self._pending_ms is not None:
                ms, self._pending_ms = self._pending_ms, None
                self._player.setPosition(ms)
        elif status == Status.EndOfMedia and self._source.device.error:
            self._on_device_failed(self._source.device.error)

    def _on_state(self, state: QMediaPlayer.PlaybackState) -> None:
        self.playing_changed.emit(state == QMediaPlayer.PlaybackState.PlayingState)

    def _on_error(self, _error: QMediaPlayer.Error, message: str) -> None:
        if self._source is None or self._reported:
            return
        if self._source.device.error:
            self._on_device_failed(self._source.device.error)
        else:
            self._reported = True
            self.unplayable.emit(message)

    def _on_device_failed(self, message: str) -> None:
        # Queued from the backend's thread: it may come from a device since replaced.
        if self._source is None or self._source.device.error is None or self._reported:
            return
        self._reported = True
        self._player.pause()
        self.failed.emit(message)

    def _follow_default_output(self) -> None:
        self._output.setDevice(QMediaDevices.defaultAudioOutput())
