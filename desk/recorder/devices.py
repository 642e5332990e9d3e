"""Audio inputs, and the recording format each one offers.

The format is the device's own (no resampling on the way in): 48 kHz when the device
offers it, else its preferred rate; 24-bit when it delivers 32-bit integer samples
(stored as their top three bytes), else 16-bit; mono or stereo (two lavalier
microphones on two channels are common, and both are kept).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtMultimedia import QAudioDevice, QAudioFormat, QMediaDevices

from archive.recording_pcm import PREFERRED_RATE, PcmFormat

STANDARD_RATES = (16_000, 22_050, 32_000, 44_100, 48_000, 88_200, 96_000)


@dataclass(frozen=True)
class InputDevice:
    """One audio input and what it can record."""

    id: bytes
    name: str
    is_default: bool
    rates: tuple[int, ...]
    max_channels: int
    preferred_rate: int
    preferred_channels: int
    offers_24_bit: bool

    def default_format(self) -> PcmFormat:
        rate = PREFERRED_RATE if PREFERRED_RATE in self.rates else self.preferred_rate
        channels = max(1, min(2, self.preferred_channels, self.max_channels))
        return PcmFormat(rate, channels, 3 if self.offers_24_bit else 2)

    def offers(self, fmt: PcmFormat) -> bool:
        return (
            fmt.sample_rate in self.rates
            and fmt.channels <= self.max_channels
            and (fmt.sample_width == 2 or self.offers_24_bit)
        )


_app: list[QCoreApplication] = []  # the CLI's application, kept alive


def _ensure_app() -> None:
    if QCoreApplication.instance() is None:  # the CLI: QtMultimedia needs an application
        _app.append(QCoreApplication([]))


def _describe(device: QAudioDevice, default_id: bytes) -> InputDevice:
    low, high = device.minimumSampleRate(), device.maximumSampleRate()
    preferred = device.preferredFormat()
    rates = {r for r in STANDARD_RATES if low <= r <= high}
    if preferred.sampleRate() > 0:
        rates.add(preferred.sampleRate())
    formats = device.supportedSampleFormats()
    return InputDevice(
        id=bytes(device.id().data()),
        name=device.description() or bytes(device.id().data()).decode(errors="replace"),
        is_default=bytes(device.id().data()) == default_id,
        rates=tuple(sorted(rates)),
        max_channels=max(1, min(device.maximumChannelCount(), 8)),
        preferred_rate=preferred.sampleRate() or PREFERRED_RATE,
        preferred_channels=max(1, preferred.channelCount()),
        offers_24_bit=QAudioFormat.SampleFormat.Int32 in formats,
    )


def list_inputs() -> list[InputDevice]:
    """Every audio input the system offers, the default one first."""
    _ensure_app()
    default = QMediaDevices.defaultAudioInput()
    default_id = bytes(default.id().data()) if not default.isNull() else b""
    inputs = [_describe(d, default_id) for d in QMediaDevices.audioInputs()]
    return sorted(inputs, key=lambda d: not d.is_default)


def find_input(name: str | None) -> InputDevice | None:
    """The input whose name (or id) contains ``name``; the default one for None."""
    inputs = list_inputs()
    if not name:
        return inputs[0] if inputs else None
    wanted = name.casefold()
    for device in inputs:
        if device.name.casefold() == wanted or device.id.decode(errors="replace") == name:
            return device
    return next((d for d in inputs if wanted in d.name.casefold()), None)


def qt_device(device: InputDevice) -> QAudioDevice | None:
    """The QtMultimedia device behind an :class:`InputDevice` (None if it went away)."""
    _ensure_app()
    for candidate in QMediaDevices.audioInputs():
        if bytes(candidate.id().data()) == device.id:
            return candidate
    return None


def qt_format(fmt: PcmFormat) -> QAudioFormat:
    """What to ask the device for: 32-bit integers for 24-bit recording."""
    out = QAudioFormat()
    out.setSampleRate(fmt.sample_rate)
    out.setChannelCount(fmt.channels)
    out.setSampleFormat(
        QAudioFormat.SampleFormat.Int32
        if fmt.sample_width == 3
        else QAudioFormat.SampleFormat.Int16
    )
    return out
