"""Reading transcripts people already have: SubRip, WebVTT, OHMS XML, timestamped text.

Every parser returns :class:`NewSegment` objects ordered by start.  Input that cannot
be read raises :class:`TranscriptFormatError` naming the file and, where known, the
line.  Text is never dropped silently: text that cannot be given a time is an error.
Error messages give times and line numbers only, never the testimony itself.
"""

from __future__ import annotations

import html
import re
import unicodedata
import xml.etree.ElementTree as ET

import srt
import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from .errors import ArchiveError
from .records import NewSegment


class TranscriptFormatError(ArchiveError):
    """A transcript file cannot be read; nothing was taken from it."""

    def __init__(self, name: str, problem: str, line: int | None = None) -> None:
        self.name = " ".join(name.split()) or "transcript"
        self.problem = problem
        self.line = line
        where = f'"{self.name}"' + (f", line {line}" if line else "")
        super().__init__(f"Cannot read the transcript {where}: {problem}")


# -- shared helpers ---------------------------------------------------------------------

_LETTER = r"[^\W\d_]"
_NAME_WORD = rf"{_LETTER}(?:{_LETTER}|[.'’-])*"
# "ANAHIT: ...", "Anahit Petrosyan: ...", "ნინო:" - 1 to 3 words without digits.
_LABEL = re.compile(rf"(?P<name>{_NAME_WORD}(?: {_NAME_WORD}){{0,2}})[ \t]*:(?:[ \t]+|$)")
_MAX_NAME = 30
# Seconds a word takes when nothing says where a passage ends.
_SECONDS_PER_WORD = 0.4
# A passage may start this much after the recording's end (rounding, probing).
_END_SLACK = 1.0


def _clock(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    return f"{h:02d}:{m:02d}:{rest / 1000:06.3f}"


def _tidy(text: str) -> str:
    """NFC, lines stripped, blank lines dropped (they only ever split blocks)."""
    lines = (ln.strip() for ln in unicodedata.normalize("NFC", text).splitlines())
    return "\n".join(ln for ln in lines if ln)


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _lower(char: str) -> bool:
    """Lower case, except Georgian Mkhedruli: Unicode calls it lower, but names use it."""
    return char.islower() and not "\u10d0" <= char <= "\u10ff"


def split_speaker(line: str) -> tuple[str | None, str]:
    """``("Anahit", "text")`` for ``"Anahit: text"``; ``(None, line)`` when no label.

    A label is 1-3 words of letters (and ``. ' -``), at most 30 characters, not starting
    with a lower-case letter, followed by a colon and a space or the end of the line.
    Armenian often writes its full stop ``։`` as a colon, so ``Այո: ...`` ("Yes: ...")
    is taken for a label too; ``speakers=False`` on the parsers turns labels off.
    """
    m = _LABEL.match(line)
    if not m or len(m["name"]) > _MAX_NAME or _lower(m["name"][0]):
        return None, line
    return m["name"], line[m.end() :]


def _turns(text: str, speakers: bool) -> list[tuple[str | None, str]]:
    """Split tidy text into (speaker, text) turns at lines that start with a label."""
    turns: list[tuple[str | None, list[str]]] = []
    for line in text.splitlines():
        name, rest = split_speaker(line) if speakers else (None, line)
        if name is None and turns:
            turns[-1][1].append(line)
        else:
            turns.append((name, [rest] if rest else []))
    out: list[tuple[str | None, str]] = []
    for name, body in turns:
        # A lone label with nothing after it stays text rather than vanish.
        out.append((name, "\n".join(body)) if body else (None, f"{name}:"))
    return out


def _segments(
    start: float, end: float, text: str, speakers: bool, carry: str | None = None
) -> list[NewSegment]:
    """One segment per speaker turn; several turns share the time by word count.

    ``carry`` is the speaker of an unlabelled first turn: in running transcripts a
    timestamp often falls in the middle of someone's turn.
    """
    turns = _turns(text, speakers)
    if turns[0][0] is None and speakers:
        turns[0] = (carry, turns[0][1])
    return _timed(start, end, turns)


def _timed(start: float, end: float, turns: list[tuple[str | None, str]]) -> list[NewSegment]:
    weights = [max(1, len(body.split())) for _, body in turns]
    total, done, at, out = sum(weights), 0, start, []
    for (name, body), weight in zip(turns, weights, strict=True):
        done += weight
        until = end if done == total else round(start + (end - start) * done / total, 3)
        out.append(NewSegment(start=at, end=until, text=body, speaker=name))
        at = until
    return out


def _sorted(segments: list[NewSegment], name: str) -> list[NewSegment]:
    if not segments:
        raise TranscriptFormatError(name, "it contains no timed text.")
    return sorted(segments, key=lambda s: (s.start, s.end))


def _require_text(text: str, name: str) -> None:
    if not text.strip(" \t\r\n\ufeff"):
        raise TranscriptFormatError(name, "the file is empty.")


def _check_times(start: float, end: float, name: str, line: int | None) -> None:
    if start < 0:
        raise TranscriptFormatError(name, f"a time is negative ({_clock(start)}).", line)
    if end < start:
        raise TranscriptFormatError(
            name, f"the passage ends ({_clock(end)}) before it starts ({_clock(start)}).", line
        )


# -- SubRip -----------------------------------------------------------------------------

_SRT_TIMING = re.compile(r"^[ \t]*-?\d+:[\d:,.]*[ \t]*-[ -][ \t]*>", re.M)


def parse_srt(text: str, *, speakers: bool = True, name: str = "SRT file") -> list[NewSegment]:
    """SubRip cues; a leading ``Name:`` on a line becomes the speaker (see split_speaker)."""
    _require_text(text, name)
    try:
        subs = list(srt.parse(text))
    except (srt.SRTParseError, srt.TimestampParseError) as e:
        pos = getattr(e, "expected_start", 0)
        pos += len(text[pos:]) - len(text[pos:].lstrip())
        raise TranscriptFormatError(
            name, "this is not SubRip (SRT): expected a cue number and times.", _line_of(text, pos)
        ) from None
    # The srt library reads a cue whose times it cannot parse as text of the cue before.
    timings = [_line_of(text, m.start()) for m in _SRT_TIMING.finditer(text)]

    def timing(i: int) -> int | None:
        return timings[i] if i < len(timings) else None

    out: list[NewSegment] = []
    for i, sub in enumerate(subs):
        if _SRT_TIMING.search(sub.content):
            raise TranscriptFormatError(name, "the cue times cannot be read.", timing(i + 1))
        start, end, line = sub.start.total_seconds(), sub.end.total_seconds(), timing(i)
        _check_times(start, end, name, line)
        if body := _tidy(sub.content):
            out += _segments(start, end, body, speakers)
    return _sorted(out, name)


# -- WebVTT -----------------------------------------------------------------------------

_VTT_TS = r"(?:\d+:)?\d{1,2}:\d{1,2}\.\d{1,3}"
_VTT_TIMING = re.compile(rf"\s*{_VTT_TS}\s*-->\s*{_VTT_TS}")


def _vtt_blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Blocks as webvtt-py splits them, each with its first line number."""
    blocks: list[tuple[int, list[str]]] = []
    block: list[str] = []
    first = 1
    for n, line in enumerate(lines, 1):
        new = bool(block) and "-->" in line and (not blocks or len(block) > 1 or "-->" in block[0])
        if not line or new:
            if block:
                blocks.append((first, block))
            block = []
        if line:
            if not block:
                first = n
            block.append(line)
    if block:
        blocks.append((first, block))
    return blocks


def _vtt_cue_lines(text: str, name: str) -> list[int]:
    """Line numbers of the cue timings; raises on text outside any cue."""
    lines = re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff"))
    if not lines[0].startswith("WEBVTT"):
        raise TranscriptFormatError(name, "this is not WebVTT: the first line is not WEBVTT.", 1)
    cues: list[int] = []
    for first, block in _vtt_blocks(lines)[1:]:
        at = next((i for i, ln in enumerate(block[:2]) if "-->" in ln), None)
        if at is not None and _VTT_TIMING.match(block[at]):
            cues.append(first + at)
        elif block[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        elif at is None:
            raise TranscriptFormatError(name, "there is text outside any cue (no times).", first)
        else:
            raise TranscriptFormatError(name, "the cue times cannot be read.", first + at)
    return cues


def parse_vtt(text: str, *, speakers: bool = True, name: str = "WebVTT file") -> list[NewSegment]:
    """WebVTT cues; ``<v Name>`` gives the speaker, other tags are removed.

    A file that uses no voice tags at all may label speakers as ``Name: text`` instead.
    """
    _require_text(text, name)
    lines = _vtt_cue_lines(text, name)
    try:
        captions = webvtt.from_string(text).captions
    except (MalformedFileError, MalformedCaptionError):
        raise TranscriptFormatError(name, "this is not valid WebVTT.") from None
    if len(captions) != len(lines):
        raise TranscriptFormatError(name, "a cue cannot be read (its times are invalid).")
    voices = any(_VOICE.search(c.raw_text) for c in captions)
    out: list[NewSegment] = []
    for cap, line in zip(captions, lines, strict=True):
        start = cap.start_time.in_milliseconds() / 1000
        end = cap.end_time.in_milliseconds() / 1000
        _check_times(start, end, name, line)
        if voices and (turns := _voice_turns(cap)):
            out += _timed(start, end, turns)
        elif not voices and (body := _tidy(html.unescape(cap.text))):
            out += _segments(start, end, body, speakers)
    return _sorted(out, name)


_VOICE = re.compile(r"<v(?:\.[^\s>]+)*[ \t]+([^>]*)>")


def _voice_turns(cap: webvtt.Caption) -> list[tuple[str | None, str]]:
    """(voice, text) turns: a line with a ``<v Name>`` span starts a turn."""
    turns: list[tuple[str | None, list[str]]] = []
    for raw, clean in zip(cap.lines, cap.text.split("\n"), strict=True):
        voice = _VOICE.search(raw)
        if voice or not turns:
            name = _tidy(html.unescape(voice[1])) if voice else ""
            turns.append((" ".join(name.split()) or None, []))
        if body := _tidy(html.unescape(clean)):
            turns[-1][1].append(body)
    return [(voice, "\n".join(body)) for voice, body in turns if body]


# -- timestamped text -------------------------------------------------------------------

# [hh:mm:ss], [h:mm:ss.s], [mm:ss]; OHMS transcripts also use {hh:mm:ss}.
_MARK = re.compile(
    r"[\[{](?:(?P<h>\d{1,2}):(?P<m>\d{2})|(?P<mm>\d{1,3})):(?P<s>\d{2}(?:[.,]\d{1,3})?)[\]}]"
)


def _mark_seconds(m: re.Match[str], name: str, line: int | None) -> float:
    minutes = int(m["m"] or m["mm"])
    seconds = float(m["s"].replace(",", "."))
    if seconds >= 60 or (m["h"] is not None and minutes >= 60):
        raise TranscriptFormatError(name, f"{m[0]} is not a valid time.", line)
    return int(m["h"] or 0) * 3600 + minutes * 60 + seconds


def _parse_marks(
    text: str, duration: float | None, speakers: bool, name: str, offset: int | None
) -> list[NewSegment]:
    def line(pos: int) -> int | None:
        return None if offset is None else offset + _line_of(text, pos) - 1

    _require_text(text, name)
    marks = list(_MARK.finditer(text))
    if not marks:
        raise TranscriptFormatError(name, "no [hh:mm:ss] timestamps were found in it.")
    head = text[: marks[0].start()]
    if head.strip(" \t\r\n\ufeff"):
        pos = len(head) - len(head.lstrip(" \t\r\n\ufeff"))
        problem = "there is text before the first timestamp; give it a time or remove it."
        raise TranscriptFormatError(name, problem, line(pos))
    times: list[float] = []
    for m in marks:
        t = _mark_seconds(m, name, line(m.start()))
        if times and t < times[-1]:
            raise TranscriptFormatError(
                name, f"{m[0]} is earlier than the timestamp before it.", line(m.start())
            )
        times.append(t)
    last = marks[-1]
    if duration is not None and times[-1] > duration + _END_SLACK:
        problem = f"{last[0]} is after the end of the recording ({_clock(duration)})."
        raise TranscriptFormatError(name, problem, line(last.start()))
    out: list[NewSegment] = []
    for i, m in enumerate(marks):
        body = _tidy(text[m.end() : marks[i + 1].start() if i + 1 < len(marks) else len(text)])
        if not body:
            continue
        if i + 1 < len(marks):
            end = times[i + 1]
        elif duration is not None:
            end = max(duration, times[i])
        else:
            end = times[i] + max(1.0, _SECONDS_PER_WORD * len(body.split()))
        out += _segments(times[i], end, body, speakers, out[-1].speaker if out else None)
    return _sorted(out, name)


def parse_timestamped_text(
    text: str, *, duration: float | None = None, speakers: bool = True, name: str = "text file"
) -> list[NewSegment]:
    """Plain text with ``[hh:mm:ss]`` marks; each mark starts a passage.

    A passage ends where the next mark is; the last at ``duration`` when given, else
    after 0.4 s a word (at least 1 s).  ``Name:`` at the start of a line is a speaker.
    """
    return _parse_marks(text, duration, speakers, name, 1)


# -- OHMS XML ---------------------------------------------------------------------------

_DTD_MARKERS = tuple(
    mark.encode(enc)
    for mark in ("<!DOCTYPE", "<!ENTITY")
    for enc in ("utf-8", "utf-16-le", "utf-16-be")
)


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _child(el: ET.Element, tag: str) -> ET.Element | None:
    return next((c for c in el if _local(c.tag) == tag), None)


def _text(el: ET.Element | None) -> str:
    return "" if el is None else "".join(el.itertext())


def _duration(value: str) -> float | None:
    """OHMS ``<duration>``: ``h:mm:ss``, ``mm:ss`` or seconds; None when unreadable."""
    try:
        parts = [float(p) for p in value.strip().split(":")]
    except ValueError:
        return None
    if not value.strip() or len(parts) > 3:
        return None
    seconds = 0.0
    for p in parts:
        seconds = seconds * 60 + p
    return seconds or None


def _ohms_sync(
    transcript: str, sync: str, duration: float | None, speakers: bool, name: str
) -> list[NewSegment]:
    """The OHMS ``<sync>`` form ``1:|13(3)|19(14)``: every interval (in minutes), the
    0-based transcript line where it starts and, in brackets, the word (ignored, as the
    OHMS viewer does).  An empty or missing first entry is line 0 at 0:00.
    """
    m = re.fullmatch(r"\s*(\d+):(.*)", sync, re.S)
    if not m or int(m[1]) == 0:
        raise TranscriptFormatError(name, "<sync> is not in the OHMS form 1:|13(3)|19(14)...")
    interval, entries = int(m[1]) * 60, [e.strip() for e in m[2].split("|")]
    if entries[0]:  # as the OHMS viewer: line 0 is 0:00 whether or not it is written
        entries.insert(0, "0")
    entries[0] = "0"
    lines = transcript.split("\n")
    bounds: list[tuple[float, int]] = []
    for k, entry in enumerate(entries):
        if not entry:  # no mark for this interval
            continue
        when = f"the <sync> point for {_clock(k * interval)}"
        if not (e := re.fullmatch(r"(\d+)(?:\(\d+\))?", entry)):
            raise TranscriptFormatError(name, f"{when} cannot be read.")
        at = int(e[1])
        if at >= len(lines):
            raise TranscriptFormatError(name, f"{when} is past the end of the transcript.")
        if bounds and at < bounds[-1][1]:
            raise TranscriptFormatError(name, f"{when} goes back in the transcript.")
        if not bounds or at > bounds[-1][1]:
            bounds.append((float(k * interval), at))
    out: list[NewSegment] = []
    for i, (start, at) in enumerate(bounds):
        upto = bounds[i + 1][1] if i + 1 < len(bounds) else len(lines)
        if not (body := _tidy("\n".join(lines[at:upto]))):
            continue
        if i + 1 < len(bounds):
            end = bounds[i + 1][0]
        else:
            end = duration if duration is not None and duration > start else start + interval
        out += _segments(start, end, body, speakers, out[-1].speaker if out else None)
    return _sorted(out, name)


def _ohms_index(
    record: ET.Element, duration: float | None, speakers: bool, name: str
) -> list[NewSegment]:
    """Index points that carry a ``<partial_transcript>``; each runs to the next point."""
    index = _child(record, "index")
    points: list[tuple[float, str]] = []
    for point in index if index is not None else ():
        if _local(point.tag) != "point":
            continue
        try:
            start = float(_text(_child(point, "time")).strip())
        except ValueError:
            raise TranscriptFormatError(name, "an index point has no valid <time>.") from None
        points.append((start, _tidy(_text(_child(point, "partial_transcript")))))
    points.sort(key=lambda p: p[0])
    out: list[NewSegment] = []
    for start, body in points:
        if not body:
            continue
        if later := [t for t, _ in points if t > start]:
            end = later[0]
        elif duration is not None and duration > start:
            end = duration
        else:
            end = start + max(1.0, _SECONDS_PER_WORD * len(body.split()))
        _check_times(start, end, name, None)
        out += _segments(start, end, body, speakers)
    return _sorted(out, name)


def parse_ohms_xml(
    data: bytes, *, duration: float | None = None, speakers: bool = True, name: str = "OHMS file"
) -> list[NewSegment]:
    """An OHMS export: ``ROOT/record`` with ``transcript`` timed by ``sync`` or, without
    sync points, by ``[hh:mm:ss]`` marks; with no transcript text, the ``index/point``
    elements' ``time`` and ``partial_transcript``.  The OHMS namespace is optional.
    ``duration`` defaults to the record's ``<duration>``.  DTDs are refused.
    """
    if not data.strip():
        raise TranscriptFormatError(name, "the file is empty.")
    if any(marker in data for marker in _DTD_MARKERS):
        problem = "XML with a DOCTYPE or ENTITY declaration is refused (entity bombs hide there)."
        raise TranscriptFormatError(name, problem)
    try:
        root = ET.fromstring(data)  # noqa: S314 - no DTD, hence no entities, can reach expat
    except ET.ParseError as e:
        raise TranscriptFormatError(name, "this is not well-formed XML.", e.position[0]) from None
    record = next((el for el in root.iter() if _local(el.tag) == "record"), root)
    if duration is None:
        duration = _duration(_text(_child(record, "duration")))
    transcript = _text(_child(record, "transcript"))
    if not transcript.strip():
        return _ohms_index(record, duration, speakers, name)
    sync = _text(_child(record, "sync"))
    # Sync points first: a stray "[12:30]" in a synced transcript is only text.
    if re.search(r":.*\d", sync, re.S):
        return _ohms_sync(transcript, sync, duration, speakers, name)
    if _MARK.search(transcript):
        opening = re.search(rb"<(?:[\w.-]+:)?transcript[\s>]", data)
        offset = data.count(b"\n", 0, opening.end()) + 1 if opening else None
        return _parse_marks(transcript, duration, speakers, name, offset)
    raise TranscriptFormatError(name, "the OHMS transcript has no <sync> points or timestamps.")


def check_duration(segments: list[NewSegment], duration: float, name: str) -> None:
    """A passage that starts after the recording ends means a transcript of another one."""
    late = next((s for s in segments if s.start > duration + _END_SLACK), None)
    if late:
        raise TranscriptFormatError(
            name,
            f"a passage starts at {_clock(late.start)}, after the end of the recording "
            f"({_clock(duration)}); is it the transcript of another recording?",
        )
