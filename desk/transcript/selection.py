"""What is selected in the transcript editor, for tools that act on it (redaction).

- :func:`selected_text`: the characters selected in the segment being typed in, as
  indices into the segment's saved text.
- :func:`install_context_menu`: extra context-menu entries, given the segment and
  the word clicked (or the text selected), on the list and in the inline editor.
- :func:`word_at`: the word under a point of the list.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMenu, QStyleOptionViewItem

from archive import Segment

from .delegate import H_PAD, V_PAD, ContextMenuHook
from .model import Column, SegmentRole
from .textpos import from_qt

if TYPE_CHECKING:
    from .editor import TranscriptEditor

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


class UnsavedTypingError(ValueError):
    """The text being typed differs from the saved text: positions would not match."""


def selected_text(editor: TranscriptEditor) -> tuple[Segment, int, int] | None:
    """The selection in the open inline editor as ``(segment, start, end)`` Python
    indices into ``segment.text``; None when nothing is selected there.

    Raises :class:`UnsavedTypingError` when the typed text is not saved yet.
    """
    opened = editor.delegate.text_editor()
    if opened is None:
        return None
    text_edit, index = opened
    cursor: QTextCursor = text_edit.textCursor()
    if not cursor.hasSelection():
        return None
    segment = editor.model.segment(index.row())
    typed = text_edit.toPlainText()
    if typed != segment.text:
        raise UnsavedTypingError(
            editor.tr("Save the text first (Enter), then redact the selection.")
        )
    start = from_qt(typed, cursor.selectionStart())
    end = from_qt(typed, cursor.selectionEnd())
    # Leave out spaces at the edges: a double-click on a word may take one.
    while start < end and typed[start].isspace():
        start += 1
    while end > start and typed[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    return segment, start, end


def word_at(editor: TranscriptEditor, pos: QPoint) -> tuple[Segment | None, str | None]:
    """The segment and the word under ``pos`` (viewport coordinates of the list)."""
    view = editor.view
    index = view.indexAt(pos)
    if not index.isValid():
        return None, None
    segment: Segment = index.data(SegmentRole)
    if index.column() != Column.TEXT:
        return segment, None
    rect = view.visualRect(index)
    option = QStyleOptionViewItem()
    option.font = view.font()
    doc = editor.delegate.document(index, segment.text, rect.width(), option)
    point = QPointF(pos.x() - rect.left() - H_PAD, pos.y() - rect.top() - V_PAD)
    at = doc.documentLayout().hitTest(point, Qt.HitTestAccuracy.FuzzyHit)
    if at < 0:
        return segment, None
    char = from_qt(segment.text, at)
    for match in _WORD.finditer(segment.text):
        if match.start() <= char <= match.end():
            return segment, match.group()
    return segment, None


def install_context_menu(editor: TranscriptEditor, hook: ContextMenuHook) -> None:
    """Call ``hook(menu, segment, word)`` to fill a context menu on the list (the word
    under the mouse) and in the inline editor (its selection, or the word clicked)."""
    view = editor.view
    editor.delegate.context_menu_hook = hook
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show(pos: QPoint) -> None:
        segment, word = word_at(editor, pos)
        if segment is None:
            return
        menu = QMenu(view)
        hook(menu, segment, word)
        if not menu.isEmpty():
            menu.exec(view.viewport().mapToGlobal(pos))
        menu.deleteLater()

    view.customContextMenuRequested.connect(show)
