"""The real app, offscreen: create, import, transcribe, edit, lock, unlock (pytest-qt)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from archive import Archive, InterviewMetadata
from archive.synthetic import create_interview_without_media
from desk.library.model import ID_ROLE, PAGE_SIZE
from desk.ui.main_window import MainWindow

from .conftest import FAST_KDF, FIXTURES, PASSPHRASE


@pytest.fixture
def window(qtbot) -> MainWindow:
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    yield win
    win.session.lock()


def _open_new_archive(window: MainWindow, path: Path) -> None:
    window.session.open(Archive.create(path, PASSPHRASE, kdf=FAST_KDF))


def _import(qtbot, window: MainWindow, *files: Path) -> list[str]:
    with qtbot.waitSignal(window.library.importer.finished, timeout=30_000) as blocker:
        window.library.importer.import_files(list(files), show_dialogs=False)
    imported, errors = blocker.args
    assert errors == [] or all(isinstance(e, tuple) for e in errors)
    qtbot.waitUntil(lambda: window.library.model.rowCount() >= len(imported), timeout=10_000)
    return imported


def test_welcome_then_workspace_and_title_never_names_a_narrator(qtbot, window, tmp_path):
    assert window.pages.currentWidget() is window.welcome
    assert not window.import_action.isEnabled()
    _open_new_archive(window, tmp_path / "a")
    assert window.pages.currentIndex() == 1 and window.import_action.isEnabled()
    _import(qtbot, window, FIXTURES / "speech_en.wav")
    view = window.open_interview(window.library.model.row_at(0).id)
    view.form.narrator.setText("Anahit Petrosyan")
    assert view.form.save()
    assert "Anahit" not in window.windowTitle()
    assert window.windowTitle() == "Side by Side"


def test_import_several_files_with_one_bad(qtbot, window, tmp_path):
    _open_new_archive(window, tmp_path / "a")
    bad = tmp_path / "notes.wav"
    bad.write_text("not audio")
    with qtbot.waitSignal(window.library.importer.finished, timeout=30_000) as blocker:
        window.library.importer.import_files(
            [FIXTURES / "speech_en.mp3", bad, FIXTURES / "speech_en.ogg"], show_dialogs=False
        )
    imported, errors = blocker.args
    assert len(imported) == 2
    assert errors == [("notes.wav", "notes.wav is not an audio or video file that can be read.")]
    qtbot.waitUntil(lambda: window.library.model.rowCount() == 2, timeout=10_000)
    assert window.library.count.text() == "2 interviews"


def test_full_flow_transcribe_click_edit_undo_rename_lock_unlock(qtbot, window, tmp_path):
    path = tmp_path / "a"
    _open_new_archive(window, path)
    (interview_id,) = _import(qtbot, window, FIXTURES / "speech_en.wav")
    view = window.open_interview(interview_id)
    editor, player = view.editor, view.player
    assert editor.model.rowCount() == 0

    # Transcribe with tiny.en; segments appear as they are committed.
    with qtbot.waitSignal(view.transcription.finished, timeout=120_000) as done:
        view.transcription.start({"model": "tiny.en", "language": "en", "translate": False})
    assert done.args == ["done"]
    qtbot.waitUntil(lambda: editor.model.rowCount() >= 2, timeout=10_000)
    archive = window.session.archive
    segments = archive.segments.list(interview_id)
    assert editor.model.rowCount() == len(segments)

    # Click (activate) the second segment: the player goes there.
    with qtbot.waitSignal(editor.seek_requested, timeout=5_000) as seek:
        editor.activate_row(1)
    assert seek.args[0] == pytest.approx(segments[1].start)
    qtbot.waitUntil(lambda: abs(player.position - segments[1].start) < 0.3, timeout=10_000)

    # Edit a segment and undo it.
    editor.edit_text(0, "Our neighbours shared fresh bread and hot tea.")
    assert (
        archive.segments.get(segments[0].id).text
        == "Our neighbours shared fresh bread and hot tea."
    )
    window.undo_group.undo()
    assert archive.segments.get(segments[0].id).text == segments[0].text

    # Rename a speaker everywhere.
    editor.set_speaker_rows([0, 1], "Anahit")
    editor.rename_speaker("Anahit", "A. P.")
    assert {s.speaker for s in archive.segments.list(interview_id)} >= {"A. P."}

    # Lock: everything cleared, keys dropped; unlock again.
    window.lock_action.trigger()
    assert not window.session.is_open
    assert window.pages.currentWidget() is window.welcome
    assert window.library.model.rowCount() == 0 and window.interview is None
    assert archive.closed
    window.session.open(Archive.open(path, PASSPHRASE))
    qtbot.waitUntil(lambda: window.library.model.rowCount() == 1, timeout=10_000)
    reopened = window.open_interview(interview_id)
    assert reopened.editor.model.rowCount() == len(segments)


def test_idle_auto_lock(qtbot, window, tmp_path):
    _open_new_archive(window, tmp_path / "a")
    with qtbot.waitSignal(window.session.locked, timeout=5_000):
        window.session.set_idle_interval_ms(300)
    assert window.pages.currentWidget() is window.welcome


def test_ctrl_l_locks(qtbot, window, tmp_path):
    _open_new_archive(window, tmp_path / "a")
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.session.is_open, timeout=2_000)


def test_shortcuts_sheet_lists_every_group(qtbot, window):
    sheet = window.show_shortcuts()
    text = sheet.text.text()
    for group in ("Everywhere", "Player", "Transcript"):
        assert group in text
    assert "Ctrl+L" in text


def _ten_thousand_interviews(archive: Archive) -> None:
    places = ["Baku", "Gyumri", "Тбилиси", "Şuşa"]
    with archive.db.atomic():  # one transaction: one fsync for the lot
        for i in range(10_000):
            create_interview_without_media(
                archive,
                InterviewMetadata(
                    title=f"Interview {i:05d}",
                    narrator=f"Narrator {i % 97}",
                    recorded_on=f"{1990 + i % 30}-01",
                    place=places[i % 4],
                    languages=("hy",),
                ),
                duration=float(i),
            )


def test_library_pages_ten_thousand_interviews_without_loading_them_all(qtbot, window, tmp_path):
    path = tmp_path / "big"
    archive = Archive.create(path, PASSPHRASE, kdf=FAST_KDF)
    _ten_thousand_interviews(archive)
    window.session.open(archive)
    model = window.library.model
    assert model.rowCount() == 10_000
    assert model.loaded_rows == 0  # nothing read before something is shown
    assert model.index(9_999, 0).data()  # the last row answers...
    assert model.loaded_rows <= 2 * PAGE_SIZE  # ...after reading its page only
    model.sort(5, Qt.SortOrder.DescendingOrder)  # duration, in the database
    assert model.index(0, 0).data() == "Interview 09999"
    assert model.index(0, 0).data(ID_ROLE)
    window.library.filter.setText("tbilisi")  # Latin finds Cyrillic: folded filter
    qtbot.waitUntil(lambda: model.rowCount() == 2_500, timeout=5_000)
    window.library.filter.setText("narrator 96")
    qtbot.waitUntil(
        lambda: model.rowCount() == len([i for i in range(10_000) if i % 97 == 96]), timeout=5_000
    )
    assert model.loaded_rows < 10_000


def _answer_modal(qtbot, fill) -> None:
    """Fill in the modal dialog that is about to open, then accept it."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(50, act)
            return
        fill(dialog)

    QTimer.singleShot(50, act)


def test_create_through_the_dialog_then_wrong_passphrase_then_unlock(qtbot, window, tmp_path):
    """The real dialogs and the default (about one second) key derivation."""
    folder = tmp_path / "new archive"

    def create(dialog) -> None:
        dialog.folder.field.setText(str(folder))
        dialog.passphrase.setText("Մեր հարևանները bread tea")
        assert "strong" in dialog.hint.text()
        dialog.repeat.setText("Մեր հարևանները bread tea")
        dialog._accept()

    _answer_modal(qtbot, create)
    window.welcome.create_button.click()
    qtbot.waitUntil(lambda: window.session.is_open, timeout=20_000)
    assert (folder / "keyfile.json").exists()
    window.session.lock()

    attempts: list[str] = []

    def unlock(passphrase: str):
        def fill(dialog) -> None:
            attempts.append(dialog.error.text())
            dialog.folder.field.setText(str(folder))
            dialog.passphrase.setText(passphrase)
            if passphrase == "wrong":
                _answer_modal(qtbot, unlock("Մեր հարևանները bread tea"))
            dialog.accept()

        return fill

    _answer_modal(qtbot, unlock("wrong"))
    window.welcome.open_button.click()
    qtbot.waitUntil(lambda: window.session.is_open, timeout=20_000)
    assert attempts == ["", "Wrong passphrase: this passphrase does not unlock the archive."]


def test_dropping_files_on_the_library_imports_them(qtbot, window, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    _open_new_archive(window, tmp_path / "a")
    data = QMimeData()
    data.setUrls(
        [QUrl.fromLocalFile(str(FIXTURES / n)) for n in ("speech_en.flac", "speech_ru.wav")]
    )
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    with qtbot.waitSignal(window.library.importer.finished, timeout=30_000) as blocker:
        window.library.dropEvent(event)
    assert len(blocker.args[0]) == 2
    qtbot.waitUntil(lambda: window.library.model.rowCount() == 2, timeout=5_000)
