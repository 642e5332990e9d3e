"""Waveform peaks from the working copy, computed off the UI thread.

The working copy (16 kHz mono s16le) is streamed from the vault a megabyte at a
time, so memory stays flat for a recording of many hours: a three-hour interview is
340 MB of PCM, and ``archive.media.working_audio`` would hold all of it as float32.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

import numpy as np

from archive import Archive
from archive.media import BYTES_PER_SAMPLE
from desk.tasks import Task

# A few times wider than the overview is ever drawn; it pools them per pixel.
PEAK_COUNT = 4000
_BLOCK_BYTES = 1 << 20


def compute_peaks(
    stream: BinaryIO,
    n_samples: int,
    *,
    count: int = PEAK_COUNT,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> np.ndarray | None:
    """The largest ``|sample|`` (0..1) of each of about ``count`` equal spans.

    Every span holds the same whole number of samples (the last may be short), so
    a peak is never split across two reads.  Returns None when cancelled.
    """
    if n_samples <= 0:
        return np.zeros(0, dtype=np.float32)
    per_peak = -(-n_samples // count)
    peaks = np.zeros(-(-n_samples // per_peak), dtype=np.float32)
    block = per_peak * max(1, _BLOCK_BYTES // (per_peak * BYTES_PER_SAMPLE))
    index = 0
    read = 0
    while read < n_samples:
        if cancelled is not None and cancelled():
            return None
        raw = stream.read(min(block, n_samples - read) * BYTES_PER_SAMPLE)
        if len(raw) < BYTES_PER_SAMPLE:
            break
        samples = np.abs(np.frombuffer(raw, dtype="<i2", count=len(raw) // 2).astype(np.int32))
        spans = -(-len(samples) // per_peak)
        samples = np.pad(samples, (0, spans * per_peak - len(samples)))
        peaks[index : index + spans] = samples.reshape(spans, per_peak).max(axis=1) / 32768.0
        index += spans
        read += len(raw) // BYTES_PER_SAMPLE
        if progress is not None:
            progress(read / n_samples)
    return peaks


def peaks_task(archive: Archive, interview_id: str) -> Task:
    """A :class:`Task` (not started) whose result is the interview's peaks.

    The media row is looked up here, on the caller's (UI) thread: the database
    connection belongs to it.  The worker only reads the vault file.
    """
    media = archive.media.of_role(interview_id, "working")

    def work(progress: Callable[[float], None], cancelled: Callable[[], bool]) -> np.ndarray | None:
        with archive.media.open(media.id) as stream:
            return compute_peaks(
                stream,
                media.size // BYTES_PER_SAMPLE,
                progress=progress,
                cancelled=cancelled,
            )

    return Task(work)
