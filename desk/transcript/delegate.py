"""How a segment row looks and is edited: wrapped text with its marks, inline editors.

The text cell is laid out as a rich-text document so that doubtful words (a dotted
amber underline on a light amber ground), find matches and redacted passages (struck
through, light on a dark ground) can be marked inside it.  Colours are translucent so
they read on light and dark palettes alike.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QContextMenuEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTextEdit,
    QWidget,
)

from archive import Segment
from archive.segments import Span

from .find_replace import FindState
from .model import Column, CorrectedRole, LowConfidenceRole, SegmentRole
from .textpos import to_qt

AnyIndex = QModelIndex | QPersistentModelIndex

H_PAD, V_PAD = 6, 4
DOUBTFUL_UNDERLINE = QColor(214, 137, 16)
DOUBTFUL_GROUND = QColor(255, 193, 7, 64)
MATCH_GROUND = QColor(255, 235, 59, 150)
CURRENT_MATCH_GROUND = QColor(255, 152, 0, 210)
CORRECTED_MARK = QColor(96, 125, 139, 190)
REDACTED_GROUND = QColor(33, 33, 33, 215)
REDACTED_TEXT = QColor(250, 250, 250)

# Marks of redacted passages: (segment) -> its redacted spans (Python indices).
RedactedSpans = Callable[[Segment], list[Span]]
# Extra context-menu entries: (menu, segment, the selected word or the one clicked).
ContextMenuHook = Callable[[QMenu, Segment, str | None], None]


def _char_format(ground: QColor, underline: QColor | None = None) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(ground)
    if underline is not None:
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        fmt.setUnderlineColor(underline)
    return fmt


class SegmentTextEdit(QTextEdit):
    """The inline editor of a segment's text: Enter saves; it grows to fit its text.

    Plain text only (pasted formatting is dropped).  Taller than its row when the
    text needs it, overlapping the rows below rather than hiding words.
    """

    commit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Adds entries to the context menu: (menu, selected text or word clicked).
        self.context_menu_hook: Callable[[QMenu, str | None], None] | None = None
        self.setAcceptRichText(False)
        self.setTabChangesFocus(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.document().setDocumentMargin(max(0, H_PAD - 2))
        self._row_height = 0
        self.document().contentsChanged.connect(self.fit)

    def place(self, rect: QRect) -> None:
        """Cover the cell ``rect``, and more if the text needs it."""
        self._row_height = rect.height()
        self.setGeometry(rect)
        self.fit()

    def fit(self) -> None:
        doc = self.document()
        doc.setTextWidth(self.viewport().width())
        needed = int(doc.size().height()) + 2 * self.frameWidth() + 1
        limit = self.parentWidget().height() - self.y() if self.parentWidget() else needed
        height = max(self._row_height, min(needed, max(limit, self._row_height)))
        if height != self.height():
            self.resize(self.width(), height)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.commit_requested.emit()
            return  # a segment is one paragraph
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        if self.context_menu_hook is not None:
            word = self.textCursor().selectedText().strip()
            if not word:
                under = self.cursorForPosition(event.pos())
                under.select(QTextCursor.SelectionType.WordUnderCursor)
                word = under.selectedText().strip()
            menu.addSeparator()
            self.context_menu_hook(menu, word or None)
        menu.exec(event.globalPos())
        menu.deleteLater()


class TranscriptDelegate(QStyledItemDelegate):
    typing = Signal()  # the person is typing in a segment

    def __init__(
        self, find_state: FindState, speakers: Callable[[], list[str]], parent: QObject
    ) -> None:
        super().__init__(parent)
        self._find = find_state
        self._speakers = speakers
        self._heights: dict[tuple[str, int, str], int] = {}
        self._click: tuple[QPersistentModelIndex, QPoint, int] | None = None  # cell, where, width
        self._editor: SegmentTextEdit | None = None
        self._editor_index = QPersistentModelIndex()
        self._low_format = _char_format(DOUBTFUL_GROUND, DOUBTFUL_UNDERLINE)
        self._match_format = _char_format(MATCH_GROUND)
        self._current_format = _char_format(CURRENT_MATCH_GROUND)
        self._redacted_format = _char_format(REDACTED_GROUND)
        self._redacted_format.setForeground(REDACTED_TEXT)
        self._redacted_format.setFontStrikeOut(True)
        self.redacted_spans: RedactedSpans | None = None  # see desk.interview.redaction_panel
        self.context_menu_hook: ContextMenuHook | None = None

    # -- painting ------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        widget = opt.widget
        if widget is not None:  # ground, selection, focus: as the style draws them
            widget.style().drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        colour = opt.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        if index.column() == Column.TEXT:
            self._paint_text(painter, opt, index, text, colour)
            return
        # Time and speaker: one line, aligned with the text's first line.
        area = opt.rect.adjusted(H_PAD, V_PAD, -H_PAD, -V_PAD)
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(colour)
        elided = opt.fontMetrics.elidedText(text, Qt.TextElideMode.ElideRight, area.width())
        painter.drawText(area, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), elided)
        if index.column() == Column.TIME and index.data(CorrectedRole):
            rect = opt.rect
            painter.fillRect(
                QRect(rect.left() + 1, rect.top() + V_PAD, 3, rect.height() - 2 * V_PAD),
                CORRECTED_MARK,
            )
        painter.restore()

    def _paint_text(
        self,
        painter: QPainter,
        opt: QStyleOptionViewItem,
        index: AnyIndex,
        text: str,
        colour: QColor,
    ) -> None:
        doc = self.document(index, text, opt.rect.width(), opt)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, colour)
        painter.save()
        painter.translate(opt.rect.left() + H_PAD, opt.rect.top() + V_PAD)
        painter.setClipRect(QRect(0, 0, opt.rect.width() - H_PAD, opt.rect.height() - V_PAD))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def document(
        self, index: AnyIndex, text: str, width: int, option: QStyleOptionViewItem
    ) -> QTextDocument:
        """The text cell laid out, with doubtful words and find matches marked."""
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(option.font)
        doc.setPlainText(text)
        doc.setTextWidth(max(20, width - 2 * H_PAD))
        cursor = QTextCursor(doc)
        for span in index.data(LowConfidenceRole) or []:
            self._mark(cursor, text, span, self._low_format)
        segment = index.data(SegmentRole)
        if self.redacted_spans is not None and segment is not None and segment.text == text:
            for span in self.redacted_spans(segment):
                self._mark(cursor, text, span, self._redacted_format)
        current = self._find.current
        for span in self._find.spans(text):
            is_current = (
                current is not None
                and segment is not None
                and (current.segment_id, current.start, current.end) == (segment.id, *span)
            )
            self._mark(
                cursor, text, span, self._current_format if is_current else self._match_format
            )
        return doc

    @staticmethod
    def _mark(cursor: QTextCursor, text: str, span: Span, fmt: QTextCharFormat) -> None:
        cursor.setPosition(to_qt(text, span[0]))
        cursor.setPosition(to_qt(text, span[1]), QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        if index.column() != Column.TEXT:
            metrics = option.fontMetrics
            width = metrics.horizontalAdvance(str(index.data() or "")) + 2 * H_PAD + 2
            return QSize(width, metrics.height() + 2 * V_PAD)
        text = str(index.data() or "")
        width = option.rect.width()
        key = (text, width, option.font.key())
        height = self._heights.get(key)
        if height is None:
            doc = QTextDocument()
            doc.setDocumentMargin(0)
            doc.setDefaultFont(option.font)
            doc.setPlainText(text)
            doc.setTextWidth(max(20, width - 2 * H_PAD))
            height = int(doc.size().height()) + 2 * V_PAD + 1
            if len(self._heights) > 5000:
                self._heights.clear()
            self._heights[key] = height
        return QSize(width, height)

    # -- editing -------------------------------------------------------------

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        if index.column() == Column.SPEAKER:
            combo = QComboBox(parent)
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.addItems(self._speakers())
            combo.setFont(option.font)
            completer = combo.completer()
            if completer is not None:
                completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            return combo
        editor = SegmentTextEdit(parent)
        editor.setFont(option.font)
        if self.context_menu_hook is not None:
            segment = index.data(SegmentRole)
            hook = self.context_menu_hook
            editor.context_menu_hook = lambda menu, word: hook(menu, segment, word)
        editor.commit_requested.connect(lambda: self._commit_and_close(editor))
        editor.textChanged.connect(self.typing)
        self._editor, self._editor_index = editor, QPersistentModelIndex(index)
        editor.destroyed.connect(self._forget_editor)
        return editor

    def _commit_and_close(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def _forget_editor(self) -> None:
        self._editor, self._editor_index = None, QPersistentModelIndex()

    def text_editor(self) -> tuple[SegmentTextEdit, QPersistentModelIndex] | None:
        """The open text editor and the cell it edits, if a segment is being typed in."""
        if self._editor is None or not self._editor_index.isValid():
            return None
        return self._editor, self._editor_index

    def close_without_saving(self) -> None:
        """Close the text editor; its text has been saved another way."""
        if self._editor is not None:
            editor = self._editor
            self._forget_editor()
            self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setEditText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            editor.lineEdit().selectAll()
            return
        if not isinstance(editor, SegmentTextEdit):
            return
        text = str(index.data(Qt.ItemDataRole.EditRole) or "")
        editor.setPlainText(text)
        cursor = editor.textCursor()
        cursor.setPosition(self._clicked_position(index, text, editor))
        editor.setTextCursor(cursor)

    def _clicked_position(self, index: AnyIndex, text: str, editor: QWidget) -> int:
        """Where the double-click that opened the editor fell in the text (else its end)."""
        click, self._click = self._click, None
        if click is None or QModelIndex(click[0]) != QModelIndex(index):
            return len(text.encode("utf-16-le")) // 2
        option = QStyleOptionViewItem()
        option.font = editor.font()
        doc = self.document(index, text, click[2], option)
        point = QPointF(click[1].x() - H_PAD, click[1].y() - V_PAD)
        return max(0, doc.documentLayout().hitTest(point, Qt.HitTestAccuracy.FuzzyHit))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, SegmentTextEdit):
            model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> None:
        if isinstance(editor, SegmentTextEdit):
            editor.place(option.rect)
        else:
            editor.setGeometry(option.rect)

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: AnyIndex,
    ) -> bool:
        if (
            event.type() == QEvent.Type.MouseButtonDblClick
            and isinstance(event, QMouseEvent)
            and index.column() == Column.TEXT
        ):
            self._click = (
                QPersistentModelIndex(index),
                event.position().toPoint() - option.rect.topLeft(),
                option.rect.width(),
            )
        return super().editorEvent(event, model, option, index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Leave Escape to the editor's play/pause shortcut: it must not discard typing."""
        if (
            isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
        ):
            return False
        return super().eventFilter(watched, event)
