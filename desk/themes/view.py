"""The Themes view: the vocabulary as a tree with counts, edited in place, and the
clips of the selected theme.

Rename with F2 (or a slow second click); add a theme or a sub-theme; delete (asks
when clips or interviews use it, showing how many); drag a theme onto another to
merge it into that one or move it under it (the view asks which), between two themes
to move it there, or onto empty space to move it to the top level.  Every change goes
through the archive API and the tree is rebuilt from the archive.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from archive import ArchiveError, Theme, ThemeInUseError

from ..session import Session
from ..transcript.fonts import transcript_font
from ..ui.keys import on_delete_key
from .clips_panel import ClipRow, ThemeClipsPanel
from .labels import english_plural, shown_language, theme_names, ui_language
from .model import ThemeTreeModel
from .prompts import DropChoice, ThemePrompts


class ThemesView(QWidget):
    open_requested = Signal(str, float)  # interview id, seconds
    changed = Signal()  # the vocabulary or its counts changed

    def __init__(
        self, session: Session, parent: QWidget | None = None, *, language: str | None = None
    ) -> None:
        """``language``: whose labels to show (default: the interface language)."""
        super().__init__(parent)
        self._session = session
        self.language = language or ui_language()
        self.prompts = ThemePrompts(self)

        self.model = ThemeTreeModel(self)
        self.model.rename_handler = self.rename_theme
        # Not while the drag is still running: the questions are modal.
        self.model.drop_handler = lambda s, t, r: QTimer.singleShot(
            0, self, partial(self.handle_drop, s, t, r)
        )
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setFont(transcript_font(self.font()))
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setDropIndicatorShown(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.selectionModel().currentRowChanged.connect(self._current_changed)
        on_delete_key(self.tree, self.delete_selected)

        self.new_button = QPushButton(self.tr("New theme…"))
        self.new_button.clicked.connect(lambda: self.add_theme(None))
        self.sub_button = QPushButton(self.tr("New sub-theme…"))
        self.sub_button.clicked.connect(self._add_subtheme)
        self.rename_button = QPushButton(self.tr("Rename"))
        self.rename_button.setToolTip(self.tr("Rename the theme (F2)"))
        self.rename_button.clicked.connect(self._edit_current)
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e")
        self.message.hide()
        hint = QLabel(
            self.tr(
                "Drag a theme onto another to merge or move it; onto empty space to "
                "move it to the top."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(dark)")

        self.clips = ThemeClipsPanel()
        self.clips.open_requested.connect(self.open_requested)

        buttons = QHBoxLayout()
        for button in (self.new_button, self.sub_button, self.rename_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(buttons)
        column.addWidget(self.tree, 1)
        column.addWidget(self.message)
        column.addWidget(hint)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.clips)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([520, 560])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)

        session.opened.connect(self._on_opened)
        session.locked.connect(self.clear)
        if session.is_open:
            self._on_opened()
        self._update_buttons()

    # -- session -----------------------------------------------------------------------

    def _on_opened(self) -> None:
        self.clips.attach(self._session.archive)
        self.refresh()

    def clear(self) -> None:
        """On lock: no theme, clip or title of the archive stays on screen."""
        self.prompts.dismiss()
        self.clips.detach()
        self.clips.clear()
        self.model.clear_themes()
        self._hide_message()
        self._update_buttons()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._session.is_open:
            self.refresh()  # counts change as clips are tagged elsewhere

    # -- reading -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Rebuild the tree from the archive, keeping the selected theme."""
        if not self._session.is_open:
            return
        selected = self.selected_theme()
        expanded = self._expanded_ids()
        try:
            nodes = self._session.archive.themes.tree()
        except ArchiveError as exc:
            self._show_message(str(exc))
            return
        self.model.load(nodes, self.language)
        for theme_id in expanded:
            self.tree.setExpanded(self.model.index_of(theme_id), True)
        if selected is not None and self.model.index_of(selected.id).isValid():
            self.select_theme(selected.id)
        else:
            self._current_changed(self.tree.currentIndex())
        self._update_buttons()

    def _expanded_ids(self) -> list[int]:
        out = []
        for theme_id in self.model.theme_ids():
            if self.tree.isExpanded(self.model.index_of(theme_id)):
                out.append(theme_id)
        return out

    def selected_theme(self) -> Theme | None:
        return self.model.theme_at(self.tree.currentIndex())

    def select_theme(self, theme_id: int) -> None:
        index = self.model.index_of(theme_id)
        if not index.isValid():
            return
        self.tree.setCurrentIndex(index)
        self.tree.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.tree.scrollTo(index)
        self._current_changed(index)

    def label(self, theme: Theme) -> str:
        return theme.label(self.language)

    def _current_changed(self, index: QModelIndex, _previous: QModelIndex | None = None) -> None:
        self._update_buttons()
        theme = self.model.theme_at(index)
        if theme is None or not self._session.is_open:
            self.clips.clear()
            return
        archive = self._session.archive
        try:
            clips = archive.clips.for_theme(theme.id)
            titles: dict[str, str] = {}
            for clip in clips:
                if clip.interview_id not in titles:
                    title = archive.interviews.get(clip.interview_id).title
                    titles[clip.interview_id] = title or self.tr("Untitled interview")
            themes = {t.id: t for t in archive.themes.list()}
        except ArchiveError as exc:
            self._show_message(str(exc))
            return
        rows = [
            ClipRow(
                clip,
                titles[clip.interview_id],
                theme_names([themes[i] for i in clip.theme_ids if i in themes], self.language),
            )
            for clip in clips
        ]
        clip_count, interview_count = self.model.counts(theme.id)
        clips_text = english_plural(self.tr("%n clip(s)", "", clip_count), clip_count)
        interviews_text = english_plural(
            self.tr("%n interview(s)", "", interview_count), interview_count
        )
        heading = f"{self.label(theme)}: {clips_text}, {interviews_text}"
        self.clips.show_clips(heading, rows)

    def _update_buttons(self) -> None:
        is_open = self._session.is_open
        has = self.selected_theme() is not None
        self.new_button.setEnabled(is_open)
        for button in (self.sub_button, self.rename_button, self.delete_button):
            button.setEnabled(is_open and has)

    # -- changing ----------------------------------------------------------------------

    def _run(self, work: Callable[[], object]) -> bool:
        """Run an archive call; an error shows in the view instead of a dialog."""
        try:
            work()
        except ArchiveError as exc:
            self._show_message(str(exc))
            return False
        self._hide_message()
        self.changed.emit()
        return True

    def add_theme(self, parent_id: int | None, label: str | None = None) -> Theme | None:
        """A new theme (labelled in the interface language); asks for the label if
        none is given."""
        if label is None:
            label = self.prompts.ask_label(
                self.tr("New theme") if parent_id is None else self.tr("New sub-theme"),
                self.tr("Label ({language}):").format(language=self.language),
            )
        if not label:
            return None
        made: list[Theme] = []
        themes = self._session.archive.themes
        if not self._run(lambda: made.append(themes.add({self.language: label}, parent=parent_id))):
            return None
        self.refresh()
        if parent_id is not None:
            self.tree.setExpanded(self.model.index_of(parent_id), True)
        self.select_theme(made[0].id)
        return made[0]

    def _add_subtheme(self) -> None:
        theme = self.selected_theme()
        if theme is not None:
            self.add_theme(theme.id)

    def _edit_current(self) -> None:
        index = self.tree.currentIndex()
        if index.isValid():
            self.tree.edit(index.siblingAtColumn(0))

    def rename_theme(self, theme_id: int, text: str) -> bool:
        """Set the label shown (the interface language's, or the English one shown in
        its place); other languages keep theirs."""
        themes = self._session.archive.themes
        try:
            theme = themes.get(theme_id)
        except ArchiveError as exc:
            self._show_message(str(exc))
            return False
        language = shown_language(theme, self.language)
        if not self._run(lambda: themes.rename(theme_id, {language: text})):
            return False
        QTimer.singleShot(0, self, self.refresh)  # after the cell editor has closed
        return True

    def delete_selected(self) -> bool:
        theme = self.selected_theme()
        return self.delete_theme(theme.id) if theme is not None else False

    def delete_theme(self, theme_id: int) -> bool:
        """Delete; a theme in use is deleted only after the user agrees."""
        themes = self._session.archive.themes
        try:
            theme = themes.get(theme_id)
            themes.delete(theme_id)
        except ThemeInUseError as exc:
            if not self.prompts.confirm_delete(self.label(theme), exc.usage):
                return False
            if not self._run(lambda: themes.delete(theme_id, force=True)):
                return False
        except ArchiveError as exc:
            self._show_message(str(exc))
            return False
        else:
            self.changed.emit()
        self._hide_message()
        self.refresh()
        return True

    def handle_drop(self, source_id: int, target_id: int | None, row: int) -> None:
        """A theme dropped: onto another (asks merge or move), between themes (moves
        it there), or onto empty space (moves it to the top level)."""
        themes = self._session.archive.themes
        try:
            source = themes.get(source_id)
            target = themes.get(target_id) if target_id is not None else None
        except ArchiveError as exc:
            self._show_message(str(exc))
            return
        if target is not None and row < 0:
            choice = self.prompts.merge_or_move(self.label(source), self.label(target))
            if choice is DropChoice.MERGE:
                if self._run(lambda: themes.merge(source_id, target_id)):
                    self.refresh()
                    self.select_theme(target.id)
                return
            if choice is DropChoice.CANCEL:
                return
            position = None
        elif row < 0:
            position = None  # empty space: last at the top level
        else:
            position = row
            if source.parent_id == target_id:  # it leaves its own row before the insert
                siblings = [t.id for t in themes.children(target_id)]
                if source_id in siblings and siblings.index(source_id) < row:
                    position = row - 1
        if self._run(lambda: themes.move(source_id, target_id, position=position)):
            self.refresh()
            if target_id is not None:
                self.tree.setExpanded(self.model.index_of(target_id), True)
            self.select_theme(source_id)

    # -- messages ------------------------------------------------------------------------

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _hide_message(self) -> None:
        self.message.clear()
        self.message.hide()
