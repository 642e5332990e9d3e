"""Search: across scripts, phrases, prefixes, booleans, filters, snippets, index sync."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive import (
    Archive,
    InterviewMetadata,
    InvalidInputError,
    NewSegment,
    NotFoundError,
    SearchFilters,
    SearchHit,
    search_filters,
)
from archive.db import connect
from archive.schema import migrate, migrations
from archive.search import optimize_index, search_archive
from archive.synthetic import create_interview_without_media
from archive.util import now

from .conftest import FAST_KDF, PASSPHRASE

REAL_NAMES = ("Zaruhi Qwertyan", "Farid Zxcvbov")


def _interview(archive: Archive, meta: InterviewMetadata, status: str = "done") -> str:
    return create_interview_without_media(
        archive, meta, duration=600.0, transcription_status=status
    ).id


def _seg(start: float, text: str, language: str | None, translation: str | None = None):
    return NewSegment(start, start + 10, text, language=language, translation=translation)


def build_corpus(archive: Archive) -> dict[str, str]:
    """Three interviews in five scripts; returns names -> ids."""
    a = _interview(
        archive,
        InterviewMetadata(
            title="Memories of Shusha",
            narrator=REAL_NAMES[0],
            recorded_on="1994-05",
            languages=("hy", "ru"),
            summary="A childhood in Şuşa and the flight to Baku",
        ),
    )
    b = _interview(
        archive,
        InterviewMetadata(
            title="Qonşular",
            narrator=REAL_NAMES[1],
            recorded_on="2001",
            languages=("az",),
            place="Bakı",
        ),
        status="partial",
    )
    c = _interview(
        archive,
        InterviewMetadata(
            title="Tbilisi courtyards", recorded_on="2010-03-15", languages=("ka", "en")
        ),
    )
    for iv, pseudonym in ((a, "Anahit"), (b, "Leyla")):
        narrator_id = archive.interviews.get(iv).narrator_id
        assert narrator_id
        archive.narrators.update(narrator_id, pseudonym=pseudonym)
    ids: dict[str, str] = {"a": a, "b": b, "c": c}
    segs = {
        a: [
            _seg(0, "Мы жили в Баку, на улице Низами, рядом жил Хачик", "ru"),
            _seg(10, "Մենք ապրում էինք Շուշի քաղաքում, հետո փախանք Բաքու", "hy"),
            _seg(20, "Свежий хлеб из тонира пекла бабушка", "ru",
                 "Grandmother baked fresh bread in the tonir"),
            _seg(30, "Մեր հարևան Խաչիկ", "hy"),
            _seg(40, "депортация 1949 года", None),
            _seg(50, "Шуша была рядом", "ru"),
        ],
        b: [
            _seg(0, "Biz Bakı şəhərində yaşayırdıq, İsmayıl müəllim bizim qonşumuz idi", "az"),
            _seg(10, "Şuşa çox gözəl idi, Gəncə də", "az"),
            _seg(20, "Təzə çörək təndirdə bişirdi", "az", "fresh bread from the tandir"),
            _seg(30, "deportasiya haqqında danışmırdılar", "az"),
            _seg(40, "Xankəndi yaxın idi", "az"),
        ],
        c: [
            _seg(0, "ჩვენ ვცხოვრობდით თბილისი ეზოში, ბაქო შორს იყო", "ka"),
            _seg(10, "Fresh bread every morning; the bread was fresh and warm", "en"),
            _seg(20, "We never spoke about the deportation, only silence", "en"),
            _seg(30, "ხაჭაპური და ჩაი", "ka"),
        ],
    }  # fmt: skip
    for iv, new in segs.items():
        for n, seg_id in enumerate(archive.segments.add(iv, new)):
            ids[f"{next(k for k, v in ids.items() if v == iv)}{n + 1}"] = str(seg_id)
    ids["clip_a"] = str(
        archive.clips.create(a, 0, 15, themes=["food"], note="Khachik brought lavash",
                             title="Neighbour Khachik").id
    )  # fmt: skip
    ids["clip_b"] = str(
        archive.clips.create(b, 20, 30, themes=["school"], note="Bread and school").id
    )
    clip_c = archive.clips.create(c, 20, 30, themes=["memory_and_silence"],
                                  note="Silence about deportation")  # fmt: skip
    ids["clip_c"] = str(clip_c.id)
    archive.places.link_interview(a, "Shushi")
    archive.places.link_clip(clip_c.id, "Baku")
    archive.themes.add_to_interview(a, ["flight"])
    return ids


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Archive, dict[str, str]]]:
    """One archive for the read-only tests (building it costs more than a search)."""
    with pytest.MonkeyPatch.context() as mp:
        base = tmp_path_factory.mktemp("search-appdirs")
        mp.setenv("SIDEBYSIDE_CONFIG_DIR", str(base / "config"))
        mp.setenv("SIDEBYSIDE_DATA_DIR", str(base / "data"))
        archive = Archive.create(base / "archive", PASSPHRASE, kdf=FAST_KDF)
        try:
            yield archive, build_corpus(archive)
        finally:
            archive.close()


def found(
    archive: Archive, query: str, filters: SearchFilters | None = None, **kw: object
) -> set[str]:
    """Hits as 'segment:ID', 'clip:ID' or 'interview:ID'."""
    hits = search_archive(archive, query, filters, **kw)  # type: ignore[arg-type]
    return {_key(h) for h in hits}


def _key(hit: SearchHit) -> str:
    ref = {"segment": hit.segment_id, "clip": hit.clip_id}.get(hit.kind, hit.interview_id)
    return f"{hit.kind}:{ref}"


def seg(ids: dict[str, str], *names: str) -> set[str]:
    return {f"segment:{ids[n]}" for n in names}


def clip(ids: dict[str, str], *names: str) -> set[str]:
    return {f"clip:{ids['clip_' + n]}" for n in names}


def interview(ids: dict[str, str], *names: str) -> set[str]:
    return {f"interview:{ids[n]}" for n in names}


# -- across scripts -------------------------------------------------------------


@pytest.mark.parametrize("query", ["Khachik", "Хачик", "Խաչիկ", "KHACHIK"])
def test_latin_cyrillic_armenian_meet(corpus, query):
    archive, ids = corpus
    assert found(archive, query) == seg(ids, "a1", "a4") | clip(ids, "a")


@pytest.mark.parametrize("query", ["khachapuri", "хачапури", "ხაჭაპური"])
def test_georgian_meets_latin_and_cyrillic(corpus, query):
    archive, ids = corpus
    assert found(archive, query) == seg(ids, "c4")


def test_georgian_city_name_and_interview_title(corpus):
    archive, ids = corpus
    expected = seg(ids, "c1") | interview(ids, "c")
    assert found(archive, "Tbilisi") == expected
    assert found(archive, "Тбилиси") == expected
    assert found(archive, "თბილისი") == expected


def test_azerbaijani_schwa_dotless_and_dotted_i(corpus):
    archive, ids = corpus
    assert found(archive, "Ismayil") == seg(ids, "b1")
    assert found(archive, "ISMAYIL muellim") == seg(ids, "b1")
    assert found(archive, "İSMAYIL") == seg(ids, "b1")
    assert found(archive, "gence", expand_place_names=False) == seg(ids, "b2")


def test_baku_finds_every_spelling(corpus):
    archive, ids = corpus
    every = seg(ids, "a1", "a2", "b1", "c1") | interview(ids, "a")
    for query in ("Baku", "Bakı", "Баку", "Բաքու", "ბაქო"):
        assert found(archive, query) == every, query
    # Without the gazetteer, folding alone joins only the spellings that sound alike.
    assert found(archive, "Baku", expand_place_names=False) == seg(ids, "a1", "a2") | interview(
        ids, "a"
    )
    assert found(archive, "Bakı", expand_place_names=False) == seg(ids, "b1")


def test_shusha_finds_sh_spellings_and_the_gazetteer_adds_shushi(corpus):
    archive, ids = corpus
    assert found(archive, "Shusha", expand_place_names=False) == seg(ids, "b2", "a6") | interview(
        ids, "a"
    )
    assert found(archive, "Шуша", expand_place_names=False) == found(
        archive, "Şuşa", expand_place_names=False
    )
    assert found(archive, "Shushi", expand_place_names=False) == seg(ids, "a2")
    assert found(archive, "Shusha") == seg(ids, "a2", "b2", "a6") | interview(ids, "a")


def test_other_names_of_a_place(corpus):
    archive, ids = corpus
    assert found(archive, "Stepanakert") == seg(ids, "b5")
    assert found(archive, "Гянджа") == seg(ids, "b2")
    assert found(archive, "Stepanakert", expand_place_names=False) == set()


# -- query language -------------------------------------------------------------


def test_phrases_match_adjacent_words_only(corpus):
    archive, ids = corpus
    assert found(archive, '"fresh bread"') == seg(ids, "a3", "b3", "c2")
    assert found(archive, "“fresh bread”") == seg(ids, "a3", "b3", "c2")
    assert found(archive, '"bread fresh"') == set()
    assert found(archive, '"ulitse nizami"') == seg(ids, "a1")
    (hit,) = search_archive(archive, '"fresh bread" morning')
    assert hit.snippet == "⟦Fresh bread⟧ every ⟦morning⟧; the bread was fresh and warm"


def test_prefixes_across_scripts(corpus):
    archive, ids = corpus
    assert found(archive, "deport*") == seg(ids, "a5", "b4", "c3") | clip(ids, "c")
    assert found(archive, "ДЕПОРТ*") == found(archive, "deport*")
    assert found(archive, "хачап*") == seg(ids, "c4")
    assert found(archive, '"the depor"*') == seg(ids, "c3")
    hits = search_archive(archive, "deport*", SearchFilters(kinds=("segment",)))
    assert {h.snippet for h in hits} == {
        "⟦депортация⟧ 1949 года",
        "⟦deportasiya⟧ haqqında danışmırdılar",
        "We never spoke about the ⟦deportation⟧, only silence",
    }


def test_boolean_operators_and_parentheses(corpus):
    archive, ids = corpus
    bread = seg(ids, "a3", "b3", "c2") | clip(ids, "b")
    assert found(archive, "bread") == bread
    assert found(archive, "bread NOT morning") == bread - seg(ids, "c2")
    assert found(archive, "fresh AND (morning OR tonir)") == seg(ids, "a3", "c2")
    assert found(archive, "tonir OR təndirdə") == seg(ids, "a3", "b3")
    assert found(archive, "silence deportation") == seg(ids, "c3") | clip(ids, "c")
    assert found(archive, "(silence OR deportation) NOT never") == clip(ids, "c")
    # NOT binds tighter than OR (then AND), as in FTS5.
    assert found(archive, "silence OR deportation NOT never") == seg(ids, "c3") | clip(ids, "c")
    lower_and = seg(ids, "c2") | clip(ids, "b") | interview(ids, "a")
    assert found(archive, "and") == lower_and  # in lower case, a word


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"fresh bread', "quote mark is not closed"),
        ("fresh bread”", "quote mark is not closed"),
        ("(bread OR salt", "parenthesis is not closed"),
        ("bread)", "closing parenthesis has no opening"),
        (")", "closing parenthesis has no opening"),
        ("()", "nothing between the parentheses"),
        ("NOT bread", "NOT needs words before it"),
        ("bread NOT", "NOT needs words on both sides"),
        ("bread AND", "AND needs words on both sides"),
        ("OR bread", "OR needs words on both sides"),
        ("bread OR OR salt", "OR needs words on both sides"),
        ("(bread AND)", "AND needs words on both sides"),
        ('""', "no words between the quote marks"),
        ("b*", "at least 2 letters"),
        ("*", "must follow the start of a word"),
        ("!!! ???", "no words to search for"),
    ],
)
def test_bad_queries_are_explained(corpus, query, message):
    archive, _ = corpus
    with pytest.raises(InvalidInputError, match=message):
        search_archive(archive, query)


def test_blank_query_finds_nothing(corpus):
    archive, _ = corpus
    assert search_archive(archive, "   ") == []


PIECES = ['"', "“", "(", ")", "*", "AND", "OR", "NOT", "NEAR", "bread", "Баку", "a", "-",
          "'", ":", "^", "{", "}", "+", "text:", "deport*", " ", " ", "\\", "ə"]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12))
def test_any_query_gives_hits_or_a_clear_error(corpus, pieces):
    archive, _ = corpus
    query = " ".join(pieces) if len(pieces) % 2 else "".join(pieces)
    try:
        hits = search_archive(archive, query)
    except InvalidInputError as exc:
        assert str(exc).endswith(".")
    except sqlite3.Error as exc:  # pragma: no cover - the failure this test is for
        pytest.fail(f"SQL error for {query!r}: {exc}")
    else:
        assert all(isinstance(h, SearchHit) for h in hits)


# -- hits and snippets ----------------------------------------------------------


def test_a_hit_opens_the_interview_at_its_time(corpus):
    archive, ids = corpus
    (hit,) = search_archive(archive, "Низами")
    assert hit.interview_id == ids["a"] and str(hit.segment_id) == ids["a1"]
    assert (hit.start, hit.end, hit.kind, hit.field, hit.language) == (
        0,
        10,
        "segment",
        "text",
        "ru",
    )
    assert hit.snippet == "Мы жили в Баку, на улице ⟦Низами⟧, рядом жил Хачик"
    (clip_hit,) = search_archive(archive, "lavash")
    assert (clip_hit.kind, str(clip_hit.clip_id), clip_hit.segment_id) == (
        "clip",
        ids["clip_a"],
        None,
    )
    assert (clip_hit.start, clip_hit.end, clip_hit.field) == (0, 15, "note")
    assert clip_hit.snippet == "Khachik brought ⟦lavash⟧"


def test_snippets_show_the_original_text_of_the_field_that_matched(corpus):
    archive, ids = corpus
    (hit,) = search_archive(archive, "grandmother")
    assert hit.field == "translation" and str(hit.segment_id) == ids["a3"]
    assert hit.snippet == "⟦Grandmother⟧ baked fresh bread in the tonir"
    hits = {h.kind: h for h in search_archive(archive, "Khachik")}
    assert hits["clip"].field == "title" and hits["clip"].snippet == "Neighbour ⟦Khachik⟧"
    (title,) = search_archive(archive, "courtyards")
    assert (title.kind, title.field, title.snippet) == (
        "interview",
        "title",
        "Tbilisi ⟦courtyards⟧",
    )


def test_long_text_is_cut_around_the_match(archive: Archive):
    iv = _interview(archive, InterviewMetadata(title="Long"))
    words = [f"w{n}" for n in range(60)]
    words[40] = "Ереван"
    archive.segments.add(iv, [NewSegment(0, 30, " ".join(words) + ".")])
    (hit,) = search_archive(archive, "yerevan", SearchFilters(kinds=("segment",)))
    assert hit.snippet == ("…w36 w37 w38 w39 ⟦Ереван⟧ w41 w42 w43 w44 w45 w46 w47 w48 w49 w50 w51…")


def test_limit_and_offset(corpus):
    archive, _ = corpus
    everything = search_archive(archive, "deport* OR bread OR Baku")
    assert len(everything) > 6
    assert search_archive(archive, "deport* OR bread OR Baku", limit=3) == everything[:3]
    page = search_archive(archive, "deport* OR bread OR Baku", limit=3, offset=3)
    assert page == everything[3:6]
    assert [h.rank for h in everything] == sorted(h.rank for h in everything)
    with pytest.raises(InvalidInputError):
        search_archive(archive, "bread", limit=0)


# -- filters --------------------------------------------------------------------
#
# Filters are applied inside the index (scope tokens) or, for large interview sets and
# broad themes, row by row; every filter test runs both ways and must give the same hits.


@pytest.fixture(params=["in the index", "row by row"])
def both_paths(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    in_index = request.param == "in the index"
    monkeypatch.setattr(search_filters, "MAX_SCOPE_INTERVIEWS", 10_000 if in_index else 0)
    monkeypatch.setattr(search_filters, "BROAD_THEME_SHARE", 2.0 if in_index else 0.0)


runs_both_ways = pytest.mark.usefixtures("both_paths")


@pytest.fixture
def tokens_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Filters inside the index only: for the tests of how the tokens are kept."""
    monkeypatch.setattr(search_filters, "MAX_SCOPE_INTERVIEWS", 10_000)
    monkeypatch.setattr(search_filters, "BROAD_THEME_SHARE", 2.0)


@runs_both_ways
def test_theme_filter_includes_sub_themes_and_interview_themes(corpus):
    archive, ids = corpus
    # The "food" clip (0-15 s) of interview a overlaps segments a1 and a2; the
    # interview (its summary names Baku) has a clip with the theme.
    in_food = seg(ids, "a1", "a2") | interview(ids, "a")
    assert found(archive, "Baku", SearchFilters(themes=("everyday_life",))) == in_food
    assert found(archive, "Baku", SearchFilters(themes=("food",))) == in_food
    assert found(archive, "Baku", SearchFilters(themes=("music",))) == set()
    # Interview a is tagged "flight" as a whole: all of it counts for "displacement".
    assert found(archive, "Baku", SearchFilters(themes=("displacement",))) == seg(
        ids, "a1", "a2"
    ) | interview(ids, "a")
    assert found(archive, "bread", SearchFilters(themes=("Школа",))) == seg(ids, "b3") | clip(
        ids, "b"
    )
    assert found(archive, "deport*", SearchFilters(themes=("memory_and_silence", "flight"))) == (
        seg(ids, "a5", "c3") | clip(ids, "c")
    )
    with pytest.raises(NotFoundError):
        search_archive(archive, "bread", SearchFilters(themes=("no such theme",)))


@runs_both_ways
def test_language_filter_uses_the_segment_then_the_interview(corpus):
    archive, ids = corpus
    assert found(archive, "Baku", SearchFilters(languages=("ru",))) == seg(ids, "a1") | interview(
        ids, "a"
    )
    # Segment a5 has no language of its own: its interview's (hy, ru) count.
    assert found(archive, "deport*", SearchFilters(languages=("hy",))) == seg(ids, "a5")
    assert found(archive, "deport*", SearchFilters(languages=("KA",))) == clip(ids, "c")
    with pytest.raises(InvalidInputError):
        search_archive(archive, "bread", SearchFilters(languages=("Armenian",)))


@runs_both_ways
def test_narrator_filter_by_pseudonym_or_id_never_real_name(corpus):
    archive, ids = corpus
    anahit = archive.interviews.get(ids["a"]).narrator_id
    assert anahit
    for ref in ("Anahit", "anahit", anahit):
        assert found(archive, "Baku", SearchFilters(narrators=(ref,))) == seg(
            ids, "a1", "a2"
        ) | interview(ids, "a")
    with pytest.raises(NotFoundError, match="id or pseudonym"):
        search_archive(archive, "Baku", SearchFilters(narrators=(REAL_NAMES[0],)))


@runs_both_ways
def test_place_filter_by_any_name(corpus):
    archive, ids = corpus
    # b was typed "Bakı"; clip c is linked to Baku and overlaps c3; a is in Shushi.
    expected = seg(ids, "b4", "c3") | clip(ids, "c")
    for name in ("Baku", "Баку", "ბაქო"):
        assert found(archive, "deport*", SearchFilters(places=(name,))) == expected
    assert found(archive, "deport*", SearchFilters(places=("Şuşa",))) == seg(ids, "a5")
    place_id = archive.places.resolve("Shushi").id
    assert found(archive, "deport*", SearchFilters(places=(place_id,))) == seg(ids, "a5")
    assert found(archive, "deport*", SearchFilters(places=("Atlantis",))) == set()


@runs_both_ways
def test_date_filter_with_partial_dates(corpus):
    archive, ids = corpus
    query = "deport*"

    def in_range(low: str | None, high: str | None) -> set[str]:
        hits = search_archive(archive, query, SearchFilters(date_from=low, date_to=high))
        return {h.interview_id for h in hits}

    assert in_range("1994", "1994") == {ids["a"]}  # recorded 1994-05
    assert in_range(None, "1994-05-15") == {ids["a"]}  # the month overlaps
    assert in_range("1994-06", None) == {ids["b"], ids["c"]}
    assert in_range("2000", "2005-06") == {ids["b"]}  # recorded 2001
    assert in_range("2010-03-15", "2010-03-15") == {ids["c"]}
    assert in_range("2011", None) == set()
    with pytest.raises(InvalidInputError, match="Not a date"):
        in_range("March 1994", None)
    with pytest.raises(InvalidInputError, match="ends"):
        in_range("2000", "1999")


@runs_both_ways
def test_status_and_kind_filters(corpus):
    archive, ids = corpus
    assert found(archive, "deport*", SearchFilters(statuses=("partial",))) == seg(ids, "b4")
    assert found(archive, "deport*", SearchFilters(kinds=("clip",))) == clip(ids, "c")
    assert found(archive, "Shusha", SearchFilters(kinds=("interview",))) == interview(ids, "a")
    with pytest.raises(InvalidInputError):
        search_archive(archive, "x", SearchFilters(statuses=("finished",)))
    with pytest.raises(InvalidInputError):
        search_archive(archive, "x", SearchFilters(kinds=("narrator",)))


@runs_both_ways
def test_filters_combine(corpus):
    archive, ids = corpus
    filters = SearchFilters(themes=("displacement",), languages=("hy",), date_from="1990")
    assert found(archive, "Baku", filters) == seg(ids, "a2") | interview(ids, "a")


# -- privacy ----------------------------------------------------------------------


def test_filter_tokens_are_not_searchable(corpus):
    archive, ids = corpus
    assert search_archive(archive, "lru") == []
    assert search_archive(archive, f"i{ids['a']}") == []
    assert search_archive(archive, f"i{ids['a']} OR lhy OR scope") == []


def test_a_segment_without_language_follows_its_interview(archive: Archive):
    iv = _interview(archive, InterviewMetadata(title="Langs", languages=("hy",)))
    archive.segments.add(iv, [NewSegment(0, 5, "Ашот пек хлеб")])
    assert found(archive, "ashot", SearchFilters(languages=("hy",))) != set()
    archive.interviews.update(iv, InterviewMetadata(title="Langs", languages=("ru",)))
    assert found(archive, "ashot", SearchFilters(languages=("hy",))) == set()
    assert found(archive, "ashot", SearchFilters(languages=("ru",))) != set()


def test_real_names_are_never_searchable(corpus):
    archive, ids = corpus
    for query in ("Zaruhi", "Qwertyan", "Zxcvbov", "Farid", "Qwert*", '"Zaruhi Qwertyan"'):
        assert search_archive(archive, query) == [], query
    for table in ("segments_fold", "clips_fold", "interviews_fold"):
        rows = archive.db.execute(
            f"SELECT count(*) FROM {table} WHERE {table} MATCH 'qwertyan OR zaruhi OR farid'"
        ).fetchone()
        assert rows[0] == 0
    (hit,) = search_archive(archive, "Anahit")
    assert (hit.kind, hit.field, hit.snippet) == ("interview", "pseudonym", "⟦Anahit⟧")
    assert hit.interview_id == ids["a"]


def test_pseudonym_changes_follow_and_names_stay_out(archive: Archive):
    iv = _interview(archive, InterviewMetadata(narrator="Realname Hiddenova"))
    narrator = archive.interviews.get(iv).narrator_id
    assert narrator
    archive.narrators.update(narrator, pseudonym="Gohar")
    assert found(archive, "Gohar") == {f"interview:{iv}"}
    archive.narrators.update(narrator, pseudonym="Nune", name="Othername Hiddenova")
    assert found(archive, "Gohar") == set()
    assert found(archive, "Nune") == {f"interview:{iv}"}
    assert found(archive, "Hiddenova") == set()
    archive.db.execute("DELETE FROM narrators WHERE id = ?", [narrator])
    assert found(archive, "Nune") == set()


# -- the index follows every change -----------------------------------------------


def test_an_edit_is_found_by_the_next_search(archive: Archive):
    iv = _interview(archive, InterviewMetadata(title="Sync"))
    (seg_id,) = archive.segments.add(iv, [NewSegment(0, 5, "Бабушка пекла хлеб")])
    assert found(archive, "khleb") == {f"segment:{seg_id}"}
    archive.segments.set_text(seg_id, "Բաքվում թոնիրում լավաշ էինք թխում")
    assert found(archive, "khleb") == set()
    assert found(archive, "lavash") == {f"segment:{seg_id}"}
    archive.db.execute(
        "UPDATE segments SET translation = ? WHERE id = ?", ["We baked lavash", seg_id]
    )
    assert found(archive, "baked") == {f"segment:{seg_id}"}
    archive.db.execute("DELETE FROM segments WHERE id = ?", [seg_id])
    assert found(archive, "lavash OR baked") == set()


def test_clip_and_interview_edits_are_found(archive: Archive):
    iv = _interview(archive, InterviewMetadata(title="Old title", summary="Nothing yet"))
    c = archive.clips.create(iv, 0, 10, note="first note")
    archive.clips.update(c.id, note="Teatime in Ganja", title="Samovar")
    assert found(archive, "samovar teatime") == {f"clip:{c.id}"}
    assert found(archive, "first") == set()
    archive.interviews.update(iv, InterviewMetadata(title="Neighbours in Gyumri"))
    assert found(archive, "Leninakan") == {f"interview:{iv}"}  # via the gazetteer
    assert found(archive, "old") == set()
    archive.clips.delete(c.id)
    archive.interviews.delete(iv)
    assert found(archive, "samovar OR neighbours") == set()


@pytest.mark.usefixtures("tokens_only")
def test_filters_follow_every_tagging_change(archive: Archive):
    """Themes and places live in each segment's scope tokens: every change re-indexes."""
    iv = _interview(archive, InterviewMetadata(title="Tags"))
    a, b, c = (
        f"segment:{i}"
        for i in archive.segments.add(
            iv, [_seg(0, "хлеб один", "ru"), _seg(10, "хлеб два", "ru"), _seg(20, "хлеб три", "ru")]
        )
    )

    def tagged(theme: str) -> set[str]:
        return found(archive, "khleb", SearchFilters(themes=(theme,), kinds=("segment",)))

    def at(place: str) -> set[str]:
        return found(archive, "khleb", SearchFilters(places=(place,), kinds=("segment",)))

    assert tagged("food") == set()
    clip = archive.clips.create(iv, 5, 12, themes=["food"])
    assert tagged("food") == {a, b} == tagged("everyday_life")
    archive.clips.update(clip.id, start=21, end=25)
    assert tagged("food") == {c}
    archive.clips.set_themes(clip.id, ["music"])
    assert tagged("food") == set() and tagged("music") == {c}
    archive.themes.add_to_interview(iv, ["school"])
    assert tagged("everyday_life") == {a, b, c}
    archive.themes.remove_from_interview(iv, ["school"])
    assert tagged("everyday_life") == {c}
    archive.themes.merge("music", "soviet_years")
    assert tagged("soviet_years") == {c}
    archive.db.execute('UPDATE segments SET start = 22, "end" = 24 WHERE id = ?', [a[8:]])
    assert tagged("soviet_years") == {a, c}
    archive.themes.delete("soviet_years", force=True)
    archive.clips.delete(clip.id)
    assert tagged("everyday_life") == set()
    rows = archive.db.execute(
        "SELECT count(*) FROM segments_fold WHERE segments_fold MATCH 'scope : t*'"
    )
    assert rows.fetchone()[0] == 0

    archive.places.link_interview(iv, "Gyumri")
    assert at("Leninakan") == {a, b, c}
    archive.places.link_interview(iv, None)
    assert at("Leninakan") == set()
    other = archive.clips.create(iv, 0, 15)
    archive.places.link_clip(other.id, "Баку")
    assert at("Bakı") == {b}
    archive.places.delete(archive.places.resolve("Baku").id)
    assert at("Sumgait") == set()
    archive.interviews.update(iv, InterviewMetadata(title="Tags", place="Sumqayıt"))
    assert at("Sumgait") == {a, b, c}  # a typed place, no link


@pytest.mark.usefixtures("tokens_only")
def test_theme_filters_follow_the_tree(archive: Archive):
    """A segment carries its themes' ancestors too; moving themes re-indexes it."""
    iv = _interview(archive, InterviewMetadata(title="Tree"))
    (seg_id,) = archive.segments.add(iv, [_seg(0, "хлеб", "ru")])
    hit = {f"segment:{seg_id}"}

    def tagged(theme: str) -> set[str]:
        return found(archive, "khleb", SearchFilters(themes=(theme,), kinds=("segment",)))

    themes = archive.themes
    clip = archive.clips.create(iv, 0, 10, themes=["food"])
    assert tagged("everyday_life") == hit
    themes.move("food", "soviet_years")
    assert tagged("everyday_life") == set() and tagged("soviet_years") == hit
    bread = themes.add("Bread", parent="food")
    archive.clips.set_themes(clip.id, [bread])
    assert tagged("soviet_years") == hit == tagged("food") == tagged("Bread")
    themes.delete("food")  # not used itself: Bread moves up to "The Soviet years"
    assert tagged("soviet_years") == hit
    themes.merge("soviet_years", "the_border")
    assert tagged("the_border") == hit and tagged("Bread") == hit
    themes.move(bread, None)
    assert tagged("the_border") == set() and tagged("Bread") == hit


def test_optimizing_the_index_keeps_every_hit(archive: Archive):
    iv = _interview(archive, InterviewMetadata(title="Optimize"))
    for n in range(5):  # several transactions: several index segments
        archive.segments.add(iv, [_seg(n * 10, f"хлеб {n} Şuşa", "ru")])
    before = search_archive(archive, "Shusha khleb")
    optimize_index(archive)
    assert search_archive(archive, "Shusha khleb") == before and len(before) == 5


def test_migration_folds_what_an_older_archive_holds(tmp_path: Path):
    """An archive from before 0002 gets its folded index, themes and places on open."""
    db = connect(tmp_path / "old.db", bytes(32))
    try:
        migrations.apply(db, stop_before="0002_folded_search")
        stamp = now()
        db["narrators"].insert(
            {"id": "n1", "name": "Secret Name", "pseudonym": "Gohar",
             "created_at": stamp, "updated_at": stamp}
        )  # fmt: skip
        db["interviews"].insert(
            {"id": "iv1", "title": "Շուշի", "narrator_id": "n1", "created_at": stamp,
             "updated_at": stamp}
        )  # fmt: skip
        db["segments"].insert(
            {"interview_id": "iv1", "start": 0, "end": 1, "text": "Шуша",
             "created_at": stamp, "updated_at": stamp}
        )  # fmt: skip
        db["clips"].insert(
            {"interview_id": "iv1", "start": 0, "end": 1, "note": "Şuşa",
             "created_at": stamp, "updated_at": stamp}
        )  # fmt: skip
        assert db["themes"].count == 0
        migrate(db)
        for table in ("segments_fold", "clips_fold", "interviews_fold"):
            hits = db.execute(
                f"SELECT count(*) FROM {table} WHERE {table} MATCH 'shusha OR shushi OR gohar'"
            )
            assert hits.fetchone()[0] == 1, table
        assert (
            db.execute(
                "SELECT count(*) FROM interviews_fold WHERE interviews_fold MATCH 'secret'"
            ).fetchone()[0]
            == 0
        )
        assert db["themes"].count > 20
        shusha = "SELECT count(DISTINCT place_id) FROM place_names WHERE folded = 'shusha'"
        assert db.execute(shusha).fetchone()[0] == 1
    finally:
        db.close()
