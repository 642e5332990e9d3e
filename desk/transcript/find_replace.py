"""Find and replace across the transcript: a bar over the segment list.

What matches is the archive's rule (:func:`archive.segments.find_spans`), the same
one ``replace_text`` applies, so the count shown is the count replaced.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from archive.segments import Span, find_spans

from .model import SegmentModel


@dataclass(frozen=True)
class Match:
    segment_id: int
    start: int  # string indices into the segment's text
    end: int


class FindState:
    """What the view highlights: every match, and the current one more strongly."""

    def __init__(self) -> None:
        self.text = ""
        self.case_sensitive = False
        self.whole_word = False
        self.current: Match | None = None

    def spans(self, text: str) -> list[Span]:
        if not self.text:
            return []
        return find_spans(
            text, self.text, case_sensitive=self.case_sensitive, whole_word=self.whole_word
        )


class FindReplaceBar(QWidget):
    """Ctrl+F finds, Ctrl+H replaces; Escape in the bar closes it."""

    match_selected = Signal(int)  # segment id of the current match
    replace_requested = Signal(int, int, int, str)  # segment id, start, end, replacement
    replace_all_requested = Signal(str, str, bool, bool)  # find, replace, case, whole word
    highlights_changed = Signal()  # the view should repaint
    closed = Signal()

    def __init__(self, model: SegmentModel, state: FindState, parent: QWidget | None = None):
        super().__init__(parent)
        self._model = model
        self._state = state
        self._matches: list[Match] = []
        self._current = -1

        self.find_edit = QLineEdit(placeholderText=self.tr("Find in the transcript"))
        self.replace_edit = QLineEdit(placeholderText=self.tr("Replace with"))
        self.previous_button = QToolButton(text="↑", toolTip=self.tr("Previous match (Shift+F3)"))
        self.next_button = QToolButton(text="↓", toolTip=self.tr("Next match (F3)"))
        self.count_label = QLabel()
        self.case_box = QCheckBox(self.tr("Match case"))
        self.word_box = QCheckBox(self.tr("Whole words"))
        self.replace_button = QPushButton(self.tr("Replace"))
        self.replace_all_button = QPushButton(self.tr("Replace all"))
        close_button = QToolButton(text="✕", toolTip=self.tr("Close (Escape)"))
        for button in (self.previous_button, self.next_button, close_button):
            button.setAccessibleName(button.toolTip())  # read aloud instead of an arrow

        layout = QGridLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.find_edit, 0, 0)
        layout.addWidget(self.previous_button, 0, 1)
        layout.addWidget(self.next_button, 0, 2)
        layout.addWidget(self.count_label, 0, 3)
        layout.addWidget(self.case_box, 0, 4)
        layout.addWidget(self.word_box, 0, 5)
        layout.addWidget(close_button, 0, 6)
        layout.addWidget(self.replace_edit, 1, 0)
        layout.addWidget(self.replace_button, 1, 1, 1, 3)
        layout.addWidget(self.replace_all_button, 1, 4, 1, 2)
        layout.setColumnStretch(0, 1)

        self._refresh_timer = QTimer(self, singleShot=True, interval=0)
        self._refresh_timer.timeout.connect(self._refresh)
        self.find_edit.textChanged.connect(self._options_changed)
        self.case_box.toggled.connect(self._options_changed)
        self.word_box.toggled.connect(self._options_changed)
        self.find_edit.returnPressed.connect(self.find_next)
        self.replace_edit.returnPressed.connect(self.replace_current)
        self.next_button.clicked.connect(self.find_next)
        self.previous_button.clicked.connect(self.find_previous)
        self.replace_button.clicked.connect(self.replace_current)
        self.replace_all_button.clicked.connect(self.replace_all)
        close_button.clicked.connect(self.close_bar)
        for signal in (
            model.dataChanged,
            model.rowsInserted,
            model.rowsRemoved,
            model.modelReset,
        ):
            signal.connect(self._refresh_timer.start)
        for edit in (self.find_edit, self.replace_edit):
            edit.installEventFilter(self)
        self._show_replace(False)
        self.hide()

    # -- opening and closing -------------------------------------------------

    def open_find(self) -> None:
        self._open(replace=False)

    def open_replace(self) -> None:
        self._open(replace=True)

    def _open(self, *, replace: bool) -> None:
        self._show_replace(replace)
        self.show()
        self.find_edit.setFocus()
        self.find_edit.selectAll()
        self._refresh()

    def _show_replace(self, visible: bool) -> None:
        for widget in (self.replace_edit, self.replace_button, self.replace_all_button):
            widget.setVisible(visible)

    def close_bar(self) -> None:
        self.hide()
        self._state.text = ""
        self._state.current = None
        self._matches, self._current = [], -1
        self.highlights_changed.emit()
        self.closed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Escape in the bar closes it (elsewhere in the editor it plays and pauses)."""
        if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()
                return True
            if event.type() == QEvent.Type.KeyPress:
                self.close_bar()
                return True
        return super().eventFilter(watched, event)

    # -- matching ------------------------------------------------------------

    @property
    def matches(self) -> list[Match]:
        return list(self._matches)

    @property
    def current_match(self) -> Match | None:
        return self._matches[self._current] if 0 <= self._current < len(self._matches) else None

    def _options_changed(self) -> None:
        self._current = -1
        self._refresh()

    def _refresh(self) -> None:
        """Recount after a change of the query or of the transcript."""
        if self.isHidden():
            return  # closing cleared the highlights; nothing to count
        state = self._state
        state.text = self.find_edit.text()
        state.case_sensitive = self.case_box.isChecked()
        state.whole_word = self.word_box.isChecked()
        self._matches = [
            Match(seg.id, start, end)
            for seg in self._model.segments()
            for start, end in state.spans(seg.text)
        ]
        if self._matches and self._current < 0:
            self._current = 0
        self._current = min(self._current, len(self._matches) - 1)
        self._show_current(emit=False)

    def _show_current(self, *, emit: bool) -> None:
        match = self.current_match
        self._state.current = match
        if not self.find_edit.text():
            self.count_label.setText("")
        elif match is None:
            self.count_label.setText(self.tr("No matches"))
        else:
            self.count_label.setText(
                self.tr("%1 of %2")
                .replace("%1", str(self._current + 1))
                .replace("%2", str(len(self._matches)))
            )
        has = match is not None
        for widget in (
            self.next_button,
            self.previous_button,
            self.replace_button,
            self.replace_all_button,
        ):
            widget.setEnabled(has)
        if emit and match is not None:
            self.match_selected.emit(match.segment_id)
        self.highlights_changed.emit()

    def find_next(self) -> None:
        self._step(+1)

    def find_previous(self) -> None:
        self._step(-1)

    def _step(self, direction: int) -> None:
        if not self._matches:
            return
        self._current = (self._current + direction) % len(self._matches)
        self._show_current(emit=True)

    # -- replacing -----------------------------------------------------------

    def replace_current(self) -> None:
        match = self.current_match
        if match is not None:
            self.replace_requested.emit(
                match.segment_id, match.start, match.end, self.replace_edit.text()
            )

    def replace_all(self) -> None:
        if self._matches:
            self.replace_all_requested.emit(
                self.find_edit.text(),
                self.replace_edit.text(),
                self.case_box.isChecked(),
                self.word_box.isChecked(),
            )
