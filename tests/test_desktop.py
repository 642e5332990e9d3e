"""The real app, offscreen: create, import, transcribe, edit, lock, unlock (pytest-qt)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from archive import Archive, InterviewSummary
from desk.library.model import ID_ROLE, SORT_ROLE, InterviewTableModel
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


def _summary(i: int) -> InterviewSummary:
    return InterviewSummary(
        id=f"{i:012x}", title=f"Interview {i}", narrator_name=f"Narrator {i % 97}",
        narrator_pseudonym=None, recorded_on=f"{1990 + i % 30}-01", place=["Baku", "Gyumri"][i % 2],
        languages=("hy",), duration=float(i), transcription_status="done",
        themes_count=i % 5, created_at="",
    )  # fmt: skip


def test_library_model_sorts_and_filters_ten_thousand_rows(qtbot, window, tmp_path):
    _open_new_archive(window, tmp_path / "a")
    library = window.library
    library.model.set_rows([_summary(i) for i in range(10_000)])
    assert library.proxy.rowCount() == 10_000
    library.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)  # duration
    first = library.proxy.index(0, 0)
    assert first.data(ID_ROLE) == f"{9999:012x}"
    library.filter.setText("Gyumri")
    assert library.proxy.rowCount() == 5_000
    library.filter.setText("narrator 96")
    assert library.proxy.rowCount() == len([i for i in range(10_000) if i % 97 == 96])
    assert isinstance(InterviewTableModel().rowCount(QModelIndex()), int)
    assert library.proxy.index(0, 5).data(SORT_ROLE) >= library.proxy.index(1, 5).data(SORT_ROLE)
