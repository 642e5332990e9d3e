"""Consent: what a narrator allowed, and the one rule that decides what may go out.

Every exporter asks :func:`decide` (through :meth:`ConsentStore.permission` or the
export corpus, :mod:`archive.export.corpus`); none re-implements it.  The rule:

- No consent row means closed, not publishable, pseudonym only.  Consent is given,
  never assumed.
- A withdrawn interview goes nowhere, for any purpose; neither does an embargoed one
  until the embargo has ended (a partial date ends with its period: an embargo
  "until 2030" lasts through 31 December 2030).
- **Publication** (books, transcripts, captions, the audio anthology) needs level
  ``open`` and publication allowed.
- **Deposit** (a BagIt package, OHMS, metadata for a partner archive) needs level
  ``open`` or ``restricted``; the level travels with the deposit.
- A clip may override the interview's level, publication and name display for that
  excerpt; withdrawal and embargo are the interview's and cannot be overridden.
- The name printed is the real name only when consent says so *and* the narrator has
  one; otherwise the pseudonym, and failing that a neutral label.  Never a fallback to
  the real name.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .db import rows_where_in
from .records import Narrator
from .util import InvalidInputError, check_date, clean_text, now
from .vault import VaultWriter

if TYPE_CHECKING:
    from .archive import Archive

LEVELS = ("open", "restricted", "closed")
NAME_DISPLAYS = ("real", "pseudonym")
_UNSET: Any = object()


class Purpose(StrEnum):
    """Why something is exported; each export format has one by default."""

    PUBLICATION = "publication"
    DEPOSIT = "deposit"


@dataclass(frozen=True)
class Consent:
    interview_id: str
    level: str = "closed"
    publish: bool = False
    name_display: str = "pseudonym"
    pseudonym: str | None = None
    embargo_until: str | None = None
    withdrawn_on: str | None = None
    withdrawn_note: str | None = None
    release_media_id: str | None = None
    release_clip_id: int | None = None
    updated_at: str = ""
    recorded: bool = False  # False: no row, the closed default

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_on is not None


@dataclass(frozen=True)
class ClipConsent:
    """A clip's override; ``None`` means "as the interview"."""

    clip_id: int
    level: str | None = None
    publish: bool | None = None
    name_display: str | None = None


@dataclass(frozen=True)
class Permission:
    """The answer of :func:`decide`: may it go out, why not, and under what name."""

    allowed: bool
    reason: str
    credit: str
    level: str
    real_name_shown: bool = False


def embargo_end(embargo_until: str) -> dt.date:
    """The last day of an embargo given as YYYY, YYYY-MM or YYYY-MM-DD."""
    parts = [int(p) for p in embargo_until.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return dt.date(parts[0], parts[1], parts[2])


def is_embargoed(consent: Consent, today: dt.date | None = None) -> bool:
    if not consent.embargo_until:
        return False
    return (today or dt.date.today()) <= embargo_end(consent.embargo_until)


def credit_name(
    consent: Consent, narrator: Narrator | None, *, name_display: str | None = None
) -> tuple[str, bool]:
    """The name to print for the narrator, and whether it is the real name."""
    display = name_display or consent.name_display
    if display == "real" and narrator is not None and narrator.name:
        return narrator.name, True
    pseudonym = consent.pseudonym or (narrator.pseudonym if narrator else None)
    if pseudonym:
        return pseudonym, False
    return f"Narrator {consent.interview_id[:6].upper()}", False


def decide(
    consent: Consent,
    purpose: Purpose | str,
    *,
    narrator: Narrator | None = None,
    clip: ClipConsent | None = None,
    today: dt.date | None = None,
) -> Permission:
    """Whether an interview (or one clip of it) may be exported for ``purpose``.

    This is the single consent rule of the archive; see the module docstring.
    """
    purpose = Purpose(purpose)
    level = (clip.level if clip and clip.level else None) or consent.level
    publish = clip.publish if clip and clip.publish is not None else consent.publish
    display = clip.name_display if clip and clip.name_display else None
    credit, real = credit_name(consent, narrator, name_display=display)

    def no(reason: str) -> Permission:
        return Permission(False, reason, credit, level, real)

    if consent.withdrawn:
        return no("withdrawn")
    if is_embargoed(consent, today):
        return no("embargoed")
    if level == "closed":
        return no("closed")
    if purpose is Purpose.PUBLICATION:
        if level != "open":
            return no("restricted")
        if not publish:
            return no("publication not allowed")
    return Permission(True, "", credit, level, real)


def _consent(row: Mapping[str, Any]) -> Consent:
    return Consent(
        interview_id=row["interview_id"],
        level=row["level"],
        publish=bool(row["publish"]),
        name_display=row["name_display"],
        pseudonym=row["pseudonym"],
        embargo_until=row["embargo_until"],
        withdrawn_on=row["withdrawn_on"],
        withdrawn_note=row["withdrawn_note"],
        release_media_id=row["release_media_id"],
        release_clip_id=row["release_clip_id"],
        updated_at=row["updated_at"],
        recorded=True,
    )


def _clip_consent(row: Mapping[str, Any]) -> ClipConsent:
    publish = row["publish"]
    return ClipConsent(
        clip_id=row["clip_id"],
        level=row["level"],
        publish=None if publish is None else bool(publish),
        name_display=row["name_display"],
    )


def _check_choice(value: str | None, choices: tuple[str, ...], what: str) -> str | None:
    if value is not None and value not in choices:
        raise InvalidInputError(f"Not a {what}: {value!r}. Use one of {', '.join(choices)}.")
    return value


class ConsentStore:
    def __init__(self, archive: Archive) -> None:
        self._archive = archive

    # -- reading --------------------------------------------------------------

    def get(self, interview_id: str) -> Consent:
        """The interview's consent; the closed default when none was recorded."""
        self._archive.interviews.get(interview_id)
        rows = list(
            self._archive.db.query("SELECT * FROM consent WHERE interview_id = ?", [interview_id])
        )
        return _consent(rows[0]) if rows else Consent(interview_id)

    def for_interviews(self, interview_ids: Iterable[str]) -> dict[str, Consent]:
        ids = list(interview_ids)
        rows = rows_where_in(self._archive.db, "consent", "interview_id", ids)
        found = {row["interview_id"]: _consent(row) for row in rows}
        return {i: found.get(i, Consent(i)) for i in ids}

    def clip(self, clip_id: int) -> ClipConsent | None:
        rows = list(
            self._archive.db.query("SELECT * FROM clip_consent WHERE clip_id = ?", [clip_id])
        )
        return _clip_consent(rows[0]) if rows else None

    def for_clips(self, clip_ids: Iterable[int]) -> dict[int, ClipConsent]:
        rows = rows_where_in(self._archive.db, "clip_consent", "clip_id", list(clip_ids))
        return {row["clip_id"]: _clip_consent(row) for row in rows}

    def permission(
        self,
        interview_id: str,
        purpose: Purpose | str,
        *,
        clip_id: int | None = None,
        today: dt.date | None = None,
    ) -> Permission:
        """:func:`decide` for a stored interview (and optionally one of its clips)."""
        interview = self._archive.interviews.get(interview_id)
        narrator = (
            self._archive.narrators.get(interview.narrator_id) if interview.narrator_id else None
        )
        clip = self.clip(clip_id) if clip_id is not None else None
        return decide(self.get(interview_id), purpose, narrator=narrator, clip=clip, today=today)

    # -- changing -------------------------------------------------------------

    def set(
        self,
        interview_id: str,
        *,
        level: str = _UNSET,
        publish: bool = _UNSET,
        name_display: str = _UNSET,
        pseudonym: str | None = _UNSET,
        embargo_until: str | None = _UNSET,
        release_media_id: str | None = _UNSET,
        release_clip_id: int | None = _UNSET,
    ) -> Consent:
        """Change what is given; the rest stays (a first call starts from closed)."""
        row = self._row(self.get(interview_id))
        if level is not _UNSET:
            row["level"] = _check_choice(level, LEVELS, "consent level")
        if publish is not _UNSET:
            row["publish"] = int(bool(publish))
        if name_display is not _UNSET:
            row["name_display"] = _check_choice(name_display, NAME_DISPLAYS, "name display")
        if pseudonym is not _UNSET:
            row["pseudonym"] = clean_text(pseudonym)
        if embargo_until is not _UNSET:
            row["embargo_until"] = check_date(embargo_until)
        if release_media_id is not _UNSET:
            if release_media_id is not None:
                self._archive.media.get(release_media_id)
            row["release_media_id"] = release_media_id
        if release_clip_id is not _UNSET:
            if release_clip_id is not None:
                clip = self._archive.clips.get(release_clip_id)
                if clip.interview_id != interview_id:
                    raise InvalidInputError("The consent clip belongs to another interview.")
            row["release_clip_id"] = release_clip_id
        return self._write(row, "consent.set")

    def withdraw(
        self, interview_id: str, *, note: str | None = None, on: str | None = None
    ) -> Consent:
        """Record that the narrator withdrew: nothing of the interview goes out any more."""
        current = self.get(interview_id)
        row = self._row(current)
        row["withdrawn_on"] = check_date(on) or dt.date.today().isoformat()
        row["withdrawn_note"] = clean_text(note)
        return self._write(row, "consent.withdraw")

    def reinstate(self, interview_id: str) -> Consent:
        """Undo a withdrawal recorded by mistake."""
        row = self._row(self.get(interview_id))
        row["withdrawn_on"] = None
        row["withdrawn_note"] = None
        return self._write(row, "consent.reinstate")

    def attach_release_form(self, interview_id: str, path: str | Path) -> Consent:
        """Store a signed release form (a scan, a PDF, a recording) encrypted in the vault."""
        path = Path(path)
        self._archive.interviews.get(interview_id)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise InvalidInputError(f"Cannot read {path.name}: {exc.strerror}.") from None
        if size == 0:
            raise InvalidInputError(f"{path.name} is empty.")
        with VaultWriter(self._archive.paths.vault, self._archive.media_key()) as writer:
            with path.open("rb") as src:
                while block := src.read(1024 * 1024):
                    writer.write(block)
            stored = writer.commit()
        db = self._archive.db
        with db.atomic():
            db["media"].insert(
                {
                    "id": stored.id,
                    "interview_id": interview_id,
                    "role": "release_form",
                    "filename": path.name,
                    "size": stored.size,
                    "sha256": stored.sha256,
                    "created_at": now(),
                }
            )
            consent = self.set(interview_id, release_media_id=stored.id)
        return consent

    def set_clip(
        self,
        clip_id: int,
        *,
        level: str | None = None,
        publish: bool | None = None,
        name_display: str | None = None,
    ) -> ClipConsent | None:
        """Override consent for one clip; all ``None`` removes the override."""
        self._archive.clips.get(clip_id)
        _check_choice(level, LEVELS, "consent level")
        _check_choice(name_display, NAME_DISPLAYS, "name display")
        db = self._archive.db
        with db.atomic():
            if level is None and publish is None and name_display is None:
                db.execute("DELETE FROM clip_consent WHERE clip_id = ?", [clip_id])
            else:
                db["clip_consent"].upsert(
                    {
                        "clip_id": clip_id,
                        "level": level,
                        "publish": None if publish is None else int(publish),
                        "name_display": name_display,
                        "updated_at": now(),
                    },
                    pk="clip_id",
                )
            self._archive.audit.record("consent.clip", "clip", str(clip_id))
        return self.clip(clip_id)

    @staticmethod
    def _row(consent: Consent) -> dict[str, Any]:
        return {
            "interview_id": consent.interview_id,
            "level": consent.level,
            "publish": int(consent.publish),
            "name_display": consent.name_display,
            "pseudonym": consent.pseudonym,
            "embargo_until": consent.embargo_until,
            "withdrawn_on": consent.withdrawn_on,
            "withdrawn_note": consent.withdrawn_note,
            "release_media_id": consent.release_media_id,
            "release_clip_id": consent.release_clip_id,
        }

    def _write(self, row: dict[str, Any], action: str) -> Consent:
        row["updated_at"] = now()
        db = self._archive.db
        with db.atomic():
            db["consent"].upsert(row, pk="interview_id")
            self._archive.audit.record(action, "interview", row["interview_id"])
        return self.get(row["interview_id"])


__all__ = [
    "LEVELS",
    "ClipConsent",
    "Consent",
    "ConsentStore",
    "Permission",
    "Purpose",
    "credit_name",
    "decide",
    "embargo_end",
    "is_embargoed",
]
