"""The transcript editor's keys, in one place, for the editor and the shortcuts sheet.

Keyboard-first like oTranscribe: the hands stay on the keys while the audio plays.
Escape plays and pauses even while typing, so it never throws away a correction.
Undo and redo (Ctrl+Z, Ctrl+Shift+Z) belong to the main window's Edit menu, which
drives :attr:`TranscriptEditor.undo_stack`; they are not bound here, to avoid two
owners for one key.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QKeySequence

CONTEXT = "TranscriptShortcuts"
SKIP_SECONDS = 5.0  # the player's step too (desk.player.controls.SKIP_SECONDS)


class Shortcut(NamedTuple):
    name: str
    keys: QKeySequence
    description: str  # source text; show it translated with :func:`describe`


SHORTCUTS: list[Shortcut] = [
    Shortcut(
        "play_from_segment",
        QKeySequence(Qt.Key.Key_Return),
        QT_TRANSLATE_NOOP(CONTEXT, "Play from the selected segment"),
    ),
    Shortcut(
        "toggle_play", QKeySequence("Ctrl+Space"), QT_TRANSLATE_NOOP(CONTEXT, "Play or pause")
    ),
    Shortcut(
        "toggle_play_escape",
        QKeySequence(Qt.Key.Key_Escape),
        QT_TRANSLATE_NOOP(CONTEXT, "Play or pause, also while typing"),
    ),
    Shortcut("rewind", QKeySequence("Ctrl+R"), QT_TRANSLATE_NOOP(CONTEXT, "Back 5 seconds")),
    Shortcut(
        "forward", QKeySequence("Ctrl+Shift+R"), QT_TRANSLATE_NOOP(CONTEXT, "Forward 5 seconds")
    ),
    Shortcut(
        "edit_text",
        QKeySequence(Qt.Key.Key_F2),
        QT_TRANSLATE_NOOP(CONTEXT, "Edit the segment's text; Enter saves it"),
    ),
    Shortcut(
        "split",
        QKeySequence("Ctrl+Shift+S"),
        QT_TRANSLATE_NOOP(CONTEXT, "Split the segment at the text cursor"),
    ),
    Shortcut(
        "merge",
        QKeySequence("Ctrl+Shift+M"),
        QT_TRANSLATE_NOOP(CONTEXT, "Merge the segment with the next one"),
    ),
    Shortcut(
        "speaker",
        QKeySequence("Ctrl+Shift+A"),
        QT_TRANSLATE_NOOP(CONTEXT, "Name the speaker of the selected segments"),
    ),
    Shortcut("find", QKeySequence("Ctrl+F"), QT_TRANSLATE_NOOP(CONTEXT, "Find in the transcript")),
    Shortcut("replace", QKeySequence("Ctrl+H"), QT_TRANSLATE_NOOP(CONTEXT, "Find and replace")),
    Shortcut("find_next", QKeySequence(Qt.Key.Key_F3), QT_TRANSLATE_NOOP(CONTEXT, "Next match")),
    Shortcut(
        "find_previous", QKeySequence("Shift+F3"), QT_TRANSLATE_NOOP(CONTEXT, "Previous match")
    ),
]

# Keys that act on the list of segments only: while typing, Enter saves the text.
LIST_ONLY = frozenset({"play_from_segment", "edit_text"})

# Keys that only ask the player for something.  A window that binds the player's own
# keys to the same sequences must build the editor with ``player_keys=False``: two
# shortcuts on one key in one window are ambiguous, and Qt then fires neither.
PLAYER_KEYS = frozenset({"toggle_play", "toggle_play_escape", "rewind", "forward"})


def describe(shortcut: Shortcut) -> str:
    """The shortcut's description in the interface language."""
    return QCoreApplication.translate(CONTEXT, shortcut.description)
