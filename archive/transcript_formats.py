"""Transcripts in and out: attach a file people already have, print one in a format.

Reading is in :mod:`archive.transcript_parse`, writing in :mod:`archive.transcript_render`;
this module picks the reader for a file and is the one place to import from.  Pure
functions: no database, no files, only the bytes and segments they are given.
"""

from __future__ import annotations

import codecs
import re
from pathlib import PurePath

from .records import NewSegment
from .transcript_parse import (
    TranscriptFormatError,
    check_duration,
    parse_ohms_xml,
    parse_srt,
    parse_timestamped_text,
    parse_vtt,
    split_speaker,
)
from .transcript_render import RENDERERS, render_json, render_srt, render_txt, render_vtt

__all__ = [
    "RENDERERS",
    "TranscriptFormatError",
    "decode_text",
    "parse_ohms_xml",
    "parse_srt",
    "parse_timestamped_text",
    "parse_transcript",
    "parse_vtt",
    "render_json",
    "render_srt",
    "render_txt",
    "render_vtt",
    "split_speaker",
]


def decode_text(data: bytes, name: str = "transcript") -> str:
    """UTF-8 (with or without a BOM), UTF-16 with a BOM, else Windows-1251.

    Windows-1251 is how older Russian and Azerbaijani Cyrillic transcripts were saved;
    it decodes almost any bytes, so text with NUL characters counts as not text.
    """
    if data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "cp1251"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise TranscriptFormatError(name, "it is not text in UTF-8, UTF-16 or Windows-1251.")


_SRT_START = re.compile(r"\A\d+[ \t]*\r?\n[ \t]*\d+:\d{2}:\d{2}[,.]\d+[ \t]*-->")


def _sniff(text: str) -> str:
    head = text.lstrip(" \t\r\n\ufeff")
    if head.startswith("WEBVTT"):
        return "vtt"
    if head.startswith("<"):
        return "xml"
    return "srt" if _SRT_START.match(head) else "txt"


def parse_transcript(
    data: bytes, filename: str, *, duration: float | None = None, speakers: bool = True
) -> list[NewSegment]:
    """Read a transcript file: ``.srt``, ``.vtt`` and ``.xml`` (OHMS) by extension, any
    other by its content, plain text with ``[hh:mm:ss]`` marks being the default.

    ``duration`` is the recording's, in seconds: the last passage of a plain text or OHMS
    transcript ends there, and a passage starting after it is an error.  With
    ``speakers=False`` no ``Name:`` label is taken for a speaker (VTT voices still are).
    """
    name = PurePath(filename).name or "transcript"
    kind = {".srt": "srt", ".vtt": "vtt", ".xml": "xml"}.get(PurePath(filename).suffix.lower())
    if kind != "xml":
        text = decode_text(data, name)
        kind = kind or _sniff(text)
    if kind == "xml":
        segments = parse_ohms_xml(data, duration=duration, speakers=speakers, name=name)
    elif kind == "srt":
        segments = parse_srt(text, speakers=speakers, name=name)
    elif kind == "vtt":
        segments = parse_vtt(text, speakers=speakers, name=name)
    else:
        segments = parse_timestamped_text(text, duration=duration, speakers=speakers, name=name)
    if duration is not None:
        check_duration(segments, duration, name)
    return segments
