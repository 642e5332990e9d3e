"""The header that turns the raw PCM working copy into a WAV stream.

The working copy is headerless s16le mono 16 kHz PCM (see :mod:`archive.media`).  A
canonical RIFF/WAVE header in front of it makes a stream any player opens; the
player serves it from memory in front of the vault reader, so the WAV never exists
as a file.  The header is the archive's own (:func:`archive.recording_pcm.wav_header`).
"""

from __future__ import annotations

from archive.media import BYTES_PER_SAMPLE, WORKING_RATE
from archive.recording_pcm import PcmFormat
from archive.recording_pcm import wav_header as pcm_wav_header

WORKING_FORMAT = PcmFormat(sample_rate=WORKING_RATE, channels=1, sample_width=BYTES_PER_SAMPLE)
WAV_HEADER_SIZE = 44


def wav_header(data_size: int) -> bytes:
    """The 44-byte header for ``data_size`` bytes of working copy (sizes clamped past
    4 GiB, 37 hours, which FFmpeg reads as "to the end of the stream")."""
    return pcm_wav_header(data_size, WORKING_FORMAT, rf64=False)
