"""Plain, immutable records the archive API hands out.  No behaviour, no SQL."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

R = TypeVar("R")

# Columns stored as JSON text; decoded into tuples on the way out.
_JSON_LISTS = {"languages", "words"}


def from_row(cls: type[R], row: dict[str, Any]) -> R:
    """Build a record from a database row, ignoring columns the record lacks."""
    values: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name not in row:
            continue
        value = row[f.name]
        if f.name in _JSON_LISTS:
            value = tuple(json.loads(value)) if value else ()
        elif f.name in ("has_video", "edited"):
            value = bool(value)
        values[f.name] = value
    return cls(**values)


@dataclass(frozen=True)
class InterviewMetadata:
    """What the user may say about an interview when importing or editing it."""

    title: str | None = None
    narrator: str | None = None
    interviewer: str | None = None
    recorded_on: str | None = None
    place: str | None = None
    languages: tuple[str, ...] = ()
    summary: str | None = None


@dataclass(frozen=True)
class Narrator:
    id: str
    name: str | None = None
    pseudonym: str | None = None
    birth_year: int | None = None
    birth_place: str | None = None
    gender: str | None = None
    languages: tuple[str, ...] = ()
    notes: str | None = None
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class Interview:
    id: str
    title: str | None = None
    narrator_id: str | None = None
    narrator_name: str | None = None
    narrator_pseudonym: str | None = None
    interviewer: str | None = None
    recorded_on: str | None = None
    place: str | None = None
    place_id: str | None = None  # the gazetteer place the typed one is linked to
    languages: tuple[str, ...] = ()
    summary: str | None = None
    duration: float | None = None
    transcription_status: str = "none"
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class InterviewSummary:
    """One row of the library: what a table of thousands of interviews shows."""

    id: str
    title: str | None
    narrator_name: str | None
    narrator_pseudonym: str | None
    recorded_on: str | None
    place: str | None
    languages: tuple[str, ...]
    duration: float | None
    transcription_status: str
    themes_count: int
    created_at: str


@dataclass(frozen=True)
class MediaFile:
    id: str
    interview_id: str | None
    role: str
    size: int
    sha256: str
    filename: str | None = None
    container: str | None = None
    codec: str | None = None
    sample_rate: int | None = None
    channels: int | None = None
    duration: float | None = None
    has_video: bool = False
    created_at: str = ""


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    word: str
    probability: float | None = None


@dataclass(frozen=True)
class Segment:
    id: int
    interview_id: str
    start: float
    end: float
    text: str
    speaker: str | None = None
    machine_text: str | None = None
    confidence: float | None = None
    no_speech_prob: float | None = None
    words: tuple[dict[str, Any], ...] = ()
    language: str | None = None
    translation: str | None = None
    source: str = "machine"
    edited: bool = False
    job_id: int | None = None


@dataclass(frozen=True)
class NewSegment:
    """A segment to add: from the model, an attached transcript, or a person."""

    start: float
    end: float
    text: str
    speaker: str | None = None
    confidence: float | None = None
    no_speech_prob: float | None = None
    words: tuple[Word, ...] = ()
    language: str | None = None
    translation: str | None = None


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: str | None
    action: str
    object_type: str | None
    object_id: str | None


@dataclass
class Problem:
    """One thing ``verify`` found wrong, named so a person can act on it."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class VerifyReport:
    problems: list[Problem] = field(default_factory=list)
    media_checked: int = 0
    bytes_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems
