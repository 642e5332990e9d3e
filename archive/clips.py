"""Clips: a time range of an interview with themes, a note and an optional title.

Markers (a point or range to come back to) and verbal consents (where the narrator
gives consent on the recording) are clips of another ``kind``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import NotFoundError
from .themes import ThemeRef
from .util import InvalidInputError, clean_text, format_clock, now

if TYPE_CHECKING:
    from .archive import Archive

CLIP_KINDS = ("clip", "marker", "verbal_consent")
# A clip may end this much after the recorded duration (rounding in players and probes).
_DURATION_SLACK = 0.05
_UNSET: Any = object()


@dataclass(frozen=True)
class Clip:
    id: int
    interview_id: str
    start: float
    end: float
    kind: str = "clip"
    title: str | None = None
    note: str | None = None
    place_id: str | None = None
    theme_ids: tuple[int, ...] = ()
    created_at: str = ""
    updated_at: str = ""


_SELECT = """
SELECT c.*, (SELECT group_concat(theme_id) FROM clip_themes WHERE clip_id = c.id) AS theme_list
FROM clips c
"""


def _clip(row: Mapping[str, Any]) -> Clip:
    themes = row["theme_list"]
    return Clip(
        id=row["id"],
        interview_id=row["interview_id"],
        start=row["start"],
        end=row["end"],
        kind=row["kind"],
        title=row["title"],
        note=row["note"],
        place_id=row["place_id"],
        theme_ids=tuple(sorted(int(t) for t in str(themes).split(","))) if themes else (),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class ClipStore:
    def __init__(self, archive: Archive) -> None:
        self._archive = archive

    def get(self, clip_id: int) -> Clip:
        rows = list(self._archive.db.query(_SELECT + " WHERE c.id = ?", [clip_id]))
        if not rows:
            raise NotFoundError(f"No clip with id {clip_id}.")
        return _clip(rows[0])

    def for_interview(self, interview_id: str, *, kind: str | None = None) -> list[Clip]:
        """The clips of an interview in time order (optionally of one kind)."""
        sql = _SELECT + " WHERE c.interview_id = ?"
        params: list[Any] = [interview_id]
        if kind is not None:
            sql += " AND c.kind = ?"
            params.append(self._check_kind(kind))
        rows = self._archive.db.query(sql + ' ORDER BY c.start, c."end", c.id', params)
        return [_clip(r) for r in rows]

    def for_theme(self, theme: ThemeRef, *, include_subthemes: bool = True) -> list[Clip]:
        """Clips tagged with a theme (and its sub-themes), to be played one after another:
        interview by interview (in the library's order), each in time order."""
        themes = self._archive.themes
        ids = themes.subtree_ids(theme) if include_subthemes else [themes.resolve(theme).id]
        marks = ",".join("?" * len(ids))
        rows = self._archive.db.query(
            _SELECT + " JOIN interviews i ON i.id = c.interview_id "
            f"WHERE c.id IN (SELECT clip_id FROM clip_themes WHERE theme_id IN ({marks})) "
            'ORDER BY i.created_at, i.rowid, c.start, c."end", c.id',
            ids,
        )
        return [_clip(r) for r in rows]

    def create(
        self,
        interview_id: str,
        start: float,
        end: float,
        *,
        themes: Iterable[ThemeRef] = (),
        note: str | None = None,
        title: str | None = None,
        kind: str = "clip",
    ) -> Clip:
        """A new clip; ``start < end`` within the interview (a marker may be a point)."""
        kind = self._check_kind(kind)
        self._check_range(interview_id, start, end, kind)
        theme_ids = self._theme_ids(themes)
        stamp = now()
        db = self._archive.db
        with db.atomic():
            clip_id = (
                db["clips"]
                .insert(
                    {
                        "interview_id": interview_id,
                        "start": float(start),
                        "end": float(end),
                        "kind": kind,
                        "title": clean_text(title),
                        "note": clean_text(note),
                        "created_at": stamp,
                        "updated_at": stamp,
                    }
                )
                .last_pk
            )
            self._write_themes(clip_id, theme_ids)
            self._archive.audit.record("clip.create", "clip", str(clip_id))
        return self.get(clip_id)

    def update(
        self,
        clip_id: int,
        *,
        start: float = _UNSET,
        end: float = _UNSET,
        note: str | None = _UNSET,
        title: str | None = _UNSET,
        kind: str = _UNSET,
    ) -> Clip:
        """Change what is given; the rest stays."""
        clip = self.get(clip_id)
        new_start = clip.start if start is _UNSET else start
        new_end = clip.end if end is _UNSET else end
        new_kind = clip.kind if kind is _UNSET else self._check_kind(kind)
        self._check_range(clip.interview_id, new_start, new_end, new_kind)
        row: dict[str, Any] = {
            "start": float(new_start),
            "end": float(new_end),
            "kind": new_kind,
            "updated_at": now(),
        }
        if note is not _UNSET:
            row["note"] = clean_text(note)
        if title is not _UNSET:
            row["title"] = clean_text(title)
        db = self._archive.db
        with db.atomic():
            db["clips"].update(clip_id, row)
            self._archive.audit.record("clip.update", "clip", str(clip_id))
        return self.get(clip_id)

    def set_themes(self, clip_id: int, themes: Iterable[ThemeRef]) -> Clip:
        """Replace a clip's themes."""
        self.get(clip_id)
        theme_ids = self._theme_ids(themes)
        db = self._archive.db
        with db.atomic():
            db.execute("DELETE FROM clip_themes WHERE clip_id = ?", [clip_id])
            self._write_themes(clip_id, theme_ids)
            db["clips"].update(clip_id, {"updated_at": now()})
            self._archive.audit.record("clip.themes", "clip", str(clip_id))
        return self.get(clip_id)

    def delete(self, clip_id: int) -> None:
        self.get(clip_id)
        db = self._archive.db
        with db.atomic():
            db.execute("DELETE FROM clips WHERE id = ?", [clip_id])
            self._archive.audit.record("clip.delete", "clip", str(clip_id))

    # -- rules -----------------------------------------------------------------

    @staticmethod
    def _check_kind(kind: str) -> str:
        if kind not in CLIP_KINDS:
            raise InvalidInputError(f"Not a kind of clip: {kind!r}. Use {', '.join(CLIP_KINDS)}.")
        return kind

    def _check_range(self, interview_id: str, start: float, end: float, kind: str) -> None:
        interview = self._archive.interviews.get(interview_id)
        try:
            start, end = float(start), float(end)
        except (TypeError, ValueError):
            raise InvalidInputError("A clip's start and end must be times in seconds.") from None
        if not (math.isfinite(start) and math.isfinite(end)) or start < 0:
            raise InvalidInputError("A clip's start and end must be times from 0 on.")
        if end < start or (end == start and kind != "marker"):
            raise InvalidInputError(
                f"A clip must end after it starts (it starts at {start:g} s, ends at {end:g} s)."
            )
        duration = interview.duration
        if duration is not None and end > duration + _DURATION_SLACK:
            raise InvalidInputError(
                f"A clip cannot end ({end:g} s) after the interview does "
                f"({duration:g} s, {format_clock(duration)})."
            )

    def _theme_ids(self, themes: Iterable[ThemeRef]) -> list[int]:
        ids: list[int] = []
        for ref in themes:
            theme_id = self._archive.themes.resolve(ref).id
            if theme_id not in ids:
                ids.append(theme_id)
        return ids

    def _write_themes(self, clip_id: int, theme_ids: list[int]) -> None:
        for theme_id in theme_ids:
            self._archive.db.execute(
                "INSERT OR IGNORE INTO clip_themes (clip_id, theme_id) VALUES (?, ?)",
                [clip_id, theme_id],
            )
