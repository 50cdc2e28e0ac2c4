"""``article.reading_minutes``: whole minutes to read the post's text, at least 1.

Why not pelican-readtime: it counts HTML tags and highlighted-code markup as words and
rounds down, so a short post reads in "0 minutes".
"""

import math
import re

from pelican import signals

WORDS_PER_MINUTE = 230
TAG = re.compile(r"<[^>]+>")


def count_words(html: str) -> int:
    return len(TAG.sub(" ", html).split())


def add_reading_time(generator):
    wpm = generator.settings.get("READING_WORDS_PER_MINUTE", WORDS_PER_MINUTE)
    for article in [*generator.articles, *generator.drafts]:
        article.reading_minutes = max(1, math.ceil(count_words(article._content) / wpm))


def register():
    signals.article_generator_finalized.connect(add_reading_time)
