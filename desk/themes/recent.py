"""The themes used last, remembered between sessions by their vocabulary KEY only.

A theme's label is content (an archive's own theme may name a village or a person),
so the settings file holds nothing but the stable keys of shipped themes, such as
``food`` or ``the_border``.  Themes an archive added itself have no key and are not
remembered.  The file lives in the app's config folder (``SIDEBYSIDE_CONFIG_DIR``).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSettings

from archive import Theme

from ..settings import app_settings

RECENT_KEY = "tagging/recent_theme_keys"
MAX_RECENT = 8


class RecentThemes:
    def __init__(self, settings: QSettings | None = None, limit: int = MAX_RECENT) -> None:
        self._settings = settings or app_settings()
        self._limit = limit

    @property
    def settings(self) -> QSettings:
        return self._settings

    def keys(self) -> list[str]:
        """Most recent first."""
        value = self._settings.value(RECENT_KEY, [])
        if isinstance(value, str):  # QSettings gives a lone value as a string
            value = [value]
        return [str(v) for v in value or [] if v]

    def add(self, themes: Iterable[Theme]) -> list[str]:
        """Put these themes first (those with a key); returns the list as saved."""
        fresh = [t.key for t in themes if t.key]
        if not fresh:
            return self.keys()
        keys = list(dict.fromkeys([*fresh, *self.keys()]))[: self._limit]
        self._settings.setValue(RECENT_KEY, keys)
        self._settings.sync()
        return keys

    def order(self, themes: Iterable[Theme]) -> list[Theme]:
        """Of ``themes``, the recent ones, most recent first."""
        by_key = {t.key: t for t in themes if t.key}
        return [by_key[k] for k in self.keys() if k in by_key]
