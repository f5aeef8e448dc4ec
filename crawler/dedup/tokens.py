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
   "stimmt gegen" are two stories; an English title's question mark becomes
   :data:`QUESTION`, which verification compares like a negation: "Putin claims victory in
   Russia's election" and "Will Putin's election victory be greeted with protests?" are two
   pieces;
4. words are folded (:func:`crawler.dedup.fold.fold`: case, umlauts, diacritics, Cyrillic);
5. stop words of the title's language go (all languages' when it is unknown); acronyms written
   in capitals stay ("US", "IT");
6. spelling variants of names meet (Wladimir/Volodymyr, Selenskyj/Zelenskyy, Kiew/Kyiv);
7. German compounds are split (:func:`split_compound`: "Ukrainekrieg" -> ukraine, krieg);
8. words are stemmed with the language's Snowball stemmer (Russian words in Cyrillic, before
   transliteration, since the stemmer needs the script).

Word order is gone: a set of tokens is compared, so "Putin scheitert im Krieg in der Ukraine"
and "Putin scheitert am Ukraine-Krieg" meet.

Here: the words' rules (steps 3-8) and the :class:`Tokenizer` that applies them all. Beside
it: a title's surface (:mod:`crawler.dedup.titletext`: what step 1 cuts, the patterns of
steps 2-3), what tokens name (:mod:`crawler.dedup.placenames`, :mod:`crawler.dedup.stances`),
the per-language tables (:mod:`crawler.dedup.languages`) and the stemmers
(:mod:`crawler.dedup.stemming`).
"""

from __future__ import annotations

from functools import cache
from itertools import filterfalse

from crawler.dedup.data import (
    calendar,
    compounds,
    names,
    negations,
    numbers,
    stopwords,
    synonyms,
)
from crawler.dedup.fold import fold, fold_words, is_cyrillic
from crawler.dedup.languages import PerLanguage, base_language, per_language
from crawler.dedup.placenames import (
    PlaceFinder,
    city_table,
    genitive_of_place,
    place_of_adjective,
    place_table,
)
from crawler.dedup.stances import VOTE_AGAINST, VOTE_FOR, StanceFinder, other_side
from crawler.dedup.stemming import stemmer
from crawler.dedup.titletext import (
    ACRONYM,
    BODY_CHARS,
    DESIGNATION,
    HAS_DIGIT,
    NEGATED_COMPOUND,
    ONE_SCALE,
    TITLE_CHARS,
    WORD,
    outlet_patterns,
    prefix,
    strip_title,
)
from crawler.dedup.wordforms import elide, join_acronym, split_compound, umlaut_plurals
from crawler.dedup.wordforms import number as number_of

#: Bump when any rule or list that shapes tokens changes: stored signatures then no longer
#: compare with new ones, and the parameters' fingerprint (which includes this) says so.
NORMALISATION_VERSION = 13

_CACHE_LIMIT = 200_000
# A body's language is guessed from its first words' stop words (as a title's from all).
_GUESS_WORDS = 60
#: The token every negating word becomes ("not", "never", "won't", "kein", "nie", "pas", "не").
NEGATION = "~not"
#: The token of a title that asks ("Will ...?", "Can ...?"): a question is not a copy of a
#: report (see :func:`crawler.dedup.verify.verify`).
QUESTION = "~?"
# The languages whose questions are marked. English only: on the tune splits (headline-pairs
# train + hard-pairs tune, index, pooled) the mark took 3 false merges out of English and
# no same-story pair (tp / fp 487 / 22 -> 487 / 19), but in German it cost as much as it
# gained (481 / 47 -> 480 / 46: "Der neue Kalte Krieg" / "Ein neuer Kalter Krieg?"): a
# German explainer's title asks of the event it explains (benchmarks/README.md).
_ASKING = frozenset({"en"})
#: The prefix of weekday and month tokens ("~@tue", "~@mar").
CALENDAR = "~@"
_HEAD_FORMS = ("", "s", "es", "n", "en", "e", "er", "ern", "ns")
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
        self._heads = frozenset([h + end for h in compounds.HEADS for end in _HEAD_FORMS]
                                + [p for h in compounds.HEADS for p in umlaut_plurals(h)])
        self._modifiers = tuple(sorted(compounds.MODIFIERS, key=len, reverse=True))
        self._outlets = outlet_patterns(names.OUTLETS)
        # (language, shouting) -> word -> tokens; _cached counts the words in all of them.
        self._cache: dict[tuple[str | None, bool], dict[str, tuple[str, ...]]] = {}
        self._cached = 0
        # The lexicons' words as tokens (_one_token): German genitives of places are read
        # with the place table, which is therefore none while it is itself built.
        self._places: PerLanguage = {}
        self._places = per_language(lambda lang: place_table(lang, self._one_token))
        self._place_finder = PlaceFinder(
            self._places, per_language(lambda lang: city_table(lang, self._one_token)))
        self._stance_finder = StanceFinder(self._one_token)

    def title_tokens(self, title: str, language: str | None) -> frozenset[str]:
        """The match tokens of a title (see the module docstring); of its first
        :data:`TITLE_CHARS` characters only."""
        # Signatures are over token *pairs*: a feed's 5 MB "title" (or a body mapped as one)
        # made billions, and a 3,000-word one took a second and 50 MB a record.
        text = self.strip_title(prefix(title, TITLE_CHARS))
        if "." in text:  # an acronym needs its dots
            text = ACRONYM.sub(join_acronym, text)
        if "-" in text:
            text = NEGATED_COMPOUND.sub(r"\1", text)
        if "illi" in text or "ILLI" in text:
            text = ONE_SCALE.sub("1 ", text)
        designations = DESIGNATION.findall(text) if HAS_DIGIT.search(text) else ()
        if designations:
            text = DESIGNATION.sub(" ", text)
        pieces = WORD.findall(text)  # (number, word) pairs, one of them empty
        language = base_language(language) or self._guess_language([w for _, w in pieces])
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
        tokens.update(self._stance_finder.vote_tokens(text))
        if "?" in text and language in _ASKING:
            tokens.add(QUESTION)
        return frozenset(tokens)

    def content_terms(self, text: str, language: str | None,
                      words: list[str] | None = None) -> list[str]:
        """The match tokens of a text word by word, in order and repeated as often as they
        occur: the title rules (numbers, names folded, compounds split, stems) over a body,
        for weighing terms by how often and how rarely they occur (story clustering). Words
        are folded first, as :meth:`body_words` does (~2x faster than the title's pattern):
        no acronyms, and "7.5" is two numbers. ``words``: the text's folded words, when
        they are made already (:meth:`lead_and_body_words`)."""
        if words is None:
            words = fold_words(text).split()
        language = base_language(language) or self._guess_language(words[:_GUESS_WORDS])
        known = self._cache.setdefault((language, False), {})
        terms: list[str] = []
        # The two calls a word bound once: ~3 million words a run of 20,000 articles'
        # leads, where looking the methods up each time was ~a fifth of this loop.
        get, extend = known.get, terms.extend
        for word in words:
            found = get(word)
            if found is None:
                found = self._word_tokens(word, language, False)
                self._remember(known, word, found)
            extend(found)
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
        # The runs of letters and digits of the folded text (what [^\W_]+ finds in it), by
        # splitting at every other character: ~3x faster than the pattern.
        return self._without_stops(fold_words(prefix(text, BODY_CHARS)).split(), language)

    def lead_and_body_words(self, text: str, language: str | None, lead_chars: int
                            ) -> tuple[list[str], list[str]]:
        """The folded words of ``text[:lead_chars]``, stop words and all (what
        :meth:`content_terms` reads of a lead), and :meth:`body_words` of ``text``: one
        fold and one split of the body for both (the story layer's lead is the body's
        start), the lead's words the body's own strings (their hashes made once)."""
        body = prefix(text, BODY_CHARS)
        if len(body) <= lead_chars and len(body) == len(text):  # the lead is all of it
            words = fold_words(body).split()
            return words, self._without_stops(words, language)
        # Folded in two at the cut: the same as whole where the cut's character is ASCII
        # (none composes with the character before it under NFC), a word across the cut
        # made one again.
        if len(body) <= lead_chars or not body[lead_chars].isascii():
            return fold_words(text[:lead_chars]).split(), self.body_words(text, language)
        head, tail = fold_words(body[:lead_chars]), fold_words(body[lead_chars:])
        lead, rest = head.split(), tail.split()
        if head[-1:] != " " and tail[:1] != " " and lead and rest:
            words = lead[:-1]
            words.append(lead[-1] + rest[0])
            words += rest[1:]
        else:
            words = lead + rest
        return lead, self._without_stops(words, language)

    def _without_stops(self, words: list[str], language: str | None) -> list[str]:
        stops = self._stops.get(base_language(language), self._stops[None])
        # filterfalse with the set's own test: no Python step a word.
        return list(filterfalse(stops.__contains__, words))

    def places(self, tokens: frozenset[str], language: str | None) -> frozenset[str]:
        """The places a title's tokens name: the countries (ISO 3166 codes, upper case), and
        the cities, regions and states themselves (their tokens), so that "Aleppo" and
        "Damascus" differ while "Aleppo" and "Syria" agree (see the places data)."""
        return self._place_finder.places(tokens, language)

    def stances(self, tokens: frozenset[str], language: str | None) -> frozenset[str]:
        """Which side of each opposing word pair the tokens take: "n+" for the first word of
        pair n, "n-" for the second (see the opposites data)."""
        return self._stance_finder.stances(tokens, language)

    def strip_title(self, title: str) -> str:
        """The title without media tags and outlet names."""
        return strip_title(title, self._outlets)

    def _word_tokens(self, word: str, language: str | None, acronym: bool) -> tuple[str, ...]:
        low = word.casefold().replace("’", "'")
        if low.endswith("n't") or fold(low) in self._negations.get(language,
                                                                   self._negations[None]):
            return (NEGATION,)  # "won't", "can't": the verb is a stop word anyway
        low = elide(low)
        if is_cyrillic(low):
            return self._cyrillic_tokens(low, language)
        folded = fold(low)
        if language == "de" and genitive_of_place(folded, self._places.get("de", {})):
            folded = folded[:-1]  # "Chinas" -> "China"
        elif language == "de" and folded.endswith("er"):
            folded = place_of_adjective(folded, self._places.get("de", {}))
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
        stem = stemmer(language)
        return tuple(self._variant(s) or s for p in parts if p not in stops for s in [stem(p)])

    def _cyrillic_tokens(self, low: str, language: str | None) -> tuple[str, ...]:
        if low in stopwords.RU or low in stopwords.UK:
            return ()
        number = self._numbers[None].get(fold(low))
        if number is not None:
            return (number,)
        stem = fold(stemmer(language if language in ("ru", "uk") else "ru")(low))
        return (self._variant(fold(low)) or self._variant(stem) or stem,)

    def _variant(self, folded: str) -> str | None:
        # A trailing genitive "s" ("Selenskyjs", "Putins") is not a different name.
        found = self._variants.get(folded)
        if found is None and folded.endswith("s"):
            found = self._variants.get(folded[:-1])
        return found

    def _guess_language(self, words: list[str]) -> str | None:
        """The language whose stop words the title uses most; None when it uses none."""
        folded = [fold(w) for w in words if w]
        # Ties go to the first language of the lists (de, en, fr, ...): "des" is German and
        # French, and a stemmer that fits half the time beats none.
        hits = [(sum(w in self._stops[lang] for w in folded), lang)
                for lang in stopwords.BY_LANGUAGE]
        count, language = max(hits, key=lambda hit: hit[0])
        return language if count else None

    def _one_token(self, word: str, language: str) -> tuple[str, ...]:
        """The token a lexicon word stands for, or nothing if it is not exactly one token."""
        found = self._word_tokens(word, language, len(word) > 1 and word.isupper())
        return found if len(found) == 1 else ()

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


def body_shingles(text: str, language: str | None, size: int = 3) -> set[str]:
    """Word ``size``-grams of a body text, folded and without stop words."""
    return default_tokenizer().body_shingles(text, language, size)


def numbers_of(tokens: frozenset[str]) -> frozenset[str]:
    """The hard tokens of a token set: numbers (they start with a digit; words never do),
    designations ("f35", "s400", "g7": they end with one) and calendar names (``"~@tue"``,
    see :mod:`crawler.dedup.data.calendar`). An F-16 deal is not an F-35 deal."""
    return frozenset([t for t in tokens
                      if t[0].isdigit() or t[-1].isdigit() or t.startswith(CALENDAR)])


def _fold_all(words: frozenset[str]) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


__all__ = ["BODY_CHARS", "CALENDAR", "NEGATION", "NORMALISATION_VERSION", "QUESTION",
           "TITLE_CHARS", "VOTE_AGAINST", "VOTE_FOR", "Tokenizer",
           "body_shingles", "default_tokenizer", "match_tokens", "numbers_of", "other_side",
           "split_compound"]

