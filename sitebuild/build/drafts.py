"""The drafts and scheduled posts of a development build, and where to preview them.

An author who saves a draft or a future-dated post finds nothing new on the home page, so
the build names the address of each. Production builds publish no drafts.
"""

import contextlib
from dataclasses import dataclass

from pelican import signals

from plugins.content_model import DRAFT_TRANSLATIONS, every_content, scheduled

# Where `invoke serve` and `invoke livereload` answer by default.
PREVIEW_ORIGIN = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class Draft:
    url: str
    title: str
    scheduled_for: str | None  # the date it is due, for a post held back only by its date


@contextlib.contextmanager
def collecting_drafts():
    """Yield a list that each build run inside the block fills with its drafts."""
    found: list[Draft] = []

    def collect(generators):
        found.clear()
        for content in every_content(generators, ("drafts", "draft_pages", *DRAFT_TRANSLATIONS)):
            if content.save_as:  # production writes none (DRAFT_SAVE_AS = "" and the LANG ones)
                found.append(
                    Draft(content.url, content.title, content.locale_date if scheduled(content) else None)
                )

    signals.all_generators_finalized.connect(collect, weak=False)
    try:
        yield found
    finally:
        signals.all_generators_finalized.disconnect(collect)


def describe(drafts: list[Draft], origin: str = PREVIEW_ORIGIN) -> str:
    """One line per draft, for the terminal; empty when there are none."""
    lines = [
        f"{origin}/{draft.url}  {draft.title}"
        + (f" (scheduled for {draft.scheduled_for})" if draft.scheduled_for else " (draft)")
        for draft in sorted(drafts, key=lambda d: d.url)
    ]
    return "Drafts:\n" + "\n".join(f"  {line}" for line in lines) if lines else ""
