"""Narrators: the people who tell.  Real names stay inside the encrypted archive."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .errors import NotFoundError
from .records import Narrator, from_row
from .util import InvalidInputError, check_languages, clean_text, new_id, now

if TYPE_CHECKING:
    from .archive import Archive

_EDITABLE = ("name", "pseudonym", "birth_year", "birth_place", "gender", "languages", "notes")


class NarratorStore:
    def __init__(self, archive: Archive) -> None:
        self._archive = archive

    def get(self, narrator_id: str) -> Narrator:
        rows = list(self._archive.db.query("SELECT * FROM narrators WHERE id = ?", [narrator_id]))
        if not rows:
            raise NotFoundError(f"No narrator with id {narrator_id}.")
        return from_row(Narrator, rows[0])

    def list(self) -> list[Narrator]:
        rows = self._archive.db.query("SELECT * FROM narrators ORDER BY coalesce(pseudonym, name)")
        return [from_row(Narrator, r) for r in rows]

    def create(
        self, name: str | None = None, pseudonym: str | None = None, **fields: Any
    ) -> Narrator:
        row = self._clean({"name": name, "pseudonym": pseudonym, **fields})
        if not row.get("name") and not row.get("pseudonym"):
            raise InvalidInputError("A narrator needs a name or a pseudonym.")
        stamp = now()
        row.update(id=new_id(), created_at=stamp, updated_at=stamp)
        db = self._archive.db
        with db.atomic():
            db["narrators"].insert(row)
            self._archive.audit.record("narrator.create", "narrator", row["id"])
        return self.get(row["id"])

    def find_or_create(self, name: str) -> Narrator:
        """The narrator with exactly this name, created if there is none."""
        cleaned = clean_text(name)
        if cleaned is None:
            raise InvalidInputError("A narrator's name cannot be empty.")
        rows = list(self._archive.db.query("SELECT * FROM narrators WHERE name = ?", [cleaned]))
        if rows:
            return from_row(Narrator, rows[0])
        return self.create(name=cleaned)

    def update(self, narrator_id: str, **fields: Any) -> Narrator:
        self.get(narrator_id)
        row = self._clean(fields)
        row["updated_at"] = now()
        db = self._archive.db
        with db.atomic():
            db["narrators"].update(narrator_id, row)
            self._archive.audit.record("narrator.update", "narrator", narrator_id)
        return self.get(narrator_id)

    @staticmethod
    def _clean(fields: dict[str, Any]) -> dict[str, Any]:
        unknown = set(fields) - set(_EDITABLE)
        if unknown:
            raise InvalidInputError(f"Unknown narrator field(s): {', '.join(sorted(unknown))}.")
        row: dict[str, Any] = {}
        for key, value in fields.items():
            if key == "languages":
                row[key] = json.dumps(check_languages(value or ()))
            elif key == "birth_year":
                row[key] = int(value) if value not in (None, "") else None
            else:
                row[key] = clean_text(value)
        return row
