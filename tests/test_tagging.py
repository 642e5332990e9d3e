"""Tagging in the interview view on a copy of the real demo archive: clips from selected
segments and from mark in / mark out, the quick theme picker, recent themes (keys
only), interview themes, and deleting a clip with undo."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from archive import Archive
from archive.demo import DEMO_PASSPHRASE
from archive.paths import app_config_dir
from desk.interview.view import InterviewView
from desk.settings import SETTINGS_FILE
from desk.themes.picker import ThemePicker
from desk.themes.recent import RecentThemes
from desk.ui.main_window import MainWindow

WAIT_MS = 5_000


@pytest.fixture
def window(demo_window) -> MainWindow:
    return demo_window(0)


def _open(window: MainWindow, demo: Archive, title: str) -> InterviewView:
    interview = next(i for i in demo.interviews.list() if i.title == title)
    view = window.open_interview(interview.id)
    window.activateWindow()
    return view


def _in_picker(fill: Callable[[ThemePicker], None]) -> None:
    """Work the theme picker that is about to open, as a user would."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ThemePicker):
            QTimer.singleShot(20, act)
            return
        fill(dialog)

    QTimer.singleShot(20, act)


def test_ctrl_t_tags_the_selected_segments_with_the_themes_chosen(qtbot, window, demo):
    view = _open(window, demo, "A wedding in the street")
    food, music = demo.themes.by_key("food"), demo.themes.by_key("music")
    view.editor.view.selectAll()
    view.editor.view.setFocus()
    seen: dict[str, object] = {}

    def fill(picker: ThemePicker) -> None:
        picker.filter.setText("Еда")  # the Russian label finds Food
        seen["found"] = [t.key for t in picker.visible_themes()]
        picker.set_checked(food.id)
        picker.set_checked(music.id)
        assert picker.note is not None
        picker.note.setText("music all night")
        picker.accept()

    _in_picker(fill)
    qtbot.keyClick(view.editor.view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert seen["found"] == ["food"]
    clips = [c for c in demo.clips.for_interview(view.interview_id) if c.note]
    (clip,) = clips
    segments = demo.segments.list(view.interview_id)
    assert (clip.start, clip.end) == (segments[0].start, segments[-1].end)
    assert set(clip.theme_ids) == {food.id, music.id}
    assert clip.id in view.tagging.clip_ids()
    assert view.tagging.selected_clip_id() == clip.id
    assert RecentThemes().keys()[:2] == ["food", "music"]
    sheet = window.show_shortcuts()
    assert "Tagging" in sheet.text.text() and "Mark in at the playhead" in sheet.text.text()
    sheet.close()


def test_i_and_o_mark_a_range_at_the_playhead_and_tag_it(qtbot, window, demo):
    view = _open(window, demo, "Bread and tea in the courtyard")
    tagging, player = view.tagging, view.player
    qtbot.waitUntil(lambda: player.ready, timeout=WAIT_MS)
    view.form.title.setFocus()
    qtbot.keyClicks(view.form.title, "io")  # typing in a field types, it does not mark
    assert tagging.mark_in_at is None and tagging.mark_out_at is None
    assert view.form.title.text().endswith("io")

    view.editor.view.setFocus()
    player.seek(2.5)
    qtbot.waitUntil(lambda: abs(player.position - 2.5) < 0.05, timeout=WAIT_MS)
    qtbot.keyClick(view.editor.view, Qt.Key.Key_I)
    player.seek(1.2)
    qtbot.waitUntil(lambda: abs(player.position - 1.2) < 0.05, timeout=WAIT_MS)
    qtbot.keyClick(view.editor.view, Qt.Key.Key_O)
    assert tagging.marks_label.text() == "In 0:02.5 · Out 0:01.2"
    assert tagging.pending_range() == pytest.approx((1.2, 2.5), abs=0.01)
    assert "marks" in tagging.range_label.text()

    border = demo.themes.by_key("the_border")

    def fill(picker: ThemePicker) -> None:
        picker.filter.setText("Սահման")  # Armenian label of "The border"
        assert [t.id for t in picker.visible_themes()] == [border.id]
        picker.accept()  # nothing ticked: the highlighted theme

    _in_picker(fill)
    clip = tagging.tag()
    assert clip is not None and clip.theme_ids == (border.id,)
    assert (clip.start, clip.end) == pytest.approx((1.2, 2.5), abs=0.01)
    assert tagging.mark_in_at is None  # the marks are used up
    assert demo.themes.tree()  # and the Themes view will count it:
    window.show_view(2)
    assert window.themes_view.model.counts(border.id) == (1, 0)


def test_picker_filters_in_every_language_and_lists_recent_themes_first(qtbot, demo):
    tree = demo.themes.tree()
    food, school = demo.themes.by_key("food"), demo.themes.by_key("school")
    picker = ThemePicker(tree, language="en", recent=["school", "gone_key"])
    qtbot.addWidget(picker)
    assert picker.list.item(0).text() == "Recent"
    assert picker.visible_themes()[0].id == school.id
    for typed in ("Սնունդ", "սնունդ", "snund", "еда", "yemək", "FOOD"):
        picker.filter.setText(typed)
        assert [t.id for t in picker.visible_themes()] == [food.id], typed
    picker.filter.setText("Sch")
    assert picker.visible_themes()[0].id == school.id
    assert picker.list.currentItem().text() == "Everyday life › School"
    picker.filter.setText("Դպրոց")  # the match in another script is shown beside it
    assert picker.list.currentItem().text() == "Everyday life › School — Դպրոց"
    picker.filter.setText("no such theme at all")
    assert picker.visible_themes() == []


def test_recent_themes_are_stored_as_keys_only(qtbot, window, demo):
    view = _open(window, demo, "Մեր հարևանները")
    own = demo.themes.add({"hy": "Այգի", "en": "Orchard of Anahit"})  # no key: content
    grief = demo.themes.by_key("loss_and_grief")
    view.editor.view.selectAll()

    def fill(picker: ThemePicker) -> None:
        picker.set_checked(own.id)
        picker.set_checked(grief.id)
        picker.accept()

    _in_picker(fill)
    clip = view.tagging.tag()
    assert clip is not None and set(clip.theme_ids) == {own.id, grief.id}
    stored = (app_config_dir() / SETTINGS_FILE).read_text(encoding="utf-8")
    assert "loss_and_grief" in stored
    for content in ("Այգի", "Orchard", "Anahit", "Loss", "Կորուստ", str(own.id)):
        assert content not in stored
    assert RecentThemes().keys() == ["loss_and_grief"]


def test_interview_themes_and_deleting_a_clip_with_undo(qtbot, window, demo):
    view = _open(window, demo, "Соседи во дворе")
    tagging = view.tagging
    neighbours = demo.themes.by_key("neighbourliness_and_friendship")
    food, silence = demo.themes.by_key("food"), demo.themes.by_key("memory_and_silence")

    def fill(picker: ThemePicker) -> None:  # ticked: the interview's themes
        assert {t.id for t in picker.chosen()} == {neighbours.id, food.id}
        picker.set_checked(food.id, False)
        picker.filter.setText("молч")  # Память и молчание
        picker.set_checked(silence.id)
        picker.accept()

    _in_picker(fill)
    tagging.edit_interview_themes()
    assert {t.id for t in demo.themes.for_interview(view.interview_id)} == {
        neighbours.id,
        silence.id,
    }
    assert "Memory and silence" in tagging.interview_themes.text()

    (clip_id,) = tagging.clip_ids()
    clip = demo.clips.get(clip_id)
    tagging.clips.setCurrentItem(tagging.clips.topLevelItem(0))
    window.activateWindow()  # offscreen, closing the picker leaves no window active
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    tagging.clips.setFocus()
    qtbot.keyClick(tagging.clips, Qt.Key.Key_Delete)
    assert tagging.clip_ids() == [] and demo.clips.for_interview(view.interview_id) == []
    assert tagging.undo_button.isVisible() and "deleted" in tagging.message.text()
    again = tagging.undo_delete()
    assert again is not None
    assert (again.start, again.end, again.theme_ids) == (clip.start, clip.end, clip.theme_ids)
    assert tagging.clip_ids() == [again.id] and not tagging.undo_button.isVisible()

    tagging.clips.setCurrentItem(tagging.clips.topLevelItem(0))
    view.player.seek(3.0)
    tagging.clips.itemDoubleClicked.emit(tagging.clips.topLevelItem(0), 0)
    assert view.player.position == pytest.approx(again.start, abs=0.05)


def test_locking_while_the_picker_is_open_closes_it_and_tags_nothing(qtbot, window, demo):
    view = _open(window, demo, "Bread and tea in the courtyard")
    before = len(demo.clips.for_interview(view.interview_id))
    view.editor.view.selectAll()
    pickers: list[ThemePicker] = []

    left_open: list[bool] = []

    def close_if_left_open(picker: ThemePicker) -> None:
        if picker.isVisible():  # the lock should have closed it: do so to end the test
            left_open.append(True)
            picker.reject()

    def lock(picker: ThemePicker) -> None:
        pickers.append(picker)
        picker.set_checked(demo.themes.by_key("food").id)
        window.session.lock()  # as the idle timer does
        QTimer.singleShot(1_000, picker, lambda: close_if_left_open(picker))

    _in_picker(lock)
    assert view.tagging.tag() is None
    assert left_open == [] and not pickers[0].isVisible()
    assert window.interview is None and window.pages.currentWidget() is window.welcome
    qtbot.wait(50)  # the view's deferred deletion
    again = Archive.open(demo.paths.root, DEMO_PASSPHRASE)
    try:
        interview = next(i for i in again.interviews.list() if i.title.startswith("Bread"))
        assert len(again.clips.for_interview(interview.id)) == before
    finally:
        again.close()
