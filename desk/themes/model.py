"""The vocabulary as a Qt tree model: label (in the interface language), clips, interviews.

Built from :meth:`archive.themes.ThemeStore.tree`; it never changes the archive
itself.  A rename typed in a cell goes to :attr:`ThemeTreeModel.rename_handler`, a
drag and drop to :attr:`ThemeTreeModel.drop_handler` (the view asks, writes through
the archive API, and rebuilds the model).  The drop itself moves no rows here: the
tree shown is always the archive's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from archive import Theme, ThemeNode

from .labels import labels_tooltip

THEME_ID_ROLE = Qt.ItemDataRole.UserRole + 1
THEME_ROLE = Qt.ItemDataRole.UserRole + 2
MIME_TYPE = "application/x-sidebyside-theme-id"
Index = QModelIndex | QPersistentModelIndex

# (source theme id, the theme dropped on or under (None: top level), row among its
# children (-1: dropped onto the theme itself))
DropHandler = Callable[[int, int | None, int], None]
RenameHandler = Callable[[int, str], bool]


class ThemeTreeModel(QStandardItemModel):
    COLUMNS = ("Theme", "Clips", "Interviews")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.language = "en"
        self.rename_handler: RenameHandler | None = None
        self.drop_handler: DropHandler | None = None
        self._items: dict[int, QStandardItem] = {}
        self.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])

    # -- building ------------------------------------------------------------------

    def load(self, nodes: Sequence[ThemeNode], language: str) -> None:
        self.language = language
        self.removeRows(0, self.rowCount())
        self._items.clear()
        self._append(self.invisibleRootItem(), nodes)

    def clear_themes(self) -> None:
        """Empty (on lock): nothing of the archive stays in memory."""
        self.load([], self.language)

    def _append(self, parent: QStandardItem, nodes: Sequence[ThemeNode]) -> None:
        for node in nodes:
            theme = node.theme
            name = QStandardItem(theme.label(self.language))
            name.setData(theme.id, THEME_ID_ROLE)
            name.setData(theme, THEME_ROLE)
            name.setToolTip(labels_tooltip(theme))
            name.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsEditable
                | Qt.ItemFlag.ItemIsDragEnabled
                | Qt.ItemFlag.ItemIsDropEnabled
            )
            counts = []
            for value in (node.clip_count, node.interview_count):
                cell = QStandardItem(str(value) if value else "")
                cell.setData(value, Qt.ItemDataRole.UserRole)
                cell.setData(theme.id, THEME_ID_ROLE)
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                cell.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsDragEnabled
                    | Qt.ItemFlag.ItemIsDropEnabled
                )
                counts.append(cell)
            parent.appendRow([name, *counts])
            self._items[theme.id] = name
            self._append(name, node.children)

    # -- reading -------------------------------------------------------------------

    def index_of(self, theme_id: int) -> QModelIndex:
        item = self._items.get(theme_id)
        return item.index() if item is not None else QModelIndex()

    def theme_ids(self) -> list[int]:
        return list(self._items)

    def theme_at(self, index: Index) -> Theme | None:
        if not index.isValid():
            return None
        value = index.siblingAtColumn(0).data(THEME_ROLE)
        return value if isinstance(value, Theme) else None

    def counts(self, theme_id: int) -> tuple[int, int]:
        """(clips, interviews) shown for a theme, sub-themes included."""
        index = self.index_of(theme_id)
        if not index.isValid():
            return (0, 0)
        return (
            int(index.siblingAtColumn(1).data(Qt.ItemDataRole.UserRole) or 0),
            int(index.siblingAtColumn(2).data(Qt.ItemDataRole.UserRole) or 0),
        )

    # -- renaming in place -----------------------------------------------------------

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != 0 or self.rename_handler is None:
            return super().setData(index, value, role)
        theme = self.theme_at(index)
        text = str(value).strip()
        if theme is None or not text or text == theme.label(self.language):
            return False
        return self.rename_handler(theme.id, text)  # the view reloads on success

    # -- drag and drop ---------------------------------------------------------------

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        ids = [i.data(THEME_ID_ROLE) for i in indexes if i.isValid() and i.column() == 0]
        if ids:
            data.setData(MIME_TYPE, QByteArray(str(ids[0]).encode("ascii")))
        return data

    @staticmethod
    def dragged_id(data: QMimeData) -> int | None:
        if not data.hasFormat(MIME_TYPE):
            return None
        raw = bytes(data.data(MIME_TYPE).data()).decode("ascii", "replace")
        return int(raw) if raw.isdigit() else None

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        source = self.dragged_id(data)
        if source is None:
            return False
        target = self.theme_at(parent)
        return target is None or target.id != source

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Hand the drop to :attr:`drop_handler`; returns False so no row moves here
        (and the view does not delete the dragged row): the view rebuilds the tree."""
        source = self.dragged_id(data)
        if source is None or self.drop_handler is None:
            return False
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        target = self.theme_at(parent)
        self.drop_handler(source, target.id if target is not None else None, row)
        return False
