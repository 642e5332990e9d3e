"""PCM for recording: formats, levels, WAV headers, and sources that are not a microphone.

Recorded audio is interleaved little-endian signed integers: 16-bit (``s16le``) or
24-bit packed in three bytes (``s24le``), one or more channels.  A device that
delivers 32-bit samples is stored as 24-bit by keeping each sample's top three bytes.

Sources here (a WAV file, a synthetic tone) feed the same recording writer a
microphone does; the desktop's device capture lives in ``desk.recorder``.
"""

from __future__ import annotations

import math
import struct
import time
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import UnreadableFileError, UnsupportedMediaError

SAMPLE_WIDTHS = (2, 3)
PREFERRED_RATE = 48_000
CLIP_LEVEL = 0.999  # a peak at or above this (about -0.01 dBFS) is clipping
_RIFF_MAX = 0xFFFFFFFF


@dataclass(frozen=True)
class PcmFormat:
    """How recorded samples are laid out: rate, channels and bytes per sample."""

    sample_rate: int = PREFERRED_RATE
    channels: int = 1
    sample_width: int = 2

    def __post_init__(self) -> None:
        if self.sample_width not in SAMPLE_WIDTHS:
            raise ValueError(f"only 16- and 24-bit samples are recorded, not {self.sample_width}")
        if not (1 <= self.channels <= 8) or not (8_000 <= self.sample_rate <= 384_000):
            raise ValueError(f"not a recording format: {self}")

    @property
    def frame_size(self) -> int:
        return self.channels * self.sample_width

    @property
    def bytes_per_second(self) -> int:
        return self.sample_rate * self.frame_size

    @property
    def bits(self) -> int:
        return self.sample_width * 8

    @property
    def codec(self) -> str:
        """FFmpeg's name for these samples in a WAV (what a probe reports)."""
        return f"pcm_s{self.bits}le"

    def label(self) -> str:
        """For people: ``48 kHz · 24-bit · stereo``."""
        rate = f"{self.sample_rate / 1000:g} kHz"
        layout = {1: "mono", 2: "stereo"}.get(self.channels, f"{self.channels} channels")
        return f"{rate} · {self.bits}-bit · {layout}"


# -- samples -------------------------------------------------------------------


def int32_to_s24(pcm: bytes | bytearray | memoryview) -> bytes:
    """32-bit little-endian samples as packed 24-bit: each sample's top three bytes."""
    return np.frombuffer(pcm, dtype=np.uint8).reshape(-1, 4)[:, 1:].tobytes()


def to_int32(pcm: bytes | bytearray | memoryview, sample_width: int) -> np.ndarray:
    """Samples as int32 scaled to the full 32-bit range (any supported width)."""
    if sample_width == 2:
        return np.frombuffer(pcm, dtype="<i2").astype(np.int32) << 16
    raw = np.frombuffer(pcm, dtype=np.uint8).reshape(-1, 3)
    wide = np.zeros((len(raw), 4), dtype=np.uint8)
    wide[:, 1:] = raw
    return wide.view("<i4").reshape(-1)


def samples(pcm: bytes | bytearray | memoryview, fmt: PcmFormat) -> np.ndarray:
    """Frames as an int32 array of shape (frames, channels), in the format's own units."""
    data = to_int32(pcm, fmt.sample_width) >> (32 - fmt.bits)
    return data.reshape(-1, fmt.channels)


@dataclass(frozen=True)
class Level:
    """One channel's level over a block: linear peak and RMS in [0, 1]."""

    peak: float
    rms: float

    @property
    def clipped(self) -> bool:
        return self.peak >= CLIP_LEVEL

    @staticmethod
    def db(value: float, floor: float = -90.0) -> float:
        """dBFS of a linear level (``floor`` for silence)."""
        return max(floor, 20 * math.log10(value)) if value > 0 else floor


def levels(pcm: bytes | bytearray | memoryview, fmt: PcmFormat) -> list[Level]:
    """Peak and RMS of each channel over a block of frames (cheap: for a live meter)."""
    usable = len(pcm) - len(pcm) % fmt.frame_size
    if usable <= 0:
        return [Level(0.0, 0.0)] * fmt.channels
    data = to_int32(memoryview(pcm)[:usable], fmt.sample_width).reshape(-1, fmt.channels)
    scaled = data.astype(np.float64) / 2**31
    peak = np.abs(scaled).max(axis=0)
    rms = np.sqrt(np.mean(scaled * scaled, axis=0))
    return [Level(float(p), float(r)) for p, r in zip(peak, rms, strict=True)]


# -- the WAV an original is stored as -----------------------------------------------


def wav_header(data_size: int, fmt: PcmFormat, *, rf64: bool | None = None) -> bytes:
    """The header of a PCM WAV holding ``data_size`` bytes of samples.

    Past 4 GiB (about four hours of 48 kHz 24-bit stereo) the file is RF64, which
    FFmpeg and every serious audio tool read.  The data is followed by one pad byte
    when its size is odd (RIFF chunks are word-aligned); see :func:`wav_padding`.
    ``rf64=False`` always gives the 44-byte RIFF header, its sizes clamped past
    4 GiB, which FFmpeg reads as "to the end of the stream" (for a stream served
    from memory, such as the player's view of a working copy).
    """
    pad = len(wav_padding(data_size))
    fmt_chunk = struct.pack(
        "<4sIHHIIHH",
        b"fmt ",
        16,
        1,  # integer PCM
        fmt.channels,
        fmt.sample_rate,
        fmt.bytes_per_second,
        fmt.frame_size,
        fmt.bits,
    )
    riff_size = 4 + len(fmt_chunk) + 8 + data_size + pad
    if rf64 is None:
        rf64 = riff_size > _RIFF_MAX
    if not rf64:
        return (
            struct.pack("<4sI4s", b"RIFF", min(riff_size, _RIFF_MAX), b"WAVE")
            + fmt_chunk
            + struct.pack("<4sI", b"data", min(data_size, _RIFF_MAX))
        )
    ds64 = struct.pack(
        "<4sIQQQI", b"ds64", 28, riff_size + 36, data_size, data_size // fmt.frame_size, 0
    )
    return (
        struct.pack("<4sI4s", b"RF64", _RIFF_MAX, b"WAVE")
        + ds64
        + fmt_chunk
        + struct.pack("<4sI", b"data", _RIFF_MAX)
    )


def wav_padding(data_size: int) -> bytes:
    return b"\x00" if data_size % 2 else b""


# -- sources that are not a microphone ------------------------------------------------


class PcmSource(Protocol):
    """Anything that yields blocks of PCM in its ``format`` (a file, a tone, a device)."""

    format: PcmFormat
    name: str

    def read(self) -> bytes | None:
        """The next block of whole frames; ``None`` at the end."""
        ...

    def close(self) -> None: ...


class _Paced:
    """Hands out blocks no faster than real time when ``paced``."""

    def __init__(self, fmt: PcmFormat, paced: bool) -> None:
        self._fmt = fmt
        self._paced = paced
        self._start: float | None = None
        self._frames = 0

    def wait(self, frames: int) -> None:
        if self._paced:
            now = time.monotonic()
            if self._start is None:
                self._start = now
            due = self._start + self._frames / self._fmt.sample_rate
            if due > now:
                time.sleep(due - now)
        self._frames += frames


class WavFileSource:
    """A PCM WAV file (16- or 24-bit), block by block, optionally at the pace of real time."""

    def __init__(self, path: Path, *, paced: bool = False, block_seconds: float = 0.05) -> None:
        self.name = Path(path).name
        try:
            self._wav = wave.open(str(path), "rb")  # noqa: SIM115 - closed in close()
        except FileNotFoundError:
            raise UnreadableFileError(f"{self.name} does not exist.") from None
        except (wave.Error, EOFError) as exc:
            raise UnsupportedMediaError(
                f"{self.name} is not a PCM WAV file of 16- or 24-bit samples ({exc})."
            ) from None
        try:
            self.format = PcmFormat(
                self._wav.getframerate(), self._wav.getnchannels(), self._wav.getsampwidth()
            )
        except ValueError as exc:
            self._wav.close()
            raise UnsupportedMediaError(f"{self.name} cannot be recorded from: {exc}.") from None
        self._block = max(1, int(self.format.sample_rate * block_seconds))
        self._pace = _Paced(self.format, paced)

    def read(self) -> bytes | None:
        data = self._wav.readframes(self._block)
        data = data[: len(data) - len(data) % self.format.frame_size]
        if not data:
            return None
        self._pace.wait(len(data) // self.format.frame_size)
        return data

    def close(self) -> None:
        self._wav.close()


def canary_pcm(start_frame: int, frames: int, fmt: PcmFormat) -> bytes:
    """Deterministic, distinctive test audio: a tone with a per-sample pattern.

    Frame ``n`` is always the same bytes, so any stretch of a recording can be
    compared with what was fed, and a plaintext scan can look for it.
    """
    n = np.arange(start_frame, start_frame + frames, dtype=np.int64)
    full = (1 << (fmt.bits - 1)) - 1
    columns = []
    for channel in range(fmt.channels):
        phase = 2 * math.pi * (440.0 + 110.0 * channel) * n / fmt.sample_rate
        pattern = ((n * 2654435761 + channel * 40503) % 4099) - 2049  # never repeats soon
        value = 0.4 * np.sin(phase) * full + pattern * (full // 65536 + 1)
        columns.append(np.clip(value, -full - 1, full).astype(np.int64))
    data = np.stack(columns, axis=1).reshape(-1).astype("<i4")
    if fmt.sample_width == 2:
        return data.astype("<i2").tobytes()
    return int32_to_s24((data << 8).astype("<i4").tobytes())


class ToneSource:
    """``seconds`` of :func:`canary_pcm`, block by block (paced or as fast as it goes)."""

    def __init__(
        self,
        fmt: PcmFormat,
        seconds: float,
        *,
        paced: bool = False,
        block_seconds: float = 0.05,
        name: str = "Test tone",
    ) -> None:
        self.format = fmt
        self.name = name
        self._total = int(seconds * fmt.sample_rate)
        self._block = max(1, int(fmt.sample_rate * block_seconds))
        self._done = 0
        self._pace = _Paced(fmt, paced)

    def read(self) -> bytes | None:
        frames = min(self._block, self._total - self._done)
        if frames <= 0:
            return None
        self._pace.wait(frames)
        data = canary_pcm(self._done, frames, self.format)
        self._done += frames
        return data

    def close(self) -> None:
        pass
