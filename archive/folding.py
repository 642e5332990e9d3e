"""Search folding: one Latin form for words written in Armenian, Georgian, Cyrillic or Latin.

The search index stores, beside the original text, a *folded* copy in which every word
is lower-cased, stripped of diacritics and transliterated to a common Latin spelling.
The query is folded by the same function, so ``Shusha`` finds ``Шуша``, ``Şuşa``,
``Շուշի`` and ``შუშა``, and ``Tbilisi`` finds ``თბილისი``.

Rules (version :data:`FOLDING_VERSION`):

* A word is a run of letters and digits (plus combining marks, soft hyphens and the
  Armenian emphasis, exclamation and question marks that sit *inside* words, which are
  dropped).  Everything else separates words, as in SQLite's ``unicode61`` tokenizer.
* Lower-case (Unicode), then the tables below, then NFKD with every remaining mark and
  non-alphanumeric character removed (é→e, ñ→n, İ→i, ½→12).
* Consonants that the other scripts write with one letter meet on the usual English
  digraph: ш ş շ შ → ``sh``; ч ç չ ճ ჩ ჭ → ``ch``; ж ժ ჟ → ``zh``; х խ ხ → ``kh``;
  ц ծ ց ც წ → ``ts``; ղ ღ ğ ғ → ``gh``; щ → ``shch``.  (Folding the other way, sh → s
  as plain diacritic stripping of ş would suggest, would make English "wash" find "was"
  and "chat" find "cat".)
* Azerbaijani and Turkish: ə→e, ı→i, İ→i, ö→o, ü→u (and ş ç ğ as above); the Soviet
  Azerbaijani Cyrillic letters ә ғ ҹ ҝ һ ө ү ј are folded alike.
* Plain Latin letters are never rewritten, because they mean different sounds in
  different orthographies (Azerbaijani c = j, x = kh, q = g/q).  So ``Xankəndi`` and
  ``Khankendi`` do not meet by folding; they meet through the gazetteer (see
  :mod:`archive.places`), which search uses to expand place names.
* Russian: е ё → ``e`` but ``ye`` at the start of a word (Ереван → yerevan); й ы → ``y``;
  ю → ``yu``; я → ``ya``; ъ ь dropped.  Ukrainian і ї є ґ → i yi ye g.
* Armenian: ու → ``u``; ե → ``e`` but ``ye`` at the start of a word; և → ``ev``/``yev``;
  ո → ``o`` but ``vo`` at the start of a word; ւ → ``v``; ը է → ``e``; ք կ → ``k``;
  թ տ → ``t``; փ պ → ``p``; ջ → ``j``; ռ ր → ``r``; յ → ``y``; օ → ``o``.
* Georgian (Mkhedruli, and Mtavruli capitals): ejectives fold with their plain
  consonants (კ ქ → k, ტ თ → t, პ ფ → p); ყ → ``q``; ჯ → ``j``; ძ → ``dz``.

Changing any of this changes what is in existing indexes: bump
:data:`FOLDING_VERSION` and add a migration that rebuilds the folded indexes.  This is
why the tables are written out here rather than taken from a transliteration library,
whose mappings change between releases.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import sqlite_utils

FOLDING_VERSION = 1
SQL_FUNCTION = "sbs_fold"

# Marks and format characters that may sit inside a word; they are dropped when folding.
_INWORD = (
    "\u00ad\u200b\u200c\u200d\u2060\ufeff"  # soft hyphen, zero-width characters
    "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"  # combining marks
    "\u055a\u055b\u055c\u055e\u055f"  # Armenian apostrophe, emphasis, exclamation, question
)
_TOKEN = re.compile(rf"(?:[^\W_]|[{_INWORD}])+")
_INWORD_CHARS = re.compile(f"[{_INWORD}]+")
_NOT_ALNUM = re.compile(r"[\W_]+")

_LETTERS: dict[str, str] = {
    # Azerbaijani, Turkish and a few other Latin letters that do not decompose
    "ə": "e", "ı": "i", "ş": "sh", "ș": "sh", "ç": "ch", "ğ": "gh", "ț": "ts",
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
    "ħ": "h",
    # Russian, Ukrainian, Belarusian
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
    # Azerbaijani Cyrillic (1939-1991)
    "ә": "e", "ғ": "gh", "ҹ": "j", "ҝ": "g", "һ": "h", "ө": "o", "ү": "u", "ј": "y",
    # Armenian
    "ա": "a", "բ": "b", "գ": "g", "դ": "d", "ե": "e", "զ": "z", "է": "e", "ը": "e",
    "թ": "t", "ժ": "zh", "ի": "i", "լ": "l", "խ": "kh", "ծ": "ts", "կ": "k", "հ": "h",
    "ձ": "dz", "ղ": "gh", "ճ": "ch", "մ": "m", "յ": "y", "ն": "n", "շ": "sh", "ո": "o",
    "չ": "ch", "պ": "p", "ջ": "j", "ռ": "r", "ս": "s", "վ": "v", "տ": "t", "ր": "r",
    "ց": "ts", "ւ": "v", "փ": "p", "ք": "k", "օ": "o", "ֆ": "f", "և": "ev",
    # Georgian (Mkhedruli; Mtavruli capitals lower-case to these)
    "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z", "თ": "t",
    "ი": "i", "კ": "k", "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p", "ჟ": "zh",
    "რ": "r", "ს": "s", "ტ": "t", "უ": "u", "ფ": "p", "ქ": "k", "ღ": "gh", "ყ": "q",
    "შ": "sh", "ჩ": "ch", "ც": "ts", "ძ": "dz", "წ": "ts", "ჭ": "ch", "ხ": "kh",
    "ჯ": "j", "ჰ": "h", "ჱ": "e", "ჲ": "y", "ჳ": "v", "ჴ": "q", "ჵ": "o", "ჶ": "f",
}  # fmt: skip
_TABLE = str.maketrans(_LETTERS)

# Word-initial spellings that differ from the letter's usual value.
_INITIAL = {"ե": "ye", "և": "yev", "е": "ye", "ё": "ye"}


@lru_cache(maxsize=1 << 17)
def fold_token(word: str) -> str:
    """The folded form of one word (see the module's rules); may be empty."""
    if word.isascii():
        return word.lower()
    t = _INWORD_CHARS.sub("", unicodedata.normalize("NFC", word.lower()))
    first = t[:1]
    if first in _INITIAL:
        t = _INITIAL[first] + t[1:]
    elif first == "ո" and not t.startswith("ու"):
        t = "vo" + t[1:]
    t = t.replace("ու", "u").translate(_TABLE)
    if not t.isascii():
        t = unicodedata.normalize("NFKD", t).translate(_TABLE)
        t = _NOT_ALNUM.sub("", t).lower()
    return t


def words(text: str) -> list[str]:
    """The words of ``text``, unfolded."""
    return _TOKEN.findall(text)


def spans(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, folded)`` of each word of ``text``; words that fold to nothing
    are left out, as they are from the index."""
    out = []
    for match in _TOKEN.finditer(text):
        folded = fold_token(match.group())
        if folded:
            out.append((match.start(), match.end(), folded))
    return out


def fold_words(text: str) -> list[str]:
    """The folded words of ``text``, in order."""
    return [f for f in map(fold_token, _TOKEN.findall(text)) if f]


def fold_text(text: str | None) -> str | None:
    """``text`` as the folded index stores it: folded words joined by single spaces."""
    if text is None:
        return None
    return " ".join(fold_words(text))


def install(db: sqlite_utils.Database) -> None:
    """Register the SQL function the index triggers call; needed on every connection."""
    db.conn.create_function(SQL_FUNCTION, 1, _sql_fold, deterministic=True)


def _sql_fold(value: object) -> str | None:
    return fold_text(value) if isinstance(value, str) else None
