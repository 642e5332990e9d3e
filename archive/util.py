"""Small helpers shared by the stores: ids, timestamps, input checks."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import unicodedata

from .errors import ArchiveError


class InvalidInputError(ArchiveError):
    """A value given by the user is not acceptable (a date, a language code...)."""


_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_LANG_RE = re.compile(r"^[a-z]{2,3}$")


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def new_id() -> str:
    """A short random id for interviews, narrators and places (48 bits)."""
    return secrets.token_hex(6)


def clean_text(value: str | None) -> str | None:
    """NFC-normalised and stripped; empty becomes None."""
    if value is None:
        return None
    value = unicodedata.normalize("NFC", value).strip()
    return value or None


def check_date(value: str | None) -> str | None:
    """Accept YYYY, YYYY-MM or YYYY-MM-DD (oral history dates are often partial)."""
    value = clean_text(value)
    if value is None:
        return None
    if not _DATE_RE.match(value):
        raise InvalidInputError(f"Not a date: {value!r}. Use YYYY, YYYY-MM or YYYY-MM-DD.")
    parts = [int(p) for p in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise InvalidInputError(f"Not a real date: {value!r}.") from None
    return value


def check_languages(values: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Language codes (ISO 639-1 or -3), lower-cased, without duplicates."""
    out: list[str] = []
    for raw in values:
        for code in str(raw).replace(",", " ").split():
            code = code.strip().lower()
            if not _LANG_RE.match(code):
                raise InvalidInputError(
                    f"Not a language code: {code!r}. Use codes such as hy, az, ru, ka, tr, en."
                )
            if code not in out:
                out.append(code)
    return tuple(out)


def format_clock(seconds: float | None, *, empty: str = "") -> str:
    """A duration as ``h:mm:ss`` (``empty`` for an unknown one), for lists and summaries."""
    if seconds is None:
        return empty
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"
