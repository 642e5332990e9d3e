"""Transcripts in and out: SRT, WebVTT, OHMS XML and timestamped text."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
import srt
import webvtt
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.errors import ArchiveError
from archive.records import NewSegment, Segment
from archive.transcript_formats import (
    RENDERERS,
    TranscriptFormatError,
    decode_text,
    parse_ohms_xml,
    parse_srt,
    parse_timestamped_text,
    parse_transcript,
    parse_vtt,
    render_json,
    render_srt,
    render_txt,
    render_vtt,
)

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def as_segments(new: list[NewSegment]) -> list[Segment]:
    return [
        Segment(id=i, interview_id="iv1", start=s.start, end=s.end, text=s.text, speaker=s.speaker)
        for i, s in enumerate(new, 1)
    ]


def key(segments: list[NewSegment]) -> list[tuple[float, float, str | None, str]]:
    return [(s.start, s.end, s.speaker, s.text) for s in segments]


# -- SubRip -----------------------------------------------------------------------------


def test_srt_fixture_parses_with_speakers():
    got = parse_srt(read("anahit_hy.srt").decode())
    assert key(got) == [
        (1.2, 4.85, "ԱՆԱՀԻՏ", "Մեր բակում ադրբեջանցի հարեւաններ ունեինք:"),
        (5.0, 8.12, "Interviewer", "Как звали соседей?"),
        (
            8.3,
            12.045,
            "ԱՆԱՀԻՏ",
            "Գյուլնարա: Նա ինձ սովորեցնում էր\n«Qonşu qonşunun külünə möhtacdır» ասացվածքը:",
        ),
        (12.5, 15.001, "ნინო", "ჩვენ ერთად ვცხოვრობდით."),
        (15.1, 19.999, None, "Çörəyimizi bölüşərdik, dağda gəzərdik, çay içərdik."),
    ]


def test_srt_round_trip_keeps_text_times_and_speakers():
    original = read("anahit_hy.srt").decode()
    segments = parse_srt(original)
    rendered = render_srt(as_segments(segments))
    before = [(s.start, s.end, s.content) for s in srt.parse(original)]
    after = [(s.start, s.end, s.content) for s in srt.parse(rendered)]
    assert after == before
    assert parse_srt(rendered) == segments


def test_srt_cues_out_of_order_are_sorted_and_a_cue_with_two_speakers_is_split():
    text = (
        "2\n00:00:10,000 --> 00:00:14,000\nANAHIT: Բարեւ ձեզ\nGÜLNARƏ: Salam, qonşu\n\n"
        "1\n00:00:01,000 --> 00:00:02,000\nfirst\n"
    )
    assert key(parse_srt(text)) == [
        (1.0, 2.0, None, "first"),
        (10.0, 12.0, "ANAHIT", "Բարեւ ձեզ"),
        (12.0, 14.0, "GÜLNARƏ", "Salam, qonşu"),
    ]


def test_speaker_labels_can_be_turned_off():
    text = "1\n00:00:01,000 --> 00:00:02,000\nԱյո: Ես հիշում եմ\n"
    assert parse_srt(text)[0].speaker == "Այո"  # Armenian's colon-for-full-stop
    plain = parse_srt(text, speakers=False)[0]
    assert (plain.speaker, plain.text) == (None, "Այո: Ես հիշում եմ")


# -- WebVTT -----------------------------------------------------------------------------


def test_vtt_fixture_parses_voices_and_strips_tags():
    assert key(parse_vtt(read("nino_ka.vtt").decode())) == [
        (1.0, 4.5, "Nino", "ბაქოში ვცხოვრობდით, სომეხ მეზობლებთან ერთად."),
        (5.25, 7.999, "Interviewer", "Tea & bread <together>?"),
        (8.0, 11.0, "Nino", "Да, каждый день.\nHər gün çay içərdik."),
    ]


def test_vtt_round_trip_keeps_text_times_and_speakers():
    original = read("nino_ka.vtt").decode()
    segments = parse_vtt(original)
    rendered = render_vtt(as_segments(segments))
    assert rendered.startswith("WEBVTT\n\n00:00:01.000 --> 00:00:04.500\n<v Nino>ბაქოში")

    def cues(text: str) -> list[tuple[int, int, str | None, str]]:
        return [
            (
                c.start_time.in_milliseconds(),
                c.end_time.in_milliseconds(),
                c.voice,
                html.unescape(c.text),
            )
            for c in webvtt.from_string(text).captions
        ]

    assert cues(rendered) == cues(original)
    assert parse_vtt(rendered) == segments


def test_vtt_cue_with_two_voices_is_split():
    text = "WEBVTT\n\n00:01.000 --> 00:03.000\n<v A>hi there</v>\n<v.x B &amp; C>yo</v>\nmore\n"
    assert key(parse_vtt(text)) == [(1.0, 2.0, "A", "hi there"), (2.0, 3.0, "B & C", "yo\nmore")]


def test_vtt_without_voice_tags_takes_name_labels():
    text = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nЛейла Алиева: Мы дружили.\n"
    assert key(parse_vtt(text)) == [(1.0, 3.0, "Лейла Алиева", "Мы дружили.")]


def test_render_vtt_escapes_markup_and_writes_full_times():
    seg = Segment(
        id=1, interview_id="iv", start=3723.004, end=3724.5, text="a & b <c> --> d", speaker="A<B"
    )
    out = render_vtt([seg])
    assert (
        out == "WEBVTT\n\n01:02:03.004 --> 01:02:04.500\n<v A&lt;B>a &amp; b &lt;c&gt; --&gt; d\n"
    )
    assert key(parse_vtt(out)) == [(3723.004, 3724.5, "A<B", "a & b <c> --> d")]


# -- round trips with any text ----------------------------------------------------------

_ALPHABET = (
    "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆԱԲԳԴՀՄՆ"
    "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ"
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЖ"
    "əğışçöüƏĞİŞÇÖÜ"
    "abcxyzQ0123456789 .,?!«»—-&<>'\"\n"
)
_SPEAKERS = st.sampled_from([None, "Անահիտ", "ნინო", "Ольга", "Rəşad Əliyev", "A. Ter-Petrosyan"])


@st.composite
def _segments(draw: st.DrawFn) -> list[Segment]:
    out, at = [], 0
    for i in range(draw(st.integers(1, 6))):
        raw = draw(st.text(alphabet=_ALPHABET, min_size=1, max_size=40))
        text = "\n".join(line.strip() for line in raw.splitlines() if line.strip())
        if not text:
            text = "ok"
        at += draw(st.integers(0, 90_000))
        length = draw(st.integers(0, 20_000))
        out.append(
            Segment(
                id=i,
                interview_id="iv",
                start=at / 1000,
                end=(at + length) / 1000,
                text=text,
                speaker=draw(_SPEAKERS),
            )
        )
    return sorted(out, key=lambda s: (s.start, s.end))  # as the archive lists them


@settings(max_examples=150, deadline=None)
@given(_segments())
def test_any_text_survives_srt_and_vtt(segments: list[Segment]):
    want = [(s.start, s.end, s.speaker, s.text) for s in segments]
    assert key(parse_srt(render_srt(segments))) == want
    assert key(parse_vtt(render_vtt(segments))) == want
    assert len(list(srt.parse(render_srt(segments)))) == len(segments)
    assert len(webvtt.from_string(render_vtt(segments)).captions) == len(segments)


# -- timestamped text -------------------------------------------------------------------


def test_timestamped_text_with_and_without_duration():
    text = read("leyla_az.txt").decode()
    first = [
        (0.0, 4.5, "Müsahibəçi", "Bakıda harada yaşayırdınız?"),
        (4.5, 62.0, "Leyla", "Sabunçuda. Qonşularımız ermənilər idi,\nçörəyimizi bölüşərdik."),
    ]
    # The last mark falls inside Leyla's turn; 4 words at 0.4 s, at least 1 s.
    assert key(parse_timestamped_text(text)) == [
        *first,
        (62.0, 63.6, "Leyla", "Sonra hər şey dəyişdi."),
    ]
    with_duration = parse_timestamped_text(text, duration=75.25)
    assert key(with_duration)[-1] == (62.0, 75.25, "Leyla", "Sonra hər şey dəyişdi.")


def test_timestamped_text_short_marks_and_minimum_length():
    got = parse_timestamped_text("[1:02:03.5] Da.\n[75:00] later")
    assert key(got) == [(3723.5, 4500.0, None, "Da."), (4500.0, 4501.0, None, "later")]


def test_txt_render_and_read_back():
    segments = as_segments(parse_timestamped_text(read("leyla_az.txt").decode()))
    out = render_txt(segments)
    assert out == (
        "[00:00:00] Müsahibəçi: Bakıda harada yaşayırdınız?\n"
        "\n"
        "[00:00:04] Leyla: Sabunçuda. Qonşularımız ermənilər idi,\nçörəyimizi bölüşərdik.\n"
        "[00:01:02] Leyla: Sonra hər şey dəyişdi.\n"
    )
    again = parse_timestamped_text(out)
    assert [(s.speaker, s.text) for s in again] == [(s.speaker, s.text) for s in segments]


# -- encodings --------------------------------------------------------------------------


def test_cp1251_and_utf16_files_decode():
    olga = parse_transcript(read("olga_ru_cp1251.txt"), "olga_ru_cp1251.txt")
    assert key(olga) == [
        (2.0, 9.0, "Ольга", "Мы жили в Сумгаите, в одном дворе с армянами."),
        (9.0, 11.4, "Ольга", "Соседка научила меня печь гату."),
    ]
    rashad = parse_transcript(read("rashad_az_utf16.txt"), "rashad_az_utf16.txt", duration=80)
    assert key(rashad) == [
        (3.0, 75.0, "Rəşad", "Dağlarda qoyun otarardıq."),
        (75.0, 80.0, "Rəşad", "Gürcü kəndinə gedərdik."),
    ]


def test_decode_text_prefers_utf8_and_strips_boms():
    text = "Ənvər: ჩვენ"
    assert decode_text(b"\xef\xbb\xbf" + text.encode()) == text
    assert decode_text(("\ufeff" + text).encode("utf-16-be")) == text
    assert decode_text(text.encode("utf-16")) == text
    assert decode_text(text.encode()) == text
    assert decode_text("Ёлка".encode("cp1251")) == "Ёлка"


# -- OHMS -------------------------------------------------------------------------------


def test_ohms_sync_points_time_the_transcript():
    got = parse_ohms_xml(read("aram_ohms_sync.xml"))
    # 1-minute sync: line 0 at 0:00, line 3 at 1:00 (and 2:00), line 6 at 3:00; the
    # record's duration 0:03:30 ends the last. Turns share a minute by word count.
    assert key(got) == [
        (0.0, 21.429, "INTERVIEWER", "Where did you grow up?"),
        (21.429, 60.0, "ARAM", "In Ganja, near the bazaar.\nOur neighbours were Azerbaijani."),
        (60.0, 110.0, "ARAM", "Մենք միասին էինք տոնում Նովրուզը:"),
        (110.0, 130.0, "INTERVIEWER", "And later?"),
        (130.0, 180.0, "ARAM", "Later we left for Yerevan."),
        (180.0, 210.0, "ARAM", "We kept writing letters."),
    ]
    assert parse_ohms_xml(read("aram_ohms_sync.xml"), duration=200.5)[-1].end == 200.5


def test_ohms_sync_wins_over_a_stray_time_in_the_text():
    data = read("aram_ohms_sync.xml").replace(b"In Ganja,", b"In Ganja [12:30],")
    assert parse_ohms_xml(data)[1].text.startswith("In Ganja [12:30], near")


def test_ohms_index_points_without_transcript():
    got = parse_transcript(read("olga_ohms_index.xml"), "olga_ohms_index.xml")
    assert key(got) == [
        (0.0, 95.0, "ОЛЬГА", "Наш двор был как одна семья."),
        (140.0, 300.0, "ОЛЬГА", "Мы уехали в Ереван & Тбилиси."),
    ]


def test_ohms_transcript_with_timestamps():
    got = parse_ohms_xml(read("mariam_ohms_timestamps.xml"))
    assert key(got) == [
        (0.0, 40.0, "MARIAM", "Tiflisdə üç dildə danışırdıq."),
        (40.0, 70.0, "MARIAM", "სომხური, ქართული და რუსული."),
        (70.0, 120.0, "INTERVIEWER", "Ermənicə də?"),
    ]


# -- choosing the reader ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "filename"),
    [
        ("anahit_hy.srt", "anahit.txt"),
        ("anahit_hy.srt", "ANAHIT.SRT"),
        ("nino_ka.vtt", "nino"),
        ("nino_ka.vtt", "nino.TXT"),
        ("olga_ohms_index.xml", "export.ohms"),
        ("leyla_az.txt", "leyla.md"),
    ],
)
def test_reader_is_chosen_by_extension_then_content(source: str, filename: str):
    data = read(source)
    assert parse_transcript(data, filename) == parse_transcript(data, source)


# -- renderers --------------------------------------------------------------------------


def test_render_json_has_every_field_and_keeps_scripts_readable():
    seg = Segment(
        id=7,
        interview_id="iv",
        start=1.5,
        end=2.25,
        text="Բարեւ",
        speaker="ნინო",
        machine_text="Barev",
        language="hy",
        translation="Hello",
        source="attached",
        edited=True,
        words=({"start": 1.5, "end": 2.0, "word": "Բարեւ", "probability": 0.9},),
    )
    out = render_json([seg])
    assert "Բարեւ" in out and "ნინო" in out
    assert json.loads(out) == [
        {
            "id": 7,
            "start": 1.5,
            "end": 2.25,
            "speaker": "ნინო",
            "text": "Բարեւ",
            "machine_text": "Barev",
            "language": "hy",
            "translation": "Hello",
            "source": "attached",
            "edited": True,
            "words": [{"start": 1.5, "end": 2.0, "word": "Բարեւ", "probability": 0.9}],
        }
    ]


def test_renderers_keep_empty_and_zero_length_segments():
    segs = [
        Segment(id=1, interview_id="iv", start=1.0, end=1.0, text="same instant"),
        Segment(id=2, interview_id="iv", start=2.0, end=3.0, text=""),
    ]
    assert len(list(srt.parse(render_srt(segs)))) == 2
    assert len(webvtt.from_string(render_vtt(segs)).captions) == 2
    assert render_txt([]) == "" and render_json([]) == "[]\n"


def test_renderer_table():
    assert {
        "txt": render_txt,
        "json": render_json,
        "srt": render_srt,
        "vtt": render_vtt,
    } == RENDERERS


# -- bad input --------------------------------------------------------------------------

SECRET = "Գյուլնարա"  # testimony must never appear in an error message

BAD = [
    ("empty.srt", b"", None, "empty"),
    ("blank.vtt", b" \n\n", None, "empty"),
    ("empty.xml", b"", None, "empty"),
    ("empty.txt", b"\xef\xbb\xbf\n", None, "empty"),
    ("prose.srt", f"\n\n{SECRET} is not a subtitle".encode(), 3, "not SubRip"),
    (
        "backwards.srt",
        f"1\n00:00:01,000 --> 00:00:02,000\n{SECRET}\n\n"
        "2\n00:00:09,000 --> 00:00:05,000\nx\n".encode(),
        6,
        "ends (00:00:05.000) before it starts (00:00:09.000)",
    ),
    (
        "unreadable.srt",
        f"1\n00:00:01,000 --> 00:00:02,000\n{SECRET}\n\n"
        "2\n-00:00:01,000 --> 00:00:02,000\nx\n".encode(),
        6,
        "cue times",
    ),
    ("noheader.vtt", f"00:01.000 --> 00:02.000\n{SECRET}\n".encode(), 1, "WEBVTT"),
    (
        "stray.vtt",
        f"WEBVTT\n\n00:01.000 --> 00:02.000\nok\n\n{SECRET}\n".encode(),
        6,
        "outside any cue",
    ),
    (
        "badtime.vtt",
        f"WEBVTT\n\n00:01.000 --> 00:02.000\nok\n\n00:0x.000 --> 00:04.000\n{SECRET}\n".encode(),
        6,
        "cue times",
    ),
    (
        "reversed.vtt",
        f"WEBVTT\n\n00:05.000 --> 00:02.000\n{SECRET}\n".encode(),
        3,
        "before it starts",
    ),
    ("notimes.txt", f"{SECRET} told us about the bazaar.\n".encode(), None, "no [hh:mm:ss]"),
    ("head.txt", f"Title\n\n[00:00:01] {SECRET}\n".encode(), 1, "before the first timestamp"),
    ("back.txt", f"[00:01:00] a\n[00:02:00] b\n[00:01:30] {SECRET}\n".encode(), 3, "earlier"),
    ("badmark.txt", f"[00:00:01] a\n\n[00:75:00] {SECRET}\n".encode(), 3, "not a valid time"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None, "not text"),
    ("badbom.txt", b"\xef\xbb\xbf[00:00:01] \xff\xfe", None, "not text"),
    ("broken.xml", b"<ROOT>\n<record>\n<transcript>x</record>\n</ROOT>", 3, "well-formed"),
    ("notohms.xml", b"<html><body><p>hello</p></body></html>", None, "no timed text"),
    (
        "unsynced.xml",
        f"<ROOT><record><transcript>{SECRET}: yes</transcript></record></ROOT>".encode(),
        None,
        "no <sync>",
    ),
    (
        "pastend.xml",
        b"<ROOT><record><sync>1:|5(1)</sync><transcript>a\nb</transcript></record></ROOT>",
        None,
        "past the end",
    ),
    (
        "syncback.xml",
        b"<ROOT><record><sync>1:|2(1)|1(1)</sync><transcript>a\nb\nc</transcript></record></ROOT>",
        None,
        "goes back",
    ),
    (
        "badsync.xml",
        b"<ROOT><record><sync>x:|2</sync><transcript>a\nb\nc</transcript></record></ROOT>",
        None,
        "<sync> is not",
    ),
    (
        "marks.xml",
        f"<ROOT>\n<record>\n<transcript>[00:00:05] a\n[00:00:01] {SECRET}</transcript>\n"
        "</record>\n</ROOT>".encode(),
        4,
        "earlier",
    ),
    (
        "badindex.xml",
        b"<ROOT><record><index><point><time>soon</time><partial_transcript>a"
        b"</partial_transcript></point></index></record></ROOT>",
        None,
        "valid <time>",
    ),
]


@pytest.mark.parametrize(("filename", "data", "line", "problem"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_refused_with_file_and_line(
    filename: str, data: bytes, line: int | None, problem: str
):
    with pytest.raises(TranscriptFormatError) as caught:
        parse_transcript(data, f"/home/someone/{filename}")
    message = str(caught.value)
    assert isinstance(caught.value, ArchiveError)
    assert f'"{filename}"' in message and "/home/someone" not in message
    assert problem in message
    assert (f"line {line}:" in message) if line else ("line" not in message)
    assert caught.value.line == line
    assert "\n" not in message and SECRET not in message


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
]>
<ROOT><record><transcript>[00:00:01] &lol2;</transcript></record></ROOT>
"""


@pytest.mark.parametrize(
    "data",
    [
        BOMB.encode(),
        BOMB.encode("utf-16"),
        BOMB.encode("utf-16-be"),
        b'<ROOT><!ENTITY x "y"><record/></ROOT>',
        b'<!DOCTYPE ROOT SYSTEM "file:///etc/passwd"><ROOT/>',
    ],
)
def test_dtds_and_entities_are_refused(data: bytes):
    with pytest.raises(TranscriptFormatError, match="DOCTYPE or ENTITY"):
        parse_transcript(data, "bomb.xml")


def test_a_transcript_longer_than_the_recording_is_refused():
    data = read("anahit_hy.srt")
    assert parse_transcript(data, "a.srt", duration=19.0)  # 1 s of slack for rounding
    with pytest.raises(TranscriptFormatError, match=r"starts at 00:00:15\.100, after the end"):
        parse_transcript(data, "a.srt", duration=14.0)
    with pytest.raises(TranscriptFormatError, match=r"line 5: \[00:01:02\] is after the end"):
        parse_transcript(read("leyla_az.txt"), "leyla.txt", duration=60)
