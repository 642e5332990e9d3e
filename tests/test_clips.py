"""Clips: validated time ranges of an interview, with themes, notes and titles."""

from __future__ import annotations

import pytest

from archive import Archive, InterviewMetadata, InvalidInputError, NotFoundError
from archive.synthetic import create_interview_without_media


def _interview(archive: Archive, title: str, duration: float | None = 600.0) -> str:
    meta = InterviewMetadata(title=title)
    return create_interview_without_media(archive, meta, duration=duration).id


def test_create_and_read(archive: Archive):
    iv = _interview(archive, "One")
    clip = archive.clips.create(
        iv, 12.5, 40, themes=["food", "Школа"], note="  Lavash in the tonir ", title="Bread"
    )
    assert (clip.interview_id, clip.start, clip.end, clip.kind) == (iv, 12.5, 40.0, "clip")
    assert clip.note == "Lavash in the tonir" and clip.title == "Bread"
    keys = {archive.themes.get(t).key for t in clip.theme_ids}
    assert keys == {"food", "school"}
    assert archive.clips.get(clip.id) == clip
    assert [t.key for t in archive.themes.for_clip(clip.id)] == ["food", "school"]


INVALID = [
    (10, 10, "clip", "end after it starts"),
    (20, 10, "clip", "end after it starts"),
    (20, 10, "marker", "end after it starts"),
    (-1, 10, "clip", "from 0 on"),
    (float("nan"), 10, "clip", "from 0 on"),
    (0, float("inf"), "clip", "from 0 on"),
    (500, 601, "clip", "after the interview does"),
    ("x", 10, "clip", "times in seconds"),
    (0, 10, "chapter", "Not a kind of clip"),
]


def test_invalid_ranges_and_kinds(archive: Archive):
    iv = _interview(archive, "One")
    for start, end, kind, message in INVALID:
        with pytest.raises(InvalidInputError, match=message):
            archive.clips.create(iv, start, end, kind=kind)
    assert archive.clips.for_interview(iv) == []


def test_markers_may_be_points_and_unknown_duration_has_no_upper_bound(archive: Archive):
    iv = _interview(archive, "One")
    assert archive.clips.create(iv, 30, 30, kind="marker").kind == "marker"
    assert archive.clips.create(iv, 599, 600.01).end == 600.01  # within rounding
    open_ended = _interview(archive, "No media yet", duration=None)
    assert archive.clips.create(open_ended, 5000, 5100).end == 5100


def test_unknown_interview_or_theme(archive: Archive):
    iv = _interview(archive, "One")
    with pytest.raises(NotFoundError):
        archive.clips.create("nope", 0, 10)
    with pytest.raises(NotFoundError):
        archive.clips.create(iv, 0, 10, themes=["no such theme"])
    assert archive.clips.for_interview(iv) == []
    with pytest.raises(NotFoundError):
        archive.clips.get(999)


def test_update_set_themes_delete(archive: Archive):
    iv = _interview(archive, "One")
    clip = archive.clips.create(iv, 0, 10, themes=["food"], note="note", title="title")
    updated = archive.clips.update(clip.id, end=20, note=None)
    assert (updated.start, updated.end, updated.note, updated.title) == (0, 20, None, "title")
    with pytest.raises(InvalidInputError):
        archive.clips.update(clip.id, start=30)
    assert archive.clips.get(clip.id).start == 0
    themed = archive.clips.set_themes(clip.id, ["music", "faith", "music"])
    assert {archive.themes.get(t).key for t in themed.theme_ids} == {"music", "faith"}
    assert archive.clips.set_themes(clip.id, []).theme_ids == ()
    archive.clips.delete(clip.id)
    with pytest.raises(NotFoundError):
        archive.clips.get(clip.id)
    assert archive.db.execute("SELECT count(*) FROM clip_themes").fetchone()[0] == 0


def test_lists_per_interview_and_per_theme_in_playing_order(archive: Archive):
    first = _interview(archive, "First")
    second = _interview(archive, "Second")
    c = archive.clips
    b2 = c.create(second, 50, 60, themes=["food"])
    a2 = c.create(first, 200, 210, themes=["school"])
    a1 = c.create(first, 5, 15, themes=["everyday_life"])
    f = c.create(first, 100, 110, themes=["flight"])
    m = c.create(first, 1, 1, kind="marker")
    assert [x.id for x in c.for_interview(first)] == [m.id, a1.id, f.id, a2.id]
    assert [x.id for x in c.for_interview(first, kind="marker")] == [m.id]
    assert [x.id for x in c.for_theme("everyday_life")] == [a1.id, a2.id, b2.id]
    assert [x.id for x in c.for_theme("everyday_life", include_subthemes=False)] == [a1.id]
    assert [x.id for x in c.for_theme("Еда")] == [b2.id]


def test_deleting_an_interview_deletes_its_clips(archive: Archive):
    iv = _interview(archive, "One")
    clip = archive.clips.create(iv, 0, 10, themes=["food"])
    archive.interviews.delete(iv)
    with pytest.raises(NotFoundError):
        archive.clips.get(clip.id)
    assert archive.themes.usage("food").clips == 0


def test_every_change_is_audited_without_content(archive: Archive):
    iv = _interview(archive, "One")
    clip = archive.clips.create(iv, 0, 10, note="Privatenote", title="Privatetitle")
    archive.clips.update(clip.id, note="Othernote")
    archive.clips.set_themes(clip.id, ["food"])
    archive.clips.delete(clip.id)
    entries = [e for e in archive.audit.entries() if e.object_type == "clip"]
    assert [e.action for e in entries] == [
        "clip.delete",
        "clip.themes",
        "clip.update",
        "clip.create",
    ]
    assert all(e.object_id == str(clip.id) for e in entries)
    assert "Private" not in repr(archive.audit.entries()) and "Othernote" not in repr(entries)
