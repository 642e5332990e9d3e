"""Themes: a hierarchical vocabulary, labelled in several languages, for tagging.

Clips (time ranges) and whole interviews are tagged with themes.  The vocabulary that
ships in ``resources/themes.toml`` is seeded into every archive by a migration; after
that the archivists own it: they add, rename, move, merge and delete themes.  Every
change is audited (ids only: labels are content).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils

from resources import resource_path

from .errors import ArchiveError, NotFoundError
from .folding import fold_text
from .util import InvalidInputError, check_languages, clean_text, now

if TYPE_CHECKING:
    from .archive import Archive

VOCABULARY_FILE = "themes.toml"
VOCABULARY_LANGUAGES = ("en", "hy", "az", "ru")
_UNSET: Any = object()


@dataclass(frozen=True)
class Theme:
    id: int
    labels: dict[str, str]
    key: str | None = None  # stable key of a shipped theme; None for the archive's own
    parent_id: int | None = None
    scope_note: str | None = None
    position: int = 0

    def label(self, language: str = "en") -> str:
        """The label in ``language``, else English, else any."""
        return (
            self.labels.get(language)
            or self.labels.get("en")
            or next(iter(self.labels.values()), "")
        )


# What callers may pass wherever a theme is expected: a Theme, its id, its key, or
# one of its labels in any language (compared folded: "еда" finds "Еда").
ThemeRef = Theme | int | str


@dataclass(frozen=True)
class ThemeNode:
    """A theme in the tree, with how much is tagged with it or any of its sub-themes."""

    theme: Theme
    clip_count: int
    interview_count: int
    children: tuple[ThemeNode, ...] = field(default=())


@dataclass(frozen=True)
class ThemeUsage:
    """How much is tagged with one theme itself (not counting sub-themes)."""

    clips: int
    interviews: int

    @property
    def in_use(self) -> bool:
        return bool(self.clips or self.interviews)


class ThemeInUseError(ArchiveError):
    """Deleting a theme that clips or interviews are tagged with; ask, then force."""

    def __init__(self, usage: ThemeUsage) -> None:
        self.usage = usage
        super().__init__(
            f"This theme is used by {usage.clips} clip(s) and {usage.interviews} "
            "interview(s). Delete it anyway to remove it from them."
        )


# -- the shipped vocabulary ---------------------------------------------------


@dataclass(frozen=True)
class VocabularyEntry:
    key: str
    labels: dict[str, str]
    scope_note: str
    parent: str | None = None


def load_vocabulary(path: Path | None = None) -> list[VocabularyEntry]:
    """The shipped themes, parents before children; raises ValueError if malformed."""
    path = path or resource_path(VOCABULARY_FILE)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries: list[VocabularyEntry] = []
    seen: set[str] = set()
    for item in data.get("theme", []):
        key = item.get("key")
        parent = item.get("parent")
        labels = {lang: item.get(lang) for lang in VOCABULARY_LANGUAGES}
        scope = item.get("scope")
        if not key or key in seen:
            raise ValueError(f"{path.name}: missing or repeated key {key!r}")
        if parent is not None and parent not in seen:
            raise ValueError(f"{path.name}: {key!r} names parent {parent!r} before it is defined")
        if not all(labels.values()) or not scope:
            raise ValueError(f"{path.name}: {key!r} needs labels in {VOCABULARY_LANGUAGES}")
        seen.add(key)
        entries.append(VocabularyEntry(key, labels, scope, parent))  # type: ignore[arg-type]
    return entries


def seed_vocabulary(db: sqlite_utils.Database, keys: Collection[str] | None = None) -> int:
    """Add the shipped themes an archive lacks (by key); returns how many were added.

    Idempotent.  Only for migrations: a later vocabulary migration passes the ``keys``
    it introduces, so themes the archivists deleted are not brought back.  A theme
    whose parent was deleted is added at the top level.
    """
    ids = {r["key"]: r["id"] for r in db.query("SELECT id, key FROM themes WHERE key NOT NULL")}
    added = 0
    stamp = now()
    for entry in load_vocabulary():
        if entry.key in ids or (keys is not None and entry.key not in keys):
            continue
        parent_id = ids.get(entry.parent) if entry.parent else None
        cursor = db.execute(
            "INSERT INTO themes (parent_id, key, labels, scope_note, position, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                parent_id,
                entry.key,
                json.dumps(entry.labels, ensure_ascii=False),
                entry.scope_note,
                _next_position(db, parent_id),
                stamp,
                stamp,
            ],
        )
        ids[entry.key] = cursor.lastrowid
        added += 1
    sync_closure(db)
    return added


def sync_closure(db: sqlite_utils.Database) -> None:
    """Bring ``theme_closure`` (each theme with its ancestors) in line with the tree.

    Only pairs that changed are written: the table's triggers re-index the segments
    tagged with those themes, whose scope tokens carry every ancestor (see schema).
    Call after any change to the tree, inside its transaction.
    """
    want = {tuple(r) for r in db.execute(_CLOSURE + "SELECT ancestor, descendant FROM closure")}
    have = {tuple(r) for r in db.execute("SELECT ancestor_id, theme_id FROM theme_closure")}
    for ancestor, theme in have - want:
        db.execute(
            "DELETE FROM theme_closure WHERE ancestor_id = ? AND theme_id = ?", [ancestor, theme]
        )
    for ancestor, theme in want - have:
        db.execute(
            "INSERT INTO theme_closure (ancestor_id, theme_id) VALUES (?, ?)", [ancestor, theme]
        )


def _next_position(db: sqlite_utils.Database, parent_id: int | None) -> int:
    row = db.execute(
        "SELECT coalesce(max(position) + 1, 0) FROM themes WHERE parent_id IS ?", [parent_id]
    ).fetchone()
    return int(row[0])


def _theme(row: Mapping[str, Any]) -> Theme:
    return Theme(
        id=row["id"],
        labels=json.loads(row["labels"] or "{}"),
        key=row["key"],
        parent_id=row["parent_id"],
        scope_note=row["scope_note"],
        position=row["position"],
    )


def _clean_labels(labels: str | Mapping[str, str]) -> dict[str, str]:
    """A label alone is English; a mapping is {language code: label}."""
    if isinstance(labels, str):
        labels = {"en": labels}
    out: dict[str, str] = {}
    for language, label in labels.items():
        text = clean_text(label)
        if text:
            out[_language(language)] = text
    return out


def _language(code: str) -> str:
    codes = check_languages([code])
    if len(codes) != 1:
        raise InvalidInputError(f"Not a language code: {code!r}.")
    return codes[0]


_SUBTREE = """
WITH RECURSIVE sub(id) AS (
    SELECT ? UNION SELECT t.id FROM themes t JOIN sub ON t.parent_id = sub.id
) SELECT id FROM sub
"""

# Every theme with each of its descendants (itself included).  UNION, not UNION ALL,
# so even a damaged tree with a cycle cannot recurse for ever.
_CLOSURE = """
WITH RECURSIVE closure(ancestor, descendant) AS (
    SELECT id, id FROM themes
    UNION SELECT c.ancestor, t.id FROM closure c JOIN themes t ON t.parent_id = c.descendant
)
"""


class ThemeStore:
    def __init__(self, archive: Archive) -> None:
        self._archive = archive

    # -- reading ---------------------------------------------------------------

    def get(self, theme_id: int) -> Theme:
        rows = list(self._archive.db.query("SELECT * FROM themes WHERE id = ?", [theme_id]))
        if not rows:
            raise NotFoundError(f"No theme with id {theme_id}.")
        return _theme(rows[0])

    def by_key(self, key: str) -> Theme:
        rows = list(self._archive.db.query("SELECT * FROM themes WHERE key = ?", [key]))
        if not rows:
            raise NotFoundError(f"No theme with key {key!r}.")
        return _theme(rows[0])

    def list(self) -> list[Theme]:
        """Every theme, flat, in sibling order (see :meth:`tree` for the hierarchy)."""
        rows = self._archive.db.query("SELECT * FROM themes ORDER BY position, id")
        return [_theme(r) for r in rows]

    def find(self, label: str) -> list[Theme]:
        """Themes with this key, or with this label in any language (folded compare)."""
        wanted = fold_text(label)
        if not wanted:
            return []
        return [
            t
            for t in self.list()
            if t.key == label or any(fold_text(v) == wanted for v in t.labels.values())
        ]

    def resolve(self, ref: ThemeRef) -> Theme:
        """One theme from a Theme, an id, a key or a label; clear errors otherwise."""
        if isinstance(ref, Theme):
            return self.get(ref.id)
        if isinstance(ref, int):
            return self.get(ref)
        cleaned = clean_text(ref)
        if not cleaned:
            raise InvalidInputError("A theme name cannot be empty.")
        by_key = list(self._archive.db.query("SELECT * FROM themes WHERE key = ?", [cleaned]))
        if by_key:
            return _theme(by_key[0])
        found = self.find(cleaned)
        if len(found) > 1:
            names = ", ".join(f"{t.label()} (id {t.id})" for t in found)
            raise InvalidInputError(f"Several themes are called {cleaned!r}: {names}.")
        if found:
            return found[0]
        if cleaned.isdigit():
            return self.get(int(cleaned))
        raise NotFoundError(f"No theme called {cleaned!r}.")

    def subtree_ids(self, ref: ThemeRef) -> list[int]:
        """The theme's id and the ids of all its sub-themes, at any depth."""
        theme = self.resolve(ref)
        return [r["id"] for r in self._archive.db.query(_SUBTREE, [theme.id])]

    def children(self, ref: ThemeRef | None) -> list[Theme]:
        parent_id = None if ref is None else self.resolve(ref).id
        rows = self._archive.db.query(
            "SELECT * FROM themes WHERE parent_id IS ? ORDER BY position, id", [parent_id]
        )
        return [_theme(r) for r in rows]

    def tree(self) -> list[ThemeNode]:
        """The whole vocabulary as a tree, siblings in order, with counts per theme.

        Counts include sub-themes: a clip tagged "food" counts for "everyday life" too,
        once, however many of its sub-themes it carries.
        """
        db = self._archive.db
        clips = {
            r["ancestor"]: r["n"]
            for r in db.query(
                _CLOSURE + "SELECT c.ancestor, count(DISTINCT ct.clip_id) AS n FROM closure c "
                "JOIN clip_themes ct ON ct.theme_id = c.descendant GROUP BY c.ancestor"
            )
        }
        interviews = {
            r["ancestor"]: r["n"]
            for r in db.query(
                _CLOSURE + "SELECT c.ancestor, count(DISTINCT it.interview_id) AS n "
                "FROM closure c JOIN interview_themes it ON it.theme_id = c.descendant "
                "GROUP BY c.ancestor"
            )
        }
        by_parent: dict[int | None, list[Theme]] = {}
        for theme in self.list():
            by_parent.setdefault(theme.parent_id, []).append(theme)

        def build(parent_id: int | None, seen: frozenset[int]) -> tuple[ThemeNode, ...]:
            return tuple(
                ThemeNode(
                    theme=t,
                    clip_count=clips.get(t.id, 0),
                    interview_count=interviews.get(t.id, 0),
                    children=build(t.id, seen | {t.id}),
                )
                for t in by_parent.get(parent_id, [])
                if t.id not in seen
            )

        return list(build(None, frozenset()))

    def usage(self, ref: ThemeRef) -> ThemeUsage:
        theme = self.resolve(ref)
        db = self._archive.db
        clips = db.execute(
            "SELECT count(*) FROM clip_themes WHERE theme_id = ?", [theme.id]
        ).fetchone()[0]
        interviews = db.execute(
            "SELECT count(*) FROM interview_themes WHERE theme_id = ?", [theme.id]
        ).fetchone()[0]
        return ThemeUsage(clips=int(clips), interviews=int(interviews))

    # -- changing the vocabulary ----------------------------------------------

    def add(
        self,
        labels: str | Mapping[str, str],
        *,
        parent: ThemeRef | None = None,
        scope_note: str | None = None,
    ) -> Theme:
        """A new theme of the archive's own (no key), last among its siblings."""
        cleaned = _clean_labels(labels)
        if not cleaned:
            raise InvalidInputError("A theme needs a label.")
        parent_id = None if parent is None else self.resolve(parent).id
        self._check_siblings(parent_id, cleaned, exclude=None)
        db = self._archive.db
        stamp = now()
        with db.atomic():
            theme_id = (
                db["themes"]
                .insert(
                    {
                        "parent_id": parent_id,
                        "key": None,
                        "labels": json.dumps(cleaned, ensure_ascii=False),
                        "scope_note": clean_text(scope_note),
                        "position": _next_position(db, parent_id),
                        "created_at": stamp,
                        "updated_at": stamp,
                    }
                )
                .last_pk
            )
            sync_closure(db)
            self._archive.audit.record("theme.create", "theme", str(theme_id))
        return self.get(theme_id)

    def rename(
        self,
        ref: ThemeRef,
        labels: str | Mapping[str, str],
        *,
        scope_note: str | None = _UNSET,
    ) -> Theme:
        """Set labels (other languages keep theirs; an empty label removes one)."""
        theme = self.resolve(ref)
        new_labels = dict(theme.labels)
        given = {"en": labels} if isinstance(labels, str) else dict(labels)
        for language, label in given.items():
            code = _language(language)
            text = clean_text(label)
            if text:
                new_labels[code] = text
            else:
                new_labels.pop(code, None)
        if not new_labels:
            raise InvalidInputError("A theme needs at least one label.")
        self._check_siblings(theme.parent_id, new_labels, exclude=theme.id)
        row: dict[str, Any] = {
            "labels": json.dumps(new_labels, ensure_ascii=False),
            "updated_at": now(),
        }
        if scope_note is not _UNSET:
            row["scope_note"] = clean_text(scope_note)
        db = self._archive.db
        with db.atomic():
            db["themes"].update(theme.id, row)
            self._archive.audit.record("theme.rename", "theme", str(theme.id))
        return self.get(theme.id)

    def move(self, ref: ThemeRef, parent: ThemeRef | None, *, position: int | None = None) -> Theme:
        """Re-parent a theme (``None``: to the top level); refuses to make a cycle.

        ``position`` places it among its new siblings (0 = first); default: last.
        """
        theme = self.resolve(ref)
        parent_id = None if parent is None else self.resolve(parent).id
        if parent_id is not None and parent_id in self.subtree_ids(theme):
            raise InvalidInputError("A theme cannot be moved under itself or its own sub-theme.")
        self._check_siblings(parent_id, theme.labels, exclude=theme.id)
        db = self._archive.db
        with db.atomic():
            siblings = [t.id for t in self.children(parent_id) if t.id != theme.id]
            index = len(siblings) if position is None else max(0, min(position, len(siblings)))
            siblings.insert(index, theme.id)
            stamp = now()
            db["themes"].update(theme.id, {"parent_id": parent_id, "updated_at": stamp})
            for n, sibling in enumerate(siblings):
                db.execute("UPDATE themes SET position = ? WHERE id = ?", [n, sibling])
            sync_closure(db)
            self._archive.audit.record("theme.move", "theme", str(theme.id))
        return self.get(theme.id)

    def merge(self, source: ThemeRef, target: ThemeRef) -> Theme:
        """Fold ``source`` into ``target``: its clips, interviews and sub-themes move
        to ``target``, then ``source`` is deleted.  Returns the target."""
        src = self.resolve(source)
        dst = self.resolve(target)
        if src.id == dst.id:
            raise InvalidInputError("A theme cannot be merged into itself.")
        if dst.id in self.subtree_ids(src):
            raise InvalidInputError("A theme cannot be merged into one of its own sub-themes.")
        db = self._archive.db
        with db.atomic():
            db.execute(
                "INSERT OR IGNORE INTO clip_themes (clip_id, theme_id) "
                "SELECT clip_id, ? FROM clip_themes WHERE theme_id = ?",
                [dst.id, src.id],
            )
            db.execute(
                "INSERT OR IGNORE INTO interview_themes (interview_id, theme_id) "
                "SELECT interview_id, ? FROM interview_themes WHERE theme_id = ?",
                [dst.id, src.id],
            )
            self._reparent_children(src.id, dst.id)
            db.execute("DELETE FROM themes WHERE id = ?", [src.id])
            sync_closure(db)
            self._archive.audit.record("theme.merge", "theme", f"{src.id}->{dst.id}")
        return self.get(dst.id)

    def delete(self, ref: ThemeRef, *, force: bool = False) -> None:
        """Delete a theme; its sub-themes move up to its parent.

        A theme that clips or interviews are tagged with raises
        :class:`ThemeInUseError` (the UI asks) unless ``force``: then the tags go too.
        """
        theme = self.resolve(ref)
        usage = self.usage(theme)
        if usage.in_use and not force:
            raise ThemeInUseError(usage)
        db = self._archive.db
        with db.atomic():
            self._reparent_children(theme.id, theme.parent_id)
            db.execute("DELETE FROM themes WHERE id = ?", [theme.id])
            sync_closure(db)
            self._archive.audit.record("theme.delete", "theme", str(theme.id))

    def _reparent_children(self, old_parent: int, new_parent: int | None) -> None:
        db = self._archive.db
        start = _next_position(db, new_parent)
        for n, child in enumerate(self.children(old_parent)):
            db.execute(
                "UPDATE themes SET parent_id = ?, position = ?, updated_at = ? WHERE id = ?",
                [new_parent, start + n, now(), child.id],
            )

    def _check_siblings(
        self, parent_id: int | None, labels: Mapping[str, str], *, exclude: int | None
    ) -> None:
        """Two themes side by side may not share a label in the same language."""
        wanted = {lang: fold_text(label) for lang, label in labels.items()}
        for sibling in self.children(parent_id):
            if sibling.id == exclude:
                continue
            for lang, label in sibling.labels.items():
                if wanted.get(lang) and fold_text(label) == wanted[lang]:
                    raise InvalidInputError(
                        f"There is already a theme called {label!r} at that level."
                    )

    # -- interview-level themes -----------------------------------------------

    def for_interview(self, interview_id: str) -> list[Theme]:
        """The themes a whole interview is tagged with (not those of its clips)."""
        rows = self._archive.db.query(
            "SELECT t.* FROM themes t JOIN interview_themes it ON it.theme_id = t.id "
            "WHERE it.interview_id = ? ORDER BY t.position, t.id",
            [interview_id],
        )
        return [_theme(r) for r in rows]

    def for_clip(self, clip_id: int) -> list[Theme]:
        rows = self._archive.db.query(
            "SELECT t.* FROM themes t JOIN clip_themes ct ON ct.theme_id = t.id "
            "WHERE ct.clip_id = ? ORDER BY t.position, t.id",
            [clip_id],
        )
        return [_theme(r) for r in rows]

    def add_to_interview(self, interview_id: str, themes: Iterable[ThemeRef]) -> list[Theme]:
        """Tag a whole interview; returns its themes afterwards."""
        return self._link_interview(
            interview_id,
            themes,
            "INSERT OR IGNORE INTO interview_themes (interview_id, theme_id) VALUES (?, ?)",
        )

    def remove_from_interview(self, interview_id: str, themes: Iterable[ThemeRef]) -> list[Theme]:
        return self._link_interview(
            interview_id,
            themes,
            "DELETE FROM interview_themes WHERE interview_id = ? AND theme_id = ?",
        )

    def _link_interview(
        self, interview_id: str, themes: Iterable[ThemeRef], statement: str
    ) -> list[Theme]:
        self._archive.interviews.get(interview_id)
        ids = [self.resolve(t).id for t in themes]
        db = self._archive.db
        with db.atomic():
            for theme_id in ids:
                db.execute(statement, [interview_id, theme_id])
            self._archive.audit.record("interview.themes", "interview", interview_id)
        return self.for_interview(interview_id)
