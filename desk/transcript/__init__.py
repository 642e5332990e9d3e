"""The transcript editor of the interview view: one row per segment, edited in place.

:class:`TranscriptEditor` is the widget; :data:`SHORTCUTS` lists its keys for the
shortcuts sheet.  Every write goes through the archive API, every change is one
step on :attr:`TranscriptEditor.undo_stack`.
"""

from .editor import EDITOR_SHORTCUTS, TranscriptEditor
from .shortcuts import SHORTCUTS, Shortcut, describe

__all__ = ["EDITOR_SHORTCUTS", "SHORTCUTS", "Shortcut", "TranscriptEditor", "describe"]
