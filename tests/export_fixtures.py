"""An archive built for export tests: every consent case, real names, redactions.

Each interview carries a *secret* word in its transcript, title or summary that must
never appear in any export if consent or redaction says so.  Tests import
:func:`build_export_archive` (or use the ``export_archive`` fixture) and check every
format for the secrets in :data:`NEVER`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from archive import Archive
from archive.records import InterviewMetadata, NewSegment, Word

FIXTURES = Path(__file__).parent / "fixtures"

# Words that must never leave the archive, whatever the format or purpose.
CLOSED_SECRET = "Zanzibarclosed"
EMBARGO_SECRET = "Quetzalembargo"
WITHDRAWN_SECRET = "Walrusgone"
REDACTED_NAME = "Vardanyan"  # redacted everywhere in the open Armenian interview
REDACTED_RANGE_WORD = "Magnolia"  # spoken inside a redacted time range
REAL_NAME_PSEUDONYMISED = "Ashot Grigoryan"  # narrator who asked for a pseudonym
PSEUDONYM = "Narrator H."
REAL_NAME_SHOWN = "Anahit Petrosyan"  # narrator who asked for her real name
RESTRICTED_SECRET = "Okapirestricted"  # restricted: deposit only, never published

NEVER = (
    CLOSED_SECRET,
    EMBARGO_SECRET,
    WITHDRAWN_SECRET,
    REDACTED_NAME,
    REDACTED_RANGE_WORD,
    "Ashot",
    "Grigoryan",
)


@dataclass
class ExportArchive:
    archive: Archive
    ids: dict[str, str] = field(default_factory=dict)  # role -> interview id
    clips: dict[str, int] = field(default_factory=dict)  # role -> clip id
    redacted_range: tuple[float, float] = (0.0, 0.0)  # in interview "hy" time


def _words(text: str, start: float, end: float) -> tuple[Word, ...]:
    tokens = text.split()
    step = (end - start) / len(tokens)
    return tuple(
        Word(start + i * step, start + (i + 1) * step, " " + t, 0.9) for i, t in enumerate(tokens)
    )


def _segments(lines: list[tuple[float, float, str, str | None]]) -> list[NewSegment]:
    return [
        NewSegment(start=s, end=e, text=t, words=_words(t, s, e), translation=tr, speaker=None)
        for s, e, t, tr in lines
    ]


def build_export_archive(archive: Archive) -> ExportArchive:
    """Fill ``archive`` (empty, open) with the export cases; returns their ids."""
    out = ExportArchive(archive)

    def interview(role: str, stem: str, meta: InterviewMetadata, lines) -> str:
        created = archive.import_file(FIXTURES / f"{stem}.wav", meta)
        archive.segments.add(created.id, _segments(lines), source="human")
        out.ids[role] = created.id
        return created.id

    # Open, real name shown, English, with a translation-free transcript.
    en = interview(
        "open_real",
        "speech_en",
        InterviewMetadata(
            title="Bread and tea",
            narrator=REAL_NAME_SHOWN,
            recorded_on="2019-05-12",
            place="Baku",
            languages=("en",),
            summary="Neighbours share bread.",
        ),
        [
            (0.0, 2.5, "Our neighbors shared fresh bread and hot tea", None),
            (2.5, 4.5, "in the old courtyard.", None),
        ],
    )
    archive.consent.set(en, level="open", publish=True, name_display="real")

    # Open, pseudonym, Armenian with English translation; a redacted name and range.
    hy = interview(
        "open_pseudonym",
        "speech_hy",
        InterviewMetadata(
            title=f"Մեր հարևանները {REDACTED_NAME}",
            narrator=REAL_NAME_PSEUDONYMISED,
            recorded_on="2021",
            place="Yerevan",
            languages=("hy",),
            summary=f"Ashot remembers the {REDACTED_NAME} family.",
        ),
        [
            (
                0.0,
                1.2,
                f"Մեր հարևանները {REDACTED_NAME}ները",
                f"Our neighbours the {REDACTED_NAME}s",
            ),
            (
                1.2,
                2.4,
                f"{REDACTED_RANGE_WORD} ամեն առավոտ",
                f"{REDACTED_RANGE_WORD} every morning",
            ),
            (2.4, 3.6, "Իմ անունը Ashot Grigoryan է", "My name is Ashot Grigoryan"),
            (3.6, 4.9, "թարմ հաց էին բերում մեր տուն։", "brought fresh bread to our house."),
        ],
    )
    archive.consent.set(
        hy, level="open", publish=True, name_display="pseudonym", pseudonym=PSEUDONYM
    )
    archive.redactions.add_text(hy, REDACTED_NAME, reason="third party")
    out.redacted_range = (1.2, 2.4)
    archive.redactions.add_range(hy, 1.2, 2.4, reason="names a living person")

    # Georgian, open, published.
    ka = interview(
        "open_georgian",
        "speech_ka",
        InterviewMetadata(
            title="ჩვენი მეზობლები",
            narrator="Nino K.",
            recorded_on="2020-03",
            place="Tbilisi",
            languages=("ka",),
        ),
        [(0.0, 2.5, "ჩვენი მეზობლები ყოველ დილით", "Our neighbours every morning"),
         (2.5, 4.9, "ცხელ პურს გვიტანდნენ სახლში.", "brought us hot bread at home.")],
    )  # fmt: skip
    archive.consent.set(ka, level="open", publish=True, name_display="real")

    # Closed, embargoed, withdrawn, restricted: each with its secret.
    for role, stem, secret in (
        ("closed", "speech_ru", CLOSED_SECRET),
        ("embargoed", "speech_az", EMBARGO_SECRET),
        ("withdrawn", "speech_tr", WITHDRAWN_SECRET),
        ("restricted", "speech_en_2", RESTRICTED_SECRET),
    ):
        interview(
            role,
            stem,
            InterviewMetadata(
                title=f"{secret} title",
                narrator="Lusine Mkrtchyan" if role == "restricted" else f"{secret} Person",
                recorded_on="2018",
            ),
            [(0.0, 2.0, f"I remember {secret} well", None), (2.0, 4.0, "and the market", None)],
        )
    archive.consent.set(out.ids["closed"], level="closed", publish=False)
    archive.consent.set(out.ids["embargoed"], level="open", publish=True, embargo_until="2099")
    archive.consent.set(out.ids["withdrawn"], level="open", publish=True)
    archive.consent.withdraw(out.ids["withdrawn"], note="asked by phone")
    archive.consent.set(out.ids["restricted"], level="restricted", publish=False)

    # Clips tagged with themes in every interview.
    for role, interview_id in out.ids.items():
        clip = archive.clips.create(
            interview_id, 0.0, 4.0, themes=["neighbourliness_and_friendship"]
        )
        out.clips[role] = clip.id
    out.clips["open_pseudonym_food"] = archive.clips.create(
        hy, 2.4, 4.9, themes=["food"], title=f"Bread from the {REDACTED_NAME}s"
    ).id
    return out


__all__ = ["NEVER", "ExportArchive", "build_export_archive"]
