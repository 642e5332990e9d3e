"""The interview view's audio player: decrypted audio streamed from the vault.

See :mod:`desk.player.player` for the widget, :mod:`desk.player.shortcuts` for the
keyboard shortcuts list, and :mod:`desk.player.vault_device` for how the audio
reaches QtMultimedia without a plaintext file.
"""

from .player import PlayerWidget
from .shortcuts import SHORTCUTS, PlayerShortcut, describe, install_shortcuts
from .sources import MediaKind

__all__ = [
    "SHORTCUTS",
    "MediaKind",
    "PlayerShortcut",
    "PlayerWidget",
    "describe",
    "install_shortcuts",
]
