"""The Themes view on a copy of the real demo archive: the tree and its counts, rename,
delete with its confirmation, merge and move by drop, and "Play all"."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from archive import Archive, NotFoundError
from desk.themes.view import ThemesView
from desk.ui.main_window import MainWindow

WAIT_MS = 5_000


@pytest.fixture
def window(demo_window) -> MainWindow:
    return demo_window(2)


def _answer_box(button_text: str, seen: list[str]) -> None:
    """Click ``button_text`` in the message box about to open (noting its text)."""

    def act() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, act)
            return
        seen.append(box.text())
        (button,) = [b for b in box.buttons() if b.text() == button_text]
        button.click()

    QTimer.singleShot(20, act)


def _row(view: ThemesView, key: str, demo: Archive) -> QModelIndex:
    return view.model.index_of(demo.themes.by_key(key).id)


def _drop(view: ThemesView, source: QModelIndex, target: QModelIndex, row: int = -1) -> bool:
    data = view.model.mimeData([source])
    return view.model.dropMimeData(data, Qt.DropAction.MoveAction, row, 0, target)


def _wait_for(qtbot, condition: Callable[[], bool]) -> None:
    qtbot.waitUntil(condition, timeout=WAIT_MS)


def test_tree_shows_labels_in_the_ui_language_and_counts(qtbot, window, demo):
    view = window.themes_view
    everyday = demo.themes.by_key("everyday_life")
    assert view.model.index_of(everyday.id).data() == "Everyday life"
    assert view.model.counts(everyday.id) == (2, 7)  # sub-themes counted in
    food = _row(view, "food", demo)
    assert food.parent() == view.model.index_of(everyday.id)
    assert food.siblingAtColumn(2).data() == "5" and food.siblingAtColumn(1).data() == ""

    own = demo.themes.add("Courtyards", parent=everyday)
    armenian = ThemesView(window.session, language="hy")
    qtbot.addWidget(armenian)
    assert armenian.model.index_of(everyday.id).data() == "Առօրյա կյանք"
    assert armenian.model.index_of(own.id).data() == "Courtyards"  # no Armenian label yet

    view.select_theme(everyday.id)
    clips = view.clips
    assert clips.heading.text() == "Everyday life: 2 clips, 7 interviews"
    titles = [clips.table.topLevelItem(i).text(0) for i in range(clips.table.topLevelItemCount())]
    assert sorted(titles) == ["A wedding in the street", "The road to school"]
    assert clips.table.topLevelItem(0).text(1).startswith("0:00.0–")


def test_rename_in_place_then_delete_asks_when_the_theme_is_in_use(qtbot, window, demo):
    view = window.themes_view
    food = demo.themes.by_key("food")
    assert view.model.setData(_row(view, "food", demo), "Bread and salt")
    assert demo.themes.get(food.id).labels["en"] == "Bread and salt"
    assert demo.themes.get(food.id).labels["ru"] == "Еда"  # other languages keep theirs
    _wait_for(qtbot, lambda: view.model.index_of(food.id).data() == "Bread and salt")

    # A sibling's label again: refused, shown in the view, nothing changed.
    assert not view.model.setData(_row(view, "food", demo), "Work")
    assert view.message.isVisible() and "already a theme called" in view.message.text()

    view.select_theme(food.id)
    seen: list[str] = []
    _answer_box("Cancel", seen)
    assert not view.delete_selected()
    assert seen == ["“Bread and salt” is used by 0 clips and 5 interviews."]
    assert demo.themes.get(food.id)

    _answer_box("Delete", seen)
    assert view.delete_selected()
    with pytest.raises(NotFoundError):
        demo.themes.get(food.id)
    assert not view.model.index_of(food.id).isValid()
    assert view.model.counts(demo.themes.by_key("everyday_life").id) == (2, 2)

    work = demo.themes.by_key("work")  # in use by nothing: deleted without a question
    view.select_theme(work.id)
    assert view.delete_selected() and len(seen) == 2


def test_drop_merges_or_moves_and_empty_space_moves_to_the_top(qtbot, window, demo):
    view = window.themes_view
    themes = demo.themes
    school, food = themes.by_key("school"), themes.by_key("food")
    seen: list[str] = []

    _answer_box("Merge", seen)
    assert not _drop(view, _row(view, "school", demo), _row(view, "food", demo))
    _wait_for(qtbot, lambda: not view.model.index_of(school.id).isValid())
    assert "Merge “School” into “Food”" in seen[0]
    assert view.model.counts(food.id) == (1, 6)  # School's clip and interview came along
    with pytest.raises(NotFoundError):
        themes.get(school.id)

    music, mixed = themes.by_key("music"), themes.by_key("mixed_families")
    _answer_box("Move under", seen)
    _drop(view, _row(view, "music", demo), _row(view, "mixed_families", demo))
    _wait_for(qtbot, lambda: themes.get(music.id).parent_id == mixed.id)
    assert view.model.index_of(music.id).parent() == view.model.index_of(mixed.id)
    assert view.model.counts(mixed.id) == (1, 1)

    _drop(view, _row(view, "music", demo), QModelIndex())  # empty space: no question
    _wait_for(qtbot, lambda: themes.get(music.id).parent_id is None)
    assert len(seen) == 2
    assert not view.model.index_of(music.id).parent().isValid()

    # Between two top-level themes: moved there, no question.
    _drop(view, _row(view, "music", demo), QModelIndex(), row=0)
    _wait_for(qtbot, lambda: themes.children(None)[0].id == music.id)
    assert view.model.index(0, 0).data() == "Music"


def test_play_all_plays_the_clips_one_after_another(qtbot, window, demo):
    work = demo.themes.by_key("work")
    first, second = (
        i for i in demo.interviews.list() if i.title in ("Соседи во дворе", "Qonşularımız")
    )
    demo.clips.create(first.id, 0.5, 0.9, themes=[work.id], note="утро")
    demo.clips.create(second.id, 1.0, 1.4, themes=[work.id])
    view = window.themes_view
    view.refresh()
    view.select_theme(work.id)
    assert view.clips.table.topLevelItemCount() == 2
    assert view.clips.table.topLevelItem(0).text(3) in ("утро", "")

    order: list[int] = []
    playlist = view.clips.playlist
    playlist.current_changed.connect(order.append)
    player = view.clips.player
    with qtbot.waitSignal(playlist.finished, timeout=10_000, raising=False) as done:
        view.clips.play_all_button.click()
        qtbot.waitUntil(lambda: player.ready, timeout=WAIT_MS)
    if not done.signal_triggered:
        pytest.skip("the media backend's clock does not advance here")
    assert order == [0, 1, -1]
    ranges = playlist.ranges
    assert [r.interview_id for r in ranges] == [
        c.interview_id for c in (r.clip for r in view.clips.rows)
    ]
    assert player.interview_id == ranges[1].interview_id
    assert not player.playing and ranges[1].end - 0.05 <= player.position < ranges[1].end + 0.3
