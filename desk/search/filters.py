"""The Search view's filters: theme (with its sub-themes), narrator, language, place,
date range and transcription status, turned into :class:`archive.SearchFilters`.

The choices come from the archive when it opens (and each time the view is shown,
as themes and narrators change).  Only pseudonyms are offered for narrators, never
real names.  Everything is emptied on lock.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from archive import Archive, SearchFilters
from archive.search_filters import TRANSCRIPTION_STATUSES
from transcription.languages import WHISPER_LANGUAGES

from ..library.model import STATUS_LABELS
from ..themes.labels import flatten
from ..transcript.fonts import transcript_font

# The archive's languages first (see DESIGN.md), then whatever else interviews use.
ARCHIVE_LANGUAGES = ("hy", "az", "ru", "ka", "tr", "en")
INDENT = "    "


class SearchFiltersBar(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        font = transcript_font(self.font())
        font.setPointSizeF(self.font().pointSizeF())
        self.theme = self._combo(self.tr("Any theme"), font)
        self.narrator = self._combo(self.tr("Any narrator"), font)
        self.language = self._combo(self.tr("Any language"), font)
        self.place = self._combo(self.tr("Any place"), font)
        self.status = self._combo(self.tr("Any transcript"), font)
        self.date_from = QLineEdit()
        self.date_to = QLineEdit()
        for edit, hint in ((self.date_from, self.tr("from YYYY")), (self.date_to, self.tr("to"))):
            edit.setPlaceholderText(hint)
            edit.setToolTip(self.tr("YYYY, YYYY-MM or YYYY-MM-DD"))
            edit.setMaximumWidth(110)
            edit.textChanged.connect(self.changed)
        self.reset_button = QPushButton(self.tr("Clear filters"))
        self.reset_button.clicked.connect(lambda: self.reset())
        for code in ARCHIVE_LANGUAGES:
            self.language.addItem(f"{WHISPER_LANGUAGES.get(code, code)} ({code})", code)
        for status in TRANSCRIPTION_STATUSES:
            self.status.addItem(self.tr(STATUS_LABELS.get(status, status)), status)

        dates = QHBoxLayout()
        dates.setContentsMargins(0, 0, 0, 0)
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("–"))
        dates.addWidget(self.date_to)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.addWidget(QLabel(self.tr("Theme")), 0, 0)
        grid.addWidget(self.theme, 0, 1)
        grid.addWidget(QLabel(self.tr("Narrator")), 0, 2)
        grid.addWidget(self.narrator, 0, 3)
        grid.addWidget(QLabel(self.tr("Place")), 0, 4)
        grid.addWidget(self.place, 0, 5)
        grid.addWidget(QLabel(self.tr("Language")), 1, 0)
        grid.addWidget(self.language, 1, 1)
        grid.addWidget(QLabel(self.tr("Recorded")), 1, 2)
        grid.addLayout(dates, 1, 3)
        grid.addWidget(QLabel(self.tr("Transcript")), 1, 4)
        grid.addWidget(self.status, 1, 5)
        grid.addWidget(self.reset_button, 1, 6)
        for column in (1, 3, 5):
            grid.setColumnStretch(column, 1)

    def _combo(self, anything: str, font: Any) -> QComboBox:
        combo = QComboBox()
        combo.setFont(font)
        combo.addItem(anything, None)
        combo.setMinimumContentsLength(14)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        return combo

    # -- choices from the archive ----------------------------------------------------

    def load(self, archive: Archive, language: str) -> None:
        """Offer the archive's themes, pseudonyms and places; keep what is chosen."""
        themes = [
            (INDENT * f.depth + f.theme.label(language), f.theme.id)
            for f in flatten(archive.themes.tree())
        ]
        pseudonyms = sorted({n.pseudonym for n in archive.narrators.list() if n.pseudonym})
        places = [(" / ".join(p.name_list), p.id) for p in archive.places.list()]
        places.sort(key=lambda item: item[0].casefold())
        self._refill(self.theme, themes)
        self._refill(self.narrator, [(p, p) for p in pseudonyms])
        self._refill(self.place, places)

    def clear_choices(self) -> None:
        """On lock: no theme, pseudonym or place of the archive stays in a list."""
        self.blockSignals(True)
        for combo in (self.theme, self.narrator, self.place):
            self._refill(combo, [])
        self.reset(emit=False)
        self.blockSignals(False)

    def _refill(self, combo: QComboBox, items: list[tuple[str, Any]]) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for text, value in items:
            combo.addItem(text, value)
        index = combo.findData(chosen) if chosen is not None else 0
        combo.setCurrentIndex(max(0, index))
        combo.blockSignals(False)
        if chosen is not None and index < 0:
            self.changed.emit()  # the chosen value is gone (a theme merged away)

    def reset(self, *, emit: bool = True) -> None:
        """No filter at all."""
        blocked = self.blockSignals(True)
        for combo in (self.theme, self.narrator, self.language, self.place, self.status):
            combo.setCurrentIndex(0)
        self.date_from.clear()
        self.date_to.clear()
        self.blockSignals(blocked)
        if emit:
            self.changed.emit()

    # -- the filters -----------------------------------------------------------------

    def set_theme(self, theme_id: int | None) -> None:
        self.theme.setCurrentIndex(max(0, self.theme.findData(theme_id)))

    def filters(self) -> SearchFilters:
        def one(combo: QComboBox) -> tuple[Any, ...]:
            value = combo.currentData()
            return () if value is None else (value,)

        return SearchFilters(
            themes=one(self.theme),
            narrators=one(self.narrator),
            languages=one(self.language),
            places=one(self.place),
            date_from=self.date_from.text().strip() or None,
            date_to=self.date_to.text().strip() or None,
            statuses=one(self.status),
        )

    def active(self) -> bool:
        return self.filters() != SearchFilters()
