"""``related``: up to ``RELATED_POSTS_MAX`` posts that share the most tags.

Why not pelican-related-posts: its cost grows with the square of the number of posts. Here a
post looks only at the ``RELATED_POSTS_WINDOW`` nearest posts in date within each tag, and
ties go to the nearer date, then the slug, so the choice is linear and deterministic."""

import heapq
from bisect import bisect_left
from collections import Counter, defaultdict

RELATED_POSTS_MAX = 3
RELATED_POSTS_WINDOW = 20


def related_posts(articles, limit=RELATED_POSTS_MAX, window=RELATED_POSTS_WINDOW):
    """Map each article to its related articles."""
    by_tag = defaultdict(list)
    for article in sorted(articles, key=lambda a: (a.date, a.slug)):
        for tag in getattr(article, "tags", []):
            by_tag[tag].append(article)
    keys = {tag: [(a.date, a.slug) for a in posts] for tag, posts in by_tag.items()}
    related = {}
    for article in articles:
        scores, date = Counter(), article.date
        for tag in getattr(article, "tags", []):
            at = bisect_left(keys[tag], (date, article.slug))
            scores.update(by_tag[tag][max(0, at - window) : at + window + 1])
        scores.pop(article, None)
        # Only a post sharing as many tags as the limit-th best can be among the best.
        least = min(heapq.nlargest(limit, scores.values()), default=0)
        contenders = [other for other, shared in scores.items() if shared >= least]
        ranked = sorted(contenders, key=lambda o: (-scores[o], abs(o.date - date), o.slug))
        related[article] = ranked[:limit]
    return related


def add_related(generator):
    limit = generator.settings.get("RELATED_POSTS_MAX", RELATED_POSTS_MAX)
    window = generator.settings.get("RELATED_POSTS_WINDOW", RELATED_POSTS_WINDOW)
    for article, others in related_posts(generator.articles, limit, window).items():
        article.related = others
