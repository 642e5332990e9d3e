"""A BagIt deposit package (RFC 8493) for a partner archive.

``target`` becomes a bag made with the Library of Congress ``bagit`` library, with
SHA-256 and SHA-512 manifests.  The payload, all consent-cleared and redacted::

    data/manifest.json              the deposit: interviews, consent levels, files
    data/<interview id>/metadata.json   cleared metadata and clips (as the JSON export)
    data/<interview id>/transcript.txt  readable transcript (as the text export)
    data/<interview id>/transcript.vtt  captions in interview time
    data/<interview id>/ohms.xml        OHMS record (as the OHMS export)
    data/<interview id>/audio.flac      whole-interview unit: the redacted recording
    data/<interview id>/<key>.flac      clips unit: each redacted clip ...
    data/<interview id>/<key>.vtt       ... with its captions, timed to the clip

Sound is FLAC, 16-bit, 48 kHz (:class:`~.audio_source.ExcerptAudio`'s format): the
redacted sound is new audio, so the original's own encoding cannot be kept.  An
interview without a recording is deposited without sound, and the manifest says so.

``bag-info.txt`` carries Source-Organization, Bagging-Date, External-Description (the
spec's title), Bag-Size, Payload-Oxum and Access-Conditions (the consent levels).
``bagit.make_bag`` changes the process's working directory while it runs (the app
uses absolute paths only; a lock keeps two deposits from doing it at once) and writes
the draft's ``BagIt-Version: 0.97``; the version line is set to RFC 8493's 1.0 after.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bagit
import numpy as np

from .audio_anthology import write_audio
from .audio_source import ExcerptAudio
from .captions import cues, vtt_document
from .corpus import (
    Cancelled,
    Corpus,
    Excerpt,
    ExportError,
    InterviewEntry,
    Progress,
    check_cancelled,
)
from .ohms import ohms_xml
from .tabular import interview_record
from .text import interview_transcript

_CWD_LOCK = threading.Lock()

SOURCE_ORGANIZATION = "Side by Side archive"
CHECKSUMS = ["sha256", "sha512"]


def _write_text(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _pcm(
    audio: ExcerptAudio, excerpt: Excerpt, cancelled: Cancelled | None
) -> Iterator[np.ndarray]:
    for piece in audio.excerpt_pieces(excerpt):
        check_cancelled(cancelled)
        yield np.frombuffer(piece.raw_data, dtype=np.int16).reshape(-1, audio.channels)


def _flac(audio: ExcerptAudio, excerpt: Excerpt, path: Path, cancelled: Cancelled | None) -> None:
    write_audio(
        path,
        _pcm(audio, excerpt, cancelled),
        layout=audio.layout,
        container_format="flac",
        codec="flac",
    )


def bag_size(size: int) -> str:
    """Bag-Size as RFC 8493 suggests: approximate, human-readable."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def access_conditions(corpus: Corpus) -> str:
    """One line: which interviews are open and which restricted (ids only)."""
    parts = []
    for level in ("open", "restricted"):
        ids = [e.id for e in corpus.interviews if e.level == level]
        if ids:
            parts.append(f"{level}: {', '.join(ids)}")
    text = "Consent level by interview: " + "; ".join(parts) + "."
    if any(e.level == "restricted" for e in corpus.interviews):
        text += " Restricted interviews are for research access only, never for publication."
    return text


def _interview(
    corpus: Corpus,
    entry: InterviewEntry,
    number: int,
    folder: Path,
    cancelled: Cancelled | None,
) -> dict[str, Any]:
    folder.mkdir()
    files = ["metadata.json", "transcript.txt", "transcript.vtt", "ohms.xml"]
    _write_text(folder / "transcript.txt", interview_transcript(corpus, entry))
    whole = corpus.spec.unit == "interviews"
    if whole:
        lines = list(entry.lines)
    else:
        lines = sorted(
            {(ln.start, ln.end, ln.text): ln for c in entry.clips for ln in c.lines}.values(),
            key=lambda ln: (ln.start, ln.end),
        )
    _write_text(folder / "transcript.vtt", vtt_document(cues(lines)))
    (folder / "ohms.xml").write_bytes(ohms_xml(corpus, entry, number))
    audio_files: list[dict[str, Any]] = []
    audio = corpus.audio
    if entry.has_recording:
        if audio is None:
            raise ExportError("This deposit was prepared without its sound; it cannot be made.")
        excerpts = [audio.whole_interview(entry)] if whole else list(entry.clips)
        for excerpt in excerpts:
            check_cancelled(cancelled)
            name = "audio.flac" if whole else f"{excerpt.key}.flac"
            _flac(audio, excerpt, folder / name, cancelled)
            files.append(name)
            item: dict[str, Any] = {
                "file": name,
                "start": round(excerpt.start, 3),
                "end": round(excerpt.end, 3),
                "redacted_ranges": [[round(a, 3), round(b, 3)] for a, b in excerpt.redacted_ranges],
                "redaction_sound": corpus.spec.redaction_sound,
            }
            if not whole:
                captions = f"{excerpt.key}.vtt"
                _write_text(
                    folder / captions,
                    vtt_document(cues(excerpt.lines, excerpt.start, excerpt.duration)),
                )
                files.append(captions)
                item["captions"] = captions
            audio_files.append(item)
    record = interview_record(corpus, entry)
    record["audio"] = audio_files
    _write_text(folder / "metadata.json", _json(record))
    return {
        "id": entry.id,
        "title": entry.title,
        "narrator": entry.credit,
        "consent_level": entry.level,
        "embargo_until": entry.embargo_until,
        "has_recording": entry.has_recording,
        "folder": entry.id,
        "files": files,
    }


def render(
    corpus: Corpus,
    target: Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    """Write the payload into ``target``, then turn it into a bag."""
    target.mkdir()
    interviews = []
    for n, entry in enumerate(corpus.interviews, 1):
        check_cancelled(cancelled)
        interviews.append(_interview(corpus, entry, n, target / entry.id, cancelled))
        if progress is not None:
            progress(0.9 * n / len(corpus.interviews))
    manifest = {
        "format": "sidebyside-deposit",
        "format_version": 1,
        "title": corpus.spec.title,
        "purpose": corpus.purpose.value,
        "made_on": corpus.made_on.isoformat(),
        "unit": corpus.spec.unit,
        "excluded": dict(sorted(corpus.excluded.items())),
        "consent_levels": {
            level: [e.id for e in corpus.interviews if e.level == level]
            for level in ("open", "restricted")
        },
        "interviews": interviews,
    }
    _write_text(target / "manifest.json", _json(manifest))
    check_cancelled(cancelled)
    payload = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    info = {
        "Source-Organization": SOURCE_ORGANIZATION,
        "Bagging-Date": corpus.made_on.isoformat(),
        "External-Description": " ".join(corpus.spec.title.split()),
        "Bag-Size": bag_size(payload),
        "Access-Conditions": access_conditions(corpus),
    }
    quiet = logging.getLogger("bagit")
    level = quiet.level
    quiet.setLevel(logging.WARNING)  # it logs every file it moves at INFO
    try:
        with _CWD_LOCK:
            bagit.make_bag(str(target), info, checksums=CHECKSUMS)
            # The library writes the draft's version line; this is an RFC 8493 bag.
            (target / "bagit.txt").write_text(
                "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n", encoding="utf-8"
            )
            bagit.Bag(str(target)).save()  # re-makes the tag manifests over bagit.txt
    except (bagit.BagError, RuntimeError) as exc:
        raise ExportError(f"The deposit package could not be made: {exc}") from exc
    finally:
        quiet.setLevel(level)
    if progress is not None:
        progress(1.0)


__all__ = ["access_conditions", "bag_size", "render"]
