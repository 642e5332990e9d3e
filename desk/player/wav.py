"""The 44-byte header that turns the raw PCM working copy into a WAV stream.

The working copy is headerless s16le mono 16 kHz PCM (see :mod:`archive.media`).  A
canonical RIFF/WAVE header in front of it makes a stream any player opens; the
player serves it from memory in front of the vault reader, so the WAV never exists
as a file.
"""

from __future__ import annotations

import struct

from archive.media import BYTES_PER_SAMPLE, WORKING_RATE

WAV_HEADER_SIZE = 44
_RIFF_MAX = 0xFFFFFFFF


def wav_header(
    data_size: int,
    *,
    rate: int = WORKING_RATE,
    channels: int = 1,
    sample_width: int = BYTES_PER_SAMPLE,
) -> bytes:
    """A PCM WAV header for ``data_size`` bytes of interleaved little-endian samples.

    RIFF sizes are 32-bit: past 4 GiB (37 hours of working copy) they are clamped,
    which FFmpeg reads as "to the end of the stream".
    """
    block_align = channels * sample_width
    return struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF",
        min(36 + data_size, _RIFF_MAX),
        b"WAVE",
        b"fmt ",
        16,  # size of the fmt chunk that follows
        1,  # PCM
        channels,
        rate,
        rate * block_align,  # bytes per second
        block_align,
        sample_width * 8,
        b"data",
        min(data_size, _RIFF_MAX),
    )
