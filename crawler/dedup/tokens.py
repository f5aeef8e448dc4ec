"""Match tokens: the harsh normalisation that story merging compares titles and bodies with.

A title becomes a set of tokens in these steps (each one a reason two renderings of one story
differ):

1. media tags, outlet names, wire-service slugs and column names leave the title ("(VIDEO)",
   "... - Reuters", "tagesschau.de:", "UPDATE 2-", "EXCLUSIVE-", "Opinion:", "Kommentar:");
2. words are split at hyphens and apostrophes ("NATO-Wladimir", "Ukraine-Krieg", "l'Ukraine");
   dotted acronyms are joined ("U.S." -> "US");
3. numbers become hard tokens ("14th", "14.", "14-й" -> "14"; "1,000" -> "1000"; "1.0" -> "1";
   "drei" -> "3"; "a million", "eine Million" -> "1" and the scale), and so do weekdays and
   months ("Tuesday", "Dienstag" -> "~@tue");
   designations that carry a number are names, not counts ("F-35", "S-400", "G7",
   "COVID-19" -> "f35", "s400", "g7", "covid19"), so "35 F-35 jets" counts 35 once;
   negations ("not", "won't", "kein", "nie") become the one token :data:`NEGATION`, which
   verification compares like a number: "will" and "will not" are two stories;
   after a voting verb, "for" and "against" (stop words elsewhere: "Hilfe für", "calls for")
   become :data:`VOTE_FOR` and :data:`VOTE_AGAINST`, an opposing pair: "stimmt für" and
   "stimmt gegen" are two stories;
4. words are folded (:func:`crawler.dedup.fold.fold`: case, umlauts, diacritics, Cyrillic);
5. stop words of the title's language go (all languages' when it is unknown); acronyms written
   in capitals stay ("US", "IT");
6. spelling variants of names meet (Wladimir/Volodymyr, Selenskyj/Zelenskyy, Kiew/Kyiv);
7. German compounds are split (:func:`split_compound`: "Ukrainekrieg" -> ukraine, krieg);
8. words are stemmed with the language's Snowball stemmer (Russian words in Cyrillic, before
   transliteration, since the stemmer needs the script).

Word order is gone: a set of tokens is compared, so "Putin scheitert im Krieg in der Ukraine"
and "Putin scheitert am Ukraine-Krieg" meet.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import snowballstemmer

from crawler.dedup.data import (
    calendar,
    compounds,
    names,
    negations,
    numbers,
    opposites,
    places,
    stopwords,
    synonyms,
)
from crawler.dedup.fold import fold, fold_words, is_cyrillic
from crawler.dedup.wordforms import (
    MIN_DERIVED,
    elide,
    join_acronym,
    place_stems,
    split_compound,
)
from crawler.dedup.wordforms import number as number_of
from crawler.normalize import split_media

#: Bump when any rule or list that shapes tokens changes: stored signatures then no longer
#: compare with new ones, and the parameters' fingerprint (which includes this) says so.
NORMALISATION_VERSION = 6

# Snowball stemmers by ISO 639-1 code. Ukrainian has none in Snowball; Russian's is close
# enough to take the inflections off the names and nouns headlines share.
_STEMMERS = {"de": "german", "en": "english", "fr": "french", "ru": "russian", "uk": "russian",
             "es": "spanish", "it": "italian", "pt": "portuguese", "nl": "dutch",
             "pl": "polish"}
_SEPARATORS = r"\s*(?:[:|\-–—]|::)\s*"
_ACRONYM = re.compile(r"\b(?:[^\W\d_]\.){2,}")
# A number (with thousands separators or decimals, and an ordinal suffix that is dropped), or
# a run of letters with inner apostrophes. Hyphens, slashes and dots separate words.
_WORD = re.compile(
    r"(\d+(?:[.,]\d+)*)(?:(?:st|nd|rd|th|er|re|e|ème|eme)\b|-?(?:й|я|е|го|му|ий|ая|ое)\b)?"
    r"|([^\W\d_]+(?:['’][^\W\d_]+)*)"
)
# A designation: a capital (and one more letter), an all-capitals word or "MiG", then a number
# joined to it or hyphenated, an optional capital after it and an optional plural "s".
_DESIGNATION = re.compile(r"\b([A-Z][a-z]?|[A-Z]{2,6}|MiG)-?(\d{1,4}[A-Z]?)(?:s)?\b")
# Wire-service slugs and column names before a title: "UPDATE 2-", "EXCLUSIVE-", "REFILE-",
# "Opinion:", "Analyse:", "Sanctions watch:", "Podcast „Streitkräfte und Strategien“:".
# They say what kind of piece it is, not what happened, and two pieces of one column share
# them.
_SLUG = re.compile(
    r"^(?:(?:exclusive|exklusiv|update(?:\s*\d+)?|wrapup(?:\s*\d+)?|refile|corrected"
    r"|rpt|factbox|insight|breakingviews)\s*[-:]\s*)+", re.IGNORECASE)
_COLUMN = re.compile(
    r"^(?:opinion|analysis|explainer|comment|commentary|editorial|column|kommentar|meinung"
    r"|analyse|leitartikel|gastbeitrag|kolumne|podcast|tribune|tribune libre|chronique"
    r"|éditorial|[^\W\d_]+\s+watch)\b[^:]{0,60}:\s*", re.IGNORECASE)
# A hyphen after a negating word makes an adjective ("no-frills", "non-EU", "nicht-öffentlich",
# "un-American"), not a negation: the two are joined before words are split. Not "UN-": the
# United Nations ("UN-Sicherheitsrat" is "Sicherheitsrat der UN", not "unsich rat").
_NEGATED_COMPOUND = re.compile(r"\b((?i:no|non|nicht)|[Uu]n)-(?=\w)")
# An article or "one" before a scale word is the count 1: "eine Million", "a billion",
# "one million" and "1 million" are one amount (and differ from "500.000").
_ONE_SCALE = re.compile(
    r"\b(?:an?|one|eine?|une?)\s+(?=(?:m|b|tr)illi(?:ons?|onen|ards?|arden?)\b)", re.IGNORECASE)
_HAS_DIGIT = re.compile(r"\d")
# Without one of these characters neither a media tag (normalize.split_media: brackets,
# "+++", separators) nor an outlet name (_SEPARATORS) can be cut from a title.
_CUT_MARKS = frozenset("([+:|-–—")
_CACHE_LIMIT = 200_000
# A body's language is guessed from its first words' stop words (as a title's from all).
_GUESS_WORDS = 60
#: The characters of a title that matching reads: headlines run to ~100-250 (a German one
#: with its kicker), so 400 leaves every headline whole and bounds a hostile one.
TITLE_CHARS = 400
#: The characters of a body that matching reads: news articles run to ~2,000-40,000 (a long
#: read ~60,000), so 100,000 leaves every article whole and bounds a hostile one (a 20 MB
#: body made a 3-million-word list and peaked at 1.4 GB in ``policywire dedup``).
BODY_CHARS = 100_000
#: The token every negating word becomes ("not", "never", "won't", "kein", "nie", "pas", "не").
NEGATION = "~not"
#: The prefix of weekday and month tokens ("~@tue", "~@mar").
CALENDAR = "~@"
#: The tokens of voting for and against ("votes for", "stimmt gegen"), an opposing pair
#: (see the votes of the opposites data).
VOTE_FOR, VOTE_AGAINST = "~vote+", "~vote-"
_VOTE_HINT = 4
_HEAD_FORMS = ("", "s", "es", "n", "en", "e", "er", "ern", "ns")
# A people's or inhabitants' word after stemming: a place's stem (see
# :func:`crawler.dedup.wordforms.place_stems`) and one of these endings ("burundian",
# "senegales", "montenegrin", "tokiot", "burund"). Tokens shorter than MIN_DERIVED are not
# looked at.
_PEOPLE_ENDINGS = ("ian", "ese", "es", "an", "in", "ot", "er", "n", "i", "")
_QUARTERS = frozenset("1234")
_QUARTER = "~q"  # the token of "quarter", "Quartal" (see the synonyms data)


class Tokenizer:
    """The lists behind matching, folded once, and a bounded cache of word -> tokens.

    News vocabulary repeats, so a word's tokens (fold, stop check, split, stem) are worked
    out once and looked up afterwards: that is what makes titles cheap enough for an index.
    """

    def __init__(self) -> None:
        self._stops: dict[str | None, frozenset[str]] = {
            lang: _fold_all(words) for lang, words in stopwords.BY_LANGUAGE.items()}
        every = frozenset().union(*self._stops.values())
        self._stops[None] = every - _fold_all(stopwords.AMBIGUOUS)
        self._numbers: dict[str | None, dict[str, str]] = {
            lang: {fold(w): n for w, n in table.items()}
            for lang, table in numbers.BY_LANGUAGE.items()}
        self._negations: dict[str | None, frozenset[str]] = {
            lang: _fold_all(words) for lang, words in negations.BY_LANGUAGE.items()}
        self._negations[None] = frozenset().union(*self._negations.values())
        # Number words, calendar names and synonyms share one lookup: a word -> its token.
        for lists in (calendar.BY_LANGUAGE, synonyms.BY_LANGUAGE):
            for lang, table in lists.items():
                self._numbers.setdefault(lang, {}).update({fold(w): t for w, t in table.items()})
        self._numbers[None] = {w: n for table in self._numbers.values() for w, n in table.items()}
        self._variants = names.VARIANTS
        self._heads = frozenset(h + end for h in compounds.HEADS for end in _HEAD_FORMS)
        self._modifiers = tuple(sorted(compounds.MODIFIERS, key=len, reverse=True))
        self._outlets = _outlet_patterns(names.OUTLETS)
        self._stemmers: dict[str, Callable[[str], str]] = {}
        # (language, shouting) -> word -> tokens; _cached counts the words in all of them.
        self._cache: dict[tuple[str | None, bool], dict[str, tuple[str, ...]]] = {}
        self._cached = 0
        self._places: dict[str | None, dict[str, str]] = {}  # none yet while it is built
        self._places = self._per_language(self._place_table)
        self._cities = self._per_language(self._city_table)
        self._stems = {lang: place_stems(table) for lang, table in self._places.items()}
        self._derived: dict[str | None, dict[str, str | None]] = {}
        self._stances = self._per_language(self._stance_table)
        verbs = {(lang, verb) for lang, row in opposites.VOTES.items() for verb in row[0].split()}
        self._votes, self._vote_tokens = _vote_pattern({verb for _, verb in verbs})
        # A voting verb's own stance ("stimmt" as in "stimmt zu") turns with a vote against:
        # "stimmt gegen" is the side of "lehnt ab" (see stances()).
        self._voting = frozenset(token for lang, verb in verbs
                                 for token in self._one_token(verb, lang))
        # The verbs' first letters: a title without any is not searched (the pattern costs
        # ~5 us a title, a tenth of tokenising it; these few substring tests ~0.3 us).
        self._vote_hints = tuple(sorted({verb[:_VOTE_HINT].lower() for _, verb in verbs}))

    def title_tokens(self, title: str, language: str | None) -> frozenset[str]:
        """The match tokens of a title (see the module docstring); of its first
        :data:`TITLE_CHARS` characters only."""
        # Signatures are over token *pairs*: a feed's 5 MB "title" (or a body mapped as one)
        # made billions, and a 3,000-word one took a second and 50 MB a record.
        text = self.strip_title(_prefix(title, TITLE_CHARS))
        if "." in text:  # an acronym needs its dots
            text = _ACRONYM.sub(join_acronym, text)
        if "-" in text:
            text = _NEGATED_COMPOUND.sub(r"\1", text)
        if "illi" in text or "ILLI" in text:
            text = _ONE_SCALE.sub("1 ", text)
        designations = _DESIGNATION.findall(text) if _HAS_DIGIT.search(text) else ()
        if designations:
            text = _DESIGNATION.sub(" ", text)
        pieces = _WORD.findall(text)  # (number, word) pairs, one of them empty
        language = _base_language(language) or self._guess_language([w for _, w in pieces])
        shouting = sum(w.isupper() for _, w in pieces) * 2 > len(pieces)
        known = self._cache.setdefault((language, shouting), {})
        tokens: set[str] = set()
        for number, word in pieces:
            if not word:
                tokens.add(number_of(number))
                continue
            found = known.get(word)
            if found is None:
                found = self._word_tokens(word, language, len(word) > 1 and word.isupper()
                                          and not shouting)
                self._remember(known, word, found)
            tokens.update(found)
        for letters, digits in designations:
            if letters in "Qq" and digits in _QUARTERS:  # "Q2" is "2nd quarter"
                tokens.update((digits, _QUARTER))
            else:
                tokens.add(f"{letters}{digits}".lower())
        low = text.lower()
        if any(hint in low for hint in self._vote_hints):
            tokens.update(self._vote_tokens[fold(m.lower())] for m in self._votes.findall(text))
        return frozenset(tokens)

    def content_terms(self, text: str, language: str | None) -> list[str]:
        """The match tokens of a text word by word, in order and repeated as often as they
        occur: the title rules (numbers, names folded, compounds split, stems) over a body,
        for weighing terms by how often and how rarely they occur (story clustering). Words
        are folded first, as :meth:`body_words` does (~2x faster than the title's pattern):
        no acronyms, and "7.5" is two numbers."""
        words = fold_words(text).split()
        language = _base_language(language) or self._guess_language(words[:_GUESS_WORDS])
        known = self._cache.setdefault((language, False), {})
        terms: list[str] = []
        for word in words:
            found = known.get(word)
            if found is None:
                found = self._word_tokens(word, language, False)
                self._remember(known, word, found)
            terms.extend(found)
        return terms

    def body_shingles(self, text: str, language: str | None, size: int = 3) -> set[str]:
        """Word ``size``-grams of a body: folded, stop words out, no stemming (bodies are long
        and wire copy repeats word for word, so exact words are evidence enough)."""
        words = self.body_words(text, language)
        if len(words) < size:
            return {" ".join(words)} if words else set()
        return set(map(" ".join, zip(*(words[i:] for i in range(size)), strict=False)))

    def body_words(self, text: str, language: str | None) -> list[str]:
        """The folded words of a body's first :data:`BODY_CHARS` characters (to the last
        space within them) without stop words, in order."""
        stops = self._stops.get(_base_language(language), self._stops[None])
        # The runs of letters and digits of the folded text (what [^\W_]+ finds in it), by
        # splitting at every other character: ~3x faster than the pattern.
        return [w for w in fold_words(_prefix(text, BODY_CHARS)).split() if w not in stops]

    def places(self, tokens: frozenset[str], language: str | None) -> frozenset[str]:
        """The places a title's tokens name: the countries (ISO 3166 codes, upper case), and
        the cities, regions and states themselves (their tokens), so that "Aleppo" and
        "Damascus" differ while "Aleppo" and "Syria" agree (see the places data)."""
        table = _for_language(self._places, language)
        named = table.keys() & tokens  # most titles name none: one intersection, no loop
        known = self._derived.get(language if language in self._stems else None, {})
        # A token met before is looked up here (a method call per token: ~1 us a title).
        derived = [d for t in tokens - named if len(t) >= MIN_DERIVED
                   for d in [known[t] if t in known else self._derived_place(t, language)]
                   if d is not None]
        if not named and not derived:
            return frozenset()
        named.update(derived)
        cities = _for_language(self._cities, language)
        return frozenset([table[t] for t in named] + [t for t in named if t in cities])

    def _derived_place(self, token: str, language: str | None) -> str | None:
        """The place token a people's or inhabitants' word derives from ("burund" from
        "burundische" -> "burundi", "senegales" -> "senegal", "tokiot" from "Tokioter" ->
        "tokio"), or None. Worked out once per token and language."""
        key = language if language in self._stems else None
        known = self._derived.setdefault(key, {})
        if token in known:
            return known[token]
        stems = self._stems[key]
        found = None
        if token[0].isalpha():
            for ending in _PEOPLE_ENDINGS:
                if token.endswith(ending) and token[:len(token) - len(ending)] in stems:
                    found = stems[token[:len(token) - len(ending)]]
                    break
        if sum(map(len, self._derived.values())) >= _CACHE_LIMIT:  # bounded as words are
            for table in self._derived.values():
                table.clear()
        known[token] = found
        return found

    def stances(self, tokens: frozenset[str], language: str | None) -> frozenset[str]:
        """Which side of each opposing word pair the tokens take: "n+" for the first word of
        pair n, "n-" for the second (see the opposites data)."""
        table = _for_language(self._stances, language)
        taken = table.keys() & tokens
        if not taken:
            return frozenset()
        stances = [s for t in taken for s in table[t].split()]
        if VOTE_AGAINST in taken and not taken.isdisjoint(self._voting):
            turned = {s for t in taken & self._voting for s in table[t].split()}
            stances = [other_side(s) if s in turned else s for s in stances]
        return frozenset(stances)

    def strip_title(self, title: str) -> str:
        """The title without media tags and outlet names."""
        if _CUT_MARKS.isdisjoint(title):  # nothing to cut: what split_media would return
            return " ".join(title.split())
        text, _ = split_media(title)
        for pattern in self._outlets:
            text = pattern.sub("", text).strip()
        if ":" in text or "-" in text:
            text = _COLUMN.sub("", _SLUG.sub("", text), count=1)
        return text

    def _word_tokens(self, word: str, language: str | None, acronym: bool) -> tuple[str, ...]:
        low = word.casefold().replace("’", "'")
        if low.endswith("n't") or fold(low) in self._negations.get(language,
                                                                   self._negations[None]):
            return (NEGATION,)  # "won't", "can't": the verb is a stop word anyway
        low = elide(low)
        if is_cyrillic(low):
            return self._cyrillic_tokens(low, language)
        folded = fold(low)
        if language == "de" and self._genitive_of_place(folded):
            # "Chinas", "Kubas", "Venezuelas": Snowball takes a German genitive -s off only
            # after a consonant, so these stayed apart from "China" (and named no place).
            folded = folded[:-1]
        number = self._numbers.get(language, self._numbers[None]).get(folded)
        if number is not None:
            return (number,)
        stops = self._stops.get(language, self._stops[None])
        if len(folded) < 2 or (folded in stops and not acronym):
            return ()
        known = self._variant(folded)
        if known or acronym:
            return (known or folded,)
        parts = split_compound(folded, self._heads, self._modifiers) if language in (
            "de", None) else (folded,)
        stem = self._stemmer(language)
        return tuple(self._variant(s) or s for p in parts if p not in stops for s in [stem(p)])

    def _genitive_of_place(self, folded: str) -> bool:
        if not folded.endswith("s"):
            return False
        places, stem = self._places.get("de", {}), self._stemmer("de")
        return stem(folded[:-1]) in places and stem(folded) not in places

    def _cyrillic_tokens(self, low: str, language: str | None) -> tuple[str, ...]:
        if low in stopwords.RU or low in stopwords.UK:
            return ()
        number = self._numbers[None].get(fold(low))
        if number is not None:
            return (number,)
        stem = fold(self._stemmer(language if language in ("ru", "uk") else "ru")(low))
        return (self._variant(fold(low)) or self._variant(stem) or stem,)

    def _variant(self, folded: str) -> str | None:
        # A trailing genitive "s" ("Selenskyjs", "Putins") is not a different name.
        found = self._variants.get(folded)
        if found is None and folded.endswith("s"):
            found = self._variants.get(folded[:-1])
        return found

    def _stemmer(self, language: str | None) -> Callable[[str], str]:
        name = _STEMMERS.get(language or "")
        if name is None:
            return _identity
        if name not in self._stemmers:
            self._stemmers[name] = snowballstemmer.stemmer(name).stemWord
        return self._stemmers[name]

    def _guess_language(self, words: list[str]) -> str | None:
        """The language whose stop words the title uses most; None when it uses none."""
        folded = [fold(w) for w in words if w]
        # Ties go to the first language of the lists (de, en, fr, ...): "des" is German and
        # French, and a stemmer that fits half the time beats none.
        hits = [(sum(w in self._stops[lang] for w in folded), lang)
                for lang in stopwords.BY_LANGUAGE]
        count, language = max(hits, key=lambda hit: hit[0])
        return language if count else None

    def _place_table(self, language: str) -> dict[str, str]:
        names = {**places.GENERATED.get(language, {}), **places.ADDED.get(language, {})}
        return {token: code for name, code in names.items()
                for token in self._one_token(name, language)}

    def _city_table(self, language: str) -> dict[str, str]:
        names = places.CITIES_GENERATED.get(language, frozenset()) | places.CITIES_ADDED.get(
            language, frozenset())
        return {token: token for name in names for token in self._one_token(name, language)}

    def _stance_table(self, language: str) -> dict[str, str]:
        table: dict[str, str] = {}  # token -> its stances, space-separated (a word can
        for n, pair in enumerate(opposites.BY_LANGUAGE.get(language, ())):  # be in two pairs)
            for word, side in zip(pair, "+-", strict=True):
                for token in self._one_token(word, language):
                    table[token] = f"{table.get(token, '')} {language}{n}{side}".strip()
        return {**table, VOTE_FOR: "vote+", VOTE_AGAINST: "vote-"}

    def _one_token(self, word: str, language: str) -> tuple[str, ...]:
        """The token a lexicon word stands for, or nothing if it is not exactly one token."""
        found = self._word_tokens(word, language, len(word) > 1 and word.isupper())
        return found if len(found) == 1 else ()

    def _per_language(self, build: Callable[[str], dict[str, str]]
                      ) -> dict[str | None, dict[str, str]]:
        tables: dict[str | None, dict[str, str]] = {
            lang: build(lang) for lang in stopwords.BY_LANGUAGE}
        union: dict[str, str] = {}
        for table in tables.values():
            for token, value in table.items():
                union.setdefault(token, value)
        tables[None] = union
        return tables

    def _remember(self, known: dict[str, tuple[str, ...]], word: str,
                  tokens: tuple[str, ...]) -> None:
        self._cached += 1
        if self._cached > _CACHE_LIMIT:
            for table in self._cache.values():  # a simple bound: news vocabulary refills it
                table.clear()                   # in seconds
            self._cached = 1
        known[word] = tokens





@cache
def default_tokenizer() -> Tokenizer:
    """One shared tokenizer per process, built on first use (not at import)."""
    return Tokenizer()


def match_tokens(title: str, language: str | None) -> frozenset[str]:
    """The match tokens of a title.

    >>> sorted(match_tokens("NATO-Wladimir Putin scheitert am Ukraine-Krieg (VIDEO)", "de"))
    ['krieg', 'nato', 'putin', 'scheitert', 'ukrain', 'vladimir']
    """
    return default_tokenizer().title_tokens(title, language)


def _prefix(text: str, limit: int) -> str:
    """The first ``limit`` characters of ``text``, to the last space within them (whole words)."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit + 1)
    return text[:cut if cut > 0 else limit]


def body_shingles(text: str, language: str | None, size: int = 3) -> set[str]:
    """Word ``size``-grams of a body text, folded and without stop words."""
    return default_tokenizer().body_shingles(text, language, size)


def numbers_of(tokens: frozenset[str]) -> frozenset[str]:
    """The hard tokens of a token set: numbers (they start with a digit; words never do),
    designations ("f35", "s400", "g7": they end with one) and calendar names (``"~@tue"``,
    see :mod:`crawler.dedup.data.calendar`). An F-16 deal is not an F-35 deal."""
    return frozenset([t for t in tokens
                      if t[0].isdigit() or t[-1].isdigit() or t.startswith(CALENDAR)])





def _for_language(tables: dict[str | None, dict[str, str]], language: str | None
                  ) -> dict[str, str]:
    """The table of ``language`` (a tag reduced to its base), else that of all languages."""
    table = tables.get(language)  # the common case: a base code already
    if table is None:
        table = tables.get(_base_language(language), tables[None])
    return table


def _base_language(language: str | None) -> str | None:
    return language.split("-")[0].split("_")[0].lower() if language else None


def _fold_all(words: frozenset[str]) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


def _outlet_patterns(outlets: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """A suffix ("... - Reuters", "... | DW") and a prefix ("tagesschau.de: ...") pattern."""
    alternatives = "|".join(re.escape(o) for o in sorted(outlets, key=len, reverse=True))
    return (
        re.compile(rf"{_SEPARATORS}(?:{alternatives})\s*$", re.IGNORECASE),
        re.compile(rf"^(?:{alternatives}){_SEPARATORS}", re.IGNORECASE),
    )


def _vote_pattern(verbs: set[str]) -> tuple[re.Pattern[str], dict[str, str]]:
    """A pattern whose one group is the "for" or "against" after one of the voting ``verbs``
    (of any language), and the token of each such word, folded."""
    tokens = {fold(row[side]): token for row in opposites.VOTES.values()
              for side, token in ((1, VOTE_FOR), (2, VOTE_AGAINST))}
    words = {row[side] for row in opposites.VOTES.values() for side in (1, 2)}
    pattern = re.compile(rf"\b(?:{'|'.join(sorted(verbs))})\s+({'|'.join(sorted(words))})\b",
                         re.IGNORECASE)
    return pattern, tokens


def other_side(stance: str) -> str:
    """The other side of an opposing pair: "de2+" <-> "de2-"."""
    return stance[:-1] + ("-" if stance.endswith("+") else "+")


def _identity(word: str) -> str:
    return word


__all__ = ["BODY_CHARS", "CALENDAR", "NEGATION", "NORMALISATION_VERSION", "TITLE_CHARS",
           "VOTE_AGAINST", "VOTE_FOR", "Tokenizer",
           "body_shingles", "default_tokenizer", "match_tokens", "numbers_of", "other_side",
           "split_compound"]

