"""Regenerate the demo archive's shipped data (run by developers, not by the app).

    .venv/bin/python resources/demo/make_demo.py

Encodes the espeak-ng test speech (tests/fixtures, made by make_fixtures.py) as small
Opus files, and transcribes the English ones once with the real tiny.en model, so the
demo shows genuine machine segments with word timings and confidences.  The other
languages get their known text as a human transcript.  Writes ``demo.json`` beside
this script.
"""

from __future__ import annotations

import json
import wave
from pathlib import Path

import av
import numpy as np

HERE = Path(__file__).parent
FIXTURES = HERE.parent.parent / "tests" / "fixtures"

INTERVIEWS = [
    {
        "stem": "speech_en",
        "title": "Bread and tea in the courtyard",
        "narrator": "Anahit Petrosyan",
        "pseudonym": "A. P.",
        "interviewer": "Leyla",
        "recorded_on": "2019-05",
        "place": "Baku",
        "languages": ["en"],
        "summary": "Neighbours sharing bread in an old Baku courtyard.",
        "themes": ["neighbourliness", "food"],
    },
    {
        "stem": "speech_en_2",
        "title": "The road to school",
        "narrator": "Rashad Mammadov",
        "pseudonym": "R. M.",
        "interviewer": "Armen",
        "recorded_on": "2020-09-14",
        "place": "Gyumri",
        "languages": ["en"],
        "summary": "Walking to school past the market; Sunday trains.",
        "themes": ["school", "everyday_life"],
    },
    {
        "stem": "speech_en_3",
        "title": "A wedding in the street",
        "narrator": "Nino Beridze",
        "pseudonym": "N. B.",
        "interviewer": "Leyla",
        "recorded_on": "2021",
        "place": "Tbilisi",
        "languages": ["en"],
        "summary": "Music and dancing at a sister's wedding.",
        "themes": ["music", "mixed_families"],
    },
    {
        "stem": "speech_ru",
        "title": "Соседи во дворе",
        "narrator": "Ольга Гаспарян",
        "pseudonym": "O. G.",
        "interviewer": "Armen",
        "recorded_on": "2018-11",
        "place": "Sumgait",
        "languages": ["ru"],
        "summary": "Neighbours baking bread every morning, in Russian.",
        "themes": ["neighbourliness", "food"],
    },
    {
        "stem": "speech_hy",
        "title": "Մեր հարևանները",
        "narrator": "Սիրանուշ Հակոբյան",
        "pseudonym": "S. H.",
        "interviewer": "Leyla",
        "recorded_on": "2022-04",
        "place": "Yerevan",
        "languages": ["hy"],
        "summary": "Neighbours bringing fresh bread, in Armenian.",
        "themes": ["neighbourliness"],
    },
    {
        "stem": "speech_az",
        "title": "Qonşularımız",
        "narrator": "Gülnar Əliyeva",
        "pseudonym": "G. Ə.",
        "interviewer": "Armen",
        "recorded_on": "2022-06",
        "place": "Ganja",
        "languages": ["az"],
        "summary": "Warm bread and tea in the garden, in Azerbaijani.",
        "themes": ["neighbourliness", "food"],
    },
    {
        "stem": "speech_ka",
        "title": "ჩვენი მეზობლები",
        "narrator": "ნინო კაპანაძე",
        "pseudonym": "N. K.",
        "interviewer": "Leyla",
        "recorded_on": "2023-03",
        "place": "Tbilisi",
        "languages": ["ka"],
        "summary": "Neighbours bringing hot bread home, in Georgian.",
        "themes": ["neighbourliness", "food"],
    },
    {
        "stem": "speech_tr",
        "title": "Komşularımız",
        "narrator": "Ayşe Yılmaz",
        "pseudonym": "A. Y.",
        "interviewer": "Armen",
        "recorded_on": "2023-07",
        "place": "Kars",
        "languages": ["tr"],
        "summary": "Morning bread and tea in the courtyard, in Turkish.",
        "themes": ["neighbourliness", "food"],
    },
]


def encode_opus(src: Path, dest: Path) -> float:
    """Encode a mono WAV as Opus in Ogg at 48 kHz; returns its duration."""
    with wave.open(str(src), "rb") as w:
        rate, pcm = w.getframerate(), np.frombuffer(w.readframes(w.getnframes()), "<i2")
    resampler = av.AudioResampler(format="s16", layout="mono", rate=48000)
    with av.open(str(dest), "w", format="ogg") as out:
        stream = out.add_stream("libopus", rate=48000, layout="mono")
        stream.bit_rate = 32000
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = rate
        for resampled in [*resampler.resample(frame), *resampler.resample(None)]:
            for packet in stream.encode(resampled):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return len(pcm) / rate


def machine_segments(wav: Path) -> list[dict]:
    from transcription import Engine, TranscribeOptions, find_model

    with wave.open(str(wav), "rb") as w:
        rate, pcm = w.getframerate(), np.frombuffer(w.readframes(w.getnframes()), "<i2")
    audio = pcm.astype(np.float32) / 32768
    audio = np.interp(np.arange(0, len(audio), rate / 16000), np.arange(len(audio)), audio).astype(
        np.float32
    )
    run = Engine(find_model("tiny.en")).transcribe(audio, TranscribeOptions(language="en"))
    return [
        {
            "start": round(s.start, 3),
            "end": round(s.end, 3),
            "text": s.text,
            "confidence": round(s.avg_logprob, 4),
            "no_speech_prob": round(s.no_speech_prob, 4),
            "language": s.language,
            "words": [
                [round(w.start, 3), round(w.end, 3), w.word, round(w.probability, 3)]
                for w in s.words
            ],
        }
        for s in run
    ]


def main() -> None:
    texts = json.loads((FIXTURES / "transcripts.json").read_text(encoding="utf-8"))
    out = []
    for item in INTERVIEWS:
        stem = item["stem"]
        wav = FIXTURES / f"{stem}.wav"
        duration = encode_opus(wav, HERE / f"{stem}.ogg")
        entry = {**item, "file": f"{stem}.ogg"}
        if item["languages"] == ["en"]:
            entry["segments"] = machine_segments(wav)
            entry["source"] = "machine"
        else:
            entry["segments"] = [
                {"start": 0.3, "end": round(duration - 0.3, 3), "text": texts[stem]["text"],
                 "language": texts[stem]["language"], "speaker": item["pseudonym"]}
            ]  # fmt: skip
            entry["source"] = "human"
        out.append(entry)
    (HERE / "demo.json").write_text(
        json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(out)} interviews")


if __name__ == "__main__":
    main()
