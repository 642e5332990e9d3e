"""Captions: one SubRip or WebVTT file per excerpt, timed to the excerpt's own sound.

Cue times are relative to the excerpt's start (a whole-interview excerpt starts at 0,
so its captions match the recording).  A transcript line that straddles the
excerpt's edge is clipped to it.  Long lines are wrapped to :data:`LINE_CHARS`
characters, at most :data:`CUE_LINES` lines on screen; what does not fit becomes
further cues that share the line's time in proportion to their length (the usual
subtitling limits: ~42 characters, two lines).  Captions carry the spoken language
only: translations belong in their own caption track.

The thin modules :mod:`.captions_srt` and :mod:`.captions_vtt` are the renderers
that :data:`archive.export.FORMATS` names; :func:`vtt_document` is also reused for
the BagIt deposit.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import srt

from ..redaction import Line
from ..transcript_render import vtt_escape, vtt_time
from .corpus import Cancelled, Corpus, Excerpt, Progress, check_cancelled

LINE_CHARS = 42
CUE_LINES = 2
_MIN_CUE = 0.001


@dataclass(frozen=True)
class Cue:
    start: float  # seconds, relative to the excerpt
    end: float
    lines: tuple[str, ...]  # on-screen lines, each at most LINE_CHARS when it can be
    speaker: str | None = None


def _wrap(text: str) -> list[str]:
    """Lines of at most LINE_CHARS, balanced: "a b c d e / f" becomes "a b c / d e f"."""

    def wrap(width: int) -> list[str]:
        return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)

    text = " ".join(text.split())
    lines = wrap(LINE_CHARS)
    for width in range(math.ceil(len(text) / max(1, len(lines))), LINE_CHARS):
        balanced = wrap(width)
        if len(balanced) <= len(lines):
            return balanced
    return lines


def cues(lines: Sequence[Line], offset: float = 0.0, duration: float | None = None) -> list[Cue]:
    """Caption cues for ``lines`` with times ``line time - offset``, within ``duration``."""
    out: list[Cue] = []
    for line in sorted(lines, key=lambda ln: (ln.start, ln.end)):
        start = max(0.0, line.start - offset)
        end = line.end - offset
        if duration is not None:
            end = min(end, duration)
        if end - start < _MIN_CUE:
            continue
        wrapped = _wrap(line.text)
        if not wrapped:
            continue
        chunks = [wrapped[i : i + CUE_LINES] for i in range(0, len(wrapped), CUE_LINES)]
        weights = [sum(len(s) for s in chunk) for chunk in chunks]
        total = sum(weights)
        at = start
        for n, (chunk, weight) in enumerate(zip(chunks, weights, strict=True)):
            until = end if n == len(chunks) - 1 else at + (end - start) * weight / total
            out.append(Cue(round(at, 3), round(until, 3), tuple(chunk), line.speaker))
            at = until
    return out


def _excerpt_cues(excerpt: Excerpt) -> list[Cue]:
    return cues(excerpt.lines, excerpt.start, excerpt.duration)


def srt_document(cue_list: Sequence[Cue]) -> str:
    """SubRip via the ``srt`` library; the speaker in front as ``Speaker: text``."""
    subtitles = []
    for n, cue in enumerate(cue_list, 1):
        lines = list(cue.lines)
        if cue.speaker:
            lines[0] = f"{cue.speaker}: {lines[0]}"
        subtitles.append(
            srt.Subtitle(
                index=n,
                start=timedelta(milliseconds=round(cue.start * 1000)),
                end=timedelta(milliseconds=round(cue.end * 1000)),
                content="\n".join(lines),
            )
        )
    return srt.compose(subtitles, reindex=False)


def vtt_document(cue_list: Sequence[Cue], *, title: str | None = None) -> str:
    """WebVTT; the speaker as a ``<v Speaker>`` voice tag, ``& < >`` escaped."""
    head = "WEBVTT"
    if title:
        head += " - " + " ".join(title.split()).replace("-->", "→")
    out = [head, ""]
    for cue in cue_list:
        text = "\n".join(vtt_escape(s) for s in cue.lines)
        if cue.speaker:
            text = f"<v {vtt_escape(' '.join(cue.speaker.split()))}>{text}"
        out += [f"{vtt_time(cue.start)} --> {vtt_time(cue.end)}", text, ""]
    return "\n".join(out)


def _render(
    corpus: Corpus,
    target: Path,
    suffix: str,
    document: Callable[[Excerpt], str],
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> None:
    excerpts = corpus.excerpts
    documents: list[tuple[Excerpt, str]] = []
    for n, excerpt in enumerate(excerpts, 1):
        check_cancelled(cancelled)
        documents.append((excerpt, document(excerpt)))
        if progress is not None:
            progress(0.8 * n / len(excerpts))
    check_cancelled(cancelled)
    if len(documents) == 1:
        target.write_text(documents[0][1], encoding="utf-8", newline="\n")
    else:
        target.mkdir()
        for excerpt, text in documents:
            (target / f"{excerpt.key}{suffix}").write_text(text, encoding="utf-8", newline="\n")
    if progress is not None:
        progress(1.0)


def render_srt(
    corpus: Corpus,
    target: Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    """One ``.srt`` per excerpt: ``target`` itself, or a folder of ``<key>.srt``."""
    _render(corpus, target, ".srt", lambda e: srt_document(_excerpt_cues(e)), progress, cancelled)


def render_vtt(
    corpus: Corpus,
    target: Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    """One ``.vtt`` per excerpt: ``target`` itself, or a folder of ``<key>.vtt``."""
    _render(corpus, target, ".vtt", lambda e: vtt_document(_excerpt_cues(e)), progress, cancelled)


__all__ = [
    "CUE_LINES",
    "LINE_CHARS",
    "Cue",
    "cues",
    "render_srt",
    "render_vtt",
    "srt_document",
    "vtt_document",
]
