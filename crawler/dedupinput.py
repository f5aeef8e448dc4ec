"""``policywire dedup``'s input lines as docs for both layers, or as reject lines.

A line is a record when it is a JSON object with a url and a title (under our names or the
ones :class:`crawler.foreign.FieldMap` knows) and an id no earlier line had; else it is one
reject line with a stable reason (``invalid_line``, ``duplicate_id``): every line ends as
exactly one of the two.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeGuard

from crawler.dedup import Doc
from crawler.foreign import FieldMap
from crawler.normalize import canonical_url, identity_url
from crawler.sinks import LongLine, read_json_stream

#: An input line that is a record: the object to write back, its line number, and what
#: reading it found (:class:`crawler.foreign.Reading`'s keys; undated; an unreadable date).
#: A plain tuple: one is made and pickled for every record.
Item = tuple[dict[str, Any], int, tuple[tuple[str, str], ...], bool, Any]


def read_rows(lines: Iterable[bytes | LongLine], fields: FieldMap
              ) -> Iterator[tuple[Doc | None, Any]]:
    """Each input line as a doc and its :data:`Item`, or as no doc and its reject."""
    # Both layers key every decision by id: a second row with an id already read would be
    # written with the story and evidence of whichever came last (the first one's
    # story_match naming itself), so it is rejected here, before either layer sees it.
    # Keyed by a 64-bit digest, not the id itself: ~120 bytes a row whatever the id's length
    # (measured: 11.6 MB and 0.08 s for 100,000 urls as ids).
    first_line: dict[int, int] = {}
    for number, obj, error in read_json_stream(lines):
        if obj is None:
            yield None, _reject(number, error)
            continue
        reading = fields.read(obj)
        doc = _doc_from(reading.values, reading.published)
        if doc is None:
            yield None, _reject(number, _missing(fields, reading.values))
            continue
        earlier = first_line.setdefault(_id_key(doc.id), number)
        if earlier != number:
            yield None, _reject(number, _repeated(doc.id, earlier, reading.values),
                                "duplicate_id")
        else:
            yield doc, (obj, number, reading.keys, doc.published is None, reading.bad_date)


def _reject(number: int, detail: str, reason: str = "invalid_line") -> dict[str, Any]:
    return {"line": number, "reason": reason, "detail": detail}


def _id_key(record_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(record_id.encode("utf-8", "surrogatepass"),
                                          digest_size=8).digest(), "big")


def _repeated(record_id: str, earlier: int, values: Mapping[str, Any]) -> str:
    """Why a row whose id an earlier line had is a reject (an id made from the url says so:
    the row had none of its own)."""
    if values.get("id"):
        return f"id {record_id!r:.200} is line {earlier}'s too; give each row its own id"
    return (f"no id, and its url gives line {earlier}'s ({record_id!r:.200}); the same"
            " article twice: keep one row, or give each its own id")


def _missing(fields: FieldMap, values: Mapping[str, Any]) -> str:
    """Why a JSON object is no record: which of url and title it lacks, and where we looked."""
    lacking = [name for name, usable in (("url", _usable_url), ("title", _usable_title))
               if not usable(values.get(name))]
    return "; ".join(f"{_lack(name, values.get(name))} (keys tried:"
                     f" {', '.join(fields.tried(name))}; map yours with --field {name}=KEY)"
                     for name in lacking)


#: A JSON value's kind in words, for a url or title that is there but no text.
_KINDS = {bool: "true or false", int: "a number", float: "a number", list: "a list",
          dict: "an object"}


def _lack(name: str, value: object) -> str:
    """What is wrong with ``name``'s value: absent, blank, or not text (a user whose rows
    have the key looks for a typo when told there is none)."""
    if value is None:
        return f"no {name}"
    if isinstance(value, str):
        return f"{name} is blank"
    return f"{name} is {_KINDS.get(type(value), 'no string')} ({value!r:.60}), not text"


def _doc_from(obj: Mapping[str, Any], published: str | None) -> Doc | None:
    """The doc of a row's fields as :meth:`crawler.foreign.FieldMap.read` found them."""
    url, title = obj.get("url"), obj.get("title")
    if not _usable_url(url) or not _usable_title(title):
        return None
    text = obj.get("text")
    return Doc(
        # Derived from content, never from the line number: input order must not matter.
        id=str(obj.get("id") or identity_url(canonical_url(url))),
        url=url, title=title, text=text if isinstance(text, str) else None,
        language=obj.get("language") if isinstance(obj.get("language"), str) else None,
        published=published,
        source=str(obj.get("source") or ""),
        summary=obj.get("summary") if isinstance(obj.get("summary"), str) else None,
    )


def _usable_url(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and bool(value)


def _usable_title(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and bool(value.strip())


__all__ = ["Item", "read_rows"]
