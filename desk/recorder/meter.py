"""The live level meter: one bar per channel, RMS filled, peak as a line, in dBFS.

Levels arrive with every block of audio (:meth:`LevelMeter.add`); the widget keeps the
loudest since its last paint, repaints at most ~30 times a second, lets the bars fall
back smoothly, holds the peak for a moment, and shows CLIP in red for two seconds
after any sample reached full scale.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from archive.recording_pcm import Level

FLOOR_DB = -60.0
TICKS_DB = (-60, -48, -36, -24, -18, -12, -6, -3, 0)
FALL_DB_PER_SECOND = 24.0
PEAK_HOLD_SECONDS = 1.5
CLIP_HOLD_SECONDS = 2.0
_GREEN, _AMBER, _RED = QColor("#2e9d55"), QColor("#e0a100"), QColor("#d93025")


def _fraction(db: float) -> float:
    return min(1.0, max(0.0, (db - FLOOR_DB) / -FLOOR_DB))


class LevelMeter(QWidget):
    """Peak and RMS bars per channel with a dB scale and a clipping warning."""

    def __init__(self, channels: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._timer = QTimer(self)
        self._timer.setInterval(33)
        self._timer.timeout.connect(self._animate)
        self.set_channels(channels)

    # -- what the recorder tells it ---------------------------------------------

    def set_channels(self, channels: int) -> None:
        self._channels = max(1, channels)
        self._pending: list[Level] | None = None
        self.rms_db = [FLOOR_DB] * self._channels
        self.peak_db = [FLOOR_DB] * self._channels
        self._held_peak = [FLOOR_DB] * self._channels
        self._held_at = [0.0] * self._channels
        self._clip_until = 0.0
        self._last = time.monotonic()
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def add(self, levels: Sequence[Level]) -> None:
        """Levels of one block of audio (the loudest since the last paint win)."""
        if self._pending is None or len(self._pending) != len(levels):
            self._pending = list(levels)
        else:
            self._pending = [
                Level(max(a.peak, b.peak), max(a.rms, b.rms))
                for a, b in zip(self._pending, levels, strict=True)
            ]
        if any(level.clipped for level in levels):
            self._clip_until = time.monotonic() + CLIP_HOLD_SECONDS
        if not self._timer.isActive():
            self._timer.start()

    def reset(self) -> None:
        self._timer.stop()
        self.set_channels(self._channels)

    @property
    def clipping(self) -> bool:
        return time.monotonic() < self._clip_until

    # -- animation and painting -----------------------------------------------------

    def _animate(self) -> None:
        now = time.monotonic()
        fall = FALL_DB_PER_SECOND * (now - self._last)
        self._last = now
        pending, self._pending = self._pending, None
        for ch in range(self._channels):
            new_rms = Level.db(pending[ch].rms) if pending and ch < len(pending) else FLOOR_DB
            new_peak = Level.db(pending[ch].peak) if pending and ch < len(pending) else FLOOR_DB
            self.rms_db[ch] = max(new_rms, self.rms_db[ch] - fall, FLOOR_DB)
            self.peak_db[ch] = max(new_peak, self.peak_db[ch] - fall, FLOOR_DB)
            if new_peak >= self._held_peak[ch] or now - self._held_at[ch] > PEAK_HOLD_SECONDS:
                self._held_peak[ch], self._held_at[ch] = new_peak, now
        idle = pending is None and all(v <= FLOOR_DB for v in self.peak_db) and not self.clipping
        if idle:
            self._timer.stop()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, 22 * self._channels + 34)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.8))
        p.setFont(small)
        label_w, clip_w = 18, 46
        left, right = label_w + 4, self.width() - clip_w - 8
        width = max(10, right - left)
        bar_h, gap = 16, 6
        names = ["L", "R"] if self._channels == 2 else [str(i + 1) for i in range(self._channels)]
        for ch in range(self._channels):
            top = 2 + ch * (bar_h + gap)
            p.setPen(palette.color(QPalette.ColorRole.WindowText))
            p.drawText(QRectF(0, top, label_w, bar_h), Qt.AlignmentFlag.AlignCenter, names[ch])
            track = QRectF(left, top, width, bar_h)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(palette.color(QPalette.ColorRole.AlternateBase).darker(115))
            p.drawRoundedRect(track, 3, 3)
            rms = _fraction(self.rms_db[ch])
            colour = _GREEN if self.rms_db[ch] < -12 else _AMBER if self.rms_db[ch] < -3 else _RED
            p.setBrush(colour)
            p.drawRoundedRect(QRectF(left, top, width * rms, bar_h), 3, 3)
            peak = _fraction(self.peak_db[ch])
            p.setBrush(colour.lighter(140))
            p.drawRect(
                QRectF(left + width * rms, top + 4, max(0.0, width * (peak - rms)), bar_h - 8)
            )
            held = _fraction(self._held_peak[ch])
            if held > 0:
                p.setBrush(
                    _RED if self._held_peak[ch] > -1 else palette.color(QPalette.ColorRole.Text)
                )
                p.drawRect(QRectF(left + width * held - 1.5, top, 3, bar_h))
        # The scale.
        scale_top = 2 + self._channels * (bar_h + gap)
        p.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        for db in TICKS_DB:
            x = left + width * _fraction(db)
            p.drawLine(int(x), scale_top - 2, int(x), scale_top + 2)
            text = "0 dB" if db == 0 else str(db)
            p.drawText(QRectF(x - 20, scale_top + 2, 40, 14), Qt.AlignmentFlag.AlignCenter, text)
        # The clipping warning.
        clip = QRectF(self.width() - clip_w - 2, 2, clip_w, self._channels * (bar_h + gap) - gap)
        if self.clipping:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(_RED)
            p.drawRoundedRect(clip, 4, 4)
            p.setPen(QColor("white"))
        else:
            p.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(clip, 4, 4)
        bold = QFont(small)
        bold.setBold(True)
        p.setFont(bold)
        p.drawText(clip, Qt.AlignmentFlag.AlignCenter, self.tr("CLIP"))
        p.end()
