"""Redaction: text spans, words everywhere, time ranges; audio silenced or toned."""

from __future__ import annotations

import numpy as np
import pytest

from archive.records import InterviewMetadata, NewSegment, Segment, Word
from archive.redaction import (
    MARKER,
    TONE_HZ,
    Redaction,
    pydub_segment_class,
    redact_audio,
    redact_segment,
    redact_text,
    redacted_spans,
    time_ranges,
)
from archive.synthetic import create_interview_without_media
from archive.util import InvalidInputError


def segment(text: str, start=0.0, end=4.0, words=(), edited=False, sid=1, **kw) -> Segment:
    return Segment(
        id=sid,
        interview_id="i",
        start=start,
        end=end,
        text=text,
        words=tuple(words),
        edited=edited,
        **kw,
    )


def timed_words(text: str, start: float, end: float) -> list[dict]:
    tokens = text.split()
    step = (end - start) / len(tokens)
    return [
        {"start": start + i * step, "end": start + (i + 1) * step, "word": " " + t}
        for i, t in enumerate(tokens)
    ]


def test_words_are_redacted_with_their_suffixes_in_every_script():
    text = "Əlinin qardaşı İlham gəldi; ALİ də. Աշոտը եկավ, Ашотом звали. Malik stays."
    out = redact_text(text, ["Əli", "ilham", "Աշոտ", "Ашот", "Ali"])
    m = MARKER
    assert out == f"{m} qardaşı {m} gəldi; {m} də. {m} եկավ, {m} звали. Malik stays."
    # Greedy by design: a name swallows the word it starts ("Ali" takes "Alice" too),
    # but never matches inside a word ("Malik").
    assert redact_text("Alice", ["Ali"]) == m


def test_multiword_names_and_markup_characters():
    out = redact_text("Ask Ashot   Grigoryan <now> & later", ["Ashot Grigoryan"])
    assert out == f"Ask {MARKER} <now> & later"
    assert redact_text("nothing here", ["absent"]) == "nothing here"
    assert redact_text(None, ["x"]) is None


def test_time_range_redacts_only_the_words_inside():
    text = "one two three four"
    seg = segment(text, 0.0, 4.0, timed_words(text, 0.0, 4.0))
    r = Redaction(id=1, interview_id="i", start=1.0, end=2.0)
    line, changed = redact_segment(seg, [r])
    assert changed and line.text == f"one {MARKER} three four"


def test_time_range_over_edited_text_redacts_the_whole_segment():
    text = "one two three four"
    seg = segment(text, 0.0, 4.0, timed_words(text, 0.0, 4.0), edited=True, translation="x y")
    line, _ = redact_segment(seg, [Redaction(id=1, interview_id="i", start=1.2, end=1.5)])
    assert line.text == MARKER and line.translation == MARKER


def test_span_text_and_speaker():
    seg = segment("My name is Lusine, I live here", speaker="Lusine", sid=7)
    span = Redaction(id=1, interview_id="i", segment_id=7, char_start=19, char_end=30)
    word = Redaction(id=2, interview_id="i", text="Lusine")
    line, changed = redact_segment(seg, [span, word])
    assert changed
    assert line.text == f"My name is {MARKER}, {MARKER}"
    assert line.speaker == MARKER
    # A span of another segment and a word limited to another segment do nothing.
    other = [
        Redaction(id=3, interview_id="i", segment_id=8, char_start=0, char_end=5),
        Redaction(id=4, interview_id="i", segment_id=8, text="name"),
    ]
    assert redact_segment(seg, other) == (line_from(seg), False)


def line_from(seg: Segment):
    from archive.redaction import Line

    return Line(seg.start, seg.end, seg.text, seg.speaker, seg.translation, seg.language)


def test_redacted_spans_match_what_exports_replace():
    text = "Lusine met Ashot in Ganja"
    seg = segment(text, 0.0, 5.0, timed_words(text, 0.0, 5.0), sid=3)
    rs = [
        Redaction(id=1, interview_id="i", text="Lusine"),
        Redaction(id=2, interview_id="i", start=2.0, end=3.0),  # "Ashot"
    ]
    spans = redacted_spans(seg, rs, extra_terms=["Ganja"])
    assert [text[a:b] for a, b in spans] == ["Lusine", "Ashot", "Ganja"]
    line, _ = redact_segment(seg, rs, extra_terms=["Ganja"])
    assert line.text == f"{MARKER} met {MARKER} in {MARKER}"


def test_time_ranges_merge():
    rs = [
        Redaction(id=1, interview_id="i", start=5.0, end=6.0),
        Redaction(id=2, interview_id="i", start=1.0, end=2.0),
        Redaction(id=3, interview_id="i", start=1.5, end=3.0),
        Redaction(id=4, interview_id="i", text="x"),
    ]
    assert time_ranges(rs) == [(1.0, 3.0), (5.0, 6.0)]


def _noise(seconds: float, rate: int, channels: int):
    AudioSegment = pydub_segment_class()
    rng = np.random.default_rng(1)
    samples = (rng.standard_normal((int(seconds * rate), channels)) * 6000).astype(np.int16)
    return AudioSegment(samples.tobytes(), sample_width=2, frame_rate=rate, channels=channels)


def _samples(audio) -> np.ndarray:
    return np.frombuffer(audio.raw_data, dtype=np.int16).reshape(-1, audio.channels)


@pytest.mark.parametrize("channels", [1, 2])
def test_audio_silence_covers_exactly_the_range(channels):
    rate = 16000
    audio = _noise(3.0, rate, channels)
    out = _samples(redact_audio(audio, [(11.0, 12.0)], offset=10.0, mode="silence"))
    before = _samples(audio)
    assert out.shape == before.shape
    assert not out[rate : 2 * rate].any()  # exactly samples 16000..31999
    assert np.array_equal(out[:rate], before[:rate])
    assert np.array_equal(out[2 * rate :], before[2 * rate :])


def test_audio_tone_is_a_1khz_bleep_over_the_range():
    rate = 48000
    audio = _noise(2.0, rate, 1)
    out = _samples(redact_audio(audio, [(0.5, 1.5)], mode="tone"))[:, 0].astype(float)
    bleep = out[int(0.5 * rate) : int(1.5 * rate)]
    spectrum = np.abs(np.fft.rfft(bleep))
    peak = np.fft.rfftfreq(len(bleep), 1 / rate)[spectrum.argmax()]
    assert abs(peak - TONE_HZ) < 2
    assert np.array_equal(out[: int(0.5 * rate)], _samples(audio)[: int(0.5 * rate), 0])
    with pytest.raises(InvalidInputError):
        redact_audio(audio, [], mode="beep")


def test_store_add_list_delete(archive):
    interview = create_interview_without_media(archive, InterviewMetadata(title="t"), duration=30)
    (sid,) = archive.segments.add(
        interview.id, [NewSegment(0, 4, "Lusine lives in Ganja", words=(Word(0, 1, "Lusine"),))]
    )
    a = archive.redactions.add_range(interview.id, 2.0, 3.5, reason="a neighbour's name")
    b = archive.redactions.add_text(interview.id, " Lusine ")
    c = archive.redactions.add_span(sid, 16, 21)
    assert {r.kind for r in archive.redactions.list(interview.id)} == {"time", "text", "span"}
    assert b.text == "Lusine" and a.reason == "a neighbour's name" and c.char_end == 21
    assert a.created_by == archive.audit.actor
    with pytest.raises(InvalidInputError):
        archive.redactions.add_range(interview.id, 5, 4)
    with pytest.raises(InvalidInputError):
        archive.redactions.add_range(interview.id, 31, 40)  # after the recording ends
    with pytest.raises(InvalidInputError):
        archive.redactions.add_span(sid, 10, 99)
    with pytest.raises(InvalidInputError):
        archive.redactions.add_text(interview.id, "   ")
    archive.redactions.delete(b.id)
    assert {r.id for r in archive.redactions.list(interview.id)} == {a.id, c.id}
    assert archive.redactions.restore(b) == b  # undo puts it back as it was, id and all
    archive.redactions.delete(b.id)
    # The segment itself is never changed.
    assert archive.segments.get(sid).text == "Lusine lives in Ganja"
    assert not any("Lusine" in str(e) for e in archive.audit.entries())
