"""The list of segments: a table that wraps text, with row-level keyboard and mouse.

Row heights are set here, row by row, when a row comes or changes, and all of them
only after the text column's width changes.  The header's ResizeToContents mode
would measure every row on every change: with a thousand segments, a highlight
moving to the next segment would cost a second, and a replace-all minutes.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from .model import Column

SPEAKER_WIDTH = 140


class TranscriptView(QTableView):
    timecode_clicked = Signal(int)  # row
    row_double_clicked = Signal(int)
    keypad_enter = Signal()  # the keypad's Enter, which a Return shortcut does not catch
    user_scrolled = Signal()  # by wheel, scroll bar or keys; not by following the playhead

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setWordWrap(True)
        self.setShowGrid(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().hide()
        self._refit = QTimer(self, singleShot=True, interval=40)  # after a resize settles
        self._refit.timeout.connect(self.fit_all_rows)
        self.clicked.connect(self._clicked)
        self.verticalScrollBar().actionTriggered.connect(lambda _action: self.user_scrolled.emit())

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        header = self.horizontalHeader()
        header.setSectionResizeMode(Column.TIME, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(Column.SPEAKER, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.TEXT, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(Column.SPEAKER, SPEAKER_WIDTH)
        self._size_time_column()
        header.sectionResized.connect(self._section_resized)
        if model is not None:
            model.modelReset.connect(self.fit_all_rows)
            model.rowsInserted.connect(lambda _parent, first, last: self.fit_rows(first, last))
            model.dataChanged.connect(
                lambda top, bottom, *_: self.fit_rows(top.row(), bottom.row())
            )
            self.fit_all_rows()

    def _size_time_column(self) -> None:
        """Wide enough for hh:mm:ss, the one format the column shows."""
        model = self.model()
        if model is None:
            return
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        hint = self.itemDelegate().sizeHint(option, model.index(0, Column.TIME))
        sample = option.fontMetrics.horizontalAdvance("00:00:00")
        self.horizontalHeader().resizeSection(Column.TIME, max(hint.width(), sample + 16))

    def _section_resized(self, section: int, _old: int, new: int) -> None:
        if section == Column.TEXT:  # what shows now, at once; the rest when resizing stops
            self.fit_visible_rows(new)
            self._refit.start()

    def fit_visible_rows(self, width: int | None = None) -> None:
        model = self.model()
        if model is None or not model.rowCount():
            return
        first = max(0, self.rowAt(0))
        last = self.rowAt(self.viewport().height())
        self.fit_rows(first, model.rowCount() - 1 if last < 0 else last + 1, width)

    def fit_all_rows(self) -> None:
        model = self.model()
        if model is not None and model.rowCount():
            self.fit_rows(0, model.rowCount() - 1)

    def fit_rows(self, first: int, last: int, width: int | None = None) -> None:
        """Give rows ``first`` to ``last`` the height their wrapped text needs.

        ``width`` is the text column's, when known before the header reports it (while
        the header lays out its sections, ``columnWidth`` still gives the old one).
        """
        model, delegate = self.model(), self.itemDelegate()
        if model is None or delegate is None:
            return
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        option.rect = QRect(0, 0, width or self.columnWidth(Column.TEXT), 0)
        for row in range(first, min(last, model.rowCount() - 1) + 1):
            height = max(delegate.sizeHint(option, model.index(row, c)).height() for c in Column)
            if self.rowHeight(row) != height:
                self.setRowHeight(row, height)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._size_time_column()
            self._refit.start()

    def _clicked(self, index: QModelIndex) -> None:
        if index.column() == Column.TIME:
            self.timecode_clicked.emit(index.row())

    def is_editing(self) -> bool:
        return self.state() == QAbstractItemView.State.EditingState

    def current_row(self) -> int | None:
        index = self.currentIndex()
        return index.row() if index.isValid() else None

    def selected_rows(self) -> list[int]:
        rows = sorted({index.row() for index in self.selectionModel().selectedRows()})
        current = self.current_row()
        return rows or ([] if current is None else [current])

    def go_to_row(self, row: int) -> None:
        """Make ``row`` the current, selected row, scrolled into view."""
        model = self.model()
        if model is None or not 0 <= row < model.rowCount():
            return
        index = model.index(row, Column.TEXT)
        self.setCurrentIndex(index)
        self.scrollTo(index)

    def edit_text(self, row: int) -> None:
        self.go_to_row(row)
        self.edit(self.currentIndex())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Enter and not self.is_editing():
            self.keypad_enter.emit()
            return
        if event.key() in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):  # the user reads on
            self.user_scrolled.emit()
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        # Before the base class: it does not emit doubleClicked when the click opens an
        # editor, and the player should still go to the segment being corrected.
        index = self.indexAt(event.position().toPoint())
        if index.isValid() and event.button() == Qt.MouseButton.LeftButton:
            self.row_double_clicked.emit(index.row())
        super().mouseDoubleClickEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.user_scrolled.emit()
        super().wheelEvent(event)
