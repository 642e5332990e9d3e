"""Redactions of one segment follow it through every edit: undo, merge, split, text."""

from __future__ import annotations

import random

import pytest

from archive import Archive
from archive.records import InterviewMetadata, NewSegment
from archive.redaction import MARKER, Redaction, redact_segment, remap_spans
from archive.synthetic import create_interview_without_media

HY = "Երեկ Արամը հաց բերեց"  # "Արամը" at 5:10
AZ = "Dünən Əli çörək gətirdi"  # "Əli" at 6:9


@pytest.fixture
def iid(archive: Archive) -> str:
    return create_interview_without_media(archive, InterviewMetadata(title="t"), duration=60).id


def add(archive: Archive, iid: str, *texts: str, source: str = "machine") -> list[int]:
    return archive.segments.add(
        iid,
        [NewSegment(4.0 * i, 4.0 * (i + 1), t) for i, t in enumerate(texts)],
        source=source,
    )


def shown(archive: Archive, iid: str, segment_id: int) -> str:
    """The segment's text as an export shows it."""
    segment = archive.segments.get(segment_id)
    return redact_segment(segment, archive.redactions.list(iid))[0].text


def span_of(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def spans(archive: Archive, iid: str) -> list[tuple[int | None, int | None, int | None]]:
    return sorted(
        (r.segment_id, r.char_start, r.char_end)
        for r in archive.redactions.list(iid)
        if r.kind == "span"
    )


def assert_valid(archive: Archive, iid: str) -> None:
    for r in archive.redactions.list(iid):
        if r.kind == "span":
            assert r.char_start is not None and r.char_end is not None
            text = archive.segments.get(r.segment_id).text
            assert 0 <= r.char_start < r.char_end <= len(text)


# -- undo and redo -----------------------------------------------------------------


def test_restore_after_a_speaker_change_keeps_the_span(archive: Archive, iid: str):
    [sid] = add(archive, iid, HY)
    archive.redactions.add_span(sid, *span_of(HY, "Արամը"))
    before = archive.redactions.list(iid)
    snap = archive.segments.snapshot([sid])
    archive.segments.set_speaker(sid, "Անահիտ")
    archive.segments.restore([sid], snap)
    assert archive.redactions.list(iid) == before
    assert shown(archive, iid, sid) == f"Երեկ {MARKER} հաց բերեց"


def test_undo_redo_of_a_text_edit_round_trips_the_span_exactly(archive: Archive, iid: str):
    [sid] = add(archive, iid, HY)
    archive.redactions.add_span(sid, 0, 4)  # the brief's repro: a span, then an edit
    archive.redactions.add_span(sid, *span_of(HY, "Արամը"))
    original = archive.redactions.list(iid)
    snap = archive.segments.snapshot([sid])
    after = archive.segments.set_text(sid, "Շատ " + HY)
    edited = archive.redactions.list(iid)
    assert shown(archive, iid, sid) == f"Շատ {MARKER} {MARKER} հաց բերեց"
    for _ in range(3):
        archive.segments.restore([sid], snap)  # undo
        assert archive.redactions.list(iid) == original
        assert shown(archive, iid, sid) == f"{MARKER} {MARKER} հաց բերեց"
        archive.segments.restore([sid], [after])  # redo
        assert archive.redactions.list(iid) == edited
        assert "Արամ" not in shown(archive, iid, sid)


def test_undo_brings_back_a_span_whose_words_were_deleted(archive: Archive, iid: str):
    [sid] = add(archive, iid, AZ)
    archive.redactions.add_span(sid, *span_of(AZ, "Əli"))
    original = archive.redactions.list(iid)
    snap = archive.segments.snapshot([sid])
    after = archive.segments.set_text(sid, "Dünən çörək gətirdi")
    assert spans(archive, iid) == []  # nothing left to hide
    archive.segments.restore([sid], snap)
    assert archive.redactions.list(iid) == original
    assert shown(archive, iid, sid) == f"Dünən {MARKER} çörək gətirdi"
    archive.segments.restore([sid], [after])
    assert spans(archive, iid) == []


def test_undo_keeps_a_span_added_after_the_edit(archive: Archive, iid: str):
    [sid] = add(archive, iid, HY)
    snap = archive.segments.snapshot([sid])
    new_text = "Շատ " + HY
    archive.segments.set_text(sid, new_text)
    archive.redactions.add_span(sid, *span_of(new_text, "Արամը"))
    archive.segments.restore([sid], snap)  # nothing remembered for this: remapped
    assert shown(archive, iid, sid) == f"Երեկ {MARKER} հաց բերեց"
    assert_valid(archive, iid)


# -- merge and split -----------------------------------------------------------------


def test_merge_moves_the_second_segments_redactions(archive: Archive, iid: str):
    a, b = add(archive, iid, HY, AZ)
    archive.redactions.add_span(b, *span_of(AZ, "Əli"))
    archive.redactions.add_text(iid, "gətirdi", segment_id=b)
    original = archive.redactions.list(iid)
    snap = archive.segments.snapshot([a, b])
    merged = archive.segments.merge(a, b)
    assert {r.segment_id for r in archive.redactions.list(iid)} == {a}
    assert spans(archive, iid) == [(a, *span_of(merged.text, "Əli"))]
    assert shown(archive, iid, a) == f"{HY} Dünən {MARKER} çörək {MARKER}"
    archive.segments.restore([a], snap)  # undo
    assert archive.redactions.list(iid) == original
    assert shown(archive, iid, b) == f"Dünən {MARKER} çörək {MARKER}"
    archive.segments.restore([a, b], [merged])  # redo
    assert shown(archive, iid, a) == f"{HY} Dünən {MARKER} çörək {MARKER}"


def test_merge_undo_without_memory_still_hides_the_word(archive: Archive, iid: str):
    a, b = add(archive, iid, HY, AZ)
    snap = archive.segments.snapshot([a, b])
    merged = archive.segments.merge(a, b)
    archive.redactions.add_span(a, *span_of(merged.text, "Əli"))  # after the merge
    archive.redactions.add_span(a, *span_of(merged.text, "Արամը"))
    archive.segments.restore([a], snap)
    assert shown(archive, iid, a) == f"Երեկ {MARKER} հաց բերեց"
    assert shown(archive, iid, b) == f"Dünən {MARKER} çörək gətirdi"
    assert_valid(archive, iid)


def test_split_moves_a_span_after_the_cut_to_the_new_segment(archive: Archive, iid: str):
    [sid] = add(archive, iid, AZ)
    original = archive.redactions.add_span(sid, *span_of(AZ, "gətirdi"))
    snap = archive.segments.snapshot([sid])
    first, second = archive.segments.split(sid, AZ.index("çörək") - 1)  # at the space
    assert (first.text, second.text) == ("Dünən Əli", "çörək gətirdi")
    assert spans(archive, iid) == [(second.id, *span_of(second.text, "gətirdi"))]
    assert archive.redactions.get(original.id).segment_id == second.id
    assert shown(archive, iid, first.id) == "Dünən Əli"
    assert shown(archive, iid, second.id) == f"çörək {MARKER}"
    archive.segments.restore([first.id, second.id], snap)  # undo
    assert archive.redactions.list(iid) == [original]
    archive.segments.restore([sid], [first, second])  # redo
    assert shown(archive, iid, second.id) == f"çörək {MARKER}"


def test_split_through_a_span_redacts_both_parts(archive: Archive, iid: str):
    [sid] = add(archive, iid, HY)
    original = archive.redactions.add_span(sid, *span_of(HY, "Արամը հաց"))
    snap = archive.segments.snapshot([sid])
    first, second = archive.segments.split(sid, HY.index("հաց"))
    assert (first.text, second.text) == ("Երեկ Արամը", "հաց բերեց")
    assert shown(archive, iid, first.id) == f"Երեկ {MARKER}"
    assert shown(archive, iid, second.id) == f"{MARKER} բերեց"
    assert_valid(archive, iid)
    archive.segments.restore([first.id, second.id], snap)  # undo: one span again
    assert archive.redactions.list(iid) == [original]


def test_split_inside_the_redacted_word(archive: Archive, iid: str):
    [sid] = add(archive, iid, HY)
    archive.redactions.add_span(sid, *span_of(HY, "Արամը"))
    first, second = archive.segments.split(sid, HY.index("Արամը") + 2)
    assert (first.text, second.text) == ("Երեկ Ար", "ամը հաց բերեց")
    assert shown(archive, iid, first.id) == f"Երեկ {MARKER}"
    assert shown(archive, iid, second.id) == f"{MARKER} հաց բերեց"


def test_split_copies_a_word_redacted_in_the_segment(archive: Archive, iid: str):
    [sid] = add(archive, iid, "Əli dedi ki, Əlinin qardaşı gəldi")
    original = archive.redactions.add_text(iid, "Əli", segment_id=sid)
    snap = archive.segments.snapshot([sid])
    first, second = archive.segments.split(sid, 12)
    assert sorted(r.segment_id for r in archive.redactions.list(iid)) == [first.id, second.id]
    assert shown(archive, iid, first.id) == f"{MARKER} dedi ki,"
    assert shown(archive, iid, second.id) == f"{MARKER} qardaşı gəldi"
    archive.segments.restore([first.id, second.id], snap)  # undo: the copy goes
    assert archive.redactions.list(iid) == [original]


# -- text changes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word", "new_text", "expected"),
    [
        (HY, "Արամը", "Շատ " + HY, f"Շատ Երեկ {MARKER} հաց բերեց"),  # before
        (HY, "Արամը", "Երեկ Արամը տաք հաց բերեց", f"Երեկ {MARKER} տաք հաց բերեց"),  # after
        (HY, "Արամը", "Երեկ Արամիկը հաց բերեց", f"Երեկ {MARKER} հաց բերեց"),  # inside
        (HY, "Արամը", "Երեկ Արամը", f"Երեկ {MARKER}"),  # text after it deleted
        (AZ, "Əli", "Sabah Dünən Əli çörək gətirdi", f"Sabah Dünən {MARKER} çörək gətirdi"),
        (AZ, "Əli", "Dünən Əlinin çörək gətirdi", f"Dünən {MARKER} çörək gətirdi"),  # suffix
        (AZ, "Əli", "Dünən Ali çörək gətirdi", f"Dünən {MARKER} çörək gətirdi"),  # replaced
        (AZ, "Əli", "Dünən Əli bizə çörək gətirdi", f"Dünən {MARKER} bizə çörək gətirdi"),
    ],
)
def test_set_text_moves_the_span_with_its_word(
    archive: Archive, iid: str, text: str, word: str, new_text: str, expected: str
):
    [sid] = add(archive, iid, text)
    archive.redactions.add_span(sid, *span_of(text, word))
    archive.segments.set_text(sid, new_text)
    assert shown(archive, iid, sid) == expected
    assert word not in shown(archive, iid, sid)
    assert_valid(archive, iid)


def test_replace_text_moves_and_covers_spans(archive: Archive, iid: str):
    a, b = add(archive, iid, HY, AZ)
    archive.redactions.add_span(a, *span_of(HY, "Արամը"))
    archive.redactions.add_span(b, *span_of(AZ, "Əli"))
    original = archive.redactions.list(iid)
    before = archive.segments.snapshot([a, b])
    changed = archive.segments.replace_text(iid, "Երեկ", "Անցյալ շաբաթ")
    assert changed == [a]
    assert shown(archive, iid, a) == f"Անցյալ շաբաթ {MARKER} հաց բերեց"
    changed = archive.segments.replace_text(iid, "Əli", "Vəli")  # the redacted word itself
    assert changed == [b]
    assert shown(archive, iid, b) == f"Dünən {MARKER} çörək gətirdi"
    assert_valid(archive, iid)
    archive.segments.restore([a], before[:1])  # undo the first replace
    archive.segments.restore([b], before[1:])  # and the second
    assert archive.redactions.list(iid) == original


# -- re-runs and attached transcripts -----------------------------------------------


def test_a_redacted_machine_segment_survives_a_rerun(archive: Archive, iid: str):
    a, b = add(archive, iid, HY, AZ)
    span = archive.redactions.add_span(a, *span_of(HY, "Արամը"))
    word = archive.redactions.add_text(iid, "Əli", segment_id=b)
    assert archive.segments.get(a).edited and archive.segments.get(b).edited
    assert archive.segments.clear_machine(iid) == 2
    assert archive.redactions.list(iid) == [span, word]
    assert shown(archive, iid, a) == f"Երեկ {MARKER} հաց բերեց"


def test_a_rerun_keeps_an_unedited_segment_with_an_older_redaction(archive: Archive, iid: str):
    [sid] = add(archive, iid, AZ)
    archive.redactions.add_span(sid, *span_of(AZ, "Əli"))
    archive.db.execute("UPDATE segments SET edited = 0 WHERE id = ?", [sid])  # as before
    assert archive.segments.clear_machine(iid) == 1
    assert shown(archive, iid, sid) == f"Dünən {MARKER} çörək gətirdi"


def test_attaching_a_new_transcript_keeps_redacted_words(archive: Archive, iid: str):
    a, b = add(archive, iid, HY, AZ)
    archive.redactions.add_span(a, *span_of(HY, "Արամը"))
    archive.redactions.add_text(iid, "Əli", segment_id=b)
    srt = (
        "1\n00:00:00,000 --> 00:00:04,000\nԵրեկ Արամը հաց բերեց\n\n"
        "2\n00:00:04,000 --> 00:00:08,000\nDünən Əli çörək gətirdi\n"
    )
    assert archive.segments.attach(iid, srt.encode(), "t.srt", replace=True) == 2
    new = archive.segments.list(iid)
    texts = [shown(archive, iid, s.id) for s in new]
    assert not any("Արամ" in t or "Əli" in t for t in texts)


# -- the rule itself -----------------------------------------------------------------


def test_remap_spans_always_gives_valid_spans():
    rng = random.Random(7)
    alphabet = "Արամը Əli çörək "
    for _ in range(400):
        old = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        new = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        wanted = [tuple(sorted(rng.sample(range(len(old) + 1), 2))) for _ in range(3)]
        wanted = [(s, e) for s, e in wanted if s < e]
        for span in remap_spans(old, new, wanted):
            assert span is None or 0 <= span[0] < span[1] <= len(new)


def test_a_span_and_its_edits_leave_no_content_in_the_audit(archive: Archive, iid: str):
    [sid] = add(archive, iid, HY)
    archive.redactions.add_span(sid, *span_of(HY, "Արամը"))
    archive.segments.set_text(sid, "Շատ " + HY)
    archive.segments.split(sid, 4)
    rows = [tuple(r.values()) for r in archive.db.query("SELECT * FROM audit")]
    assert not any("Արամ" in str(v) or "Շատ" in str(v) for row in rows for v in row)
    assert all(isinstance(r, Redaction) for r in archive.redactions.list(iid))
