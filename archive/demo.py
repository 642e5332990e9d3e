"""The demo archive: a few short interviews, built on first use from shipped speech.

The speech is espeak-ng output shipped in ``resources/demo`` (see make_demo.py there),
with transcripts (the English ones by the real tiny.en model) and themes, so a
newcomer sees every feature within a minute.  It is an ordinary encrypted archive
with a published passphrase: nothing real may ever be put in it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from resources import resource_path

from .archive import Archive
from .keys import KdfParams
from .paths import app_data_dir
from .records import InterviewMetadata, NewSegment, Word

DEMO_PASSPHRASE = "demo"  # noqa: S105 - published on purpose: the demo holds no real data
DEMO_FOLDER_NAME = "demo-archive"


def demo_archive_path() -> Path:
    return app_data_dir() / DEMO_FOLDER_NAME


def _segments(entry: dict[str, Any]) -> list[NewSegment]:
    return [
        NewSegment(
            start=s["start"],
            end=s["end"],
            text=s["text"],
            speaker=s.get("speaker") or entry["pseudonym"],
            confidence=s.get("confidence"),
            no_speech_prob=s.get("no_speech_prob"),
            language=s.get("language"),
            words=tuple(Word(*w) for w in s.get("words", ())),
        )
        for s in entry["segments"]
    ]


def build_demo_archive(
    path: Path | None = None,
    *,
    progress: Callable[[float], None] | None = None,
    kdf: KdfParams | None = None,
) -> Archive:
    """Create the demo archive at ``path`` (default: in the app's data folder), open."""
    path = path or demo_archive_path()
    folder = resource_path("demo")
    entries = json.loads((folder / "demo.json").read_text(encoding="utf-8"))
    archive = Archive.create(path, DEMO_PASSPHRASE, kdf=kdf, actor="demo")
    try:
        for n, entry in enumerate(entries):
            meta = InterviewMetadata(
                title=entry["title"],
                narrator=entry["narrator"],
                interviewer=entry["interviewer"],
                recorded_on=entry["recorded_on"],
                place=entry["place"],
                languages=tuple(entry["languages"]),
                summary=entry["summary"],
            )
            interview = archive.import_file(folder / entry["file"], meta)
            if interview.narrator_id:
                archive.narrators.update(interview.narrator_id, pseudonym=entry["pseudonym"])
            archive.segments.add(interview.id, _segments(entry), source=entry["source"])
            archive.interviews.set_transcription_status(interview.id, "done")
            if progress:
                progress((n + 1) / len(entries))
    except BaseException:
        archive.close()
        raise
    return archive


def open_or_build_demo(progress: Callable[[float], None] | None = None) -> Archive:
    path = demo_archive_path()
    if (path / "keyfile.json").exists():
        return Archive.open(path, DEMO_PASSPHRASE)
    return build_demo_archive(path, progress=progress)
