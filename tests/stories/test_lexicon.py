"""The language's own word frequencies (crawler.stories.lexicon): wordfreq's Zipf scale."""

from crawler.stories.lexicon import zipf


def test_a_common_word_is_more_frequent_than_a_rare_one() -> None:
    assert zipf("the", "en") > zipf("quarantine", "en") > zipf("hydroxychloroquine", "en") > 0
    assert zipf("weihnachtsmarkt", "de") < zipf("markt", "de")


def test_a_word_the_list_lacks_reads_as_the_rarest() -> None:
    assert zipf("xqzvkwjh", "en") == 0.0


def test_a_language_without_a_list_reads_every_word_as_the_rarest() -> None:
    assert zipf("the", "xx") == 0.0
