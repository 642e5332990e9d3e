"""Theme labels in the interface language, and the vocabulary tree flattened for lists.

A theme carries labels in several languages; the app shows the one of the interface
language and falls back to English (then to any), as :meth:`archive.Theme.label` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QLocale

from archive import Theme, ThemeNode

FALLBACK_LANGUAGE = "en"
PATH_SEPARATOR = " › "


def ui_language() -> str:
    """The interface language as a two- or three-letter code ("en" for the C locale)."""
    name = QLocale().name().split("_")[0].lower()
    return name if name.isalpha() and 2 <= len(name) <= 3 else FALLBACK_LANGUAGE


def shown_language(theme: Theme, language: str) -> str:
    """Which of the theme's labels is shown for ``language`` (so a rename edits it)."""
    if theme.labels.get(language):
        return language
    if theme.labels.get(FALLBACK_LANGUAGE) or not theme.labels:
        return FALLBACK_LANGUAGE
    return next(iter(theme.labels))


def labels_tooltip(theme: Theme) -> str:
    """Every label, one per line, ``code: label`` (the scope note last)."""
    lines = [f"{code}: {label}" for code, label in theme.labels.items()]
    if theme.scope_note:
        lines.append(theme.scope_note)
    return "\n".join(lines)


@dataclass(frozen=True)
class FlatTheme:
    """A theme with its place in the tree: depth, and its ancestors' labels."""

    theme: Theme
    depth: int
    ancestors: tuple[Theme, ...]

    def path(self, language: str) -> str:
        return PATH_SEPARATOR.join(t.label(language) for t in (*self.ancestors, self.theme))


def flatten(nodes: Iterable[ThemeNode]) -> list[FlatTheme]:
    """The tree in display order (each theme followed by its sub-themes)."""

    def walk(items: Iterable[ThemeNode], above: tuple[Theme, ...]) -> Iterator[FlatTheme]:
        for node in items:
            yield FlatTheme(node.theme, len(above), above)
            yield from walk(node.children, (*above, node.theme))

    return list(walk(nodes, ()))


def theme_names(themes: Sequence[Theme], language: str) -> str:
    return ", ".join(t.label(language) for t in themes)


def english_plural(text: str, n: int) -> str:
    """``tr("%n clip(s)", "", n)`` without a translator loaded keeps the "(s)": make it
    plain English.  A loaded translation has its own plural forms and no "(s)"."""
    return text.replace("(s)", "" if n == 1 else "s")
