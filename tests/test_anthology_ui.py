"""The Anthologies view, the builder with its live preview, the clip picker and the
export dialog — on real archives (the export cases of tests/export_fixtures and the
demo).  What consent keeps out must never reach the screen: not in the picker's
snippets, not in the preview's PDF."""

from __future__ import annotations

import io
import threading
import tomllib
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from archive.export import AnthologySpec, load_spec, spec_from_dict
from desk.anthology.builder import VALUE_ROLE, AnthologyBuilder
from desk.anthology.clip_picker import HIT_ROLE
from desk.anthology.common import safe_file_name
from desk.anthology.export_dialog import ExportDialog
from desk.ui.main_window import MainWindow
from tests.export_fixtures import (
    CLOSED_SECRET,
    NEVER,
    PSEUDONYM,
    REAL_NAME_SHOWN,
    ExportArchive,
)

WAIT_MS = 10_000
SHOTS = Path("/tmp/shots")


def shot(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"ui6_{name}.png"))


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def export_window(qtbot, export_archive: ExportArchive):
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.session.open(export_archive.archive)
    win.show_view(3)
    yield win
    win.session.lock()
    QThreadPool.globalInstance().waitForDone(5_000)


def _answer_box(button_text: str) -> None:
    def act() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, act)
            return
        (button,) = [b for b in box.buttons() if b.text().replace("&", "") == button_text]
        button.click()

    QTimer.singleShot(20, act)


def _theme(builder: AnthologyBuilder, key: str):
    return next(i for i in builder._theme_items() if i.data(0, VALUE_ROLE) == key)


def _wait_preview(qtbot, builder: AnthologyBuilder, done) -> None:
    qtbot.waitUntil(
        lambda: builder.preview_result is not None and done(builder.preview_result),
        timeout=WAIT_MS,
    )


def test_builder_preview_follows_the_selection_and_never_shows_what_consent_keeps_out(
    qtbot, export_window, export_archive, tmp_path
):
    view = export_window.anthologies_view
    builder = view.new()
    qtbot.waitUntil(builder.isVisible)
    # Nothing ticked: the whole archive, as consent allows it for a publication.
    _wait_preview(qtbot, builder, lambda r: r.spec.selection.themes == ())
    assert builder.preview.count.text() == (
        "4 excerpts from 3 interviews · 4 left out by consent "
        "(closed 1, embargoed 1, restricted 1, withdrawn 1)"
    )
    text = pdf_text(builder.preview_result.preview.pdf)
    assert PSEUDONYM in text and REAL_NAME_SHOWN in text
    assert not [word for word in NEVER if word in text]
    assert builder.preview_result.pages and not builder.preview_result.pages[0].isNull()

    # A theme ticked: the preview follows (debounced, on a worker).
    first = builder.runner.generation
    _theme(builder, "food").setCheckState(0, Qt.CheckState.Checked)
    assert builder.runner.generation == first  # not at once: when edits pause
    _wait_preview(qtbot, builder, lambda r: r.spec.selection.themes == ("food",))
    assert (
        builder.preview.count.text() == "1 excerpt from 1 interview · nothing left out by consent"
    )
    assert not [w for w in NEVER if w in pdf_text(builder.preview_result.preview.pdf)]

    # The picker: a closed interview's words are not found, only counted.
    picker = builder.picker
    builder.tabs.setCurrentWidget(picker)
    picker.query.setText(CLOSED_SECRET)
    qtbot.waitUntil(lambda: picker.last_hits is not None, timeout=WAIT_MS)
    assert picker.snippets() == []
    assert "left out by consent (closed" in picker.hidden.text()
    picker.query.setText("neighbours OR bread")
    qtbot.waitUntil(lambda: len(picker.snippets()) >= 3, timeout=WAIT_MS)
    assert not [w for s in picker.snippets() for w in NEVER if w in s]
    assert any("[redacted]" in s for s in picker.snippets())
    hy = export_archive.ids["open_pseudonym"]
    hits = [picker.hits.item(i).data(HIT_ROLE) for i in range(picker.hits.count())]
    row = next(i for i, h in enumerate(hits) if h.interview_id == hy and h.kind == "segment")
    picker.hits.setCurrentRow(row)
    assert picker.add_current()
    (first,) = builder.spec().selection.clips
    assert export_archive.archive.clips.get(first).interview_id == hy
    ka = export_archive.ids["open_georgian"]
    picker.hits.setCurrentRow(next(i for i, h in enumerate(hits) if h.interview_id == ka))
    assert picker.add_current()
    assert not picker.add_current()  # once is enough
    assert picker.error.text() == "That clip is already in the anthology."
    second = builder.spec().selection.clips[1]
    picker.move(1, 0)  # what a drag does
    picked = (second, first)
    assert builder.spec().selection.clips == picked
    assert builder.order.currentData() == "manual"  # dragging sets the hand-picked order
    _theme(builder, "food").setCheckState(0, Qt.CheckState.Unchecked)
    _wait_preview(qtbot, builder, lambda r: r.spec.selection.clips == picked)
    assert builder.preview.count.text().startswith("2 excerpts from 2 interviews")
    assert PSEUDONYM in pdf_text(builder.preview_result.preview.pdf)
    shot(builder, "builder_picker")

    # Save, then the spec as TOML for the command line, and back.
    builder.title.setText("Ծանոթներ — მეზობლები")
    builder.title.textEdited.emit(builder.title.text())
    saved = builder.save()
    assert saved is not None and export_archive.archive.anthologies.get(saved.id).spec == saved.spec
    assert view.titles() == ["Ծանոթներ — მეზობლები"]
    toml = tmp_path / "book.toml"
    assert builder.export_toml(str(toml))
    assert load_spec(toml) == builder.spec()
    builder.unit.setCurrentIndex(builder.unit.findData("interviews"))
    assert builder.dirty()
    assert builder.import_toml(str(toml))
    assert builder.spec().unit == "clips" and builder.spec().selection.clips == picked
    builder.save()
    builder.close()


def test_anthologies_view_lists_edits_duplicates_and_deletes(qtbot, demo_window, demo):
    window = demo_window(3)
    window.resize(1280, 720)
    view = window.anthologies_view
    assert window.views.currentWidget() is view
    assert view.titles() == ["Side by Side"]
    copy = view.duplicate_selected()
    assert copy is not None and view.selected_id() == copy.id
    assert sorted(view.titles()) == ["Side by Side", "Side by Side (copy)"]
    shot(view, "anthologies")

    _answer_box("No")
    assert not view.delete_selected()
    _answer_box("Yes")
    assert view.delete_selected()
    assert [a.title for a in demo.anthologies.list()] == ["Side by Side"]

    view.select(demo.anthologies.list()[0].id)
    builder = view.edit_selected()
    assert builder is not None
    qtbot.waitUntil(builder.isVisible)
    ticked = {
        i.data(0, VALUE_ROLE)
        for i in builder._theme_items()
        if i.checkState(0) == Qt.CheckState.Checked
    }
    assert ticked == {"neighbourliness_and_friendship", "food"}
    assert not builder.dirty()
    _wait_preview(qtbot, builder, lambda r: bool(r.pages))
    text = pdf_text(builder.preview_result.preview.pdf)
    assert "Side by Side" in text
    assert "closed 1" in builder.preview.count.text()  # the demo's closed interview
    shot(builder, "builder_preview")
    armenian = any("\u0531" <= ch <= "\u058f" for ch in text)
    georgian = any("\u10a0" <= ch <= "\u10ff" for ch in text)
    assert armenian and georgian  # the excerpts in their own scripts
    bar = builder.preview.scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    shot(builder.preview, "builder_preview_pages")
    window.session.lock()  # locking closes the builder and drops its preview
    assert not builder.isVisible() and builder.preview_result is None


def test_export_dialog_exports_with_progress_and_cancel_leaves_nothing(
    qtbot, export_window, export_archive, tmp_path
):
    spec = export_archive.archive.anthologies.save(
        load_spec_from_text('title = "Bread / tea: Հաց"\n[selection]\nthemes = ["food"]\n')
    ).spec
    dialog = ExportDialog(export_window.session, spec, export_window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.format.count() == 10
    dialog.set_format("txt")
    assert Path(dialog.path.text()).name == "Bread-tea-Հաց.txt"
    assert dialog.purpose.text().startswith("Publication: only what narrators allowed")
    dialog.set_format("json")
    assert Path(dialog.path.text()).name == "Bread-tea-Հաց.json"
    assert dialog.purpose.text().startswith("Deposit for a partner archive")
    dialog.set_format("txt")

    out = tmp_path / "book.txt"
    dialog.path.setText(str(out))
    task = dialog.start()
    assert task is not None and not dialog.export_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=WAIT_MS)
    assert out.is_file() and dialog.show_button.isVisible()
    assert dialog.status.text() == (
        f"Exported to {out}.\n1 excerpt from 1 interview · nothing left out by consent"
    )
    written = out.read_text(encoding="utf-8")
    assert PSEUDONYM in written and not [w for w in NEVER if w in written]
    assert dialog.progress.value() == dialog.progress.maximum()
    shot(dialog, "export_done")

    # Cancel: the export is queued behind a busy worker, cancelled, and leaves nothing.
    pool = QThreadPool.globalInstance()
    limit = pool.maxThreadCount()
    hold = threading.Event()
    pool.setMaxThreadCount(1)
    try:
        pool.start(hold.wait)
        cancelled = tmp_path / "cancelled.pdf"
        dialog.set_format("pdf")
        dialog.path.setText(str(cancelled))
        assert dialog.start() is not None
        assert dialog.cancel_button.isVisible() and not dialog.close_button.isVisible()
        assert dialog.progress.isVisible()
        shot(dialog, "export_in_progress")
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        assert dialog.status.text() == "Cancelling…"
    finally:
        hold.set()
        pool.setMaxThreadCount(limit)
    qtbot.waitUntil(lambda: not dialog.running, timeout=WAIT_MS)
    assert dialog.status.text() == "Export cancelled. Nothing was written."
    assert not cancelled.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp")) == []
    assert dialog.close_button.isVisible()

    # An error is shown as the archive words it.
    dialog.set_format("txt")
    dialog.path.setText(str(tmp_path / "no-such-folder" / "x.txt"))
    assert dialog.start() is None
    assert dialog.status.text() == f"The folder {tmp_path / 'no-such-folder'} does not exist."
    dialog.close()


def load_spec_from_text(text: str) -> AnthologySpec:
    return spec_from_dict(tomllib.loads(text))


def test_ctrl_e_exports_what_is_in_front(qtbot, demo_window, demo):
    window = demo_window(0)
    interview = next(i for i in demo.interviews.list() if i.title == "Մեր հարևանները")
    view = window.open_interview(interview.id)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view.editor.view.setFocus()  # in a text field Ctrl+E is "end of line" (Qt's binding)
    qtbot.keyClick(view.editor.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.export_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.spec.unit == "interviews" and dialog.spec.selection.interviews == (interview.id,)
    assert interview.title not in dialog.spec.title  # a title may hold a redacted name
    dialog.close()

    window.close_interview()
    window.library.table.selectRow(0)

    ids = window.library.selected_ids()
    assert len(ids) == 1
    dialog = window.export_current()
    assert dialog is not None and dialog.spec.selection.interviews == tuple(ids)
    dialog.close()

    window.show_view(3)
    dialog = window.export_current()
    assert dialog is not None and dialog.spec.title == "Side by Side"
    dialog.close()
    assert ("export", "Ctrl+E") in [(n, k.toString()) for n, k, _ in window.app_shortcuts()]


def test_file_names_keep_every_script_and_drop_path_characters():
    assert safe_file_name("Side by Side", ".pdf") == "Side-by-Side.pdf"
    assert safe_file_name("Մեր հարևանները / ჩვენი: Qonşularımız?", ".txt") == (
        "Մեր-հարևանները-ჩვენი-Qonşularımız.txt"
    )
    assert safe_file_name("../..", ".csv") == "anthology.csv"
