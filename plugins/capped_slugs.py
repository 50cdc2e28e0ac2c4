"""Cap a slug made from the title at ``SLUG_MAX_LENGTH`` characters, cut between words.

Why a local plugin: Pelican makes the slug from the whole title and has no setting to
limit it, and no maintained plugin does; a very long headline then names a folder longer
than the filesystem allows (255 bytes) and the build stops half-way. With
``SLUGIFY_USE_UNICODE`` off, as here, a slug is ASCII, so characters are bytes.

The cut is at the last dash within the limit (inside the first word only if the first
word alone is too long), so the same title always gives the same slug. Two titles that
share their first words then share a slug, which content_checks.py reports as two posts
at one address. A ``Slug`` the author wrote is never changed: content_checks.py refuses
it if it is too long. ``make.py new`` writes the same capped slug (sitebuild/scaffold.py).
"""

from pelican import signals

from sitebuild.scaffold import capped


def cap_slug(content):
    limit = content.settings.get("SLUG_MAX_LENGTH")
    if limit and "slug" not in content.metadata and getattr(content, "slug", None):
        content.slug = capped(content.slug, limit)


def register():
    signals.content_object_init.connect(cap_slug)
