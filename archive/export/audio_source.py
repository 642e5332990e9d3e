"""Exportable sound: the one place where vault audio becomes audio that may leave.

:class:`ExcerptAudio` decodes an interview's *original* recording from the encrypted
vault in memory (PyAV reads the decrypting file object; no plaintext temp file),
resamples it to 16-bit PCM at :data:`RATE` in one layout for the whole corpus, cuts
exactly ``[start, end)`` by sample count and then, always, applies
:func:`archive.redaction.redact_audio` (silence or a tone, as the spec says) before
anything is returned.  It only gives out stretches the corpus cleared: a range that
is not inside one of the corpus's excerpts is refused, and every redacted range the
corpus knows for the interview is applied even if a caller forgets to pass it.

Long stretches come out in pieces (:meth:`ExcerptAudio.pieces`) so that a two-hour
interview never sits in memory whole; :meth:`ExcerptAudio.segment` joins them for
short excerpts and tests.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import av
import numpy as np

from ..errors import ArchiveError
from ..redaction import redact_audio
from .corpus import Corpus, Excerpt, ExportError, InterviewEntry

with warnings.catch_warnings():
    # pydub warns on import that it finds no ffmpeg binary (it never runs one here)
    # and, on Python 3.11-3.12, that audioop is deprecated (audioop-lts replaces it).
    warnings.simplefilter("ignore")
    from pydub import AudioSegment

if TYPE_CHECKING:
    from ..archive import Archive

RATE = 48_000  # Opus works at 48 kHz; FLAC and MP3 take it too
SAMPLE_WIDTH = 2  # s16
# 30 s at 48 kHz is a whole number of periods of the 1 kHz redaction tone, so a tone
# that spans two pieces (each redacted on its own) continues without a click.
PIECE_SECONDS = 30.0
_SEEK_LEAD = 1.0  # seconds decoded before ``start`` so the resampler has settled
_EPSILON = 1e-6


def sample_index(seconds: float) -> int:
    """The sample at ``seconds`` on the export clock (all cuts use this rounding)."""
    return round(seconds * RATE)


def sample_count(start: float, end: float) -> int:
    """Samples in ``[start, end)``: consecutive stretches add up exactly."""
    return max(0, sample_index(end) - sample_index(start))


def _merge(ranges: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for a, b in sorted((float(a), float(b)) for a, b in ranges if b > a):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _on_the_grid(frame: av.AudioFrame, time: float) -> tuple[av.AudioFrame, int] | None:
    """The first decoded frame (which starts at interview ``time``), trimmed to start on
    a sample that falls exactly on the export clock, and that sample's index at
    :data:`RATE`.

    After a seek the demuxer lands on any source sample; resampling from there would
    put every output sample a fraction of a sample off the clock of a decode from the
    start.  A source sample ``i`` lies on the grid when ``i * RATE / rate`` is whole,
    i.e. every ``rate / gcd(rate, RATE)`` samples (147 at 22.05 or 44.1 kHz, 1 at
    48 kHz).  ``None``: the whole frame lies before the next such sample.
    """
    rate = int(frame.sample_rate)
    index = round(time * rate)
    step = rate // math.gcd(rate, RATE)
    drop = -index % step
    if drop >= frame.samples:
        return None
    if drop:
        data = frame.to_ndarray()
        data = (
            data[:, drop:] if frame.format.is_planar else data[:, drop * frame.layout.nb_channels :]
        )
        trimmed = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(data), format=frame.format.name, layout=frame.layout
        )
        trimmed.sample_rate = rate
        frame = trimmed
    return frame, (index + drop) * RATE // rate


class ExcerptAudio:
    """Redacted, consent-cleared sound of a corpus's excerpts, decoded on demand."""

    def __init__(self, archive: Archive, corpus: Corpus) -> None:
        self._archive = archive
        self._corpus = corpus
        self._channels: int | None = None

    # -- the corpus-wide output format --------------------------------------------

    @property
    def rate(self) -> int:
        return RATE

    @property
    def channels(self) -> int:
        """2 if any recording in the corpus is stereo (or more), else 1."""
        if self._channels is None:
            channels = 1
            for entry in self._corpus.interviews:
                if entry.has_recording and self._source_channels(entry.id) > 1:
                    channels = 2
                    break
            self._channels = channels
        return self._channels

    @property
    def layout(self) -> str:
        return "stereo" if self.channels == 2 else "mono"

    @property
    def redaction_sound(self) -> str:
        return self._corpus.spec.redaction_sound

    # -- what may be given out ---------------------------------------------------------

    def _entry(self, interview_id: str) -> InterviewEntry:
        try:
            entry = self._corpus.interview(interview_id)
        except KeyError:
            raise ExportError(
                f"Interview {interview_id} is not part of this export; its sound cannot be used."
            ) from None
        if not entry.has_recording:
            raise ExportError(
                f"Interview {interview_id} has no original recording in the archive, so "
                "there is no sound to export. Leave it out or attach its recording."
            )
        return entry

    def require_recordings(self, excerpts: Iterable[Excerpt]) -> None:
        """Fail early, before anything is encoded, if an excerpt has no recording."""
        for interview_id in dict.fromkeys(e.interview_id for e in excerpts):
            self._entry(interview_id)

    def _cleared(self, interview_id: str) -> list[Excerpt]:
        entry = self._entry(interview_id)
        own = [e for e in self._corpus.excerpts if e.interview_id == interview_id]
        return own + [c for c in entry.clips if c.key not in {e.key for e in own}]

    def _ranges(
        self, interview_id: str, start: float, end: float, given: Iterable[tuple[float, float]]
    ) -> list[tuple[float, float]]:
        """The ranges to blank: those given, and every one the corpus knows."""
        excerpts = self._cleared(interview_id)
        inside = any(e.start - _EPSILON <= start and end <= e.end + _EPSILON for e in excerpts)
        if not inside:
            raise ExportError(
                f"The stretch {start:.2f}–{end:.2f} s of interview {interview_id} is not "
                "cleared for this export."
            )
        known = [r for e in excerpts for r in e.redacted_ranges]
        known += list(self._corpus.interview(interview_id).redacted_ranges)
        return [(a, b) for a, b in _merge([*given, *known]) if a < end and b > start]

    # -- decoding ----------------------------------------------------------------------

    def _source_channels(self, interview_id: str) -> int:
        media = self._archive.media.of_role(interview_id, "original")
        try:
            with self._archive.media.open(media.id) as raw, av.open(raw, mode="r") as container:
                stream = next(s for s in container.streams if s.type == "audio")
                return int(stream.codec_context.channels or 1)
        except (av.error.FFmpegError, StopIteration) as exc:
            raise ExportError(f"The recording of interview {interview_id} cannot be read.") from exc

    def pieces(
        self,
        interview_id: str,
        start: float,
        end: float,
        redacted_ranges: Iterable[tuple[float, float]] = (),
        *,
        piece_seconds: float = PIECE_SECONDS,
    ) -> Iterator[AudioSegment]:
        """``[start, end)`` of the interview (interview time) as consecutive redacted pieces.

        Together the pieces hold exactly :func:`sample_count` ``(start, end)`` frames;
        where the recording is shorter than asked, the rest is silence.
        """
        ranges = self._ranges(interview_id, start, end, redacted_ranges)
        first, last = sample_index(start), sample_index(end)
        if last <= first:
            return
        piece = max(1, sample_index(piece_seconds))
        mode = self.redaction_sound
        channels = self.channels
        pending: list[np.ndarray] = []
        pending_frames = 0
        cursor = first  # the next sample to give out

        def cut(count: int) -> AudioSegment:
            nonlocal pending, pending_frames, cursor
            data = np.concatenate(pending) if len(pending) > 1 else pending[0]
            head, rest = data[:count], data[count:]
            pending, pending_frames = ([rest], len(rest)) if len(rest) else ([], 0)
            audio = AudioSegment(
                data=np.ascontiguousarray(head).tobytes(),
                sample_width=SAMPLE_WIDTH,
                frame_rate=RATE,
                channels=channels,
            )
            offset = cursor / RATE
            cursor += count
            return redact_audio(audio, ranges, offset=offset, mode=mode)

        def take(block: np.ndarray, at: int) -> None:
            """Keep the part of ``block`` (first sample ``at``) not yet given out."""
            nonlocal pending_frames
            wanted_end = cursor + pending_frames
            if at > wanted_end:  # a gap in the source: silence
                gap = min(at, last) - wanted_end
                if gap > 0:
                    pending.append(np.zeros((gap, channels), dtype=np.int16))
                    pending_frames += gap
                wanted_end = cursor + pending_frames
            skip = wanted_end - at
            if skip >= len(block):
                return
            block = block[max(0, skip) : max(0, skip) + (last - wanted_end)]
            if len(block):
                pending.append(block)
                pending_frames += len(block)

        for block, at in self._decode(interview_id, start, last):
            take(block, at)
            while pending_frames >= piece:
                yield cut(piece)
        remaining = last - cursor - pending_frames
        if remaining > 0:
            pending.append(np.zeros((remaining, channels), dtype=np.int16))
            pending_frames += remaining
        while pending_frames > 0:
            yield cut(min(piece, pending_frames))

    def _decode(
        self, interview_id: str, start: float, last: int
    ) -> Iterator[tuple[np.ndarray, int]]:
        """Resampled blocks ``(samples × channels int16, index of the first sample)``."""
        media = self._archive.media.of_role(interview_id, "original")
        channels = self.channels
        try:
            with self._archive.media.open(media.id) as raw, av.open(raw, mode="r") as container:
                stream = next((s for s in container.streams if s.type == "audio"), None)
                if stream is None:
                    raise ExportError(f"The recording of interview {interview_id} has no sound.")
                seek_to = start - _SEEK_LEAD
                if seek_to > 0 and stream.time_base is not None:
                    container.seek(int(seek_to / stream.time_base), stream=stream, backward=True)
                else:
                    seek_to = 0.0
                resampler = av.AudioResampler(format="s16", layout=self.layout, rate=RATE)
                position: int | None = None
                for frame in container.decode(stream):
                    if position is None:
                        if frame.time is None and seek_to > 0:
                            raise ExportError(
                                f"The recording of interview {interview_id} cannot be cut: "
                                "it has no timestamps."
                            )
                        # Interview time counts from the first decoded sample, as the
                        # working copy does (MP3 and AAC streams start after 0).
                        time = 0.0
                        if seek_to > 0 and frame.time is not None:
                            origin = stream.start_time or 0
                            time = frame.time - float(origin * stream.time_base)
                        aligned = _on_the_grid(frame, time)
                        if aligned is None:
                            continue
                        frame, position = aligned
                    for out in resampler.resample(frame):
                        block = out.to_ndarray().reshape(-1, channels)
                        yield block, position
                        position += len(block)
                    if position >= last:
                        return
                for out in resampler.resample(None):
                    block = out.to_ndarray().reshape(-1, channels)
                    yield block, position or 0
                    position = (position or 0) + len(block)
        except ExportError:
            raise
        except av.error.FFmpegError as exc:
            raise ExportError(
                f"The recording of interview {interview_id} cannot be decoded: it may be damaged."
            ) from exc
        except ArchiveError as exc:
            raise ExportError(
                f"The recording of interview {interview_id} cannot be read from the vault: {exc}"
            ) from exc

    # -- conveniences ------------------------------------------------------------------

    def segment(
        self,
        interview_id: str,
        start: float,
        end: float,
        redacted_ranges: Iterable[tuple[float, float]] = (),
    ) -> AudioSegment:
        """``[start, end)`` of the interview as one redacted :class:`AudioSegment`."""
        parts = [p.raw_data for p in self.pieces(interview_id, start, end, redacted_ranges)]
        return AudioSegment(
            data=b"".join(parts), sample_width=SAMPLE_WIDTH, frame_rate=RATE, channels=self.channels
        )

    def excerpt(self, excerpt: Excerpt) -> AudioSegment:
        return self.segment(
            excerpt.interview_id, excerpt.start, excerpt.end, excerpt.redacted_ranges
        )

    def excerpt_pieces(self, excerpt: Excerpt) -> Iterator[AudioSegment]:
        return self.pieces(
            excerpt.interview_id, excerpt.start, excerpt.end, excerpt.redacted_ranges
        )

    def whole_interview(self, entry: InterviewEntry) -> Excerpt:
        """The corpus's whole-interview excerpt of ``entry`` (only in the "interviews" unit)."""
        for excerpt in self._corpus.excerpts:
            if excerpt.interview_id == entry.id and excerpt.clip_id is None:
                return excerpt
        raise ExportError(
            f"Interview {entry.id} is exported as excerpts, not whole: its full recording "
            "is not cleared for this export."
        )


__all__ = ["PIECE_SECONDS", "RATE", "ExcerptAudio", "sample_count", "sample_index"]
