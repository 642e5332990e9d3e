"""Exported sound: exact cuts, redaction over exactly the redacted ranges, the anthology.

The reference is the fixture recording itself, decoded and resampled here
independently of the exporter.  espeak's speech has pauses, so comparisons "just
outside" a range use the loudest window near its edge.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from archive.export import (
    AnthologySpec,
    ExportCancelledError,
    ExportError,
    build_corpus,
    export,
)
from archive.export.audio_anthology import chapter_title, plan
from archive.export.audio_source import RATE, sample_count, sample_index
from archive.records import InterviewMetadata
from archive.redaction import TONE_HZ, TONE_LEVEL
from archive.synthetic import create_interview_without_media
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.export_fixtures import FIXTURES, ExportArchive, build_export_archive

TONE_RMS = TONE_LEVEL * 32767 / np.sqrt(2)
EDGE = 0.03  # seconds kept away from a range's edges when measuring inside or outside
WINDOW = 0.05


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ExportArchive]:
    """The export archive, plus a clip of the Armenian interview that starts at 0.5 s
    and holds its whole redacted range (1.2–2.4 s): 0.7–1.9 s in clip time."""
    from archive import Archive

    base = tmp_path_factory.mktemp("export-archive")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SIDEBYSIDE_CONFIG_DIR", str(base / "config"))
        patch.setenv("SIDEBYSIDE_DATA_DIR", str(base / "data"))
        archive = Archive.create(base / "archive", PASSPHRASE, kdf=FAST_KDF)
        built = build_export_archive(archive)
        hy = built.ids["open_pseudonym"]
        built.clips["mid"] = archive.clips.create(hy, 0.5, 3.5, themes=["food"]).id
    yield built
    archive.close()


@pytest.fixture(scope="module")
def source() -> np.ndarray:
    """speech_hy.wav at 48 kHz mono s16, decoded from the file here, from its start."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
    blocks = []
    with av.open(str(FIXTURES / "speech_hy.wav")) as container:
        for frame in container.decode(audio=0):
            blocks += [o.to_ndarray()[0] for o in resampler.resample(frame)]
    blocks += [o.to_ndarray()[0] for o in resampler.resample(None)]
    return np.concatenate(blocks).astype(np.float64)


def rms(samples: np.ndarray, start: float, end: float) -> float:
    window = samples[sample_index(start) : sample_index(end)]
    return float(np.sqrt(np.mean(np.square(window.astype(np.float64)))))


def loudest_window(samples: np.ndarray, start: float, end: float) -> tuple[float, float]:
    """The loudest WINDOW-long stretch in ``[start, end]`` (10 ms steps)."""
    candidates = np.arange(start, end - WINDOW + 1e-9, 0.01)
    best = max(candidates, key=lambda a: rms(samples, a, a + WINDOW))
    return float(best), float(best) + WINDOW


def dominant_hz(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / RATE)[np.argmax(spectrum)])


def as_array(segment) -> np.ndarray:  # type: ignore[no-untyped-def]
    assert segment.frame_rate == RATE and segment.sample_width == 2 and segment.channels == 1
    return np.frombuffer(segment.raw_data, dtype=np.int16).astype(np.float64)


def decode(path: Path) -> tuple[np.ndarray, list[dict]]:
    """An encoded file as s16 samples (decoders give float for Opus and MP3)."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
    blocks = []
    with av.open(str(path)) as container:
        chapters = container.chapters()
        assert container.streams.audio[0].sample_rate == RATE
        for frame in container.decode(audio=0):
            blocks += [o.to_ndarray()[0] for o in resampler.resample(frame)]
    blocks += [o.to_ndarray()[0] for o in resampler.resample(None)]
    return np.concatenate(blocks).astype(np.float64), chapters


def check_redaction(
    audio: np.ndarray,
    reference: np.ndarray,
    audio_range: tuple[float, float],
    reference_range: tuple[float, float],
    mode: str,
    *,
    outside_tolerance: float,
    silence_floor: float,
    before: bool = True,
) -> None:
    """Inside the range: silence or the tone; just outside: the source's own level
    (not checked just before it when ``before`` is False: another redaction is there)."""
    a, b = audio_range
    ra, rb = reference_range
    inside = audio[sample_index(a + EDGE) : sample_index(b - EDGE)]
    level = float(np.sqrt(np.mean(inside**2)))
    if mode == "silence":
        assert level <= silence_floor
    else:
        assert abs(level - TONE_RMS) < 0.2 * TONE_RMS
        assert abs(dominant_hz(inside) - TONE_HZ) < 15
    for near_audio, near_reference in (
        *([((a - 0.3, a - EDGE), (ra - 0.3, ra - EDGE))] if before else []),
        ((b + EDGE, b + 0.3), (rb + EDGE, rb + 0.3)),
    ):
        w0, w1 = loudest_window(reference, *near_reference)
        expected = rms(reference, w0, w1)
        assert expected > 1000  # really speech there
        shift = near_audio[0] - near_reference[0]
        got = rms(audio, w0 + shift, w1 + shift)
        assert abs(got - expected) < outside_tolerance * expected, (got, expected)


# -- ExcerptAudio: lossless, exact ---------------------------------------------------


@pytest.mark.parametrize("unit", ["interviews", "clips"])
def test_excerpt_audio_is_cut_and_redacted_to_the_sample(shared, source, unit):
    hy = shared.ids["open_pseudonym"]
    start, end = shared.redacted_range
    corpora = {
        mode: build_corpus(
            shared.archive,
            AnthologySpec(unit=unit, redaction_sound=mode),
            "publication",
            with_audio=True,
        )
        for mode in ("silence", "tone")
    }
    key = f"{hy}-full" if unit == "interviews" else f"{hy}-c{shared.clips['mid']}"
    out = {}
    for mode, corpus in corpora.items():
        excerpt = next(e for e in corpus.excerpts if e.key == key)
        out[mode] = as_array(corpus.audio.excerpt(excerpt))
        assert len(out[mode]) == sample_count(excerpt.start, excerpt.end)
    # The redacted range, and where the redacted names are *said* (by word times):
    # "Vardanyanները" at 0.8-1.2 s (joining the range) and "Ashot Grigoryan" at
    # 2.88-3.36 s (the narrator asked for a pseudonym).
    expected = [(max(0.8, excerpt.start), end), (2.88, min(3.36, excerpt.end))]
    flat = [t for pair in excerpt.redacted_ranges for t in pair]
    assert flat == pytest.approx([t for pair in expected for t in pair])
    assert start >= expected[0][0] and end <= expected[0][1]
    offset = sample_index(excerpt.start)
    inside = np.zeros(len(out["silence"]), dtype=bool)
    for a, b in excerpt.redacted_ranges:
        first, last = sample_index(a) - offset, sample_index(b) - offset
        inside[first:last] = True
        assert not out["silence"][first:last].any()
        t = np.arange(first, last) / RATE  # the tone's phase starts at the excerpt's start
        tone = (np.sin(2 * np.pi * TONE_HZ * t) * TONE_LEVEL * 32767).astype(np.int16)
        assert np.array_equal(out["tone"][first:last], tone)

    # The two modes differ only inside the ranges: everything else is the recording,
    # cut exactly at the excerpt's start.
    differs = np.flatnonzero(out["silence"] != out["tone"])
    assert inside[differs].all()
    reference = source[offset : offset + len(out["silence"])]
    keep = ~inside
    error = np.sqrt(np.mean((out["silence"][keep] - reference[keep]) ** 2))
    assert error < 0.001 * np.sqrt(np.mean(reference[keep] ** 2))
    for mode in ("silence", "tone"):
        check_redaction(
            out[mode],
            source,
            (start - excerpt.start, end - excerpt.start),
            (start, end),
            mode,
            outside_tolerance=0.05,
            silence_floor=0.0,
            before=False,  # just before the range, the redacted name is said
        )


def test_excerpt_audio_seeks_and_joins_pieces_exactly(shared, source):
    """A clip far into the recording (decoding seeks) and a stretch cut into many
    pieces (redacted one by one) come out exactly as if made in one go."""
    corpus = build_corpus(
        shared.archive, AnthologySpec(redaction_sound="tone"), "publication", with_audio=True
    )
    hy = shared.ids["open_pseudonym"]
    food = next(e for e in corpus.excerpts if e.clip_id == shared.clips["open_pseudonym_food"])
    audio = as_array(corpus.audio.excerpt(food))
    offset = sample_index(food.start)
    reference = source[offset : offset + len(audio)]
    assert len(audio) == sample_count(2.4, 4.9)
    keep = np.ones(len(audio), dtype=bool)
    assert food.redacted_ranges  # the narrator's real name is said in it
    for a, b in food.redacted_ranges:
        keep[sample_index(a) - offset : sample_index(b) - offset] = False
    error = np.sqrt(np.mean((audio[keep] - reference[keep]) ** 2))
    assert error < 0.001 * np.sqrt(np.mean(reference[keep] ** 2))  # on the same clock

    whole = as_array(corpus.audio.segment(hy, 0.0, 4.0))
    pieces = list(corpus.audio.pieces(hy, 0.0, 4.0, piece_seconds=0.25))
    assert len(pieces) == 16
    assert np.array_equal(np.concatenate([as_array(p) for p in pieces]), whole)


def test_excerpt_audio_gives_out_only_cleared_sound(shared):
    corpus = build_corpus(
        shared.archive, AnthologySpec(redaction_sound="silence"), "publication", with_audio=True
    )
    hy, en = shared.ids["open_pseudonym"], shared.ids["open_real"]
    # Ranges the corpus knows are applied even when the caller passes none.
    audio = as_array(corpus.audio.segment(hy, 0.0, 4.0))
    start, end = shared.redacted_range
    assert not audio[sample_index(start) : sample_index(end)].any()
    with pytest.raises(ExportError, match="not cleared"):
        corpus.audio.segment(en, 5.0, 7.0)  # outside its only clip (0–4 s)
    with pytest.raises(ExportError, match="not part of this export"):
        corpus.audio.segment(shared.ids["closed"], 0.0, 2.0)
    with pytest.raises(ExportError, match="not cleared"):
        corpus.audio.whole_interview(corpus.interview(en))


def test_an_interview_without_a_recording_is_a_clear_error(archive):
    interview = create_interview_without_media(
        archive, InterviewMetadata(title="Notes only", narrator="Someone"), duration=10.0
    )
    archive.consent.set(interview.id, level="open", publish=True)
    archive.clips.create(interview.id, 0.0, 5.0, themes=["food"])
    corpus = build_corpus(archive, AnthologySpec(), "publication", with_audio=True)
    with pytest.raises(ExportError, match="no original recording"):
        corpus.audio.excerpt(corpus.excerpts[0])
    with pytest.raises(ExportError, match="no original recording"):
        export(archive, AnthologySpec(), "audio", archive.paths.root.parent / "a.ogg")
    assert not (archive.paths.root.parent / "a.ogg").exists()


# -- the anthology: encoded, lossy -----------------------------------------------------


@pytest.mark.parametrize("mode", ["silence", "tone"])
def test_the_anthology_has_every_excerpt_chapters_and_redacted_sound(
    shared, source, tmp_path, mode
):
    spec = AnthologySpec(title="Side by Side", redaction_sound=mode, pause_seconds=1.0)
    out = tmp_path / "anthology.ogg"
    export(shared.archive, spec, "audio", out)
    corpus = build_corpus(shared.archive, spec, "publication")
    parts = plan(corpus)
    expected = sum(frames for _, _, frames in parts) + sample_index(1.0) * (len(parts) - 1)
    audio, chapters = decode(out)
    assert abs(len(audio) - expected) / RATE < 0.05
    assert (
        abs(len(audio) / RATE - (sum(e.duration for e in corpus.excerpts) + len(parts) - 1)) < 0.05
    )

    assert [c["metadata"]["title"] for c in chapters] == [chapter_title(e) for e, _, _ in parts]
    for chapter, (_, first, _) in zip(chapters, parts, strict=True):
        at = chapter["start"] * Fraction(chapter["time_base"])
        assert abs(float(at) - first / RATE) < 0.05

    start, end = shared.redacted_range
    redacted = [
        (e, first)
        for e, first, _ in parts
        if any(a <= start and end <= b for a, b in e.redacted_ranges)
    ]
    assert len(redacted) == 2  # the 0–4 s clip and the 0.5–3.5 s clip
    for excerpt, first in redacted:
        at = first / RATE - excerpt.start  # anthology time of interview time 0
        check_redaction(
            audio,
            source,
            (at + start, at + end),
            (start, end),
            mode,
            outside_tolerance=0.35,
            silence_floor=0.02 * TONE_RMS,
            before=False,  # just before the range, the redacted name is said
        )


def test_the_anthology_as_mp3(shared, tmp_path):
    spec = AnthologySpec(title="Side by Side")
    out = tmp_path / "anthology.mp3"
    export(shared.archive, spec, "audio", out)  # the .mp3 name picks MP3
    with av.open(str(out)) as container:
        assert container.format.name == "mp3"
    audio, chapters = decode(out)
    corpus = build_corpus(shared.archive, spec, "publication")
    expected = sum(e.duration for e in corpus.excerpts) + 1.5 * (len(corpus.excerpts) - 1)
    assert abs(len(audio) / RATE - expected) < 0.05
    assert [c["metadata"]["title"] for c in chapters] == [chapter_title(e) for e in corpus.excerpts]


def test_a_cancelled_anthology_leaves_nothing(shared, tmp_path):
    calls = {"n": 0}

    def cancelled() -> bool:  # cancel once the encoding has started
        calls["n"] += 1
        return calls["n"] > 5

    out = tmp_path / "anthology.ogg"
    with pytest.raises(ExportCancelledError):
        export(shared.archive, AnthologySpec(), "audio", out, cancelled=cancelled)
    assert list(tmp_path.iterdir()) == []
