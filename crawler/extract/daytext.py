"""Calendar days as pages write them: 29.04.2020, 23.09.22, 2020-04-29, 2020/04/29,
2020.04.29, 17/02/2020, 17-02-2020, "6 January 2020", "6.Dezember 2020", "06.Dez.2020",
"12-Jun-2024", "12th of June 2024", "January 17, 2020", "14 Gennaio 2020", "6 de mayo de
2022", Austrian "6. Jänner 2025", "6 Jän 2025", "6. Feber 2025", German "6. Mrz. 2025".

Pure text, no page structure (:mod:`crawler.extract.shown` says which of a page's dates is
its publication). A numeric date is read day first, as Europe writes it, unless the day
cannot come first (12/31/2020); one that reads both ways (03/04/2020) is no date, and neither
is a day that does not exist or lies ahead: a null is better than a wrong date.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

_MONTH_NAMES = (
    "januar jänner january janvier gennaio enero janeiro januari jan jän",
    "februar feber february février fevrier febbraio febrero fevereiro februari febr feb",
    "märz maerz march mars marzo março maart mar mär mrz",
    "april avril aprile abril apr",
    "mai may maggio mayo maio mei",
    "juni june juin giugno junio junho jun",
    "juli july juillet luglio julio julho jul",
    "august août aout agosto augustus aug",
    "september septembre settembre septiembre setembro sept sep",
    "oktober october octobre ottobre octubre outubro okt oct",
    "november novembre noviembre novembro nov",
    "dezember december décembre decembre dicembre diciembre dezembro dez dec dic",
)
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, 1)
           for name in names.split()}
_MONTH = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
_YEAR = r"((?:19|20)\d\d)"
# The labels of an event's day ("Termin: 21.06.2025, 14:00 Uhr", "Wann: Samstag, 21. Juni
# 2025", "Anmeldeschluss: ..."): the day it takes place or closes, not the day a page about it
# went up, and a line of the announcement, not of its header.
EVENT_LABEL = re.compile(r"termin|\bwann\b|veranstaltung|\bbeginn|anmeldeschluss|\bfrist\b"
                         r"|\bwhen\b|\bevent date", re.IGNORECASE)
# A member's day in a forum's or a community's profile box ("Registriert: Sa 3. Mär 2018",
# "Mitglied seit", "Dabei seit", "Joined:", "Member since"): the day a reader signed up.
MEMBER_LABEL = re.compile(r"registriert|mitglied seit|dabei seit|beigetreten|\bjoined"
                          r"|member since|\bregistered", re.IGNORECASE)
# The headline of a legal text ("Datenschutzerklärung", "Impressum", "AGB", "Privacy
# Policy", "Mentions légales"): its "Stand: 15.03.2024" is the text's version, its other days
# the law's; such a page has no publication but one it declares.
LEGAL_TEXT = re.compile(r"(?:datenschutz|impressum|agb\b|allgemeine geschäftsbedingungen"
                        r"|nutzungsbedingungen|haftungsausschluss|cookie|widerrufsbelehrung"
                        r"|privacy|terms (?:of|and)|disclaimer|legal notice|mentions légales"
                        r"|politique de confidentialité|conditions générales)", re.IGNORECASE)
# An edit's labels ("Zuletzt aktualisiert:", "Stand:", "Letzte Änderung", "zuletzt geändert
# am", "Last modified", "Updated"), and a publication's ("Erstellt:", "Veröffentlicht am",
# "Beitrag vom"): a line may state both, each day under its own.
UPDATE_LABEL = re.compile(r"updat|modifi|aktualisiert|geändert|änderung|bearbeitet|korrigiert"
                          r"|ergänzt|edited|revised|corrected|\bstand\b", re.IGNORECASE)
PUBLICATION_LABEL = re.compile(r"veröffentlich|publiziert|erschienen|erstellt|published|posted"
                               r"|beitrag vom|pressemitteilung", re.IGNORECASE)
# Each pattern's groups in (year, month, day) order are given by its key.
_FORMATS = (
    ("ymd", re.compile(_YEAR + r"-(\d\d)-(\d\d)")),
    # 2024/06/12, 2024.06.12: year first, then month and day, one separator throughout.
    ("ymd", re.compile(r"(?<![\d/.])" + _YEAR + r"/(\d{1,2})/(\d{1,2})(?![\d/])")),
    ("ymd", re.compile(r"(?<![\d/.])" + _YEAR + r"\.(\d{1,2})\.(\d{1,2})(?![\d.])")),
    ("dmy", re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?" + _YEAR + r"(?!\d)")),
    # 23.09.22: two digits each, or version numbers ("1.5.17") would pass for dates.
    ("dmy2", re.compile(r"(?<![\d.])(\d\d)\.(\d\d)\.(\d\d)(?![\d.])")),
    # 6.9.25 where a weekday stands before it or a time of day after it ("Sa., 6.9.25,
    # 14:03 Uhr", "Freitag, 5.9.25"): a version number ("Version 2.1.3") has neither. The
    # date alone is what was written; day or month of one digit (two each: the pattern above).
    ("dmy2", re.compile(r"(?P<before>\b(?:mo|di|mi|do|fr|sa|so|montag|dienstag|mittwoch"
                        r"|donnerstag|freitag|samstag|sonntag)\.?,?\s*)?(?<![\d.])"
                        r"(?P<date>(?=\d\.|\d\d\.\d\.)(\d{1,2})\.(\d{1,2})\.(\d\d))(?![\d.])"
                        r"(?P<after>,?\s*(?:um\s+)?\d{1,2}(?::\d\d|\.\d\d\s*uhr))?",
                        re.IGNORECASE)),
    # "6. Dezember 2024", "6.Dezember 2024", "06.Dez.2024", "6th December 2024".
    # "12th of June 2024"; "12-Jun-2024", a month's name between dashes.
    ("dMy", re.compile(r"(?<!\d)(\d{1,2})(?:\.\s*|(?:er|st|nd|rd|th)?\s+(?:of\s+)?|-)"
                       r"(?:de\s+)?(" + _MONTH + r")(?![^\W\d_])\.?(?:,?\s*(?:de\s+)?|-)"
                       + _YEAR, re.IGNORECASE)),
    ("Mdy", re.compile(r"\b(" + _MONTH + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+" + _YEAR,
                       re.IGNORECASE)),
    # 17/02/2020, 17-02-2020: day first unless it cannot be; both ways readable is no date.
    ("slash", re.compile(r"(?<![\d/-])(\d{1,2})([/-])(\d{1,2})\2" + _YEAR + r"(?!\d)")),
)
# A month's name and a day with no year after them ("12. Juni, 14:03 Uhr", "Jun 12"): read
# only against a base day (:func:`days_in`). A time after the day is no year ("20:15").
_NO_YEAR = r"(?!,?\s*(?:de\s+)?(?:19|20)\d\d(?![:.]\d))"
_YEARLESS = (
    ("dM", re.compile(r"(?<![\d.])(\d{1,2})(?:\.\s*|(?:st|nd|rd|th)?\s+(?:of\s+)?)(?:de\s+)?("
                      + _MONTH + r")(?![^\W\d_])\.?" + _NO_YEAR, re.IGNORECASE)),
    ("Md", re.compile(r"\b(" + _MONTH + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?![\d.:])"
                      + _NO_YEAR, re.IGNORECASE)),
)

# A dateline opening a text: its place (a word or three, capitalised), a comma, then the day
# and a dash ("VIENNA, 7 June 2025 – The Chair ...", "Brüssel, 12.06.2025 - Die EU ..."): a
# press release's or wire report's first line, however long, is dated so.
_DATELINE_PLACE = re.compile(r"[A-ZÄÖÜ][\w.'’-]*(?: [A-ZÄÖÜ][\w.'’-]*){0,2}, ")
_DATELINE_DASH = re.compile(r"\s*[–—-]\s")


def days_in(text: str, base: date | None = None,
            order: str | None = None) -> list[tuple[str, str]]:
    """Every calendar day written in ``text``, in order: (``YYYY-MM-DD``, as written).
    Numeric dates are read day first (European), unless the day cannot be first
    (12/31/2020); one that reads both ways is left out. With a ``base`` (a day the page
    states elsewhere, not after its publication), a day written without its year ("12.
    Juni, 14:03 Uhr", "Jun 12": sites print the year only for past years) is read in the
    latest year that puts it on or before ``base`` (a day of slack for zones); one within a
    month after ``base`` is the page's update, no date; without a base it is no date. A
    slashed date that reads both ways is read the way the weekday written before it falls,
    else in the page's ``order`` (:func:`slash_order`), else not at all."""
    return [(day, written) for _, day, written in days_at(text, base, order)]


def days_at(text: str, base: date | None = None,
            order: str | None = None) -> list[tuple[int, str, str]]:
    """:func:`days_in`'s days with where each is written: (its offset in ``text``,
    ``YYYY-MM-DD``, as written), in order. Two formats may read overlapping text
    ("17-02-2020-02-17": a day first and a year first)."""
    found = []
    for key, pattern in _FORMATS + (_YEARLESS if base else ()):
        for match in pattern.finditer(text):
            fields = _fields(match)
            day = _day(key, fields) if base is None or key not in ("dM", "Md") else \
                _in_year_before(key, match.groups(), base)
            if day is None and key == "slash":
                day = _by_weekday(match.groups(), text[max(0, match.start() - 16):match.start()]
                                  ) or _in_order(match.groups(), order)
            if day is not None:
                span = "date" if "date" in pattern.groupindex else 0
                found.append((match.start(span), day, match.group(span)))
    return sorted(found)


# How long after a page's own days a yearless header day is read as its update rather
# than last year's day: a month, longer than updates to news pages usually run, far
# shorter than the eleven months that would make "last year" plausible.
_UPDATE_SPAN = timedelta(days=31)


def _in_year_before(key: str, groups: tuple[str, ...], base: date) -> str | None:
    """A yearless day's date in the latest year that puts it on or before ``base`` and a
    day; ``None`` for one shortly after (an update). A month's name before its day is
    capitalised ("May 5", not "we may 5 times")."""
    if key == "Md" and not groups[0][:1].isupper():
        return None
    month, day = ((_MONTHS[groups[1].lower()], int(groups[0])) if key == "dM"
                  else (_MONTHS[groups[0].lower()], int(groups[1])))
    # ``base`` is a stamp's UTC day; the header states the publisher's local one, up to a
    # day later (00:40 in Berlin is 22:40 UTC the day before): one day of slack.
    latest = base + timedelta(days=1)
    # A day shortly after the page's own days is its update line ("Updated Jun 12" on a
    # page published on the 10th), not a day of last year: no publication day at all.
    this_year = _valid(latest.year, month, day)
    if this_year is not None and latest < date.fromisoformat(this_year) <= latest + _UPDATE_SPAN:
        return None
    year = latest.year if (month, day) <= (latest.month, latest.day) else latest.year - 1
    return _valid(year, month, day)


# A weekday written just before a date, as CMSs' date formats put it (Drupal's default "Fr,
# 05/03/2024 - 14:12", "Friday, 05/03/2024"): capitalised, as each language writes its
# weekdays' names and abbreviations, so that the words "so" or "do" are none (and no "Mar",
# "Sam": a month's, a name's). Monday first.
_WEEKDAY_NAMES = (
    "Mo Mon Montag Monday Lunes Lundi Lunedì", "Di Tue Tues Dienstag Tuesday Martes Mardi Martedì",
    "Mi Wed Mittwoch Wednesday Miércoles Mercredi Mercoledì",
    "Do Thu Thurs Donnerstag Thursday Jueves Jeudi Giovedì",
    "Fr Fri Freitag Friday Viernes Vendredi Venerdì",
    "Sa Sat Samstag Sonnabend Saturday Sábado Samedi Sabato",
    "So Sun Sonntag Sunday Domingo Dimanche Domenica",
)
_WEEKDAYS = {name.casefold(): number for number, names in enumerate(_WEEKDAY_NAMES)
             for name in names.split()}
_WEEKDAY_BEFORE = re.compile(r"(?<![^\W\d_])([A-ZÁÉÍÓÚ][^\W\d_]{1,10}|[A-ZÁÉÍÓÚ]{2,3})\.?,?\s*$")


def _by_weekday(groups: tuple[str, ...], before: str) -> str | None:
    """A slashed date that reads both ways ("05/03/2024": 3 May or 5 March), read the one way
    that falls on the weekday written just ``before`` it; ``None`` without a weekday or where
    both or neither reading falls on it (a guess either way)."""
    named = _WEEKDAY_BEFORE.search(before)
    weekday = _WEEKDAYS.get(named[1].casefold()) if named else None
    if weekday is None:
        return None
    first, _, second, year = groups
    readings = {_valid(int(year), int(first), int(second)), _valid(int(year), int(second),
                                                                    int(first))}
    fits = [day for day in readings if day and date.fromisoformat(day).weekday() == weekday]
    return fits[0] if len(fits) == 1 else None


def slash_order(text: str) -> str | None:
    """How ``text`` (a page's) writes its slashed dates, ``"dmy"`` or ``"mdy"``: the order of
    those that read one way only ("05/14/2024": month first), where all of them agree; ``None``
    where none reads one way only or they disagree (a quoted date from elsewhere)."""
    orders = set()
    for match in _FORMATS[-1][1].finditer(text):
        first, _, second, _ = match.groups()
        if int(first) <= 12 < int(second) <= 31:
            orders.add("mdy")
        elif int(second) <= 12 < int(first) <= 31:
            orders.add("dmy")
    return orders.pop() if len(orders) == 1 else None


def reads_both_ways(text: str) -> bool:
    """Whether ``text`` writes a slashed date that reads both ways ("05/03/2024")."""
    return any(int(m[1]) <= 12 and int(m[3]) <= 12 and int(m[1]) != int(m[3])
               for m in _FORMATS[-1][1].finditer(text))


def _in_order(groups: tuple[str, ...], order: str | None) -> str | None:
    """A slashed date read in the page's ``order`` (:func:`slash_order`)."""
    first, _, second, year = groups
    if order == "mdy":
        return _valid(int(year), int(first), int(second))
    return _valid(int(year), int(second), int(first)) if order == "dmy" else None


def _fields(match: re.Match[str]) -> tuple[str, ...] | None:
    """The match's date fields in its pattern's order; ``None`` where a pattern that needs
    its context (a weekday before, a time after) matched without it."""
    names = match.re.groupindex
    if "date" not in names:
        return match.groups()
    if match.group("before") is None and match.group("after") is None:
        return None
    skipped = {names[name] for name in names}
    return tuple(g for i, g in enumerate(match.groups(), 1) if i not in skipped)


def _day(key: str, groups: tuple[str, ...] | None) -> str | None:
    if groups is None:
        return None
    if key == "ymd":
        year, month, day = groups
    elif key in ("dmy", "dmy2"):
        day, month, year = groups
        year = f"20{year}" if len(year) == 2 else year
    elif key == "dMy":
        day, month, year = groups[0], str(_MONTHS[groups[1].lower()]), groups[2]
    elif key == "Mdy":
        month, day, year = str(_MONTHS[groups[0].lower()]), groups[1], groups[2]
    else:  # slash: day first unless it cannot be; both readable is no date
        first, _, second, year = groups
        if int(first) <= 12 and int(second) <= 12 and first != second:
            return None
        day, month = (second, first) if int(first) <= 12 < int(second) else (first, second)
    return _valid(int(year), int(month), int(day))


def _valid(year: int, month: int, day: int) -> str | None:
    """The day as ISO, if it exists and is not in the future (a day ahead allowed for zones):
    a page cannot have been published after it was fetched."""
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return found.isoformat() if found <= date.today() + timedelta(days=1) else None


def opens_with_dateline(line: str, written: str) -> bool:
    """Whether ``line`` opens with a dateline of the day ``written``: its place, a comma,
    the day, a dash (:data:`_DATELINE_PLACE`)."""
    at = line.find(written)
    return at > 0 and _DATELINE_PLACE.fullmatch(line[:at]) is not None and \
        _DATELINE_DASH.match(line, at + len(written)) is not None
