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
from .export.spec import spec_from_dict
from .keys import KdfParams
from .paths import app_data_dir
from .records import InterviewMetadata, NewSegment, Word

# The demo file's short theme names, mapped to keys of the shipped vocabulary
# (resources/themes.toml); a name that is neither is skipped.
DEMO_THEME_KEYS = {"neighbourliness": "neighbourliness_and_friendship"}

# What each demo narrator allowed, so the export side shows every case: published
# under the real name or a pseudonym, deposit only, closed, embargoed; and a
# redacted word and a redacted stretch of audio.
DEMO_CONSENT: dict[str, dict[str, Any]] = {
    "speech_en": {"level": "open", "publish": True, "name_display": "real"},
    "speech_en_2": {"level": "open", "publish": True, "redact_text": "market"},
    "speech_en_3": {"level": "restricted", "publish": False},
    "speech_ru": {"level": "open", "publish": True, "redact_range": (1.0, 2.2)},
    "speech_hy": {"level": "open", "publish": True},
    "speech_az": {"level": "closed", "publish": False},
    "speech_ka": {"level": "open", "publish": True, "name_display": "real"},
    "speech_tr": {"level": "open", "publish": True, "embargo_until": "2030"},
}
DEMO_ANTHOLOGY = {
    "title": "Side by Side",
    "subtitle": "Neighbours remember bread, tea and courtyards",
    "editor": "The demo archive",
    "introduction": (
        "These excerpts come from the demo archive that ships with Side by Side. "
        "The voices are synthetic; the consent rules are real: only what each "
        "narrator allowed to be published appears here."
    ),
    "selection": {"themes": ["neighbourliness_and_friendship", "food"]},
    "group_by": "theme",
}

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


def _consent(archive: Archive, interview_id: str, stem: str) -> None:
    settings = dict(DEMO_CONSENT.get(stem, {}))
    word = settings.pop("redact_text", None)
    span = settings.pop("redact_range", None)
    archive.consent.set(interview_id, **settings)
    if word:
        archive.redactions.add_text(interview_id, word, reason="identifies a family shop")
    if span:
        archive.redactions.add_range(interview_id, *span, reason="names a living neighbour")


def _tag(archive: Archive, interview_id: str, entry: dict[str, Any]) -> None:
    """Interview-level themes from the demo's names, and one clip over the first
    segment tagged with the first theme: the Themes view and search filters show them."""
    known = {t.key for t in archive.themes.list() if t.key}
    keys = [DEMO_THEME_KEYS.get(name, name) for name in entry.get("themes", ())]
    keys = [k for k in dict.fromkeys(keys) if k in known]
    if not keys:
        return
    archive.themes.add_to_interview(interview_id, keys)
    first = entry["segments"][0] if entry["segments"] else None
    if first is not None:
        archive.clips.create(interview_id, first["start"], first["end"], themes=keys[:1])


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
            _tag(archive, interview.id, entry)
            _consent(archive, interview.id, entry["stem"])
            if progress:
                progress((n + 1) / len(entries))
        archive.anthologies.save(spec_from_dict(DEMO_ANTHOLOGY))
    except BaseException:
        archive.close()
        raise
    return archive


def open_or_build_demo(progress: Callable[[float], None] | None = None) -> Archive:
    path = demo_archive_path()
    if (path / "keyfile.json").exists():
        return Archive.open(path, DEMO_PASSPHRASE)
    return build_demo_archive(path, progress=progress)
