"""Import throughput against the raw PyAV decode of the same file, in one run.

    .venv/bin/python bench/bench_import.py [--minutes 60] [--format wav|flac|mp3]

Generates a field-recording-like file (speech-band noise bursts and tones, 44.1 kHz
stereo), then times (a) PyAV decoding and resampling it to 16 kHz mono with nothing
else, the baseline, and (b) ``Archive.import_file`` of the same file (decode, encrypt
working copy and original into the vault with SHA-256, fsync, commit).  Prints MB/s
of original, seconds per hour of audio, the ratio to the baseline and peak memory.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import av
import numpy as np

from archive import Archive, KdfParams

RATE = 44100


def make_recording(path: Path, minutes: float, fmt: str) -> Path:
    """Write ``minutes`` of deterministic pseudo-speech with PyAV, in 10 s blocks."""
    rng = np.random.default_rng(1)
    codec = {"wav": "pcm_s16le", "flac": "flac", "mp3": "libmp3lame"}[fmt]
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=RATE, layout="stereo")
        block = 10 * RATE
        for i in range(int(minutes * 6)):
            t = np.arange(block) / RATE
            envelope = (np.sin(2 * np.pi * 3.1 * t + i) > 0).astype(np.float32)
            voice = np.sin(2 * np.pi * (180 + 40 * np.sin(t)) * t) * 0.3
            noise = rng.normal(0, 0.05, block)
            mono = ((voice * envelope + noise) * 20000).astype(np.int16)
            stereo = np.vstack([mono, mono]).T.reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(stereo, format="s16", layout="stereo")
            frame.sample_rate = RATE
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def raw_decode(path: Path) -> float:
    """Baseline: PyAV decode + resample to 16 kHz mono, bytes discarded."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=16000)
    samples = 0
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            for out in resampler.resample(frame):
                samples += out.to_ndarray().size
    return samples / 16000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--format", choices=["wav", "flac", "mp3"], default="wav")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = make_recording(Path(tmp) / f"recording.{args.format}", args.minutes, args.format)
        size_mb = src.stat().st_size / 1e6
        with open(src, "rb") as f:  # warm the page cache for both runs alike
            while f.read(1 << 20):
                pass

        start = time.perf_counter()
        seconds = raw_decode(src)
        baseline = time.perf_counter() - start

        archive = Archive.create(Path(tmp) / "archive", "bench", kdf=KdfParams.minimum())
        start = time.perf_counter()
        archive.import_file(src)
        imported = time.perf_counter() - start
        ok = archive.verify().ok
        archive.close()

    hours = seconds / 3600
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"file: {args.format}, {seconds / 60:.1f} min of 44.1 kHz stereo, {size_mb:.1f} MB")
    print(f"raw PyAV decode : {baseline:6.2f} s  {size_mb / baseline:7.1f} MB/s  "
          f"{baseline / hours:6.1f} s per hour of audio")  # fmt: skip
    print(f"archive import  : {imported:6.2f} s  {size_mb / imported:7.1f} MB/s  "
          f"{imported / hours:6.1f} s per hour of audio")  # fmt: skip
    print(f"ratio import / raw decode: {imported / baseline:.2f}x   verify ok: {ok}   "
          f"peak RSS: {peak_mb:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
