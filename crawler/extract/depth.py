"""Pages nested deeper than the HTML parser reads.

libxml2 (lxml's parser, and so trafilatura's) stops building the tree 256 elements deep and
drops the rest of the document without an error: a page of 3,000 nested ``<div>``s, or an
old page's thousands of unclosed ``<font>`` or ``<b>`` tags, parsed to its head and no text,
and its record carried the feed's words as if the page had none. Such a page is read again
flattened: every element but the few that give a document its parts (headings, paragraphs,
line breaks, the head's) loses its tags, its text kept, so its words reach the body.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

# libxml2's depth limit without XML_PARSE_HUGE is 256 levels; a tree that reaches this many
# was cut there. The deepest of the 166 real pages of eval_extract.py is far shallower.
PARSER_DEPTH = 255
# Tags a flattened page keeps: its head and the blocks that separate paragraphs. A run of
# them cannot nest deep: the parser closes an open <p> or heading at the next one.
_KEPT = r"(?:html|head|body|title|meta|link|script|style|p|h[1-6]|br)"
_OTHER_TAG = re.compile(rf"</?(?!{_KEPT}\b)[a-zA-Z][^>]*>")
# A script's or a style's content passes untouched: JSON-LD stays readable. Its opening tag
# is found first and its end then (one regex ".*?</\2>" scanned to the end from each of
# 250,000 unclosed "<script>"s of a 2 MB page: quadratic, minutes of CPU).
_RAW_OPEN = re.compile(r"<(script|style)\b[^>]*>", re.IGNORECASE)
_RAW_CLOSE = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in ("script", "style")}


def cut_short(tree: lxml_html.HtmlElement) -> bool:
    """Whether the parsed ``tree`` reaches the parser's depth limit (a walk that stops at
    the first element that deep)."""
    depth = 0
    for event, _ in etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth >= PARSER_DEPTH:
            return True
    return False


def flattened(markup: str) -> str:
    """``markup`` with the tags of every element but those of ``_KEPT`` removed (each a
    space, so words either side stay apart), scripts and styles as they are."""
    # Past the last ">" no tag ends: left as it is (a tag regex tried from each "<" of a
    # run that no ">" closes scans to the end from each: quadratic).
    end = markup.rfind(">") + 1
    out, at = [], 0
    for start, stop in _raw_blocks(markup[:end]):
        out += [_OTHER_TAG.sub(" ", markup[at:start]), markup[start:stop]]
        at = stop
    return "".join([*out, _OTHER_TAG.sub(" ", markup[at:end]), markup[end:]])


def _raw_blocks(markup: str) -> list[tuple[int, int]]:
    """The spans of the scripts and styles in ``markup``, each from its opening tag to the
    first end tag of its name after it (as a lazy regex would find them); an opening tag no
    end follows is none, and after one such a name is looked for no more."""
    spans: list[tuple[int, int]] = []
    unclosed: set[str] = set()
    at = 0
    while (opening := _RAW_OPEN.search(markup, at)) is not None:
        name = opening.group(1).lower()
        closing = None if name in unclosed else _RAW_CLOSE[name].search(markup, opening.end())
        if closing is None:
            unclosed.add(name)
            at = opening.start() + 1
            continue
        spans.append((opening.start(), closing.end()))
        at = closing.end()
    return spans
