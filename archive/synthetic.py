"""Interviews without media: for synthetic and bulk data (benchmarks, generated archives).

Every real interview comes in through :func:`archive.importer.import_media`, which
stores the recording.  A benchmark that needs a thousand hours of transcripts does not
need a thousand hours of audio, so this adds the interview row alone, validated the
same way; its segments, clips and themes then go through the ordinary stores.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .records import Interview, InterviewMetadata
from .search_filters import TRANSCRIPTION_STATUSES
from .util import InvalidInputError

if TYPE_CHECKING:
    from .archive import Archive


def create_interview_without_media(
    archive: Archive,
    meta: InterviewMetadata,
    *,
    duration: float | None = None,
    transcription_status: str = "none",
) -> Interview:
    """Add an interview that has no recording (yet); returns it."""
    if transcription_status not in TRANSCRIPTION_STATUSES:
        raise InvalidInputError(f"Not a transcription status: {transcription_status!r}.")
    if duration is not None and duration < 0:
        raise InvalidInputError("A duration cannot be negative.")
    row = archive.interviews.row_for_new(meta, duration=duration)
    row["transcription_status"] = transcription_status
    db = archive.db
    with db.atomic():
        if meta.narrator:
            row["narrator_id"] = archive.narrators.find_or_create(meta.narrator).id
        db["interviews"].insert(row)
        archive.audit.record("interview.create_without_media", "interview", row["id"])
    return archive.interviews.get(row["id"])
