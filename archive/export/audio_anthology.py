"""The audio anthology: the excerpts, in chapter order, joined by short pauses.

Sound comes only from :class:`~archive.export.audio_source.ExcerptAudio` (consent-
cleared, redacted, 48 kHz s16).  Each excerpt is followed by ``spec.pause_seconds``
of silence (not after the last).  :func:`render` encodes Opus in Ogg at 48 kHz with
PyAV; :func:`render_mp3` (module :mod:`.audio_anthology_mp3`) encodes MP3 with LAME.

Every excerpt is a chapter.  In Ogg they are ``CHAPTERnnn`` / ``CHAPTERnnnNAME``
Vorbis comments in the Opus header (the Ogg chapter convention), written here
because FFmpeg's own Ogg chapter writer rounds the seconds; in MP3 PyAV's
``set_chapters`` has FFmpeg write ID3v2 ``CHAP`` frames.  FFmpeg, ffprobe and PyAV's
``container.chapters()`` read both back as chapters.  The
chapter title is the excerpt's title with its narrator, or its short citation.

Sound is streamed: an excerpt is decoded, redacted and encoded in pieces, so memory
stays flat however long the anthology is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

from .audio_source import RATE, ExcerptAudio, sample_count, sample_index
from .corpus import Cancelled, Corpus, Excerpt, ExportError, Progress, check_cancelled, citation

OPUS_BITRATE = {1: 64_000, 2: 96_000}
MP3_BITRATE = {1: 96_000, 2: 160_000}
_BLOCK = 48_000  # frames handed to the encoder at a time (1 s)
MAX_OGG_CHAPTERS = 999


def chapter_title(excerpt: Excerpt) -> str:
    if excerpt.title:
        return f"{excerpt.title} — {excerpt.credit}"
    return citation(excerpt, "short")


def plan(corpus: Corpus) -> list[tuple[Excerpt, int, int]]:
    """Each excerpt with its first sample and sample count in the anthology."""
    pause = sample_index(corpus.spec.pause_seconds)
    out = []
    at = 0
    for n, excerpt in enumerate(corpus.excerpts):
        if n:
            at += pause
        frames = sample_count(excerpt.start, excerpt.end)
        out.append((excerpt, at, frames))
        at += frames
    return out


def _source(corpus: Corpus) -> ExcerptAudio:
    if corpus.audio is None:
        raise ExportError("This export was prepared without its sound; it cannot be made.")
    return corpus.audio


def _blocks(
    corpus: Corpus,
    audio: ExcerptAudio,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> Iterator[np.ndarray]:
    """The anthology's PCM as (frames × channels) int16 blocks."""
    pause = sample_index(corpus.spec.pause_seconds)
    excerpts = corpus.excerpts
    for n, excerpt in enumerate(excerpts):
        if n and pause:
            yield np.zeros((pause, audio.channels), dtype=np.int16)
        for piece in audio.excerpt_pieces(excerpt):
            check_cancelled(cancelled)
            samples = np.frombuffer(piece.raw_data, dtype=np.int16)
            yield samples.reshape(-1, audio.channels)
        if progress is not None:
            progress((n + 1) / len(excerpts))


def vorbis_chapter_tags(chapters: list[dict[str, Any]]) -> dict[str, str]:
    """Chapters as Vorbis comments: ``CHAPTER001=00:01:02.500``, ``CHAPTER001NAME=...``.

    FFmpeg's own Ogg chapter writer rounds the seconds (a chapter at 7.5 s comes out
    as 00:00:08.500), so the tags are written here.  The convention has three digits:
    chapters after the 999th are left out.
    """
    tags: dict[str, str] = {}
    for n, chapter in enumerate(chapters[:MAX_OGG_CHAPTERS], 1):
        ms = round(chapter["start"] * Fraction(chapter["time_base"]) * 1000)
        hours, rest = divmod(ms, 3_600_000)
        minutes, rest = divmod(rest, 60_000)
        seconds, millis = divmod(rest, 1000)
        tags[f"CHAPTER{n:03d}"] = f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"
        tags[f"CHAPTER{n:03d}NAME"] = chapter["metadata"]["title"]
    return tags


def write_audio(
    target: Path,
    blocks: Iterable[np.ndarray],
    *,
    layout: str,
    container_format: str,
    codec: str,
    bit_rate: int | None = None,
    tags: dict[str, str] | None = None,
    chapters: list[dict[str, Any]] | None = None,
) -> None:
    """Encode (frames × channels) int16 blocks at :data:`RATE` to ``target`` with PyAV."""
    try:
        with av.open(str(target), mode="w", format=container_format) as container:
            stream = container.add_stream(codec, rate=RATE, layout=layout)
            if bit_rate:
                stream.bit_rate = bit_rate
            tags = dict(tags or {})
            if chapters and container_format == "ogg":
                tags.update(vorbis_chapter_tags(chapters))
            elif chapters:
                container.set_chapters(chapters)
            if tags:
                container.metadata.update(tags)
                stream.metadata.update(tags)  # Ogg keeps its tags in the stream header
            pts = 0
            for block in blocks:
                for at in range(0, len(block), _BLOCK):
                    chunk = np.ascontiguousarray(block[at : at + _BLOCK])
                    frame = av.AudioFrame.from_ndarray(
                        chunk.reshape(1, -1), format="s16", layout=layout
                    )
                    frame.sample_rate = RATE
                    frame.pts = pts
                    frame.time_base = Fraction(1, RATE)
                    pts += len(chunk)
                    container.mux(stream.encode(frame))
            container.mux(stream.encode(None))
    except av.error.FFmpegError as exc:
        raise ExportError(f"The sound could not be encoded ({codec}): {exc}.") from exc


def encode(
    corpus: Corpus,
    target: Path,
    *,
    container_format: str,
    codec: str,
    bitrate: dict[int, int],
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    """Encode the anthology to ``target`` with ``codec`` in ``container_format``."""
    audio = _source(corpus)
    audio.require_recordings(corpus.excerpts)
    check_cancelled(cancelled)
    chapters = [
        {
            "id": n,
            "start": first,
            "end": first + frames,
            "time_base": Fraction(1, RATE),
            "metadata": {"title": chapter_title(excerpt)},
        }
        for n, (excerpt, first, frames) in enumerate(plan(corpus), 1)
    ]
    tags = {"title": corpus.spec.title, "album": corpus.spec.title}
    if corpus.spec.editor:
        tags["artist"] = corpus.spec.editor
    write_audio(
        target,
        _blocks(corpus, audio, progress, cancelled),
        layout=audio.layout,
        container_format=container_format,
        codec=codec,
        bit_rate=bitrate[audio.channels],
        tags=tags,
        chapters=chapters,
    )


def render(
    corpus: Corpus,
    target: Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    """Ogg Opus, 48 kHz, with a chapter per excerpt."""
    encode(
        corpus,
        target,
        container_format="ogg",
        codec="libopus",
        bitrate=OPUS_BITRATE,
        progress=progress,
        cancelled=cancelled,
    )


def render_mp3(
    corpus: Corpus,
    target: Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    """MP3 (LAME, constant bit rate), 48 kHz, with ID3v2 chapters."""
    encode(
        corpus,
        target,
        container_format="mp3",
        codec="libmp3lame",
        bitrate=MP3_BITRATE,
        progress=progress,
        cancelled=cancelled,
    )


__all__ = ["chapter_title", "encode", "plan", "render", "render_mp3", "write_audio"]
