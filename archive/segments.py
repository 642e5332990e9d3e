"""Transcript segments: time-coded text, the machine's words kept beside the human's."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from .errors import NotFoundError
from .records import NewSegment, Segment, from_row
from .util import InvalidInputError, clean_text, now

if TYPE_CHECKING:
    from .archive import Archive


class SegmentStore:
    def __init__(self, archive: Archive) -> None:
        self._archive = archive

    def list(self, interview_id: str) -> list[Segment]:
        rows = self._archive.db.query(
            'SELECT * FROM segments WHERE interview_id = ? ORDER BY start, "end", id',
            [interview_id],
        )
        return [from_row(Segment, r) for r in rows]

    def get(self, segment_id: int) -> Segment:
        rows = list(self._archive.db.query("SELECT * FROM segments WHERE id = ?", [segment_id]))
        if not rows:
            raise NotFoundError(f"No segment with id {segment_id}.")
        return from_row(Segment, rows[0])

    def add(
        self,
        interview_id: str,
        segments: Iterable[NewSegment],
        *,
        source: str = "machine",
        job_id: int | None = None,
    ) -> list[int]:
        """Insert segments in one transaction; returns their ids."""
        self._archive.interviews.get(interview_id)
        stamp = now()
        ids: list[int] = []
        db = self._archive.db
        with db.atomic():
            for seg in segments:
                if seg.end < seg.start or seg.start < 0:
                    raise InvalidInputError(
                        f"A segment cannot end ({seg.end:.2f} s) before it starts "
                        f"({seg.start:.2f} s)."
                    )
                text = clean_text(seg.text) or ""
                row: dict[str, Any] = {
                    "interview_id": interview_id,
                    "start": seg.start,
                    "end": seg.end,
                    "speaker": clean_text(seg.speaker),
                    "text": text,
                    "machine_text": text if source == "machine" else None,
                    "confidence": seg.confidence,
                    "no_speech_prob": seg.no_speech_prob,
                    "words": json.dumps([asdict(w) for w in seg.words], ensure_ascii=False),
                    "language": seg.language,
                    "translation": clean_text(seg.translation),
                    "source": source,
                    "job_id": job_id,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
                ids.append(db["segments"].insert(row).last_pk)
        return ids

    def clear_machine(self, interview_id: str) -> int:
        """Remove the machine's segments before a re-run; keep every corrected one.

        Returns how many segments were kept (edited by a person, or attached).
        """
        db = self._archive.db
        with db.atomic():
            db.execute(
                "DELETE FROM segments WHERE interview_id = ? AND source = 'machine' AND edited = 0",
                [interview_id],
            )
            kept = db.execute(
                "SELECT count(*) FROM segments WHERE interview_id = ?", [interview_id]
            ).fetchone()[0]
        return int(kept)

    def attach(
        self, interview_id: str, data: bytes, filename: str, *, replace: bool = False
    ) -> int:
        """Attach an existing transcript (SRT, WebVTT, OHMS XML, text with [hh:mm:ss]).

        Its segments are marked human-made.  An interview that already has segments
        is left alone unless ``replace`` says to discard them (corrections included).
        Returns the number of segments added.
        """
        from .transcript_formats import parse_transcript

        interview = self._archive.interviews.get(interview_id)
        segments = parse_transcript(data, filename, duration=interview.duration)
        existing = self.list(interview_id)
        if existing and not replace:
            raise InvalidInputError(
                f"Interview {interview_id} already has {len(existing)} segments. "
                "Attach with replace to discard them (corrections included)."
            )
        db = self._archive.db
        with db.atomic():
            db.execute("DELETE FROM segments WHERE interview_id = ?", [interview_id])
            ids = self.add(interview_id, segments, source="human")
            db["interviews"].update(interview_id, {"transcription_status": "done"})
            self._archive.audit.record("transcript.attach", "interview", interview_id)
        return len(ids)

    def set_text(self, segment_id: int, text: str) -> Segment:
        """A person's correction: the machine's original stays in ``machine_text``."""
        self.get(segment_id)
        db = self._archive.db
        with db.atomic():
            db["segments"].update(
                segment_id, {"text": clean_text(text) or "", "edited": 1, "updated_at": now()}
            )
            self._archive.audit.record("segment.edit", "segment", str(segment_id))
        return self.get(segment_id)
