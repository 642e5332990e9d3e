"""What the transcript marks on a segment: doubtful words, a person's corrections."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from archive import Segment
from archive.segments import Span, word_spans

LOW_CONFIDENCE = 0.5  # below this probability a machine word is marked as doubtful


def low_confidence_ranges(
    text: str, words: Sequence[Mapping[str, Any]], threshold: float = LOW_CONFIDENCE
) -> list[Span]:
    """Character ranges of ``text`` (string indices) holding the machine's doubtful words.

    A word a person has since corrected is no longer in the text, so it is no longer
    marked; words without a probability (attached transcripts) never are.
    """
    ranges: list[Span] = []
    for word, span in zip(words, word_spans(text, words), strict=True):
        probability = word.get("probability")
        if span is not None and probability is not None and probability < threshold:
            ranges.append(span)
    return ranges


def is_corrected(segment: Segment) -> bool:
    """A person changed the words (a speaker alone does not count: nothing to re-read)."""
    return segment.edited and segment.text != segment.machine_text
