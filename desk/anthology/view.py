"""The Anthologies view: the saved anthologies, and what can be done with one.

A list (title, what it holds, last changed) with New, Edit (Enter or a double-click),
Duplicate, Delete (asks first; Delete key) and Export….  New and Edit open the builder
(:mod:`.builder`); Export… opens the export dialog (:mod:`.export_dialog`).  Reading
the list is one small query; everything long runs in the builder's and the export
dialog's tasks.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from archive import ArchiveError
from archive.anthologies import SavedAnthology
from archive.export import AnthologySpec

from ..session import Session
from ..transcript.fonts import transcript_font
from ..ui.keys import on_delete_key
from .builder import AnthologyBuilder
from .common import GROUPING_LABELS, UNIT_LABELS, tr
from .export_dialog import ExportDialog

ID_ROLE = Qt.ItemDataRole.UserRole + 1


def describe(spec: AnthologySpec) -> str:
    """What an anthology holds, in a few words (no names)."""
    sel = spec.selection
    parts = []
    for n, one, many in (
        (len(sel.themes), "theme", "themes"),
        (len(sel.narrators), "narrator", "narrators"),
        (len(sel.places), "place", "places"),
        (len(sel.interviews), "interview", "interviews"),
        (len(sel.clips), "hand-picked clip", "hand-picked clips"),
    ):
        if n:
            parts.append(f"{n} {tr(one if n == 1 else many)}")
    what = ", ".join(parts) if parts else tr("the whole archive")
    layout = f"{tr(UNIT_LABELS[spec.unit])}, {tr(GROUPING_LABELS[spec.group_by]).lower()}"
    return f"{what} · {layout}"


class AnthologiesView(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.builder: AnthologyBuilder | None = None
        self.export_dialog: ExportDialog | None = None

        heading = QLabel(tr("Anthologies"))
        heading.setStyleSheet("font-size: 15pt; font-weight: 600")
        intro = QLabel(
            tr("Books of excerpts chosen by theme, narrator, place or by hand. Every export "
               "keeps to what narrators allowed, with redactions applied.")
        )  # fmt: skip
        intro.setWordWrap(True)
        intro.setStyleSheet("color: palette(dark)")
        self.list = QTreeWidget()
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setFont(transcript_font(self.font()))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setHeaderLabels([tr("Title"), tr("Holds"), tr("Changed")])
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.list.itemActivated.connect(lambda *_: self.edit_selected())
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        on_delete_key(self.list, lambda: self.delete_selected())
        self.empty = QLabel(
            tr("No anthologies yet. Click New to choose themes, narrators or clips and see "
               "the first pages of the book as you go.")
        )  # fmt: skip
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: palette(dark); font-size: 12pt; padding: 40px")

        self.new_button = QPushButton(tr("New…"))
        self.new_button.clicked.connect(lambda: self.new())
        self.edit_button = QPushButton(tr("Edit…"))
        self.edit_button.clicked.connect(lambda: self.edit_selected())
        self.duplicate_button = QPushButton(tr("Duplicate"))
        self.duplicate_button.clicked.connect(lambda: self.duplicate_selected())
        self.delete_button = QPushButton(tr("Delete…"))
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        self.export_button = QPushButton(tr("Export…"))
        self.export_button.clicked.connect(lambda: self.export_selected())
        self.message = QLabel()
        self.message.setWordWrap(True)

        buttons = QHBoxLayout()
        for button in (
            self.new_button,
            self.edit_button,
            self.duplicate_button,
            self.delete_button,
        ):
            buttons.addWidget(button)
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(buttons)

        session.opened.connect(self.refresh)
        session.locked.connect(self.clear)
        self.refresh()

    # -- the list --------------------------------------------------------------------

    def refresh(self) -> None:
        if not self._session.is_open:
            self.clear()
            return
        try:
            saved = self._session.archive.anthologies.list()
        except ArchiveError as exc:
            self._say(str(exc))
            return
        selected = self.selected_id()
        self.list.clear()
        for anthology in saved:
            item = QTreeWidgetItem(
                [
                    anthology.title,
                    describe(anthology.spec),
                    anthology.updated_at[:16].replace("T", " "),
                ]
            )
            item.setData(0, ID_ROLE, anthology.id)
            item.setToolTip(0, anthology.spec.subtitle or anthology.title)
            self.list.addTopLevelItem(item)
            if anthology.id == selected:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.topLevelItemCount():
            self.list.setCurrentItem(self.list.topLevelItem(0))
        has = bool(saved)
        self.list.setVisible(has)
        self.empty.setVisible(not has)
        self._update_buttons()

    def clear(self) -> None:
        self.list.clear()
        self._say(None)
        self._update_buttons()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def titles(self) -> list[str]:
        return [self.list.topLevelItem(i).text(0) for i in range(self.list.topLevelItemCount())]

    def selected_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(0, ID_ROLE) if item is not None else None

    def select(self, anthology_id: int) -> None:
        for i in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(i)
            if item.data(0, ID_ROLE) == anthology_id:
                self.list.setCurrentItem(item)

    def selected(self) -> SavedAnthology | None:
        anthology_id = self.selected_id()
        if anthology_id is None or not self._session.is_open:
            return None
        try:
            return self._session.archive.anthologies.get(anthology_id)
        except ArchiveError as exc:
            self._say(str(exc))
            return None

    def _update_buttons(self) -> None:
        has = self.selected_id() is not None and self._session.is_open
        for button in (
            self.edit_button,
            self.duplicate_button,
            self.delete_button,
            self.export_button,
        ):
            button.setEnabled(has)
        self.new_button.setEnabled(self._session.is_open)

    # -- actions -----------------------------------------------------------------------

    def _open_builder(
        self, anthology: SavedAnthology | None, spec: AnthologySpec | None = None
    ) -> AnthologyBuilder:
        if self.builder is not None:
            self.builder.close()
        builder = AnthologyBuilder(self._session, anthology, spec=spec, parent=self)
        builder.saved.connect(self._saved)
        builder.export_requested.connect(self.export_spec)
        builder.finished.connect(lambda _r: self.refresh())
        self.builder = builder
        builder.open()
        return builder

    def new(self) -> AnthologyBuilder:
        return self._open_builder(None)

    def edit_selected(self) -> AnthologyBuilder | None:
        anthology = self.selected()
        return self._open_builder(anthology) if anthology is not None else None

    def duplicate_selected(self) -> SavedAnthology | None:
        anthology = self.selected()
        if anthology is None:
            return None
        spec = replace(anthology.spec, title=tr("{title} (copy)").format(title=anthology.title))
        try:
            copy = self._session.archive.anthologies.save(spec)
        except ArchiveError as exc:
            self._say(str(exc))
            return None
        self.refresh()
        self.select(copy.id)
        self._say(tr("Duplicated."), error=False)
        return copy

    def delete_selected(self, *, confirm: bool = True) -> bool:
        anthology = self.selected()
        if anthology is None:
            return False
        if confirm:
            answer = QMessageBox.question(
                self,
                tr("Delete anthology"),
                tr("Delete the anthology “{title}”? Its excerpts stay in the archive; only "
                   "this selection goes.").format(title=anthology.title),
            )  # fmt: skip
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            self._session.archive.anthologies.delete(anthology.id)
        except ArchiveError as exc:
            self._say(str(exc))
            return False
        self.refresh()
        self._say(tr("Deleted “{title}”.").format(title=anthology.title), error=False)
        return True

    def export_selected(self) -> ExportDialog | None:
        anthology = self.selected()
        return self.export_spec(anthology.spec) if anthology is not None else None

    def export_spec(self, spec: AnthologySpec) -> ExportDialog:
        parent = self.builder if self.builder is not None and self.builder.isVisible() else self
        dialog = ExportDialog(self._session, spec, parent)
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def _saved(self, saved: SavedAnthology) -> None:
        self.refresh()
        self.select(saved.id)

    def _say(self, message: str | None, *, error: bool = True) -> None:
        self.message.setText(message or "")
        self.message.setStyleSheet("color: #b3261e" if error else "color: palette(dark)")
