"""Clip and hit times as the lists show them: ``m:ss.d`` (``h:mm:ss.d`` from an hour)."""

from __future__ import annotations

import math


def format_time(seconds: float) -> str:
    """Tenths shown: clips are often a few seconds long, marks are set to the tenth."""
    tenths = max(0, math.floor(seconds * 10 + 1e-6))
    whole, tenth = divmod(tenths, 10)
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    if h:
        return f"{h}:{m:02d}:{s:02d}.{tenth}"
    return f"{m}:{s:02d}.{tenth}"


def format_range(start: float, end: float) -> str:
    return f"{format_time(start)}–{format_time(end)}"
