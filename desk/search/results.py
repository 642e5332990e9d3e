"""The list of hits: a model of pages of :class:`SearchHit`, drawn as rich text.

Each row shows the interview's title, the hit's time and where it matched, and the
snippet with the matching words highlighted.  Keys: Enter opens the hit, Space plays
it in place, Up on the first row goes back to the query box.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QKeyEvent, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from archive import SearchHit

from ..player.timefmt import format_clock
from .snippets import plain_snippet, snippet_html

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
HTML_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex
_PADDING = 6
_CONTEXT = "SearchResults"


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def where_matched(hit: SearchHit) -> str:
    """In plain words, what matched: "transcript (hy)", "clip note", "summary"..."""
    if hit.kind == "segment":
        place = _tr("translation") if hit.field == "translation" else _tr("transcript")
        return f"{place} ({hit.language})" if hit.language else place
    if hit.kind == "clip":
        return _tr("clip title") if hit.field == "title" else _tr("clip note")
    return {
        "title": _tr("interview title"),
        "summary": _tr("summary"),
        "pseudonym": _tr("narrator"),
    }.get(hit.field, hit.field)


def hit_time(hit: SearchHit) -> str:
    if hit.kind == "interview":
        return format_clock(0.0)
    return f"{format_clock(hit.start)}–{format_clock(hit.end)}"


class SearchResultsModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self._titles: dict[str, str] = {}

    def set_hits(self, hits: Sequence[SearchHit], titles: Mapping[str, str]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self._titles = dict(titles)
        self.endResetModel()

    def append(self, hits: Sequence[SearchHit], titles: Mapping[str, str]) -> None:
        if not hits:
            return
        first = len(self._hits)
        self.beginInsertRows(QModelIndex(), first, first + len(hits) - 1)
        self._hits.extend(hits)
        self._titles.update(titles)
        self.endInsertRows()

    def clear(self) -> None:
        self.set_hits([], {})

    def hit(self, row: int) -> SearchHit:
        return self._hits[row]

    def hits(self) -> list[SearchHit]:
        return list(self._hits)

    def title(self, interview_id: str) -> str:
        return self._titles.get(interview_id) or _tr("Untitled interview")

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{self.title(hit.interview_id)} {hit_time(hit)}: {plain_snippet(hit.snippet)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_snippet(hit.snippet)
        if role == HIT_ROLE:
            return hit
        if role == HTML_ROLE:
            return self.html(hit)
        return None

    def html(self, hit: SearchHit) -> str:
        title = html.escape(self.title(hit.interview_id))
        meta = html.escape(f"{hit_time(hit)} · {where_matched(hit)}")
        return (
            f"<div><b>{title}</b>&nbsp;&nbsp;<span class='meta'>{meta}</span></div>"
            f"<div style='margin-top: 3px'>{snippet_html(hit.snippet)}</div>"
        )


class HitDelegate(QStyledItemDelegate):
    """Draws a hit's HTML (title line, then the highlighted snippet), wrapped."""

    def _document(
        self, option: QStyleOptionViewItem, index: Index, width: int, selected: bool = False
    ) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(0)
        role = (
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        )
        doc.setDefaultStyleSheet(f".meta {{ color: {option.palette.color(role).name()} }}")
        doc.setHtml(index.data(HTML_ROLE) or "")
        doc.setTextWidth(max(80, width - 2 * _PADDING))
        return doc

    def _width(self, option: QStyleOptionViewItem) -> int:
        view = self.parent()
        if isinstance(view, QAbstractItemView):
            return view.viewport().width()
        return option.rect.width()

    def paint(self, painter: Any, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        doc = self._document(opt, index, opt.rect.width(), selected)
        context = QAbstractTextDocumentLayout.PaintContext()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        painter.translate(opt.rect.left() + _PADDING, opt.rect.top() + _PADDING)
        painter.setClipRect(QRectF(0, 0, opt.rect.width(), opt.rect.height()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        width = self._width(option)
        doc = self._document(option, index, width)
        return QSize(width, int(doc.size().height()) + 2 * _PADDING)


class ResultsList(QListView):
    open_requested = Signal(int)  # row
    play_requested = Signal(int)
    leave_top = Signal()  # Up on the first row

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setItemDelegate(HitDelegate(self))
        self.doubleClicked.connect(lambda index: self.open_requested.emit(index.row()))

    def current_row(self) -> int | None:
        index = self.currentIndex()
        return index.row() if index.isValid() else None

    def go_to_row(self, row: int) -> None:
        model = self.model()
        if model is not None and 0 <= row < model.rowCount():
            index = model.index(row, 0)
            self.setCurrentIndex(index)
            self.scrollTo(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.current_row()
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and row is not None:
            self.open_requested.emit(row)
            return
        if key == Qt.Key.Key_Space and row is not None:
            self.play_requested.emit(row)
            return
        if key == Qt.Key.Key_Up and (row is None or row == 0):
            self.leave_top.emit()
            return
        super().keyPressEvent(event)
