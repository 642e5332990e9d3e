"""The player's keyboard shortcuts, in one list the main window can show in a sheet.

Each entry's ``name`` is the :class:`~desk.player.player.PlayerWidget` slot it
triggers; the transcript editor asks for the same actions and the main window wires
both (:func:`install_shortcuts`).  Descriptions are translated when shown
(:func:`describe`), so the list can be built before a translator is installed.  The
"5 seconds" in two of them is :data:`~desk.player.controls.SKIP_SECONDS` (a test keeps
them in step).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from .player import PlayerWidget

_CONTEXT = "PlayerShortcuts"


class PlayerShortcut(NamedTuple):
    name: str
    keys: QKeySequence
    description: str


SHORTCUTS: list[PlayerShortcut] = [
    PlayerShortcut(
        "toggle_play", QKeySequence("Ctrl+Space"), QT_TRANSLATE_NOOP(_CONTEXT, "Play or pause")
    ),
    PlayerShortcut("rewind", QKeySequence("Ctrl+R"), QT_TRANSLATE_NOOP(_CONTEXT, "Back 5 seconds")),
    PlayerShortcut(
        "forward",
        QKeySequence("Ctrl+Shift+R"),
        QT_TRANSLATE_NOOP(_CONTEXT, "Forward 5 seconds"),
    ),
    PlayerShortcut("faster", QKeySequence("Ctrl+Up"), QT_TRANSLATE_NOOP(_CONTEXT, "Faster")),
    PlayerShortcut("slower", QKeySequence("Ctrl+Down"), QT_TRANSLATE_NOOP(_CONTEXT, "Slower")),
]


def describe(shortcut: PlayerShortcut) -> str:
    """The shortcut's description in the user's language."""
    return QCoreApplication.translate(_CONTEXT, shortcut.description)


def install_shortcuts(
    player: PlayerWidget,
    window: QWidget,
    context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut,
) -> list[QShortcut]:
    """Make every shortcut in :data:`SHORTCUTS` drive ``player`` while ``window`` is active."""
    made = []
    for shortcut in SHORTCUTS:
        item = QShortcut(shortcut.keys, window)
        item.setContext(context)
        item.activated.connect(getattr(player, shortcut.name))
        made.append(item)
    return made
