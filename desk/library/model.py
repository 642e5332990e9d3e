"""The library's table of interviews, as a Qt item model over archive summaries."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from archive import InterviewSummary
from archive.util import format_clock

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex

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


# (header, display function, sort key function)
COLUMNS: list[tuple[str, Any, Any]] = [
    ("Title", lambda r: r.title or "", lambda r: (r.title or "").casefold()),
    ("Narrator", narrator_label, lambda r: narrator_label(r).casefold()),
    ("Date", lambda r: r.recorded_on or "", lambda r: r.recorded_on or ""),
    ("Place", lambda r: r.place or "", lambda r: (r.place or "").casefold()),
    ("Languages", lambda r: ", ".join(r.languages), lambda r: ",".join(r.languages)),
    ("Duration", lambda r: format_clock(r.duration), lambda r: r.duration or 0.0),
    (
        "Transcript",
        lambda r: STATUS_LABELS.get(r.transcription_status, r.transcription_status),
        lambda r: r.transcription_status,
    ),
    ("Themes", lambda r: str(r.themes_count) if r.themes_count else "", lambda r: r.themes_count),
]


class InterviewTableModel(QAbstractTableModel):
    """Rows are :class:`InterviewSummary`; cheap to reset with tens of thousands."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[InterviewSummary] = []

    def set_rows(self, rows: list[InterviewSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def row_at(self, row: int) -> InterviewSummary:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(COLUMNS[section][0])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        _, display, sort_key = COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return display(row)
        if role == SORT_ROLE:
            return sort_key(row)
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (5, 7):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
