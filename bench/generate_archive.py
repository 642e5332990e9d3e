"""A synthetic archive for the search benchmark: N one-hour interviews in five scripts.

    .venv/bin/python bench/generate_archive.py --archive /tmp/bench-archive \\
        [--interviews 1000] [--seed 1]

Each interview is about an hour long with ~9,000 words in segments of 10-30 words:
mostly in one language (Armenian, Azerbaijani Latin, Russian Cyrillic, Georgian or
English) with a fifth of its segments in a second one, 10 % of them translated into
English, place names from the gazetteer in each script, 8-16 tagged clips with notes,
1-3 interview themes, a narrator with a pseudonym, a date (often partial) and a place.

Words come from a per-language vocabulary (real function and content words, their
inflected forms, then a long tail of pseudo-words) drawn with a Zipf distribution, so
a common word occurs in most segments and a content word in a few thousand, as in
real transcripts.  Everything is drawn from ``random.Random(seed)``: the same seed
gives the same text, themes and times (ids and timestamps are the archive's own).

No audio: interviews are made with :func:`archive.synthetic.create_interview_without_media`,
segments, clips and themes through the ordinary archive API, so every trigger runs.
The passphrase is ``$SIDEBYSIDE_PASSPHRASE`` or "bench", with the cheapest key
derivation: the archive holds nothing real.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive import Archive, InterviewMetadata, KdfParams, NewSegment
from archive.places import SEED_PLACES
from archive.synthetic import create_interview_without_media

LANGUAGES = ("hy", "az", "ru", "ka", "en")
LANGUAGE_WEIGHTS = (0.3, 0.25, 0.2, 0.1, 0.15)
WORDS_PER_HOUR = 9000
VOCABULARY_SIZE = 20000
ZIPF_OFFSET = 2.0

FUNCTION_WORDS = {
    "en": "the and i we was to of in it they my that a he she were had there with our not "
    "for on but all when then so them us his her from at me after what very one also",
    "ru": "и в не мы я что на был была они это с как а то все он она у нас мне так "
    "потом когда там уже их его её только очень да нет тоже",
    "hy": "և ես մենք էր էին որ այդ նա նրանք չէ մեջ հետ բայց ու հետո շատ ամեն այնտեղ "
    "երբ մեր իմ նրա էլ այո ոչ միայն արդեն հիմա",
    "az": "və mən biz idi ki bu o onlar yox ilə amma sonra çox hər orada nə bizim mənim "
    "onun da bəli xeyr yalnız artıq indi belə elə",
    "ka": "და მე ჩვენ იყო რომ ეს ის ისინი არა თან მაგრამ მერე ძალიან ყველა იქ როცა "
    "ჩვენი ჩემი მისი კი დიახ უკვე მხოლოდ ახლა ასე",
}
CONTENT_WORDS = {
    "en": "house street neighbours mother father bread school war border friends city "
    "village church mosque wedding music work factory market garden tea children family "
    "language soldiers train bus night winter summer fear help door yard grandmother "
    "grandfather teacher doctor letter photograph song road mountains river money dinner "
    "tonir lavash memory silence peace home return leave remember courtyard pomegranate",
    "ru": "дом улица соседи мама отец хлеб школа война граница друзья город село церковь "
    "мечеть свадьба музыка работа завод рынок сад чай дети семья язык солдаты поезд "
    "автобус ночь зима лето страх помощь дверь двор бабушка дедушка учитель врач письмо "
    "фотография песня дорога горы река деньги ужин тонир лаваш память молчание мир",
    "hy": "տուն փողոց հարևաններ մայր հայր հաց դպրոց պատերազմ սահման ընկերներ քաղաք "
    "գյուղ եկեղեցի մզկիթ հարսանիք երաժշտություն աշխատանք գործարան շուկա այգի թեյ "
    "երեխաներ ընտանիք լեզու զինվորներ գնացք ավտոբուս գիշեր ձմեռ ամառ վախ օգնություն "
    "դուռ բակ տատիկ պապիկ ուսուցիչ բժիշկ նամակ լուսանկար երգ ճանապարհ սարեր գետ փող "
    "ընթրիք թոնիր լավաշ հիշողություն լռություն խաղաղություն",
    "az": "ev küçə qonşular ana ata çörək məktəb müharibə sərhəd dostlar şəhər kənd kilsə "
    "məscid toy musiqi iş zavod bazar bağ çay uşaqlar ailə dil əsgərlər qatar avtobus "
    "gecə qış yay qorxu kömək qapı həyət nənə baba müəllim həkim məktub şəkil mahnı yol "
    "dağlar pul şam təndir lavaş yaddaş sükut sülh",
    "ka": "სახლი ქუჩა მეზობლები დედა მამა პური სკოლა ომი საზღვარი მეგობრები ქალაქი "
    "სოფელი ეკლესია მეჩეთი ქორწილი მუსიკა სამუშაო ქარხანა ბაზარი ბაღი ჩაი ბავშვები "
    "ოჯახი ენა ჯარისკაცები მატარებელი ავტობუსი ღამე ზამთარი ზაფხული შიში დახმარება "
    "კარი ეზო ბებია ბაბუა მასწავლებელი ექიმი წერილი ფოტო სიმღერა გზა მთები მდინარე "
    "ფული ვახშამი თონე ლავაში მეხსიერება სიჩუმე მშვიდობა",
}
SUFFIXES = {
    "en": ("s", "ed", "ing"),
    "ru": ("а", "у", "ом", "е", "ы", "ами", "ах"),
    "hy": ("ը", "ի", "ում", "ից", "ով", "երը", "ին"),
    "az": ("lar", "da", "dan", "ın", "a", "ı", "dır"),
    "ka": ("ის", "ში", "ით", "ად", "ები", "ზე", "თან"),
}
SYLLABLES = {
    "en": ("ba", "ker", "lin", "to", "mar", "sen", "di", "ro", "pel", "shan", "vo", "grim"),
    "ru": ("ка", "ро", "ви", "на", "тер", "мо", "шу", "ле", "за", "дов", "ни", "ча"),
    "hy": ("սա", "րո", "մի", "կա", "տեր", "նո", "շու", "լե", "զա", "վան", "ղի", "չա"),
    "az": ("sa", "rə", "mi", "qa", "tər", "no", "şu", "lə", "za", "van", "ğı", "ça"),
    "ka": ("სა", "რო", "მი", "ქა", "თერ", "ნო", "შუ", "ლე", "ზა", "ვან", "ღი", "ჩა"),
}
PLACE_SCRIPT = {"en": "en", "ru": "ru", "hy": "hy", "az": "az", "ka": "ka"}
PSEUDONYMS = (
    "Anahit", "Gohar", "Leyla", "Nigar", "Tamar", "Nino", "Olga", "Vera", "Sevil",
    "Armen", "Rashid", "Giorgi", "Levon", "Elchin", "Sergei", "Aram", "Ilham", "Davit",
)  # fmt: skip
SURNAMES = ("Hakobyan", "Aliyeva", "Beridze", "Petrova", "Mammadov", "Sargsyan", "Kapanadze")


@dataclass
class Vocabulary:
    """One language's words, most frequent first, with Zipf cumulative weights."""

    words: list[str]
    cum_weights: list[float]

    def draw(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cum_weights, k=k)

    def at_rank(self, rank: int) -> str:
        return self.words[rank]


def build_vocabularies(seed: int) -> dict[str, Vocabulary]:
    """Deterministic vocabularies; the benchmark rebuilds them to choose its queries."""
    out: dict[str, Vocabulary] = {}
    for lang in LANGUAGES:
        rng = random.Random(f"{seed}-{lang}")
        function = FUNCTION_WORDS[lang].split()
        content = CONTENT_WORDS[lang].split()
        inflected = [w + s for w in content for s in SUFFIXES[lang]]
        rng.shuffle(inflected)
        words = list(dict.fromkeys(function + content + inflected))
        syllables = SYLLABLES[lang]
        while len(words) < VOCABULARY_SIZE:
            word = "".join(rng.choices(syllables, k=rng.randint(2, 4)))
            if word not in words[-50:]:
                words.append(word)
        words = list(dict.fromkeys(words))[:VOCABULARY_SIZE]
        weights = (1.0 / (rank + ZIPF_OFFSET) for rank in range(len(words)))
        out[lang] = Vocabulary(words, list(itertools.accumulate(weights)))
    return out


def place_names(lang: str) -> list[str]:
    script = PLACE_SCRIPT[lang]
    return [name for place in SEED_PLACES for name, code in place if code == script]


def make_segments(
    rng: random.Random, vocab: dict[str, Vocabulary], primary: str, secondary: str
) -> list[NewSegment]:
    segments: list[NewSegment] = []
    clock, words = 0.0, 0
    while words < WORDS_PER_HOUR and clock < 3590:
        lang = secondary if rng.random() < 0.2 else primary
        n = rng.randint(10, 30)
        text_words = vocab[lang].draw(rng, n)
        if rng.random() < 0.03:
            text_words[rng.randrange(n)] = rng.choice(place_names(lang))
        text = " ".join(text_words)
        text = text[0].upper() + text[1:] + rng.choice((".", ".", ",", "?", "!"))
        translation = None
        if lang != "en" and rng.random() < 0.1:
            translation = " ".join(vocab["en"].draw(rng, n)) + "."
        length = n / 2.6
        end = min(clock + length, 3600.0)
        segments.append(
            NewSegment(clock, end, text, language=lang, translation=translation, speaker="N")
        )
        clock = end + rng.uniform(0.05, 0.4)
        words += n
    return segments


def generate(path: Path, interviews: int, seed: int, passphrase: str) -> dict[str, float]:
    rng = random.Random(seed)
    vocab = build_vocabularies(seed)
    started = time.perf_counter()
    archive = Archive.create(path, passphrase, kdf=KdfParams.minimum(), actor="bench")
    try:
        themes = [t.id for t in archive.themes.list()]
        places = sorted(archive.places.list(), key=lambda p: p.names[0].name)  # ids are random
        narrators = [
            (f"{rng.choice(PSEUDONYMS)} {rng.choice(SURNAMES)} {n}", f"Narrator {n:04d}")
            for n in range(max(1, interviews * 6 // 10))
        ]
        segment_count = word_count = 0
        for n in range(interviews):
            primary = rng.choices(LANGUAGES, LANGUAGE_WEIGHTS)[0]
            secondary = rng.choice([lang for lang in LANGUAGES if lang != primary])
            name, pseudonym = rng.choice(narrators)
            place = rng.choice(places)
            year = rng.randint(1995, 2024)
            date = rng.choice(
                (str(year), f"{year}-{rng.randint(1, 12):02d}",
                 f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
            )  # fmt: skip
            summary = " ".join(vocab["en"].draw(rng, 30))
            interview = create_interview_without_media(
                archive,
                InterviewMetadata(
                    title=f"Interview {n + 1}: {place.names[0].name} {year}",
                    narrator=name,
                    interviewer="Bench",
                    recorded_on=date,
                    place=rng.choice(place.names).name,
                    languages=(primary, secondary),
                    summary=summary,
                ),
                duration=3600.0,
                transcription_status=rng.choices(("done", "partial", "none"), (90, 5, 5))[0],
            )
            if interview.narrator_id and not archive.narrators.get(interview.narrator_id).pseudonym:
                archive.narrators.update(interview.narrator_id, pseudonym=pseudonym)
            # Tags first, then the transcript: each segment is indexed once, with its
            # themes and places (tagging afterwards re-indexes the segments it covers).
            if rng.random() < 0.8:
                archive.places.link_interview(interview.id, place)
            archive.themes.add_to_interview(interview.id, rng.sample(themes, rng.randint(1, 3)))
            for _ in range(rng.randint(8, 16)):
                start = rng.uniform(0, 3300)
                archive.clips.create(
                    interview.id,
                    start,
                    start + rng.uniform(30, 300),
                    themes=rng.sample(themes, rng.randint(1, 3)),
                    note=" ".join(vocab[primary].draw(rng, rng.randint(8, 25))),
                    title=" ".join(vocab[primary].draw(rng, 4)) if rng.random() < 0.5 else None,
                )
            segments = make_segments(rng, vocab, primary, secondary)
            archive.segments.add(interview.id, segments)
            segment_count += len(segments)
            word_count += sum(len(s.text.split()) for s in segments)
            if (n + 1) % 50 == 0 or n + 1 == interviews:
                elapsed = time.perf_counter() - started
                print(f"{n + 1}/{interviews} interviews, {elapsed:.0f} s", flush=True)
    finally:
        archive.close()
    return {
        "interviews": interviews,
        "segments": segment_count,
        "words": word_count,
        "seconds": time.perf_counter() - started,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, required=True, help="a new or empty folder")
    parser.add_argument("--interviews", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    passphrase = os.environ.get("SIDEBYSIDE_PASSPHRASE", "bench")
    stats = generate(args.archive, args.interviews, args.seed, passphrase)
    print(
        f"Generated {stats['interviews']} interviews, {stats['segments']:,} segments, "
        f"{stats['words']:,} words in {stats['seconds']:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
