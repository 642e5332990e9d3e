"""The pinned model packages of ``resources/models.toml`` and where their files are."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from types import MappingProxyType

from resources import resource_path

MODEL_BIN = "model.bin"

# (distribution name, path inside it as in its RECORD) -> the file on disk, or None.
Locator = Callable[[str, str], Path | None]


@dataclass(frozen=True)
class PinnedFile:
    sha256: str
    size: int


@dataclass(frozen=True)
class Part:
    """One piece of a split model.bin, inside some distribution."""

    distribution: str
    path: str
    sha256: str
    size: int


@dataclass(frozen=True)
class PackagedModel:
    """A model shipped by packages: used in place, or assembled from ``parts``."""

    name: str
    distribution: str
    folder: str
    files: Mapping[str, PinnedFile]
    parts: tuple[Part, ...] = ()

    @property
    def split(self) -> bool:
        return bool(self.parts)

    @property
    def source(self) -> str:
        dists = dict.fromkeys([*(p.distribution for p in self.parts), self.distribution])
        return "package:" + "+".join(dists)


def locate_in_distribution(dist_name: str, rel_path: str) -> Path | None:
    """Find a file through the distribution's file list, without importing its code."""
    try:
        dist = distribution(dist_name)
    except PackageNotFoundError:
        return None
    for entry in dist.files or ():
        if entry.as_posix() == rel_path:
            path = Path(str(dist.locate_file(entry)))
            return path if path.is_file() else None
    return None


def parse_pins(text: str) -> dict[str, PackagedModel]:
    data = tomllib.loads(text)
    pins: dict[str, PackagedModel] = {}
    for name, spec in data.get("models", {}).items():
        pins[name] = PackagedModel(
            name=name,
            distribution=spec["distribution"],
            folder=spec["folder"],
            files={
                fname: PinnedFile(sha256=f["sha256"].lower(), size=int(f["size"]))
                for fname, f in spec["files"].items()
            },
            parts=tuple(
                Part(p["distribution"], p["path"], p["sha256"].lower(), int(p["size"]))
                for p in spec.get("parts", ())
            ),
        )
    return pins


@cache
def load_pins() -> Mapping[str, PackagedModel]:
    """The pins that ship with the app (read once; read-only)."""
    return MappingProxyType(parse_pins(resource_path("models.toml").read_text(encoding="utf-8")))
