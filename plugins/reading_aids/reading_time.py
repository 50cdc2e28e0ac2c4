"""``reading_minutes``: whole minutes to read the post's text, at least 1.

Why not pelican-readtime: it counts HTML tags and highlighted-code markup as words and
rounds down, so a short post reads in "0 minutes".
"""

import math

from ..content_model import TAG, rendered_body

WORDS_PER_MINUTE = 230


def count_words(html: str) -> int:
    return len(TAG.sub(" ", html).split())


def reading_minutes(content, settings) -> int:
    words_per_minute = settings.get("READING_WORDS_PER_MINUTE", WORDS_PER_MINUTE)
    return max(1, math.ceil(count_words(rendered_body(content)) / words_per_minute))
