"""Text analysis for the search index: Korean morphology, English stemming, romanised keys.

Pure functions without Django. Every text, whatever its language, goes through the same
pipeline so that a mixed Korean-English sentence (``서울시 Seoul Bike 정책``) is analysed
word by word: Hangul through Kiwi's morphological analyser, Latin words through the English
stop list and Snowball stemmer, digits kept as they are.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

# Kiwi's part-of-speech tags worth indexing: nouns, numerals, verb and adjective stems,
# roots, foreign words, hanja and numbers. Particles (J*), endings (E*), affixes (XP, XS*),
# adverbs, determiners and punctuation are dropped.
_KOREAN_CONTENT_TAGS = frozenset(
    {"NNG", "NNP", "NR", "VV", "VA", "XR", "SL", "SH", "SN", "NNB", "W_HASHTAG"}
)
_KOREAN_NOUN_TAGS = frozenset({"NNG", "NNP"})
# Dependent nouns carry no topic of their own (것, 수, 등, 년 ...); kept only when
# they are part of a number (2015년 gives 2015).
_SKIP_DEPENDENT = True

# Compound nouns are made findable by their parts (교통 finds 대중교통): every substring of
# two syllables or more, up to this length of compound.
_MAX_COMPOUND = 8
# Marks romanisation keys so that they never collide with an English stem.
ROMAN_KEY_PREFIX = "rk"

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f]+|[\uac00-\ud7a3\u3131-\u318e]+|[\u4e00-\u9fff]+")
_LATIN_WORD = re.compile(r"[a-z\u00e0-\u024f][a-z0-9\u00e0-\u024f]*|[0-9]+")

# The Snowball project's English stop list, minus words that carry meaning in policy
# titles ("against", "off", "up", "down", "over", "under", "no", "not" are kept).
ENGLISH_STOP_WORDS = frozenset(
    """
    a about above after again all am an and any are as at be because been before
    being below between both but by can could did do does doing during each few for
    from further had has have having he her here hers herself him himself his how i
    if in into is it its itself just me more most my myself nor now of on once only
    or other ought our ours ourselves out own same she should so some such than that
    the their theirs them themselves then there these they this those through to too
    until very was we were what when where which while who whom why will with would
    you your yours yourself yourselves s t don let also may might must shall us via
    """.split()  # noqa: SIM905
)
# Plurals the Snowball stemmer leaves apart from their singular ("buses" → "buse").
_ENGLISH_EXCEPTIONS = {"buses": "bus", "busses": "bus", "gases": "gas", "taxes": "tax",
                       "indices": "index", "children": "child", "people": "people",
                       "women": "woman", "men": "man"}  # fmt: skip
# Korean verb and adjective stems that only carry grammar ("어떻게", "있다", "하다").
KOREAN_STOP_STEMS = frozenset(
    """
    하 되 있 없 않 이 아니 같 어떻 그렇 이렇 저렇 위하 대하 통하 받 주 보 나 들 싶 알 오 가
    """.split()  # noqa: SIM905
)


@dataclass(frozen=True)
class Analysis:
    """The tokens of one text: ``terms`` to match and rank, ``parts`` to widen recall.

    ``parts`` holds the parts of Korean compound nouns and romanisation keys of names;
    the index keeps them in a column of their own with a lower weight.
    """

    terms: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)


class _KiwiHolder:
    """One Kiwi analyser per process, loaded on first use (it takes about a second)."""

    _lock = threading.Lock()
    _kiwi = None

    @classmethod
    def get(cls):
        if cls._kiwi is None:
            with cls._lock:
                if cls._kiwi is None:
                    import warnings

                    from kiwipiepy import Kiwi

                    # One thread: a web worker analyses one short text at a time, and
                    # Kiwi's pool would compete with the other workers for the cores.
                    # (Kiwi warns that 0 meant "all cores" before its version 0.21.)
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", DeprecationWarning)
                        cls._kiwi = Kiwi(num_workers=0)
        return cls._kiwi


_stemmer_local = threading.local()


def _stemmer():
    stemmer = getattr(_stemmer_local, "stemmer", None)
    if stemmer is None:
        stemmer = _stemmer_local.stemmer = snowballstemmer.stemmer("english")
    return stemmer


def normalise(text: str) -> str:
    """NFKC, without control characters; what every analyser sees first."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)


@lru_cache(maxsize=50_000)
def english_term(word: str) -> str | None:
    """The stem of one English word, or ``None`` for a stop word."""
    word = word.lower().replace("'", "")
    if word in ENGLISH_STOP_WORDS or not word:
        return None
    if word.isdigit():
        return word
    return _ENGLISH_EXCEPTIONS.get(word) or _stemmer().stemWord(word)


def english_terms(text: str) -> list[str]:
    """Lower-cased, stop words removed, stemmed: ``Seoul's buses`` → ``seoul``, ``bus``."""
    words = _LATIN_WORD.findall(_fold_latin(normalise(text)).lower().replace("'s ", " "))
    return [term for word in words if (term := english_term(word))]


def _fold_latin(text: str) -> str:
    """Latin letters without accents and apostrophes joined (Seoul's → Seouls)."""
    text = text.replace("\u2019", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def compound_parts(noun: str) -> list[str]:
    """The substrings of two syllables or more of a Korean compound noun.

    ``대중교통`` gives ``대중``, ``중교``, ``교통``, ``대중교``, ``중교통``; a noun of two
    syllables has no parts. Longer runs than ``_MAX_COMPOUND`` give their two-syllable
    parts only.
    """
    n = len(noun)
    if n < 3 or not all(_HANGUL.match(ch) for ch in noun):
        return []
    longest = n - 1 if n <= _MAX_COMPOUND else 2
    return [noun[i : i + size] for size in range(2, longest + 1) for i in range(n - size + 1)]


# Revised Romanisation of Korean, letter by letter (without sound-change rules; the
# romanisation key below absorbs most of the difference).
_INITIALS = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj",
             "ch", "k", "t", "p", "h"]  # fmt: skip
_MEDIALS = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo",
            "u", "wo", "we", "wi", "yu", "eu", "ui", "i"]  # fmt: skip
_FINALS = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l",
           "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"]  # fmt: skip


def romanise(hangul: str) -> str:
    """Revised Romanisation of a Hangul word, syllable by syllable: 따릉이 → ttareungi."""
    out = []
    for ch in hangul:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            initial, rest = divmod(code, 588)
            medial, final = divmod(rest, 28)
            out.append(_INITIALS[initial] + _MEDIALS[medial] + _FINALS[final])
        else:
            out.append(ch)
    return "".join(out)


_KEY_RULES = [
    (re.compile(r"[^a-z]"), ""),
    # McCune-Reischauer and informal spellings against Revised Romanisation.
    (re.compile(r"eo|eu|ou"), "o"),
    (re.compile(r"ui"), "i"),
    (re.compile(r"ae|ai"), "e"),
    (re.compile(r"wo"), "o"),
    (re.compile(r"ch|j|zh"), "c"),
    (re.compile(r"[gk]"), "k"),
    (re.compile(r"[dt]"), "t"),
    (re.compile(r"[bp]"), "p"),
    (re.compile(r"[rl]"), "l"),
    (re.compile(r"sh"), "s"),
    (re.compile(r"y"), ""),
    (re.compile(r"h(?=[aeiouw])|(?<=[aeiou])h"), ""),
    (re.compile(r"(.)\1+"), r"\1"),
]


def romanised_key(word: str) -> str:
    """A spelling-tolerant key of a romanised Korean name.

    Ddareungi, Ttareungi and 따릉이 share one key; so do Cheonggyecheon and Chonggyechon.
    """
    key = _fold_latin(romanise(word)).lower()
    for pattern, replacement in _KEY_RULES:
        key = pattern.sub(replacement, key)
    return f"{ROMAN_KEY_PREFIX}{key}" if len(key) >= 3 else ""


def _kiwi_tokens(text: str):
    return _KiwiHolder.get().tokenize(text)


def analyse(text: str, *, for_query: bool = False, names: bool = False) -> Analysis:
    """Terms and parts of a text in Korean, English or both.

    A query gets romanisation keys for every word (a visitor may spell a Korean name in
    any way); a document only for its names — capitalised Latin words, Korean proper
    nouns, and every Korean noun of a text that is mostly names (``names``: titles and
    tags) — which keeps the parts column small.
    """
    text = normalise(text)
    terms: list[str] = []
    parts: list[str] = []
    if not text.strip():
        return Analysis(terms, parts)
    if not _HANGUL.search(text):
        _analyse_latin(text, terms, parts, for_query=for_query)
        return Analysis(terms, parts)
    for token in _kiwi_tokens(text):
        tag = token.tag.split("-")[0]
        form = token.form
        if tag not in _KOREAN_CONTENT_TAGS:
            continue
        if tag == "SL":
            _analyse_latin(text[token.start : token.end], terms, parts, for_query=for_query)
            continue
        if tag == "NNB" and _SKIP_DEPENDENT:
            continue
        if tag == "SN":
            terms.extend(re.findall(r"[0-9]+", form))
            continue
        if tag in {"VV", "VA"} and form in KOREAN_STOP_STEMS:
            continue
        form = form.lower()
        terms.append(form)
        if tag in _KOREAN_NOUN_TAGS and not for_query:
            parts.extend(compound_parts(form))
        is_name = tag == "NNP" or (for_query or names) and tag in _KOREAN_NOUN_TAGS
        if is_name and (key := romanised_key(form)):
            parts.append(key)
    return Analysis(terms, parts)


def _analyse_latin(text: str, terms: list[str], parts: list[str], *, for_query: bool) -> None:
    folded = _fold_latin(text).replace("'s ", " ")
    for match in re.finditer(r"[A-Za-z\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f'\-]*|[0-9]+", folded):
        raw = match.group(0).replace("'", "")
        for word in re.split(r"-", raw):
            if not word:
                continue
            term = english_term(word)
            if term:
                terms.append(term)
            is_name = word[:1].isupper() and not word.isupper() or for_query
            if is_name and term and len(word) >= 4 and (key := romanised_key(word)):
                parts.append(key)
        if "-" in raw and (joined := english_term(raw.replace("-", ""))):
            # "drive-through" also as "drivethrough", "COVID-19" as "covid19".
            terms.append(joined)


def term_spans(text: str) -> list[tuple[int, int, frozenset[str]]]:
    """Where each word of ``text`` is, with the terms and parts it gives.

    Used to highlight matched words in a result's snippet: a word is marked when one of
    its terms is one of the query's.
    """
    text = normalise(text)
    spans: list[tuple[int, int, frozenset[str]]] = []
    for match in re.finditer(r"\S+", text):
        word = match.group(0)
        analysis = _analyse_word(word)
        if analysis:
            spans.append((match.start(), match.end(), analysis))
    return spans


@lru_cache(maxsize=100_000)
def _analyse_word(word: str) -> frozenset[str]:
    found = analyse(word)
    return frozenset(found.terms + found.parts + analyse(word, for_query=True).parts)


# Terms kept for spelling correction, and the shortest word worth correcting (a short
# word one letter away from another is more often a word of its own: cat, car, cap).
_SPELLABLE = re.compile(r"[a-z]{3,40}")
MIN_CORRECTED_LENGTH = 4
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def is_spellable(term: str) -> bool:
    """Whether a term is a Latin word that spelling correction knows of."""
    return bool(_SPELLABLE.fullmatch(term))


def spelling_variants(term: str) -> tuple[set[str], set[str]]:
    """Likely intended spellings of a misspelt stem, in two tiers.

    First a letter left out, two swapped or one doubled (``recyl`` → ``recycl``,
    ``buss`` → ``bus``), then one letter mistyped (``prevens`` → ``prevent``). Variants
    keep the first letter and drop no other letter: a shorter word is more often another
    word (``alow`` is not ``low``).
    """
    splits = [(term[:i], term[i:]) for i in range(1, len(term) + 1)]
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    undoubled = {a + b[1:] for a, b in splits if b and a[-1] == b[0]}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    return (inserts | transposes | undoubled) - {term}, replaces - {term}
