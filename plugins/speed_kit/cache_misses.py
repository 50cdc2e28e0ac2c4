"""Pelican's content cache hashes no file to check an entry it does not have.

Why: with ``CHECK_MODIFIED_METHOD`` a hash, Pelican reads and hashes a post's file to compare
with its cache entry even when there is none, when the answer is "read the post" either way.
``FileStampDataCacher.get_cached_data`` is wrapped: no signal precedes it."""

from pelican import signals
from pelican.cache import FileStampDataCacher

from . import enabled

# Checked against this Pelican; tests/test_plugins_speed_kit.py fails when it changes.
PELICAN_CHECKED = "4.12.0"
PELICAN_INTERNALS = {
    "pelican.cache.FileStampDataCacher.get_cached_data": "(self, filename, default=None)",
    # sets self._cache, the entries by file name
    "pelican.cache.FileDataCacher.__init__": "(self, settings, cache_name, caching_policy, load_policy)",
}


def _checking_entries_first(stock):
    def get_cached_data(self, filename, default=None):
        if filename not in self._cache and enabled(self.settings):
            return default
        return stock(self, filename, default)

    get_cached_data.__wrapped__ = stock
    return get_cached_data


def install(pelican=None):
    """Wrap Pelican's method once; with the kit off it behaves as before."""
    current = FileStampDataCacher.get_cached_data
    if not hasattr(current, "__wrapped__"):
        FileStampDataCacher.get_cached_data = _checking_entries_first(current)


def register():
    signals.initialized.connect(install)
