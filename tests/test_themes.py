"""The theme vocabulary: shipped labels, tree with counts, add/rename/move/merge/delete."""

from __future__ import annotations

import re

import pytest

from archive import (
    Archive,
    InterviewMetadata,
    InvalidInputError,
    NotFoundError,
    ThemeInUseError,
)
from archive.synthetic import create_interview_without_media
from archive.themes import VOCABULARY_LANGUAGES, load_vocabulary, seed_vocabulary

ARMENIAN = re.compile(r"^[\u0531-\u058f\s՝,]+$")
CYRILLIC = re.compile(r"^[\u0400-\u04ff\s,]+$")
AZERBAIJANI = re.compile(r"^[A-Za-zƏəĞğİıÖöŞşÜüÇç\s,]+$")

REQUIRED = {
    "displacement": ("flight", "deportation", "exchange_of_homes", "return"),
    "violence_and_trauma": (),
    "loss_and_grief": (),
    "neighbourliness_and_friendship": (),
    "mixed_families": (),
    "everyday_life": ("food", "work", "school", "music", "faith", "language"),
    "soviet_years": (),
    "the_border": (),
    "rescue_and_help": (),
    "memory_and_silence": (),
    "peace_and_reconciliation": (),
}


def _interview(archive: Archive, title: str = "Interview") -> str:
    meta = InterviewMetadata(title=title)
    return create_interview_without_media(archive, meta, duration=600.0).id


def test_shipped_vocabulary_is_complete_and_in_the_right_scripts():
    entries = {e.key: e for e in load_vocabulary()}
    for key, children in REQUIRED.items():
        assert entries[key].parent is None
        for child in children:
            assert entries[child].parent == key
    for entry in entries.values():
        assert set(entry.labels) == set(VOCABULARY_LANGUAGES)
        assert ARMENIAN.match(entry.labels["hy"]), entry.labels["hy"]
        assert CYRILLIC.match(entry.labels["ru"]), entry.labels["ru"]
        assert AZERBAIJANI.match(entry.labels["az"]), entry.labels["az"]
        assert entry.scope_note and "\n" not in entry.scope_note


def test_new_archive_is_seeded_once(archive: Archive):
    keys = {t.key for t in archive.themes.list()}
    assert keys == {e.key for e in load_vocabulary()}
    with archive.db.atomic():
        assert seed_vocabulary(archive.db) == 0
    assert len(archive.themes.list()) == len(keys)
    food = archive.themes.by_key("food")
    assert food.parent_id == archive.themes.by_key("everyday_life").id
    assert food.label("hy") == "Սնունդ" and food.label("xx") == "Food"


def test_a_deleted_shipped_theme_is_not_brought_back_by_a_later_vocabulary(archive: Archive):
    archive.themes.delete("music")
    with archive.db.atomic():
        assert seed_vocabulary(archive.db, keys={"food"}) == 0
    assert not archive.themes.find("music")


def test_find_by_key_or_label_in_any_language(archive: Archive):
    food = archive.themes.by_key("food")
    for name in ("food", "Food", "FOOD", "Еда", "еда", "Սնունդ", "Yemək", "yemek"):
        assert archive.themes.resolve(name) == food, name
    assert archive.themes.resolve(food.id) == food
    assert archive.themes.resolve(str(food.id)) == food
    with pytest.raises(NotFoundError):
        archive.themes.resolve("no such theme")
    with pytest.raises(NotFoundError):
        archive.themes.by_key("nope")


def test_ambiguous_label_is_an_error(archive: Archive):
    archive.themes.add("Bread", parent="food")
    archive.themes.add("Bread", parent="work")  # same label, other parent: allowed
    with pytest.raises(InvalidInputError, match="Several themes"):
        archive.themes.resolve("bread")


def test_add_rename_and_sibling_labels(archive: Archive):
    tonir = archive.themes.add(
        {"en": "Tonir", "hy": "Թոնիր"}, parent="food", scope_note="The clay oven."
    )
    assert tonir.key is None and tonir.parent_id == archive.themes.by_key("food").id
    assert tonir.position == 0
    with pytest.raises(InvalidInputError, match="already a theme"):
        archive.themes.add("tonir", parent="food")
    with pytest.raises(InvalidInputError):
        archive.themes.add({"english": "x"})
    with pytest.raises(InvalidInputError):
        archive.themes.add("  ")
    renamed = archive.themes.rename(tonir, {"ru": "Тонир", "hy": ""})
    assert renamed.labels == {"en": "Tonir", "ru": "Тонир"}
    assert renamed.scope_note == "The clay oven."
    renamed = archive.themes.rename(renamed, "Tandoor", scope_note=None)
    assert renamed.label() == "Tandoor" and renamed.scope_note is None
    with pytest.raises(InvalidInputError, match="already a theme"):
        archive.themes.rename("school", "Work")


def test_tree_counts_include_sub_themes_once(archive: Archive):
    iv = _interview(archive)
    clips = archive.clips
    clips.create(iv, 0, 10, themes=["food", "school"])
    clips.create(iv, 10, 20, themes=["everyday_life"])
    clips.create(iv, 20, 30, themes=["flight"])
    archive.themes.add_to_interview(iv, ["music"])
    nodes = {n.theme.key: n for n in archive.themes.tree()}
    everyday = nodes["everyday_life"]
    assert everyday.clip_count == 2  # the food+school clip counts once
    assert everyday.interview_count == 1
    children = {c.theme.key: c for c in everyday.children}
    assert [c.theme.key for c in everyday.children] == [
        "food", "work", "school", "music", "faith", "language",
    ]  # fmt: skip
    assert children["food"].clip_count == 1 and children["work"].clip_count == 0
    assert children["music"].interview_count == 1
    assert nodes["displacement"].clip_count == 1
    assert nodes["soviet_years"].clip_count == 0 and nodes["soviet_years"].children == ()


def test_move_refuses_cycles(archive: Archive):
    themes = archive.themes
    everyday = themes.by_key("everyday_life")
    with pytest.raises(InvalidInputError, match="under itself"):
        themes.move("everyday_life", "everyday_life")
    with pytest.raises(InvalidInputError, match="under itself"):
        themes.move("everyday_life", "food")
    bread = themes.add("Bread", parent="food")
    with pytest.raises(InvalidInputError, match="under itself"):
        themes.move("everyday_life", bread)
    moved = themes.move("food", "soviet_years")
    assert moved.parent_id == themes.by_key("soviet_years").id
    assert themes.get(bread.id).parent_id == moved.id  # sub-themes come along
    assert [t.key for t in themes.children(everyday)] == [
        "work", "school", "music", "faith", "language",
    ]  # fmt: skip
    top = themes.move("food", None, position=0)
    assert top.parent_id is None
    assert themes.children(None)[0].key == "food"


def test_merge_moves_clips_interviews_and_sub_themes(archive: Archive):
    themes = archive.themes
    iv = _interview(archive)
    both = archive.clips.create(iv, 0, 10, themes=["flight", "deportation"])
    only = archive.clips.create(iv, 10, 20, themes=["flight"])
    themes.add_to_interview(iv, ["flight", "deportation"])
    night = themes.add("Fleeing at night", parent="flight")
    target = themes.merge("flight", "deportation")
    assert target.key == "deportation"
    assert not themes.find("flight")
    deportation = themes.by_key("deportation").id
    assert archive.clips.get(both.id).theme_ids == (deportation,)
    assert archive.clips.get(only.id).theme_ids == (deportation,)
    assert [t.key for t in themes.for_interview(iv)] == ["deportation"]
    assert themes.get(night.id).parent_id == deportation
    with pytest.raises(InvalidInputError, match="into itself"):
        themes.merge("deportation", "deportation")
    with pytest.raises(InvalidInputError, match="own sub-themes"):
        themes.merge("displacement", "deportation")


def test_delete_refuses_a_theme_in_use_unless_forced(archive: Archive):
    themes = archive.themes
    iv = _interview(archive)
    clip = archive.clips.create(iv, 0, 10, themes=["food", "music"])
    with pytest.raises(ThemeInUseError) as caught:
        themes.delete("food")
    assert caught.value.usage.clips == 1 and caught.value.usage.interviews == 0
    assert themes.find("food")
    themes.delete("food", force=True)
    assert not themes.find("food")
    assert archive.clips.get(clip.id).theme_ids == (themes.by_key("music").id,)
    # Sub-themes of a deleted theme move up to its parent; unused themes just go.
    themes.delete("everyday_life")
    assert themes.by_key("music").parent_id is None
    assert themes.usage("music").clips == 1


def test_interview_themes(archive: Archive):
    iv = _interview(archive)
    got = archive.themes.add_to_interview(iv, ["food", "Школа", "food"])
    assert [t.key for t in got] == ["food", "school"]
    assert [t.key for t in archive.themes.remove_from_interview(iv, ["food"])] == ["school"]
    with pytest.raises(NotFoundError):
        archive.themes.add_to_interview("nope", ["food"])


def test_audit_records_changes_without_content(archive: Archive):
    themes = archive.themes
    t = themes.add({"en": "Secretlabel", "ru": "Секретметка"}, parent="food")
    themes.rename(t, "Otherlabel")
    themes.move(t, "work")
    other = themes.add("Mergeme")
    themes.merge(other, t)
    themes.delete(t)
    entries = archive.audit.entries()
    actions = [e.action for e in entries]
    for action in ("theme.create", "theme.rename", "theme.move", "theme.merge", "theme.delete"):
        assert action in actions
    dumped = repr(entries)
    for word in ("Secretlabel", "Секретметка", "Otherlabel", "Mergeme"):
        assert word not in dumped
