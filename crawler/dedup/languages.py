"""Tables kept per language, and how a record's language tag picks one: the lookups shared by
the tokenizer (:mod:`crawler.dedup.tokens`) and what it reads from tokens (places, stances)."""

from __future__ import annotations

from collections.abc import Callable

from crawler.dedup.data import stopwords

#: A table per language code, and under None the union of all (for an unknown language).
PerLanguage = dict[str | None, dict[str, str]]


def per_language(build: Callable[[str], dict[str, str]]) -> PerLanguage:
    """``build``'s table for every language of the stop word lists, and their union under
    None (where two disagree on a token, the first language's value)."""
    tables: PerLanguage = {lang: build(lang) for lang in stopwords.BY_LANGUAGE}
    union: dict[str, str] = {}
    for table in tables.values():
        for token, value in table.items():
            union.setdefault(token, value)
    tables[None] = union
    return tables


def for_language(tables: PerLanguage, language: str | None) -> dict[str, str]:
    """The table of ``language`` (a tag reduced to its base), else that of all languages."""
    table = tables.get(language)  # the common case: a base code already
    if table is None:
        table = tables.get(base_language(language), tables[None])
    return table


def base_language(language: str | None) -> str | None:
    """A language tag's base code: "de-AT", "de_CH", "DE" -> "de"."""
    return language.split("-")[0].split("_")[0].lower() if language else None
