"""Plain text: the anthology as a readable UTF-8 transcript.

Title, contents, then each chapter with its excerpts: a heading, the citation, the
themes and note, and the lines with their timecode (interview time, as in the
citation) and speaker; a translation, when the spec includes them, is indented
below its line.  Long lines are wrapped with a hanging indent so the timecodes
stay in a column.  The corpus is already consent-filtered and redacted.

:func:`excerpt_block` and :func:`interview_transcript` are reused by the BagIt
deposit for each interview's ``transcript.txt``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from ..redaction import Line
from ..util import format_clock
from .corpus import Cancelled, Corpus, Excerpt, InterviewEntry, Progress, check_cancelled, citation
from .spec import AnthologySpec

WIDTH = 78
_STAMP = 12  # "[0:00:00]" plus padding: where text starts


def excerpt_heading(excerpt: Excerpt) -> str:
    """What an excerpt is called: its title, its interview's, or its narrator."""
    if excerpt.title:
        return excerpt.title
    if excerpt.interview_title:
        return (
            excerpt.interview_title
            if excerpt.clip_id is None
            else f"From “{excerpt.interview_title}”"
        )
    return excerpt.credit


def _wrap(text: str, first: str, rest: str) -> list[str]:
    wrapped = textwrap.wrap(
        text,
        WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return wrapped or [first.rstrip()]


def line_block(line: Line, *, with_translation: bool = True) -> list[str]:
    """``[h:mm:ss]  Speaker: text`` wrapped, the translation indented below it."""
    stamp = f"[{format_clock(line.start)}]".ljust(_STAMP)
    pad = " " * _STAMP
    text = f"{line.speaker}: {line.text}" if line.speaker else line.text
    out = _wrap(" ".join(text.split()), stamp, pad)
    if with_translation and line.translation:
        out += _wrap(" ".join(line.translation.split()), pad + "    ", pad + "    ")
    return out


def excerpt_block(excerpt: Excerpt, spec: AnthologySpec) -> list[str]:
    heading = excerpt_heading(excerpt)
    out = [heading, "-" * min(WIDTH, len(heading))]
    out += _wrap(citation(excerpt, spec.citation_style), "", "")
    if excerpt.themes:
        out += _wrap("Themes: " + ", ".join(excerpt.themes), "", "  ")
    if excerpt.note:
        out += _wrap("Note: " + excerpt.note, "", "  ")
    out.append("")
    if not excerpt.lines:
        out.append("(No transcript.)")
    for line in excerpt.lines:
        out += line_block(line, with_translation=spec.include_translations)
    out.append("")
    return out


def _title_block(corpus: Corpus) -> list[str]:
    spec = corpus.spec
    out = [spec.title, "=" * min(WIDTH, len(spec.title))]
    if spec.subtitle:
        out.append(spec.subtitle)
    if spec.editor:
        out.append(f"Edited by {spec.editor}")
    out.append("")
    if spec.introduction:
        for paragraph in spec.introduction.split("\n\n"):
            out += _wrap(" ".join(paragraph.split()), "", "")
            out.append("")
    return out


def render_text(
    corpus: Corpus,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> str:
    out = _title_block(corpus)
    chapters = corpus.chapters
    if len(chapters) > 1:
        out.append("Contents")
        out += [f"  {n}. {chapter.title}" for n, chapter in enumerate(chapters, 1)]
        out.append("")
    total = max(1, len(corpus.excerpts))
    done = 0
    for n, chapter in enumerate(chapters, 1):
        title = f"{n}. {chapter.title}" if len(chapters) > 1 else chapter.title
        rule = "=" * min(WIDTH, max(len(title), 20))
        out += ["", rule, title, rule, ""]
        for excerpt in chapter.excerpts:
            check_cancelled(cancelled)
            out += excerpt_block(excerpt, corpus.spec)
            done += 1
            if progress is not None:
                progress(done / total)
    out += ["", f"Exported from a Side by Side archive on {corpus.made_on.isoformat()}."]
    return "\n".join(out).rstrip("\n") + "\n"


def interview_transcript(corpus: Corpus, entry: InterviewEntry) -> str:
    """One interview's cleared transcript (BagIt ``transcript.txt``)."""
    out = [entry.title or entry.credit, "=" * min(WIDTH, len(entry.title or entry.credit))]
    facts = [
        ("Narrator", entry.credit),
        ("Recorded", entry.recorded_on),
        ("Place", entry.place),
        ("Languages", ", ".join(entry.languages)),
        ("Duration", format_clock(entry.duration)),
        ("Interviewer", entry.interviewer),
        ("Consent level", entry.level),
        ("Interview", entry.id),
    ]
    out += [f"{label}: {value}" for label, value in facts if value]
    if entry.summary:
        out += ["", *_wrap(entry.summary, "", "")]
    out.append("")
    if corpus.spec.unit == "interviews":
        if not entry.lines:
            out.append("(No transcript.)")
        for line in entry.lines:
            out += line_block(line, with_translation=corpus.spec.include_translations)
    else:
        for clip in entry.clips:
            out += ["", *excerpt_block(clip, corpus.spec)]
    return "\n".join(out).rstrip("\n") + "\n"


def render(
    corpus: Corpus,
    target: Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    text = render_text(corpus, progress=progress, cancelled=cancelled)
    check_cancelled(cancelled)
    with open(target, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


__all__ = [
    "excerpt_block",
    "excerpt_heading",
    "interview_transcript",
    "line_block",
    "render",
    "render_text",
]
