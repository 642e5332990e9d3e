"""The export corpus: selection, consent and redaction before any renderer."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest

from archive.consent import Purpose
from archive.export import (
    AnthologySpec,
    build_corpus,
    citation,
    dump_spec,
    load_spec,
    preview,
    spec_from_dict,
    truncate,
)
from archive.export.picker import search_for_export
from archive.redaction import MARKER
from archive.util import InvalidInputError
from tests.export_fixtures import (
    CLOSED_SECRET,
    NEVER,
    PSEUDONYM,
    REAL_NAME_SHOWN,
    REDACTED_NAME,
    REDACTED_RANGE_WORD,
    RESTRICTED_SECRET,
)


def everything(corpus) -> str:
    """All the text a renderer could reach, as one string."""
    return repr(corpus.chapters) + repr(corpus.interviews)


@pytest.mark.parametrize("unit", ["clips", "interviews"])
@pytest.mark.parametrize("purpose", list(Purpose))
def test_nothing_forbidden_reaches_a_renderer(export_archive, unit, purpose):
    spec = AnthologySpec(unit=unit, include_translations=True)
    corpus = build_corpus(export_archive.archive, spec, purpose)
    text = everything(corpus)
    for secret in NEVER:
        assert secret not in text, secret
    ids = {e.id for e in corpus.interviews}
    assert export_archive.ids["closed"] not in ids
    assert export_archive.ids["embargoed"] not in ids
    assert export_archive.ids["withdrawn"] not in ids
    restricted_in = export_archive.ids["restricted"] in ids
    assert restricted_in is (purpose is Purpose.DEPOSIT)
    assert (RESTRICTED_SECRET in text) is (purpose is Purpose.DEPOSIT)
    assert PSEUDONYM in text and REAL_NAME_SHOWN in text
    assert corpus.excluded["closed"] >= 1 and corpus.excluded["withdrawn"] >= 1


def test_redactions_are_applied_to_lines_titles_and_translations(export_archive):
    spec = AnthologySpec(unit="interviews", include_translations=True)
    corpus = build_corpus(export_archive.archive, spec)
    hy = corpus.interview(export_archive.ids["open_pseudonym"])
    assert hy.credit == PSEUDONYM and not hy.real_name_shown
    assert hy.title == f"Մեր հարևանները {MARKER}"
    assert hy.summary == f"{MARKER} remembers the {MARKER} family."  # "Ashot" by the name rule
    texts = [(line.text, line.translation) for line in hy.lines]
    assert texts[0] == (f"Մեր հարևանները {MARKER}", f"Our neighbours the {MARKER}")
    assert texts[1] == (MARKER, MARKER)  # inside the redacted time range
    assert texts[2] == (f"Իմ անունը {MARKER} է", f"My name is {MARKER}")
    assert texts[3][0] == "թարմ հաց էին բերում մեր տուն։"  # untouched, exactly
    # Sound: the range, and where redacted names are said (by word times): the
    # neighbours' name just before the range, the narrator's own name after it.
    flat = [t for pair in hy.redacted_ranges for t in pair]
    assert flat == pytest.approx([0.8, export_archive.redacted_range[1], 2.88, 3.36])
    assert REDACTED_RANGE_WORD not in everything(corpus)


def test_translations_only_when_asked(export_archive):
    corpus = build_corpus(export_archive.archive, AnthologySpec(unit="interviews"))
    assert all(line.translation is None for e in corpus.interviews for line in e.lines)


def test_clip_override_closes_a_passage_of_an_open_interview(export_archive):
    archive = export_archive.archive
    food = export_archive.clips["open_pseudonym_food"]
    archive.consent.set_clip(food, level="closed")
    clips = build_corpus(archive, AnthologySpec())
    assert food not in {e.clip_id for e in clips.excerpts}
    assert clips.excluded["closed"] >= 2
    # The closed passage is blanked inside the open clip that overlaps it too.
    wide = next(e for e in clips.excerpts if e.clip_id == export_archive.clips["open_pseudonym"])
    closed_clip = archive.clips.get(food)
    assert all(line.text == MARKER for line in wide.lines if line.end > closed_clip.start)
    assert any(a <= closed_clip.start and b >= wide.end for a, b in wide.redacted_ranges)
    whole = build_corpus(archive, AnthologySpec(unit="interviews"))
    hy = whole.interview(export_archive.ids["open_pseudonym"])
    clip = archive.clips.get(food)
    assert (clip.start, clip.end) in hy.redacted_ranges or any(
        a <= clip.start and clip.end <= b for a, b in hy.redacted_ranges
    )
    assert all(line.text == MARKER for line in hy.lines if line.start >= clip.start)


def test_clip_override_opens_a_passage_of_a_restricted_interview(export_archive):
    archive = export_archive.archive
    clip = export_archive.clips["restricted"]
    archive.consent.set_clip(clip, level="open", publish=True)
    corpus = build_corpus(archive, AnthologySpec())
    assert clip in {e.clip_id for e in corpus.excerpts}
    # The whole interview stays out of a publication.
    whole = build_corpus(archive, AnthologySpec(unit="interviews"))
    assert export_archive.ids["restricted"] not in {e.id for e in whole.interviews}


def test_selection_by_theme_narrator_place_and_hand_picked(export_archive):
    archive = export_archive.archive
    food = build_corpus(archive, AnthologySpec().with_selection(themes=("food",)))
    assert [e.clip_id for e in food.excerpts] == [export_archive.clips["open_pseudonym_food"]]
    assert [c.title for c in food.chapters] == ["Food"]
    by_name = build_corpus(archive, AnthologySpec().with_selection(narrators=(PSEUDONYM,)))
    assert {e.interview_id for e in by_name.excerpts} == {export_archive.ids["open_pseudonym"]}
    tbilisi = build_corpus(archive, AnthologySpec().with_selection(places=("Tbilisi",)))
    assert {e.interview_id for e in tbilisi.excerpts} == {export_archive.ids["open_georgian"]}
    picked = [export_archive.clips["open_georgian"], export_archive.clips["open_real"]]
    manual = build_corpus(
        archive, AnthologySpec(order="manual", group_by="narrator").with_selection(clips=picked)
    )
    assert [e.clip_id for e in manual.excerpts] == picked
    with pytest.raises(InvalidInputError, match="No theme"):
        build_corpus(archive, AnthologySpec().with_selection(themes=("no such theme",)))


def test_grouping_and_citation(export_archive):
    archive = export_archive.archive
    chrono = build_corpus(archive, AnthologySpec(group_by="chronological"))
    assert [c.title for c in chrono.chapters] == ["2019", "2020", "2021"]
    excerpt = chrono.chapters[0].excerpts[0]
    assert citation(excerpt) == (
        f"{REAL_NAME_SHOWN}, Baku, 2019. Interview {excerpt.interview_id}, 0:00:00–0:00:04."
    )
    assert citation(excerpt, "short").startswith(f"{REAL_NAME_SHOWN}, 2019 [")


def test_embargo_lifts_on_the_day_after(export_archive):
    archive = export_archive.archive
    archive.consent.set(export_archive.ids["embargoed"], embargo_until="2030-06")
    ids = lambda day: {  # noqa: E731
        e.id for e in build_corpus(archive, AnthologySpec(), today=day).interviews
    }
    assert export_archive.ids["embargoed"] not in ids(dt.date(2030, 6, 30))
    assert export_archive.ids["embargoed"] in ids(dt.date(2030, 7, 1))


def test_spec_toml_roundtrip_and_errors(tmp_path):
    spec = AnthologySpec(
        title="Side by Side",
        introduction="Line one\nLine two «quoted» ქართული",
        include_translations=True,
    ).with_selection(themes=("food",), clips=(3, 1))
    path = tmp_path / "book.toml"
    path.write_text(dump_spec(spec), encoding="utf-8")
    assert load_spec(path) == spec
    with pytest.raises(InvalidInputError, match="Unknown anthology setting"):
        spec_from_dict({"titel": "typo"})
    with pytest.raises(InvalidInputError, match="group_by"):
        spec_from_dict({"group_by": "colour"})
    bad = tmp_path / "bad.toml"
    bad.write_text("title = ", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="not valid TOML"):
        load_spec(bad)
    with pytest.raises(InvalidInputError, match="No anthology file"):
        load_spec(tmp_path / "missing.toml")


def test_saved_anthologies(archive):
    spec = AnthologySpec(title="Bread").with_selection(themes=("food",))
    saved = archive.anthologies.save(spec)
    assert archive.anthologies.get(saved.id).spec == spec
    archive.anthologies.save(AnthologySpec(title="Bread II"), saved.id)
    assert [a.title for a in archive.anthologies.list()] == ["Bread II"]
    archive.anthologies.delete(saved.id)
    assert archive.anthologies.list() == []


def test_picker_hides_closed_hits_and_snippets_redacted_text(export_archive):
    archive = export_archive.archive
    assert archive.search(CLOSED_SECRET)  # the archive itself finds it...
    found = search_for_export(archive, CLOSED_SECRET)
    assert found.hits == [] and found.hidden["closed"] >= 1  # ...an export preview does not
    names = search_for_export(archive, "neighbours")
    assert names.hits
    for hit in names.hits:
        for secret in NEVER:
            assert secret not in hit.snippet
    redacted = search_for_export(archive, REDACTED_NAME)
    assert all(REDACTED_NAME not in h.snippet for h in redacted.hits)


def test_truncate_and_preview_in_memory(export_archive):
    corpus = build_corpus(export_archive.archive, AnthologySpec())
    short = truncate(corpus, 2)
    assert len(short.excerpts) == 2
    assert {e.id for e in short.interviews} == {e.interview_id for e in short.excerpts}
    empty = preview(export_archive.archive, AnthologySpec().with_selection(themes=("music",)))
    assert empty.pdf == b"" and empty.excerpts == 0
    first = preview(export_archive.archive, AnthologySpec(title="Preview"), max_excerpts=2)
    assert (first.excerpts, first.interviews) == (4, 3)  # counts of the whole book
    assert first.excluded["closed"] == 1
    reader = pypdf.PdfReader(io.BytesIO(first.pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Preview" in text and "Colophon" in text
    for secret in NEVER:
        assert secret not in text


def test_a_clip_opened_from_a_closed_interview_brings_nothing_else(export_archive):
    archive = export_archive.archive
    closed = export_archive.ids["closed"]
    archive.interviews.update(closed, _meta(archive, closed, "Pangolin summary"))
    clip = archive.clips.create(closed, 2.0, 4.0, title="the market")
    archive.consent.set_clip(clip.id, level="open", publish=True)
    for purpose in Purpose:
        corpus = build_corpus(archive, AnthologySpec(), purpose)
        text = everything(corpus)
        assert CLOSED_SECRET not in text  # said at 0-2 s, outside the clip
        assert "Pangolin" not in text  # the interview's own summary stays closed
        excerpt = next(e for e in corpus.excerpts if e.clip_id == clip.id)
        assert [line.text for line in excerpt.lines] == ["and the market"]
        entry = corpus.interview(closed)
        assert entry.title is None and entry.summary is None and entry.themes == ()


def _meta(archive, interview_id, summary):
    from archive.records import InterviewMetadata

    interview = archive.interviews.get(interview_id)
    return InterviewMetadata(
        title=interview.title, recorded_on=interview.recorded_on, summary=summary
    )


def test_one_name_per_narrator_in_one_export(export_archive):
    archive = export_archive.archive
    hy, en = export_archive.ids["open_pseudonym"], export_archive.ids["open_real"]
    # A clip asking for the real name of a narrator who asked for a pseudonym...
    archive.consent.set_clip(export_archive.clips["open_pseudonym"], name_display="real")
    # ...and a clip asking for the pseudonym of a narrator shown by her name.
    archive.consent.set_clip(export_archive.clips["open_real"], name_display="pseudonym")
    for unit in ("clips", "interviews"):
        corpus = build_corpus(archive, AnthologySpec(unit=unit, include_translations=True))
        text = everything(corpus)
        assert "Ashot" not in text and "Grigoryan" not in text
        assert REAL_NAME_SHOWN not in text  # the most private wins, everywhere
        credits = {e.credit for e in corpus.excerpts if e.interview_id in (hy, en)}
        credits |= {corpus.interview(i).credit for i in (hy, en)}
        assert PSEUDONYM in credits and len(credits) == 2


def test_translations_go_whole_when_a_redaction_cannot_be_found_in_them(export_archive):
    archive = export_archive.archive
    ka = export_archive.ids["open_georgian"]
    first = archive.segments.list(ka)[0]
    archive.redactions.add_text(ka, "მეზობლები")  # the translation says "neighbours"
    corpus = build_corpus(archive, AnthologySpec(unit="interviews", include_translations=True))
    line = corpus.interview(ka).lines[0]
    assert line.text.startswith(f"ჩვენი {MARKER}") and line.translation == MARKER
    archive.redactions.add_span(first.id, 0, 5)  # a span: same, whatever the words
    corpus = build_corpus(archive, AnthologySpec(unit="interviews", include_translations=True))
    assert corpus.interview(ka).lines[0].translation == MARKER
    assert corpus.interview(ka).lines[1].translation == "brought us hot bread at home."


def test_picker_blanks_passages_closed_by_their_clip(export_archive):
    archive = export_archive.archive
    assert any("house" in hit.snippet for hit in search_for_export(archive, "house").hits)
    archive.consent.set_clip(export_archive.clips["open_pseudonym_food"], level="closed")
    found = search_for_export(archive, "house")
    assert all("house" not in hit.snippet for hit in found.hits)


def test_names_redacted_by_rule_follow_consent(export_archive):
    from archive.export.corpus import names_redacted_by_rule

    archive = export_archive.archive
    hy, en = export_archive.ids["open_pseudonym"], export_archive.ids["open_real"]
    assert names_redacted_by_rule(archive, hy) == ["Ashot Grigoryan", "Ashot", "Grigoryan"]
    assert names_redacted_by_rule(archive, en) == []  # she asked for her name
    archive.consent.set(en, name_display="pseudonym")
    assert "Petrosyan" in names_redacted_by_rule(archive, en)
