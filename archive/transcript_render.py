"""Writing a transcript out: plain text, JSON, SubRip and WebVTT.

Each renderer takes segments as the archive stores them (ordered by start) and returns
the whole document as a string.  Consent and redaction are applied before this point:
a renderer writes everything it is given.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

import srt

from .records import Segment


def _ms(seconds: float) -> int:
    return max(0, round(seconds * 1000))


def _hms(seconds: float) -> str:
    s = max(0, int(seconds))
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def vtt_time(seconds: float) -> str:
    h, rest = divmod(_ms(seconds), 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _one_block(text: str) -> str:
    """No blank lines: in SRT and VTT a blank line ends the cue."""
    return "\n".join(line for line in text.splitlines() if line.strip())


def _in_time_order(segments: Sequence[Segment]) -> list[Segment]:
    return sorted(segments, key=lambda s: (s.start, s.end))


def render_txt(segments: Sequence[Segment]) -> str:
    """``[hh:mm:ss] Speaker: text`` lines, a blank line where the speaker changes."""
    lines: list[str] = []
    for i, seg in enumerate(segments):
        if i and seg.speaker != segments[i - 1].speaker:
            lines.append("")
        label = f"{seg.speaker}: " if seg.speaker else ""
        lines.append(f"[{_hms(seg.start)}] {label}{seg.text}")
    return "\n".join(lines) + "\n" if lines else ""


def _as_dict(seg: Segment) -> dict[str, Any]:
    return {
        "id": seg.id,
        "start": seg.start,
        "end": seg.end,
        "speaker": seg.speaker,
        "text": seg.text,
        "machine_text": seg.machine_text,
        "language": seg.language,
        "translation": seg.translation,
        "source": seg.source,
        "edited": seg.edited,
        "words": [dict(w) for w in seg.words],
    }


def render_json(segments: Sequence[Segment]) -> str:
    return json.dumps([_as_dict(s) for s in segments], ensure_ascii=False, indent=2) + "\n"


def render_srt(segments: Sequence[Segment]) -> str:
    """SubRip via the ``srt`` library; the speaker goes in front as ``Speaker: text``."""
    subs = [
        srt.Subtitle(
            index=i,
            start=timedelta(milliseconds=_ms(seg.start)),
            end=timedelta(milliseconds=_ms(max(seg.start, seg.end))),
            content=_one_block(f"{seg.speaker}: {seg.text}" if seg.speaker else seg.text),
        )
        for i, seg in enumerate(_in_time_order(segments), 1)
    ]
    # reindex=False: compose would otherwise skip empty and zero-length cues.
    return srt.compose(subs, reindex=False)


def vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_vtt(segments: Sequence[Segment]) -> str:
    """WebVTT; the speaker as a ``<v Speaker>`` voice tag, ``& < >`` escaped."""
    out = ["WEBVTT", ""]
    for seg in _in_time_order(segments):
        text = vtt_escape(_one_block(seg.text))
        if seg.speaker:
            text = f"<v {vtt_escape(' '.join(seg.speaker.split()))}>{text}"
        end = max(seg.start, seg.end)
        out += [f"{vtt_time(seg.start)} --> {vtt_time(end)}", text, ""]
    return "\n".join(out)


RENDERERS: dict[str, Callable[[Sequence[Segment]], str]] = {
    "txt": render_txt,
    "json": render_json,
    "srt": render_srt,
    "vtt": render_vtt,
}
