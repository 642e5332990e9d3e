"""The main window: the welcome screen, or the workspace with its sidebar of views.

Each view is its own module; this class only places them, holds the menus, and
routes the session's open/lock to them.  The title never names a narrator.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from archive.paths import last_archive

from ..anthology.common import interviews_spec
from ..anthology.export_dialog import ExportDialog
from ..anthology.view import AnthologiesView
from ..interview import redaction_panel as redaction_keys
from ..interview import tagging as tagging_keys
from ..interview.view import InterviewView
from ..jobs.controller import JobsController
from ..jobs.panel import JobsPanel
from ..library.view import LibraryView
from ..player import shortcuts as player_keys
from ..recorder.after import offer_transcription
from ..recorder.recovery import offer_recovery
from ..recorder.view import SHORTCUTS as RECORDER_KEYS
from ..recorder.view import RecorderView
from ..search.view import SearchView
from ..session import Session
from ..themes.view import ThemesView
from ..transcript import shortcuts as editor_keys
from .opening import ArchiveOpener
from .shortcuts_sheet import ShortcutsSheet
from .welcome import WelcomeView

APP_TITLE = "Side by Side"
VIEWS = ["Library", "Search", "Themes", "Anthologies", "Jobs", "Record"]


class MainWindow(QMainWindow):
    def __init__(self, session: Session | None = None) -> None:
        super().__init__()
        self.setWindowTitle(APP_TITLE)
        self.resize(1280, 820)
        self.session = session or Session(self)
        self.jobs = JobsController(self.session, self)
        self.opener = ArchiveOpener(self.session, self)
        self.undo_group = QUndoGroup(self)

        self.welcome = WelcomeView(last_archive())
        self.welcome.create_requested.connect(self.opener.create)
        self.welcome.open_requested.connect(self.opener.unlock)
        self.welcome.demo_requested.connect(self.opener.open_demo)
        self.opener.busy.connect(self.welcome.set_busy)
        self.opener.failed.connect(self.welcome.show_error)

        self.library = LibraryView(self.session)
        self.library.interview_activated.connect(self.open_interview)
        self.jobs_panel = JobsPanel(self.session, self.jobs)
        self.search_view = SearchView(self.session)
        self.search_view.open_requested.connect(self.open_interview_at)
        self.themes_view = ThemesView(self.session)
        self.themes_view.open_requested.connect(self.open_interview_at)
        self.anthologies_view = AnthologiesView(self.session)
        self.export_dialog: ExportDialog | None = None
        self.library.export_requested.connect(self.export_interviews)
        self.recorder = RecorderView(self.session)
        self.recorder.recorded.connect(self._on_recorded)
        self.recovery_dialog: QDialog | None = None  # unfinished recordings, offered on open
        self.transcribe_offer: QMessageBox | None = None  # after a recording is saved
        self.interview: InterviewView | None = None

        self.sidebar = QListWidget()
        self.sidebar.setFixedWidth(170)
        self.sidebar.setStyleSheet(
            "QListWidget { border: none; outline: 0; background: palette(window); font-size: 11pt }"
            "QListWidget::item { padding: 9px 14px; border-radius: 6px }"
            "QListWidget::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text) }"
        )
        for name in VIEWS:
            self.sidebar.addItem(self.tr(name))
        self.views = QStackedWidget()
        for view in (
            self.library,
            self.search_view,
            self.themes_view,
            self.anthologies_view,
            self.jobs_panel,
            self.recorder,
        ):
            self.views.addWidget(view)
        self.sidebar.currentRowChanged.connect(self.show_view)
        workspace = QWidget()
        row = QHBoxLayout(workspace)
        row.setContentsMargins(8, 8, 8, 8)
        row.addWidget(self.sidebar)
        row.addWidget(self.views, 1)

        self.pages = QStackedWidget()
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(workspace)
        self.setCentralWidget(self.pages)
        self._build_menus()

        self.session.opened.connect(self._on_opened)
        self.session.locked.connect(self._on_locked)
        self.jobs.failed.connect(lambda m: QMessageBox.warning(self, APP_TITLE, m))
        self.jobs.job_finished.connect(lambda _s: self.library.refresh())
        self._update_actions()

    # -- menus -----------------------------------------------------------------

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[..., object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu(self.tr("&File"))
        self._action(
            file, self.tr("New archive…"), self.opener.create, QKeySequence.StandardKey.New
        )
        self._action(
            file,
            self.tr("Open archive…"),
            lambda: self.opener.unlock(last_archive()),
            QKeySequence.StandardKey.Open,
        )
        self._action(file, self.tr("Open the demo archive"), self.opener.open_demo)
        file.addSeparator()
        self.import_action = self._action(
            file, self.tr("Import audio or video…"), self.library.choose_files, "Ctrl+I"
        )
        self.record_action = self._action(
            file,
            self.tr("New recording…"),
            lambda: self.show_view(VIEWS.index("Record")),
            "Ctrl+Shift+N",
        )
        self.export_action = self._action(
            file, self.tr("Export…"), lambda: self.export_current(), "Ctrl+E"
        )
        file.addSeparator()
        self.lock_action = self._action(file, self.tr("Lock archive"), self.session.lock, "Ctrl+L")
        self._action(file, self.tr("Quit"), self.close, QKeySequence.StandardKey.Quit)

        edit = bar.addMenu(self.tr("&Edit"))
        undo = self.undo_group.createUndoAction(self, self.tr("Undo"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_group.createRedoAction(self, self.tr("Redo"))
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        edit.addAction(undo)
        edit.addAction(redo)

        view = bar.addMenu(self.tr("&View"))
        self.view_actions = [
            self._action(
                view, self.tr(name), lambda _=False, i=i: self.show_view(i), f"Ctrl+{i + 1}"
            )
            for i, name in enumerate(VIEWS)
        ]

        settings = bar.addMenu(self.tr("&Settings"))
        self._action(settings, self.tr("Auto-lock after…"), self._choose_idle_minutes)

        toolbar = self.addToolBar(self.tr("Archive"))
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.import_action)
        toolbar.addAction(self.lock_action)

        help_menu = bar.addMenu(self.tr("&Help"))
        self._action(help_menu, self.tr("Keyboard shortcuts"), self.show_shortcuts, "F1")
        self._action(help_menu, self.tr("About Side by Side"), self._about)

    def app_shortcuts(self) -> list[tuple[str, QKeySequence, str]]:
        return [
            ("import", QKeySequence("Ctrl+I"), self.tr("Import audio or video")),
            (
                "export",
                QKeySequence("Ctrl+E"),
                self.tr("Export the interview, selection or anthology"),
            ),
            ("lock", QKeySequence("Ctrl+L"), self.tr("Lock the archive now")),
            ("record", QKeySequence("Ctrl+Shift+N"), self.tr("New recording")),
            ("views", QKeySequence("Ctrl+1"), self.tr("Library (Ctrl+2…6: other views)")),
            ("undo", QKeySequence(QKeySequence.StandardKey.Undo), self.tr("Undo")),
            ("redo", QKeySequence(QKeySequence.StandardKey.Redo), self.tr("Redo")),
            ("save", QKeySequence(QKeySequence.StandardKey.Save), self.tr("Save the form")),
            ("help", QKeySequence("F1"), self.tr("This sheet")),
        ]

    def show_shortcuts(self) -> ShortcutsSheet:
        sheet = ShortcutsSheet(
            [
                (self.tr("Everywhere"), self.app_shortcuts()),
                (
                    self.tr("Player"),
                    [(s.name, s.keys, player_keys.describe(s)) for s in player_keys.SHORTCUTS],
                ),
                (
                    self.tr("Transcript"),
                    [
                        (s.name, s.keys, editor_keys.describe(s))
                        for s in editor_keys.SHORTCUTS
                        if s.name not in editor_keys.PLAYER_KEYS
                    ],
                ),
                (
                    self.tr("Tagging"),
                    [(n, keys, tagging_keys.describe(d)) for n, keys, d in tagging_keys.SHORTCUTS],
                ),
                (
                    self.tr("Redaction"),
                    [
                        (n, keys, redaction_keys.describe(d))
                        for n, keys, d in redaction_keys.SHORTCUTS
                    ],
                ),
                (
                    self.tr("Recording"),
                    [(n, QKeySequence(k), self.tr(d)) for n, k, d in RECORDER_KEYS],
                ),
            ],
            self,
        )
        sheet.open()
        return sheet

    def _choose_idle_minutes(self) -> None:
        minutes, ok = QInputDialog.getInt(
            self,
            self.tr("Auto-lock"),
            self.tr("Lock the archive after this many idle minutes (0: never):"),
            self.session.idle_minutes,
            0,
            240,
        )
        if ok:
            self.session.set_idle_minutes(minutes)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About Side by Side"),
            self.tr(
                "Side by Side — an offline, encrypted archive for oral histories.\n"
                "Nothing you record, transcribe or write ever leaves this computer."
            ),
        )

    # -- views -------------------------------------------------------------------

    def show_view(self, index: int) -> None:
        if not self.session.is_open:
            return
        if self.sidebar.currentRow() != index:
            self.sidebar.setCurrentRow(index)
        self.views.setCurrentIndex(index)
        if index == 0 and self.interview is not None:
            self.views.setCurrentWidget(self.interview)
        if VIEWS[index] == "Jobs":
            self.jobs_panel.refresh()

    # -- export ------------------------------------------------------------------------

    def export_current(self) -> ExportDialog | None:
        """File > Export… (Ctrl+E): the open interview, the selected anthology, the
        interviews selected in the library — or, with nothing chosen, every interview."""
        if not self.session.is_open:
            return None
        current = self.views.currentWidget()
        if current is self.interview and self.interview is not None:
            return self.export_interviews([self.interview.interview_id])
        if current is self.anthologies_view and self.anthologies_view.selected_id() is not None:
            return self.anthologies_view.export_selected()
        if current is self.library and self.library.selected_ids():
            return self.export_interviews(self.library.selected_ids())
        ids = [i.id for i in self.session.archive.interviews.list()]
        return self.export_interviews(ids, what=self.tr("Export every interview"))

    def export_interviews(self, interview_ids: list[str], what: str | None = None) -> ExportDialog:
        """The export dialog for whole interviews (one from its view, or a selection)."""
        spec = interviews_spec(interview_ids)
        if what is None:
            what = (
                self.tr("Export this interview")
                if len(interview_ids) == 1
                else self.tr("Export {n} interviews").format(n=len(interview_ids))
            )
        dialog = ExportDialog(self.session, spec, self, what=what)
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def open_interview(self, interview_id: str) -> InterviewView:
        self.close_interview()
        view = InterviewView(self.session.archive, self.jobs, interview_id)
        view.back_requested.connect(self.close_interview)
        view.changed.connect(self.library.refresh)
        view.export_requested.connect(lambda i: self.export_interviews([i]))
        self.undo_group.addStack(view.editor.undo_stack)
        self.undo_group.setActiveStack(view.editor.undo_stack)
        self.views.addWidget(view)
        self.views.setCurrentWidget(view)
        self.interview = view
        return view

    def open_interview_at(self, interview_id: str, seconds: float) -> InterviewView:
        """Open an interview (from a search hit or a clip) with the player at ``seconds``
        and the segment there selected."""
        view = self.open_interview(interview_id)
        self.sidebar.setCurrentRow(0)  # the interview lives under the Library
        view.player.seek(seconds)
        at = [s for s in view.editor.model.segments() if s.start <= seconds + 0.01]
        if at:
            view.editor.select_segment(at[-1].id)
        return view

    def close_interview(self) -> None:
        view, self.interview = self.interview, None
        if view is not None:
            view.release()
            self.undo_group.removeStack(view.editor.undo_stack)
            self.views.removeWidget(view)
            view.deleteLater()
        if self.session.is_open:
            self.views.setCurrentWidget(self.library)

    # -- session -----------------------------------------------------------------

    def _on_opened(self) -> None:
        self.pages.setCurrentIndex(1)
        self.sidebar.setCurrentRow(0)
        self.library.refresh()
        self.jobs_panel.refresh()
        interrupted = [j for j in self.jobs.jobs() if j.status == "interrupted"]
        if interrupted:
            self.statusBar().showMessage(
                self.tr("{n} transcription(s) were interrupted — resume them in Jobs.").format(
                    n=len(interrupted)
                )
            )
        self.recovery_dialog = offer_recovery(self.session, self)
        if self.recovery_dialog is not None:
            self.recovery_dialog.recovered.connect(lambda _id: self.library.refresh())
        self._update_actions()

    def _on_recorded(self, interview_id: str) -> None:
        """A recording was saved: open it with its form, and offer to transcribe it."""
        if not self.session.is_open:
            return
        self.library.refresh()
        view = self.open_interview(interview_id)
        self.sidebar.setCurrentRow(0)  # the interview lives under the Library
        self.transcribe_offer = offer_transcription(view, self)

    def _on_locked(self) -> None:
        self.close_interview()
        self.library.clear()
        self.jobs_panel.clear()
        self.pages.setCurrentIndex(0)
        self.welcome.set_busy(None)
        self.welcome.status.setText(self.tr("The archive is locked. Open it again to go on."))
        self.statusBar().clearMessage()
        self._update_actions()

    def _update_actions(self) -> None:
        is_open = self.session.is_open
        for action in (
            self.import_action,
            self.record_action,
            self.export_action,
            self.lock_action,
            *self.view_actions,
        ):
            action.setEnabled(is_open)
        self.sidebar.setEnabled(is_open)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.session.lock()  # stops a running job as 'interrupted': it resumes next time
        event.accept()
