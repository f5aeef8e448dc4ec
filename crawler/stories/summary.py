"""What of a feed summary tells the event: its calls to action (links, hashtags) left out.

Video and podcast feeds end every summary with the same invitations ("Subscribe to our
channel: http://...", "Follow us on Twitter: https://...", "#AlJazeeraEnglish"): words one
outlet repeats under every item, whatever it reports. Counted as content they made 57 of
one outlet's 71 items on the real feeds one story (benchmarks/README.md, "Real feeds"): a
sentence that carries a link points somewhere else, it does not report.
"""

from __future__ import annotations

import re

# Where a summary's segments part: after a sentence, and at the dashes, bullets and bars
# that run its calls to action together on one line ("... reports. - Subscribe to ...").
_SEGMENTS = re.compile(r"(?<=[.!?])\s+|\s+[-–—•|]\s+|\n+")
# A link (with or without its scheme) or a hashtag: "https://aje.io/x", "www.x.com", "#Tag".
_POINTER = re.compile(r"https?://|\bwww\.\w|(?:^|\s)#\w")


def event_text(text: str) -> str:
    """``text`` without its segments that carry a link or a hashtag (the rest in order)."""
    # What _POINTER needs, as substrings first: it tries its three alternatives at every
    # character (~150 us over an article's 1,500-character lead, two thirds of the story
    # profile's time; these tests ~6 us, and most leads have none of them).
    if not ("http" in text or "www." in text or "#" in text) or not _POINTER.search(text):
        return text  # the common case: nothing to leave out, the text as it was
    return " ".join(s for s in _SEGMENTS.split(text) if s and not _POINTER.search(s))
