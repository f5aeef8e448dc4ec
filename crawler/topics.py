"""Topic tagging: which security-policy topics an article is about, from a multilingual lexicon.

The lexicon is data (``crawler/data/topics.toml``): per topic a label and terms per language. A
term matches case-insensitively after NFKC + casefold, on word boundaries: "NATO" matches
"NATO-Gipfel" and "NATO's" but not "NATOs" (a hyphen or an apostrophe ends a word, a letter does
not), so a term that should take endings says so with a trailing ``*`` ("Rüstung*", "санкци*").
The words of a phrase match across whitespace, one hyphen or one apostrophe ("cyber attack*"
= "cyber-attacks"). Title, summary and text are scanned one by one, so a phrase never spans two.

::

    lexicon = Lexicon.load()                                  # the bundled file
    lexicon = Lexicon.load(Path("my-topics.toml"))            # a file of your own
    lexicon = Lexicon.load().merge(Lexicon.load(extra_path))  # bundled + your topics and terms
    lexicon.tag("Nato stockt Munitionsproduktion auf", text, language="de")
    # [TopicMatch(topic='defence-industry-procurement', terms=['Munitionsproduktion']),
    #  TopicMatch(topic='nato-alliances', terms=['NATO*'])]

A file that starts with ``extends = "bundled"`` is merged on top of the bundled lexicon by
:meth:`Lexicon.load`, so users extend it without code.

With a known language the text is matched against that language's terms plus English (English
terms turn up in all press); a language the lexicon has no terms for gets English only; no
language gets all of them.

Speed: each language (and "all") is one compiled regex, a trie of the first words of its
terms, so the scan runs in the regex engine; Python only looks at the few words that hit, and
checks the rest of a phrase with one anchored regex per phrase. Measured with this lexicon (12
topics, 1,608 terms) on CPython 3.11, one core of a shared 2-core machine: 10,000 records of 500
words each (35 MB, consecutive words from the German and English pages in shared/data/pages) tag
in 2.9-3.3 s with a language (de + en) and 4.0-4.6 s without one; about 60% of that is the regex
scan, a third is NFKC + casefold. Loading and compiling the bundled lexicon takes 0.2-0.3 s.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from crawler.errors import ConfigError
from crawler.models import Record, TopicMatch

ENGLISH = "en"
_TOPIC_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_TERM_SEPARATORS = re.compile(r"[\s'\-]+")
_TERM_WORD = re.compile(r"^\w+\*?$")
# In the text, a phrase's words may be joined by whitespace or by one hyphen or apostrophe
# ("Sicherheits- und", "l'OTAN"), but not by other punctuation: a comma ends a phrase.
_TEXT_JOINER = r"(?:\s*[-']\s*|\s+)"
# A term starting with a shorter prefix ("EU*", "ра*") would match a large part of any text; a
# later word of a phrase is anchored by the words before it ("F-35*").
_MIN_PREFIX = 3
# NFKC leaves typographic apostrophes and hyphens alone, and web text carries soft hyphens and
# zero-width characters inside words ("Rüs\xadtung"); Russian press often writes "е" for "ё".
_FOLDS: tuple[tuple[str, str], ...] = (
    ("\u2019", "'"), ("\u2018", "'"), ("\u02bc", "'"), ("\u02b9", "'"), ("`", "'"), ("\u00b4", "'"),
    ("\u2010", "-"), ("\u00ad", ""), ("\u200b", ""), ("\u2060", ""), ("\ufeff", ""), ("ё", "е"),
)


def bundled_lexicon_path() -> Path:
    """The lexicon that ships with policywire."""
    return Path(str(resources.files("crawler") / "data" / "topics.toml"))


def normalize(text: str) -> str:
    """The form both terms and texts are matched in: NFKC, casefolded, typography folded."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    # str.translate with a dict table runs per character in Python; a replace() per folded
    # character that is actually present costs a fraction of that (measured: 6 s -> 0.2 s).
    for old, new in _FOLDS:
        if old in folded:
            folded = folded.replace(old, new)
    return folded


@dataclass(frozen=True)
class Topic:
    """One topic: its id, label and terms per language, as written in the lexicon file."""

    id: str
    label: str
    terms: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class _Term:
    topic: str
    written: str
    first: str
    first_is_prefix: bool
    tail: re.Pattern[str] | None


@dataclass(frozen=True)
class _Matcher:
    """The terms of some languages: one regex finds their first words, lookups do the rest."""

    pattern: re.Pattern[str]
    exact: dict[str, tuple[_Term, ...]]
    prefixes: dict[str, tuple[_Term, ...]]
    prefix_lengths: tuple[int, ...]

    def scan(self, text: str, found: dict[str, set[str]]) -> None:
        for hit in self.pattern.finditer(text):
            for term in self._candidates(hit.group()):
                if term.tail is None or term.tail.match(text, hit.end()):
                    found.setdefault(term.topic, set()).add(term.written)

    def _candidates(self, word: str) -> Iterable[_Term]:
        yield from self.exact.get(word, ())
        for length in self.prefix_lengths:
            if length > len(word):
                break
            yield from self.prefixes.get(word[:length], ())


@dataclass(frozen=True)
class Lexicon:
    """Topics and their terms, compiled once; :meth:`tag` says which topics a text is about.

    Built from code (``Lexicon((Topic(...), ...))``) it validates like a file: a topic without a
    label, an id twice or a malformed term raises :class:`ConfigError`.
    """

    topics: tuple[Topic, ...]
    _matchers: Mapping[str | None, _Matcher] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        topics = tuple(sorted(self.topics, key=lambda topic: topic.id))
        _check_topics(topics)
        object.__setattr__(self, "topics", topics)
        object.__setattr__(self, "_matchers", _compile_matchers(topics))

    @classmethod
    def load(cls, path: Path | None = None) -> Lexicon:
        """Read a lexicon file; ``None`` is the bundled one. Faults raise :class:`ConfigError`."""
        if path is None:
            path = bundled_lexicon_path()
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read lexicon file: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{path}: lexicon file is not UTF-8: {exc.reason}") from exc
        return cls.parse(text, str(path))

    @classmethod
    def parse(cls, text: str, origin: str = "<topics>") -> Lexicon:
        """A lexicon from TOML text; errors start with ``origin`` and the line, and name the
        topic and key."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{origin}: invalid TOML: {exc}") from exc
        try:
            topics = _parse_topics(data)
            if _extends_bundled(data):
                topics = _merge_topics(cls.load().topics, topics)
            return cls(tuple(topics))
        except ConfigError as exc:
            line = _line_of(text, str(exc))
            raise ConfigError(f"{origin}:line {line}: {exc}" if line else f"{origin}: {exc}"
                              ) from None

    def merge(self, other: Lexicon) -> Lexicon:
        """This lexicon plus ``other``'s topics and terms; ``other``'s labels win."""
        return Lexicon(tuple(_merge_topics(self.topics, other.topics)))

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted({lang for topic in self.topics for lang in topic.terms}))

    def tag(
        self, title: str, text: str | None = None, language: str | None = None
    ) -> list[TopicMatch]:
        """The topics ``title`` and ``text`` are about, by topic id, each with its terms."""
        return self._tag((title, text), language)

    def tag_record(self, record: Record) -> list[TopicMatch]:
        """:meth:`tag` over a record's title, summary and text, in its language."""
        return self._tag((record.title, record.summary, record.text), record.language)

    def _tag(self, parts: Iterable[str | None], language: str | None) -> list[TopicMatch]:
        matcher = self._matcher(language)
        found: dict[str, set[str]] = {}
        for part in parts:
            if part:
                matcher.scan(normalize(part), found)
        return [TopicMatch(topic=topic, terms=sorted(found[topic])) for topic in sorted(found)]

    def _matcher(self, language: str | None) -> _Matcher:
        # "de-AT", "de_DE" and "DE" are all German; "" is as unknown as None.
        base = re.split(r"[-_]", language.strip().lower())[0] if language else ""
        if not base:
            return self._matchers[None]
        return self._matchers.get(base, self._matchers[ENGLISH])


def _parse_topics(data: dict[str, Any]) -> list[Topic]:
    unknown = sorted(set(data) - {"topics", "extends"})
    if unknown:
        raise ConfigError(f"unknown key {unknown[0]!r} (known: extends, topics)")
    tables = data.get("topics")
    if not isinstance(tables, dict) or not tables:
        raise ConfigError("expected one or more [topics.<id>] tables")
    return [_parse_topic(topic_id, table) for topic_id, table in tables.items()]


def _parse_topic(topic_id: str, table: Any) -> Topic:
    where = f"topic {topic_id!r}"
    if not _TOPIC_ID.match(topic_id):
        raise ConfigError(f"{where}: an id may hold only a-z, 0-9 and '-'")
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table")
    label = table.get("label", "")
    if not isinstance(label, str):
        raise ConfigError(f"{where}: key 'label' must be a string")
    terms: dict[str, tuple[str, ...]] = {}
    for key, value in table.items():
        if key == "label":
            continue
        if not _LANGUAGE.match(key):
            raise ConfigError(f"{where}: unknown key {key!r} (expected 'label' or a language code)")
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: key {key!r} must be a list of strings")
        terms[key] = tuple(value)
    return Topic(topic_id, label.strip(), terms)


def _extends_bundled(data: dict[str, Any]) -> bool:
    extends = data.get("extends")
    if extends not in (None, "bundled"):
        raise ConfigError(f"key 'extends': {extends!r} is not 'bundled'")
    return extends == "bundled"


# Every fault of a lexicon is said as "topic 'id': key 'k' ...", "unknown key 'k'" or "key 'k'
# ..."; tomllib gives no positions, so the line is found in the text by those names.
_NAMED = re.compile(r"(?:topic '([^']*)': )?(?:(?:unknown )?key '([^']*)')?")
_HEADER = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
_KEY = re.compile(r"""^\s*["']?([A-Za-z0-9_-]+)["']?\s*[=.]""")


def _line_of(text: str, message: str) -> int | None:
    """The line of the topic and key a fault names: the key's line in the topic's table, the
    table's header without a key, a top-level key's line; ``None`` where none is found."""
    named = _NAMED.match(message)
    topic, key = named.groups() if named else (None, None)
    table: str | None = ""  # the header of the table the lines are in: "" before any
    header_line = None
    for number, line in enumerate(text.splitlines(), 1):
        if header := _HEADER.match(line):
            table = re.sub(r"""[\s"']""", "", header.group(1))
            if topic is not None and table == f"topics.{topic}":
                header_line = number
            elif topic is None and key is not None and table.split(".")[0] == key:
                return number
            continue
        found = _KEY.match(line)
        in_place = (table == f"topics.{topic}") if topic is not None else table == ""
        if found and key is not None and found.group(1) == key and in_place:
            return number
    return header_line


def _merge_topics(base: Iterable[Topic], extra: Iterable[Topic]) -> list[Topic]:
    merged = {topic.id: topic for topic in base}
    for topic in extra:
        old = merged.get(topic.id, Topic(topic.id, ""))
        terms = dict(old.terms)
        for language, added in topic.terms.items():
            have = terms.get(language, ())
            terms[language] = have + tuple(t for t in added if t not in have)
        merged[topic.id] = Topic(topic.id, topic.label or old.label, terms)
    return list(merged.values())


def _check_topics(topics: tuple[Topic, ...]) -> None:
    seen: set[str] = set()
    for topic in topics:
        if topic.id in seen:
            raise ConfigError(f"topic {topic.id!r}: defined twice")
        if not topic.label:
            raise ConfigError(f"topic {topic.id!r}: key 'label' is required")
        seen.add(topic.id)


def _compile_matchers(topics: tuple[Topic, ...]) -> dict[str | None, _Matcher]:
    by_language: dict[str, list[_Term]] = {ENGLISH: []}
    for topic in topics:
        shown = _shown_forms(topic)
        for language, written in topic.terms.items():
            compiled = [_compile_term(topic.id, language, term, shown) for term in written]
            by_language.setdefault(language, []).extend(compiled)
    everything = [term for terms in by_language.values() for term in terms]
    matchers: dict[str | None, _Matcher] = {None: _build_matcher(everything)}
    for language, terms in by_language.items():
        extra = by_language[ENGLISH] if language != ENGLISH else []
        matchers[language] = _build_matcher(terms + extra)
    return matchers


def _shown_forms(topic: Topic) -> dict[str, str]:
    """One spelling per term: "Terror*" (de) and "terror*" (en) are reported once, whichever
    language's list matched, so the output does not depend on the language asked for."""
    shown: dict[str, str] = {}
    for written in (term for terms in topic.terms.values() for term in terms):
        key = " ".join(_words(written))
        shown[key] = min(shown.get(key, written), written)
    return shown


def _words(term: str) -> list[str]:
    return _TERM_SEPARATORS.split(normalize(term).strip())


def _compile_term(topic: str, language: str, written: str, shown: Mapping[str, str]) -> _Term:
    words = _words(written)
    where = f"topic {topic!r}: key {language!r}: term {written!r}"
    if not all(_TERM_WORD.match(word) for word in words):
        raise ConfigError(
            f"{where} must be words (letters, digits) joined by spaces, hyphens or apostrophes, "
            "each with an optional trailing *"
        )
    if words[0].endswith("*") and len(words[0]) - 1 < _MIN_PREFIX:
        raise ConfigError(f"{where}: a prefix needs at least {_MIN_PREFIX} letters before the *")
    tail = "".join(_TEXT_JOINER + _word_pattern(word) for word in words[1:])
    return _Term(
        topic=topic,
        written=shown.get(" ".join(words), written),
        first=words[0].rstrip("*"),
        first_is_prefix=words[0].endswith("*"),
        tail=re.compile(tail + r"(?!\w)") if tail else None,
    )


def _word_pattern(word: str) -> str:
    return re.escape(word[:-1]) + r"\w*" if word.endswith("*") else re.escape(word)


def _build_matcher(terms: list[_Term]) -> _Matcher:
    exact: dict[str, list[_Term]] = {}
    prefixes: dict[str, list[_Term]] = {}
    for term in terms:
        (prefixes if term.first_is_prefix else exact).setdefault(term.first, []).append(term)
    trie = _trie((term.first, term.first_is_prefix) for term in terms)
    body = _render(trie) if trie else "(?!)"
    return _Matcher(
        # A leading \b rather than (?<!\w): same meaning here (a term starts with a letter or
        # digit), but the regex engine scans about twice as fast with it (measured).
        pattern=re.compile(rf"\b(?:{body})(?!\w)"),
        exact={word: tuple(found) for word, found in exact.items()},
        prefixes={word: tuple(found) for word, found in prefixes.items()},
        prefix_lengths=tuple(sorted({len(word) for word in prefixes})),
    )


def _trie(entries: Iterable[tuple[str, bool]]) -> dict[str, Any]:
    """A character trie; the key "" marks the end of a word, "*" the end of a prefix."""
    root: dict[str, Any] = {}
    for word, is_prefix in entries:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node["*" if is_prefix else ""] = {}
    return root


def _render(node: dict[str, Any]) -> str:
    # Python's regex engine tries alternatives one by one; sharing prefixes in a trie makes a
    # non-matching word fail after a character or two instead of after every alternative.
    if "*" in node:
        return r"\w*"  # a prefix ends here: any continuation matches, so the subtree is moot
    branches = [re.escape(char) + _render(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body
