"""The consent panel of the interview view, on a copy of the demo archive: the closed
default made visible, edits saved through the archive API, the summary sentence
following the level, withdrawal shown in red and taken back, the release form and
the clip said on tape, and a clip's own consent from the clips list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QWidget

from archive import Archive, InterviewMetadata
from desk.interview.consent_panel import ClipConsentDialog
from desk.interview.view import InterviewView
from desk.ui.main_window import MainWindow
from tests.conftest import FIXTURES

WAIT_MS = 5_000
SHOTS = Path("/tmp/shots")


def shot(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"ui6_{name}.png"))


@pytest.fixture
def window(demo_window) -> MainWindow:
    return demo_window(0)


def _fresh(window: MainWindow, demo: Archive) -> InterviewView:
    """A new interview with no consent recorded, open in the window."""
    made = demo.import_file(
        FIXTURES / "speech_hy.wav",
        InterviewMetadata(title="Մեր բակը — ეზო", narrator="Anahit Petrosyan"),
    )
    view = window.open_interview(made.id)
    view.tabs.setCurrentWidget(view.consent)
    return view


def _in_modal(kind: type, act) -> None:
    def step() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, step)
            return
        act(dialog)

    QTimer.singleShot(20, step)


def test_closed_by_default_then_edits_persist_and_the_summary_follows(qtbot, window, demo):
    view = _fresh(window, demo)
    panel = view.consent
    assert not demo.consent.get(view.interview_id).recorded
    assert panel.summary.text().startswith("No consent recorded — closed by default")
    assert view.consent_badge.text() == panel.summary.text()
    assert panel.level_buttons["closed"].isChecked() and not panel.save_button.isEnabled()
    assert not panel.publish.isEnabled()  # publication needs an open level

    panel.level_buttons["open"].click()
    panel.publish.click()
    panel.pseudonym_shown.click()
    qtbot.keyClicks(panel.pseudonym, "A. P.")
    assert panel.summary.text() == "After saving: May be published under the pseudonym ‘A. P.’."
    assert panel.save_button.isEnabled()
    shot(panel, "consent")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    saved = demo.consent.get(view.interview_id)
    assert (saved.level, saved.publish, saved.name_display, saved.pseudonym) == (
        "open",
        True,
        "pseudonym",
        "A. P.",
    )
    assert view.consent_badge.text() == "May be published under the pseudonym ‘A. P.’."
    shot(window, "interview_consent")
    assert not panel.save_button.isEnabled() and panel.message.text() == "Consent saved."

    panel.real_name.click()
    assert "real name, ‘Anahit Petrosyan’" in panel.summary.text()
    panel.level_buttons["restricted"].click()
    assert panel.summary.text().startswith("After saving: Restricted: may go to a partner")
    panel.save()
    assert demo.consent.get(view.interview_id).level == "restricted"

    panel.embargo.setText("2031-13")
    panel.embargo.textEdited.emit("2031-13")
    assert "not a date" in panel.summary.text() and not panel.save_button.isEnabled()
    panel.level_buttons["open"].click()
    panel.embargo.setText("2031")
    panel.embargo.textEdited.emit("2031")
    assert panel.save()
    assert demo.consent.get(view.interview_id).embargo_until == "2031"
    assert panel.summary.text().startswith("Embargoed until 2031 (through 2031-12-31)")

    panel.embargo.clear()
    panel.level_buttons["closed"].click()
    assert panel.save()
    assert view.consent_badge.text() == "Closed: will not appear in any export."
    revert = demo.consent.get(view.interview_id)
    panel.level_buttons["open"].click()
    panel.revert_button.click()  # Revert drops what was not saved
    assert panel.level_buttons["closed"].isChecked() and panel.saved_consent == revert


def test_withdraw_asks_for_a_note_shows_it_in_red_and_reinstate_takes_it_back(qtbot, window, demo):
    view = _fresh(window, demo)
    panel = view.consent
    panel.level_buttons["open"].click()
    panel.publish.click()
    assert panel.save()

    def answer(dialog: QInputDialog) -> None:
        dialog.setTextValue("Asked by phone, 3 May")
        dialog.accept()

    _in_modal(QInputDialog, answer)
    qtbot.mouseClick(panel.withdraw_button, Qt.MouseButton.LeftButton)
    consent = demo.consent.get(view.interview_id)
    today = dt.date.today().isoformat()
    assert consent.withdrawn_on == today and consent.withdrawn_note == "Asked by phone, 3 May"
    assert panel.withdrawn_box.isVisible()
    assert panel.withdrawn_box.text() == (
        f"WITHDRAWN on {today} — “Asked by phone, 3 May”\n"
        "Nothing of this interview will appear in any export."
    )
    assert not panel.summary.isVisible()  # the red box says it
    assert "#b3261e" in panel.withdrawn_box.styleSheet()
    assert panel.reinstate_button.isVisible() and not panel.withdraw_button.isVisible()
    assert view.consent_badge.text().startswith(f"Withdrawn on {today}: nothing")
    shot(panel, "consent_withdrawn")

    assert panel.reinstate(confirm=False)
    assert not demo.consent.get(view.interview_id).withdrawn
    assert not panel.withdrawn_box.isVisible() and panel.withdraw_button.isVisible()
    assert view.consent_badge.text().startswith("May be published")


def test_release_form_is_encrypted_off_the_ui_thread_and_the_clip_said_on_tape(
    qtbot, window, demo, tmp_path
):
    view = _fresh(window, demo)
    panel = view.consent
    form = tmp_path / "release-Անահիտ.pdf"
    form.write_bytes(b"%PDF-1.4 signed release form SECRETWORD " * 100)
    task = panel.attach_release_form(form)
    qtbot.waitUntil(lambda: task.done, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "release-Անահիտ.pdf" in panel.release_label.text(), timeout=WAIT_MS)
    media_id = demo.consent.get(view.interview_id).release_media_id
    assert media_id is not None
    assert demo.media.read_all(media_id) == form.read_bytes()
    assert not any(b"SECRETWORD" in p.read_bytes() for p in demo.paths.vault.iterdir())

    clip = demo.clips.create(view.interview_id, 0.2, 1.4, kind="verbal_consent", title="Yes")
    view.tagging.reload()
    view.tagging.changed.emit()  # the panel follows the clips list
    assert panel.clip_box.itemData(1) == clip.id  # verbal consent clips first
    panel.clip_box.setCurrentIndex(1)
    assert "0:00.2–0:01.4 · verbal consent · Yes" in panel.clip_box.currentText()
    assert panel.play_button.isEnabled()
    assert panel.save()
    assert demo.consent.get(view.interview_id).release_clip_id == clip.id
    panel.play_consent_clip()
    qtbot.waitUntil(lambda: view.player.position >= 0.2, timeout=WAIT_MS)


def test_a_clip_can_override_the_interviews_consent(qtbot, window, demo):
    view = _fresh(window, demo)
    view.consent.level_buttons["open"].click()
    view.consent.publish.click()
    assert view.consent.save()
    clip = demo.clips.create(view.interview_id, 0.0, 1.2, themes=["food"])
    view.tagging.reload()
    view.tagging.clips.setCurrentItem(view.tagging.clips.topLevelItem(0))
    seen: list[str] = []

    def close_it(dialog: ClipConsentDialog) -> None:
        assert dialog.summary.text().startswith("This clip: May be published")
        dialog.level.setCurrentIndex(dialog.level.findData("closed"))
        seen.append(dialog.summary.text())
        shot(dialog, "clip_consent")
        dialog.save()

    _in_modal(ClipConsentDialog, close_it)
    assert view.tagging.edit_clip_consent()
    assert seen == ["This clip: Closed: will not appear in any export."]
    override = demo.consent.clip(clip.id)
    assert override is not None and override.level == "closed" and override.publish is None
    # The interview is still open for publication; only the clip is kept back.
    assert demo.consent.permission(view.interview_id, "publication").allowed
    assert not demo.consent.permission(view.interview_id, "publication", clip_id=clip.id).allowed
