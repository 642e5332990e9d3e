"""Time ranges of interviews played one after another on a :class:`PlayerWidget`.

The Themes view plays a theme's clips in a row ("Play all"); the Search view plays
one hit in place.  Each range plays from its start and stops at its end (the player
reports its position about twenty times a second, so it stops within ~50 ms); the
next range's interview is loaded when it differs.  Pausing the player by hand ends
the playlist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QBoxLayout

from archive import Archive

from ..player.player import PlayerWidget

# The media may end a little before a range that runs to the end of the recording.
END_SLACK = 0.3


@dataclass(frozen=True)
class PlayRange:
    interview_id: str
    start: float
    end: float


class RangePlaylist(QObject):
    current_changed = Signal(int)  # index of the range playing; -1 when stopped
    finished = Signal()  # the last range reached its end

    def __init__(self, player: PlayerWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._player = player
        self._ranges: list[PlayRange] = []
        self._index = -1
        # The player is playing this range (a new interview first loads: the stop that
        # loading reports is not the user pausing).
        self._started = False
        player.position_changed.connect(self._on_position)
        player.playing_changed.connect(self._on_playing)
        player.failed.connect(lambda _message: self.stop())

    @property
    def player(self) -> PlayerWidget:
        return self._player

    @property
    def ranges(self) -> list[PlayRange]:
        return list(self._ranges)

    @property
    def index(self) -> int:
        return self._index

    @property
    def active(self) -> bool:
        return self._index >= 0

    def play(self, ranges: Sequence[PlayRange], start_index: int = 0) -> None:
        self._ranges = [r for r in ranges if r.end > r.start]
        if not 0 <= start_index < len(self._ranges):
            self.stop()
            return
        self._go(start_index)

    def stop(self) -> None:
        """Stop playing (the player keeps its interview loaded)."""
        was_active = self.active
        self._index = -1
        if self._player.playing:
            self._player.pause()
        if was_active:
            self.current_changed.emit(-1)

    def _go(self, index: int) -> None:
        self._index = index
        item = self._ranges[index]
        same = self._player.interview_id == item.interview_id
        self._started = same and self._player.playing
        if not same:
            self._player.load(item.interview_id)
        self._player.play_from(item.start)
        self.current_changed.emit(index)

    def _advance(self) -> None:
        if self._index + 1 < len(self._ranges):
            self._go(self._index + 1)
            return
        self.stop()
        self.finished.emit()

    def _on_position(self, seconds: float) -> None:
        if self.active and self._started and seconds >= self._ranges[self._index].end:
            self._advance()

    def _on_playing(self, playing: bool) -> None:
        if not self.active:
            return
        if playing:
            self._started = True
            return
        if not self._started:
            return
        if self._player.position >= self._ranges[self._index].end - END_SLACK:
            self._advance()  # the recording ended with the range
        else:
            self.stop()  # paused by hand


def embed_player(archive: Archive, slot: QBoxLayout, owner: QObject) -> RangePlaylist:
    """A player in ``slot``, hidden until something plays, with a playlist driving it."""
    player = PlayerWidget(archive)
    player.hide()  # an empty waveform says nothing
    slot.addWidget(player)
    return RangePlaylist(player, owner)


def release_player(playlist: RangePlaylist | None, slot: QBoxLayout) -> None:
    """Stop, drop the decrypted audio, and remove the player ``embed_player`` made."""
    if playlist is None:
        return
    playlist.stop()
    player = playlist.player
    player.unload()
    slot.removeWidget(player)
    player.deleteLater()
    playlist.deleteLater()
