"""Tagging in the interview view: clips from the transcript or the player, and the
interview's own themes.

A clip's range comes from the player's marks when both are set (I marks in, O marks
out, at the playhead), else from the segments selected in the transcript.  "Tag…"
(Ctrl+T) opens the quick theme picker (type to filter in any language, recent themes
first) with an optional title and note, then writes the clip through the archive API.
The interview's clips are listed below: a double-click seeks the player there, Delete
removes one (with Undo).  "Interview themes…" edits the themes of the whole
interview with the same picker.  A clip's context menu offers "Consent for this
clip…" (:class:`~desk.interview.consent_panel.ClipConsentDialog`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from archive import Archive, ArchiveError, Clip, Theme

from ..player.player import PlayerWidget
from ..themes.labels import theme_names, ui_language
from ..themes.picker import PickResult, ThemePicker
from ..themes.recent import RecentThemes
from ..themes.timecodes import format_range, format_time
from ..transcript.editor import TranscriptEditor
from ..transcript.fonts import transcript_font
from ..ui.keys import on_delete_key
from .consent_panel import ClipConsentDialog

CLIP_ID_ROLE = Qt.ItemDataRole.UserRole + 1
TAG_KEYS = QKeySequence("Ctrl+T")
MARK_IN_KEYS = QKeySequence(Qt.Key.Key_I)
MARK_OUT_KEYS = QKeySequence(Qt.Key.Key_O)
_CONTEXT = "TaggingShortcuts"
# (name, keys, description) for the shortcuts sheet; see :func:`describe`.
SHORTCUTS: list[tuple[str, QKeySequence, str]] = [
    ("mark_in", MARK_IN_KEYS, QT_TRANSLATE_NOOP(_CONTEXT, "Mark in at the playhead")),
    ("mark_out", MARK_OUT_KEYS, QT_TRANSLATE_NOOP(_CONTEXT, "Mark out at the playhead")),
    ("tag", TAG_KEYS, QT_TRANSLATE_NOOP(_CONTEXT, "Tag the marks or the selected segments")),
]


def describe(description: str) -> str:
    """A shortcut's description in the interface language."""
    return QCoreApplication.translate(_CONTEXT, description)


# Opens the picker and returns what was chosen (None: cancelled).  Replaceable so that
# another window can offer its own picker; the default is :class:`ThemePicker`.
PickerFn = Callable[..., PickResult | None]


class TaggingPanel(QWidget):
    changed = Signal()  # a clip or an interview theme was added, changed or removed

    def __init__(
        self,
        archive: Archive,
        interview_id: str,
        player: PlayerWidget,
        editor: TranscriptEditor,
        parent: QWidget | None = None,
        *,
        language: str | None = None,
        recent: RecentThemes | None = None,
    ) -> None:
        super().__init__(parent)
        self._archive = archive
        self.interview_id = interview_id
        self._player = player
        self._editor = editor
        self.language = language or ui_language()
        self.recent = recent or RecentThemes()
        self.pick: PickerFn = self._open_picker
        self.mark_in_at: float | None = None
        self.mark_out_at: float | None = None
        self._deleted: Clip | None = None  # the last clip deleted, for Undo
        self._picker: ThemePicker | None = None  # while one is open
        self._released = False

        heading = QLabel(self.tr("Themes and clips"))
        heading.setStyleSheet("font-weight: 600; font-size: 11pt")
        self.mark_in_button = QPushButton(self.tr("Mark in (I)"))
        self.mark_in_button.clicked.connect(lambda: self.mark_in())
        self.mark_out_button = QPushButton(self.tr("Mark out (O)"))
        self.mark_out_button.clicked.connect(lambda: self.mark_out())
        self.clear_marks_button = QPushButton(self.tr("Clear marks"))
        self.clear_marks_button.clicked.connect(self.clear_marks)
        self.marks_label = QLabel()
        self.range_label = QLabel()
        self.range_label.setWordWrap(True)
        self.range_label.setStyleSheet("color: palette(dark)")
        self.tag_button = QPushButton(self.tr("Tag… (Ctrl+T)"))
        self.tag_button.setToolTip(self.tr("Tag the marked range or the selected segments"))
        self.tag_button.clicked.connect(lambda: self.tag())

        self.interview_themes = QLabel()
        self.interview_themes.setWordWrap(True)
        self.interview_themes.setFont(transcript_font(self.font()))
        self.interview_themes_button = QPushButton(self.tr("Interview themes…"))
        self.interview_themes_button.clicked.connect(lambda: self.edit_interview_themes())

        self.clips = QTreeWidget()
        self.clips.setRootIsDecorated(False)
        self.clips.setAlternatingRowColors(True)
        self.clips.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.clips.setFont(transcript_font(self.font()))
        self.clips.setHeaderLabels([self.tr("Time"), self.tr("Themes"), self.tr("Note")])
        header = self.clips.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(1, 130)
        self.clips.itemDoubleClicked.connect(lambda item, _c: self._seek_to(item))
        self.clips.itemActivated.connect(lambda item, _c: self._seek_to(item))
        self.clips.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.clips.customContextMenuRequested.connect(self._clip_menu)
        on_delete_key(self.clips, self.delete_selected)
        self.clip_themes_button = QPushButton(self.tr("Clip themes…"))
        self.clip_themes_button.clicked.connect(lambda: self.edit_clip_themes())
        self.delete_button = QPushButton(self.tr("Delete clip"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.clicked.connect(self.undo_delete)

        marks = QHBoxLayout()
        marks.addWidget(self.mark_in_button)
        marks.addWidget(self.mark_out_button)
        marks.addWidget(self.clear_marks_button)
        marks.addStretch(1)
        tag_row = QHBoxLayout()
        tag_row.addWidget(self.marks_label, 1)
        tag_row.addWidget(self.tag_button)
        themes_row = QHBoxLayout()
        themes_row.addWidget(self.interview_themes, 1)
        themes_row.addWidget(self.interview_themes_button, 0, Qt.AlignmentFlag.AlignTop)
        clip_buttons = QHBoxLayout()
        clip_buttons.addWidget(self.clip_themes_button)
        clip_buttons.addWidget(self.delete_button)
        clip_buttons.addStretch(1)
        message_row = QHBoxLayout()
        message_row.addWidget(self.message, 1)
        message_row.addWidget(self.undo_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(heading)
        layout.addLayout(themes_row)
        layout.addLayout(marks)
        layout.addLayout(tag_row)
        layout.addWidget(self.range_label)
        layout.addWidget(self.clips, 1)
        layout.addLayout(clip_buttons)
        layout.addLayout(message_row)

        editor.view.selectionModel().selectionChanged.connect(lambda *_: self._show_range())
        editor.view.selectionModel().currentChanged.connect(lambda *_: self._show_range())
        editor.segments_changed.connect(self._show_range)
        self._say(None)
        self.reload()

    def install_shortcuts(self, scope: QWidget) -> list[QShortcut]:
        """I, O and Ctrl+T anywhere in ``scope`` (the interview view).  A text field
        with the focus keeps its letters: Qt gives typed text priority over these."""
        made = []
        for keys, slot in (
            (MARK_IN_KEYS, lambda: self.mark_in()),
            (MARK_OUT_KEYS, lambda: self.mark_out()),
            (TAG_KEYS, lambda: self.tag()),
        ):
            shortcut = QShortcut(keys, scope, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            made.append(shortcut)
        return made

    # -- reading ---------------------------------------------------------------------

    def _themes(self) -> dict[int, Theme]:
        return {t.id: t for t in self._archive.themes.list()}

    def reload(self) -> None:
        """Show the interview's themes and clips as the archive has them."""
        try:
            themes = self._themes()
            own = self._archive.themes.for_interview(self.interview_id)
            clips = self._archive.clips.for_interview(self.interview_id)
        except ArchiveError as exc:
            self._say(str(exc))
            return
        self.interview_themes.setText(
            self.tr("Interview: {themes}").format(themes=theme_names(own, self.language))
            if own
            else self.tr("No themes for the whole interview yet.")
        )
        selected = self.selected_clip_id()
        self.clips.clear()
        for clip in clips:
            names = theme_names([themes[i] for i in clip.theme_ids if i in themes], self.language)
            note = " — ".join(x for x in (clip.title, clip.note) if x)
            item = QTreeWidgetItem([format_range(clip.start, clip.end), names, note])
            item.setData(0, CLIP_ID_ROLE, clip.id)
            item.setToolTip(1, names)
            item.setToolTip(2, note)
            self.clips.addTopLevelItem(item)
            if clip.id == selected:
                self.clips.setCurrentItem(item)
        self._show_range()

    def clip_ids(self) -> list[int]:
        return [
            self.clips.topLevelItem(i).data(0, CLIP_ID_ROLE)
            for i in range(self.clips.topLevelItemCount())
        ]

    def selected_clip_id(self) -> int | None:
        item = self.clips.currentItem()
        return item.data(0, CLIP_ID_ROLE) if item is not None else None

    # -- the range -------------------------------------------------------------------

    def mark_in(self, seconds: float | None = None) -> None:
        self.mark_in_at = self._player.position if seconds is None else seconds
        self._show_range()

    def mark_out(self, seconds: float | None = None) -> None:
        self.mark_out_at = self._player.position if seconds is None else seconds
        self._show_range()

    def clear_marks(self) -> None:
        self.mark_in_at = self.mark_out_at = None
        self._show_range()

    def pending_range(self) -> tuple[float, float] | None:
        """What "Tag…" would tag: the marks when both are set, else the selection."""
        if self.mark_in_at is not None and self.mark_out_at is not None:
            low, high = sorted((self.mark_in_at, self.mark_out_at))
            return (low, high)
        rows = self._editor.view.selected_rows()
        if not rows:
            return None
        segments = [self._editor.model.segment(r) for r in rows]
        return (min(s.start for s in segments), max(s.end for s in segments))

    def _show_range(self) -> None:
        marks = []
        if self.mark_in_at is not None:
            marks.append(self.tr("In {time}").format(time=format_time(self.mark_in_at)))
        if self.mark_out_at is not None:
            marks.append(self.tr("Out {time}").format(time=format_time(self.mark_out_at)))
        self.marks_label.setText(" · ".join(marks) or self.tr("No marks"))
        self.clear_marks_button.setEnabled(bool(marks))
        span = self.pending_range()
        if span is None:
            self.range_label.setText(self.tr("Select segments, or mark in and out, to tag."))
        elif self.mark_in_at is not None and self.mark_out_at is not None:
            text = self.tr("Tag will use the marks: {range}")
            self.range_label.setText(text.format(range=format_range(*span)))
        else:
            text = self.tr("Tag will use the selected segments: {range}")
            self.range_label.setText(text.format(range=format_range(*span)))
        self.tag_button.setEnabled(span is not None)

    # -- tagging ---------------------------------------------------------------------

    def _open_picker(
        self, *, with_note: bool, checked: Collection[int] = (), heading: str | None = None
    ) -> PickResult | None:
        picker = ThemePicker(
            self._archive.themes.tree(),
            language=self.language,
            recent=self.recent.keys(),
            with_note=with_note,
            checked=checked,
            checked_only=not with_note,
            heading=heading,
            parent=self,
        )
        self._picker = picker
        try:
            accepted = picker.exec() == QDialog.DialogCode.Accepted
        finally:
            self._picker = None
        if not accepted or self._released:
            return None
        return picker.result_value()

    def release(self) -> None:
        """The view is going (on lock): close an open picker as cancelled."""
        self._released = True
        if self._picker is not None:
            self._picker.reject()

    def tag(self) -> Clip | None:
        """Make a clip of the pending range with the themes chosen in the picker."""
        span = self.pending_range()
        if span is None:
            self._say(self.tr("Select segments, or mark in and out, to tag."))
            return None
        start, end = span
        chosen = self.pick(
            with_note=True,
            heading=self.tr("Tag {range} with…").format(range=format_range(start, end)),
        )
        if chosen is None or not chosen.themes:
            return None
        try:
            clip = self._archive.clips.create(
                self.interview_id,
                start,
                end,
                themes=[t.id for t in chosen.themes],
                note=chosen.note,
                title=chosen.title,
            )
        except ArchiveError as exc:
            self._say(str(exc))
            return None
        self.recent.add(chosen.themes)
        self.clear_marks()
        self._after_change(self.tr("Clip {range} tagged.").format(range=format_range(start, end)))
        self._select_clip(clip.id)
        return clip

    def edit_interview_themes(self) -> list[Theme] | None:
        """Choose the whole interview's themes (ticked: those it has)."""
        try:
            own = self._archive.themes.for_interview(self.interview_id)
        except ArchiveError as exc:
            self._say(str(exc))
            return None
        chosen = self.pick(
            with_note=False,
            checked=[t.id for t in own],
            heading=self.tr("Themes of the whole interview"),
        )
        if chosen is None:
            return None
        return self.set_interview_themes(chosen.themes, own)

    def set_interview_themes(
        self, themes: Collection[Theme], current: Collection[Theme] | None = None
    ) -> list[Theme] | None:
        store = self._archive.themes
        try:
            before = {t.id for t in (current or store.for_interview(self.interview_id))}
            after = {t.id for t in themes}
            if after - before:
                store.add_to_interview(self.interview_id, sorted(after - before))
            if before - after:
                store.remove_from_interview(self.interview_id, sorted(before - after))
            result = store.for_interview(self.interview_id)
        except ArchiveError as exc:
            self._say(str(exc))
            return None
        self.recent.add([t for t in themes if t.id not in before])
        self._after_change(None)
        return result

    def edit_clip_themes(self) -> Clip | None:
        clip_id = self.selected_clip_id()
        if clip_id is None:
            return None
        try:
            clip = self._archive.clips.get(clip_id)
        except ArchiveError as exc:
            self._say(str(exc))
            return None
        chosen = self.pick(
            with_note=False,
            checked=clip.theme_ids,
            heading=self.tr("Themes of the clip {range}").format(
                range=format_range(clip.start, clip.end)
            ),
        )
        if chosen is None:
            return None
        try:
            clip = self._archive.clips.set_themes(clip_id, [t.id for t in chosen.themes])
        except ArchiveError as exc:
            self._say(str(exc))
            return None
        self.recent.add(chosen.themes)
        self._after_change(None)
        return clip

    # -- the list of clips -------------------------------------------------------------

    def _select_clip(self, clip_id: int) -> None:
        for i in range(self.clips.topLevelItemCount()):
            item = self.clips.topLevelItem(i)
            if item.data(0, CLIP_ID_ROLE) == clip_id:
                self.clips.setCurrentItem(item)
                return

    def _clip_menu(self, pos: QPoint) -> None:
        item = self.clips.itemAt(pos)
        if item is None:
            return
        self.clips.setCurrentItem(item)
        menu = QMenu(self.clips)
        menu.addAction(self.tr("Consent for this clip…"), lambda: self.edit_clip_consent())
        menu.addAction(self.tr("Clip themes…"), lambda: self.edit_clip_themes())
        menu.addAction(self.tr("Delete clip"), self.delete_selected)
        menu.exec(self.clips.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def edit_clip_consent(self) -> bool:
        """Override consent for the selected clip (level, publication, name shown)."""
        clip_id = self.selected_clip_id()
        if clip_id is None:
            return False
        try:
            dialog = ClipConsentDialog(self._archive, clip_id, self)
        except ArchiveError as exc:
            self._say(str(exc))
            return False
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self._after_change(self.tr("Consent for the clip saved."))
        return True

    def _seek_to(self, item: QTreeWidgetItem) -> None:
        try:
            clip = self._archive.clips.get(item.data(0, CLIP_ID_ROLE))
        except ArchiveError as exc:
            self._say(str(exc))
            return
        self._player.seek(clip.start)

    def delete_selected(self) -> bool:
        """Delete the selected clip at once; Undo (beside the message) brings it back."""
        clip_id = self.selected_clip_id()
        if clip_id is None:
            return False
        try:
            clip = self._archive.clips.get(clip_id)
            self._archive.clips.delete(clip_id)
        except ArchiveError as exc:
            self._say(str(exc))
            return False
        self._after_change(
            self.tr("Clip {range} deleted.").format(range=format_range(clip.start, clip.end))
        )
        self._deleted = clip
        self.undo_button.show()
        return True

    def undo_delete(self) -> Clip | None:
        """Make the last deleted clip again (same range, kind, themes, title, note, place)."""
        clip, self._deleted = self._deleted, None
        if clip is None:
            return None
        try:
            again = self._archive.clips.create(
                clip.interview_id,
                clip.start,
                clip.end,
                themes=clip.theme_ids,
                note=clip.note,
                title=clip.title,
                kind=clip.kind,
            )
            if clip.place_id:
                self._archive.places.link_clip(again.id, clip.place_id)
        except ArchiveError as exc:
            self._say(str(exc))
            return None
        self._after_change(self.tr("Clip restored."))
        self._select_clip(again.id)
        return again

    # -- messages ----------------------------------------------------------------------

    def _after_change(self, message: str | None) -> None:
        self._deleted = None
        self.reload()
        self._say(message, error=False)
        self.changed.emit()

    def _say(self, message: str | None, *, error: bool = True) -> None:
        self.undo_button.hide()
        self.message.setVisible(bool(message))
        self.message.setText(message or "")
        self.message.setStyleSheet("color: #b3261e" if error else "color: palette(dark)")
