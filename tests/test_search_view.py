"""The Search view in the real app, offscreen, on a copy of the real demo archive.

Searches run on worker threads with their own archive connection; these tests wait
for the pages to arrive, as the user does.
"""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from archive import SearchHit
from desk.search.results import HTML_ROLE
from desk.search.runner import SearchRequest
from desk.search.snippets import snippet_html
from desk.search.view import SearchView
from desk.ui.main_window import MainWindow

WAIT_MS = 5_000


@pytest.fixture
def window(demo_window) -> MainWindow:
    return demo_window(1)


def _search(qtbot, view: SearchView, text: str) -> list[SearchHit]:
    view.set_query(text)
    view.search_now()
    qtbot.waitUntil(lambda: not view.busy, timeout=WAIT_MS)
    return view.model.hits()


def test_snippet_markup_is_highlighted_and_the_rest_escaped():
    html = snippet_html("a <b>&</b> ⟦Բաքու⟧ and ⟦x<y⟧ ⟦open")
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in html
    assert ">Բաքու</span>" in html and ">x&lt;y</span>" in html
    assert ">open</span>" in html
    assert "⟦" not in html and "⟧" not in html and "<b>" not in html


def test_latin_query_finds_armenian_and_enter_opens_the_interview_at_the_hit(qtbot, window):
    view = window.search_view
    view.query.setFocus()
    qtbot.keyClicks(view.query, "tun")  # Armenian տուն, typed in Latin letters
    assert view.model.rowCount() == 0  # nothing yet: the search waits for typing to pause
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=WAIT_MS)
    hit = view.model.hit(0)
    assert hit.kind == "segment" and hit.language == "hy"
    assert "⟦տուն⟧" in hit.snippet
    html = view.model.index(0, 0).data(HTML_ROLE)
    assert ">տուն</span>" in html and "Մեր հարևանները" in html  # the snippet and title
    assert view.count.text() == "1 result"

    qtbot.keyClick(view.query, Qt.Key.Key_Down)
    assert view.results.hasFocus() and view.results.current_row() == 0
    qtbot.keyClick(view.results, Qt.Key.Key_Up)
    assert view.query.hasFocus()
    qtbot.keyClick(view.query, Qt.Key.Key_Down)
    qtbot.keyClick(view.results, Qt.Key.Key_Return)

    interview = window.interview
    assert interview is not None and interview.interview_id == hit.interview_id
    assert window.views.currentWidget() is interview
    assert hit.start > 0  # 0.3 s: a seek, not where a player starts anyway
    qtbot.waitUntil(lambda: interview.player.ready, timeout=WAIT_MS)
    assert interview.player.position == pytest.approx(hit.start, abs=0.05)
    assert interview.editor.current_segment().id == hit.segment_id


def test_search_runs_off_the_ui_thread_and_stale_pages_are_dropped(qtbot, window):
    view = window.search_view
    view.set_query("khleb")
    started = time.monotonic()
    view.search_now()
    assert time.monotonic() - started < 0.05
    assert view.busy and view.model.rowCount() == 0  # the page comes later
    view.set_query("mezobl*")
    view.search_now()  # a newer query: the first one's page must never show
    qtbot.waitUntil(lambda: not view.busy, timeout=WAIT_MS)
    assert view.model.rowCount() > 0
    assert all(
        h.interview_id and "ჩვენი" in view.model.title(h.interview_id) for h in view.model.hits()
    )

    runner = view.runner
    stale = SearchRequest("khleb", generation=runner.generation)
    runner.invalidate()
    arrived: list[object] = []
    runner.finished.connect(arrived.append)
    task = runner.submit(stale)
    qtbot.waitUntil(lambda: task.done, timeout=WAIT_MS)
    qtbot.wait(50)  # let the queued result reach the UI thread
    assert arrived == []


def test_a_bad_query_shows_the_archives_message_inline(qtbot, window):
    view = window.search_view
    _search(qtbot, view, '"fresh bread')
    assert view.error.isVisible()
    assert view.error.text() == (
        'A quote mark is not closed. Put a phrase between two quote marks, as in "fresh bread".'
    )
    assert QApplication.activeModalWidget() is None
    assert view.model.rowCount() == 0
    _search(qtbot, view, '"fresh red"')
    assert not view.error.isVisible() and view.model.rowCount() == 1


def test_theme_filter_narrows_and_includes_sub_themes(qtbot, window, demo):
    view = window.search_view
    everything = _search(qtbot, view, "bread")
    themes = demo.themes

    def tagged(key: str) -> set[str]:
        ids = themes.subtree_ids(key)
        return {
            h.interview_id
            for h in everything
            if {t.id for t in themes.for_interview(h.interview_id)} & set(ids)
        }

    food = themes.by_key("food")
    view.filters.set_theme(food.id)
    view.search_now()
    qtbot.waitUntil(lambda: not view.busy, timeout=WAIT_MS)
    with_food = view.model.hits()
    assert 0 < len(with_food) < len(everything)
    assert {h.interview_id for h in with_food} == tagged("food")

    # "Everyday life" itself tags no interview here: its sub-theme Food does.
    everyday = themes.by_key("everyday_life")
    view.filters.set_theme(everyday.id)
    view.search_now()
    qtbot.waitUntil(lambda: not view.busy, timeout=WAIT_MS)
    assert {h.interview_id for h in view.model.hits()} >= tagged("food")

    view.filters.date_from.setText("2030")
    view.search_now()
    qtbot.waitUntil(lambda: not view.busy, timeout=WAIT_MS)
    assert view.model.rowCount() == 0 and "Nothing found" in view.empty.text()
    view.filters.date_from.setText("20x0")
    view.search_now()
    qtbot.waitUntil(lambda: not view.busy, timeout=WAIT_MS)
    assert "Not a date" in view.error.text()


def test_more_pages_load_by_button_and_by_scrolling_to_the_end(qtbot, window):
    view = window.search_view
    everything = _search(qtbot, view, "bread")
    assert len(everything) == 6 and not view.more_button.isVisible()
    view.page_size = 2
    first = _search(qtbot, view, "bread")
    assert first == everything[:2] and view.more_button.isVisible()
    assert view.count.text() == "2+ results"
    view.more_button.click()
    qtbot.waitUntil(lambda: not view.busy, timeout=WAIT_MS)
    assert view.model.hits() == everything[:4]

    view.results.setFixedHeight(100)  # short enough for four hits to scroll
    bar = view.results.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=WAIT_MS)
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: not view.busy and view.model.rowCount() == 6, timeout=WAIT_MS)
    assert view.model.hits() == everything
    assert not view.more_button.isVisible() and view.count.text() == "6 results"


def test_space_plays_the_hit_in_place_and_stops_at_its_end(qtbot, window, demo):
    interview = next(
        i for i in demo.interviews.list() if i.title == "Bread and tea in the courtyard"
    )
    demo.clips.create(interview.id, 1.0, 1.6, title="zzyzx moment")
    view = window.search_view
    (hit,) = _search(qtbot, view, "zzyzx")
    assert hit.kind == "clip" and (hit.start, hit.end) == (1.0, 1.6)
    view.results.setFocus()
    qtbot.keyClick(view.results, Qt.Key.Key_Space)
    player = view.player
    assert player is not None and player.interview_id == interview.id
    assert window.interview is None  # played in place: nothing opened
    qtbot.waitUntil(lambda: player.ready, timeout=WAIT_MS)
    try:
        qtbot.waitUntil(lambda: player.playing, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: player.position > 1.1, timeout=WAIT_MS)
    except AssertionError:
        pytest.skip("the media backend's clock does not advance here")
    qtbot.waitUntil(lambda: not player.playing, timeout=WAIT_MS)
    assert 1.55 <= player.position < 1.9
    assert not view.playlist.active


def test_locking_clears_the_search_and_themes_views(qtbot, window, demo):
    view = window.search_view
    food = demo.themes.by_key("food")
    _search(qtbot, view, "bread")
    view.filters.set_theme(food.id)
    window.show_view(2)
    window.themes_view.select_theme(food.id)
    assert window.themes_view.clips.heading.text()
    assert view.model.rowCount() > 0

    window.session.lock()
    assert view.model.rowCount() == 0 and view.query.text() == ""
    assert view.player is None and view.count.text() == ""
    for combo in (view.filters.theme, view.filters.narrator, view.filters.place):
        assert combo.count() == 1  # "Any …" only: no theme, pseudonym or place name
    themes = window.themes_view
    assert themes.model.rowCount() == 0
    assert themes.clips.table.topLevelItemCount() == 0 and themes.clips.heading.text() == ""
    assert themes.clips.player is None
