"""When the transcript may scroll by itself to follow the playhead."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

QUIET_SECONDS = 3.0


class FollowGate:
    """Follow the playhead, except while a person types or scrolls, and a moment after.

    Jumping away from the line someone is reading or correcting is the one thing a
    following transcript must never do; after :data:`QUIET_SECONDS` without their
    hands on it, it follows again.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last_activity = -math.inf

    def user_active(self) -> None:
        self._last_activity = self._clock()

    def may_follow(self, *, editing: bool) -> bool:
        return not editing and self._clock() - self._last_activity >= QUIET_SECONDS
