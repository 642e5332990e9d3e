"""Python string indices and Qt text positions, which count UTF-16 code units.

They differ only after a character outside the Basic Multilingual Plane (an emoji, a
rare CJK ideograph), but when they differ a split would land in the wrong place.
"""

from __future__ import annotations


def to_qt(text: str, index: int) -> int:
    """The Qt position of the Python index ``index`` in ``text``."""
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)


def from_qt(text: str, position: int) -> int:
    """The Python index of the Qt position ``position`` in ``text``."""
    units = 0
    for index, ch in enumerate(text):
        if units >= position:
            return index
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)
