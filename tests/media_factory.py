"""Make media files at test time with PyAV (inputs only; the archive never sees a path)."""

from __future__ import annotations

import math
import wave
from pathlib import Path

import av
import numpy as np


def write_wav(path: Path, samples: np.ndarray, rate: int = 16000, channels: int = 1) -> Path:
    """Write int16 samples (interleaved when stereo) as a PCM WAV file."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())
    return path


def tone(seconds: float, rate: int = 16000, freq: float = 440.0, seed: int = 0) -> np.ndarray:
    """A tone with a little noise, as int16 (distinctive bytes for plaintext scans)."""
    n = int(seconds * rate)
    t = np.arange(n) / rate
    noise = np.random.default_rng(seed).normal(0, 0.05, n)
    signal = 0.5 * np.sin(2 * math.pi * freq * t) + noise
    return (np.clip(signal, -1, 1) * 32767).astype(np.int16)


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")


def write_video_only(path: Path, seconds: float = 1.0) -> Path:
    """An MP4 with a video track and no audio track."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for i in range(int(seconds * 10)):
            img = np.full((64, 64, 3), (i * 20) % 255, dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def concat_wavs(path: Path, sources: list[Path], gap_seconds: float = 1.0) -> Path:
    """Join mono WAVs of one sample rate with silent gaps between them."""
    with wave.open(str(sources[0]), "rb") as w:
        rate = w.getframerate()
    gap = np.zeros(int(gap_seconds * rate), dtype=np.int16)
    pieces: list[np.ndarray] = []
    for src in sources:
        pieces += [read_wav(src), gap]
    return write_wav(path, np.concatenate(pieces), rate=rate)
