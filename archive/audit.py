"""The audit trail: who did what, when.  Never content (no names, no words)."""

from __future__ import annotations

import sqlite_utils

from .records import AuditEntry, from_row
from .util import now


class AuditLog:
    def __init__(self, db: sqlite_utils.Database, actor: str | None) -> None:
        self._db = db
        self.actor = actor

    def record(
        self, action: str, object_type: str | None = None, object_id: str | None = None
    ) -> None:
        """Add an entry; call inside the transaction that makes the change."""
        self._db["audit"].insert(
            {
                "at": now(),
                "actor": self.actor,
                "action": action,
                "object_type": object_type,
                "object_id": object_id,
            }
        )

    def entries(self, limit: int = 1000) -> list[AuditEntry]:
        rows = self._db.query("SELECT * FROM audit ORDER BY id DESC LIMIT ?", [limit])
        return [from_row(AuditEntry, r) for r in rows]
