"""The interview view's audio player: waveform seek bar, transport, speed, volume.

``PlayerWidget(archive)``; ``load(interview_id)`` streams the interview's ORIGINAL
recording from the vault (see :mod:`desk.player.sources` for why, and for the
fallback to the working copy); ``unload()`` lets go of it (call it on lock).  The rest
of the app drives it through the slots below and follows ``position_changed`` (about
20 times a second while playing, and on every seek).

Errors (a tampered or missing vault file, a format the backend refuses) show as a
plain message in the widget; the controls are disabled until the next load.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import shiboken6
from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from archive import Archive, ArchiveError, NotFoundError
from desk.tasks import Task

from .controls import SKIP_SECONDS, SPEEDS, TransportBar
from .peaks import peaks_task
from .playback import Playback
from .shortcuts import SHORTCUTS
from .sources import MediaKind, open_source
from .vault_device import VaultDevice
from .waveform import WaveformOverview

PLAYER_SHORTCUTS = SHORTCUTS  # (name, QKeySequence, description) for the shortcuts sheet


def _teardown(playback: Playback) -> None:
    """Detach the backend from the vault device before either is destroyed.

    Connected to the widget's ``destroyed`` signal.  The Playback has no Qt parent
    on purpose: a parent deletes its children before ``destroyed`` is emitted, which
    would destroy the media player while its threads may still be reading.
    """
    if shiboken6.isValid(playback):  # at interpreter exit it may have gone first
        playback.blockSignals(True)  # the widget is half gone: no slot of it may run
        playback.close()


class PlayerWidget(QWidget):
    position_changed = Signal(float)
    duration_changed = Signal(float)
    playing_changed = Signal(bool)
    failed = Signal(str)

    def __init__(self, archive: Archive, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._archive = archive
        self._interview_id: str | None = None
        self._duration = 0.0
        self._speed = 1.0
        self._peaks_task: Task | None = None

        self._playback = Playback()
        self.destroyed.connect(partial(_teardown, self._playback))
        self._playback.position_changed.connect(self._on_position)
        self._playback.duration_changed.connect(self._set_duration)
        self._playback.playing_changed.connect(self._on_playing)
        self._playback.unplayable.connect(self._on_unplayable)
        self._playback.failed.connect(self._on_failed)

        self._error_label = QLabel()
        self._error_label.setWordWrap(True)
        self._error_label.setObjectName("playerError")
        self._error_label.setStyleSheet(
            "#playerError { background: palette(alternate-base); border-left: 3px solid"
            " #c0392b; border-radius: 4px; padding: 6px 8px; }"
        )
        self._error_label.hide()
        self.waveform = WaveformOverview()
        self.waveform.seek_requested.connect(self.seek)
        self.controls = TransportBar()
        self.controls.play_clicked.connect(self.toggle_play)
        self.controls.skip_clicked.connect(self.skip)
        self.controls.speed_chosen.connect(self.set_speed)
        self.controls.volume_changed.connect(self._playback.set_volume)
        self.controls.mute_toggled.connect(self._playback.set_muted)
        if self._playback.pitch_kept:
            self.controls.speed_box.setToolTip(self.tr("Playback speed (the pitch is kept)"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 8)
        layout.setSpacing(6)
        layout.addWidget(self._error_label)
        layout.addWidget(self.waveform)
        layout.addWidget(self.controls)
        self._set_media_enabled(False)

    # -- what is loaded -----------------------------------------------------------------

    @property
    def interview_id(self) -> str | None:
        return self._interview_id

    @property
    def media_kind(self) -> MediaKind | None:
        """Which of the interview's media is playing (the original, or the fallback)."""
        source = self._playback.source
        return source.kind if source is not None else None

    @property
    def device(self) -> VaultDevice | None:
        source = self._playback.source
        return source.device if source is not None else None

    @property
    def playback(self) -> Playback:
        """The engine (and through it the QMediaPlayer), for inspection."""
        return self._playback

    @property
    def ready(self) -> bool:
        """The media is open in the backend: its duration is known and seeks apply."""
        return self._playback.ready

    @property
    def error_message(self) -> str | None:
        return self._error_label.text() if not self._error_label.isHidden() else None

    @property
    def pitch_kept(self) -> bool:
        """Whether QtMultimedia keeps the pitch when the speed changes (it does in 6.12)."""
        return self._playback.pitch_kept

    def load(self, interview_id: str, media: MediaKind = MediaKind.ORIGINAL) -> None:
        """Show and stream ``interview_id``; errors show in the widget, never raise."""
        self.unload()
        self._interview_id = interview_id
        try:
            interview = self._archive.interviews.get(interview_id)
        except ArchiveError as exc:
            self._show_error(self.tr("This interview cannot be opened."), str(exc))
            return
        self._set_duration(interview.duration or 0.0)  # until the backend has its own
        self._open(media)
        self._start_peaks()

    @Slot()
    def unload(self) -> None:
        """Stop, detach the device and drop its decrypted buffers; clear the view."""
        if self._peaks_task is not None:
            self._peaks_task.cancel()
            self._peaks_task = None
        self._playback.close()
        self._interview_id = None
        self._hide_error()
        self.waveform.set_peaks(None)
        self.waveform.set_position(0.0)
        self._set_duration(0.0)
        self._on_position(0.0)
        self._on_playing(False)
        self._set_media_enabled(False)

    def _open(self, kind: MediaKind) -> None:
        if self._interview_id is None:
            return
        try:
            source = open_source(self._archive, self._interview_id, kind)
        except NotFoundError:
            if kind is MediaKind.ORIGINAL:  # e.g. a recording kept only as working copy
                self._open(MediaKind.WORKING)
            else:
                self._show_error(self.tr("This interview has no audio to play."))
            return
        except (ArchiveError, OSError) as exc:
            self._show_error(self.tr("This recording cannot be played."), str(exc))
            return
        self._playback.open(source)
        self._set_media_enabled(True)
        self._playback.set_rate(self._speed)

    def _on_unplayable(self, message: str) -> None:
        if self.media_kind is MediaKind.ORIGINAL:
            # Not from inside the media player's own signal: open the fallback next turn.
            QTimer.singleShot(0, self, partial(self._fall_back, self._interview_id))
        else:
            self._show_error(self.tr("This recording cannot be played."), message)

    def _fall_back(self, interview_id: str | None) -> None:
        if interview_id == self._interview_id and self.media_kind is MediaKind.ORIGINAL:
            self._open(MediaKind.WORKING)

    def _on_failed(self, message: str) -> None:
        self._show_error(self.tr("This recording cannot be played."), message)

    # -- waveform -----------------------------------------------------------------------

    def _start_peaks(self) -> None:
        try:
            task = peaks_task(self._archive, self._interview_id or "")
        except ArchiveError:
            return  # no working copy: the overview stays a flat line
        self._peaks_task = task
        task.succeeded.connect(self._on_peaks)
        task.failed.connect(self._on_peaks_failed)
        task.start()

    def _on_peaks(self, peaks: np.ndarray | None) -> None:
        if self.sender() is self._peaks_task and peaks is not None:
            self.waveform.set_peaks(peaks)

    def _on_peaks_failed(self, message: str) -> None:
        if self.sender() is self._peaks_task:
            self._show_error(self.tr("The waveform cannot be drawn."), message)

    # -- transport slots ------------------------------------------------------------------

    @Slot()
    def play(self) -> None:
        """Play from the position; refused while an error shows (until the next load)."""
        if self.error_message is None:
            self._playback.play()

    @Slot()
    def pause(self) -> None:
        self._playback.pause()

    @Slot()
    def toggle_play(self) -> None:
        if self._playback.playing:
            self.pause()
        else:
            self.play()

    @Slot(float)
    def seek(self, seconds: float) -> None:
        if self._playback.source is not None:
            self._playback.seek(min(max(seconds, 0.0), self._duration or seconds))

    @Slot(float)
    def skip(self, seconds: float) -> None:
        self.seek(self.position + seconds)

    @Slot(float)
    def play_from(self, seconds: float) -> None:
        self.seek(seconds)
        self.play()

    @Slot()
    def rewind(self) -> None:
        self.skip(-SKIP_SECONDS)

    @Slot()
    def forward(self) -> None:
        self.skip(SKIP_SECONDS)

    @Slot(float)
    def set_speed(self, rate: float) -> None:
        self._speed = min(max(rate, SPEEDS[0]), SPEEDS[-1])
        self._playback.set_rate(self._speed)
        self.controls.show_speed(self._speed)

    @Slot()
    def faster(self) -> None:
        self.set_speed(next((s for s in SPEEDS if s > self._speed + 1e-6), SPEEDS[-1]))

    @Slot()
    def slower(self) -> None:
        self.set_speed(next((s for s in reversed(SPEEDS) if s < self._speed - 1e-6), SPEEDS[0]))

    @property
    def position(self) -> float:
        """Seconds from the start (where a seek asked to go, until the media is ready)."""
        return self._playback.position

    @property
    def duration(self) -> float:
        return self._duration

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def playing(self) -> bool:
        return self._playback.playing

    # -- showing state --------------------------------------------------------------------

    def _on_position(self, seconds: float) -> None:
        self.waveform.set_position(seconds)
        self.controls.show_times(seconds, self._duration)
        self.position_changed.emit(seconds)

    def _set_duration(self, seconds: float) -> None:
        if abs(seconds - self._duration) < 1e-3:
            return
        self._duration = seconds
        self.waveform.set_duration(seconds)
        self.controls.show_times(self._playback.position, seconds)
        self.duration_changed.emit(seconds)

    def _on_playing(self, playing: bool) -> None:
        self.controls.show_playing(playing)
        self.playing_changed.emit(playing)

    def _set_media_enabled(self, enabled: bool) -> None:
        self.waveform.setEnabled(enabled)
        self.controls.setEnabled(enabled)

    def _show_error(self, message: str, detail: str = "") -> None:
        self._playback.pause()
        self._error_label.setText(f"{message} {detail}".strip())
        self._error_label.show()
        self._set_media_enabled(False)
        self.failed.emit(self._error_label.text())

    def _hide_error(self) -> None:
        self._error_label.clear()
        self._error_label.hide()
