"""A person's corrections through the archive API: speakers, split, merge, replace, undo."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from archive import Archive, InvalidInputError, NewSegment, NotFoundError, Segment, Word
from archive.segments import find_spans, word_spans

from .conftest import FIXTURES


def words_for(text: str, start: float, end: float, low: set[str] = frozenset()) -> tuple[Word, ...]:
    """Whisper-like words (leading space) spread evenly over [start, end]."""
    tokens = text.split()
    step = (end - start) / len(tokens)
    return tuple(
        Word(
            round(start + i * step, 3),
            round(start + (i + 1) * step, 3),
            " " + t,
            0.3 if t in low else 0.9,
        )
        for i, t in enumerate(tokens)
    )


@pytest.fixture
def interview_id(archive: Archive) -> str:
    return archive.import_file(FIXTURES / "speech_en.wav").id


@pytest.fixture
def ids(archive: Archive, interview_id: str) -> list[int]:
    texts = [
        (0.0, 4.0, "Our neighbours in Baku were Armenians", "en"),
        (4.0, 8.0, "Մեր հարևանները ադրբեջանցիներ էին", "hy"),
        (8.0, 12.0, "Мы жили на одной улице", "ru"),
        (12.0, 16.0, "Qonşularımız çox yaxşı insanlar idi", "az"),
    ]
    return archive.segments.add(
        interview_id,
        [
            NewSegment(s, e, t, confidence=-0.3, words=words_for(t, s, e), language=lang)
            for s, e, t, lang in texts
        ],
    )


def everything(archive: Archive, interview_id: str) -> list[Segment]:
    return archive.segments.list(interview_id)


def found(archive: Archive, word: str) -> set[int]:
    return {hit.segment_id for hit in archive.search(word)}


# -- speakers -------------------------------------------------------------------


def test_speakers_in_order_of_first_appearance(archive: Archive, interview_id: str, ids):
    assert archive.segments.speakers(interview_id) == []
    archive.segments.set_speaker(ids[2], "Narrator")
    archive.segments.set_speaker(ids[0], "  Interviewer ")
    archive.segments.set_speaker(ids[3], "Narrator")
    assert archive.segments.speakers(interview_id) == ["Interviewer", "Narrator"]


def test_set_speaker_cleans_clears_and_marks_edited(archive: Archive, ids):
    seg = archive.segments.set_speaker(ids[0], " Անահիտ ")
    assert (seg.speaker, seg.edited, seg.text) == ("Անահիտ", True, seg.machine_text)
    assert archive.segments.set_speaker(ids[0], None).speaker is None
    assert archive.segments.set_speaker(ids[0], "   ").speaker is None
    with pytest.raises(NotFoundError):
        archive.segments.set_speaker(999_999, "x")


def test_rename_speaker_everywhere_in_one_interview(archive: Archive, interview_id: str, ids):
    other = archive.import_file(FIXTURES / "speech_en.wav").id
    (other_seg,) = archive.segments.add(other, [NewSegment(0, 1, "x", speaker="Speaker 1")])
    for i in ids[:3]:
        archive.segments.set_speaker(i, "Speaker 1")
    archive.segments.set_speaker(ids[3], "Speaker 2")
    assert archive.segments.rename_speaker(interview_id, "Speaker 1", "Leyla") == 3
    assert [s.speaker for s in everything(archive, interview_id)] == [
        "Leyla", "Leyla", "Leyla", "Speaker 2",
    ]  # fmt: skip
    assert archive.segments.get(other_seg).speaker == "Speaker 1"
    assert archive.segments.rename_speaker(interview_id, "Nobody", "Leyla") == 0
    assert archive.segments.rename_speaker(interview_id, "Leyla", "Leyla") == 0
    with pytest.raises(InvalidInputError, match="empty"):
        archive.segments.rename_speaker(interview_id, "Leyla", "  ")


# -- split ----------------------------------------------------------------------


def test_split_takes_the_time_from_the_words(archive: Archive, interview_id: str, ids):
    before = archive.segments.get(ids[0])
    offset = before.text.index("in Baku")
    first, second = archive.segments.split(ids[0], offset, at_time=1.0)  # words win
    assert first.id == ids[0] and second.id not in ids
    assert (first.text, second.text) == ("Our neighbours", "in Baku were Armenians")
    assert (first.machine_text, second.machine_text) == (first.text, second.text)
    assert [w["word"] for w in first.words] == [" Our", " neighbours"]
    assert [w["word"] for w in second.words] == [" in", " Baku", " were", " Armenians"]
    assert first.end == second.start == before.words[2]["start"] == pytest.approx(4 / 3, abs=1e-3)
    assert (first.start, second.end) == (before.start, before.end)
    for part in (first, second):
        assert (part.language, part.source, part.edited, part.confidence) == (
            "en", "machine", False, -0.3,
        )  # fmt: skip
    assert [s.id for s in everything(archive, interview_id)][:2] == [first.id, second.id]
    assert found(archive, "Baku") == {second.id}
    assert found(archive, "neighbours") == {first.id}


def test_split_of_corrected_text_keeps_the_machine_text_whole(archive: Archive, ids):
    archive.segments.set_text(ids[0], "Our good neighbours in Baku were Armenians")
    archive.segments.set_speaker(ids[0], "Rashad")
    seg = archive.segments.get(ids[0])
    first, second = archive.segments.split(ids[0], seg.text.index("in Baku"))
    assert (first.text, second.text) == ("Our good neighbours", "in Baku were Armenians")
    assert first.machine_text == "Our neighbours in Baku were Armenians"
    assert second.machine_text is None
    assert first.speaker == second.speaker == "Rashad" and first.edited and second.edited
    # "good" is not the machine's, yet the words still line up with the rest
    assert first.end == pytest.approx(4 / 3, abs=1e-3)
    assert len(first.words) + len(second.words) == 6


def test_split_without_words_uses_the_given_or_a_proportional_time(
    archive: Archive, interview_id: str
):
    a, b = archive.segments.add(
        interview_id,
        [NewSegment(20.0, 30.0, "Երկու մաս ունի"), NewSegment(30.0, 40.0, "ორი ნაწილი")],
        source="human",
    )
    first, second = archive.segments.split(a, 5, at_time=23.5)
    assert (first.text, second.text, first.end, second.start) == (
        "Երկու", "մաս ունի", 23.5, 23.5,
    )  # fmt: skip
    assert first.machine_text is None and second.machine_text is None
    first, second = archive.segments.split(b, 3)  # "ორი" | "ნაწილი": 3 of 10 characters
    assert first.end == second.start == pytest.approx(33.0)
    with pytest.raises(InvalidInputError, match="inside the segment"):
        archive.segments.split(second.id, 2, at_time=10.0)


@pytest.mark.parametrize("offset", [0, -1, 37, 100, 14.5, True])
def test_split_refuses_an_offset_outside_the_text(archive: Archive, ids, offset):
    before = archive.segments.get(ids[0])
    with pytest.raises(InvalidInputError):
        archive.segments.split(ids[0], offset)
    assert archive.segments.get(ids[0]) == before


def test_split_at_a_space_trims_both_parts(archive: Archive, interview_id: str):
    (seg,) = archive.segments.add(interview_id, [NewSegment(20, 21, "a   b")])
    assert [s.text for s in archive.segments.split(seg, 2)] == ["a", "b"]
    with pytest.raises(InvalidInputError, match="words on both sides"):
        archive.segments.split(seg, 1)  # "a" alone is left: its end


# -- merge ----------------------------------------------------------------------


def test_merge_joins_text_words_and_times(archive: Archive, interview_id: str, ids):
    archive.segments.set_speaker(ids[2], "Olga")
    a, b = archive.segments.get(ids[1]), archive.segments.get(ids[2])
    merged = archive.segments.merge(ids[1], ids[2])
    assert merged.id == ids[1]
    assert merged.text == merged.machine_text == f"{a.text} {b.text}"
    assert merged.words == a.words + b.words
    assert (merged.start, merged.end) == (a.start, b.end)
    assert merged.speaker == "Olga"  # the first had none
    assert (merged.language, merged.source) == ("hy", "machine")
    with pytest.raises(NotFoundError):
        archive.segments.get(ids[2])
    assert found(archive, "улице") == {ids[1]}


def test_merge_keeps_the_first_speaker(archive: Archive, ids):
    archive.segments.set_speaker(ids[0], "Interviewer")
    archive.segments.set_speaker(ids[1], "Anahit")
    assert archive.segments.merge(ids[0], ids[1]).speaker == "Interviewer"


def test_merge_refuses_what_is_not_neighbouring(archive: Archive, interview_id: str, ids):
    other = archive.import_file(FIXTURES / "speech_en.wav").id
    (elsewhere,) = archive.segments.add(other, [NewSegment(16, 17, "x")])
    before = everything(archive, interview_id)
    for first, second, message in [
        (ids[0], ids[2], "between"),
        (ids[1], ids[0], "follows"),
        (ids[3], elsewhere, "one interview"),
        (ids[0], ids[0], "different"),
    ]:
        with pytest.raises(InvalidInputError, match=message):
            archive.segments.merge(first, second)
    assert everything(archive, interview_id) == before


# -- replace --------------------------------------------------------------------


def test_replace_text_keeps_the_machine_text(archive: Archive, interview_id: str, ids):
    changed = archive.segments.replace_text(interview_id, "baku", "Bakı")
    assert changed == [ids[0]]
    seg = archive.segments.get(ids[0])
    assert seg.text == "Our neighbours in Bakı were Armenians" and seg.edited
    assert seg.machine_text == "Our neighbours in Baku were Armenians"
    assert found(archive, "Bakı") == {ids[0]}
    assert archive.segments.replace_text(interview_id, "bakı", "X", case_sensitive=True) == []
    assert archive.segments.replace_text(interview_id, "ОДНОЙ", "другой") == [ids[2]]
    assert not archive.segments.get(ids[1]).edited


def test_replace_text_whole_words_and_special_characters(archive: Archive, interview_id: str):
    (seg,) = archive.segments.add(interview_id, [NewSegment(20, 21, "in inside (in) in.")])
    changed = archive.segments.replace_text(interview_id, "in", r"\1 $&", whole_word=True)
    assert changed == [seg]
    assert archive.segments.get(seg).text == r"\1 $& inside (\1 $&) \1 $&."
    with pytest.raises(InvalidInputError, match="find"):
        archive.segments.replace_text(interview_id, "", "x")


def test_find_spans_is_the_rule_replace_uses():
    assert find_spans("Ձի, ձիեր, ՁԻ", "ձի") == [(0, 2), (4, 6), (10, 12)]
    assert find_spans("Ձի, ձիեր, ՁԻ", "ձի", whole_word=True) == [(0, 2), (10, 12)]
    assert find_spans("Ձի, ձիեր, ՁԻ", "ձի", case_sensitive=True) == [(4, 6)]
    assert find_spans("Şəki, şəki", "ŞƏKİ") == [(0, 4), (6, 10)]


# -- snapshot and restore (undo) ------------------------------------------------


def test_restore_undoes_a_split_exactly(archive: Archive, interview_id: str, ids):
    before = everything(archive, interview_id)
    (original,) = archive.segments.snapshot([ids[0]])
    first, second = archive.segments.split(ids[0], 15)
    after = archive.segments.snapshot([first.id, second.id])
    archive.segments.restore([first.id, second.id], [original])
    assert everything(archive, interview_id) == before
    assert found(archive, "Baku") == {ids[0]}
    archive.segments.restore([ids[0]], after)  # redo: the same ids again
    assert archive.segments.snapshot([first.id, second.id]) == after


def test_restore_undoes_a_merge_and_a_replace_exactly(archive: Archive, interview_id: str, ids):
    before = everything(archive, interview_id)
    pair = archive.segments.snapshot(ids[1:3])
    archive.segments.merge(ids[1], ids[2])
    archive.segments.restore([ids[1]], pair)
    assert everything(archive, interview_id) == before
    assert found(archive, "улице") == {ids[2]}

    changed = archive.segments.replace_text(interview_id, "улице", "улица")
    assert found(archive, "улица") == {ids[2]}
    archive.segments.restore(changed, [s for s in before if s.id in changed])
    assert everything(archive, interview_id) == before
    assert found(archive, "улица") == set() and found(archive, "улице") == {ids[2]}


def test_restore_puts_back_removed_rows_with_every_field(archive: Archive, interview_id, ids):
    archive.segments.set_text(ids[3], "Qonşularımız yaxşı insanlar idi")
    archive.segments.set_speaker(ids[3], "Leyla")
    snap = archive.segments.snapshot(ids)
    archive.segments.restore(ids, [])
    assert everything(archive, interview_id) == []
    assert found(archive, "Qonşularımız") == set()
    archive.segments.restore([], snap)
    assert everything(archive, interview_id) == snap
    assert found(archive, "Qonşularımız") == {ids[3]}


def test_restore_refuses_bad_input_and_changes_nothing(archive: Archive, interview_id, ids):
    other = archive.import_file(FIXTURES / "speech_en.wav").id
    (elsewhere,) = archive.segments.add(other, [NewSegment(0, 1, "x")])
    snap = archive.segments.snapshot(ids)
    before = everything(archive, interview_id)
    with pytest.raises(NotFoundError):
        archive.segments.restore([ids[0], 999_999], [])
    with pytest.raises(InvalidInputError, match="one interview"):
        archive.segments.restore([elsewhere], snap[:1])
    with pytest.raises(InvalidInputError, match="twice"):
        archive.segments.restore([], [snap[0], snap[0]])
    with pytest.raises(NotFoundError):
        archive.segments.snapshot([ids[0], 999_999])
    assert everything(archive, interview_id) == before


def test_audit_names_actions_never_words(archive: Archive, interview_id: str, ids):
    archive.segments.set_speaker(ids[0], "Անահիտ")
    archive.segments.rename_speaker(interview_id, "Անահիտ", "Anahit")
    archive.segments.split(ids[0], 15)
    archive.segments.merge(ids[1], ids[2])
    archive.segments.replace_text(interview_id, "Baku", "Bakı")
    archive.segments.restore([], archive.segments.snapshot([ids[3]]))
    entries = archive.audit.entries()
    assert [e.action for e in entries][:6] == [
        "segment.restore", "segment.replace", "segment.merge",
        "segment.split", "segment.rename_speaker", "segment.speaker",
    ]  # fmt: skip
    dump = repr(entries)
    for word in ("Anahit", "Անահիտ", "Baku", "Bakı", "улице", "neighbours"):
        assert word not in dump


# -- lining words up with corrected text ----------------------------------------


def test_word_spans_follow_a_person_s_corrections():
    words = [asdict(w) for w in words_for("Our neighbours in Baku were Armenians", 0, 6)]
    assert word_spans("Our neighbours in Baku were Armenians", words) == [
        (0, 3), (4, 14), (15, 17), (18, 22), (23, 27), (28, 37),
    ]  # fmt: skip
    text = "OUR kind neighbours in Bakı were Armenians."
    spans = word_spans(text, words)
    assert [text[s[0] : s[1]] if s else None for s in spans] == [
        "OUR", "neighbours", "in", None, "were", None,
    ]  # fmt: skip
    # a continuation without a leading space belongs to the word before it
    parts = [{"word": " Sum"}, {"word": "gait"}, {"word": " է"}]
    assert word_spans("Sumgait է", parts) == [(0, 3), (3, 7), (8, 9)]
    assert word_spans("anything", []) == []
