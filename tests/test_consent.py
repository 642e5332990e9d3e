"""Consent: the stored record and the one rule that decides what may go out."""

from __future__ import annotations

import datetime as dt

import pytest

from archive.consent import (
    ClipConsent,
    Consent,
    Purpose,
    credit_name,
    decide,
    embargo_end,
    is_embargoed,
)
from archive.records import InterviewMetadata, Narrator
from archive.synthetic import create_interview_without_media
from archive.util import InvalidInputError

TODAY = dt.date(2026, 11, 22)
NARRATOR = Narrator(id="n1", name="Anahit Petrosyan", pseudonym="A. P.")


def open_consent(**changes) -> Consent:
    base = {"interview_id": "abc123def456", "level": "open", "publish": True, "recorded": True}
    return Consent(**{**base, **changes})


def test_no_consent_recorded_means_closed_for_every_purpose():
    default = Consent("abc123def456")
    for purpose in Purpose:
        verdict = decide(default, purpose, narrator=NARRATOR, today=TODAY)
        assert not verdict.allowed
        assert verdict.reason == "closed"
        assert verdict.credit == "A. P."  # never the real name by default


@pytest.mark.parametrize(
    ("changes", "publication", "deposit"),
    [
        ({}, True, True),
        ({"publish": False}, False, True),
        ({"level": "restricted"}, False, True),
        ({"level": "closed"}, False, False),
        ({"embargo_until": "2026-11-22"}, False, False),  # the last day is still embargoed
        ({"embargo_until": "2026-11-21"}, True, True),
        ({"embargo_until": "2026"}, False, False),  # a year lasts to 31 December
        ({"embargo_until": "2026-10"}, True, True),
        ({"withdrawn_on": "2025-01-01"}, False, False),
    ],
)
def test_decide_by_purpose(changes, publication, deposit):
    consent = open_consent(**changes)
    assert decide(consent, Purpose.PUBLICATION, today=TODAY).allowed is publication
    assert decide(consent, Purpose.DEPOSIT, today=TODAY).allowed is deposit


def test_clip_override_cannot_lift_withdrawal_or_embargo():
    loosen = ClipConsent(clip_id=1, level="open", publish=True)
    for changes, reason in (
        ({"withdrawn_on": "2024-01-01"}, "withdrawn"),
        ({"embargo_until": "2099"}, "embargoed"),
    ):
        verdict = decide(open_consent(**changes), "publication", clip=loosen, today=TODAY)
        assert (verdict.allowed, verdict.reason) == (False, reason)


def test_clip_override_narrows_and_widens_level():
    closed_clip = ClipConsent(clip_id=1, level="closed")
    assert not decide(open_consent(), "publication", clip=closed_clip, today=TODAY).allowed
    open_clip = ClipConsent(clip_id=2, level="open", publish=True)
    restricted = open_consent(level="restricted", publish=False)
    assert decide(restricted, "publication", clip=open_clip, today=TODAY).allowed


def test_credit_never_falls_back_to_the_real_name():
    assert credit_name(open_consent(name_display="real"), NARRATOR) == ("Anahit Petrosyan", True)
    assert credit_name(open_consent(pseudonym="Narrator H."), NARRATOR) == ("Narrator H.", False)
    nameless = Narrator(id="n2", name="Real Name")
    credit, real = credit_name(open_consent(), nameless)
    assert (credit, real) == ("Narrator ABC123", False)
    assert "Real" not in credit
    # A clip may ask for the pseudonym even when the interview shows the name.
    verdict = decide(
        open_consent(name_display="real"),
        "publication",
        narrator=NARRATOR,
        clip=ClipConsent(clip_id=1, name_display="pseudonym"),
        today=TODAY,
    )
    assert (verdict.credit, verdict.real_name_shown) == ("A. P.", False)


def test_embargo_end_of_partial_dates():
    assert embargo_end("2030") == dt.date(2030, 12, 31)
    assert embargo_end("2028-02") == dt.date(2028, 2, 29)
    assert embargo_end("2030-05-17") == dt.date(2030, 5, 17)
    assert is_embargoed(open_consent(embargo_until="2030"), TODAY)


def test_store_roundtrip_withdraw_reinstate_and_audit(archive):
    interview = create_interview_without_media(
        archive, InterviewMetadata(title="t", narrator="Anahit Petrosyan"), duration=60
    )
    assert archive.consent.get(interview.id).recorded is False
    consent = archive.consent.set(
        interview.id, level="open", publish=True, pseudonym="  A. P. ", embargo_until="2030-05"
    )
    assert (consent.level, consent.publish, consent.pseudonym) == ("open", True, "A. P.")
    assert consent.embargo_until == "2030-05" and consent.recorded
    # Changing one field keeps the others.
    consent = archive.consent.set(interview.id, embargo_until=None)
    assert consent.embargo_until is None and consent.pseudonym == "A. P." and consent.publish
    withdrawn = archive.consent.withdraw(interview.id, note="called us")
    assert withdrawn.withdrawn and withdrawn.withdrawn_note == "called us"
    verdict = archive.consent.permission(interview.id, "deposit")
    assert (verdict.allowed, verdict.reason) == (False, "withdrawn")
    assert not archive.consent.reinstate(interview.id).withdrawn
    assert archive.consent.permission(interview.id, "publication").allowed
    actions = [e.action for e in archive.audit.entries()]
    assert {"consent.set", "consent.withdraw", "consent.reinstate"} <= set(actions)
    # The audit trail holds no content: not the pseudonym, not the note.
    assert not any("A. P." in str(e) or "called us" in str(e) for e in archive.audit.entries())


def test_store_rejects_bad_values(archive):
    interview = create_interview_without_media(archive, InterviewMetadata(title="t"), duration=9)
    with pytest.raises(InvalidInputError, match="consent level"):
        archive.consent.set(interview.id, level="public")
    with pytest.raises(InvalidInputError, match="date"):
        archive.consent.set(interview.id, embargo_until="next year")
    with pytest.raises(InvalidInputError, match="name display"):
        archive.consent.set(interview.id, name_display="both")
    assert archive.consent.get(interview.id).recorded is False  # nothing half-written


def test_release_form_and_verbal_consent_clip(archive, tmp_path):
    interview = create_interview_without_media(archive, InterviewMetadata(title="t"), duration=90)
    other = create_interview_without_media(archive, InterviewMetadata(title="o"), duration=90)
    form = tmp_path / "release.pdf"
    form.write_bytes(b"%PDF-1.4 signed release form " * 100)
    consent = archive.consent.attach_release_form(interview.id, form)
    stored = archive.media.get(consent.release_media_id)
    assert stored.role == "release_form" and stored.size == form.stat().st_size
    assert archive.media.read_all(stored.id) == form.read_bytes()
    # The vault copy is encrypted.
    assert b"signed release form" not in archive.vault_path(stored.id).read_bytes()
    clip = archive.clips.create(interview.id, 1.0, 9.0, kind="verbal_consent")
    assert archive.consent.set(interview.id, release_clip_id=clip.id).release_clip_id == clip.id
    foreign = archive.clips.create(other.id, 1.0, 2.0)
    with pytest.raises(InvalidInputError, match="another interview"):
        archive.consent.set(interview.id, release_clip_id=foreign.id)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(InvalidInputError, match="empty"):
        archive.consent.attach_release_form(interview.id, empty)


def test_clip_overrides_set_and_clear(archive):
    interview = create_interview_without_media(archive, InterviewMetadata(title="t"), duration=90)
    clip = archive.clips.create(interview.id, 1.0, 9.0)
    assert archive.consent.clip(clip.id) is None
    override = archive.consent.set_clip(clip.id, level="closed")
    assert override == ClipConsent(clip.id, "closed", None, None)
    assert archive.consent.for_clips([clip.id]) == {clip.id: override}
    assert archive.consent.set_clip(clip.id) is None  # all None removes it
