"""Places: a small gazetteer where one place carries several names, none preferred.

Stepanakert and Khankendi, Gyumri, Leninakan and Alexandropol: the archive does not
choose between the names a narrator and an archivist use.  A place is found by any of
its names in any script (compared folded, see :mod:`archive.folding`), and search uses
the gazetteer to let one name find the others.  The order of a place's names means
nothing; it is the order they were added in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlite_utils

from .errors import NotFoundError
from .folding import fold_text
from .util import InvalidInputError, check_languages, clean_text, new_id, now

if TYPE_CHECKING:
    from .archive import Archive

_UNSET: Any = object()


@dataclass(frozen=True)
class PlaceName:
    name: str
    language: str | None = None


@dataclass(frozen=True)
class Place:
    id: str
    names: tuple[PlaceName, ...]
    latitude: float | None = None
    longitude: float | None = None
    note: str | None = None

    @property
    def name_list(self) -> tuple[str, ...]:
        return tuple(n.name for n in self.names)


# What may be given for a name: the name alone, a (name, language) pair, or a PlaceName.
NameInput = str | tuple[str, str | None] | PlaceName

# Seeded into every archive (see the migration); archivists add their own.
SEED_PLACES: tuple[tuple[tuple[str, str | None], ...], ...] = (
    (("Stepanakert", "en"), ("Khankendi", "en"), ("Ստեփանակերտ", "hy"), ("Xankəndi", "az"),
     ("Степанакерт", "ru")),
    (("Shushi", "en"), ("Shusha", "en"), ("Շուշի", "hy"), ("Şuşa", "az"), ("Шуша", "ru")),
    (("Gyumri", "en"), ("Leninakan", None), ("Alexandropol", None), ("Գյումրի", "hy"),
     ("Ленинакан", "ru")),
    (("Baku", "en"), ("Bakı", "az"), ("Баку", "ru"), ("Բաքու", "hy"), ("ბაქო", "ka")),
    (("Ganja", "en"), ("Gəncə", "az"), ("Гянджа", "ru"), ("Գանձակ", "hy"),
     ("Kirovabad", None)),
    (("Sumgait", "en"), ("Sumqayıt", "az"), ("Сумгаит", "ru"), ("Սումգայիթ", "hy")),
    (("Yerevan", "en"), ("Երևան", "hy"), ("İrəvan", "az"), ("Ереван", "ru"),
     ("ერევანი", "ka")),
    (("Tbilisi", "en"), ("თბილისი", "ka"), ("Тбилиси", "ru"), ("Tiflis", None)),
)  # fmt: skip


def seed_places(db: sqlite_utils.Database) -> int:
    """Add the seed places an archive lacks; returns how many.  Only for migrations.

    Idempotent: a seed place is skipped when one of its names (folded) is already
    the name of a place.
    """
    added = 0
    for names in SEED_PLACES:
        folded = [fold_text(name) for name, _ in names]
        marks = ",".join("?" * len(folded))
        exists = db.execute(
            f"SELECT 1 FROM place_names WHERE folded IN ({marks}) LIMIT 1", folded
        ).fetchone()
        if exists:
            continue
        place_id = new_id()
        db.execute("INSERT INTO places (id, created_at) VALUES (?, ?)", [place_id, now()])
        for name, language in names:
            db.execute(
                "INSERT INTO place_names (place_id, name, language) VALUES (?, ?, ?)",
                [place_id, name, language],
            )
        added += 1
    return added


def _name(value: NameInput) -> PlaceName:
    if isinstance(value, PlaceName):
        name, language = value.name, value.language
    elif isinstance(value, tuple):
        name, language = value
    else:
        name, language = value, None
    cleaned = clean_text(name)
    if not cleaned or not fold_text(cleaned):
        raise InvalidInputError("A place name needs at least one letter or digit.")
    if language is not None:
        codes = check_languages([language])
        if len(codes) != 1:
            raise InvalidInputError(f"Not a language code: {language!r}.")
        language = codes[0]
    return PlaceName(cleaned, language)


class PlaceStore:
    def __init__(self, archive: Archive) -> None:
        self._archive = archive

    # -- reading ---------------------------------------------------------------

    def get(self, place_id: str) -> Place:
        rows = list(self._archive.db.query("SELECT * FROM places WHERE id = ?", [place_id]))
        if not rows:
            raise NotFoundError(f"No place with id {place_id}.")
        return self._place(rows[0])

    def list(self) -> list[Place]:
        rows = self._archive.db.query("SELECT * FROM places ORDER BY created_at, id")
        return [self._place(r) for r in rows]

    def find(self, name: str) -> list[Place]:
        """Places with this name, in any script or spelling that folds the same."""
        folded = fold_text(clean_text(name) or "")
        if not folded:
            return []
        rows = self._archive.db.query(
            "SELECT * FROM places WHERE id IN "
            "(SELECT place_id FROM place_names WHERE folded = ?) ORDER BY created_at, id",
            [folded],
        )
        return [self._place(r) for r in rows]

    def resolve(self, ref: str | Place) -> Place:
        """One place from a Place, an id, or a name that only one place has."""
        if isinstance(ref, Place):
            return self.get(ref.id)
        rows = list(self._archive.db.query("SELECT * FROM places WHERE id = ?", [ref]))
        if rows:
            return self._place(rows[0])
        found = self.find(ref)
        if not found:
            raise NotFoundError(f"No place called {ref!r}.")
        if len(found) > 1:
            raise InvalidInputError(
                f"Several places are called {ref!r} (ids {', '.join(p.id for p in found)})."
            )
        return found[0]

    def interviews_at(self, ref: str | Place) -> list[str]:
        """Ids of the interviews linked to the place (not those that only name it)."""
        place = self.resolve(ref)
        rows = self._archive.db.query(
            "SELECT id FROM interviews WHERE place_id = ? ORDER BY created_at, id", [place.id]
        )
        return [r["id"] for r in rows]

    def alternatives(self, folded_names: Iterable[str]) -> dict[str, set[str]]:
        """For each folded name that is a place's name: the folded forms of all the names
        of every place called so (the name itself included).  For search expansion."""
        wanted = sorted(set(folded_names))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = self._archive.db.query(
            "SELECT a.folded AS asked, b.folded AS other FROM place_names a "
            f"JOIN place_names b ON b.place_id = a.place_id WHERE a.folded IN ({marks})",
            wanted,
        )
        out: dict[str, set[str]] = {}
        for row in rows:
            out.setdefault(row["asked"], {row["asked"]}).add(row["other"])
        return out

    # -- changing --------------------------------------------------------------

    def create(
        self,
        names: Iterable[NameInput],
        *,
        latitude: float | None = None,
        longitude: float | None = None,
        note: str | None = None,
    ) -> Place:
        """A new place with one or more names (in any scripts)."""
        cleaned: list[PlaceName] = []
        for value in names:
            name = _name(value)
            if all(n.name != name.name for n in cleaned):
                cleaned.append(name)
        if not cleaned:
            raise InvalidInputError("A place needs at least one name.")
        self._check_coordinates(latitude, longitude)
        place_id = new_id()
        db = self._archive.db
        with db.atomic():
            db["places"].insert(
                {
                    "id": place_id,
                    "latitude": latitude,
                    "longitude": longitude,
                    "note": clean_text(note),
                    "created_at": now(),
                }
            )
            for name in cleaned:
                db["place_names"].insert(
                    {"place_id": place_id, "name": name.name, "language": name.language}
                )
            self._archive.audit.record("place.create", "place", place_id)
        return self.get(place_id)

    def add_name(self, place_id: str, name: str, language: str | None = None) -> Place:
        place = self.get(place_id)
        new = _name((name, language))
        if new.name in place.name_list:
            return place
        db = self._archive.db
        with db.atomic():
            db["place_names"].insert(
                {"place_id": place_id, "name": new.name, "language": new.language}
            )
            self._archive.audit.record("place.add_name", "place", place_id)
        return self.get(place_id)

    def remove_name(self, place_id: str, name: str) -> Place:
        """Remove one name; a place keeps at least one."""
        place = self.get(place_id)
        cleaned = clean_text(name)
        if cleaned not in place.name_list:
            raise NotFoundError(f"The place has no name {name!r}.")
        if len(place.names) == 1:
            raise InvalidInputError("A place needs at least one name; add another first.")
        db = self._archive.db
        with db.atomic():
            db.execute(
                "DELETE FROM place_names WHERE place_id = ? AND name = ?", [place_id, cleaned]
            )
            self._archive.audit.record("place.remove_name", "place", place_id)
        return self.get(place_id)

    def update(
        self,
        place_id: str,
        *,
        latitude: float | None = _UNSET,
        longitude: float | None = _UNSET,
        note: str | None = _UNSET,
    ) -> Place:
        place = self.get(place_id)
        lat = place.latitude if latitude is _UNSET else latitude
        lon = place.longitude if longitude is _UNSET else longitude
        self._check_coordinates(lat, lon)
        row: dict[str, Any] = {"latitude": lat, "longitude": lon}
        if note is not _UNSET:
            row["note"] = clean_text(note)
        db = self._archive.db
        with db.atomic():
            db["places"].update(place_id, row)
            self._archive.audit.record("place.update", "place", place_id)
        return self.get(place_id)

    def delete(self, place_id: str) -> None:
        """Delete a place; interviews and clips linked to it keep everything else."""
        self.get(place_id)
        db = self._archive.db
        with db.atomic():
            db.execute("DELETE FROM places WHERE id = ?", [place_id])
            self._archive.audit.record("place.delete", "place", place_id)

    def link_interview(self, interview_id: str, place: str | Place | None) -> None:
        """Say where an interview was recorded (``None`` unlinks)."""
        self._archive.interviews.get(interview_id)
        place_id = None if place is None else self.resolve(place).id
        db = self._archive.db
        with db.atomic():
            db["interviews"].update(interview_id, {"place_id": place_id, "updated_at": now()})
            self._archive.audit.record("interview.place", "interview", interview_id)

    def link_clip(self, clip_id: int, place: str | Place | None) -> None:
        """Say which place a clip speaks of (``None`` unlinks)."""
        self._archive.clips.get(clip_id)
        place_id = None if place is None else self.resolve(place).id
        db = self._archive.db
        with db.atomic():
            db["clips"].update(clip_id, {"place_id": place_id, "updated_at": now()})
            self._archive.audit.record("clip.place", "clip", str(clip_id))

    # -- helpers ---------------------------------------------------------------

    def _place(self, row: dict[str, Any]) -> Place:
        names = self._archive.db.query(
            "SELECT name, language FROM place_names WHERE place_id = ? ORDER BY id", [row["id"]]
        )
        return Place(
            id=row["id"],
            names=tuple(PlaceName(n["name"], n["language"]) for n in names),
            latitude=row["latitude"],
            longitude=row["longitude"],
            note=row["note"],
        )

    @staticmethod
    def _check_coordinates(latitude: float | None, longitude: float | None) -> None:
        if latitude is not None and not -90 <= latitude <= 90:
            raise InvalidInputError(f"A latitude lies between -90 and 90, not {latitude}.")
        if longitude is not None and not -180 <= longitude <= 180:
            raise InvalidInputError(f"A longitude lies between -180 and 180, not {longitude}.")
