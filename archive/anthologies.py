"""Saved anthology specifications (see :mod:`archive.export.spec`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import NotFoundError
from .export.spec import AnthologySpec, spec_from_dict, spec_to_dict
from .util import now

if TYPE_CHECKING:
    from .archive import Archive


@dataclass(frozen=True)
class SavedAnthology:
    id: int
    spec: AnthologySpec
    created_at: str
    updated_at: str

    @property
    def title(self) -> str:
        return self.spec.title


class AnthologyStore:
    def __init__(self, archive: Archive) -> None:
        self._archive = archive

    def list(self) -> list[SavedAnthology]:
        rows = self._archive.db.query("SELECT * FROM anthologies ORDER BY updated_at DESC, id")
        return [self._saved(r) for r in rows]

    def get(self, anthology_id: int) -> SavedAnthology:
        rows = list(
            self._archive.db.query("SELECT * FROM anthologies WHERE id = ?", [anthology_id])
        )
        if not rows:
            raise NotFoundError(f"No anthology with id {anthology_id}.")
        return self._saved(rows[0])

    def save(self, spec: AnthologySpec, anthology_id: int | None = None) -> SavedAnthology:
        """Store a new spec, or replace the one with ``anthology_id``."""
        stamp = now()
        row = {"title": spec.title, "spec": json.dumps(spec_to_dict(spec)), "updated_at": stamp}
        db = self._archive.db
        with db.atomic():
            if anthology_id is None:
                anthology_id = int(db["anthologies"].insert({**row, "created_at": stamp}).last_pk)
                self._archive.audit.record("anthology.create", "anthology", str(anthology_id))
            else:
                self.get(anthology_id)
                db["anthologies"].update(anthology_id, row)
                self._archive.audit.record("anthology.update", "anthology", str(anthology_id))
        return self.get(anthology_id)

    def delete(self, anthology_id: int) -> None:
        self.get(anthology_id)
        db = self._archive.db
        with db.atomic():
            db["anthologies"].delete(anthology_id)
            self._archive.audit.record("anthology.delete", "anthology", str(anthology_id))

    @staticmethod
    def _saved(row: dict) -> SavedAnthology:
        return SavedAnthology(
            id=row["id"],
            spec=spec_from_dict(json.loads(row["spec"])),
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )
