"""The desktop's own settings: an INI file in the app's config folder.

Preferences only (auto-lock minutes, recent theme keys...), never archive content.
Kept beside the rest of the app's configuration (see archive.paths), so tests and
portable installs that move that folder move these too.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from archive.paths import app_config_dir

SETTINGS_FILE = "desk.ini"


def app_settings() -> QSettings:
    return QSettings(str(app_config_dir() / SETTINGS_FILE), QSettings.Format.IniFormat)
