"""The Record view and its place in the main window (pytest-qt, real archive, offscreen Qt).

A :class:`SyntheticSource` goes in through the same interface a QtMultimedia input
does (``set_inputs`` with a source factory); where this process sees a capture device
one test records through QAudioSource itself (and test_record_cli.py always does, from a
private PulseAudio server, where PulseAudio is installed).
"""

from __future__ import annotations

import io
from pathlib import Path

import av
import pytest
from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from archive import Archive
from archive.recording_pcm import PcmFormat, canary_pcm
from desk.jobs.transcribe_dialog import TranscribeDialog
from desk.recorder.capture import SyntheticSource
from desk.recorder.devices import InputDevice, list_inputs
from desk.recorder.view import RecorderView
from desk.session import Session
from desk.ui.main_window import VIEWS, MainWindow

from .conftest import FAST_KDF, PASSPHRASE

SHOTS = Path("/tmp/shots")
LAVALIERS = InputDevice(
    id=b"synthetic",
    name="Two lavalier mics (USB)",
    is_default=True,
    rates=(44_100, 48_000, 96_000),
    max_channels=2,
    preferred_rate=48_000,
    preferred_channels=2,
    offers_24_bit=True,
)


def shot(widget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


class Sources:
    """The factory the view calls, keeping the sources it made (not paced: tests push)."""

    def __init__(self, generator=canary_pcm) -> None:
        self.made: list[SyntheticSource] = []
        self._generator = generator

    def __call__(self, device: InputDevice, fmt: PcmFormat) -> SyntheticSource:
        source = SyntheticSource(fmt, name=device.name, generator=self._generator, realtime=False)
        self.made.append(source)
        return source

    @property
    def last(self) -> SyntheticSource:
        return self.made[-1]


@pytest.fixture
def session(qtbot, archive: Archive):
    session = Session()
    session.open(archive)
    yield session
    session.lock()
    QThreadPool.globalInstance().waitForDone(10_000)


def make_view(qtbot, session: Session, sources: Sources) -> RecorderView:
    view = RecorderView(session)
    qtbot.addWidget(view)
    view.set_inputs([LAVALIERS], sources)
    view.resize(1000, 620)
    view.show()
    view.activateWindow()
    qtbot.waitActive(view)
    return view


def test_keys_record_pause_mark_and_stop_exactly_what_was_captured(qtbot, session, archive):
    sources = Sources()
    view = make_view(qtbot, session, sources)
    assert view.current_format() == PcmFormat(48_000, 2, 3)  # 48 kHz, 24-bit, both channels
    monitor = sources.last
    monitor.push(4800)  # levels show before recording starts
    qtbot.waitUntil(lambda: view.meter.peak_db[0] > -20)
    assert view.start_button.isEnabled() and not view.stop_button.isEnabled()

    qtbot.keyClick(view, Qt.Key.Key_R)
    assert view.is_recording and not monitor.running
    source = sources.last
    fmt = source.format
    source.push(48_000)
    qtbot.keyClick(view, Qt.Key.Key_M)  # a marker at 1.0 s; its note cell opens
    qtbot.waitUntil(lambda: view.markers.rowCount() == 1)
    editor = QApplication.focusWidget()
    qtbot.keyClicks(editor, "the bakery on Nizami street")  # typing: no shortcut fires
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert view.is_recording and view.markers.rowCount() == 1
    source.push(24_000)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert view.writer.paused and view.state.text() == "PAUSED"
    source.push(24_000)  # not recorded
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert not view.writer.paused
    source.push(48_000)
    qtbot.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.ShiftModifier)  # verbal consent
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    theme_combo = view.markers.cellWidget(0, 2)
    theme_combo.setCurrentIndex(1)
    qtbot.waitUntil(lambda: view.elapsed.text() == "0:00:02")
    shot(view, "recorder_recording")

    with qtbot.waitSignal(view.recorded, timeout=20_000) as saved:
        qtbot.keyClick(view, Qt.Key.Key_S)
    interview_id = saved.args[0]
    assert not view.is_recording and view.message.text() == "Saved as a new interview."

    original = archive.media.of_role(interview_id, "original")
    data = archive.media.read_all(original.id)
    assert data[44:] == canary_pcm(0, 72_000, fmt) + canary_pcm(96_000, 48_000, fmt)
    assert (original.channels, original.codec) == (2, "pcm_s24le")
    clips = archive.clips.for_interview(interview_id)
    assert [(c.kind, c.start, c.note) for c in clips] == [
        ("marker", 1.0, "the bakery on Nizami street"),
        ("verbal_consent", 1.5, None),
    ]
    assert clips[0].theme_ids == (theme_combo.itemData(1),)
    assert archive.consent.get(interview_id).release_clip_id == clips[1].id
    assert archive.verify().ok


def test_meter_shows_peak_rms_and_clipping(qtbot, session):
    def full_scale(_first: int, frames: int, fmt: PcmFormat) -> bytes:
        return (b"\xff\xff\x7f" + b"\x01\x00\x80") * frames  # +max, -max: clipping

    sources = Sources(full_scale)
    view = make_view(qtbot, session, sources)
    sources.last.push(4800)
    qtbot.waitUntil(lambda: view.meter.clipping and view.meter.peak_db[0] > -0.1)
    assert view.meter.rms_db[0] > -0.1
    shot(view.meter, "recorder_meter_clipping")
    image = view.meter.grab().toImage()
    clip_pixel = image.pixelColor(image.width() - 20, 12)
    assert clip_pixel.red() > 200 and clip_pixel.green() < 80  # CLIP lit in red


def test_idle_lock_waits_for_the_recording_and_ctrl_l_keeps_it(qtbot, session, archive):
    sources = Sources()
    view = make_view(qtbot, session, sources)
    assert view.start()
    sources.last.push(96_000)
    session.set_idle_interval_ms(50)
    qtbot.wait(300)
    assert session.is_open and view.is_recording  # idle never locks a recording
    recording_id = view.writer.id
    view.writer.wait_flushed()
    session.lock()  # Ctrl+L: stop at once, keep every chunk
    assert not view.is_recording and "locked during a recording" in view.message.text()
    with Archive.open(archive.paths.root, PASSPHRASE) as again:
        (info,) = again.recordings.unfinished()
        assert info.id == recording_id and info.duration == 2.0


def test_main_window_record_entry_transcribe_offer_and_recovery(qtbot, archive_path: Path):
    archive = Archive.create(archive_path, PASSPHRASE, kdf=FAST_KDF)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.session.open(archive)
    assert win.recovery_dialog is None  # nothing to recover yet
    assert win.sidebar.item(VIEWS.index("Record")).text() == "Record"
    sources = Sources()
    win.recorder.set_inputs([LAVALIERS], sources)
    win.record_action.trigger()  # File > New recording… (Ctrl+Shift+N)
    assert win.views.currentWidget() is win.recorder
    assert win.record_action.shortcut().toString() == "Ctrl+Shift+N"

    # Record, stop: the interview opens with its form, and transcription is offered.
    assert win.recorder.start()
    sources.last.push(48_000)
    with qtbot.waitSignal(win.recorder.recorded, timeout=20_000):
        win.recorder.stop()
    qtbot.waitUntil(lambda: win.interview is not None)
    assert win.views.currentWidget() is win.interview
    assert win.interview.form.title.text().startswith("Recording ")
    offer = win.transcribe_offer
    assert isinstance(offer, QMessageBox) and offer.isVisible()
    shot(win, "recorder_saved_interview")
    shot(offer, "recorder_saved_offer")
    transcribe_now = next(b for b in offer.buttons() if "Transcribe now" in b.text())

    asked: list[TranscribeDialog] = []

    def answer_transcribe_dialog() -> None:  # it runs modal: answered from inside its loop
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, TranscribeDialog) and widget.isVisible():
                asked.append(widget)
                widget.reject()

    answer = QTimer()
    answer.timeout.connect(answer_transcribe_dialog)
    answer.start(50)
    bar = win.interview.transcription
    transcribe_now.click()  # the interview's own Transcribe… flow: models, then the dialog
    assert bar.status.text() == "Looking for Whisper models…"
    qtbot.waitUntil(lambda: bool(asked), timeout=30_000)
    answer.stop()
    assert bar.button.isEnabled()

    # Record again, then lock mid-recording; unlocking offers the recording back.
    win.show_view(VIEWS.index("Record"))
    assert win.recorder.start()
    sources.last.push(96_000)
    win.recorder.writer.wait_flushed()
    win.session.lock()
    assert win.pages.currentIndex() == 0
    win.session.open(Archive.open(archive_path, PASSPHRASE))
    dialog = win.recovery_dialog
    assert dialog is not None and dialog.isVisible() and dialog.list.count() == 1
    assert "0:00:02" in dialog.list.item(0).text() and "stopped" in dialog.list.item(0).text()
    shot(dialog, "recorder_recovery_dialog")
    with qtbot.waitSignal(dialog.recovered, timeout=20_000) as recovered:
        dialog.recover_button.click()
    assert not dialog.isVisible()
    interviews = win.session.archive.interviews.list()
    assert len(interviews) == 2 and recovered.args[0] in {i.id for i in interviews}
    assert win.library.model.rowCount() == 2
    win.session.lock()
    QThreadPool.globalInstance().waitForDone(10_000)


def test_recovery_dialog_discards_only_when_asked_twice(qtbot, session, archive):
    fmt = PcmFormat(48_000, 1, 2)
    for _ in range(2):
        writer = archive.recordings.start(fmt)
        writer.feed(canary_pcm(0, 48_000, fmt))
        writer.close()
    sources = Sources()
    view = make_view(qtbot, session, sources)
    assert view.unfinished_button.isVisible() and "(2)" in view.unfinished_button.text()
    dialog = view.show_unfinished()
    assert dialog is not None and dialog.list.count() == 2
    dialog.discard_selected()
    assert len(archive.recordings.unfinished()) == 2  # only asked
    assert "Click again" in dialog.message.text()
    dialog.discard_selected()
    assert len(archive.recordings.unfinished()) == 1 and dialog.list.count() == 1
    dialog.later_button.click()
    assert not dialog.isVisible() and "(1)" in view.unfinished_button.text()


def test_records_through_a_real_capture_device(qtbot, session, archive):
    """QMediaDevices + QAudioSource, as the app uses them; skipped without a device."""
    inputs = list_inputs()
    if not inputs:
        pytest.skip(
            "no audio capture device in this process (test_record_cli.py records through "
            "QAudioSource from a private PulseAudio server where one is installed)"
        )
    view = RecorderView(session)
    qtbot.addWidget(view)
    view.show()
    assert view.current_input() is not None
    fmt = view.current_format()
    assert fmt is not None and fmt.sample_rate in view.current_input().rates
    assert view.start(), view.message.text()
    qtbot.waitUntil(lambda: view.writer is not None and view.writer.seconds >= 1.5, timeout=15_000)
    with qtbot.waitSignal(view.recorded, timeout=20_000) as saved:
        view.stop()
    original = archive.media.of_role(saved.args[0], "original")
    assert original.sample_rate == fmt.sample_rate and original.channels == fmt.channels
    assert original.duration >= 1.5
    with av.open(io.BytesIO(archive.media.read_all(original.id))) as container:
        stream = container.streams.audio[0]
        decoded = sum(f.samples for f in container.decode(stream))
    assert decoded == (original.size - 44) // fmt.frame_size
