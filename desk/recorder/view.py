"""The Record view: choose the input, watch the levels, record, pause, drop markers, stop.

The capture source (a QtMultimedia input, or in tests a synthetic one through the same
interface) pushes PCM on the UI thread; this view hands it to the archive's
:class:`~archive.recording.RecordingWriter`, which encrypts and commits a chunk every
two seconds on its own thread, so the UI thread only ever appends to a buffer.  While
the view is visible and no recording runs, the input is monitored so the levels can be
checked before starting.

Stopping saves the recording on a worker thread (the original WAV, the working copy,
the markers as clips) and emits :attr:`RecorderView.recorded` with the new interview's
id.  Locking the archive while recording stops at once and keeps every flushed chunk
(the recording is then offered for recovery after unlocking); the idle auto-lock
waits while a recording runs.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QHideEvent, QKeySequence, QShowEvent
from PySide6.QtMultimedia import QMediaDevices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from archive import ArchiveError
from archive.recording import (
    EmptyRecordingError,
    Marker,
    RecordingStatus,
    RecordingWriter,
    seconds_left,
)
from archive.recording_pcm import PcmFormat, levels
from archive.util import format_clock

from ..session import Session
from ..tasks import Task
from ..themes.labels import flatten, ui_language
from .capture import CaptureSource, DeviceSource
from .devices import InputDevice, list_inputs
from .meter import LevelMeter
from .recovery import RecoveryDialog

SourceFactory = Callable[[InputDevice, PcmFormat], CaptureSource]
KIND_LABELS = {"marker": "Marker", "verbal_consent": "Verbal consent"}
STATUS_INTERVAL_MS = 200

# (name, keys, what it does) for the shortcuts sheet
SHORTCUTS = (
    ("record", "R", "Start recording"),
    ("pause", "Space", "Pause or resume"),
    ("stop", "S", "Stop and save (also Ctrl+.)"),
    ("marker", "M", "Drop a marker (then type a note)"),
    ("consent", "Shift+M", "Mark where the narrator gives consent aloud"),
)


def format_span(seconds: float) -> str:
    """A long duration for people: ``3 h 20 min``, ``12 min``, ``40 s``."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    if hours:
        return f"{hours} h {rest // 60} min"
    return f"{rest // 60} min" if rest >= 60 else f"{rest} s"


def _device_source(device: InputDevice, fmt: PcmFormat) -> CaptureSource:
    return DeviceSource(device, fmt)


class RecorderView(QWidget):
    recorded = Signal(str)  # the new interview's id, once saved
    recording_changed = Signal(bool)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._inputs: list[InputDevice] = []
        self._factory: SourceFactory = _device_source
        self._fixed_inputs = False
        self._source: CaptureSource | None = None
        self._writer: RecordingWriter | None = None
        self._save_task: Task | None = None
        self._themes: list[tuple[int, str]] = []
        self.recovery_dialog: RecoveryDialog | None = None

        heading = QLabel(self.tr("New recording"))
        heading.setStyleSheet("font-size: 15pt; font-weight: 600")
        self.unfinished_button = QPushButton()
        self.unfinished_button.setFlat(True)
        self.unfinished_button.clicked.connect(self.show_unfinished)
        self.unfinished_button.hide()
        top = QHBoxLayout()
        top.addWidget(heading, 1)
        top.addWidget(self.unfinished_button)

        self.device = QComboBox()
        self.device.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.device.setMinimumContentsLength(24)
        self.rate = QComboBox()
        self.bits = QComboBox()
        self.channels = QComboBox()
        self.device.currentIndexChanged.connect(self._on_device_changed)
        for combo in (self.rate, self.bits, self.channels):
            combo.currentIndexChanged.connect(self._on_format_changed)
        inputs = QHBoxLayout()
        inputs.addWidget(QLabel(self.tr("Input")))
        inputs.addWidget(self.device, 1)
        inputs.addWidget(self.rate)
        inputs.addWidget(self.bits)
        inputs.addWidget(self.channels)

        self.meter = LevelMeter(1)

        self.state = QLabel()
        self.state.setMinimumWidth(90)
        self.elapsed = QLabel("0:00:00")
        self.elapsed.setStyleSheet("font-size: 26pt; font-weight: 600; font-family: monospace")
        self.disk = QLabel()
        self.disk.setWordWrap(True)
        clock = QHBoxLayout()
        clock.addWidget(self.state)
        clock.addWidget(self.elapsed)
        clock.addSpacing(24)
        clock.addWidget(self.disk, 1)

        self.start_button = self._button(self.tr("● Record"), "R", self.start)
        self.pause_button = self._button(self.tr("❚❚ Pause"), "Space", self.toggle_pause)
        self.stop_button = self._button(self.tr("■ Stop"), "S", self.stop)
        self.marker_button = self._button(self.tr("⚑ Marker"), "M", self.add_marker)
        self.consent_button = self._button(
            self.tr("✓ Verbal consent"), "Shift+M", lambda: self.add_marker("verbal_consent")
        )
        self._extra_stop = QAction(self)
        self._extra_stop.setShortcut(QKeySequence("Ctrl+."))
        self._extra_stop.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._extra_stop.triggered.connect(self.stop)
        self.addAction(self._extra_stop)
        buttons = QHBoxLayout()
        for b in (self.start_button, self.pause_button, self.stop_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.marker_button)
        buttons.addWidget(self.consent_button)

        self.markers = QTableWidget(0, 4)
        self.markers.setHorizontalHeaderLabels(
            [self.tr("Time"), self.tr("Kind"), self.tr("Theme"), self.tr("Note")]
        )
        self.markers.verticalHeader().hide()
        self.markers.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.markers.setEditTriggers(  # not on any key: R, S, M, Space stay shortcuts
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        header = self.markers.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.markers.setColumnWidth(2, 220)
        self.markers.itemChanged.connect(self._on_marker_edited)
        self.remove_marker_button = QPushButton(self.tr("Remove marker"))
        self.remove_marker_button.clicked.connect(self.remove_selected_marker)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        bottom = QHBoxLayout()
        bottom.addWidget(self.remove_marker_button)
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.progress)

        markers_label = QLabel(
            self.tr("Markers — M drops one (type a few words, Enter), Shift+M marks verbal consent")
        )
        markers_label.setStyleSheet("color: palette(dark)")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(inputs)
        layout.addWidget(self.meter)
        layout.addLayout(clock)
        layout.addLayout(buttons)
        layout.addSpacing(6)
        layout.addWidget(markers_label)
        layout.addWidget(self.markers, 1)
        layout.addLayout(bottom)

        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(STATUS_INTERVAL_MS)
        self._status_timer.timeout.connect(self._update_status)
        self._media_devices = QMediaDevices(self)
        self._media_devices.audioInputsChanged.connect(self.refresh_inputs)
        session.opened.connect(self._on_opened)
        session.locked.connect(self._on_locked)
        self.refresh_inputs()
        self._update_controls()

    def _button(self, text: str, keys: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(f"{text}  ({keys})")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space pauses; it never clicks
        button.clicked.connect(slot)
        action = QAction(self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda: button.isEnabled() and slot())
        self.addAction(action)
        return button

    # -- inputs and formats ------------------------------------------------------------

    def set_inputs(self, inputs: list[InputDevice], factory: SourceFactory | None = None) -> None:
        """Offer these inputs (made into sources by ``factory``) instead of the system's."""
        self._fixed_inputs = True
        if factory is not None:
            self._factory = factory
        self._fill_inputs(inputs)

    def refresh_inputs(self) -> None:
        if self._fixed_inputs or self.is_recording:
            return
        try:
            inputs = list_inputs()
        except Exception:  # no audio system at all
            inputs = []
        self._fill_inputs(inputs)

    def _fill_inputs(self, inputs: list[InputDevice]) -> None:
        current = self.current_input()
        self._inputs = list(inputs)
        self.device.blockSignals(True)
        self.device.clear()
        for device in self._inputs:
            name = device.name + (self.tr(" (default)") if device.is_default else "")
            self.device.addItem(name)
        if not self._inputs:
            self.device.addItem(self.tr("No audio input found — connect a microphone"))
        keep = next((i for i, d in enumerate(self._inputs) if current and d.id == current.id), 0)
        self.device.setCurrentIndex(keep)
        self.device.blockSignals(False)
        self._on_device_changed()

    def current_input(self) -> InputDevice | None:
        index = self.device.currentIndex()
        return self._inputs[index] if 0 <= index < len(self._inputs) else None

    def _on_device_changed(self) -> None:
        device = self.current_input()
        for combo in (self.rate, self.bits, self.channels):
            combo.blockSignals(True)
            combo.clear()
        if device is not None:
            default = device.default_format()
            for rate in device.rates:
                self.rate.addItem(f"{rate / 1000:g} kHz", rate)
            self.rate.setCurrentIndex(self.rate.findData(default.sample_rate))
            self.bits.addItem(self.tr("16-bit"), 2)
            if device.offers_24_bit:
                self.bits.addItem(self.tr("24-bit"), 3)
            self.bits.setCurrentIndex(self.bits.findData(default.sample_width))
            self.channels.addItem(self.tr("Mono"), 1)
            if device.max_channels >= 2:
                self.channels.addItem(self.tr("Stereo (2 channels)"), 2)
            self.channels.setCurrentIndex(self.channels.findData(default.channels))
        for combo in (self.rate, self.bits, self.channels):
            combo.blockSignals(False)
        self._on_format_changed()

    def current_format(self) -> PcmFormat | None:
        if self.current_input() is None or self.rate.currentData() is None:
            return None
        return PcmFormat(
            int(self.rate.currentData()),
            int(self.channels.currentData()),
            int(self.bits.currentData()),
        )

    def _on_format_changed(self) -> None:
        fmt = self.current_format()
        self.meter.set_channels(fmt.channels if fmt else 1)
        if not self.is_recording:
            self._restart_monitor()
        self._update_status()
        self._update_controls()

    # -- state ---------------------------------------------------------------------------

    @property
    def is_recording(self) -> bool:
        return self._writer is not None

    @property
    def is_saving(self) -> bool:
        return self._save_task is not None and not self._save_task.done

    @property
    def writer(self) -> RecordingWriter | None:
        return self._writer

    @property
    def source(self) -> CaptureSource | None:
        return self._source

    def _update_controls(self) -> None:
        recording = self.is_recording
        can_start = (
            not recording
            and not self.is_saving
            and self._session.is_open
            and self.current_format() is not None
        )
        self.start_button.setEnabled(can_start)
        self.pause_button.setEnabled(recording)
        self.stop_button.setEnabled(recording)
        self.marker_button.setEnabled(recording)
        self.consent_button.setEnabled(recording)
        self.remove_marker_button.setEnabled(recording and self.markers.rowCount() > 0)
        for combo in (self.device, self.rate, self.bits, self.channels):
            combo.setEnabled(not recording and bool(self._inputs))
        paused = recording and self._writer is not None and self._writer.paused
        self.pause_button.setText(
            self.tr("▶ Resume  (Space)") if paused else self.tr("❚❚ Pause  (Space)")
        )
        if recording:
            self.state.setText(self.tr("PAUSED") if paused else self.tr("● REC"))
            colour = "#b26a00" if paused else "#d93025"
            self.state.setStyleSheet(f"color: {colour}; font-weight: 700; font-size: 13pt")
        else:
            self.state.setText(self.tr("Saving…") if self.is_saving else self.tr("Ready"))
            self.state.setStyleSheet("color: palette(dark); font-weight: 600; font-size: 13pt")

    # -- monitoring (levels before recording) -------------------------------------------

    def _restart_monitor(self) -> None:
        self._stop_source()
        if self.isVisible() and self._session.is_open and not self.is_recording:
            self._start_source()

    def _start_source(self) -> bool:
        device, fmt = self.current_input(), self.current_format()
        if device is None or fmt is None:
            return False
        source = self._factory(device, fmt)
        source.setParent(self)
        source.failed.connect(self._on_source_failed)
        try:
            source.start(self._on_pcm)
        except ArchiveError as exc:
            source.deleteLater()
            self._show(str(exc), error=True)
            return False
        self._source = source
        return True

    def _stop_source(self) -> None:
        source = self._source
        if source is not None:
            source.stop()  # its last blocks still reach the writer
            self._source = None
            source.deleteLater()
        self.meter.reset()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.setFocus)  # R, Space, S, M work at once
        if not self.is_recording and self._source is None:
            self._restart_monitor()
        self._update_status()
        self._update_unfinished()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        if not self.is_recording:
            self._stop_source()

    # -- the audio path ---------------------------------------------------------------------

    def _on_pcm(self, pcm: bytes) -> None:
        """Every block from the source, on the UI thread: meter, then the writer."""
        source = self._source
        if source is None:
            return
        self.meter.add(levels(pcm, source.format))
        writer = self._writer
        if writer is not None:
            try:
                writer.feed(pcm)
            except ArchiveError as exc:
                QTimer.singleShot(0, lambda message=str(exc): self._stop_after_failure(message))

    def _on_source_failed(self, message: str) -> None:
        if self.is_recording:
            self._stop_after_failure(message)
        else:
            self._stop_source()
            self._show(message, error=True)

    def _stop_after_failure(self, message: str) -> None:
        if self.is_recording:
            self.stop()
            self._show(message, error=True)

    # -- commands ------------------------------------------------------------------------------

    def start(self) -> bool:
        """Start recording from the chosen input; False (with a message) if it cannot."""
        if self.is_recording or self.is_saving or not self._session.is_open:
            return False
        device, fmt = self.current_input(), self.current_format()
        if device is None or fmt is None:
            self._show(self.tr("No audio input: connect a microphone first."), error=True)
            return False
        self._stop_source()
        try:
            writer = self._session.archive.recordings.start(
                fmt, device=device.name, background=True
            )
        except ArchiveError as exc:
            self._show(str(exc), error=True)
            self._restart_monitor()
            return False
        self._writer = writer
        if not self._start_source():
            self._writer = None
            writer.discard()
            return False
        self._load_themes()
        self.markers.setRowCount(0)
        self._session.keep_awake(self, True)
        self._status_timer.start()
        self._show(
            self.tr("Recording {format} from {input}. Audio is saved every two seconds.").format(
                format=fmt.label(), input=device.name
            )
        )
        self._update_controls()
        self._update_status()
        self.recording_changed.emit(True)
        return True

    def toggle_pause(self) -> None:
        writer = self._writer
        if writer is None:
            return
        if writer.paused:
            writer.resume()
        else:
            writer.pause()
        self._update_controls()

    def add_marker(self, kind: str = "marker") -> Marker | None:
        """Drop a marker now; the note cell opens for a few words (Enter, or just go on)."""
        writer = self._writer
        if writer is None:
            return None
        try:
            marker = writer.add_marker(kind=kind)
        except ArchiveError as exc:
            self._show(str(exc), error=True)
            return None
        row = self._append_marker_row(marker)
        self.markers.setCurrentCell(row, 3)
        self.markers.editItem(self.markers.item(row, 3))
        self._update_controls()
        return marker

    def remove_selected_marker(self) -> None:
        writer, row = self._writer, self.markers.currentRow()
        if writer is None or row < 0:
            return
        seq = self.markers.item(row, 0).data(Qt.ItemDataRole.UserRole)
        writer.remove_marker(seq)
        self.markers.removeRow(row)
        self._update_controls()

    def stop(self) -> None:
        """Stop, then save on a worker thread; :attr:`recorded` follows."""
        writer = self._writer
        if writer is None:
            return
        self._stop_source()  # the last blocks reach the writer first
        self._writer = None
        self._status_timer.stop()
        self._session.keep_awake(self, False)
        writer.close()  # the last chunk is committed here (its own thread; brief)
        self._save(writer.id, writer.seconds)
        self.recording_changed.emit(False)

    def _save(self, recording_id: str, seconds: float) -> None:
        session = self._session

        def work(progress: Callable[[float], None], _cancelled: Callable[[], bool]) -> str:
            with session.open_for_worker() as archive:
                return archive.recordings.finish(recording_id, progress=progress).id

        self.progress.setValue(0)
        self.progress.show()
        self._show(self.tr("Saving {clock} of audio…").format(clock=format_clock(seconds)))
        task = Task(work, self)
        task.progressed.connect(lambda f: self.progress.setValue(int(f * 1000)))
        task.succeeded.connect(self._on_saved)
        task.failed.connect(self._on_save_failed)
        task.finished.connect(self._after_save)
        self._save_task = task
        self._update_controls()
        task.start()

    def _on_saved(self, interview_id: str) -> None:
        self._show(self.tr("Saved as a new interview."))
        self.recorded.emit(interview_id)

    def _on_save_failed(self, message: str) -> None:
        task = self._save_task
        if task is not None and isinstance(task.error, EmptyRecordingError):
            self._show(message)
            return
        self._show(
            self.tr("{message} The audio is kept: recover it from “Unfinished recordings”.").format(
                message=message
            ),
            error=True,
        )

    def _after_save(self) -> None:
        self.progress.hide()
        self.markers.setRowCount(0)
        self._update_controls()
        self._update_unfinished()
        self._restart_monitor()

    # -- markers table -----------------------------------------------------------------------

    def _load_themes(self) -> None:
        try:
            nodes = self._session.archive.themes.tree()
        except ArchiveError:
            nodes = []
        language = ui_language()
        self._themes = [
            (flat.theme.id, "    " * flat.depth + flat.theme.label(language))
            for flat in flatten(nodes)
        ]

    def _append_marker_row(self, marker: Marker) -> int:
        table = self.markers
        table.blockSignals(True)
        row = table.rowCount()
        table.insertRow(row)
        time_item = QTableWidgetItem(format_clock(marker.at))
        time_item.setData(Qt.ItemDataRole.UserRole, marker.seq)
        time_item.setFlags(time_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        table.setItem(row, 0, time_item)
        kind = QComboBox()
        for key, label in KIND_LABELS.items():
            kind.addItem(self.tr(label), key)
        kind.setCurrentIndex(kind.findData(marker.kind))
        kind.currentIndexChanged.connect(
            lambda _i, seq=marker.seq, combo=kind: self._update_marker(
                seq, kind=combo.currentData()
            )
        )
        table.setCellWidget(row, 1, kind)
        theme = QComboBox()
        theme.addItem(self.tr("— no theme —"), None)
        for theme_id, label in self._themes:
            theme.addItem(label, theme_id)
        theme.currentIndexChanged.connect(
            lambda _i, seq=marker.seq, combo=theme: self._update_marker(
                seq, theme_id=combo.currentData()
            )
        )
        table.setCellWidget(row, 2, theme)
        table.setItem(row, 3, QTableWidgetItem(marker.note or ""))
        table.blockSignals(False)
        table.scrollToBottom()
        return row

    def _on_marker_edited(self, item: QTableWidgetItem) -> None:
        if item.column() != 3:
            return
        seq = self.markers.item(item.row(), 0).data(Qt.ItemDataRole.UserRole)
        self._update_marker(seq, note=item.text())

    def _update_marker(self, seq: int, **changes: object) -> None:
        if self._writer is not None:
            try:
                self._writer.update_marker(seq, **changes)
            except ArchiveError as exc:
                self._show(str(exc), error=True)

    # -- status ---------------------------------------------------------------------------------

    def _update_status(self) -> None:
        writer = self._writer
        if writer is not None:
            status = writer.status()
            self.elapsed.setText(format_clock(status.seconds))
            self._show_disk(status)
            if status.stopped and status.error:
                self._stop_after_failure(status.error)
            return
        fmt = self.current_format()
        if fmt is None or not self._session.is_open:
            self.disk.setText("")
            return
        try:
            free, left = seconds_left(self._session.archive.paths.vault, fmt)
        except (OSError, ArchiveError):
            self.disk.setText("")
            return
        self.disk.setText(
            self.tr("Disk: room for about {span} at {format} ({gb:.1f} GB free)").format(
                span=format_span(left), format=fmt.label(), gb=free / 1e9
            )
        )
        self.disk.setStyleSheet("color: palette(dark)")

    def _show_disk(self, status: RecordingStatus) -> None:
        text = self.tr("Safely written: {clock} · disk: {span} of recording left").format(
            clock=format_clock(status.flushed_seconds), span=format_span(status.seconds_left)
        )
        if status.low_disk:
            self.disk.setText(text + self.tr(" — the disk is nearly full"))
            self.disk.setStyleSheet("color: #d93025; font-weight: 600")
        else:
            self.disk.setText(text)
            self.disk.setStyleSheet("color: palette(dark)")

    def _show(self, message: str, *, error: bool = False) -> None:
        self.message.setText(message)
        self.message.setStyleSheet("color: #b3261e" if error else "color: palette(dark)")

    # -- unfinished recordings ------------------------------------------------------------------

    def _update_unfinished(self) -> None:
        count = 0
        if self._session.is_open:
            try:
                count = len(self._session.archive.recordings.unfinished())
            except ArchiveError:
                count = 0
        self.unfinished_button.setText(self.tr("Unfinished recordings ({n})…").format(n=count))
        self.unfinished_button.setVisible(count > 0)

    def show_unfinished(self) -> RecoveryDialog | None:
        if not self._session.is_open:
            return None
        recordings = self._session.archive.recordings.unfinished()
        if not recordings:
            self._update_unfinished()
            return None
        dialog = RecoveryDialog(self._session, recordings, self)
        dialog.recovered.connect(self.recorded)
        dialog.finished.connect(lambda _r: self._update_unfinished())
        self.recovery_dialog = dialog
        dialog.open()
        return dialog

    # -- session ---------------------------------------------------------------------------------

    def _on_opened(self) -> None:
        self._update_unfinished()
        self._update_controls()
        self._update_status()
        if self.isVisible():
            self._restart_monitor()

    def _on_locked(self) -> None:
        """Locking while recording stops at once; the chunks stay, offered for recovery."""
        self._stop_source()  # its last blocks still reach the writer
        writer, self._writer = self._writer, None
        self._status_timer.stop()
        self._session.keep_awake(self, False)
        if writer is not None:
            writer.close(note="the archive was locked")
            self.recording_changed.emit(False)
        self.markers.setRowCount(0)
        self.elapsed.setText("0:00:00")
        self.disk.setText("")
        self.unfinished_button.hide()
        if self.recovery_dialog is not None:
            self.recovery_dialog.reject()
            self.recovery_dialog = None
        self._show(
            self.tr("The archive was locked during a recording: it was stopped and kept.")
            if writer is not None
            else ""
        )
        self._update_controls()
