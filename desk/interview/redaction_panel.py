"""Redaction in the interview view: mark what must never leave the archive.

- **Ctrl+Shift+X** redacts what is selected: the characters selected in the segment
  being typed in (a span of that segment), else the I / O marks of the tagging panel
  (a time range: the audio and the words spoken in it), else the selected segments
  (their time range).  A small dialog says exactly what will be redacted and takes an
  optional reason.
- The transcript's context menu offers "Redact “word” everywhere in the interview".
- The list shows every redaction of the interview (what, reason, who and when);
  Delete removes one.  Adding and deleting are steps on the transcript editor's undo
  stack (Ctrl+Z), and the message after a delete has its own Undo.

Redacted passages are marked in the transcript (struck through on a dark ground) and
the redacted time ranges on the waveform (dark bands).  The marks come from the
archive's own :func:`archive.redaction.redact_segment` — the panel never decides
what is redacted.  The originals are never changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from archive import Archive, ArchiveError, Segment
from archive.export.corpus import names_redacted_by_rule
from archive.redaction import Redaction, time_ranges
from archive.redaction import redacted_spans as archive_redacted_spans

from ..player.player import PlayerWidget
from ..themes.timecodes import format_range, format_time
from ..transcript.editor import TranscriptEditor
from ..transcript.fonts import transcript_font
from ..transcript.selection import UnsavedTypingError, install_context_menu, selected_text
from ..ui.keys import on_delete_key

REDACTION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
REDACT_KEYS = QKeySequence("Ctrl+Shift+X")
RED = "#b3261e"
_CONTEXT = "RedactionShortcuts"
SHORTCUTS: list[tuple[str, QKeySequence, str]] = [
    (
        "redact",
        REDACT_KEYS,
        QT_TRANSLATE_NOOP(
            _CONTEXT, "Redact the selected text, else the marks, else the selected segments"
        ),
    ),
]


def describe(description: str) -> str:
    return QCoreApplication.translate(_CONTEXT, description)


# -- what the archive redacts, as spans of the original text ---------------------------

Span = tuple[int, int]


def redacted_spans(
    segment: Segment, redactions: list[Redaction], names: list[str] | None = None
) -> list[Span]:
    """Where ``segment``'s text is redacted: the archive's own rule, never the panel's
    (``names``: the narrator's name when consent hides it, redacted by rule)."""
    return archive_redacted_spans(segment, redactions, extra_terms=names or ())


# -- undoable changes -------------------------------------------------------------------


@dataclass
class _Ctx:
    archive: Archive
    after: Callable[[str | None], None]  # reload the list; a message or an error
    failed: Callable[[str], None]


def _make_again(archive: Archive, r: Redaction) -> Redaction:
    """Put the redaction ``r`` back as it was (after a delete was undone)."""
    return archive.redactions.restore(r)


class _RedactionCommand(QUndoCommand):
    """Adding (``present_after``) or deleting a redaction.  The change is made before
    the command is pushed; undo and redo delete it or make it again."""

    def __init__(self, ctx: _Ctx, redaction: Redaction, *, present_after: bool, label: str):
        super().__init__(label)
        self._ctx = ctx
        self._redaction = redaction
        self._present_after = present_after
        self._first = True

    @property
    def redaction(self) -> Redaction:
        return self._redaction

    def _set_present(self, present: bool) -> None:
        ctx = self._ctx
        try:
            if present:
                self._redaction = _make_again(ctx.archive, self._redaction)
            else:
                ctx.archive.redactions.delete(self._redaction.id)
        except ArchiveError as exc:
            self.setObsolete(True)
            ctx.failed(str(exc))
            return
        ctx.after(None)

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._set_present(self._present_after)

    def undo(self) -> None:
        self._set_present(not self._present_after)


# -- the dialog that confirms a redaction -------------------------------------------


class RedactDialog(QDialog):
    """What is about to be redacted, and an optional reason.  Enter redacts."""

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Redact"))
        self.what = QLabel(what)
        self.what.setWordWrap(True)
        self.what.setFont(transcript_font(self.font()))
        explain = QLabel(
            self.tr(
                "It will be hidden in every export (text and sound). The original stays "
                "unchanged in this archive."
            )
        )
        explain.setWordWrap(True)
        explain.setStyleSheet("color: palette(dark)")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Reason (optional), e.g. names a living person"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Redact"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.what)
        layout.addWidget(explain)
        layout.addWidget(self.reason)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)


# Asks for the reason: (description of what is redacted) -> reason, or None to cancel.
AskFn = Callable[[str], "str | None"]


# -- the panel --------------------------------------------------------------------------


class RedactionPanel(QWidget):
    changed = Signal()  # a redaction was added or deleted

    def __init__(
        self,
        archive: Archive,
        interview_id: str,
        editor: TranscriptEditor,
        player: PlayerWidget | None = None,
        marks: Callable[[], tuple[float, float] | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``marks``: the I / O marks (seconds) when both are set, else None."""
        super().__init__(parent)
        self._archive = archive
        self.interview_id = interview_id
        self._editor = editor
        self._player = player
        self._marks = marks or (lambda: None)
        self._redactions: list[Redaction] = []
        self._names: list[str] = []  # the narrator's name, when consent hides it
        self._last_delete: _RedactionCommand | None = None
        self.ask: AskFn = self._ask_reason
        self._ctx = _Ctx(archive, self._after, self._failed)

        intro = QLabel(
            self.tr(
                "Hidden in every export; the original stays here. Select text in a segment "
                "(F2) or mark in and out, then Ctrl+Shift+X."
            )
        )
        intro.setWordWrap(True)
        intro.setStyleSheet("color: palette(dark)")
        self.redact_button = QPushButton(self.tr("Redact selection"))
        self.redact_button.setToolTip(
            self.tr("The selected text, else the marks, else the selected segments (Ctrl+Shift+X)")
        )
        self.redact_button.clicked.connect(lambda: self.redact_selection())
        self.word_button = QPushButton(self.tr("Redact a word…"))
        self.word_button.setToolTip(self.tr("A word or name, everywhere in the interview"))
        self.word_button.clicked.connect(lambda: self.ask_word())

        self.list = QTreeWidget()
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setFont(transcript_font(self.font()))
        # Two lines a row: what (and when), then who redacted it and on which day.
        self.list.setHeaderLabels([self.tr("Redacted"), self.tr("Reason")])
        self.list.setUniformRowHeights(False)
        self.list.setWordWrap(True)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 130)
        self.list.itemActivated.connect(lambda item, _c: self._go_to(item))
        self.list.itemDoubleClicked.connect(lambda item, _c: self._go_to(item))
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        on_delete_key(self.list, self.delete_selected)
        self.empty = QLabel(self.tr("Nothing redacted in this interview."))
        self.empty.setStyleSheet("color: palette(dark); padding: 8px")
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.clicked.connect(self.undo_delete)

        actions = QHBoxLayout()
        actions.addWidget(self.redact_button)
        actions.addWidget(self.word_button)
        actions.addStretch(1)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.delete_button)
        list_buttons.addStretch(1)
        message_row = QHBoxLayout()
        message_row.addWidget(self.message, 1)
        message_row.addWidget(self.undo_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(intro)
        layout.addLayout(actions)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addLayout(list_buttons)
        layout.addLayout(message_row)

        editor.delegate.redacted_spans = self.spans_of
        install_context_menu(editor, self._context_menu)
        editor.segments_changed.connect(self._repaint_marks)
        self._say(None)
        self.reload()

    @property
    def undo_stack(self) -> QUndoStack:
        return self._editor.undo_stack

    def install_shortcuts(self, scope: QWidget) -> list[QShortcut]:
        shortcut = QShortcut(
            REDACT_KEYS, scope, context=Qt.ShortcutContext.WidgetWithChildrenShortcut
        )
        shortcut.activated.connect(lambda: self.redact_selection())
        return [shortcut]

    # -- reading -----------------------------------------------------------------------

    @property
    def redactions(self) -> list[Redaction]:
        return list(self._redactions)

    def reload(self) -> None:
        try:
            self._redactions = self._archive.redactions.list(self.interview_id)
            self._names = names_redacted_by_rule(self._archive, self.interview_id)
        except ArchiveError as exc:
            self._say(str(exc))
            return
        selected = self.selected_id()
        self.list.clear()
        for r in self._redactions:
            what, tip = self._describe(r)
            when = (r.created_at or "")[:10]
            by = " · ".join(x for x in (r.created_by, when) if x)
            item = QTreeWidgetItem([f"{what}\n{by}" if by else what, r.reason or ""])
            item.setData(0, REDACTION_ID_ROLE, r.id)
            item.setToolTip(0, f"{tip}\n{self.tr('By {who}').format(who=by)}" if by else tip)
            item.setToolTip(1, r.reason or "")
            self.list.addTopLevelItem(item)
            if r.id == selected:
                self.list.setCurrentItem(item)
        has = bool(self._redactions)
        self.list.setVisible(has)
        self.empty.setVisible(not has)
        self._repaint_marks()
        self._update_buttons()

    def _describe(self, r: Redaction) -> tuple[str, str]:
        if r.kind == "time":
            assert r.start is not None and r.end is not None
            text = self.tr("Time {range}").format(range=format_range(r.start, r.end))
            return text, self.tr("The audio and the words spoken from {range}").format(
                range=format_range(r.start, r.end)
            )
        segment = self._segment(r.segment_id) if r.segment_id is not None else None
        where = (
            self.tr("at {time}").format(time=format_time(segment.start))
            if segment is not None
            else self.tr("everywhere")
        )
        if r.kind == "text":
            return f"“{r.text}” {where}", self.tr("The word or name “{w}”, {where}").format(
                w=r.text, where=where
            )
        excerpt = ""
        if segment is not None and r.char_start is not None and r.char_end is not None:
            excerpt = segment.text[r.char_start : r.char_end]
        return f"“{excerpt}” {where}", self.tr("Characters {a}–{b} of the segment {where}").format(
            a=r.char_start, b=r.char_end, where=where
        )

    def _segment(self, segment_id: int) -> Segment | None:
        row = self._editor.model.row_of(segment_id)
        return self._editor.model.segment(row) if row is not None else None

    def selected_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(0, REDACTION_ID_ROLE) if item is not None else None

    def spans_of(self, segment: Segment) -> list[Span]:
        """The segment's redacted spans (for the transcript's marks)."""
        if not self._redactions and not self._names:
            return []
        return redacted_spans(segment, self._redactions, self._names)

    def _repaint_marks(self) -> None:
        self._editor.view.viewport().update()
        if self._player is not None:
            self._player.waveform.set_bands(time_ranges(self._redactions))

    def _update_buttons(self) -> None:
        self.delete_button.setEnabled(self.selected_id() is not None)

    def _go_to(self, item: QTreeWidgetItem) -> None:
        redaction = next(
            (r for r in self._redactions if r.id == item.data(0, REDACTION_ID_ROLE)), None
        )
        if redaction is None:
            return
        if redaction.start is not None:
            if self._player is not None:
                self._player.seek(redaction.start)
            at = [s for s in self._editor.model.segments() if s.start <= redaction.start + 0.01]
            if at:
                self._editor.select_segment(at[-1].id)
        elif redaction.segment_id is not None:
            self._editor.select_segment(redaction.segment_id)

    # -- adding ------------------------------------------------------------------------

    def _ask_reason(self, what: str) -> str | None:
        dialog = RedactDialog(what, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.reason.text()

    def redact_selection(self) -> Redaction | None:
        """Ctrl+Shift+X: the selected text, else the marks, else the selected segments."""
        try:
            selection = selected_text(self._editor)
        except UnsavedTypingError as exc:
            self._say(str(exc))
            return None
        if selection is not None:
            segment, start, end = selection
            return self.redact_span(segment, start, end)
        marks = self._marks()
        if marks is not None:
            return self.redact_range(*marks)
        rows = self._editor.view.selected_rows()
        if rows:
            segments = [self._editor.model.segment(r) for r in rows]
            return self.redact_range(
                min(s.start for s in segments), max(s.end for s in segments), segments=len(rows)
            )
        self._say(
            self.tr(
                "Select words in a segment (F2, then select), or mark in and out (I, O), "
                "then redact."
            )
        )
        return None

    def redact_span(self, segment: Segment, start: int, end: int) -> Redaction | None:
        words = segment.text[start:end]
        reason = self.ask(
            self.tr("Redact “{words}” in the segment at {time}.").format(
                words=words, time=format_time(segment.start)
            )
        )
        if reason is None:
            return None
        return self._add(
            lambda: self._archive.redactions.add_span(segment.id, start, end, reason=reason),
            self.tr("Redact text"),
        )

    def redact_range(
        self, start: float, end: float, *, segments: int | None = None
    ) -> Redaction | None:
        span = format_range(start, end)
        what = (
            self.tr("Redact {range} (the {n} selected segments): the audio and every word in it.")
            if segments and segments > 1
            else self.tr("Redact {range}: the audio and every word spoken in it.")
        ).format(range=span, n=segments)
        reason = self.ask(what)
        if reason is None:
            return None
        return self._add(
            lambda: self._archive.redactions.add_range(
                self.interview_id, start, end, reason=reason
            ),
            self.tr("Redact time"),
        )

    def redact_word(self, word: str, *, segment_id: int | None = None) -> Redaction | None:
        where = self.tr("everywhere in the interview") if segment_id is None else ""
        reason = self.ask(
            self.tr("Redact “{word}” {where} — with any ending added to it.").format(
                word=word, where=where
            )
        )
        if reason is None:
            return None
        return self._add(
            lambda: self._archive.redactions.add_text(
                self.interview_id, word, segment_id=segment_id, reason=reason
            ),
            self.tr("Redact word"),
        )

    def ask_word(self) -> Redaction | None:
        word, ok = QInputDialog.getText(
            self,
            self.tr("Redact a word"),
            self.tr("A word or name to hide everywhere in this interview:"),
        )
        if not ok or not word.strip():
            return None
        return self.redact_word(word.strip())

    def _context_menu(self, menu: QMenu, segment: Segment, word: str | None) -> None:
        if word:
            shown = word if len(word) <= 30 else word[:29] + "…"
            action = menu.addAction(
                self.tr("Redact “{word}” everywhere in the interview…").format(word=shown)
            )
            action.triggered.connect(lambda: self.redact_word(word))
        menu.addAction(
            self.tr("Redact the selection… (Ctrl+Shift+X)"), lambda: self.redact_selection()
        )

    def _add(self, make: Callable[[], Redaction], label: str) -> Redaction | None:
        try:
            redaction = make()
        except ArchiveError as exc:
            self._say(str(exc))
            return None
        command = _RedactionCommand(self._ctx, redaction, present_after=True, label=label)
        self.undo_stack.push(command)
        self._after(self.tr("Redacted. Ctrl+Z undoes it."))
        self._select(redaction.id)
        return redaction

    # -- deleting ----------------------------------------------------------------------

    def delete_selected(self) -> bool:
        redaction_id = self.selected_id()
        redaction = next((r for r in self._redactions if r.id == redaction_id), None)
        if redaction is None:
            return False
        try:
            self._archive.redactions.delete(redaction.id)
        except ArchiveError as exc:
            self._say(str(exc))
            return False
        command = _RedactionCommand(
            self._ctx, redaction, present_after=False, label=self.tr("Delete redaction")
        )
        self.undo_stack.push(command)
        self._after(self.tr("Redaction deleted: it no longer hides anything in exports."))
        self._last_delete = command
        self.undo_button.show()
        return True

    def undo_delete(self) -> bool:
        """Undo the last delete (if it is still the last step on the undo stack)."""
        command, self._last_delete = self._last_delete, None
        stack = self.undo_stack
        if command is None or stack.index() == 0 or stack.command(stack.index() - 1) is not command:
            self._say(None)
            return False
        stack.undo()
        self._select(command.redaction.id)
        self._say(self.tr("Redaction restored."), error=False)
        return True

    # -- after a change ------------------------------------------------------------------

    def _select(self, redaction_id: int) -> None:
        for i in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(i)
            if item.data(0, REDACTION_ID_ROLE) == redaction_id:
                self.list.setCurrentItem(item)
                return

    def _after(self, message: str | None) -> None:
        self._last_delete = None
        self.reload()
        self._say(message, error=False)
        self.changed.emit()

    def _failed(self, message: str) -> None:
        self.reload()
        self._say(self.tr("Could not undo or redo: {m}").format(m=message))

    def _say(self, message: str | None, *, error: bool = True) -> None:
        self.undo_button.hide()
        self.message.setVisible(bool(message))
        self.message.setText(message or "")
        self.message.setStyleSheet(f"color: {RED}" if error else "color: palette(dark)")
