"""The library's table of interviews: a Qt model that reads pages on demand.

``rowCount`` is one COUNT query; ``data`` loads the 200-row page a row belongs to
(keeping the last few pages), so opening an archive of 10,000 interviews reads a
screenful, not the archive.  Sorting and filtering happen in the database, through
the archive API.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from archive import InterviewSummary
from archive.util import format_clock

ID_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex
PAGE_SIZE = 200
PAGES_KEPT = 16

STATUS_LABELS = {
    "none": "not transcribed",
    "queued": "queued",
    "running": "transcribing…",
    "partial": "partly transcribed",
    "done": "transcribed",
    "failed": "failed",
}


def narrator_label(row: InterviewSummary) -> str:
    if row.narrator_name and row.narrator_pseudonym:
        return f"{row.narrator_name} ({row.narrator_pseudonym})"
    return row.narrator_name or row.narrator_pseudonym or ""


# (header, sort key understood by the archive, display function)
COLUMNS: list[tuple[str, str, Callable[[InterviewSummary], str]]] = [
    ("Title", "title", lambda r: r.title or ""),
    ("Narrator", "narrator", narrator_label),
    ("Date", "date", lambda r: r.recorded_on or ""),
    ("Place", "place", lambda r: r.place or ""),
    ("Languages", "languages", lambda r: ", ".join(r.languages)),
    ("Duration", "duration", lambda r: format_clock(r.duration)),
    ("Transcript", "status", lambda r: STATUS_LABELS.get(r.transcription_status, "")),
    ("Themes", "themes", lambda r: str(r.themes_count) if r.themes_count else ""),
]

CountFn = Callable[[str], int]
PageFn = Callable[[int, int, str, bool, str], list[InterviewSummary]]


class InterviewTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._count_fn: CountFn | None = None
        self._page_fn: PageFn | None = None
        self._count = 0
        self._pages: OrderedDict[int, list[InterviewSummary]] = OrderedDict()
        self.sort_key = "date"
        self.descending = True
        self.filter_text = ""

    # -- source ------------------------------------------------------------------

    def set_source(self, count: CountFn | None, page: PageFn | None) -> None:
        """Where rows come from (the archive's paged API); ``None`` empties the model."""
        self._count_fn, self._page_fn = count, page
        self.refresh()

    def clear(self) -> None:
        self.set_source(None, None)

    def refresh(self) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._count = self._count_fn(self.filter_text) if self._count_fn else 0
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        if text != self.filter_text:
            self.filter_text = text
            self.refresh()

    @property
    def loaded_rows(self) -> int:
        """Rows held in memory now (a test checks this stays small)."""
        return sum(len(p) for p in self._pages.values())

    def row_at(self, row: int) -> InterviewSummary:
        page, offset = divmod(row, PAGE_SIZE)
        rows = self._pages.get(page)
        if rows is None:
            assert self._page_fn is not None
            rows = self._page_fn(
                page * PAGE_SIZE, PAGE_SIZE, self.sort_key, self.descending, self.filter_text
            )
            self._pages[page] = rows
            while len(self._pages) > PAGES_KEPT:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        return rows[offset]

    # -- Qt model ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(COLUMNS[section][0])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._count:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return COLUMNS[index.column()][2](self.row_at(index.row()))
        if role == ID_ROLE:
            return self.row_at(index.row()).id
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (5, 7):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_key = COLUMNS[column][1]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.refresh()
