"""The quick theme picker: type to filter across every language, recent themes first.

Used when tagging a clip (with an optional title and note) and when tagging a whole
interview.  Typing matches any of a theme's labels in any language, folded as search
folds them (``eda`` finds "Еда", ``snund`` finds "Սնունդ"); Down goes into the list,
Space checks a theme, Enter tags with the checked themes (or the highlighted one).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from archive import Theme, ThemeNode
from archive.folding import fold_text

from ..transcript.fonts import transcript_font
from .labels import FlatTheme, flatten, labels_tooltip

THEME_ID_ROLE = Qt.ItemDataRole.UserRole + 1
INDENT = "    "


@dataclass(frozen=True)
class PickResult:
    themes: tuple[Theme, ...]
    title: str | None = None
    note: str | None = None


def _folded_labels(theme: Theme, language: str) -> list[tuple[str, str]]:
    """(label, folded label), the one shown in ``language`` first."""
    shown = theme.label(language)
    labels = [shown, *(v for v in theme.labels.values() if v != shown)]
    return [(label, fold_text(label) or "") for label in labels]


class ThemePicker(QDialog):
    def __init__(
        self,
        nodes: Sequence[ThemeNode],
        *,
        language: str,
        recent: Sequence[str] = (),
        with_note: bool = False,
        checked: Collection[int] = (),
        checked_only: bool = False,
        heading: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``recent``: theme keys, most recent first; ``checked``: theme ids ticked at
        the start; ``with_note`` adds a title and a note for the clip.  With
        ``checked_only`` the result is exactly the ticked themes (none is a choice: to
        edit a set); otherwise, with none ticked, it is the highlighted one."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Tag with themes"))
        self._language = language
        self._flat = flatten(nodes)
        self._by_id = {f.theme.id: f for f in self._flat}
        by_key = {f.theme.key: f for f in self._flat if f.theme.key}
        self._recent = [by_key[k] for k in recent if k in by_key]
        self._folded = {f.theme.id: _folded_labels(f.theme, language) for f in self._flat}
        self._checked: set[int] = {i for i in checked if i in self._by_id}
        self._checked_only = checked_only

        self.heading = QLabel(heading or self.tr("Type to find a theme, in any language."))
        self.heading.setWordWrap(True)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter themes…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._fill)
        self.filter.installEventFilter(self)
        self.list = QListWidget()
        self.list.setFont(transcript_font(self.font()))
        self.list.setUniformItemSizes(True)
        self.list.itemChanged.connect(self._item_changed)
        self.list.itemDoubleClicked.connect(self._double_clicked)
        self.list.setMinimumSize(380, 320)

        self.clip_title: QLineEdit | None = None
        self.note: QLineEdit | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        if with_note:
            self.clip_title = QLineEdit()
            self.clip_title.setPlaceholderText(self.tr("Optional"))
            self.note = QLineEdit()
            self.note.setPlaceholderText(self.tr("Optional: what is said here"))
            form = QFormLayout()
            form.addRow(self.tr("Title"), self.clip_title)
            form.addRow(self.tr("Note"), self.note)
            layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Tag"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._fill()
        self.filter.setFocus()

    # -- the list ------------------------------------------------------------------

    def _header(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        font = QFont(self.list.font())
        font.setBold(True)
        item.setFont(font)
        self.list.addItem(item)

    def _add(self, flat: FlatTheme, *, filtered: bool, matched: str | None) -> None:
        theme = flat.theme
        if filtered:
            text = flat.path(self._language)
            if matched and matched != theme.label(self._language):
                text += f" — {matched}"
        else:
            text = INDENT * flat.depth + theme.label(self._language)
        item = QListWidgetItem(text)
        item.setData(THEME_ID_ROLE, theme.id)
        item.setToolTip(labels_tooltip(theme))
        item.setFlags(
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )
        checked = theme.id in self._checked
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.list.addItem(item)

    def _match(self, flat: FlatTheme, wanted: str, raw: str) -> str | None:
        """The label that matches what was typed (the shown language first), or None."""
        theme = flat.theme
        for label, folded in self._folded[theme.id]:
            if raw in label.casefold() or (wanted and wanted in folded):
                return label
        if theme.key and (raw in theme.key or (wanted and wanted in (fold_text(theme.key) or ""))):
            return theme.label(self._language)
        return None

    def _fill(self) -> None:
        raw = self.filter.text().strip().casefold()
        wanted = fold_text(raw) or ""
        self.list.blockSignals(True)
        self.list.clear()
        if not raw:
            if self._recent:
                self._header(self.tr("Recent"))
                for flat in self._recent:
                    self._add(flat, filtered=True, matched=None)
                self._header(self.tr("All themes"))
            for flat in self._flat:
                self._add(flat, filtered=False, matched=None)
        else:
            recent_ids = {f.theme.id for f in self._recent}
            ordered = self._recent + [f for f in self._flat if f.theme.id not in recent_ids]
            for flat in ordered:
                matched = self._match(flat, wanted, raw)
                if matched is not None:
                    self._add(flat, filtered=True, matched=matched)
        self.list.blockSignals(False)
        first = self._first_theme_row()
        if first is not None:
            self.list.setCurrentRow(first)

    def _first_theme_row(self) -> int | None:
        for row in range(self.list.count()):
            if self.list.item(row).data(THEME_ID_ROLE) is not None:
                return row
        return None

    def _item_changed(self, item: QListWidgetItem) -> None:
        theme_id = item.data(THEME_ID_ROLE)
        if theme_id is None:
            return
        checked = item.checkState() == Qt.CheckState.Checked
        (self._checked.add if checked else self._checked.discard)(theme_id)
        # A recent theme is listed twice: keep both rows in step.
        self.list.blockSignals(True)
        for row in range(self.list.count()):
            other = self.list.item(row)
            if other is not item and other.data(THEME_ID_ROLE) == theme_id:
                other.setCheckState(item.checkState())
        self.list.blockSignals(False)

    def _double_clicked(self, item: QListWidgetItem) -> None:
        if item.data(THEME_ID_ROLE) is None:
            return
        if self._checked_only:  # editing a set: a double-click ticks or unticks
            ticked = item.checkState() == Qt.CheckState.Checked
            item.setCheckState(Qt.CheckState.Unchecked if ticked else Qt.CheckState.Checked)
            return
        self.list.setCurrentItem(item)
        self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up and Down in the filter move through the list; typing stays in the filter."""
        if watched is self.filter and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self.list.setFocus()
                if self.list.currentRow() < 0 and (first := self._first_theme_row()) is not None:
                    self.list.setCurrentRow(first)
                return True
        return super().eventFilter(watched, event)

    # -- for callers and tests -----------------------------------------------------

    def visible_themes(self) -> list[Theme]:
        """The themes listed now, in order (a recent theme may be listed twice)."""
        out = []
        for row in range(self.list.count()):
            theme_id = self.list.item(row).data(THEME_ID_ROLE)
            if theme_id is not None:
                out.append(self._by_id[theme_id].theme)
        return out

    def set_checked(self, theme_id: int, checked: bool = True) -> None:
        (self._checked.add if checked else self._checked.discard)(theme_id)
        self._fill_keep_filter()

    def _fill_keep_filter(self) -> None:
        current = self.list.currentRow()
        self._fill()
        if 0 <= current < self.list.count():
            self.list.setCurrentRow(current)

    def chosen(self) -> list[Theme]:
        """The checked themes in tree order, or else the highlighted one."""
        if self._checked or self._checked_only:
            return [f.theme for f in self._flat if f.theme.id in self._checked]
        item = self.list.currentItem()
        theme_id = item.data(THEME_ID_ROLE) if item is not None else None
        return [self._by_id[theme_id].theme] if theme_id is not None else []

    def result_value(self) -> PickResult:
        title = self.clip_title.text().strip() if self.clip_title is not None else ""
        note = self.note.text().strip() if self.note is not None else ""
        return PickResult(tuple(self.chosen()), title or None, note or None)

    def accept(self) -> None:
        if not self.chosen() and not self._checked_only:
            self.heading.setText(self.tr("Choose at least one theme (Space checks it)."))
            return
        super().accept()
