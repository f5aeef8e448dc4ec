"""Where the body starts: after every rendering of its headline.

Pages print their headline more than once: as the ``h1`` and again as the body's first line,
or a second, reworded headline ("NATO-Wladimir Putin scheitert am Ukraine-Krieg") under the one
the feed and the metadata give ("NATO: Wladimir Putin scheitert im Krieg in der Ukraine"). A
headline at the start of ``text`` is the doubled title this project exists to catch, so a
leading line that restates any title candidate goes. "Restates" is judged on the story
matcher's match tokens (:func:`crawler.dedup.tokens.match_tokens`): word order, hyphenated
compounds, name spellings, media tags and outlet names do not hide a variant from it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from crawler.dedup.tokens import match_tokens
from crawler.extract.daytext import EVENT_LABEL, days_in
from crawler.extract.sitenames import squash
from crawler.normalize import fold

# A repeated headline sits in the first lines, under at most a kicker or section label.
_HEAD_LINES = 3
_KICKER_LENGTH = 80
# A kicker printed in one line with the headline (an h1 of both, the Bundestag's "heute im
# bundestag": "Verteidigung/Antwort - 14.06.2024 (hib 412/2024) Headline") names a topic,
# a series or a day in a few words: as many as a kicker has (``titles.KICKER_WORDS``).
_KICKER_WORDS = 5
# A variant shares most of its match tokens with a title: 0.6 is above the story matcher's
# own title thresholds (0.27 de, 0.40 en: two headlines of one *story*), so a lead sentence
# that merely reports the same event stays; the seed pair shares all six of its tokens.
_VARIANT_JACCARD = 0.6
# Fewer tokens than this and chance overlaps decide ("Video", "Live: Kiew").
_MIN_TOKENS = 3
# A line starting with one of these is a byline ("Von Anna Schmidt, dpa"), not a headline.
_BYLINE_WORDS = frozenset({"von", "by", "autor", "autorin", "author"})
# Days a date line names at most ("veröffentlicht am ..., aktualisiert am ..." names two).
_DATELINE_DAYS = 4
# Words besides its date a date line holds: a label, a byline, a reading time, a number.
_DATELINE_WORDS = 6
# Four days ("Donnerstag, 13. Juni 2024, 08:00 Uhr") and six words fit in far fewer: a longer
# line is not searched for days (a body of one 14 MB line took 7 s of CPU in the crawl's main
# process, which strips a record's headline again after the extraction's CPU limit).
_DATELINE_CHARS = 400
# A header's time of day on a line of its own, perhaps after a weekday: "Di, 10:19 Uhr".
_CLOCK_LINE = re.compile(r"^(?:[A-ZÄÖÜ][a-zäöü]{1,9}\.?,?\s+)?\d{1,2}[:.]\d{2}(?:\s*Uhr)?$")
# A time of day before a line's words: "9:12 PM ", "15:59 Uhr ", "15:59 ".
_CLOCK_BEFORE = re.compile(r"^\d{1,2}[:.]\d{2}(?:\s*(?:[AaPp][Mm]|Uhr))?\s+(?=\S)")
# How a title's first sentence ends where a second follows it.
_SENTENCE_ENDS = frozenset({". ", "! ", "? "})
# A title this many words long or longer that opens a longer line is the headline glued to
# the text after it, not a lead's first words (:func:`_without_leading_title`).
_PREFIX_WORDS = 4
# A headline has at most this many words; a line of more is a lead sentence.
_MAX_HEADLINE_WORDS = 20
# A headline variant is about as long as a headline; a lead paragraph is longer. Half again
# the title's length (plus a few words) lets a kicker-prefixed variant through.
_LENGTH_FACTOR = 1.5
_LENGTH_SLACK = 20


def strip_headlines(text: str | None, titles: Iterable[str | None],
                    language: str | None = None) -> str | None:
    """``text`` without its leading lines that restate one of ``titles`` (and any short
    kicker printed above such a line); ``None`` when nothing else is left."""
    # A title of no words (punctuation, emoji) would "repeat" every short line.
    wanted = [_Title(t, language) for t in dict.fromkeys(t for t in titles if t and fold(t))]
    if not text or not wanted:
        return text
    lines = text.split("\n")
    start = 0
    while True:
        if start < len(lines) and (is_dateline(lines[start]) or _CLOCK_LINE.match(lines[start])):
            start += 1  # the header's date line, left where the headline was taken away
            continue
        cut = _restated_line(lines[start:start + _HEAD_LINES], wanted, language)
        if cut < 0:
            if start < len(lines):
                lines[start] = _without_leading_title(lines[start], wanted)
            return "\n".join(_without_restatements(lines[start:], wanted)).strip() or None
        start += cut + 1


def _without_leading_title(line: str, titles: list[_Title]) -> str:
    """``line`` without a title it opens with, as printed, where the line goes on with a
    new sentence's capital or a date line: trafilatura's text of a short page may be one
    line of header and body ("ZDF-Politbarometer: Mehrheit für neuen Wehrdienst Datum:
    13.06.2025 12:00 Uhr Eine Mehrheit ..."). A lead that goes on in lower case after the
    title's words ("Pistorius will mehr Soldaten für die Ostflanke ...") stays whole, as
    does a title of fewer than :data:`_PREFIX_WORDS` words."""
    for title in titles:
        if len(title.text.split()) >= _PREFIX_WORDS and line.startswith(title.text + " "):
            rest = line[len(title.text):].lstrip()
            if rest[:1].isupper() or rest[:1].isdigit():
                return rest
    return line


def _without_restatements(lines: list[str], titles: list[_Title]) -> list[str]:
    """``lines`` without a first line that is a title itself below a line too long to be
    a kicker (a deck, "Microsoft will invest US$1 billion ...", or a site's blurb above the
    article): the lines above stay, as they may be the lead, and the headline goes."""
    return [line for index, line in enumerate(lines)
            if index >= _HEAD_LINES or not any(t.repeated_by(line) for t in titles)]


class _Title:
    """A title candidate as the comparisons read it: folded words and match tokens."""

    def __init__(self, title: str, language: str | None) -> None:
        self.text = title
        self.length = len(title)
        self.folded = fold(title)
        self.squashed = squash(title)
        self.tokens = match_tokens(title, language)

    def repeated_by(self, line: str) -> bool:
        """The headline itself, perhaps with a trailing mark or tag, or after its kicker
        glued to it: a kicker's and a headline's adjacent spans (``<span>Katastrophenschutz
        </span><span>Land will ...</span>`` in a minified h1) are one word in the text
        trafilatura gives ("KatastrophenschutzLand will ..."), which no token matches; and
        its words glued or parted otherwise (a headline set in lines of ``<div>``s)."""
        if len(line) > 2 * self.length + _LENGTH_SLACK:
            return False  # a line of twice its length is none (and folding it would be wasted)
        folded = fold(line)
        if folded.startswith(self.folded) and len(folded) <= len(self.folded) + 3:
            return True
        if self.squashed and squash(line) == self.squashed:
            return True  # its lines glued ("Jahreshauptversammlungwählt ...": two <div>s)
        kicker = folded[:-len(self.folded)] if folded.endswith(self.folded) else ""
        # A kicker of words before a title of a word or two would take any line ending so.
        return (bool(kicker) and len(kicker) <= _KICKER_LENGTH and (
            " " not in kicker or (_kicker_words(kicker) <= _KICKER_WORDS
                                  and len(self.folded.split()) >= _MIN_TOKENS))) or \
            self._first_sentence(line)

    def _first_sentence(self, line: str) -> bool:
        """The title's first sentence alone: a blog's title of two sentences ("Leandra Lou –
        Der etwas andere Modeblog jetzt auch zwischen Buchdeckeln. Leandra Lou schreibt
        ...") whose first the theme prints again over the post as its heading."""
        line = line.strip()
        rest = self.text[len(line):] if self.text.startswith(line) else ""
        return len(line.split()) >= _MIN_TOKENS and rest[:2] in _SENTENCE_ENDS

    def near_length(self, line: str) -> bool:
        return len(line) <= self.length * _LENGTH_FACTOR + _LENGTH_SLACK

    def reworded_by(self, tokens: frozenset[str]) -> bool:
        if min(len(tokens), len(self.tokens)) < _MIN_TOKENS:
            return False
        return len(tokens & self.tokens) / len(tokens | self.tokens) >= _VARIANT_JACCARD


def _kicker_words(kicker: str) -> int:
    """The words of a kicker that hold a letter: "Verteidigung/Antwort - 14.06.2024 (hib
    412/2024)" has two."""
    return sum(any(c.isalpha() for c in word) for word in kicker.split())


def _restated_line(head: list[str], titles: list[_Title], language: str | None) -> int:
    """The index of the first of ``head`` that restates a title with only short lines
    above it (of the second where it and the next restate one together); -1 when none
    does."""
    bare = [_bare(line) for line in head]
    for index, line in enumerate(bare):
        if any(len(above) > _KICKER_LENGTH for above in head[:index]):
            return -1
        # A headline a line break splits in two (``<h1>...<br>...</h1>``) is both lines.
        joined = " ".join(bare[index:index + 2])
        if any(title.repeated_by(joined) for title in titles):
            return min(index + 1, len(head) - 1)
        if any(title.repeated_by(line) for title in titles):
            return index
        # Tokens only for a line of a headline's length: a paragraph is never one.
        near = [title for title in titles if title.near_length(line)]
        tokens = match_tokens(line, language) if near else frozenset()
        if any(title.reworded_by(tokens) for title in near):
            return index
    return -1


def _bare(line: str) -> str:
    """``line`` without the marks of a table's cell that trafilatura writes ("| ... |") and
    a time of day before its words: an old blog engine's post title in a table row after
    the time it was posted ("| 9:12 PM Nachtangeln am Kanal |", uCoz)."""
    cell = line.strip()
    if cell.startswith("| ") and cell.endswith(" |"):
        cell = cell[2:-2].strip()
    return _CLOCK_BEFORE.sub("", cell, count=1)


def leading_headline(text: str | None) -> str | None:
    """The headline a body starts with, for a page that states none elsewhere (its
    ``<title>`` only its site's name, no h1, no metadata): the first of its first lines
    that reads as a headline (three to twenty words, no full stop at its end, neither a byline
    nor a date line) with only a kicker of fewer words, a byline or a date line above it and
    a longer line after it. ``None`` otherwise."""
    lines = (text or "").split("\n")[:_HEAD_LINES + 1]
    for index, line in enumerate(lines[:-1]):
        words = len(line.split())
        if words < _MIN_TOKENS or _byline_or_date(line):
            # A kicker ("Ukraine-Krieg"), a byline or a date line above the headline; the
            # latter two are of a headline's length and have no full stop to give them away.
            continue
        headline = _MIN_TOKENS <= words <= _MAX_HEADLINE_WORDS and not line.endswith(".")
        return line if headline and len(lines[index + 1]) > len(line) else None
    return None


def is_dateline(line: str) -> bool:
    """A line of the header that dates the article: a day and a few words of label, byline or
    reading time ("Posted on 4th December 2025 by admin", "6 min read · Feb 11, 2025",
    "Pressemitteilung vom 28.11.2025 – Nr. 41/2025"); not a lead sentence that names a day
    ("Berlin, 12.06.2024 – Die Bundesregierung hat ..."), which has more words, nor a short
    one, whose words go on after its day to a full stop ("Am 12. Juni 2025 trafen sich die
    Minister."; "Article mis à jour le 7 janvier 2020." ends at its day), nor an event's day
    ("Termin: 21.06.2025, 11 Uhr": the announcement's words, :data:`EVENT_LABEL`)."""
    days = days_in(line) if len(line) <= _DATELINE_CHARS else None
    if not days or len(days) > _DATELINE_DAYS or EVENT_LABEL.search(line):
        # A line of many days is a list (an archive, a schedule), not a header's date line;
        # and the replacing below, once a day over the whole line, would be quadratic in it.
        return False
    after = line[line.rfind(days[-1][1]) + len(days[-1][1]):].strip()
    if after.endswith((".", "!", "?")) and any(c.isalpha() for c in after):
        return False
    rest = line
    for _, written in days:
        rest = rest.replace(written, " ")
    # Words have letters: a time ("14:03") or a dash between date and time is none.
    return sum(any(c.isalpha() for c in word) for word in rest.split()) <= _DATELINE_WORDS


def _byline_or_date(line: str) -> bool:
    """A byline ("Von Anna Schmidt, dpa", "By ...", "Autor: ...") or a line naming a day
    ("Veröffentlicht am 12. Juni 2024 um 10:15 Uhr")."""
    first = line.split(maxsplit=1)[0].rstrip(":").lower()
    return first in _BYLINE_WORDS or bool(days_in(line))
