"""Keyboard shortcuts scoped to one widget."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


def on_delete_key(widget: QWidget, slot: Callable[[], object]) -> QShortcut:
    """Call ``slot`` on Delete, only while ``widget`` has the focus.

    The context is set before connecting: PySide ignores a context passed to the
    constructor together with a slot, and the shortcut would be window-wide (two
    lists on one screen would then both claim Delete, and neither would get it).
    """
    shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), widget)
    shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
    shortcut.activated.connect(slot)
    return shortcut
