"""Whisper's language codes, kept here so that listing models never imports Whisper."""

from __future__ import annotations

from archive.errors import ArchiveError

# In Whisper's token order (<|en|> is the first language token).  Multilingual
# Whisper models up to large-v2 know the first 99; large-v3 adds Cantonese.
WHISPER_LANGUAGES: dict[str, str] = {
    "en": "English", "zh": "Chinese", "de": "German", "es": "Spanish",
    "ru": "Russian", "ko": "Korean", "fr": "French", "ja": "Japanese",
    "pt": "Portuguese", "tr": "Turkish", "pl": "Polish", "ca": "Catalan",
    "nl": "Dutch", "ar": "Arabic", "sv": "Swedish", "it": "Italian",
    "id": "Indonesian", "hi": "Hindi", "fi": "Finnish", "vi": "Vietnamese",
    "he": "Hebrew", "uk": "Ukrainian", "el": "Greek", "ms": "Malay",
    "cs": "Czech", "ro": "Romanian", "da": "Danish", "hu": "Hungarian",
    "ta": "Tamil", "no": "Norwegian", "th": "Thai", "ur": "Urdu",
    "hr": "Croatian", "bg": "Bulgarian", "lt": "Lithuanian", "la": "Latin",
    "mi": "Maori", "ml": "Malayalam", "cy": "Welsh", "sk": "Slovak",
    "te": "Telugu", "fa": "Persian", "lv": "Latvian", "bn": "Bengali",
    "sr": "Serbian", "az": "Azerbaijani", "sl": "Slovenian", "kn": "Kannada",
    "et": "Estonian", "mk": "Macedonian", "br": "Breton", "eu": "Basque",
    "is": "Icelandic", "hy": "Armenian", "ne": "Nepali", "mn": "Mongolian",
    "bs": "Bosnian", "kk": "Kazakh", "sq": "Albanian", "sw": "Swahili",
    "gl": "Galician", "mr": "Marathi", "pa": "Punjabi", "si": "Sinhala",
    "km": "Khmer", "sn": "Shona", "yo": "Yoruba", "so": "Somali",
    "af": "Afrikaans", "oc": "Occitan", "ka": "Georgian", "be": "Belarusian",
    "tg": "Tajik", "sd": "Sindhi", "gu": "Gujarati", "am": "Amharic",
    "yi": "Yiddish", "lo": "Lao", "uz": "Uzbek", "fo": "Faroese",
    "ht": "Haitian Creole", "ps": "Pashto", "tk": "Turkmen", "nn": "Nynorsk",
    "mt": "Maltese", "sa": "Sanskrit", "lb": "Luxembourgish", "my": "Myanmar",
    "bo": "Tibetan", "tl": "Tagalog", "mg": "Malagasy", "as": "Assamese",
    "tt": "Tatar", "haw": "Hawaiian", "ln": "Lingala", "ha": "Hausa",
    "ba": "Bashkir", "jw": "Javanese", "su": "Sundanese", "yue": "Cantonese",
}  # fmt: skip

# Vocabulary size of multilingual Whisper models; English-only ones have one token
# fewer (this is also how CTranslate2 decides ``is_multilingual``).
MULTILINGUAL_VOCABULARY_SIZE = 51865


class LanguageError(ArchiveError, ValueError):
    """A language code Whisper does not know, or one the chosen model cannot handle."""


def normalise_language(code: str) -> str:
    """Lower-case, trimmed code; raises LanguageError if Whisper does not know it."""
    norm = code.strip().lower()
    if norm not in WHISPER_LANGUAGES:
        raise LanguageError(
            f"Unknown language code {code!r}. Use a Whisper language code such as "
            "hy, az, ru, ka, tr or en, or leave the language empty to detect it."
        )
    return norm


def describe_languages(languages: tuple[str, ...]) -> str:
    """Short label for a model's languages: "English only" or "multilingual (99)"."""
    if len(languages) == 1:
        return f"{WHISPER_LANGUAGES.get(languages[0], languages[0])} only"
    return f"multilingual ({len(languages)})"
