"""The transcript editor, driven offscreen on a real encrypted archive."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QStyleOptionViewItem, QWidget

from archive import Archive, NewSegment, Segment, Word
from desk.transcript import SHORTCUTS, TranscriptEditor, describe
from desk.transcript.delegate import SegmentTextEdit
from desk.transcript.follow import QUIET_SECONDS, FollowGate
from desk.transcript.marks import is_corrected, low_confidence_ranges
from desk.transcript.model import (
    Column,
    LowConfidenceRole,
    PlayheadRole,
    SegmentModel,
    format_timecode,
)
from desk.transcript.shortcuts import SKIP_SECONDS
from desk.transcript.textpos import from_qt, to_qt

from .conftest import FAST_KDF, FIXTURES, PASSPHRASE

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier

# start, end, text, speaker, language, doubtful words
ROWS = [
    (0.0, 4.2, "Our neighbours in Baku were Armenians, and we shared bread.", "Interviewer", "en",
     {"bread."}),
    (4.2, 9.8, "Մեր հարևանները ադրբեջանցիներ էին, և մենք միասին էինք։", "Անահիտ", "hy",
     {"ադրբեջանցիներ"}),
    (9.8, 15.0, "Мы жили на одной улице в Сумгаите.", "Ольга", "ru", set()),
    (15.0, 21.5, "Qonşularımız çox yaxşı insanlar idi.", "Ольга", "az", set()),
    (21.5, 30.0, "ჩვენ ერთად ვცხოვრობდით თბილისში.", None, "ka", set()),
]  # fmt: skip


def words_for(text: str, start: float, end: float, doubtful: set[str]) -> tuple[Word, ...]:
    tokens = text.split()
    step = (end - start) / len(tokens)
    return tuple(
        Word(start + i * step, start + (i + 1) * step, " " + t, 0.3 if t in doubtful else 0.95)
        for i, t in enumerate(tokens)
    )


@pytest.fixture(scope="module")
def shared_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    """One archive for the module (each test has its own interview in it): creating
    an archive derives a key, and the editor tests are many and short."""
    base = tmp_path_factory.mktemp("editor")
    with pytest.MonkeyPatch.context() as patch:  # never the real user's folders
        patch.setenv("SIDEBYSIDE_CONFIG_DIR", str(base / "config"))
        patch.setenv("SIDEBYSIDE_DATA_DIR", str(base / "data"))
        shared = Archive.create(base / "archive", PASSPHRASE, kdf=FAST_KDF)
    yield shared
    shared.close()


@pytest.fixture
def archive(shared_archive: Archive) -> Archive:
    return shared_archive


@pytest.fixture
def own_archive(archive_path: Path) -> Iterator[Archive]:
    """An archive of the test's own, for a test that locks it."""
    own = Archive.create(archive_path, PASSPHRASE, kdf=FAST_KDF)
    yield own
    own.close()


def add_rows(archive: Archive, interview_id: str) -> list[int]:
    ids = archive.segments.add(
        interview_id,
        [
            NewSegment(s, e, t, speaker=who, language=lang, words=words_for(t, s, e, low))
            for s, e, t, who, lang, low in ROWS
        ],
    )
    archive.segments.set_text(ids[2], "Мы жили на одной улице в Сумгаите, двери не закрывали.")
    return ids


def show_editor(qtbot, archive: Archive, interview_id: str) -> TranscriptEditor:
    widget = TranscriptEditor(archive, interview_id)
    qtbot.addWidget(widget)
    widget.resize(900, 420)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


@pytest.fixture
def interview_id(archive: Archive) -> str:
    return archive.import_file(FIXTURES / "speech_en.wav").id


@pytest.fixture
def ids(archive: Archive, interview_id: str) -> list[int]:
    return add_rows(archive, interview_id)


@pytest.fixture
def editor(qtbot, archive: Archive, interview_id: str, ids: list[int]) -> TranscriptEditor:
    return show_editor(qtbot, archive, interview_id)


@pytest.fixture
def own_editor(qtbot, own_archive: Archive) -> tuple[TranscriptEditor, list[int]]:
    interview_id = own_archive.import_file(FIXTURES / "speech_en.wav").id
    ids = add_rows(own_archive, interview_id)
    return show_editor(qtbot, own_archive, interview_id), ids


def open_text_editor(editor: TranscriptEditor, row: int) -> SegmentTextEdit:
    editor.view.edit_text(row)
    widget = editor.view.indexWidget(editor.model.index(row, Column.TEXT))
    assert isinstance(widget, SegmentTextEdit)
    return widget


def type_text(widget: QWidget, text: str) -> None:
    """Key presses carrying any character (QTest's key clicks only know Latin-1)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def listing(archive: Archive, interview_id: str) -> list[Segment]:
    return archive.segments.list(interview_id)


def texts(editor: TranscriptEditor) -> list[str]:
    return [s.text for s in editor.model.segments()]


# -- reading --------------------------------------------------------------------


def test_loads_one_row_per_segment(editor: TranscriptEditor, archive, interview_id):
    model = editor.model
    assert model.rowCount() == 5 and model.columnCount() == 3
    assert [model.index(1, c).data() for c in Column] == ["00:00:04", "Անահիտ", ROWS[1][2]]
    assert model.segments() == listing(archive, interview_id)
    assert format_timecode(3725.9) == "01:02:05"
    assert editor.speaker_bar.combo.count() == 3  # Interviewer, Անահիտ, Ольга


def test_reload_shows_new_segments_and_keeps_the_rest(editor, archive, interview_id, ids):
    kept = [editor.model.segment(r) for r in range(5)]
    archive.segments.add(interview_id, [NewSegment(30.0, 33.0, "A new machine segment")])
    with_new = []
    editor.segments_changed.connect(lambda: with_new.append(editor.model.rowCount()))
    editor.reload()
    assert with_new == [6] and editor.model.segments()[:5] == kept


# -- editing text ---------------------------------------------------------------


def test_edit_text_in_place_then_undo_and_redo(qtbot, editor, archive, ids):
    original = archive.segments.get(ids[0])
    typing = open_text_editor(editor, 0)
    typing.setPlainText("Our neighbours in Bakı were Armenians, and we shared bread.")
    qtbot.keyClick(typing, Qt.Key.Key_Return)  # Enter saves
    assert not editor.view.is_editing()
    saved = archive.segments.get(ids[0])
    assert saved.text == "Our neighbours in Bakı were Armenians, and we shared bread."
    assert saved.machine_text == original.machine_text and saved.edited
    assert editor.model.segment(0) == saved
    assert editor.undo_stack.count() == 1
    editor.undo_stack.undo()
    assert archive.segments.get(ids[0]) == original == editor.model.segment(0)
    editor.undo_stack.redo()
    assert archive.segments.get(ids[0]) == saved == editor.model.segment(0)


def test_armenian_georgian_and_azerbaijani_typing_round_trips(qtbot, editor, archive, ids):
    typing = open_text_editor(editor, 4)
    assert typing.textCursor().position() == len(ROWS[4][2])  # at the end of the text
    type_text(typing, " Ձի, ცხენი, şəkər, ığ")
    qtbot.keyClick(typing, Qt.Key.Key_Return)
    expected = ROWS[4][2] + " Ձի, ცხენი, şəkər, ığ"
    assert archive.segments.get(ids[4]).text == expected == editor.model.segment(4).text


def test_double_click_seeks_and_puts_the_cursor_where_it_fell(qtbot, editor):
    index = editor.model.index(2, Column.TEXT)
    rect = editor.view.visualRect(index)
    word = editor.model.segment(2).text.index("Сумгаите")
    option = QStyleOptionViewItem()
    option.font = editor.view.font()
    doc = editor.delegate.document(index, index.data(), rect.width(), option)
    hit = doc.documentLayout().hitTest
    x = next(
        x for x in range(rect.width()) if hit(QPointF(x, 5), Qt.HitTestAccuracy.FuzzyHit) > word + 2
    )
    x += 6  # the cell's padding
    where = QPoint(rect.left() + x, rect.top() + 8)
    viewport = editor.view.viewport()
    with qtbot.waitSignal(editor.seek_requested) as seek:
        # A person's double-click: press and release, then the double-click itself
        # (QTest's mouseDClick sends only the latter).
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=where)
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=where)
    assert seek.args == [9.8]
    typing = editor.view.indexWidget(index)
    assert isinstance(typing, SegmentTextEdit)
    assert word < typing.textCursor().position() < word + len("Сумгаите")


def test_an_undo_that_cannot_be_written_says_so(qtbot, own_archive, own_editor):
    editor, ids = own_editor
    archive = own_archive
    editor.assign_speaker("Rəşad", [ids[4]])
    archive.close()
    editor.undo_stack.undo()
    assert "Could not undo" in editor.message.text() and "locked" in editor.message.text()
    qtbot.waitUntil(lambda: editor.undo_stack.count() == 0)
    assert editor.model.segment(4).speaker == "Rəşad"  # the model still shows the archive


def test_a_failed_write_says_so_and_changes_nothing(qtbot, own_archive, own_editor):
    editor, _ids = own_editor
    archive = own_archive
    before = editor.model.segments()
    archive.close()  # locked: every write now fails
    errors = []
    editor.error_occurred.connect(errors.append)
    typing = open_text_editor(editor, 0)
    typing.setPlainText("never saved")
    qtbot.keyClick(typing, Qt.Key.Key_Return)
    assert editor.model.segments() == before
    assert editor.undo_stack.count() == 0
    assert errors and "locked" in errors[0]
    assert editor.message.isVisible() and "locked" in editor.message.text()


def test_rows_fit_their_text_as_it_changes_and_as_the_width_changes(qtbot, editor):
    view, model = editor.view, editor.model
    one_line = view.rowHeight(4)
    long_text = " ".join([ROWS[4][2]] * 8)
    assert model.setData(model.index(4, Column.TEXT), long_text)
    assert view.rowHeight(4) > 2 * one_line
    editor.undo_stack.undo()
    assert view.rowHeight(4) == one_line
    wide = view.rowHeight(0)
    editor.resize(420, 420)
    qtbot.waitUntil(lambda: view.rowHeight(0) > wide)


def test_model_apply_keeps_the_archive_order_and_signals_the_right_rows(qtbot):
    model = SegmentModel()
    segments = [Segment(i, "x", float(i), i + 1.0, f"text {i}") for i in range(1, 7)]
    model.load(segments)
    signalled: list[list[int]] = []
    model.dataChanged.connect(
        lambda top, bottom, *_: signalled.append(
            [model.segment(r).id for r in range(top.row(), bottom.row() + 1)]
        )
    )
    edited = replace(segments[4], text="edited")  # stays where it is
    moved = replace(segments[0], start=4.5, end=4.6)  # goes after segment 4
    new = Segment(9, "x", 2.5, 2.7, "inserted")
    model.apply([2], [edited, moved, new])
    assert [s.id for s in model.segments()] == [9, 3, 4, 1, 5, 6]
    assert model.segment(4) == edited and signalled == [[5]]
    assert model.row_at(4.55) == 3 and model.row_at(2.8) is None  # a gap


# -- speakers -------------------------------------------------------------------


def test_assign_a_speaker_to_selected_rows_in_one_step(qtbot, editor, archive, interview_id):
    before = listing(archive, interview_id)
    editor.view.selectRow(3)
    editor.view.selectionModel().select(
        editor.model.index(4, 0),
        editor.view.selectionModel().SelectionFlag.Select
        | editor.view.selectionModel().SelectionFlag.Rows,
    )
    editor.speaker_bar.combo.setEditText("Rəşad")
    qtbot.mouseClick(editor.speaker_bar.assign_button, Qt.MouseButton.LeftButton)
    assert [s.speaker for s in listing(archive, interview_id)][3:] == ["Rəşad", "Rəşad"]
    assert editor.undo_stack.count() == 1
    editor.undo_stack.undo()
    assert listing(archive, interview_id) == before == editor.model.segments()


def test_speaker_cell_edits_with_a_completing_combo(qtbot, editor, archive, ids):
    index = editor.model.index(4, Column.SPEAKER)
    editor.view.setCurrentIndex(index)
    editor.view.edit(index)
    combo = editor.view.indexWidget(index)
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["Interviewer", "Անահիտ", "Ольга"]
    combo.setEditText("ნინო")
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: archive.segments.get(ids[4]).speaker == "ნინო")
    assert editor.model.index(4, Column.SPEAKER).data() == "ნინო"


def test_rename_a_speaker_everywhere_and_undo(editor, archive, interview_id):
    before = listing(archive, interview_id)
    editor.speaker_bar.open_rename_dialog()
    dialog = editor.speaker_bar.dialog
    assert dialog is not None
    dialog.old_combo.setCurrentText("Ольга")
    dialog.new_edit.setText("Olga")
    dialog.accept()
    assert [s.speaker for s in listing(archive, interview_id)] == [
        "Interviewer", "Անահիտ", "Olga", "Olga", None,
    ]  # fmt: skip
    assert [editor.model.index(r, Column.SPEAKER).data() for r in (2, 3)] == ["Olga", "Olga"]
    assert editor.undo_stack.count() == 1
    editor.undo_stack.undo()
    assert listing(archive, interview_id) == before == editor.model.segments()
    editor.undo_stack.redo()
    assert archive.segments.speakers(interview_id) == ["Interviewer", "Անահիտ", "Olga"]


# -- split and merge ------------------------------------------------------------


def test_split_at_the_cursor_and_undo_returns_the_same_ids(qtbot, editor, archive, interview_id):
    before = listing(archive, interview_id)
    typing = open_text_editor(editor, 0)
    cursor = typing.textCursor()
    cursor.setPosition(ROWS[0][2].index("and we"))
    typing.setTextCursor(cursor)
    qtbot.keyClick(typing, Qt.Key.Key_S, CTRL_SHIFT)
    after = listing(archive, interview_id)
    assert [s.text for s in after[:2]] == [
        "Our neighbours in Baku were Armenians,", "and we shared bread.",
    ]  # fmt: skip
    assert texts(editor) == [s.text for s in after] and not editor.view.is_editing()
    editor.undo_stack.undo()
    assert listing(archive, interview_id) == before == editor.model.segments()
    editor.undo_stack.redo()
    assert listing(archive, interview_id) == after == editor.model.segments()


def test_typing_then_splitting_is_one_undo_step(qtbot, editor, archive, interview_id):
    before = listing(archive, interview_id)
    typing = open_text_editor(editor, 1)
    typing.setPlainText("Մեր հարևանները, ասում եմ, լավ մարդիկ էին")
    cursor = typing.textCursor()
    cursor.setPosition(len("Մեր հարևանները,"))
    typing.setTextCursor(cursor)
    editor.split_at_cursor()
    assert texts(editor)[1:3] == ["Մեր հարևանները,", "ասում եմ, լավ մարդիկ էին"]
    assert editor.undo_stack.count() == 1
    editor.undo_stack.undo()
    assert listing(archive, interview_id) == before == editor.model.segments()


def test_split_without_a_text_cursor_explains_itself(editor, archive, interview_id):
    before = listing(archive, interview_id)
    editor.view.go_to_row(0)
    editor.split_at_cursor()
    assert editor.message.isVisible() and "F2" in editor.message.text()
    assert listing(archive, interview_id) == before


def test_merge_with_next_and_undo(qtbot, editor, archive, interview_id, ids):
    before = listing(archive, interview_id)
    editor.view.go_to_row(2)
    editor.view.setFocus()
    qtbot.keyClick(editor.view, Qt.Key.Key_M, CTRL_SHIFT)
    merged = archive.segments.get(ids[2])
    assert merged.text.endswith("не закрывали. Qonşularımız çox yaxşı insanlar idi.")
    assert editor.model.rowCount() == 4 and editor.model.segment(2) == merged
    editor.undo_stack.undo()
    assert listing(archive, interview_id) == before == editor.model.segments()
    editor.view.go_to_row(4)
    editor.merge_with_next()
    assert "no next segment" in editor.message.text()


# -- the player -----------------------------------------------------------------


def test_playhead_highlights_its_segment(editor):
    model = editor.model
    editor.set_playhead(5.0)
    assert [model.index(r, 0).data(PlayheadRole) for r in range(5)] == [
        False, True, False, False, False,
    ]  # fmt: skip
    assert model.index(1, Column.TEXT).data(Qt.ItemDataRole.BackgroundRole) is not None
    editor.set_playhead(15.0)  # the start of the fourth
    assert model.playhead_row() == 3
    editor.set_playhead(99.0)  # after the last segment
    assert model.playhead_row() is None
    assert model.index(3, 0).data(Qt.ItemDataRole.BackgroundRole) is None


def test_playhead_is_followed_unless_the_user_scrolled(qtbot, archive, interview_id):
    archive.segments.add(
        interview_id, [NewSegment(i * 2.0, i * 2.0 + 2, f"Segment number {i}") for i in range(120)]
    )
    editor = TranscriptEditor(archive, interview_id)
    qtbot.addWidget(editor)
    editor.resize(700, 300)
    editor.show()
    qtbot.waitExposed(editor)
    view = editor.view

    def visible(row: int) -> bool:
        rect = view.visualRect(editor.model.index(row, Column.TEXT))
        return view.viewport().rect().contains(rect.center())

    editor.set_playhead(201.0)  # row 100
    assert visible(100)
    view.verticalScrollBar().triggerAction(view.verticalScrollBar().SliderAction.SliderToMinimum)
    editor.set_playhead(221.0)  # row 110: the user just scrolled up to read
    assert not visible(110) and visible(0)


def test_follow_gate_waits_for_quiet():
    now = [100.0]
    gate = FollowGate(clock=lambda: now[0])
    assert gate.may_follow(editing=False) and not gate.may_follow(editing=True)
    gate.user_active()
    now[0] += QUIET_SECONDS - 0.1
    assert not gate.may_follow(editing=False)
    now[0] += 0.2
    assert gate.may_follow(editing=False)


def test_click_on_a_timecode_seeks_there(qtbot, editor):
    rect = editor.view.visualRect(editor.model.index(2, Column.TIME))
    with qtbot.waitSignal(editor.seek_requested) as seek:
        qtbot.mouseClick(editor.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert seek.args == [9.8]


def test_enter_plays_from_the_segment_but_saves_while_typing(qtbot, editor, archive, ids):
    editor.view.go_to_row(3)
    editor.view.setFocus()
    played = []
    editor.play_requested.connect(lambda: played.append(True))
    with qtbot.waitSignal(editor.seek_requested) as seek:
        qtbot.keyClick(editor.view, Qt.Key.Key_Return)
    assert seek.args == [15.0] and played == [True]
    typing = open_text_editor(editor, 3)
    typing.setPlainText("Qonşularımız yaxşı insanlar idi.")
    with qtbot.assertNotEmitted(editor.play_requested):
        qtbot.keyClick(typing, Qt.Key.Key_Return)
    assert archive.segments.get(ids[3]).text == "Qonşularımız yaxşı insanlar idi."


def test_player_keys_work_while_typing_and_escape_keeps_the_text(qtbot, editor):
    typing = open_text_editor(editor, 1)
    typing.setPlainText("half typed")
    with qtbot.waitSignal(editor.toggle_play_requested):
        qtbot.keyClick(typing, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(editor.toggle_play_requested):
        qtbot.keyClick(typing, Qt.Key.Key_Escape)
    assert editor.view.is_editing() and typing.toPlainText() == "half typed"
    with qtbot.waitSignal(editor.skip_requested) as back:
        qtbot.keyClick(typing, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(editor.skip_requested) as forward:
        qtbot.keyClick(typing, Qt.Key.Key_R, CTRL_SHIFT)
    assert (back.args, forward.args) == ([-SKIP_SECONDS], [SKIP_SECONDS])


def test_every_listed_shortcut_is_bound_and_described(editor):
    names = [s.name for s in SHORTCUTS]
    assert len(set(names)) == len(names) and set(editor.shortcuts) == set(names)
    for shortcut in SHORTCUTS:
        assert editor.shortcuts[shortcut.name].key() == shortcut.keys
        assert not shortcut.keys.isEmpty() and describe(shortcut)


def test_player_keys_can_be_left_to_the_window(qtbot, archive, interview_id, ids):
    editor = TranscriptEditor(archive, interview_id, player_keys=False)
    qtbot.addWidget(editor)
    assert {"toggle_play", "toggle_play_escape", "rewind", "forward"}.isdisjoint(editor.shortcuts)
    assert {"split", "merge", "find", "play_from_segment"} <= set(editor.shortcuts)


def test_calls_the_interview_view_makes(qtbot, editor, archive, ids):
    with qtbot.waitSignal(editor.seek_requested) as seek:
        editor.activate_row(1)
    assert seek.args == [4.2] and editor.view.current_row() == 1
    assert editor.edit_text(0, "Our neighbours shared fresh bread.")
    assert archive.segments.get(ids[0]).text == "Our neighbours shared fresh bread."
    editor.set_speaker_rows([0, 1], "Anahit")
    assert [archive.segments.get(i).speaker for i in ids[:2]] == ["Anahit", "Anahit"]
    assert editor.undo_stack.count() == 2


# -- find and replace -----------------------------------------------------------


def test_find_counts_and_steps_through_matches(qtbot, editor):
    editor.view.setFocus()
    qtbot.keyClick(editor.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = editor.find_bar
    assert bar.isVisible() and not bar.replace_edit.isVisible()
    type_text(bar.find_edit, "ы")  # "Мы ... закрывали": two in one segment
    text = editor.model.segment(2).text
    assert [(m.start, m.end) for m in bar.matches] == [
        (text.index("ы"), text.index("ы") + 1), (text.rindex("ы"), text.rindex("ы") + 1),
    ]  # fmt: skip
    assert bar.count_label.text() == "1 of 2"
    bar.find_next()
    assert bar.count_label.text() == "2 of 2"
    assert editor.view.current_row() == editor.model.row_of(bar.matches[1].segment_id) == 2
    bar.case_box.setChecked(True)
    bar.find_edit.setText("МЫ")
    qtbot.waitUntil(lambda: bar.count_label.text() == "No matches")
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Escape)  # closes the bar, not play/pause
    assert not bar.isVisible()


def test_replace_all_is_one_undo_step(qtbot, editor, archive, interview_id, ids):
    before = listing(archive, interview_id)
    editor.view.setFocus()
    qtbot.keyClick(editor.view, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    bar = editor.find_bar
    bar.find_edit.setText("ольга")  # not in any text: speakers are not searched
    assert bar.count_label.text() == "No matches"
    bar.find_edit.setText("и")  # Cyrillic: not the Latin i of the Azerbaijani segment
    assert bar.count_label.text() == "1 of 6"
    bar.replace_edit.setText("i")  # Latin: not one of the matches any more
    qtbot.mouseClick(bar.replace_all_button, Qt.MouseButton.LeftButton)
    changed = [s for s in listing(archive, interview_id) if s not in before]
    assert [s.id for s in changed] == [ids[2]]
    assert changed[0].text == "Мы жiлi на одной улiце в Сумгаiте, дверi не закрывалi."
    assert changed[0].machine_text == before[2].machine_text
    qtbot.waitUntil(lambda: bar.count_label.text() == "No matches")
    assert editor.undo_stack.count() == 1
    editor.undo_stack.undo()
    assert listing(archive, interview_id) == before == editor.model.segments()
    qtbot.waitUntil(lambda: bar.count_label.text() == "1 of 6")


def test_replace_one_match(qtbot, editor, archive, ids):
    editor.find_bar.open_replace()
    editor.find_bar.find_edit.setText("Baku")
    editor.find_bar.replace_edit.setText("Bakı")
    qtbot.mouseClick(editor.find_bar.replace_button, Qt.MouseButton.LeftButton)
    assert archive.segments.get(ids[0]).text.startswith("Our neighbours in Bakı")
    qtbot.waitUntil(lambda: editor.find_bar.count_label.text() == "No matches")


# -- marks ----------------------------------------------------------------------


def test_low_confidence_ranges_follow_the_words_still_in_the_text():
    text = "Մեր հարևանները ադրբեջանցիներ էին"
    words = [
        {"word": " Մեր", "probability": 0.9},
        {"word": " հարևանները", "probability": 0.2},
        {"word": " ադրբեջանցիներ", "probability": 0.49},
        {"word": " էին", "probability": None},
    ]
    assert low_confidence_ranges(text, words) == [(4, 14), (15, 28)]
    corrected = "Մեր հարևաններս ադրբեջանցիներ էին"  # a person corrected the second word
    assert low_confidence_ranges(corrected, words) == [(15, 28)]
    respelled = "Մեր հարեւանները ադրբեջանցիներ էին"  # և written եւ: the same word still
    assert low_confidence_ranges(respelled, words) == [(4, 15), (16, 29)]
    assert low_confidence_ranges(text, words, threshold=0.3) == [(4, 14)]


def test_model_marks_doubtful_words_and_corrections(editor):
    model = editor.model
    assert model.index(1, Column.TEXT).data(LowConfidenceRole) == [(15, 28)]
    bread = ROWS[0][2].index("bread.")
    assert model.index(0, Column.TEXT).data(LowConfidenceRole) == [(bread, bread + 6)]
    assert [is_corrected(model.segment(r)) for r in range(5)] == [
        False, False, True, False, False,
    ]  # fmt: skip


def test_text_positions_count_utf16_like_qt():
    text = "ա😀բ"
    assert [to_qt(text, i) for i in range(4)] == [0, 1, 3, 4]
    assert [from_qt(text, p) for p in (0, 1, 3, 4)] == [0, 1, 2, 3]


def test_screenshot_shows_marks_in_every_script(qtbot, editor):
    editor.set_playhead(16.0)
    editor.find_bar.open_find()
    editor.find_bar.find_edit.setText("жили")
    editor.view.go_to_row(0)
    qtbot.wait(50)
    image = editor.grab().toImage()
    assert image.save("/tmp/transcript_editor.png")
    amber = _count_near(image, QColor(255, 239, 193))  # the doubtful words' ground on white
    assert amber > 50


def _count_near(image: QImage, colour: QColor, tolerance: int = 12) -> int:
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            pixel = image.pixelColor(QPoint(x, y))
            if (
                abs(pixel.red() - colour.red()) <= tolerance
                and abs(pixel.green() - colour.green()) <= tolerance
                and abs(pixel.blue() - colour.blue()) <= tolerance
            ):
                count += 1
    return count
