"""The transcript's undoable changes, each one step on the editor's QUndoStack.

Every command makes its change once through the archive API (:meth:`perform`, called
before it is pushed, so a refused change never reaches the stack), keeping exact
copies of the rows before and after.  Undo and redo then put those copies back with
``SegmentStore.restore``: ids and every field return exactly, however often one goes
back and forth.  The model receives only the rows that changed.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from archive import ArchiveError, Segment
from archive.segments import SegmentStore

from .model import SegmentModel

# What a failed write can raise; the message is shown to the user as it is.
WRITE_ERRORS = (ArchiveError, sqlite3.Error, OSError)


def _tr(text: str) -> str:
    return QCoreApplication.translate("TranscriptCommands", text)


@dataclass
class Context:
    """What every command works with."""

    store: SegmentStore
    model: SegmentModel
    interview_id: str
    on_failure: Callable[[str], None]  # an undo or redo could not be written


class SegmentCommand(QUndoCommand):
    def __init__(self, ctx: Context, label: str) -> None:
        super().__init__(label)
        self._ctx = ctx
        self._before: list[Segment] = []
        self._after: list[Segment] = []
        self._pushed = False
        self.changed = False  # after perform(): whether there is anything to undo

    def perform(self) -> bool:
        """Make the change in the archive; False if nothing changed.  Raises on failure."""
        self._before, self._after = self._change()
        self.changed = self._before != self._after
        return self.changed

    def _change(self) -> tuple[list[Segment], list[Segment]]:
        """Do it through the API; return the affected rows before and after."""
        raise NotImplementedError

    def redo(self) -> None:
        if not self._pushed:  # the push right after perform(): the archive has it already
            self._pushed = True
            self._ctx.model.apply([s.id for s in self._before], self._after)
            return
        self._swap(self._before, self._after)

    def undo(self) -> None:
        self._swap(self._after, self._before)

    def _swap(self, old: Sequence[Segment], new: Sequence[Segment]) -> None:
        try:
            self._ctx.store.restore([s.id for s in old], new)
        except WRITE_ERRORS as exc:
            self._ctx.on_failure(str(exc))
            return
        self._ctx.model.apply([s.id for s in old], new)


def _changed_between(
    before: Sequence[Segment], after: Sequence[Segment]
) -> tuple[list[Segment], list[Segment]]:
    """The rows that differ between two listings of an interview."""
    old = {s.id: s for s in before}
    new = {s.id: s for s in after}
    return [s for s in before if new.get(s.id) != s], [s for s in after if old.get(s.id) != s]


class EditText(SegmentCommand):
    def __init__(self, ctx: Context, segment_id: int, text: str, label: str | None = None):
        super().__init__(ctx, label or _tr("Edit text"))
        self._id, self._text = segment_id, text

    def _change(self) -> tuple[list[Segment], list[Segment]]:
        store = self._ctx.store
        before = store.snapshot([self._id])
        return before, [store.set_text(self._id, self._text)]


class SetSpeaker(SegmentCommand):
    """One speaker for several segments, as one step."""

    def __init__(self, ctx: Context, segment_ids: Sequence[int], speaker: str | None):
        super().__init__(ctx, _tr("Set speaker"))
        self._ids, self._speaker = list(segment_ids), speaker

    def _change(self) -> tuple[list[Segment], list[Segment]]:
        store = self._ctx.store
        before = store.snapshot(self._ids)
        try:
            after = [store.set_speaker(i, self._speaker) for i in self._ids]
        except WRITE_ERRORS:
            with contextlib.suppress(*WRITE_ERRORS):
                store.restore(self._ids, before)  # one step: all of them or none
            raise
        return before, after


class RenameSpeaker(SegmentCommand):
    def __init__(self, ctx: Context, old: str, new: str):
        super().__init__(ctx, _tr("Rename speaker"))
        self._old, self._new = old, new

    def _change(self) -> tuple[list[Segment], list[Segment]]:
        store, interview_id = self._ctx.store, self._ctx.interview_id
        before = store.list(interview_id)
        store.rename_speaker(interview_id, self._old, self._new)
        return _changed_between(before, store.list(interview_id))


class Split(SegmentCommand):
    def __init__(self, ctx: Context, segment_id: int, char_offset: int):
        super().__init__(ctx, _tr("Split segment"))
        self._id, self._offset = segment_id, char_offset

    def _change(self) -> tuple[list[Segment], list[Segment]]:
        store = self._ctx.store
        before = store.snapshot([self._id])
        return before, list(store.split(self._id, self._offset))


class Merge(SegmentCommand):
    def __init__(self, ctx: Context, first_id: int, second_id: int):
        super().__init__(ctx, _tr("Merge segments"))
        self._ids = (first_id, second_id)

    def _change(self) -> tuple[list[Segment], list[Segment]]:
        store = self._ctx.store
        before = store.snapshot(self._ids)
        return before, [store.merge(*self._ids)]


class ReplaceAll(SegmentCommand):
    def __init__(
        self, ctx: Context, find: str, replace: str, *, case_sensitive: bool, whole_word: bool
    ):
        super().__init__(ctx, _tr("Replace all"))
        self._args = (find, replace)
        self._options = {"case_sensitive": case_sensitive, "whole_word": whole_word}

    def _change(self) -> tuple[list[Segment], list[Segment]]:
        store, interview_id = self._ctx.store, self._ctx.interview_id
        before = store.list(interview_id)
        changed = store.replace_text(interview_id, *self._args, **self._options)
        wanted = set(changed)
        return [s for s in before if s.id in wanted], store.snapshot(changed)
