"""Links in posts and pages that work wherever the site is published, at a domain's root or
under a path: a root-relative link, one by a file's path from the post, or a ``{static}`` in a
srcset (which Pelican publishes as written) is refused, naming the file and the ``{…}`` form to write.
Why refuse, not rewrite: such a path says where a file is served, not which file is meant.
Why a local plugin: Pelican has no ``{site}`` form and no check for root-relative links."""

import html
import logging
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

from pelican import signals
from pelican.readers import MarkdownReader

from .content_model import rendered_body, replace_body
from .output_paths import SCHEME_OR_HOST, inside

log = logging.getLogger(__name__)
# The attributes that hold an address (HTML's, as Pelican's own link replacement knows them).
URL_ATTRIBUTES = {"href", "src", "srcset", "poster", "data", "cite", "action", "formaction"}
# An address attribute and its value, quoted or not.
ADDRESS_ATTRIBUTE = re.compile(
    r"""(?P<name>\b(?P<attribute>{})\s*=\s*)""".format("|".join(sorted(URL_ATTRIBUTES)))
    + r"""(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|(?P<bare>[^\s"'=<>`]+))"""
)
# Where {site} starts an address (lead, space, path): the value's start, or any srcset candidate's.
SITE_FORMS = {
    "srcset": re.compile(r"(^|,)(\s*)\{site\}/?(\S*)"),
    "": re.compile(r"^()(\s*)\{site\}/?(.*)", re.S),
}
PAGES_FORMS = {"tag": "{tag}", "category": "{category}", "author": "{author}"}


class _Addresses(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []  # (attribute, address)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name not in URL_ATTRIBUTES or not value:
                continue
            urls = [c.split()[0] for c in value.split(",") if c.strip()] if name == "srcset" else [value]
            self.found += [(name, url.strip()) for url in urls]


# Where an address from the root can start: an attribute's value or a srcset candidate
# beginning with "/" or with a character reference (``&#47;``). A body without one has
# no such address, and is not parsed (parsing every body: docs/performance.md).
MAY_START_FROM_ROOT = re.compile(r"""[=,]\s*["']?\s*[/&]""")


def root_relative(html: str) -> list[str]:
    """The addresses in ``html`` written from the server's root, in order, each once."""
    if not MAY_START_FROM_ROOT.search(html):
        return []
    parser = _Addresses()
    parser.feed(html)
    parser.close()
    links = [url for _, url in parser.found if url.startswith("/") and not url.startswith("//")]
    return list(dict.fromkeys(links))


# A relative address starting an address attribute's value (a srcset's too): no scheme, not from
# the root, not a fragment, query or one of Pelican's {…} forms. A body without one is not parsed for them.
MAY_BE_RELATIVE = re.compile(
    r"""\b(?:{})\s*=\s*["']?(?![A-Za-z][A-Za-z0-9+.-]*:|[/#{{?&"'\s>])""".format(
        "|".join(sorted(URL_ATTRIBUTES))
    )
)
# Pelican's forms for a file, which it expands in href, src and the like but not in a srcset: there
# it publishes them as written. A body with no srcset holding one is not parsed for them.
FILE_FORM = re.compile(r"[{|](static|attach|filename)[}|]")
MAY_HOLD_A_FILE_FORM = re.compile(r"""\bsrcset\s*=\s*["']?[^"'>]*""" + FILE_FORM.pattern)
MARKDOWN_SUFFIXES = {f".{extension}" for extension in MarkdownReader.file_extensions}
FROM_THE_FILE = (
    "a file's path from this one (as an editor previews it), which the published page, at another "
    "address, does not reach."
)
NOWHERE = "a path that leads to no file from this one, nor from the published page."


def content_file_links(content) -> list[tuple[str, str, str]]:
    """(address, why, what to write) for each relative address in ``content`` that names a file of
    content/ by its path from the post's file, as an editor's preview would: the page is published
    at another address, so the link would be broken ("../images/x.jpg", "other-post.md"). Or that
    leads to no file from either, when its path without the leading ../ is one under content/.
    A path that reaches, from the published page too, a file published as it is (extra/) works."""
    body = rendered_body(content)
    if not body or not (MAY_BE_RELATIVE.search(body) or MAY_HOLD_A_FILE_FORM.search(body)):
        return []
    parser = _Addresses()
    parser.feed(body)
    parser.close()
    settings = content.settings
    root = Path(settings["PATH"]).resolve()
    found = {}
    for attribute, url in parser.found:
        written = re.match(r"[^?#]*", url)[0]
        path, tail = unquote(written), url[len(written) :]  # the query and fragment, kept in the form
        if attribute == "srcset" and (form := FILE_FORM.match(path)):
            found[url] = file_form_in_srcset(content, form[1], path[form.end() :], tail)
            continue
        if not path or url.startswith(("/", "#", "?", "{")) or SCHEME_OR_HOST.match(url):
            continue
        if posixpath.splitext(path)[1].lower() in MARKDOWN_SUFFIXES:
            found[url] = (FROM_THE_FILE, f"Write {{filename}}{url} instead.")
            continue
        why, target = FROM_THE_FILE, (Path(content.source_path).parent / path).resolve()
        if not target.is_file():  # one ../ too few or too many: the file it names from content/?
            why, target = NOWHERE, (root / re.sub(r"^(?:\.\.?/)+", "", path)).resolve()
        if not target.is_file() or not target.is_relative_to(root):
            continue
        relative = target.relative_to(root).as_posix()
        published, static = publication(relative, settings)
        if static and posixpath.normpath(posixpath.join(posixpath.dirname(content.url), path)) == published:
            continue  # from the published page too, it reaches the file, published as it is
        if attribute != "srcset":
            fix = f"write {{static}}/{relative}{tail} instead."
        else:
            fix = in_a_srcset(relative, settings, tail)
        # One that leads nowhere says which file it is taken for.
        found[url] = (why, f"For content/{relative}, {fix}" if why == NOWHERE else fix[0].upper() + fix[1:])
    return [(url, why, fix) for url, (why, fix) in found.items()]


def publication(relative: str, settings: dict) -> tuple[str, bool]:
    """Where content/``relative`` is published, and whether it is as it is (under STATIC_PATHS)."""
    static = relative in settings["STATIC_PATHS"] or inside(relative, settings["STATIC_PATHS"])
    return settings["EXTRA_PATH_METADATA"].get(relative, {}).get("path", relative), static


def in_a_srcset(relative: str, settings: dict, tail: str, form: str = "static") -> str:
    """What to write in a srcset, where Pelican expands no ``{form}``, for the file content/``relative``."""
    published, static = publication(relative, settings)
    if static:
        return f"write {{site}}{published}{tail} instead: Pelican expands no {{{form}}} there."
    # A picture the build publishes in its sizes, from its <img>'s src.
    return (
        f'give the <img> src="{{static}}/{relative}" instead, and no srcset: the build makes '
        f"the picture's sizes, and Pelican expands no {{{form}}} in a srcset."
    )


def file_form_in_srcset(content, form: str, path: str, tail: str) -> tuple[str, str]:
    """(why, what to write) for a ``{form}path`` in a srcset, which Pelican publishes as written."""
    why = f"a {{{form}}} link in a srcset, which readers would get as written: a broken picture."
    here = posixpath.dirname(content.relative_source_path)
    relative = posixpath.normpath(path[1:] if path.startswith("/") else posixpath.join(here, path))
    root = Path(content.settings["PATH"]).resolve()
    if posixpath.splitext(relative)[1].lower() in MARKDOWN_SUFFIXES:
        return why, f'A srcset lists pictures: link the post with href="{{filename}}{path}{tail}" instead.'
    if relative.startswith(("../", "/")) or relative == ".." or not (root / relative).is_file():
        return why, (
            "It names no file under content/: put the picture under content/extra/ and write {site} and "
            "its address ({site}extra/plan.jpg for content/extra/plan.jpg)."
        )
    fix = in_a_srcset(relative, content.settings, tail, form)
    return why, fix[0].upper() + fix[1:]


def better_form(url: str, settings: dict) -> str:
    """The form of ``url`` that follows SITEURL."""
    path = url.split("#", 1)[0].split("?", 1)[0]
    if path == "/":
        return "{index}"
    if (Path(settings["PATH"]) / path.lstrip("/")).is_file():
        return f"{{static}}{path}"
    for kind, form in PAGES_FORMS.items():
        pattern = settings.get(f"{kind.upper()}_URL", "")
        folder = pattern.split("{", 1)[0]
        if folder and path.lstrip("/").startswith(folder):
            return f"{form} and the {kind}'s name ({form}xen)"
    return f"{{site}}{url.lstrip('/')}, or {{filename}} and its file for a post or page,"


def refuse_root_relative_links(content) -> None:
    body = rendered_body(content)
    if not body:
        return
    for url in root_relative(body):
        log.error(
            "%s: links to “%s” from the server's root, which leads off the site when it is "
            "published under a path (https://example.github.io/project/). Write %s instead.",
            content.relative_source_path,
            url,
            better_form(url, content.settings),
        )


def leaves_the_site(path: str) -> bool:
    """Whether a path below the site's root climbs above it or names another host."""
    for form in {path, unquote(path), html.unescape(path), unquote(html.unescape(path))}:
        form = form.replace("\\", "/")
        normalized = posixpath.normpath(form) if form else ""
        if form.startswith("/") or normalized == ".." or normalized.startswith("../"):
            return True
    return False


def expand_site_links(content) -> None:
    """``{site}path`` becomes SITEURL/path, before Pelican resolves its own forms."""
    body = rendered_body(content)
    if not body or "{site}" not in body:
        return
    siteurl = content.settings.get("SITEURL", "").rstrip("/")

    def expand(address):
        lead, space, path = address.groups()
        if leaves_the_site(path):
            log.error(
                "%s: links to “{site}%s”, which leads outside the site. After {site} write an address "
                "below the site's root ({site}tags/); link another site by its full https:// address.",
                content.relative_source_path,
                address[0][len(lead + space) + len("{site}") :],
            )
            return address[0]
        return f"{lead}{space}{siteurl}/{path}"

    def attribute(match):
        form = SITE_FORMS["srcset" if match["attribute"] == "srcset" else ""]
        quote = '"' if match["double"] is not None else "'" if match["single"] is not None else ""
        value = next(v for v in (match["double"], match["single"], match["bare"]) if v is not None)
        return f"{match['name']}{quote}{form.sub(expand, value)}{quote}"

    replace_body(content, ADDRESS_ATTRIBUTE.sub(attribute, body))


def refuse_content_file_links(content) -> None:
    for url, why, fix in content_file_links(content):
        log.error("%s: links to “%s”, %s %s", content.relative_source_path, url, why, fix)


def check_and_expand(content) -> None:
    refuse_root_relative_links(content)
    refuse_content_file_links(content)
    expand_site_links(content)


def register():
    signals.content_object_init.connect(check_and_expand)
