"""One interview: what is known about it, its audio, and its transcript, side by side.

The left column has tabs for the interview's details, its consent and its
redactions, above its themes and clips; the header says in one line what consent
allows and offers "Export interview…" (the main window opens the export dialog).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from archive import Archive

from ..jobs.controller import JobsController
from ..player.player import PlayerWidget
from ..player.shortcuts import install_shortcuts
from ..transcript.editor import TranscriptEditor
from .consent_panel import ConsentPanel, banner_style
from .metadata_form import MetadataForm
from .redaction_panel import RedactionPanel
from .tagging import TaggingPanel
from .transcription_bar import TranscriptionBar


class InterviewView(QWidget):
    back_requested = Signal()
    changed = Signal()  # metadata saved or transcript changed: the library may refresh
    export_requested = Signal(str)  # interview id: "Export interview…"

    def __init__(
        self,
        archive: Archive,
        jobs: JobsController,
        interview_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.interview_id = interview_id
        interview = archive.interviews.get(interview_id)

        back = QPushButton(self.tr("‹ Library"))
        back.setFlat(True)
        back.clicked.connect(self.back_requested)
        self.heading = QLabel(interview.title or self.tr("Untitled interview"))
        self.heading.setStyleSheet("font-size: 15pt; font-weight: 600")
        self.transcription = TranscriptionBar(jobs, interview_id)

        self.form = MetadataForm(archive, interview_id)
        self.form.saved.connect(self._on_saved)
        self.player = PlayerWidget(archive)
        # The player's keys work anywhere in this view; the editor only emits requests.
        self.editor = TranscriptEditor(archive, interview_id, player_keys=False)
        install_shortcuts(self.player, self, Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self.editor.seek_requested.connect(self.player.seek)
        self.editor.play_requested.connect(self.player.play)
        self.editor.toggle_play_requested.connect(self.player.toggle_play)
        self.editor.skip_requested.connect(self.player.skip)
        self.player.position_changed.connect(self.editor.set_playhead)
        self.editor.segments_changed.connect(self.changed)
        self.transcription.segments_arrived.connect(self.editor.reload)
        self.transcription.finished.connect(lambda _status: self.changed.emit())
        # Clips and themes: I / O mark in and out, Ctrl+T tags (see tagging.py).
        self.tagging = TaggingPanel(archive, interview_id, self.player, self.editor)
        self.tagging.install_shortcuts(self)
        self.tagging.changed.connect(self.changed)
        # Consent and redaction (issue 6): their own panels, in tabs beside the form.
        self.consent = ConsentPanel(archive, interview_id, self.player)
        self.redactions = RedactionPanel(
            archive, interview_id, self.editor, self.player, self._marks
        )
        self.redactions.install_shortcuts(self)
        self.tagging.changed.connect(self.consent.reload_clips)
        self.consent_badge = QLabel()
        self.consent_badge.setWordWrap(True)
        self.consent_badge.setMaximumWidth(420)
        self.consent.summary_changed.connect(self._show_consent)
        self.consent.load()
        self.export_button = QPushButton(self.tr("Export interview…"))
        self.export_button.setToolTip(self.tr("Export this interview as its consent allows"))
        self.export_button.clicked.connect(lambda: self.export_requested.emit(self.interview_id))

        header = QHBoxLayout()
        header.addWidget(back)
        header.addWidget(self.heading, 1)
        header.addWidget(self.consent_badge)
        header.addWidget(self.export_button)
        header.addWidget(self.transcription)

        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.player)
        column.addWidget(self.editor, 1)
        left = QWidget()
        form_column = QVBoxLayout(left)
        form_column.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.form, self.tr("Details"))
        self.tabs.addTab(self.consent, self.tr("Consent"))
        self.tabs.addTab(self.redactions, self.tr("Redactions"))
        form_column.addWidget(self.tabs)
        form_column.addWidget(self.tagging, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([360, 860])

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(splitter, 1)
        self.player.load(interview_id)

    def _on_saved(self) -> None:
        self.heading.setText(self.form.title.text() or self.tr("Untitled interview"))
        self.changed.emit()

    def _marks(self) -> tuple[float, float] | None:
        """The tagging panel's I / O marks, when both are set (for redacting time)."""
        t = self.tagging
        if t.mark_in_at is None or t.mark_out_at is None:
            return None
        low, high = sorted((t.mark_in_at, t.mark_out_at))
        return (low, high) if high > low else None

    def _show_consent(self, text: str, tone: str) -> None:
        self.consent_badge.setText(text)
        self.consent_badge.setToolTip(text)
        self.consent_badge.setStyleSheet(banner_style(tone))

    def release(self) -> None:
        """Let go of the audio and the archive (on lock or when leaving the view)."""
        self.consent.release()
        self.tagging.release()
        self.player.unload()
