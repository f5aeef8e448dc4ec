"""Weekday and month names: they date a headline the way numbers do.

"Tokyo stocks open higher on Tuesday" and "... on Wednesday" are two market reports; so
are "EU to decide in March" and "... in June". Each name becomes a calendar token
(``"~@tue"``, ``"~@mar"``) that verification compares like a number (see
:func:`crawler.dedup.tokens.numbers_of`). Written naturally per language, folded on load.
English "may" and "march" are left out (a verb far more often than a month in headlines).
"""

from __future__ import annotations

from types import MappingProxyType

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _table(days: str, months: str) -> MappingProxyType[str, str]:
    """Each row: the names of one day or month, "/"-separated; "-" leaves one out."""
    table: dict[str, str] = {}
    for keys, rows in ((_DAYS, days), (_MONTHS, months)):
        for key, names in zip(keys, rows.split(), strict=True):
            table.update({name: f"~@{key}" for name in names.split("/") if name != "-"})
    return MappingProxyType(table)


BY_LANGUAGE = MappingProxyType({
    "en": _table("monday tuesday wednesday thursday friday saturday sunday",
                 "january february - april - june july august september october november"
                 " december"),
    "de": _table("montag dienstag mittwoch donnerstag freitag samstag/sonnabend sonntag",
                 "januar/jänner februar märz april mai juni juli august september oktober"
                 " november dezember"),
    "fr": _table("lundi mardi mercredi jeudi vendredi samedi dimanche",
                 "janvier février mars avril mai juin juillet août septembre octobre novembre"
                 " décembre"),
    "ru": _table("понедельник вторник среду/среда четверг пятницу/пятница субботу/суббота"
                 " воскресенье",
                 "января/январь февраля/февраль марта/март апреля/апрель мая/май июня/июнь"
                 " июля/июль августа/август сентября/сентябрь октября/октябрь ноября/ноябрь"
                 " декабря/декабрь"),
    "uk": _table("понеділок вівторок середу/середа четвер п'ятницю/п'ятниця суботу/субота"
                 " неділю/неділя",
                 "січня/січень лютого/лютий березня/березень квітня/квітень травня/травень"
                 " червня/червень липня/липень серпня/серпень вересня/вересень жовтня/жовтень"
                 " листопада/листопад грудня/грудень"),
})
