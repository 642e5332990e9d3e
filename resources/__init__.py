"""Data files that ship with the app (models.toml, theme vocabulary, icons...)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def resource_path(name: str) -> Path:
    """Path of a shipped data file, by its name relative to this package.

    Works from a source checkout and from an installed (unzipped) package; the app
    is never installed as a zip, so a real path always exists.
    """
    return Path(str(files(__name__).joinpath(name)))
