"""Development rebuilds render only the pages an edit can have changed; every other page
is hard-linked from the previous build.

Its key covers the fingerprint, the site's structure and the sources the page shows, and the
file must be the one recorded. No signal precedes rendering: the private ``_open_w`` is overridden."""

import hashlib
import io
import json
import logging
import os
import re
import weakref
from pathlib import Path

from pelican import signals
from pelican.paginator import Page
from pelican.urlwrappers import URLWrapper
from pelican.utils import sanitised_join

from sitebuild import build_of

from ..content_model import CONTENT_LISTS

# Checked against this Pelican; tests/test_plugins_speed_kit.py fails when it changes.
PELICAN_CHECKED = "4.12.0"
PELICAN_INTERNALS = {
    "pelican.writers.Writer.__init__": "(self, output_path, settings=None)",
    "pelican.writers.Writer.write_file": "(self, name, template, context, relative_urls=False, "
    "paginated=None, template_name=None, override_output=False, "
    "url=None, **kwargs)",
    "pelican.writers.Writer.write_feed": "(self, elements, context, path=None, url=None, "
    "feed_type='atom', override_output=False, feed_title=None)",
    "pelican.writers.Writer._open_w": "(self, filename, encoding, override=False)",
    "pelican.writers.Writer()._written_files": "set",
    "pelican.writers.Writer()._overridden_files": "set",
    "pelican.paginator.Page().object_list": "list",
    "pelican.utils.sanitised_join": "(base_directory: 'str', *parts: 'str') -> 'str'",
}

MANIFEST_NAME = "page-reuse.json"
# theme/templates/index.html leads with a teaser (the summary) of the newest ``Featured: yes`` post,
# which may be older than every post the page lists; with none featured the lead is listed anyway.
LEAD_TEMPLATES = {"index.html"}
_ADDRESS = re.compile(r" at 0x[0-9a-f]+")
# Values that are neither a Page nor able to carry ``shown_posts``.
PLAIN_VALUES = {str, int, float, bool, type(None), list, tuple, dict, set, frozenset}

log = logging.getLogger(__name__)
# The writer is local to Pelican.run(); ``finalized`` reaches it through its output path.
_writers = weakref.WeakValueDictionary()


def _stable(value):
    """A JSON-able stand-in for ``value`` that is the same in every run."""
    if type(value) is str:  # most metadata: the fast path
        return value
    if isinstance(value, dict):
        return {str(k): _stable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_stable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(json.dumps(_stable(v), sort_keys=True) for v in value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, URLWrapper):
        return [type(value).__name__, value.name, value.slug]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"
    return _ADDRESS.sub("", f"{type(value).__name__}:{value!r}")


def _digest(*parts) -> str:
    return hashlib.blake2b(json.dumps(parts, sort_keys=True).encode(), digest_size=16).hexdigest()


def file_digest(path) -> str:
    try:
        with open(path, "rb") as source:
            return f"{path}:{hashlib.blake2b(source.read(), digest_size=16).hexdigest()}"
    except (OSError, TypeError):  # content made by a plugin has no file: never reuse
        return os.urandom(16).hex()


def _structural(item):
    """``item``'s metadata but its summary (the text's), as stable data."""
    return _stable({key: value for key, value in item.metadata.items() if key != "summary"})


def structure_key(context) -> str:
    """Everything about every content object except its text."""
    objects = []
    for name in CONTENT_LISTS:
        for item in context.get(name, []):
            # A translation's metadata too: its corrections are listed (plugins/corrections.py).
            translations = [[t.url, t.lang, _structural(t)] for t in getattr(item, "translations", [])]
            objects.append(
                [name, item.source_path, item.url, item.save_as, item.status, _structural(item), translations]
            )
    for static in context.get("staticfiles", []):
        objects.append(["static", file_digest(static.source_path), static.url, static.save_as])
    # Sorted: Pelican's order of static files varies from run to run; every order that
    # matters (neighbours, listings) follows from the metadata anyway.
    return _digest(sorted(json.dumps(entry, sort_keys=True) for entry in objects))


class PageReuse:
    """Decides, page by page, whether the previous build's file can stand in for a render."""

    def __init__(self, settings: dict, staging: str):
        self.settings = settings
        self.staging = Path(staging)
        self.previous = Path(build_of(settings).output)
        self.manifest_path = Path(settings["CACHE_PATH"]) / MANIFEST_NAME
        self.recorded = self._load()
        self.site_key = None
        self.leads = None
        self.source_digests = {}
        self.keys = {}
        self.reused = 0

    def _load(self) -> dict:
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))["pages"]
        except (OSError, ValueError, KeyError, TypeError):
            return {}

    def _source_digest(self, item) -> str:
        """The post's source file by content, not by time: an edit that restores the
        modification time still counts."""
        path = item.source_path
        if path not in self.source_digests:
            self.source_digests[path] = file_digest(path)
        return self.source_digests[path]

    def shown_content(self, template_name: str, localcontext: dict) -> list:
        shown = [localcontext[name] for name in ("article", "page") if localcontext.get(name) is not None]
        for name, value in localcontext.items():
            if type(value) in PLAIN_VALUES:  # most of the context: settings
                continue
            # articles_page and dates_page; their neighbours lend only a URL.
            if isinstance(value, Page) and not name.endswith(("_previous_page", "_next_page")):
                shown.extend(value.object_list)
            shown.extend(getattr(value, "shown_posts", ()))  # a plugin's page (plugins/series.py)
        if template_name in LEAD_TEMPLATES:
            if self.leads is None:  # the same for every page of the listing: find them once
                self.leads = [
                    a for a in localcontext.get("articles", []) if a.metadata.get("featured") == "yes"
                ]
            shown.extend(self.leads)
        return shown

    def key(self, kind: str, localcontext: dict, shown: list) -> str:
        """The key of one page or feed: what it is, where it goes and the posts it shows."""
        if self.site_key is None:  # the first write: all content is read and final by now
            self.site_key = _digest(build_of(self.settings).fingerprint, structure_key(localcontext))
        parts = [self.site_key, kind, localcontext["output_file"], *map(self._source_digest, shown)]
        return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()

    def previous_file(self, name: str, key: str) -> Path | None:
        """The previous build's file for ``name``, if it was made from the same key."""
        self.keys[name] = key
        recorded = self.recorded.get(name)
        if not recorded or recorded[0] != key:
            return None
        path = self.previous / name
        try:
            stat = path.stat()
        except OSError:
            return None
        if [stat.st_ino, stat.st_size, stat.st_mtime_ns] != recorded[1:]:
            return None
        return path

    def save(self) -> None:
        """Record the key and identity of every page this build wrote or linked."""
        pages = {}
        for name, key in sorted(self.keys.items()):
            try:
                stat = (self.staging / name).stat()
            except OSError:
                continue
            pages[name] = [key, stat.st_ino, stat.st_size, stat.st_mtime_ns]
        self.manifest_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.manifest_path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps({"pages": pages}, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.manifest_path)
        log.info("reused %d of %d pages and feeds from the previous build", self.reused, len(self.keys))


class _KeyedTemplate:
    """Stands in for a Jinja template: renders only when the page cannot be reused."""

    def __init__(self, template, writer):
        self._template, self._writer = template, writer

    def __getattr__(self, name):
        return getattr(self._template, name)

    def render(self, localcontext):
        return self._writer.render_or_reuse(self._template, localcontext)


class PageReuseMixin:
    """Writer behaviour: pages and feeds whose key is unchanged are hard-linked, not rendered.

    Pelican's writer renders a page, then creates its folder, then opens its file and
    writes. For a reused page ``render`` returns no text and ``_open_w`` links the
    previous file into place and hands back a file that goes nowhere. Only a file's
    first write is ever reused, so Pelican's rules for files written twice still apply.
    A reused feed is not built at all, so ``feed_generated`` and ``feed_written`` are
    not sent for it; only site_writer.py listens, to the feeds it builds.
    """

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        on = self.settings.get("REUSE_UNCHANGED_PAGES") and build_of(self.settings).by_sitebuild
        self.page_reuse = PageReuse(self.settings, output_path) if on else None
        self._pending = {}  # staging path -> (previous file, how to render it instead)
        if self.page_reuse is not None:
            _writers[str(output_path)] = self

    def write_file(self, name, template, context, *args, **kwargs):
        if self.page_reuse is not None:
            template = _KeyedTemplate(template, self)
        return super().write_file(name, template, context, *args, **kwargs)

    def render_or_reuse(self, template, localcontext):
        name = localcontext["output_file"]
        shown = self.page_reuse.shown_content(template.name, localcontext)
        previous = self._reusable(name, self.page_reuse.key(template.name, localcontext, shown))
        if previous is None:
            return template.render(localcontext)
        self._pending[sanitised_join(self.output_path, name)] = (
            previous,
            lambda: template.render(localcontext),
        )
        return ""

    def write_feed(
        self, elements, context, path=None, url=None, feed_type="atom", override_output=False, feed_title=None
    ):
        arguments = (elements, context, path, url, feed_type, override_output, feed_title)
        if self.page_reuse is None or not path:
            return super().write_feed(*arguments)
        shown = elements[: self.settings["FEED_MAX_ITEMS"]]
        key = self.page_reuse.key(
            f"feed:{feed_type}:{feed_title}:{url}", {**context, "output_file": path}, shown
        )
        previous = self._reusable(path, key)
        target = sanitised_join(self.output_path, path)
        if previous is not None:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if self._link(previous, target, override_output):
                return None
        return super().write_feed(*arguments)

    def _reusable(self, name: str, key: str):
        previous = self.page_reuse.previous_file(name, key)
        # Pelican's private record is the only one of the files written so far.
        if previous is None or sanitised_join(self.output_path, name) in self._written_files:
            return None
        return previous

    def _link(self, previous, target: str, override: bool) -> bool:
        try:
            os.link(previous, target)
        except OSError:  # another file system, or links not allowed: render instead
            return False
        # Pelican's bookkeeping for a file's first write (Writer._open_w).
        if override:
            self._overridden_files.add(target)
        self._written_files.add(target)
        self.page_reuse.reused += 1
        return True

    def _open_w(self, filename, encoding, override=False):
        pending = self._pending.pop(filename, None)
        if pending is None:
            return super()._open_w(filename, encoding, override)
        previous, render = pending
        if self._link(previous, filename, override):
            return io.StringIO()  # the caller writes the empty render here
        handle = super()._open_w(filename, encoding, override)
        handle.write(render())
        return handle


def save_manifest(pelican_object):
    writer = _writers.pop(str(pelican_object.output_path), None)
    if writer is not None:
        writer.page_reuse.save()


def register():
    signals.finalized.connect(save_manifest)
