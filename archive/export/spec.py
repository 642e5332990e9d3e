"""The anthology specification: what to take, how to group and order it, how to cite.

A spec is plain data, saved in the archive (``anthologies`` table) or as a TOML file
for the command line::

    title = "Side by Side"
    subtitle = "Neighbours remember"
    introduction = "..."
    group_by = "theme"            # theme | narrator | chronological | interview
    order = "chronological"       # chronological | archive | manual
    include_translations = true
    citation_style = "full"       # full | short
    unit = "clips"                # clips (excerpts) | interviews (whole transcripts)

    [selection]
    themes = ["displacement", "food"]   # keys or labels, sub-themes included
    narrators = ["Anahit"]              # pseudonym, name or id
    places = ["Baku"]
    interviews = []
    clips = [12, 14]                    # hand-picked, always added
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import tomli_w

from ..util import InvalidInputError, clean_text

GROUPINGS = ("theme", "narrator", "chronological", "interview")
ORDERS = ("chronological", "archive", "manual")
CITATION_STYLES = ("full", "short")
UNITS = ("clips", "interviews")
REDACTION_SOUNDS = ("tone", "silence")


@dataclass(frozen=True)
class Selection:
    """Kinds intersect (themes AND narrators AND places AND interviews); values within
    a kind are alternatives.  Hand-picked clips are always added.  Empty: everything."""

    themes: tuple[str, ...] = ()
    narrators: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    interviews: tuple[str, ...] = ()
    clips: tuple[int, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.themes or self.narrators or self.places or self.interviews or self.clips)


@dataclass(frozen=True)
class AnthologySpec:
    title: str = "Untitled anthology"
    subtitle: str | None = None
    editor: str | None = None
    introduction: str | None = None
    selection: Selection = field(default_factory=Selection)
    group_by: str = "theme"
    order: str = "chronological"
    include_translations: bool = False
    citation_style: str = "full"
    unit: str = "clips"
    language: str = "en"  # of theme labels and headings
    redaction_sound: str = "tone"
    pause_seconds: float = 1.5  # between excerpts in the audio anthology

    def with_selection(self, **changes: Any) -> AnthologySpec:
        return replace(self, selection=replace(self.selection, **changes))


def _choice(data: Mapping[str, Any], key: str, choices: tuple[str, ...], default: str) -> str:
    value = data.get(key, default)
    if value not in choices:
        raise InvalidInputError(f"{key} must be one of {', '.join(choices)}, not {value!r}.")
    return str(value)


def _strings(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key, ())
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        raise InvalidInputError(f"selection.{key} must be a list.")
    return tuple(str(v).strip() for v in value if str(v).strip())


def spec_from_dict(data: Mapping[str, Any]) -> AnthologySpec:
    """Validate and build a spec; unknown keys are an error (they are usually typos)."""
    known = {f.name for f in fields(AnthologySpec)}
    unknown = set(data) - known
    if unknown:
        raise InvalidInputError(f"Unknown anthology setting(s): {', '.join(sorted(unknown))}.")
    raw_selection = data.get("selection", {}) or {}
    if not isinstance(raw_selection, Mapping):
        raise InvalidInputError("selection must be a table.")
    unknown = set(raw_selection) - {f.name for f in fields(Selection)}
    if unknown:
        raise InvalidInputError(f"Unknown selection key(s): {', '.join(sorted(unknown))}.")
    try:
        clips = tuple(int(c) for c in raw_selection.get("clips", ()))
    except (TypeError, ValueError):
        raise InvalidInputError("selection.clips must be a list of clip numbers.") from None
    selection = Selection(
        themes=_strings(raw_selection, "themes"),
        narrators=_strings(raw_selection, "narrators"),
        places=_strings(raw_selection, "places"),
        interviews=_strings(raw_selection, "interviews"),
        clips=clips,
    )
    try:
        pause = float(data.get("pause_seconds", 1.5))
    except (TypeError, ValueError):
        raise InvalidInputError("pause_seconds must be a number.") from None
    if not 0 <= pause <= 30:
        raise InvalidInputError("pause_seconds must be between 0 and 30.")
    title = clean_text(str(data.get("title", ""))) or "Untitled anthology"
    return AnthologySpec(
        title=title,
        subtitle=clean_text(data.get("subtitle")),
        editor=clean_text(data.get("editor")),
        introduction=clean_text(data.get("introduction")),
        selection=selection,
        group_by=_choice(data, "group_by", GROUPINGS, "theme"),
        order=_choice(data, "order", ORDERS, "chronological"),
        include_translations=bool(data.get("include_translations", False)),
        citation_style=_choice(data, "citation_style", CITATION_STYLES, "full"),
        unit=_choice(data, "unit", UNITS, "clips"),
        language=str(data.get("language", "en")),
        redaction_sound=_choice(data, "redaction_sound", REDACTION_SOUNDS, "tone"),
        pause_seconds=pause,
    )


def spec_to_dict(spec: AnthologySpec) -> dict[str, Any]:
    """Plain data, without empty values (TOML has no null)."""
    data = asdict(spec)
    data["selection"] = {k: list(v) for k, v in data["selection"].items() if v}
    return {k: v for k, v in data.items() if v is not None}


def load_spec(path: str | Path) -> AnthologySpec:
    """Read a TOML spec; a clear error for a missing or malformed file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInputError(f"No anthology file at {path}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"Cannot read {path.name}: {exc}.") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInputError(f"{path.name} is not valid TOML: {exc}.") from None
    return spec_from_dict(data)


def dump_spec(spec: AnthologySpec) -> str:
    return tomli_w.dumps(spec_to_dict(spec), multiline_strings=True)
