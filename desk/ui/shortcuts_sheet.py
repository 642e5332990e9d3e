"""Every keyboard shortcut of the app, in one sheet (F1)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

Shortcut = tuple[str, QKeySequence, str]


def sheet_html(groups: Iterable[tuple[str, Iterable[Shortcut]]]) -> str:
    parts = []
    for title, shortcuts in groups:
        rows = "".join(
            f"<tr><td style='padding:2px 18px 2px 0'><b>"
            f"{key.toString(QKeySequence.SequenceFormat.NativeText)}</b></td><td>{text}</td></tr>"
            for _name, key, text in shortcuts
        )
        parts.append(f"<h3>{title}</h3><table>{rows}</table>")
    return "".join(parts)


class ShortcutsSheet(QDialog):
    def __init__(
        self, groups: Iterable[tuple[str, Iterable[Shortcut]]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.text = QLabel(sheet_html(groups))
        self.text.setTextFormat(self.text.textFormat().RichText)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
