"""Which files and folders the build writes itself, and where a post or page may go.

content_checks.py uses it to refuse a post whose Slug, URL or Save_as would land over, in
or in front of a file the build makes, including those written outside Pelican's writer.
What Pelican writes is read from its settings, so a new feed or listing needs no edit here."""

import posixpath
import re
from urllib.parse import unquote, urlsplit

from .stylesheet import stylesheet_path

BUNDLE_DIR = "pagefind"  # the search index (sitebuild/build/search.py)


# The filesystem allows 255 bytes per name; the build writes .gz and .br copies beside
# a file, so a name must leave room for their suffix.
NAME_BYTES = 255 - len(".gz")
SCHEME_OR_HOST = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|[/\\]{2})")
# What to do about an address that leaves the site: said by lint and by content_checks.py alike.
ON_THIS_SITE = (
    "Give a path inside the site, such as “2011/06/slug/”, with no scheme (https:, javascript:) and no host."
)
FEED_SETTING = re.compile(r"^(?:[A-Z]+_)?FEED_(?:ALL_)?(?:ATOM|RSS)$")
LISTINGS = ("tag", "category", "author", "series")


def fixed_folder(pattern: str) -> str:
    """The folder a settings pattern always writes into ("tag/{slug}/…" → "tag")."""
    return posixpath.dirname(pattern.split("{", 1)[0])


def generated_folders(settings) -> dict[str, str]:
    """Folders whose every file the build writes itself: {folder: what it holds}."""
    # The stylesheet is one file (generated_files), not a folder of its own: it goes in the theme's.
    from .images.card_files import CARDS_FOLDER  # here: the images package imports this module's users

    folders = {
        settings.get("THEME_STATIC_DIR", "theme"): "the theme's files",
        BUNDLE_DIR: "the search index",
        CARDS_FOLDER: "the share cards",
    }
    for kind in LISTINGS:
        if settings.get(f"{kind.upper()}_SAVE_AS"):
            folders.setdefault(fixed_folder(settings[f"{kind.upper()}_SAVE_AS"]), f"the {kind} pages")
    for key, pattern in settings.items():
        if FEED_SETTING.match(key) and pattern:
            folders.setdefault(fixed_folder(pattern), "the feeds")
    folders.pop("", None)
    return folders


def generated_files(settings) -> list[tuple[str, str]]:
    """Single files written whatever the content: (path, what it is)."""
    files = [
        (pattern, f"the feed {pattern}")
        for key, pattern in settings.items()
        if FEED_SETTING.match(key) and pattern and "{" not in pattern
    ]
    # Files made from theme templates (TEMPLATE_PAGES): robots.txt and the sitemap.
    for dest in settings.get("TEMPLATE_PAGES", {}).values():
        files.append(
            (dest, "the sitemap" if dest == settings.get("SITEMAP_SAVE_AS") else f"the generated {dest}")
        )
    if settings.get("NEWS_SITEMAP_SAVE_AS"):
        files.append((settings["NEWS_SITEMAP_SAVE_AS"], "the news sitemap"))
    files.append((stylesheet_path(settings), "the stylesheet"))
    return files


def pagination_pattern(settings):
    """Matches the file of any listing's second and later pages ("tag/xen/page/2/index.html")."""
    expressions = []
    for rule in settings["PAGINATION_PATTERNS"]:
        min_page, save_as = rule[0], rule[2]
        if min_page == 1 or "{number}" not in save_as:
            continue
        text = re.escape(save_as.lstrip("/"))
        text = text.replace(re.escape("{base_name}/"), "(?:.+/)?").replace(re.escape("{number}"), r"\d+")
        expressions.append(re.sub(r"\\\{\w+\\\}", ".+", text))
    return re.compile("^(?:" + "|".join(expressions) + ")$") if expressions else None


def file_of_url(url: str) -> str:
    """The file a server sends for a site-relative URL ("x/" → "x/index.html")."""
    path = posixpath.normpath(unquote(urlsplit(url).path) or ".")
    if path == "." or url.split("?", 1)[0].split("#", 1)[0].endswith("/"):
        return posixpath.join(path, "index.html").removeprefix("./")
    return path


def inside(path: str, folders) -> str | None:
    """The first of ``folders`` that holds ``path``."""
    return next((folder for folder in folders if path.startswith(folder + "/")), None)


def leaves_the_site(value: str) -> bool:
    """A scheme (https:, javascript:, data:) or a host (//host): not a place on this site.
    Tabs and newlines are dropped first, as browsers drop them from URLs."""
    return SCHEME_OR_HOST.match(re.sub(r"[\t\n\r]", "", value).strip()) is not None


def too_long(path: str) -> bool:
    return any(len(part.encode("utf-8")) > NAME_BYTES for part in path.split("/"))


def hidden(path: str) -> bool:
    return any(part.startswith(".") for part in path.split("/"))
