"""The waveform overview: the player's seek bar.

It paints the recording's peaks as thin rounded bars, tints the part already played,
shades the redacted time ranges as dark bands (:meth:`WaveformOverview.set_bands`),
draws the playhead, and turns a click or a drag (or the arrow keys) into a seek
request, in seconds.  Until the peaks arrive it shows a flat line.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QElapsedTimer, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from .timefmt import format_clock

_BAR = 2.0  # bar width, px
_STEP = 3.0  # bar pitch, px
_PAD = 8.0  # inner margin, px
_KEY_STEP = 5.0  # seconds per arrow key
_DRAG_SEEK_MS = 60  # at most one seek per this many ms while dragging
_BAND = QColor(20, 20, 20, 150)  # a redacted range: dark on light and dark palettes


class WaveformOverview(QWidget):
    """Peaks across the whole recording; click or drag to seek."""

    seek_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(56)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName(self.tr("Position in the recording"))
        self._peaks: np.ndarray | None = None
        self._bars: tuple[int, np.ndarray] | None = None  # (bar count, heights 0..1)
        self._duration = 0.0
        self._position = 0.0
        self._hover_x: float | None = None
        self._bands: list[tuple[float, float]] = []
        self._dragging = False
        self._drag_clock = QElapsedTimer()

    def sizeHint(self) -> QSize:
        return QSize(480, 72)

    # -- state ----------------------------------------------------------------------

    @property
    def peaks(self) -> np.ndarray | None:
        return self._peaks

    @property
    def duration(self) -> float:
        return self._duration

    @property
    def position(self) -> float:
        return self._position

    def set_peaks(self, peaks: np.ndarray | None) -> None:
        self._peaks = peaks
        self._bars = None
        self.update()

    @property
    def bands(self) -> list[tuple[float, float]]:
        return list(self._bands)

    def set_bands(self, ranges: list[tuple[float, float]]) -> None:
        """Shade these time ranges (seconds), e.g. the redacted ones."""
        self._bands = [(float(a), float(b)) for a, b in ranges if b > a]
        self.update()

    def set_duration(self, seconds: float) -> None:
        self._duration = max(0.0, seconds)
        self.update()

    def set_position(self, seconds: float) -> None:
        if self._dragging:
            return  # the hand on the mouse leads; the player catches up
        if self._x_of(seconds) != self._x_of(self._position):
            self._position = seconds
            self.update()
        self._position = seconds

    # -- geometry -------------------------------------------------------------------

    def _track(self) -> QRectF:
        return QRectF(self.rect()).adjusted(_PAD, _PAD, -_PAD, -_PAD)

    def _x_of(self, seconds: float) -> float:
        track = self._track()
        if self._duration <= 0:
            return track.left()
        fraction = min(max(seconds / self._duration, 0.0), 1.0)
        return round(track.left() + fraction * track.width(), 1)

    def seconds_at(self, x: float) -> float:
        """The time under horizontal position ``x`` (widget coordinates)."""
        track = self._track()
        if track.width() <= 0:
            return 0.0
        fraction = min(max((x - track.left()) / track.width(), 0.0), 1.0)
        return fraction * self._duration

    def _bar_heights(self, count: int) -> np.ndarray:
        """Peaks pooled (max) into ``count`` bars, scaled so the loudest fills the track."""
        if self._bars is not None and self._bars[0] == count:
            return self._bars[1]
        peaks = self._peaks if self._peaks is not None else np.zeros(0, np.float32)
        if len(peaks) == 0 or count <= 0:
            heights = np.zeros(max(count, 0), np.float32)
        else:
            edges = np.minimum(np.linspace(0, len(peaks), count + 1).astype(int), len(peaks) - 1)
            heights = np.maximum.reduceat(peaks, edges[:-1])
            # Quiet recordings are drawn larger; near-silence is not blown up to noise.
            heights = heights / max(float(peaks.max()), 0.05)
        self._bars = (count, heights)
        return heights

    # -- painting -----------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        accent = palette.color(QPalette.ColorRole.Highlight)
        text = palette.color(QPalette.ColorRole.Text)
        muted = QColor(text)
        muted.setAlphaF(0.26 if self.isEnabled() else 0.12)
        played = QColor(accent) if self.isEnabled() else muted

        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(base)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
        if self.hasFocus():
            ring = QColor(accent)
            ring.setAlphaF(0.6)
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 8, 8)
            painter.setPen(Qt.PenStyle.NoPen)

        track = self._track()
        mid = track.center().y()
        playhead = self._x_of(self._position)
        if self._bands and self._duration > 0:
            painter.setBrush(_BAND)
            for start, end in self._bands:
                left, right = self._x_of(start), self._x_of(end)
                painter.drawRect(QRectF(left, track.top(), max(2.0, right - left), track.height()))
        count = int(track.width() // _STEP)
        heights = self._bar_heights(count)
        half = track.height() / 2
        done: list[QRectF] = []
        ahead: list[QRectF] = []
        for i, h in enumerate(heights):
            x = track.left() + i * _STEP
            bar_half = max(1.0, float(h) * half)
            bar = QRectF(x, mid - bar_half, _BAR, 2 * bar_half)
            (done if x + _BAR / 2 <= playhead else ahead).append(bar)
        # Two calls for all the bars, not two per bar: cheaper at 20 repaints a second.
        for colour, bars in ((played, done), (muted, ahead)):
            if bars:
                painter.setBrush(colour)
                painter.drawRects(bars)

        if self._hover_x is not None and self._duration > 0:
            hover = QColor(text)
            hover.setAlphaF(0.35)
            painter.setBrush(hover)
            painter.drawRect(QRectF(self._hover_x - 0.5, track.top(), 1, track.height()))
        if self._duration > 0:
            painter.setBrush(played)
            painter.drawRoundedRect(
                QRectF(playhead - 1, track.top() - 4, 2, track.height() + 8), 1, 1
            )
            painter.drawEllipse(QPointF(playhead, track.top() - 3), 3.5, 3.5)
        painter.end()

    # -- input ------------------------------------------------------------------------

    def _request(self, x: float, *, force: bool) -> None:
        if self._duration <= 0:
            return
        seconds = self.seconds_at(x)
        self._position = seconds
        self.update()
        if force or not self._drag_clock.isValid() or self._drag_clock.elapsed() >= _DRAG_SEEK_MS:
            self._drag_clock.restart()
            self.seek_requested.emit(seconds)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        self._dragging = True
        self._request(event.position().x(), force=True)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._hover_x = min(max(event.position().x(), self._track().left()), self._track().right())
        if self._duration > 0:
            self.setToolTip(format_clock(self.seconds_at(self._hover_x)))
        if self._dragging:
            self._request(event.position().x(), force=False)
        else:
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._dragging:
            self._dragging = False
            self._request(event.position().x(), force=True)

    def leaveEvent(self, event: object) -> None:
        self._hover_x = None
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        targets = {
            Qt.Key.Key_Left: self._position - _KEY_STEP,
            Qt.Key.Key_Right: self._position + _KEY_STEP,
            Qt.Key.Key_Home: 0.0,
            Qt.Key.Key_End: self._duration,
        }
        target = targets.get(Qt.Key(event.key()))
        if target is None or self._duration <= 0 or event.modifiers():
            return super().keyPressEvent(event)
        self.seek_requested.emit(min(max(target, 0.0), self._duration))
