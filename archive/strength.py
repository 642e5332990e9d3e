"""How hard a passphrase is to guess, as a hint for the person choosing it (zxcvbn)."""

from __future__ import annotations

from dataclasses import dataclass

from zxcvbn import zxcvbn

LABELS = ("very weak", "weak", "fair", "strong", "very strong")


@dataclass(frozen=True)
class Strength:
    score: int  # 0..4
    label: str
    hint: str  # what to do about it, or ""
    crack_time: str  # e.g. "centuries" at 10 guesses/s... offline, slow-hash estimate

    @property
    def acceptable(self) -> bool:
        return self.score >= 3


def assess(passphrase: str) -> Strength:
    """Rate a passphrase.  Its text never leaves this function (no logging)."""
    if not passphrase:
        return Strength(0, LABELS[0], "Choose a passphrase of several words.", "instantly")
    result = zxcvbn(passphrase[:100])  # zxcvbn is slow on very long input
    feedback = result.get("feedback") or {}
    hint = feedback.get("warning") or " ".join(feedback.get("suggestions") or ())
    crack = result["crack_times_display"]["offline_slow_hashing_1e4_per_second"]
    return Strength(int(result["score"]), LABELS[int(result["score"])], str(hint), str(crack))
