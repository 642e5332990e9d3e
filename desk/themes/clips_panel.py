"""The clips of one theme (and its sub-themes): listed, and played one after another.

Each row: the interview's title, the clip's time range, its themes and note.  "Play
all" plays them in order on the panel's own player; a double-click or Enter plays
from that clip on; "Open interview" opens the interview at the clip.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from archive import Archive, Clip

from ..player.player import PlayerWidget
from ..transcript.fonts import transcript_font
from .playlist import PlayRange, RangePlaylist, embed_player, release_player
from .timecodes import format_range


@dataclass(frozen=True)
class ClipRow:
    clip: Clip
    interview_title: str
    themes: str  # the clip's themes, labelled in the interface language


class ThemeClipsPanel(QWidget):
    open_requested = Signal(str, float)  # interview id, seconds

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ClipRow] = []
        self.player: PlayerWidget | None = None
        self.playlist: RangePlaylist | None = None

        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 13pt; font-weight: 600")
        self.heading.setWordWrap(True)
        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setHeaderLabels(
            [self.tr("Interview"), self.tr("Time"), self.tr("Themes"), self.tr("Note")]
        )
        self.table.setFont(transcript_font(self.font()))
        header = self.table.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(60)
        self.table.itemActivated.connect(lambda item, _c: self.play_from(self._row_of(item)))
        self.empty = QLabel(self.tr("No clips are tagged with this theme yet."))
        self.empty.setStyleSheet("color: palette(dark); padding: 12px")
        self.empty.setWordWrap(True)

        self.play_all_button = QPushButton(self.tr("Play all"))
        self.play_all_button.clicked.connect(lambda: self.play_from(0))
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.clicked.connect(self.stop)
        self.open_button = QPushButton(self.tr("Open interview"))
        self.open_button.clicked.connect(self._open_current)
        QShortcut(
            QKeySequence(Qt.Key.Key_Space),
            self.table,
            self._play_current,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.play_all_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)

        self._player_slot = QVBoxLayout()
        self._player_slot.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        layout.addLayout(self._player_slot)
        self._update_buttons()

    # -- the player (one per open archive) ---------------------------------------------

    def attach(self, archive: Archive) -> None:
        self.detach()
        self.playlist = embed_player(archive, self._player_slot, self)
        self.player = self.playlist.player
        self.playlist.current_changed.connect(self._show_current)

    def detach(self) -> None:
        """Stop and let go of the audio and the archive (on lock)."""
        release_player(self.playlist, self._player_slot)
        self.playlist = self.player = None

    # -- rows --------------------------------------------------------------------------

    @property
    def rows(self) -> list[ClipRow]:
        return list(self._rows)

    def show_clips(self, heading: str, rows: Sequence[ClipRow]) -> None:
        if self.playlist is not None and self.playlist.active:
            self.playlist.stop()
        self._rows = list(rows)
        self.heading.setText(heading)
        self.table.clear()
        for row in self._rows:
            clip = row.clip
            item = QTreeWidgetItem(
                [
                    row.interview_title,
                    format_range(clip.start, clip.end),
                    row.themes,
                    clip.title or clip.note or "",
                ]
            )
            if clip.title and clip.note:
                item.setText(3, f"{clip.title} — {clip.note}")
            item.setToolTip(3, item.text(3))
            self.table.addTopLevelItem(item)
        if self._rows:
            self.table.setCurrentItem(self.table.topLevelItem(0))
        self.empty.setVisible(not self._rows and bool(heading))
        self._update_buttons()

    def clear(self) -> None:
        self.show_clips("", [])
        self.empty.hide()

    def _row_of(self, item: QTreeWidgetItem | None) -> int:
        return self.table.indexOfTopLevelItem(item) if item is not None else -1

    def _update_buttons(self) -> None:
        has = bool(self._rows)
        self.play_all_button.setEnabled(has)
        self.stop_button.setEnabled(has)
        self.open_button.setEnabled(has)

    # -- playing -----------------------------------------------------------------------

    def play_from(self, index: int) -> None:
        if self.playlist is None or not 0 <= index < len(self._rows):
            return
        ranges = [PlayRange(r.clip.interview_id, r.clip.start, r.clip.end) for r in self._rows]
        self.playlist.player.show()
        self.playlist.play(ranges, index)

    def _play_current(self) -> None:
        self.play_from(self._row_of(self.table.currentItem()))

    def stop(self) -> None:
        if self.playlist is not None:
            self.playlist.stop()

    def _show_current(self, index: int) -> None:
        if 0 <= index < self.table.topLevelItemCount():
            self.table.setCurrentItem(self.table.topLevelItem(index))

    def _open_current(self) -> None:
        index = self._row_of(self.table.currentItem())
        if 0 <= index < len(self._rows):
            self.stop()
            clip = self._rows[index].clip
            self.open_requested.emit(clip.interview_id, clip.start)
