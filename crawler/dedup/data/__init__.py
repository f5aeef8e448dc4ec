"""Word lists that matching depends on, kept as data (immutable frozensets and tables).

They are written in their natural spelling (umlauts, Cyrillic); :class:`crawler.dedup.tokens.
Tokenizer` folds them once, with the same rules as the titles they are matched against, so a
list never has to be written twice. A change here changes tokens: bump
:data:`crawler.dedup.tokens.NORMALISATION_VERSION`.
"""
