"""Redaction in the interview view, on a copy of the demo archive: Ctrl+Shift+X on
selected text (a span), the context menu (a word everywhere), the I / O marks and the
selected segments (time ranges); the list, the marks in the transcript and on the
waveform; delete with Undo, and Ctrl+Z through the editor's undo stack."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from archive import Archive
from archive.export import AnthologySpec, Selection, build_corpus
from desk.interview.redaction_panel import RedactDialog
from desk.interview.view import InterviewView
from desk.transcript.model import Column
from desk.transcript.selection import install_context_menu, word_at
from desk.ui.main_window import MainWindow

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
SHOTS = Path("/tmp/shots")
TITLE = "Bread and tea in the courtyard"


def shot(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"ui6_{name}.png"))


@pytest.fixture
def window(demo_window) -> MainWindow:
    win = demo_window(0)
    win.resize(1400, 860)
    return win


def _open(window: MainWindow, demo: Archive, title: str = TITLE) -> InterviewView:
    interview = next(i for i in demo.interviews.list() if i.title == title)
    view = window.open_interview(interview.id)
    view.tabs.setCurrentWidget(view.redactions)
    window.activateWindow()
    return view


def _confirm(reason: str, seen: list[str] | None = None) -> None:
    """Fill the reason in the redaction dialog about to open, and redact."""

    def step() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RedactDialog):
            QTimer.singleShot(20, step)
            return
        if seen is not None:
            seen.append(dialog.what.text())
        dialog.reason.setText(reason)
        dialog.accept()

    QTimer.singleShot(20, step)


def test_ctrl_shift_x_redacts_selected_text_as_a_span_and_marks_it(qtbot, window, demo):
    view = _open(window, demo)
    editor, panel = view.editor, view.redactions
    segment = editor.model.segment(0)
    start = segment.text.index("fresh")
    editor.view.edit_text(0)
    typing, _index = editor.delegate.text_editor()
    cursor = typing.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len("fresh"), QTextCursor.MoveMode.KeepAnchor)
    typing.setTextCursor(cursor)
    seen: list[str] = []
    _confirm("a family name", seen)
    qtbot.keyClick(typing, Qt.Key.Key_X, CTRL_SHIFT)

    assert seen == ["Redact “fresh” in the segment at 0:00.0."]
    (made,) = demo.redactions.list(view.interview_id)
    assert (made.kind, made.segment_id, made.char_start, made.char_end, made.reason) == (
        "span",
        segment.id,
        start,
        start + 5,
        "a family name",
    )
    assert panel.list.topLevelItemCount() == 1
    item = panel.list.topLevelItem(0)
    what, by = item.text(0).split("\n")
    assert what == "“fresh” at 0:00.0" and item.text(1) == "a family name"
    assert by.endswith(made.created_at[:10]) and made.created_by in by
    assert panel.spans_of(segment) == [(start, start + 5)]  # marked in the transcript
    assert demo.segments.get(segment.id).text == segment.text  # the original stays

    editor.undo_stack.undo()  # Ctrl+Z in the window drives this stack
    assert demo.redactions.list(view.interview_id) == []
    assert panel.list.topLevelItemCount() == 0 and panel.empty.isVisible()
    editor.undo_stack.redo()
    (again,) = demo.redactions.list(view.interview_id)
    assert (again.kind, again.char_start, again.reason) == ("span", start, "a family name")


def test_unsaved_typing_is_not_redacted_by_position(qtbot, window, demo):
    view = _open(window, demo)
    view.editor.view.edit_text(0)
    typing, _index = view.editor.delegate.text_editor()
    typing.insertPlainText("Yes. ")
    typing.selectAll()
    qtbot.keyClick(typing, Qt.Key.Key_X, CTRL_SHIFT)
    assert demo.redactions.list(view.interview_id) == []
    assert view.redactions.message.text() == (
        "Save the text first (Enter), then redact the selection."
    )


def test_context_menu_redacts_a_word_everywhere_in_the_interview(qtbot, window, demo):
    view = _open(window, demo)
    editor, panel = view.editor, view.redactions
    qtbot.waitUntil(lambda: editor.view.visualRect(editor.model.index(1, Column.TEXT)).height() > 0)
    rect = editor.view.visualRect(editor.model.index(1, Column.TEXT))
    segment, word = word_at(editor, QPoint(rect.left() + 12, rect.top() + 10))
    assert segment is not None and segment.id == editor.model.segment(1).id
    assert word == "Everyone"

    menu = QMenu()
    panel._context_menu(menu, segment, word)
    (redact_word, _selection) = menu.actions()
    assert redact_word.text() == "Redact “Everyone” everywhere in the interview…"
    _confirm("")
    redact_word.trigger()
    (made,) = demo.redactions.list(view.interview_id)
    assert (made.kind, made.text, made.segment_id, made.reason) == ("text", "Everyone", None, None)
    assert panel.list.topLevelItem(0).text(0).startswith("“Everyone” everywhere\n")
    assert panel.spans_of(segment) == [(0, len("Everyone"))]

    # The hook is there for any tool: the inline editor offers it too.
    calls: list[tuple[int, str | None]] = []
    install_context_menu(editor, lambda _m, s, w: calls.append((s.id, w)))
    editor.view.edit_text(1)
    typing, _ = editor.delegate.text_editor()
    typing.selectAll()
    typing.context_menu_hook(QMenu(), typing.textCursor().selectedText())
    assert calls == [(segment.id, segment.text)]


def test_marks_and_selected_segments_redact_time_with_bands_then_delete_and_undo(
    qtbot, window, demo
):
    view = _open(window, demo, "Соседи во дворе")
    editor, panel, tagging = view.editor, view.redactions, view.tagging
    before = demo.redactions.list(view.interview_id)  # the demo redacts 1.0–2.2 here
    assert [(r.start, r.end) for r in before] == [(1.0, 2.2)]
    assert view.player.waveform.bands == [(1.0, 2.2)]
    tagging.mark_in(3.0)
    tagging.mark_out(3.8)
    seen: list[str] = []
    _confirm("names a street", seen)
    editor.view.setFocus()
    qtbot.keyClick(editor.view, Qt.Key.Key_X, CTRL_SHIFT)
    assert seen == ["Redact 0:03.0–0:03.8: the audio and every word spoken in it."]
    ranges = [(r.start, r.end, r.reason) for r in demo.redactions.list(view.interview_id)]
    assert ranges == [(1.0, 2.2, "names a living neighbour"), (3.0, 3.8, "names a street")]
    assert view.player.waveform.bands == [(1.0, 2.2), (3.0, 3.8)]

    tagging.clear_marks()
    editor.view.selectRow(0)
    first = editor.model.segment(0)
    _confirm("")
    assert panel.redact_selection() is not None
    assert (first.start, first.end) in [
        (r.start, r.end) for r in demo.redactions.list(view.interview_id)
    ]
    assert panel.spans_of(first) == [(0, len(first.text))]  # the whole segment
    view.tabs.setCurrentWidget(view.consent)
    view.tabs.setCurrentWidget(view.redactions)
    shot(panel, "redactions")
    shot(window, "interview_redacted")

    # Delete the street range from the list (Delete key), then Undo beside the message.
    panel._select(next(r.id for r in panel.redactions if r.reason == "names a street"))
    window.activateWindow()
    panel.list.setFocus()
    qtbot.waitUntil(panel.list.hasFocus)
    qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
    assert "names a street" not in [r.reason for r in demo.redactions.list(view.interview_id)]
    assert panel.undo_button.isVisible() and "deleted" in panel.message.text()
    qtbot.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
    back = [r for r in demo.redactions.list(view.interview_id) if r.reason == "names a street"]
    assert [(r.start, r.end) for r in back] == [(3.0, 3.8)]
    assert panel.message.text() == "Redaction restored."

    # Ctrl+Z undoes a delete too (and redo deletes again).
    panel._select(back[0].id)
    assert panel.delete_selected()
    editor.undo_stack.undo()
    assert any(r.reason == "names a street" for r in demo.redactions.list(view.interview_id))
    editor.undo_stack.redo()
    assert not any(r.reason == "names a street" for r in demo.redactions.list(view.interview_id))

    # Exports see what the list says: the first segment's words are gone.
    corpus = build_corpus(
        demo, AnthologySpec(unit="interviews", selection=Selection(interviews=(view.interview_id,)))
    )
    assert corpus.interviews[0].lines[0].text == "[redacted]"
