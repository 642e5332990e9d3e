"""The player's row of controls: skip, play/pause, times, speed and volume.

It only shows state and reports what the user asked for; the player widget decides.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QIcon, QPalette
from PySide6.QtMultimedia import QtAudio
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QStyle,
    QToolButton,
    QWidget,
)

from .timefmt import format_clock

SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
SKIP_SECONDS = 5.0  # the skip buttons and the rewind / forward shortcuts
_ICON = QSize(18, 18)
_PLAY_ICON = QSize(24, 24)


def _speed_text(rate: float) -> str:
    return f"{rate:g}×"


def _slider_to_volume(value: int) -> float:
    """Slider steps are perceived loudness; the output wants a linear factor."""
    return QtAudio.convertVolume(
        value / 100.0,
        QtAudio.VolumeScale.LogarithmicVolumeScale,
        QtAudio.VolumeScale.LinearVolumeScale,
    )


class TransportBar(QWidget):
    play_clicked = Signal()
    skip_clicked = Signal(float)  # signed seconds
    speed_chosen = Signal(float)
    volume_changed = Signal(float)  # linear 0..1
    mute_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        style = self.style()
        self._play_icon = style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay)
        self._pause_icon = style.standardIcon(QStyle.StandardPixmap.SP_MediaPause)
        self._volume_icon = style.standardIcon(QStyle.StandardPixmap.SP_MediaVolume)
        self._muted_icon = style.standardIcon(QStyle.StandardPixmap.SP_MediaVolumeMuted)

        self.back_button = self._button(
            style.standardIcon(QStyle.StandardPixmap.SP_MediaSeekBackward),
            self.tr("Back %n second(s)", "", int(SKIP_SECONDS)),
        )
        self.back_button.clicked.connect(lambda: self.skip_clicked.emit(-SKIP_SECONDS))
        self.play_button = self._button(self._play_icon, self.tr("Play"))
        self.play_button.setIconSize(_PLAY_ICON)
        self.play_button.clicked.connect(self.play_clicked)
        self.forward_button = self._button(
            style.standardIcon(QStyle.StandardPixmap.SP_MediaSeekForward),
            self.tr("Forward %n second(s)", "", int(SKIP_SECONDS)),
        )
        self.forward_button.clicked.connect(lambda: self.skip_clicked.emit(SKIP_SECONDS))

        self.elapsed_label = QLabel(format_clock(0))
        self.total_label = QLabel(format_clock(0))
        numbers = QFont(self.font())
        numbers.setFeature(QFont.Tag("tnum"), 1)  # digits of one width: labels do not jitter
        for label in (self.elapsed_label, self.total_label):
            label.setFont(numbers)
        self.elapsed_label.setAccessibleName(self.tr("Elapsed time"))
        self.total_label.setAccessibleName(self.tr("Total time"))
        slash = QLabel("/")
        for label in (slash, self.total_label):  # the quieter text colour of the palette
            quiet = label.palette()
            quiet.setColor(
                QPalette.ColorRole.WindowText, quiet.color(QPalette.ColorRole.PlaceholderText)
            )
            label.setPalette(quiet)

        self.speed_box = QComboBox()
        for rate in SPEEDS:
            self.speed_box.addItem(_speed_text(rate), rate)
        self.speed_box.setCurrentIndex(SPEEDS.index(1.0))
        self.speed_box.setToolTip(self.tr("Playback speed"))
        self.speed_box.setAccessibleName(self.tr("Playback speed"))
        self.speed_box.currentIndexChanged.connect(
            lambda i: self.speed_chosen.emit(float(self.speed_box.itemData(i)))
        )

        self.mute_button = self._button(self._volume_icon, self.tr("Mute"))
        self.mute_button.setCheckable(True)
        self.mute_button.toggled.connect(self._on_mute)
        self.volume_slider = QSlider(Qt.Orientation.Horizontal)
        self.volume_slider.setRange(0, 100)
        self.volume_slider.setValue(100)
        self.volume_slider.setFixedWidth(96)
        self.volume_slider.setToolTip(self.tr("Volume"))
        self.volume_slider.setAccessibleName(self.tr("Volume"))
        self.volume_slider.valueChanged.connect(
            lambda v: self.volume_changed.emit(_slider_to_volume(v))
        )

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        for widget in (self.back_button, self.play_button, self.forward_button):
            row.addWidget(widget)
        row.addSpacing(10)
        row.addWidget(self.elapsed_label)
        row.addWidget(slash)
        row.addWidget(self.total_label)
        row.addStretch(1)
        row.addWidget(self.speed_box)
        row.addSpacing(10)
        row.addWidget(self.mute_button)
        row.addWidget(self.volume_slider)

    def _button(self, icon: QIcon, tip: str) -> QToolButton:
        button = QToolButton()
        button.setIcon(icon)
        button.setIconSize(_ICON)
        button.setAutoRaise(True)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        return button

    # -- showing state --------------------------------------------------------------

    def show_playing(self, playing: bool) -> None:
        self.play_button.setIcon(self._pause_icon if playing else self._play_icon)
        tip = self.tr("Pause") if playing else self.tr("Play")
        self.play_button.setToolTip(tip)
        self.play_button.setAccessibleName(tip)

    def show_times(self, elapsed: float, total: float) -> None:
        hours = total >= 3600
        for label, seconds in ((self.elapsed_label, elapsed), (self.total_label, total)):
            text = format_clock(seconds, hours=hours)
            if label.text() != text:  # 20 position updates a second, one new text
                label.setText(text)

    def show_speed(self, rate: float) -> None:
        """Select the step nearest ``rate`` without reporting it back as a choice."""
        nearest = min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - rate))
        self.speed_box.blockSignals(True)
        self.speed_box.setCurrentIndex(nearest)
        self.speed_box.blockSignals(False)

    def _on_mute(self, muted: bool) -> None:
        self.mute_button.setIcon(self._muted_icon if muted else self._volume_icon)
        self.mute_button.setToolTip(self.tr("Unmute") if muted else self.tr("Mute"))
        self.mute_toggled.emit(muted)
