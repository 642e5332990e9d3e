"""Small shared pieces: plain sentences about exports, specs for ad-hoc exports, safe
file names."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

from archive.consent import Purpose
from archive.export import AnthologySpec, Selection, excluded_summary

_CONTEXT = "Anthology"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')

PURPOSE_SENTENCES = {
    Purpose.PUBLICATION: "Publication: only what narrators allowed to be published",
    Purpose.DEPOSIT: (
        "Deposit for a partner archive: open and restricted interviews, each marked with "
        "its level; nothing closed, withdrawn or embargoed"
    ),
}
GROUPING_LABELS = {
    "theme": "By theme",
    "narrator": "By narrator",
    "chronological": "By year",
    "interview": "By interview",
}
ORDER_LABELS = {
    "chronological": "Chronological",
    "archive": "As in the archive",
    "manual": "Hand-picked order",
}
CITATION_LABELS = {"full": "Full (narrator, place, year, interview, times)", "short": "Short"}
UNIT_LABELS = {"clips": "Excerpts (clips)", "interviews": "Whole interviews"}


def tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def count_line(interviews: int, excerpts: int, excluded: Counter[str], unit: str = "clips") -> str:
    """ "12 excerpts from 5 interviews · 3 left out by consent (closed 2, withdrawn 1)"."""
    if unit == "interviews":
        head = plural(interviews, tr("interview"), tr("interviews"))
    else:
        head = tr("{excerpts} from {interviews}").format(
            excerpts=plural(excerpts, tr("excerpt"), tr("excerpts")),
            interviews=plural(interviews, tr("interview"), tr("interviews")),
        )
    return f"{head} · {excluded_summary(excluded)}"


def purpose_sentence(purpose: Purpose) -> str:
    return tr(PURPOSE_SENTENCES[purpose])


def interviews_spec(interview_ids: Sequence[str]) -> AnthologySpec:
    """Whole interviews, for "Export interview…" and the library's selection.

    The title never repeats an interview's own title (it may hold a redacted name).
    """
    ids = tuple(interview_ids)
    title = (
        tr("Interview {id}").format(id=ids[0][:8])
        if len(ids) == 1
        else tr("{n} interviews").format(n=len(ids))
    )
    return AnthologySpec(
        title=title,
        unit="interviews",
        group_by="interview",
        selection=Selection(interviews=ids),
    )


def safe_file_name(title: str, suffix: str, fallback: str = "anthology") -> str:
    """A file name from ``title`` in any script: no path separators or reserved
    characters, spaces as hyphens, at most 80 characters, then ``suffix``."""
    name = unicodedata.normalize("NFC", title)
    name = _UNSAFE.sub(" ", name)
    name = "-".join(name.split()).strip(".-")
    name = name[:80].rstrip(".-") or fallback
    return name + suffix
