"""The transcript editor: one interview's segments, corrected against the audio.

It plays nothing itself.  It asks the player (built elsewhere) to seek, play, pause
and skip through its signals, and is told where the playhead is with
:meth:`TranscriptEditor.set_playhead`.  Every change is written through the archive
API the moment it is committed (there is no Save) and is one step on
:attr:`TranscriptEditor.undo_stack`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from archive import Archive, Segment

from .commands import (
    WRITE_ERRORS,
    Context,
    EditText,
    Merge,
    RenameSpeaker,
    ReplaceAll,
    SegmentCommand,
    SetSpeaker,
    Split,
)
from .delegate import TranscriptDelegate
from .find_replace import FindReplaceBar, FindState
from .follow import FollowGate
from .fonts import transcript_font
from .model import Column, SegmentModel
from .shortcuts import LIST_ONLY, PLAYER_KEYS, SHORTCUTS, SKIP_SECONDS, describe
from .speakers import SpeakerBar
from .textpos import from_qt
from .view import TranscriptView

EDITOR_SHORTCUTS = SHORTCUTS  # for the shortcuts sheet: (name, keys, description)


class TranscriptEditor(QWidget):
    seek_requested = Signal(float)  # seconds: the start of a segment
    play_requested = Signal()  # after a seek: play from there
    toggle_play_requested = Signal()
    skip_requested = Signal(float)  # seconds, negative to go back
    segments_changed = Signal()  # after any edit, undo, redo or reload
    error_occurred = Signal(str)  # also shown in the editor, in plain words

    def __init__(
        self,
        archive: Archive,
        interview_id: str,
        parent: QWidget | None = None,
        *,
        player_keys: bool = True,
    ):
        """``player_keys=False`` leaves play/pause and skip keys to the window (see
        :data:`~desk.transcript.shortcuts.PLAYER_KEYS`); the signals stay."""
        super().__init__(parent)
        self._archive = archive
        self._interview_id = interview_id
        self._gate = FollowGate()
        self._followed_id: int | None = None
        self.undo_stack = QUndoStack(self)

        self.model = SegmentModel(self)
        self.model.edit_handler = self._edit_from_view
        find_state = FindState()
        self.view = TranscriptView(self)
        self.view.setFont(transcript_font(self.font()))
        self.delegate = TranscriptDelegate(find_state, self._speakers, self.view)
        self.view.setItemDelegate(self.delegate)
        self.view.setModel(self.model)
        self.speaker_bar = SpeakerBar(self)
        self.find_bar = FindReplaceBar(self.model, find_state, self)
        self.split_action = QAction(self.tr("Split"), self)
        self.merge_action = QAction(self.tr("Merge"), self)
        self.message = QLabel(wordWrap=True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setStyleSheet("QLabel { color: #b3261e; padding: 2px 4px; }")
        self.message.hide()
        self._ctx = Context(archive.segments, self.model, interview_id, self._undo_failed)

        # A tool bar: its buttons never take the focus from the text being typed, and
        # what does not fit in a narrow window goes into its overflow menu.
        self.toolbar = QToolBar(self)
        self.toolbar.addAction(self.split_action)
        self.toolbar.addAction(self.merge_action)
        self.toolbar.addSeparator()
        self.toolbar.addWidget(self.speaker_bar)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)

        self._connect()
        self.shortcuts = self._bind_shortcuts(player_keys)
        self.reload()

    # -- wiring --------------------------------------------------------------

    def _connect(self) -> None:
        view, bar = self.view, self.find_bar
        view.timecode_clicked.connect(self._seek_row)
        view.row_double_clicked.connect(self._seek_row)
        view.keypad_enter.connect(self.play_from_current)
        view.user_scrolled.connect(self._gate.user_active)
        self.delegate.typing.connect(self._gate.user_active)
        self.delegate.closeEditor.connect(lambda *_: self._gate.user_active())
        self.split_action.triggered.connect(self.split_at_cursor)
        self.merge_action.triggered.connect(self.merge_with_next)
        self.speaker_bar.assign_requested.connect(self._assign_from_bar)
        self.speaker_bar.rename_requested.connect(self.rename_speaker)
        bar.match_selected.connect(self._show_segment)
        bar.replace_requested.connect(self.replace_one)
        bar.replace_all_requested.connect(self.replace_all)
        bar.highlights_changed.connect(view.viewport().update)
        bar.closed.connect(view.setFocus)
        self.undo_stack.indexChanged.connect(self._after_change)

    def _bind_shortcuts(self, player_keys: bool) -> dict[str, QShortcut]:
        actions: dict[str, Callable[[], object]] = {
            "play_from_segment": self.play_from_current,
            "toggle_play": self.toggle_play_requested.emit,
            "toggle_play_escape": self.toggle_play_requested.emit,
            "rewind": lambda: self.skip_requested.emit(-SKIP_SECONDS),
            "forward": lambda: self.skip_requested.emit(SKIP_SECONDS),
            "edit_text": self.edit_current_text,
            "split": self.split_at_cursor,
            "merge": self.merge_with_next,
            "speaker": self.speaker_bar.focus_name,
            "find": self.find_bar.open_find,
            "replace": self.find_bar.open_replace,
            "find_next": self.find_bar.find_next,
            "find_previous": self.find_bar.find_previous,
        }
        bound: dict[str, QShortcut] = {}
        for shortcut in SHORTCUTS:
            if shortcut.name in PLAYER_KEYS and not player_keys:
                continue
            if shortcut.name in LIST_ONLY:  # while typing, these keys belong to the text
                owner, context = self.view, Qt.ShortcutContext.WidgetShortcut
            else:
                owner, context = self, Qt.ShortcutContext.WidgetWithChildrenShortcut
            key = QShortcut(shortcut.keys, owner, context=context)
            key.activated.connect(actions[shortcut.name])
            bound[shortcut.name] = key
        for action, name in ((self.split_action, "split"), (self.merge_action, "merge")):
            shortcut = next(s for s in SHORTCUTS if s.name == name)
            keys = shortcut.keys.toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{describe(shortcut)} ({keys})")
        return bound

    # -- reading -------------------------------------------------------------

    @property
    def interview_id(self) -> str:
        return self._interview_id

    def reload(self) -> None:
        """Read the segments again (after transcription added some, for instance).

        Only the rows that differ change, so the view keeps its place.
        """
        try:
            fresh = self._archive.segments.list(self._interview_id)
        except WRITE_ERRORS as exc:
            self._show_error(str(exc))
            return
        if self.model.rowCount() == 0:
            self.model.load(fresh)
        else:
            known = {s.id: s for s in self.model.segments()}
            present = {s.id for s in fresh}
            self.model.apply(
                [i for i in known if i not in present],
                [s for s in fresh if known.get(s.id) != s],
            )
        self._after_change()

    def _speakers(self) -> list[str]:
        try:
            return self._archive.segments.speakers(self._interview_id)
        except WRITE_ERRORS:
            return []

    def _after_change(self) -> None:
        self.speaker_bar.set_speakers(self._speakers())
        self.segments_changed.emit()

    def current_segment(self) -> Segment | None:
        row = self.view.current_row()
        return None if row is None else self.model.segment(row)

    def select_segment(self, segment_id: int) -> None:
        row = self.model.row_of(segment_id)
        if row is not None:
            self.view.go_to_row(row)

    def _show_segment(self, segment_id: int) -> None:
        self._gate.user_active()
        self.select_segment(segment_id)

    # -- the player ----------------------------------------------------------

    def set_playhead(self, seconds: float) -> None:
        """Highlight the segment under the playhead and keep it in view.

        Called about ten times a second: a bisection, and work only when the segment
        changes.  It does not scroll while someone types or has just scrolled.
        """
        row = self.model.set_playhead(seconds)
        if row is None:
            return
        segment_id = self.model.segment(row).id
        if segment_id == self._followed_id:
            return
        if self._gate.may_follow(editing=self.view.is_editing()):
            index = self.model.index(row, Column.TEXT)
            self.view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
            self._followed_id = segment_id

    def _seek_row(self, row: int) -> None:
        self.seek_requested.emit(self.model.segment(row).start)

    def activate_row(self, row: int) -> None:
        """Select a row and send the player to its start, as a click on its time does."""
        self.view.go_to_row(row)
        self._seek_row(row)

    def play_from_current(self) -> None:
        row = self.view.current_row()
        if row is not None:
            self._seek_row(row)
            self.play_requested.emit()

    # -- editing -------------------------------------------------------------

    def edit_current_text(self) -> None:
        row = self.view.current_row()
        if row is None and self.model.rowCount():
            row = 0
        if row is not None:
            self.view.edit_text(row)

    def _edit_from_view(self, seg: Segment, column: Column, value: str) -> bool:
        """An edit committed in a cell (the model's setData lands here)."""
        if column == Column.TEXT:
            return value == seg.text or self._run(EditText(self._ctx, seg.id, value))
        if value == (seg.speaker or ""):
            return True
        return self._run(SetSpeaker(self._ctx, [seg.id], value))

    def edit_text(self, row: int, text: str) -> bool:
        """Correct a row's text, as typing it in the cell would (one undo step)."""
        return self.model.setData(self.model.index(row, Column.TEXT), text)

    def set_speaker_rows(self, rows: list[int], name: str) -> None:
        """Give these rows one speaker (one undo step); "" clears it."""
        self.assign_speaker(name, [self.model.segment(r).id for r in rows])

    def assign_speaker(self, name: str, segment_ids: list[int] | None = None) -> None:
        """Give the selected segments (or those given) one speaker; "" clears it."""
        ids = segment_ids or [self.model.segment(r).id for r in self.view.selected_rows()]
        if not ids:
            self._show_error(self.tr("Select the segments whose speaker this is."))
            return
        self._run(SetSpeaker(self._ctx, ids, name))

    def _assign_from_bar(self, name: str) -> None:
        self.assign_speaker(name)
        self.view.setFocus()  # back to the segments, for the next key

    def rename_speaker(self, old: str, new: str) -> None:
        self._run(RenameSpeaker(self._ctx, old, new))

    def replace_one(self, segment_id: int, start: int, end: int, replacement: str) -> None:
        row = self.model.row_of(segment_id)
        if row is None:
            return
        text = self.model.segment(row).text
        new_text = text[:start] + replacement + text[end:]
        self._run(EditText(self._ctx, segment_id, new_text, label=self.tr("Replace")))

    def replace_all(self, find: str, replace: str, case_sensitive: bool, whole_word: bool) -> None:
        self._run(
            ReplaceAll(
                self._ctx, find, replace, case_sensitive=case_sensitive, whole_word=whole_word
            )
        )

    def split_at_cursor(self) -> None:
        """Split the segment being typed in where the text cursor is."""
        open_editor = self.delegate.text_editor()
        if open_editor is None:
            self._show_error(
                self.tr(
                    "Put the text cursor where the segment should be split: "
                    "double-click the text, or press F2."
                )
            )
            return
        editor, index = open_editor
        typed = editor.toPlainText()
        at = from_qt(typed, editor.textCursor().position())
        # Where the cursor falls in the text as saved (NFC, without leading spaces).
        offset = len(unicodedata.normalize("NFC", typed[:at]).lstrip())
        split = Split(self._ctx, self.model.segment(index.row()).id, offset)
        self._save_typing_then(self.tr("Split segment"), split)

    def merge_with_next(self) -> None:
        open_editor = self.delegate.text_editor()
        row = open_editor[1].row() if open_editor else self.view.current_row()
        if row is None or row + 1 >= self.model.rowCount():
            self._show_error(self.tr("There is no next segment to merge with."))
            return
        first, second = self.model.segment(row).id, self.model.segment(row + 1).id
        self._save_typing_then(self.tr("Merge segments"), Merge(self._ctx, first, second))

    def _save_typing_then(self, label: str, command: SegmentCommand) -> None:
        """Save what is being typed, then make a change; both are one undo step.

        If the change is refused the typing is still saved and the editor stays open.
        """
        typing: SegmentCommand | None = None
        open_editor = self.delegate.text_editor()
        if open_editor is not None:
            editor, index = open_editor
            seg = self.model.segment(index.row())
            if editor.toPlainText() != seg.text:
                typing = EditText(self._ctx, seg.id, editor.toPlainText())
                if not self._perform(typing):
                    return
        done = self._perform(command)
        if done:
            self.delegate.close_without_saving()
        steps = [c for c in (typing, command if done else None) if c is not None and c.changed]
        if len(steps) > 1:
            self.undo_stack.beginMacro(label)
        for step in steps:
            self.undo_stack.push(step)
        if len(steps) > 1:
            self.undo_stack.endMacro()
        if done:
            row = self.view.current_row()
            self.view.setFocus()
            if row is not None:
                self.view.go_to_row(row)

    def _perform(self, command: SegmentCommand) -> bool:
        """Make the change in the archive; on failure say why, and change nothing."""
        try:
            command.perform()
        except WRITE_ERRORS as exc:
            self._show_error(str(exc))
            return False
        self.message.hide()
        return True

    def _run(self, command: SegmentCommand) -> bool:
        if not self._perform(command):
            return False
        if command.changed:
            self.undo_stack.push(command)
        return True

    def _undo_failed(self, message: str) -> None:
        """An undo or redo could not be written: show the archive as it is, start afresh."""
        self.reload()
        self._show_error(self.tr("Could not undo or redo: %1").replace("%1", message))
        QTimer.singleShot(0, self.undo_stack.clear)

    def _show_error(self, message: str) -> None:
        self.message.setText(message)
        self.message.show()
        self.error_occurred.emit(message)
