"""Probing and decoding audio with PyAV, from file objects: never a plaintext temp file.

The working copy every interview gets is raw PCM, signed 16-bit little-endian, mono,
16 kHz: what Whisper wants, trivially seekable (sample n is at byte 2n), and written
to the vault as it is decoded, so memory stays flat for hours-long recordings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

import av
import numpy as np

from .errors import (
    CorruptMediaError,
    ImportCancelledError,
    NotMediaError,
    UnsupportedMediaError,
)

WORKING_RATE = 16_000
WORKING_CODEC = "pcm_s16le"
WORKING_CONTAINER = "raw"
BYTES_PER_SAMPLE = 2

# Leading bytes of containers FFmpeg reads: a file that starts like one but does not
# open is damaged, not "not media".
_MEDIA_SIGNATURES = (b"RIFF", b"fLaC", b"OggS", b"ID3", b"\x1aE\xdf\xa3", b"FORM", b"caff")


@dataclass(frozen=True)
class MediaInfo:
    """What the probe learnt of a file's container and first audio track."""

    container: str
    codec: str
    sample_rate: int
    channels: int
    duration: float | None
    has_video: bool


def _looks_like_media(head: bytes) -> bool:
    if head[4:8] in (b"ftyp", b"moov", b"mdat", b"free", b"wide"):
        return True
    if head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2", b"\xff\xf1", b"\xff\xf9"):
        return True
    return head.startswith(_MEDIA_SIGNATURES)


def _open(source: BinaryIO, name: str) -> av.container.InputContainer:
    head = source.read(16)
    source.seek(0)
    try:
        return av.open(source, mode="r")
    except av.error.FFmpegError as exc:
        if _looks_like_media(head):
            raise CorruptMediaError(
                f"{name} looks like a media file but is damaged or truncated, and cannot be read."
            ) from exc
        raise NotMediaError(f"{name} is not an audio or video file that can be read.") from exc


def _check_wav_complete(source: BinaryIO, name: str) -> None:
    """A WAV whose data chunk claims more bytes than the file holds was cut short.

    FFmpeg quietly plays what is there, so the header is read here.
    """
    source.seek(0, 2)
    file_size = source.tell()
    source.seek(12)
    while True:
        head = source.read(8)
        if len(head) < 8:
            break
        chunk_id, size = head[:4], int.from_bytes(head[4:], "little")
        if chunk_id == b"data":
            if size not in (0, 0xFFFFFFFF) and source.tell() + size > file_size:
                raise CorruptMediaError(
                    f"{name} is truncated: its header promises {size} bytes of audio "
                    f"but only {file_size - source.tell()} are there."
                )
            break
        source.seek(size + (size & 1), 1)
    source.seek(0)


def _audio_stream(container: av.container.InputContainer, name: str) -> av.audio.AudioStream:
    streams = [s for s in container.streams if s.type == "audio"]
    if not streams:
        raise UnsupportedMediaError(f"{name} has no audio track.")
    stream = streams[0]
    if stream.codec_context is None or stream.codec_context.codec is None:
        raise UnsupportedMediaError(f"{name}: its audio format cannot be decoded.")
    return stream


def _declared_duration(
    container: av.container.InputContainer, stream: av.audio.AudioStream
) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None


def decode_to_working_copy(
    source: BinaryIO,
    sink: Callable[[bytes], None],
    *,
    name: str = "The file",
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[MediaInfo, float]:
    """Decode ``source``'s first audio track to 16 kHz mono s16le, streamed into ``sink``.

    Returns the probe's :class:`MediaInfo` and the decoded duration in seconds.
    Raises a :class:`MediaImportError` subclass with a plain message for anything
    that is not readable audio, or is truncated.
    """
    head = source.read(12)
    source.seek(0)
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        _check_wav_complete(source, name)
    with _open(source, name) as container:
        stream = _audio_stream(container, name)
        ctx = stream.codec_context
        declared = _declared_duration(container, stream)
        info = MediaInfo(
            container=container.format.name,
            codec=ctx.codec.canonical_name,
            sample_rate=int(ctx.sample_rate or 0),
            channels=int(ctx.channels or 0),
            duration=declared,
            has_video=any(s.type == "video" for s in container.streams),
        )
        resampler = av.AudioResampler(format="s16", layout="mono", rate=WORKING_RATE)
        samples = 0
        try:
            for packet in container.demux(stream):
                if cancelled is not None and cancelled():
                    raise ImportCancelledError("Import cancelled. Nothing was added.")
                for frame in packet.decode():
                    for out in resampler.resample(frame):
                        pcm = out.to_ndarray().astype("<i2", copy=False).tobytes()
                        samples += out.samples
                        sink(pcm)
                if progress is not None and declared and packet.pts is not None:
                    done = float(packet.pts * stream.time_base) / declared
                    progress(min(max(done, 0.0), 1.0))
            for out in resampler.resample(None):
                samples += out.samples
                sink(out.to_ndarray().astype("<i2", copy=False).tobytes())
        except av.error.FFmpegError as exc:
            raise CorruptMediaError(
                f"{name} is damaged: its audio stops decoding part way through."
            ) from exc
    decoded = samples / WORKING_RATE
    if samples == 0:
        raise CorruptMediaError(f"{name} contains no audio that can be decoded.")
    if declared and decoded < declared - max(0.5, 0.02 * declared):
        raise CorruptMediaError(
            f"{name} is truncated: it should last {declared:.1f} s but only "
            f"{decoded:.1f} s of audio could be read."
        )
    return info, decoded


def pcm_to_float32(pcm: bytes) -> np.ndarray:
    """Working-copy PCM bytes as float32 samples in [-1, 1] (what Whisper takes)."""
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
