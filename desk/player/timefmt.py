"""Clock times for the player's labels: ``m:ss``, or ``h:mm:ss`` from an hour on."""

from __future__ import annotations

import math


def format_clock(seconds: float, *, hours: bool | None = None) -> str:
    """``seconds`` as a clock; ``hours`` forces (or hides) the hour field.

    Pass the duration's choice for the elapsed time too, so both labels keep one
    shape (and one width) through a recording.
    """
    total = max(0, math.floor(seconds + 1e-6))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    if hours if hours is not None else h > 0:
        return f"{h}:{m:02d}:{s:02d}"
    return f"{m}:{s:02d}"
