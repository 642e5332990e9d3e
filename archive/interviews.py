"""Interviews: one recording each, with what is known about it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .errors import NotFoundError
from .folding import fold_text
from .records import Interview, InterviewMetadata, InterviewSummary, from_row
from .util import InvalidInputError, check_date, check_languages, clean_text, new_id, now

if TYPE_CHECKING:
    from .archive import Archive

_SELECT = """
SELECT i.*, n.name AS narrator_name, n.pseudonym AS narrator_pseudonym
FROM interviews i LEFT JOIN narrators n ON n.id = i.narrator_id
"""

_SUMMARY_COLUMNS = """
SELECT i.id, i.title, n.name AS narrator_name, n.pseudonym AS narrator_pseudonym,
       i.recorded_on, i.place, i.languages, i.duration, i.transcription_status,
       i.created_at,
       (SELECT count(*) FROM (
            SELECT theme_id FROM interview_themes WHERE interview_id = i.id
            UNION
            SELECT ct.theme_id FROM clips c JOIN clip_themes ct ON ct.clip_id = c.id
            WHERE c.interview_id = i.id)) AS themes_count
FROM interviews i LEFT JOIN narrators n ON n.id = i.narrator_id
"""

# What the library may sort by: a fixed list, never text from outside.
SUMMARY_SORTS = {
    "title": "lower(coalesce(i.title, ''))",
    "narrator": "lower(coalesce(n.name, n.pseudonym, ''))",
    "date": "coalesce(i.recorded_on, '')",
    "place": "lower(coalesce(i.place, ''))",
    "languages": "i.languages",
    "duration": "coalesce(i.duration, 0)",
    "status": "i.transcription_status",
    "themes": "themes_count",
    "added": "i.created_at",
}

# The library filter matches the folded words of title, narrator (name and
# pseudonym), place and languages, kept in ``library_key`` by triggers (migration 0004).
_FILTER = "instr(i.library_key, ?) > 0"


def _filter_clause(filter_text: str) -> tuple[str, list[str]]:
    folded = fold_text(filter_text or "") or ""
    return (f" WHERE {_FILTER}", [folded]) if folded else ("", [])


class InterviewStore:
    def __init__(self, archive: Archive) -> None:
        self._archive = archive

    def get(self, interview_id: str) -> Interview:
        rows = list(self._archive.db.query(_SELECT + " WHERE i.id = ?", [interview_id]))
        if not rows:
            raise NotFoundError(f"No interview with id {interview_id}.")
        return from_row(Interview, rows[0])

    def list(self) -> list[Interview]:
        rows = self._archive.db.query(_SELECT + " ORDER BY i.created_at, i.rowid")
        return [from_row(Interview, r) for r in rows]

    def count_summaries(self, filter_text: str = "") -> int:
        """How many interviews the library shows for this filter."""
        where, params = _filter_clause(filter_text)
        sql = "SELECT count(*) FROM interviews i LEFT JOIN narrators n ON n.id = i.narrator_id"
        return int(self._archive.db.execute(sql + where, params).fetchone()[0])

    def summaries_page(
        self,
        offset: int,
        limit: int,
        *,
        sort: str = "added",
        descending: bool = False,
        filter_text: str = "",
    ) -> list[InterviewSummary]:
        """One page of library rows, sorted and filtered in the database.

        The library asks for the pages it shows, so an archive of tens of thousands of
        interviews opens as fast as a small one.
        """
        if sort not in SUMMARY_SORTS:
            raise InvalidInputError(f"Cannot sort interviews by {sort!r}.")
        where, params = _filter_clause(filter_text)
        direction = "DESC" if descending else "ASC"
        sql = (
            f"{_SUMMARY_COLUMNS}{where} ORDER BY {SUMMARY_SORTS[sort]} {direction}, "
            f"i.created_at {direction}, i.rowid {direction} LIMIT ? OFFSET ?"
        )
        rows = self._archive.db.query(sql, [*params, int(limit), int(offset)])
        return [from_row(InterviewSummary, r) for r in rows]

    def count(self) -> int:
        return self._archive.db["interviews"].count

    def row_for_new(self, meta: InterviewMetadata, *, duration: float | None) -> dict[str, Any]:
        """A validated ``interviews`` row for a new interview (not yet inserted).

        Validation happens here, before any media is written, so bad metadata costs
        nothing.  The narrator is resolved by the caller inside its transaction.
        """
        stamp = now()
        return {
            "id": new_id(),
            "title": clean_text(meta.title),
            "interviewer": clean_text(meta.interviewer),
            "recorded_on": check_date(meta.recorded_on),
            "place": clean_text(meta.place),
            "languages": json.dumps(check_languages(meta.languages)),
            "summary": clean_text(meta.summary),
            "duration": duration,
            "created_at": stamp,
            "updated_at": stamp,
        }

    def update(self, interview_id: str, meta: InterviewMetadata) -> Interview:
        """Replace an interview's descriptive fields (narrator by name)."""
        self.get(interview_id)
        row = self.row_for_new(meta, duration=None)
        for key in ("id", "created_at", "duration"):
            row.pop(key)
        db = self._archive.db
        with db.atomic():
            name = clean_text(meta.narrator)
            row["narrator_id"] = self._archive.narrators.find_or_create(name).id if name else None
            db["interviews"].update(interview_id, row)
            self._archive.audit.record("interview.update", "interview", interview_id)
        return self.get(interview_id)

    def set_transcription_status(self, interview_id: str, status: str) -> None:
        self._archive.db["interviews"].update(
            interview_id, {"transcription_status": status, "updated_at": now()}
        )

    def delete(self, interview_id: str) -> None:
        """Remove an interview, its segments, clips and media (vault files after commit)."""
        self.get(interview_id)
        media = self._archive.media.for_interview(interview_id)
        db = self._archive.db
        with db.atomic():
            db.execute("DELETE FROM interviews WHERE id = ?", [interview_id])
            self._archive.audit.record("interview.delete", "interview", interview_id)
        for item in media:
            self._archive.vault_path(item.id).unlink(missing_ok=True)
