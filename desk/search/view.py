"""The Search view: a query box, filters, and the hits, best first.

The query language is the archive's: words, "a phrase", prefix*, AND / OR / NOT and
parentheses; a query in one script finds the others.  A query the archive cannot
read shows its message under the box.  Searching starts when typing pauses (250 ms)
or on Enter, on a worker thread (:mod:`desk.search.runner`); the UI thread only
shows pages.

Keys: Down from the query box goes to the hits; Up from the first hit comes back;
Enter opens the interview at the hit's time; Space plays the hit in place, on the
small player below, and stops at its end.  More hits load on scrolling to the end or
with "More".
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from archive import ArchiveError, SearchHit

from ..player.player import PlayerWidget
from ..session import Session
from ..themes.labels import english_plural, ui_language
from ..themes.playlist import PlayRange, RangePlaylist, embed_player, release_player
from ..transcript.fonts import transcript_font
from .filters import SearchFiltersBar
from .results import ResultsList, SearchResultsModel, hit_time
from .runner import PAGE_SIZE, SearchFailure, SearchPage, SearchRequest, SearchRunner

DEBOUNCE_MS = 250
# Scrolling this close to the end of the list loads the next page.
NEAR_END_PX = 40


class SearchView(QWidget):
    open_requested = Signal(str, float)  # interview id, seconds

    def __init__(
        self,
        session: Session,
        parent: QWidget | None = None,
        *,
        language: str | None = None,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self.language = language or ui_language()
        self.page_size = page_size  # hits per page (more load on scrolling or More)
        self._request: SearchRequest | None = None  # the newest one asked
        self._more = False
        self._loading = False
        self.player: PlayerWidget | None = None
        self.playlist: RangePlaylist | None = None

        self.runner = SearchRunner(session, self)
        self.runner.finished.connect(self._on_page)
        self.runner.failed.connect(self._on_failure)
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.search_now)

        self.query = QLineEdit()
        self.query.setFont(transcript_font(self.font()))
        self.query.setPlaceholderText(
            self.tr('Search every transcript: words, "a phrase", prefix*, AND, OR, NOT')
        )
        self.query.setClearButtonEnabled(True)
        self.query.textChanged.connect(self._debounce.start)
        self.query.returnPressed.connect(self.search_now)
        self.query.installEventFilter(self)
        self.count = QLabel()
        self.count.setStyleSheet("color: palette(dark)")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setStyleSheet("QLabel { color: #b3261e; padding: 2px 4px; }")
        self.error.hide()
        self.filters = SearchFiltersBar()
        self.filters.changed.connect(self._debounce.start)

        self.model = SearchResultsModel(self)
        self.results = ResultsList()
        self.results.setFont(transcript_font(self.font()))
        self.results.setModel(self.model)
        self.results.open_requested.connect(self.open_hit)
        self.results.play_requested.connect(self.play_hit)
        self.results.leave_top.connect(self.query.setFocus)
        self.results.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: palette(dark); font-size: 12pt; padding: 30px")
        self.more_button = QPushButton(self.tr("More"))
        self.more_button.clicked.connect(self.load_more)
        self.more_button.hide()

        self.play_button = QPushButton(self.tr("Play hit (Space)"))
        self.play_button.clicked.connect(self._play_current)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.clicked.connect(self.stop_playing)
        self.open_button = QPushButton(self.tr("Open interview (Enter)"))
        self.open_button.clicked.connect(self._open_current)
        self.now_playing = QLabel()
        self.now_playing.setStyleSheet("color: palette(dark)")

        top = QHBoxLayout()
        top.addWidget(self.query, 1)
        top.addWidget(self.count)
        actions = QHBoxLayout()
        actions.addWidget(self.play_button)
        actions.addWidget(self.stop_button)
        actions.addWidget(self.now_playing, 1)
        actions.addWidget(self.more_button)
        actions.addWidget(self.open_button)
        self._player_slot = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.filters)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(actions)
        layout.addLayout(self._player_slot)

        session.opened.connect(self._on_opened)
        session.locked.connect(self.clear)
        if session.is_open:
            self._on_opened()
        self._show_state()

    # -- session ---------------------------------------------------------------------

    def _on_opened(self) -> None:
        self.playlist = embed_player(self._session.archive, self._player_slot, self)
        self.player = self.playlist.player
        self.playlist.current_changed.connect(self._playing_changed)
        self.reload_choices()

    def clear(self) -> None:
        """On lock: the query, the hits, the filters' choices and the player go."""
        self.runner.invalidate()
        self._debounce.stop()
        release_player(self.playlist, self._player_slot)
        self.playlist = self.player = None
        self._request = None
        self._more = self._loading = False
        self.query.blockSignals(True)
        self.query.clear()
        self.query.blockSignals(False)
        self.filters.clear_choices()
        self.model.clear()
        self._hide_error()
        self.now_playing.clear()
        self._show_state()

    def reload_choices(self) -> None:
        if not self._session.is_open:
            return
        try:
            self.filters.load(self._session.archive, self.language)
        except ArchiveError as exc:
            self._show_error(str(exc))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload_choices()  # themes and narrators change elsewhere

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.stop_playing()

    # -- searching -------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._loading

    def set_query(self, text: str) -> None:
        """Type a query (the search starts when typing pauses)."""
        self.query.setText(text)

    def search_now(self) -> None:
        """Search for what the box and filters say now; older searches are dropped."""
        self._debounce.stop()
        generation = self.runner.invalidate()
        text = self.query.text().strip()
        self._hide_error()
        if not text or not self._session.is_open:
            self._request = None
            self._more = self._loading = False
            self.model.clear()
            self._show_state()
            return
        self._request = SearchRequest(text, self.filters.filters(), 0, self.page_size, generation)
        self._loading = True
        self._show_state()
        self.runner.submit(self._request)

    def load_more(self) -> None:
        """The next page of the current search."""
        if self._request is None or not self._more or self._loading:
            return
        request = self._request
        self._request = SearchRequest(
            request.query,
            request.filters,
            self.model.rowCount(),
            self.page_size,
            request.generation,
        )
        self._loading = True
        self._show_state()
        self.runner.submit(self._request)

    def _on_page(self, page: SearchPage) -> None:
        if page.request != self._request:
            return  # not the page asked for last (the runner already dropped old ones)
        self._loading = False
        self._more = page.more
        if page.request.offset == 0:
            self.model.set_hits(page.hits, page.titles)
            if page.hits:
                self.results.go_to_row(0)
        else:
            self.model.append(page.hits, page.titles)
        self._show_state()

    def _on_failure(self, failure: SearchFailure) -> None:
        if failure.request != self._request:
            return
        self._loading = False
        self._more = False
        if failure.request.offset == 0:
            self.model.clear()
        self._show_error(failure.message)
        self._show_state()

    def _scrolled(self, value: int) -> None:
        bar = self.results.verticalScrollBar()
        if bar.maximum() > 0 and value >= bar.maximum() - NEAR_END_PX:
            self.load_more()

    def _show_state(self) -> None:
        n = self.model.rowCount()
        searched = self._request is not None
        if self._loading and n == 0:
            self.count.setText(self.tr("Searching…"))
        elif not searched:
            self.count.clear()
        elif self._more:
            self.count.setText(self.tr("{n}+ results").format(n=n))
        else:
            self.count.setText(english_plural(self.tr("%n result(s)", "", n), n))
        self.more_button.setVisible(self._more)
        self.more_button.setEnabled(not self._loading)
        has = n > 0
        self.results.setVisible(has)
        self.empty.setVisible(not has)
        if not self._session.is_open:
            self.empty.setText("")
        elif not searched:
            self.empty.setText(
                self.tr(
                    "Type to search every transcript, translation, clip note and interview. "
                    "Latin letters find Armenian, Georgian and Cyrillic spellings too."
                )
            )
        elif not self._loading and self.error.isHidden():
            self.empty.setText(self.tr("Nothing found. Try fewer words, or a prefix*."))
        else:
            self.empty.setText("")
        for button in (self.play_button, self.open_button):
            button.setEnabled(has)
        self.stop_button.setEnabled(has and self.playlist is not None)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _hide_error(self) -> None:
        self.error.clear()
        self.error.hide()

    # -- keys ------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.query and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Down and self.model.rowCount():
                self.results.setFocus()
                row = self.results.current_row()
                self.results.go_to_row(0 if row is None else row)
                return True
        return super().eventFilter(watched, event)

    # -- a hit -----------------------------------------------------------------------

    def current_hit(self) -> SearchHit | None:
        row = self.results.current_row()
        return self.model.hit(row) if row is not None else None

    def open_hit(self, row: int) -> None:
        """Open the interview at the hit's time (the main window does the opening)."""
        if not 0 <= row < self.model.rowCount():
            return
        self.stop_playing()
        hit = self.model.hit(row)
        self.open_requested.emit(hit.interview_id, hit.start)

    def play_hit(self, row: int) -> None:
        """Play the hit's time range on the view's own player, stopping at its end."""
        if self.playlist is None or not 0 <= row < self.model.rowCount():
            return
        hit = self.model.hit(row)
        self.results.go_to_row(row)
        end = hit.end if hit.end > hit.start else hit.start + 30.0
        self.playlist.play([PlayRange(hit.interview_id, hit.start, end)])
        self.playlist.player.show()
        self.now_playing.setText(
            self.tr("Playing {title}, {time}").format(
                title=self.model.title(hit.interview_id), time=hit_time(hit)
            )
        )

    def stop_playing(self) -> None:
        if self.playlist is not None:
            self.playlist.stop()

    def _playing_changed(self, index: int) -> None:
        if index < 0:
            self.now_playing.clear()

    def _play_current(self) -> None:
        row = self.results.current_row()
        if row is not None:
            self.play_hit(row)

    def _open_current(self) -> None:
        row = self.results.current_row()
        if row is not None:
            self.open_hit(row)
