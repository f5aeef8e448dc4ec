"""HTML whose tags libxml2 parses in linear time: a start tag of absurdly many attributes loses
them before lxml sees it.

libxml2's HTML parser compares each attribute of a start tag with every earlier one (a
duplicate check): one tag of 40,000 attributes (350 KB) took 11 s of CPU, and the time grows
with the square of their number. It is one C call, which neither the extraction's CPU limit
(a signal, handled between Python steps: :mod:`crawler.spiders.deadline`) nor anything else
interrupts, and it ran on the reactor thread too (a feed summary's text, a home page's feed
links). No real page comes near: the 166 labelled pages hold at most 36 attributes on a tag.
A tag of more than :data:`MAX_ATTRIBUTES` keeps its name and loses all of them.
"""

from __future__ import annotations

import re

#: Seven times the most attributes a tag holds on the 166 labelled real pages (36); a page of
#: 16 MiB of such tags parses in about a second.
MAX_ATTRIBUTES = 256

# One attribute as HTML5's tokenizer (libxml2's since 2.14) reads it: whitespace or "/" before
# it (nothing after a quoted value), a name (which may start with "="), and perhaps "=" and a
# value, quoted or not. Possessive throughout: a tag of few attributes fails in one pass, and
# every "<" after it is tried afresh, so no span this skips can hide a crowded tag; what it
# matches by mistake (minified script text) loses at most its words up to the next ">".
_ATTRIBUTE = (r"""(?:[\s/]++|(?<=["']))[^\s/>][^\s/>=]*+"""
              r"""(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>]++))?+""")
# The rest of the start tag, quoted values holding ">" included.
_REST = r"""(?:[^>"']++|"[^"]*+"|'[^']*+')*+"""
# The name stops at a "<" (HTML5's goes on): "<a<a<a..." with no attribute took each "<" to
# the end as one name, and 200 KB of it ~36 s; a crowded tag after a "<" is still found from
# that "<", and its name part is kept either way.
_CROWDED = re.compile(r"(<[A-Za-z][^\s/><]*+)(?:" + _ATTRIBUTE + f"){{{MAX_ATTRIBUTES + 1}}}"
                      + _REST)


def uncrowded(markup: str) -> str:
    """``markup`` with each start tag of more than :data:`MAX_ATTRIBUTES` attributes reduced
    to its name (``<p a1=x ... a9999=x>`` is ``<p>``); any other markup as it is."""
    return _CROWDED.sub(r"\1", markup)


__all__ = ["MAX_ATTRIBUTES", "uncrowded"]
