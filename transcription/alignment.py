"""Attaching the English translation pass to the segments of the original pass.

The two passes cut the audio differently, so each translated piece goes to the original
segment it overlaps most in time (or, overlapping none, the nearest one; ties go to the
earlier segment).  A segment that receives several pieces joins them in time order.

``stream_align`` does this lazily over two time-ordered streams, so that the engine can
keep yielding segments as they are decoded; each segment is released once no piece
still to come can be attached to it.  ``align_translations`` is the same on lists.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol, TypeVar


class Timed(Protocol):
    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...
    @property
    def text(self) -> str: ...


S = TypeVar("S", bound=Timed)  # a dataclass that also has ``translation``


def _overlap(a: Timed, b: Timed) -> float:
    return min(a.end, b.end) - max(a.start, b.start)


def _distance(a: Timed, b: Timed) -> float:
    return max(a.start - b.end, b.start - a.end, 0.0)


def _best(piece: Timed, candidates: Sequence[Timed]) -> int:
    """Index of the candidate ``piece`` belongs to (candidates are time-ordered)."""
    best, best_key = 0, (-math.inf, -math.inf)
    for i, cand in enumerate(candidates):
        overlap = _overlap(piece, cand)
        key = (overlap, 0.0) if overlap > 0 else (0.0, -_distance(piece, cand))
        if key > best_key:  # strict: ties keep the earlier candidate
            best, best_key = i, key
    return best


def stream_align(segments: Iterable[S], translated: Iterable[Timed]) -> Iterator[S]:
    """Yield ``segments`` with ``translation`` set, pulling both streams as needed.

    Both inputs must be ordered by start and not overlap within themselves (as Whisper
    produces them).  A segment no piece goes to keeps ``translation=None``.
    """
    seg_it, tr_it = iter(segments), iter(translated)
    pending: list[S] = []  # segments not yet released, in order
    texts: list[list[str]] = []  # pieces attached to each pending segment
    pieces: list[Timed] = []  # pieces seen but not yet attached
    seg_horizon = tr_horizon = -math.inf  # later items start at or after these
    seg_done = tr_done = False

    while True:
        if not seg_done:
            seg = next(seg_it, None)
            if seg is None:
                seg_done, seg_horizon = True, math.inf
            else:
                pending.append(seg)
                texts.append([])
                seg_horizon = seg.start
        # Keep the translation stream level with the original one.
        while not tr_done and tr_horizon < seg_horizon:
            piece = next(tr_it, None)
            if piece is None:
                tr_done, tr_horizon = True, math.inf
            else:
                pieces.append(piece)
                tr_horizon = piece.start
        # A piece is settled once no segment still to come can overlap or be nearer.
        while pieces and pending and pieces[0].end <= seg_horizon:
            piece = pieces.pop(0)
            if piece.text.strip():
                texts[_best(piece, pending)].append(piece.text.strip())
        # A segment is released once no piece still to come can be attached to it:
        # the next segment must be known and the pieces must have reached its start.
        while pending:
            if len(pending) > 1:
                nxt = pending[1].start
            elif seg_done:
                nxt = math.inf
            else:
                break
            if tr_horizon < nxt or any(p.start < nxt for p in pieces):
                break
            seg, attached = pending.pop(0), texts.pop(0)
            translation = " ".join(attached) if attached else None
            yield dataclasses.replace(seg, translation=translation)
        if seg_done and not pending:
            return


def align_translations(segments: Sequence[S], translated: Sequence[Timed]) -> list[S]:
    """Copies of ``segments`` with the translated pieces attached (see module doc)."""
    return list(stream_align(segments, translated))
