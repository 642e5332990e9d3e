"""The Library: every interview in a sortable, filterable table; import by menu or drop."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..session import Session
from ..tasks import Task
from .importing import ImportController
from .model import ID_ROLE, SORT_ROLE, InterviewTableModel

MEDIA_FILTER = (
    "Audio and video (*.wav *.flac *.mp3 *.m4a *.aac *.ogg *.opus *.oga *.webm *.mp4 "
    "*.mov *.mkv *.wma *.aif *.aiff);;All files (*)"
)


class LibraryView(QWidget):
    interview_activated = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.model = InterviewTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.importer = ImportController(session, self)
        self.importer.finished.connect(lambda *_: self.refresh())
        self._loading: Task | None = None

        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter by title, narrator, place, language…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.import_button = QPushButton(self.tr("Import…"))
        self.import_button.clicked.connect(self.choose_files)
        self.count = QLabel()
        self.count.setStyleSheet("color: palette(dark)")

        self.table = QTableView()
        self.table.setModel(self.proxy)
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
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self._update_count()

    # -- data ------------------------------------------------------------------

    def refresh(self) -> Task | None:
        """Reload the summaries off the UI thread (a large archive takes a moment)."""
        if not self._session.is_open:
            return None

        def work(_progress, _cancelled):
            with self._session.open_for_worker() as archive:
                return archive.interviews.summaries()

        task = Task(work, self)
        task.succeeded.connect(self.model.set_rows)
        self._loading = task.start()
        return task

    def clear(self) -> None:
        """On lock: nothing of the archive stays on screen or in the model."""
        self.model.clear()
        self.filter.clear()

    def _update_count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        self.count.setText(
            self.tr("{shown} of {total}").format(shown=shown, total=total)
            if shown != total
            else self.tr("{total} interviews").format(total=total)
        )
        self.empty_hint.setVisible(total == 0)
        self.table.setVisible(total > 0)

    def selected_ids(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return [r.data(ID_ROLE) for r in rows]

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
