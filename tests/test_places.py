"""The gazetteer: one place, several names in several scripts, none preferred."""

from __future__ import annotations

import pytest

from archive import Archive, InterviewMetadata, InvalidInputError, NotFoundError
from archive.places import SEED_PLACES, PlaceName, seed_places
from archive.synthetic import create_interview_without_media


def test_every_seed_place_is_found_by_any_of_its_names(archive: Archive):
    assert len(archive.places.list()) == len(SEED_PLACES)
    for names in SEED_PLACES:
        ids = {p.id for name, _ in names for p in archive.places.find(name)}
        assert len(ids) == 1, names
        place = archive.places.get(ids.pop())
        assert set(place.name_list) == {name for name, _ in names}


@pytest.mark.parametrize(
    ("asked", "other"),
    [
        ("khankendi", "Ստեփանակերտ"),
        ("XANKƏNDİ", "Stepanakert"),
        ("Степанакерт", "Xankəndi"),
        ("shusha", "Շուշի"),
        ("ЛЕНИНАКАН", "Alexandropol"),
        ("ბაქო", "Bakı"),
        ("Kirovabad", "Gəncə"),
        ("sumqayit", "Սումգայիթ"),
        ("irevan", "ერევანი"),
        ("TIFLIS", "თბილისი"),
    ],
)
def test_found_by_any_spelling(archive: Archive, asked, other):
    (place,) = archive.places.find(asked)
    assert other in place.name_list


def test_seeding_is_idempotent(archive: Archive):
    with archive.db.atomic():
        assert seed_places(archive.db) == 0
    assert len(archive.places.list()) == len(SEED_PLACES)


def test_create_and_names(archive: Archive):
    place = archive.places.create(
        ["Nakhchivan", ("Naxçıvan", "az"), PlaceName("Նախիջևան", "hy"), "Nakhchivan"],
        latitude=39.2,
        longitude=45.4,
        note="exclave",
    )
    assert place.name_list == ("Nakhchivan", "Naxçıvan", "Նախիջևան")
    assert place.names[1].language == "az"
    assert archive.places.find("НАХЧЫВАН") == []
    place = archive.places.add_name(place.id, "Нахичевань", "ru")
    assert archive.places.find("Nakhichevan")[0].id == place.id  # ь dropped, ч = ch
    assert archive.places.add_name(place.id, "Нахичевань") == place  # already there
    place = archive.places.remove_name(place.id, "Nakhchivan")
    assert archive.places.find("nakhchivan") == []
    with pytest.raises(NotFoundError):
        archive.places.remove_name(place.id, "Nowhere")
    place = archive.places.update(place.id, note=None, latitude=39.21)
    assert (place.latitude, place.longitude, place.note) == (39.21, 45.4, None)


def test_invalid_places(archive: Archive):
    places = archive.places
    with pytest.raises(InvalidInputError):
        places.create([])
    with pytest.raises(InvalidInputError):
        places.create(["  ", "!!"])
    with pytest.raises(InvalidInputError):
        places.create([("Somewhere", "Armenian")])
    with pytest.raises(InvalidInputError):
        places.create(["Somewhere"], latitude=91)
    only = places.create(["Lonely"])
    with pytest.raises(InvalidInputError, match="at least one name"):
        places.remove_name(only.id, "Lonely")
    with pytest.raises(NotFoundError):
        places.get("nope")


def test_resolve_by_id_or_unique_name(archive: Archive):
    places = archive.places
    baku = places.find("Baku")[0]
    assert places.resolve(baku.id) == baku and places.resolve("Баку") == baku
    places.create(["Shusha"])  # another place with a name of the seeded one
    with pytest.raises(InvalidInputError, match="Several places"):
        places.resolve("Şuşa")
    with pytest.raises(NotFoundError):
        places.resolve("Atlantis")


def test_link_interviews_and_clips(archive: Archive):
    iv = create_interview_without_media(archive, InterviewMetadata(title="x"), duration=60).id
    clip = archive.clips.create(iv, 0, 10)
    archive.places.link_interview(iv, "Xankəndi")
    archive.places.link_clip(clip.id, "Gyumri")
    stepanakert = archive.places.resolve("Stepanakert")
    assert archive.places.interviews_at("Ստեփանակերտ") == [iv]
    assert archive.places.interviews_at("Baku") == []
    assert archive.clips.get(clip.id).place_id == archive.places.resolve("Leninakan").id
    archive.places.delete(stepanakert.id)
    place_id = archive.db.execute("SELECT place_id FROM interviews WHERE id = ?", [iv]).fetchone()
    assert tuple(place_id) == (None,)  # the Interview record does not carry place_id
    archive.places.link_clip(clip.id, None)
    assert archive.clips.get(clip.id).place_id is None
    with pytest.raises(NotFoundError):
        archive.places.link_interview("nope", "Baku")
    actions = [e.action for e in archive.audit.entries()]
    assert {"interview.place", "clip.place", "place.delete"} <= set(actions)
