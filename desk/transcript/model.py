"""A Qt table model over one interview's segments: time, speaker, text.

The model holds copies of the archive's records and never writes: an edit made in
the view goes to :attr:`SegmentModel.edit_handler`, which turns it into an undoable
command; commands hand the changed records back through :meth:`SegmentModel.apply`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from archive import Segment
from archive.segments import Span

from .marks import is_corrected, low_confidence_ranges

AnyIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    TIME = 0
    SPEAKER = 1
    TEXT = 2


SegmentRole = Qt.ItemDataRole.UserRole + 1  # the Segment record
LowConfidenceRole = Qt.ItemDataRole.UserRole + 2  # list of (start, end) string indices
CorrectedRole = Qt.ItemDataRole.UserRole + 3  # bool: a person changed the words
PlayheadRole = Qt.ItemDataRole.UserRole + 4  # bool: the playhead is in this segment

PLAYHEAD_COLOUR = QColor(64, 140, 255, 56)  # translucent: reads on light and dark themes

EditHandler = Callable[[Segment, Column, str], bool]


def format_timecode(seconds: float) -> str:
    """hh:mm:ss, rounded down (a segment at 59.9 s starts in the 59th second)."""
    whole = max(0, int(seconds))
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _order(seg: Segment) -> tuple[float, float, int]:
    """The archive's order of segments (start, end, id)."""
    return (seg.start, seg.end, seg.id)


class SegmentModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Segment] = []
        self._starts: list[float] = []
        self._row_of: dict[int, int] = {}
        self._marks: dict[int, tuple[Segment, list[Span]]] = {}
        self._playhead_id: int | None = None
        self._playhead_seconds: float | None = None
        self.edit_handler: EditHandler | None = None

    # -- reading -------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            Column.TIME: self.tr("Time"),
            Column.SPEAKER: self.tr("Speaker"),
            Column.TEXT: self.tr("Text"),
        }.get(Column(section))

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() != Column.TIME:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        seg = self._rows[index.row()]
        column = Column(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == Column.TIME:
                return format_timecode(seg.start) if role == Qt.ItemDataRole.DisplayRole else None
            return seg.text if column == Column.TEXT else seg.speaker or ""
        if role == Qt.ItemDataRole.BackgroundRole:
            return PLAYHEAD_COLOUR if seg.id == self._playhead_id else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(seg, column)
        if role == SegmentRole:
            return seg
        if role == LowConfidenceRole:
            return self._low_confidence(seg)
        if role == CorrectedRole:
            return is_corrected(seg)
        if role == PlayheadRole:
            return seg.id == self._playhead_id
        return None

    def _tooltip(self, seg: Segment, column: Column) -> str | None:
        if column == Column.TIME:
            return self.tr("Click to go to this segment; Enter plays from it.")
        if column == Column.SPEAKER:
            return seg.speaker
        if column == Column.TEXT and is_corrected(seg) and seg.machine_text:
            return self.tr("Corrected. The machine heard: %1").replace("%1", seg.machine_text)
        if column == Column.TEXT and self._low_confidence(seg):
            return self.tr("Underlined words: the machine was not sure of them.")
        return None

    def _low_confidence(self, seg: Segment) -> list[Span]:
        cached = self._marks.get(seg.id)
        if cached is None or cached[0] is not seg:
            cached = (seg, low_confidence_ranges(seg.text, seg.words))
            self._marks[seg.id] = cached
        return cached[1]

    def segment(self, row: int) -> Segment:
        return self._rows[row]

    def segments(self) -> list[Segment]:
        return list(self._rows)

    def row_of(self, segment_id: int) -> int | None:
        return self._row_of.get(segment_id)

    def row_at(self, seconds: float) -> int | None:
        """The row whose segment is playing at ``seconds`` (a bisection: called often)."""
        row = bisect_right(self._starts, seconds) - 1
        if row >= 0 and seconds <= self._rows[row].end:
            return row
        return None

    # -- the user's edits go out ---------------------------------------------

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.edit_handler is None:
            return False
        column = Column(index.column())
        if column == Column.TIME:
            return False
        return self.edit_handler(self._rows[index.row()], column, str(value or ""))

    # -- the archive's records come in ---------------------------------------

    def load(self, segments: Iterable[Segment]) -> None:
        self.beginResetModel()
        self._rows = sorted(segments, key=_order)
        self._marks.clear()
        self._reindex()
        self.endResetModel()
        self._place_playhead()

    def apply(self, remove_ids: Iterable[int], segments: Iterable[Segment]) -> None:
        """Rows with ``remove_ids`` go, ``segments`` come (replacing rows of the same id).

        A row whose place in the order does not change is updated where it is, so the
        view keeps its scroll position and selection; the others move.
        """
        incoming = list(segments)
        incoming_ids = {s.id for s in incoming}
        for segment_id in remove_ids:
            if segment_id not in incoming_ids:
                self._remove(segment_id)
        to_insert: list[Segment] = []
        updated: list[int] = []  # ids: a later removal may shift rows
        for seg in incoming:
            row = self._row_of.get(seg.id)
            if row is not None and self._fits(row, seg):
                self._rows[row] = seg
                updated.append(seg.id)
            else:
                if row is not None:
                    self._remove(seg.id)
                to_insert.append(seg)
        self._changed(*(self._row_of[i] for i in updated))
        for seg in to_insert:
            row = bisect_left([_order(s) for s in self._rows], _order(seg))
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.insert(row, seg)
            self._reindex()
            self.endInsertRows()
        self._place_playhead()

    def _fits(self, row: int, seg: Segment) -> bool:
        key = _order(seg)
        before = row == 0 or _order(self._rows[row - 1]) <= key
        after = row == len(self._rows) - 1 or key <= _order(self._rows[row + 1])
        return before and after

    def _remove(self, segment_id: int) -> None:
        row = self._row_of.get(segment_id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self._marks.pop(segment_id, None)
        self._reindex()
        self.endRemoveRows()

    def _reindex(self) -> None:
        self._starts = [s.start for s in self._rows]
        self._row_of = {s.id: row for row, s in enumerate(self._rows)}

    def _changed(self, *rows: int) -> None:
        """Tell the view, one signal per run of neighbouring rows (a replace-all may
        change a thousand).  Whole rows: a single-cell change would make the view
        reload an open editor."""
        runs: list[list[int]] = []
        for row in sorted(set(rows)):
            if runs and row == runs[-1][1] + 1:
                runs[-1][1] = row
            else:
                runs.append([row, row])
        for first, last in runs:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(Column) - 1))

    # -- the playhead --------------------------------------------------------

    def set_playhead(self, seconds: float | None) -> int | None:
        """Mark the segment playing at ``seconds``; returns its row (None in a gap)."""
        self._playhead_seconds = seconds
        return self._place_playhead()

    def playhead_row(self) -> int | None:
        return None if self._playhead_id is None else self._row_of.get(self._playhead_id)

    def _place_playhead(self) -> int | None:
        seconds = self._playhead_seconds
        row = None if seconds is None else self.row_at(seconds)
        new_id = None if row is None else self._rows[row].id
        if new_id != self._playhead_id:
            old_row = self.playhead_row()
            self._playhead_id = new_id
            self._changed(*(r for r in (old_row, row) if r is not None))
        return row
