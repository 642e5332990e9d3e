"""Every path the app uses, in one place.

An archive is a folder the user chooses; the app's own data (models, the demo
archive) and configuration live in the per-OS folders platformdirs gives.  Tests
and portable installs point them elsewhere with ``SIDEBYSIDE_DATA_DIR`` and
``SIDEBYSIDE_CONFIG_DIR``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "sidebyside"

DB_NAME = "archive.db"
KEYFILE_NAME = "keyfile.json"
VAULT_DIR_NAME = "vault"
LOCK_NAME = ".lock"
VAULT_TMP_PREFIX = ".tmp-"


@dataclass(frozen=True)
class ArchivePaths:
    """The files of one archive folder."""

    root: Path

    @property
    def db(self) -> Path:
        return self.root / DB_NAME

    @property
    def keyfile(self) -> Path:
        return self.root / KEYFILE_NAME

    @property
    def vault(self) -> Path:
        return self.root / VAULT_DIR_NAME

    @property
    def lock(self) -> Path:
        return self.root / LOCK_NAME

    def vault_file(self, media_id: str) -> Path:
        return self.vault / media_id


def app_data_dir() -> Path:
    """Folder for the app's own data: added models, the demo archive."""
    override = os.environ.get("SIDEBYSIDE_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def app_config_dir() -> Path:
    """Folder for settings such as the last archive opened."""
    override = os.environ.get("SIDEBYSIDE_CONFIG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def models_dir() -> Path:
    """Where Whisper models added by the user (or assembled from packages) live."""
    return app_data_dir() / "models"


def _last_archive_file() -> Path:
    return app_config_dir() / "last-archive"


def remember_last_archive(path: Path) -> None:
    """Remember the archive folder for next time (its path only, nothing inside it)."""
    target = _last_archive_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(str(Path(path).resolve()), encoding="utf-8")
    except OSError:
        pass  # a convenience, never a reason to fail


def last_archive() -> Path | None:
    try:
        text = _last_archive_file().read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return Path(text) if text else None
