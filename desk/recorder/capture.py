"""Where recorded audio comes from: a QtMultimedia input, or a synthetic source.

Every source has the same small interface — a :class:`~archive.recording_pcm.PcmFormat`,
a name, ``start(sink)`` and ``stop()`` — and calls ``sink(pcm)`` on the UI thread with
whole frames in that format.  The recorder view and the ``record`` command feed the
sink into the archive's :class:`~archive.recording.RecordingWriter`; the tests inject
a :class:`SyntheticSource` through the very same path.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QIODevice, QObject, QTimer, Signal
from PySide6.QtMultimedia import QAudioSource, QtAudio

from archive import ArchiveError
from archive.recording_pcm import PcmFormat, canary_pcm, int32_to_s24

from .devices import InputDevice, qt_device, qt_format

Sink = Callable[[bytes], None]
Generator = Callable[[int, int, PcmFormat], bytes]
# How much audio Qt may hold for us if the UI thread is busy for a moment.
DEVICE_BUFFER_SECONDS = 0.5
# An input that delivers nothing for this long has gone (unplugged, taken away).
STALL_SECONDS = 5.0


class CaptureError(ArchiveError):
    """The input cannot be opened, or stopped delivering audio."""


class CaptureSource(QObject):
    """A source of PCM frames in ``format``, delivered to a sink on the UI thread."""

    failed = Signal(str)

    def __init__(self, fmt: PcmFormat, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.format = fmt
        self.name = name

    def start(self, sink: Sink) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    @property
    def running(self) -> bool:
        raise NotImplementedError


class DeviceSource(CaptureSource):
    """A QtMultimedia audio input in push mode (``QAudioSource.start()``)."""

    def __init__(self, device: InputDevice, fmt: PcmFormat, parent: QObject | None = None) -> None:
        super().__init__(fmt, device.name, parent)
        self.device = device
        self._audio: QAudioSource | None = None
        self._io: QIODevice | None = None
        self._sink: Sink | None = None
        self._rest = b""
        self._watch = QTimer(self)
        self._watch.setInterval(500)
        self._watch.timeout.connect(self._check)
        self._quiet = QElapsedTimer()
        # What the device delivers per frame: 32-bit integers for 24-bit recording.
        self._device_frame = fmt.channels * (4 if fmt.sample_width == 3 else 2)

    @property
    def running(self) -> bool:
        return self._audio is not None

    def start(self, sink: Sink) -> None:
        qdev = qt_device(self.device)
        if qdev is None:
            raise CaptureError(f"The input “{self.name}” is no longer there.")
        wanted = qt_format(self.format)
        if not qdev.isFormatSupported(wanted):
            raise CaptureError(f"The input “{self.name}” cannot record {self.format.label()}.")
        audio = QAudioSource(qdev, wanted, self)
        audio.setBufferSize(
            int(self.format.sample_rate * DEVICE_BUFFER_SECONDS) * self._device_frame
        )
        io = audio.start()
        if io is None or audio.error() != QtAudio.Error.NoError:
            audio.deleteLater()
            raise CaptureError(f"The input “{self.name}” could not be opened.")
        self._audio, self._io, self._sink, self._rest = audio, io, sink, b""
        io.readyRead.connect(self._read)
        # (stateChanged carries the old QAudio.State, which PySide cannot convert: poll.)
        self._quiet.start()
        self._watch.start()

    def stop(self) -> None:
        audio, self._audio = self._audio, None
        if audio is None:
            return
        self._watch.stop()
        self._read()
        audio.stop()
        audio.deleteLater()
        self._io = None
        self._sink = None

    def _read(self) -> None:
        io, sink = self._io, self._sink
        if io is None or sink is None:
            return
        data = self._rest + io.readAll().data()
        whole = len(data) - len(data) % self._device_frame
        self._rest = data[whole:]
        if whole:
            self._quiet.restart()
            pcm = data[:whole]
            sink(int32_to_s24(pcm) if self.format.sample_width == 3 else pcm)

    def _check(self) -> None:
        audio = self._audio
        if audio is None:
            return
        failed = audio.error() not in (QtAudio.Error.NoError, QtAudio.Error.UnderrunError)
        if failed or self._quiet.elapsed() > STALL_SECONDS * 1000:
            self._watch.stop()
            self.failed.emit(f"The input “{self.name}” stopped delivering audio.")


class SyntheticSource(CaptureSource):
    """Generated audio at the pace of real time, pushed by a timer like a device would.

    ``generator(first_frame, frames, fmt)`` makes the samples (by default the
    deterministic :func:`~archive.recording_pcm.canary_pcm`, so a recording can be
    compared sample by sample with what was fed).  With ``realtime=False`` only
    :meth:`push` delivers audio, for tests that need exact stretches.
    """

    def __init__(
        self,
        fmt: PcmFormat,
        *,
        name: str = "Test tone",
        generator: Generator = canary_pcm,
        interval_ms: int = 20,
        realtime: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(fmt, name, parent)
        self._generator = generator
        self._realtime = realtime
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._clock = QElapsedTimer()
        self._sink: Sink | None = None
        self.produced = 0  # frames delivered so far
        self._started_at = 0

    @property
    def running(self) -> bool:
        return self._sink is not None

    def start(self, sink: Sink) -> None:
        self._sink = sink
        self._clock.start()
        self._started_at = self.produced
        if self._realtime:
            self._timer.start()

    def stop(self) -> None:
        if self._realtime:
            self._tick()
        self._timer.stop()
        self._sink = None

    def push(self, frames: int) -> None:
        """Deliver ``frames`` now (tests: a stretch of audio without waiting for it)."""
        if self._sink is not None and frames > 0:
            data = self._generator(self.produced, frames, self.format)
            self.produced += frames
            self._sink(data)

    def _tick(self) -> None:
        if self._sink is None:
            return
        due = self._started_at + self._clock.elapsed() * self.format.sample_rate // 1000
        self.push(due - self.produced)
