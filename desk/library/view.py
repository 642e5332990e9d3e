"""The Library: every interview in a sortable, filterable table; import by menu or drop.

The selected interviews can be exported from the context menu (or File > Export…).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..session import Session
from .importing import ImportController
from .model import ID_ROLE, InterviewTableModel

MEDIA_FILTER = (
    "Audio and video (*.wav *.flac *.mp3 *.m4a *.aac *.ogg *.opus *.oga *.webm *.mp4 "
    "*.mov *.mkv *.wma *.aif *.aiff);;All files (*)"
)


class LibraryView(QWidget):
    interview_activated = Signal(str)
    export_requested = Signal(list)  # interview ids: "Export selected interviews…"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.model = InterviewTableModel(self)
        self.importer = ImportController(session, self)
        self.importer.finished.connect(lambda *_: self.refresh())
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(250)  # filter once typing pauses
        self._filter_timer.timeout.connect(lambda: self.model.set_filter(self.filter.text()))

        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter by title, narrator, place, language…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_timer.start)
        self.import_button = QPushButton(self.tr("Import…"))
        self.import_button.clicked.connect(self.choose_files)
        self.count = QLabel()
        self.count.setStyleSheet("color: palette(dark)")

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 220)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)

        self.empty_hint = QLabel(
            self.tr("No interviews yet. Drop audio or video files here, or click Import…")
        )
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setStyleSheet("color: palette(dark); font-size: 13pt; padding: 40px")

        bar = QHBoxLayout()
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.count)
        bar.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_hint)
        self.setAcceptDrops(True)
        self.model.modelReset.connect(self._update_count)
        self._update_count()

    # -- data ------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the count; pages load as rows come into view."""
        if not self._session.is_open:
            self.model.clear()
            return
        interviews = self._session.archive.interviews
        self.model.set_source(
            interviews.count_summaries,
            lambda offset, limit, sort, descending, text: interviews.summaries_page(
                offset, limit, sort=sort, descending=descending, filter_text=text
            ),
        )

    def clear(self) -> None:
        """On lock: nothing of the archive stays on screen or in the model."""
        self.model.clear()
        self.filter.clear()

    def _update_count(self) -> None:
        shown = self.model.rowCount()
        filtered = bool(self.model.filter_text)
        self.count.setText(
            self.tr("{shown} found").format(shown=shown)
            if filtered
            else self.tr("{total} interviews").format(total=shown)
        )
        empty = shown == 0 and not filtered
        self.empty_hint.setVisible(empty)
        self.table.setVisible(not empty)

    def selected_ids(self) -> list[str]:
        """The ids of the selected interviews, in table order."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        ids = [self.model.index(r, 0).data(ID_ROLE) for r in rows]
        return [i for i in ids if i]

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        if not self.table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            self.table.selectRow(index.row())
        ids = self.selected_ids()
        if not ids:
            return
        menu = QMenu(self.table)
        label = (
            self.tr("Export interview…")
            if len(ids) == 1
            else self.tr("Export {n} interviews…").format(n=len(ids))
        )
        menu.addAction(label, lambda: self.export_requested.emit(ids))
        menu.exec(self.table.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def _activated(self, index: QModelIndex) -> None:
        interview_id = index.siblingAtColumn(0).data(ID_ROLE)
        if interview_id:
            self.interview_activated.emit(interview_id)

    # -- import --------------------------------------------------------------

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Import interviews"), "", self.tr(MEDIA_FILTER)
        )
        if files:
            self.importer.import_files([Path(f) for f in files])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and self._session.is_open:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.importer.import_files(paths)
