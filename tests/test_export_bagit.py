"""The BagIt deposit: a valid bag of cleared, redacted payload that detects tampering."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import av
import bagit
import numpy as np
import pytest

from archive.export import AnthologySpec, build_corpus, export
from archive.export.bagit_deposit import render as render_bag
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.export_fixtures import (
    NEVER,
    PSEUDONYM,
    RESTRICTED_SECRET,
    ExportArchive,
    build_export_archive,
)

DEPOSITED = ("open_real", "open_pseudonym", "open_georgian", "restricted")


@pytest.fixture(scope="module")
def export_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ExportArchive]:
    from archive import Archive

    base = tmp_path_factory.mktemp("export-archive")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SIDEBYSIDE_CONFIG_DIR", str(base / "config"))
        patch.setenv("SIDEBYSIDE_DATA_DIR", str(base / "data"))
        archive = Archive.create(base / "archive", PASSPHRASE, kdf=FAST_KDF)
        built = build_export_archive(archive)
    yield built
    archive.close()


@pytest.fixture(scope="module")
def whole_bag(export_archive: ExportArchive, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A deposit of whole interviews, made once through export()."""
    out = tmp_path_factory.mktemp("bags") / "deposit"
    spec = AnthologySpec(
        title="Side by Side — deposit", unit="interviews", include_translations=True
    )
    export(export_archive.archive, spec, "bagit", out)
    return out


def _decode(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        frames = [f.to_ndarray() for f in container.decode(audio=0)]
    return np.concatenate(frames, axis=1)[0].astype(np.float64)


def test_the_bag_is_valid_and_complete(export_archive, whole_bag):
    bag = bagit.Bag(str(whole_bag))
    bag.validate()
    assert bag.version_info == (1, 0)  # RFC 8493, not the 0.97 draft
    assert set(bag.algorithms) == {"sha256", "sha512"}
    info = bag.info
    assert info["Source-Organization"] == "Side by Side archive"
    assert info["External-Description"] == "Side by Side — deposit"
    assert info["Bagging-Date"] and info["Bag-Size"] and info["Payload-Oxum"]
    assert f"restricted: {export_archive.ids['restricted']}" in info["Access-Conditions"]
    payload = {Path(p).as_posix() for p in bag.payload_files()}
    for role in DEPOSITED:
        interview_id = export_archive.ids[role]
        for name in ("metadata.json", "transcript.txt", "transcript.vtt", "ohms.xml", "audio.flac"):
            assert f"data/{interview_id}/{name}" in payload
    for role in ("closed", "embargoed", "withdrawn"):
        assert not any(export_archive.ids[role] in p for p in payload)
    manifest = json.loads((whole_bag / "data" / "manifest.json").read_text("utf-8"))
    assert manifest["consent_levels"]["restricted"] == [export_archive.ids["restricted"]]
    assert {i["id"]: i["consent_level"] for i in manifest["interviews"]} == {
        export_archive.ids[r]: "restricted" if r == "restricted" else "open" for r in DEPOSITED
    }


def test_the_payload_holds_only_what_consent_allows(export_archive, whole_bag):
    texts = [
        p.read_text("utf-8")
        for p in sorted((whole_bag / "data").rglob("*"))
        if p.suffix != ".flac" and p.is_file()
    ]
    everything = "\n".join(texts)
    for secret in NEVER:
        assert secret not in everything, secret
    assert "Lusine" not in everything and "Mkrtchyan" not in everything
    assert RESTRICTED_SECRET in everything  # a deposit includes restricted interviews
    assert PSEUDONYM in everything and "Anahit Petrosyan" in everything
    hy = whole_bag / "data" / export_archive.ids["open_pseudonym"]
    assert "թարմ հաց էին բերում մեր տուն։" in (hy / "transcript.txt").read_text("utf-8")
    metadata = json.loads((hy / "metadata.json").read_text("utf-8"))
    # The redacted range, joined by the redacted name said just before it, and the
    # narrator's own name (asked for a pseudonym) said later, by word times.
    ranges = [t for pair in metadata["audio"][0]["redacted_ranges"] for t in pair]
    assert ranges == pytest.approx([0.8, export_archive.redacted_range[1], 2.88, 3.36])


def tone_at(first: int, last: int) -> np.ndarray:
    t = np.arange(first, last) / 48_000
    return (np.sin(2 * np.pi * 1000 * t) * 0.3 * 32767).astype(np.int16)


def test_the_deposited_sound_is_redacted(export_archive, whole_bag):
    """The whole-interview FLAC (lossless) carries the tone over exactly the range."""
    hy = whole_bag / "data" / export_archive.ids["open_pseudonym"] / "audio.flac"
    with av.open(str(hy)) as container:
        assert container.streams.audio[0].sample_rate == 48_000
    samples = _decode(hy)
    start, end = export_archive.redacted_range
    first, last = round(start * 48_000), round(end * 48_000)
    assert np.array_equal(samples[first:last], tone_at(first, last))
    before = round(0.8 * 48_000)  # where the redacted name said before the range starts
    assert np.array_equal(samples[before:first], tone_at(before, first))
    assert np.sqrt(np.mean(samples[before - 4800 : before] ** 2)) > 500  # speech before it


def test_a_changed_byte_breaks_the_bag(export_archive, tmp_path):
    corpus = build_corpus(
        export_archive.archive, AnthologySpec(unit="clips"), "deposit", with_audio=True
    )
    out = tmp_path / "bag"
    render_bag(corpus, out)
    bagit.Bag(str(out)).validate()
    clips = sorted((out / "data" / export_archive.ids["open_pseudonym"]).glob("*.flac"))
    assert len(clips) == 2  # clips unit: one FLAC per clip, with its own captions
    assert all(p.with_suffix(".vtt").is_file() for p in clips)
    victim = out / "data" / export_archive.ids["open_georgian"] / "transcript.txt"
    data = bytearray(victim.read_bytes())
    data[10] ^= 0x01
    victim.write_bytes(bytes(data))
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(out)).validate()


def test_an_interview_without_a_recording_is_deposited_without_sound(archive, tmp_path):
    from archive.records import InterviewMetadata, NewSegment
    from archive.synthetic import create_interview_without_media

    interview = create_interview_without_media(
        archive, InterviewMetadata(title="Notes only", narrator="Someone"), duration=10.0
    )
    archive.segments.add(
        interview.id, [NewSegment(start=0.0, end=4.0, text="Ծանոթագրություններ")], source="human"
    )
    archive.consent.set(interview.id, level="restricted")
    archive.clips.create(interview.id, 0.0, 5.0, themes=["food"])
    out = tmp_path / "bag"
    export(archive, AnthologySpec(unit="interviews"), "bagit", out)
    bagit.Bag(str(out)).validate()
    folder = out / "data" / interview.id
    assert not list(folder.glob("*.flac"))
    assert "Ծանոթագրություններ" in (folder / "transcript.txt").read_text("utf-8")
    assert json.loads((folder / "metadata.json").read_text("utf-8"))["audio"] == []
    manifest = json.loads((out / "data" / "manifest.json").read_text("utf-8"))
    assert manifest["interviews"][0]["has_recording"] is False
