"""Refuse content that Pelican would publish wrongly, naming the posts involved.

Why a local plugin: Pelican silently merges colliding tag slugs, writes a post over another
(or over a feed) at the same URL, publishes ``javascript:`` URLs and dead ``{filename}``
links. Each problem is logged as an error before anything is written, and the build stops."""

import html
import logging
import posixpath
import re
from collections import defaultdict
from urllib.parse import unquote, urlparse

from pelican import signals
from pelican.urlwrappers import Author, Category, Tag

from .capped_slugs import slug_of
from .content_model import (
    CONTENT_LISTS,
    EVERY_TRANSLATION,
    YES,
    article_generator,
    case_advice,
    declared_fields,
    every_content,
    rendered_body,
    scheduled,
)
from .output_paths import (
    ON_THIS_SITE,
    file_of_url,
    generated_files,
    generated_folders,
    hidden,
    inside,
    leaves_the_site,
    pagination_pattern,
    too_long,
)
from .term_pages import pages_of

log = logging.getLogger(__name__)
INTERNAL_LINK = re.compile(r"""(href|src)\s*=\s*(["'])\s*[{|](filename|static|attach)[}|](.*?)\2""")
# What a path may hold as typed (RFC 3986's path characters, and what an IRI holds beyond
# ASCII, which a browser encodes: no control character or noncharacter): Pelican writes a
# {static} or {attach} link's address as the file's path, unencoded, and a server may refuse
# the rest (a space, "%").
ADDRESS_CHARACTERS = re.compile(r"[A-Za-z0-9._~!$&'()*+,;=:@/-]|[^\x00-\x9f\s\ufdd0-\ufdef\ufffe\uffff]")
# A name Pelican's path of a {static} link ends in: at a ";", and Markdown writes "&" as "&amp;".
CUT = re.compile(r"[&;]")
MARKDOWN_PICTURE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
# A Markdown extension cannot name the file it renders, so it leaves a problem in the
# HTML under this attribute (attributed_quote.py); check_rendering reports it. The check
# runs on every build, cached posts included, so no such page is ever published.
# Pelican's links to a tag, category or author page by the term's name.
TERM_LINK = re.compile(r"""href\s*=\s*["']\s*[{|](tag|category|author)[}|]([^"']*)""")
TERMS = {"tag": Tag, "category": Category, "author": Author}
RENDERING_PROBLEM = "data-build-problem"
RENDERING_PROBLEMS = re.compile(RENDERING_PROBLEM + r'="([^"]*)"')
# A block pymdownx.blocks could not read (a title it needs or refuses, an unknown option or
# value), which it prints as typed: lint refuses the names no block has, not these.
UNREAD_BLOCK = re.compile(r"<p>(///[^<\n]*)")


class ContentError(Exception):
    """Raised after the problems were logged, to stop Pelican before it writes."""


def source(content):
    return content.relative_source_path


PLURALS = {"tag": "tags", "category": "categories", "author": "authors"}


def check_terms(articles, attribute, label):
    """Tags, categories or authors: refuse slug collisions and empty slugs, merge case variants."""
    problems = []
    by_slug = defaultdict(lambda: defaultdict(list))
    long_files = {}  # by name and slug, which make a term's files: each term's checked once
    for article in articles:
        for term in getattr(article, attribute, None) or []:
            if not term.slug:
                problems.append(
                    f"{source(article)}: the {label} “{term.name}” has no letters or "
                    f"digits to make an address from; rename it."
                )
                continue
            known = (term.name, term.slug)
            if known not in long_files:
                long_files[known] = any(too_long(path) for path in term_files(term, label))
            if long_files[known]:
                problems.append(
                    f"{source(article)}: the {label} “{term.name[:40]}…” makes a name longer than "
                    "the 255 bytes a filesystem allows; shorten it."
                )
                continue
            by_slug[term.slug][term.name].append(article)
    for slug, names in sorted(by_slug.items()):
        if len(names) < 2:
            continue
        if len({name.lower() for name in names}) > 1:
            listed = "; ".join(
                f"“{name}” in {', '.join(sorted(source(a) for a in posts))}"
                for name, posts in sorted(names.items())
            )
            problems.append(
                f"the {PLURALS[label]} {listed} would share the page {label}/{slug}/. If they are one "
                f"{label}, spell it the same way in each post; if not, rename one of them so their names "
                "differ in letters or digits."
            )
            continue
        chosen = max(sorted(names), key=lambda name: len(names[name]))
        spellings = "; ".join(
            f"“{name}” in {', '.join(sorted(source(a) for a in posts))}"
            for name, posts in sorted(names.items())
        )
        log.warning(
            "%s differ only in case: %s; all are listed as “%s”. Use one spelling.",
            PLURALS[label].capitalize(),
            spellings,
            chosen,
        )
        for posts in names.values():
            for article in posts:
                for term in getattr(article, attribute, None) or []:
                    if term.slug == slug:
                        term.name = chosen
    return problems


def term_files(term, label):
    """A tag's or category's page and feeds."""
    feeds = [term.settings.get(f"{label.upper()}_FEED_{kind}") for kind in ("ATOM", "RSS")]
    return [term.save_as, *(feed.format(slug=term.slug) for feed in feeds if feed)]


def check_output_paths(contents, statics, generated, settings):
    """Two things written to one file; a post over, inside or in front of a file the build
    makes; a post where no server would send it."""
    owners = defaultdict(list)
    for path, what in generated:
        owners[posixpath.normpath(path)].append(what)
    folders, problems = generated_folders(settings), []
    for static in statics:
        path = posixpath.normpath(static.save_as)
        owners[path].append(source(static))
        if folder := inside(path, folders):  # the build writes there after Pelican copied it
            problems.append(
                f"{source(static)}: would be published at {path}, inside {folder}/, which holds "
                f"{folders[folder]}. Move the file elsewhere under content/, and change its links."
            )
    made = {path: what[0] for path, what in owners.items()}
    places = (made, folders, pagination_pattern(settings))
    for content in contents:
        if not content.save_as:
            continue
        path = posixpath.normpath(content.save_as)
        problem = None if path in made else misplaced(content, path, *places)
        if problem:
            problems.append(f"{source(content)}: {problem}")
        else:
            owners[path].append(source(content))
    for path, who in sorted(owners.items()):
        if len(set(who)) > 1:
            problems.append(
                f"{' and '.join(sorted(set(who)))} would all be written to {path}. "
                "Give one of them another Slug (or Date)."
            )
    return problems + folder_conflicts(owners)


def check_versions(contents):
    """Pelican takes posts with one Slug for one post's versions (translations): two in one
    language at two addresses would both be published, each as the other's version in it."""
    problems = set()
    for content in contents:
        same = sorted({source(c) for c in [content, *content.translations] if c.lang == content.lang})
        if len(same) > 1:
            problems.add(one_slug_problem(same, content))
    # Pelican pairs posts of one status: a scheduled one joins its Slug's versions on its Date,
    # when the nightly build would stop on two in one language.
    standing = defaultdict(list)
    for content in contents:
        if not scheduled(content):
            standing[type(content), content.slug, content.lang, content.status].append(content)
    for content in filter(scheduled, contents):
        for other in standing[type(content), content.slug, content.lang, eventual_status(content)]:
            when = f" from {content.locale_date}, when {source(content)} is published"
            problems.add(one_slug_problem(sorted([source(content), source(other)]), content, when))
    return sorted(problems)


def one_slug_problem(sources, content, when=""):
    return (
        f"{' and '.join(sources)} share the Slug “{content.slug}” and the Lang “{content.lang}”{when}: posts "
        "with one Slug are one post's versions, one in each language (a translation gives its "
        "original's Slug and its own Lang). Give one of them another Slug."
    )


# How far each status publishes a post: listed, only written, neither.
PUBLICITY = {"published": 2, "hidden": 1, "draft": 0}


def check_originals(generators):
    """A translation is published with its original, the version in the site's language, or with
    none, the one version not marked ``Translation: true``; else Pelican publishes each version as a
    post or page of its own. It pairs versions within one status, so a translation of a draft, a
    scheduled or a hidden post would be published alone."""
    problems = []
    for generator in generators:
        versions = defaultdict(list)
        for content in every_content([generator], CONTENT_LISTS + EVERY_TRANSLATION):
            versions[content.slug].append(content)
        for group in versions.values():
            original = max((c for c in group if c.in_default_lang), key=publicity, default=None)
            if len({c.lang for c in pelican_originals(group)}) > 1:  # one language twice: check_versions
                problems.append(two_originals(group, generator.settings["DEFAULT_LANG"]))
            for content in group if original else []:
                when = ahead(content, original)
                if when is not None:
                    problems.append(
                        f"{source(content)} is the “{content.lang}” version of {source(original)}, which is "
                        f"{held_back(original)}: {when}it would be published on its own, without its "
                        "original. Give it the Status (or Date) of its original."
                    )
    return sorted(problems)


def pelican_originals(group) -> list:
    """The versions Pelican takes for originals, each published as a post or page of its own
    (pelican.utils.get_original_items): those in the site's language among those not marked
    ``Translation: true`` (all, where every one is), else all of those."""
    candidates = [content for content in group if not marked_translation(content)] or group
    return [content for content in candidates if content.in_default_lang] or candidates


def two_originals(group, site_lang):
    marked = sorted(source(content) for content in group if content.in_default_lang)
    if marked:  # in the site's language, but not taken for the original
        others = sorted(source(content) for content in pelican_originals(group))
        return (
            f"{marked[0]} is the version in the site's language (“{site_lang}”) of {', '.join(others[:-1])} "
            f"and {others[-1]}, but says “Translation: true”, so each of them, which do not, would be "
            f"published on its own as the original. Delete “Translation: true” from {marked[0]}."
        )
    sources = sorted(source(content) for content in group)
    return (
        f"{', '.join(sources[:-1])} and {sources[-1]} share the Slug “{group[0].slug}”, as one post's "
        f"translations do, but their original, the version in the site's language (“{site_lang}”) "
        f"with that Slug, is missing: {on_their_own(group)}. Restore the original, or "
        "make one of them the original: “Translation: true” in each of the others, and not in it."
    )


def on_their_own(group) -> str:
    """What Pelican makes of versions with no original: it pairs versions within one status only,
    so a draft (or scheduled) one is published on its own once it is published, not now."""
    later = "; ".join(sorted(f"{source(c)}, {held_back(c)}" for c in group if c.status == "draft"))
    if not later:
        return "each would be published on its own"
    now = sorted(source(c) for c in group if c.status != "draft")
    if not now:
        return f"each would be published on its own once it is ({later})"
    now_text = f"{now[0]} would be" if len(now) == 1 else f"{', '.join(now[:-1])} and {now[-1]} would each be"
    return f"{now_text} published on its own, and so would {later}, once it is published"


def marked_translation(content) -> bool:
    """Whether ``content`` says it is a translation, which Pelican never takes for an original."""
    return content.metadata.get("translation", "false").lower() != "false"


def ahead(content, original):
    """When ``content`` is more public than ``original``: now (""), or from the Date it is scheduled
    for ("from 1 May 2099 "), when the nightly build would stop; None if never."""
    if publicity(content) > publicity(original):
        return ""
    if scheduled(content):
        then = eventual(original) if not scheduled(original) or original.date <= content.date else 0
        if eventual(content) > then:
            return f"from {content.locale_date} "
    return None


def publicity(content):
    return PUBLICITY.get(content.status, 0)


def eventual_status(content):
    """``content``'s status once its Date has come."""
    return content.metadata.get("status", "published")


def eventual(content):
    return PUBLICITY.get(eventual_status(content), 0)


def held_back(content):
    if content.status != "draft":
        return content.status
    return f"scheduled for {content.locale_date}" if scheduled(content) else "a draft"


def misplaced(content, path, made, folders, paginated):
    """Why a post or page cannot be written to ``path``, or None."""
    for field, value in (("URL", content.url), ("Save_as", content.save_as)):
        if leaves_the_site(value):
            return f"its {field} “{value}” is not an address on this site. {ON_THIS_SITE}"
    if path == ".." or path.startswith("../") or posixpath.isabs(path):
        return f"would be written to {path}, outside the output folder. Fix its Slug, URL or Save_as."
    if hidden(path):
        return (
            f"would be written to {path}, a hidden name (starting with “.”): the server does not "
            "send those, and the build keeps its own files (the publish stamp) there. "
            "Fix its Slug or Save_as."
        )
    if too_long(path):
        return (
            "would be written to a name longer than the 255 bytes a filesystem allows (less room for "
            "the build's .gz/.br copies). Give it a shorter Slug."
        )
    folder = inside(path, folders)
    if folder:
        return (
            f"would be written to {path}, inside {folder}/, which holds {folders[folder]}. "
            "Give it another Slug or Save_as."
        )
    if paginated and paginated.match(path):
        return (
            f"would be written to {path}, where a listing's later pages go. Give it another Slug or Save_as."
        )
    if not path.endswith(".html"):
        return (
            f"would be written to {path}, which is not an .html file; a post or page is a web page. "
            "End its Save_as with .html (or /index.html)."
        )
    target = file_of_url(content.url)
    if target != path:
        there = f" ({made[target]})" if target in made else ""
        return (
            f"its URL “{content.url}” leads to {target}{there}, but it is saved as {path}. Give URL and "
            "Save_as that match (URL “x/” with Save_as “x/index.html”), or neither."
        )
    return None


def folder_conflicts(owners):
    """A file where something else needs a folder of the same name (sitemap.xml and
    sitemap.xml/index.html): the build would stop half-way."""
    folders = {}
    for path, who in sorted(owners.items()):
        parent = posixpath.dirname(path)
        while parent and parent not in folders:
            folders[parent] = (path, who[0])
            parent = posixpath.dirname(parent)
    return [
        f"{who[0]} would be written to {path}, where {folders[path][1]} needs a folder "
        f"({folders[path][0]}). Give {folders[path][1]} another Slug or Save_as."
        for path, who in sorted(owners.items())
        if path in folders
    ]


def generated_paths(generators, settings):
    """Files the generators write that do not come from a post, page or static file."""
    paths = generated_files(settings)
    gen = article_generator(generators)
    terms = {
        "tag": list(gen.tags),
        "category": [t for t, _ in gen.categories],
        "author": [t for t, _ in gen.authors],
    }
    for kind, named in terms.items():
        paths += [(term.save_as, f"the {kind} page of “{term.name}”") for term in named]
    for template in settings["DIRECT_TEMPLATES"]:
        save_as = settings.get(f"{template.upper()}_SAVE_AS", f"{template}.html")
        if save_as:
            paths.append((save_as, f"the {template} page"))
    for granularity, label in (("year", "%Y"), ("month", "%B %Y")):  # as Pelican will write them
        for archive in gen.period_archives.get(granularity, []):
            paths.append((archive["save_as"], f"the {archive['dates'][0].date:{label}} archive"))
    return sorted(set(paths))


def outside_content(here: str, path: str) -> bool:
    """Pelican copies an {attach} or {static} target wherever its path leads, even above content/."""
    resolved = posixpath.normpath(path.lstrip("/") if path.startswith("/") else posixpath.join(here, path))
    return resolved == ".." or resolved.startswith("../")


def check_links(contents, context, settings):
    """``{filename}`` / ``{static}`` links must name a file under content/ that is published."""
    problems = []
    generated = context.get("generated_content", {})
    root = settings["PATH"]
    for content in contents:
        here = posixpath.dirname(source(content))
        for attribute, _, kind, target in INTERNAL_LINK.findall(rendered_body(content)):
            path = target.split("#", 1)[0].split("?", 1)[0]
            if not path:  # Pelican finds nothing to link, and leaves the link as written
                fragment = target.partition("#")[2]
                place = f", or #{fragment} alone for a place on this page" if fragment else ""
                problems.append(
                    f"{source(content)}: links to {{{kind}}}{html.unescape(target)}, which names no file. "
                    f"Write the file's path after {{{kind}}}{place}."
                )
                continue
            if any(outside_content(here, form) for form in (path, unquote(path), html.unescape(path))):
                problems.append(
                    f"{source(content)}: links to {{{kind}}}{target}, which is outside content/. "
                    "Link only to files under content/."
                )
                continue
            # The forms Pelican looks the target up as, in its order: as written, percent-decoded,
            # and HTML-unescaped (Markdown writes "&" as "&amp;").
            forms = [resolved_path(here, form) for form in (path, unquote(path), html.unescape(path))]
            if kind != "filename":
                # Pelican registers every {static} target, even a missing one, so ask the disk.
                found = next((form for form in forms if posixpath.isfile(posixpath.join(root, form))), None)
            else:
                found = next((generated[form] for form in forms if form in generated), None)
            if found is None:
                fix = case_advice(root, forms, kind) or (
                    "Fix the path (relative to this file, or starting with / for content/) or remove "
                    "the link."
                )
                problems.append(
                    f"{source(content)}: links to {{{kind}}}{html.unescape(target)}, but content/{forms[2]} "
                    f"does not exist. {fix}"
                )
            elif kind != "filename" and found in generated:
                problems.append(post_by_static(content, kind, target))
            elif kind != "filename" and not published(found, here, path, settings):
                problems.append(
                    f"{source(content)}: links to {{{kind}}}{html.unescape(target)}, a file Pelican "
                    "would not publish, so the link would be broken: it reads the path only up to a “;”, and "
                    "Markdown writes “&” as “&amp;”. "
                    f"Rename the file (or folder) to letters, digits, - and _, and link it as "
                    f"{{{kind}}}{renamed(html.unescape(path))}."
                )
            elif (
                getattr(found, "status", "published") == "draft"
                and getattr(content, "status", "published") != "draft"
            ):
                # In development too: the preview would work, and publishing would break the link.
                problems.append(
                    f"{source(content)}: links to {{{kind}}}{target}, which is a draft and "
                    "is not published. Publish it first or remove the link."
                )
            elif kind != "filename" and attribute == "href" and (unsafe := ADDRESS_CHARACTERS.sub("", found)):
                problems.append(unencoded_link(content, kind, target, unsafe))
    return problems


def check_term_links(contents, pages: dict[str, set[str]], settings) -> list[str]:
    """``{tag}``, ``{category}`` and ``{author}`` links must lead to a page the site has: Pelican
    links any name, a misspelt one or one no published post has, as its page's address."""
    problems = []
    for content in contents:
        for kind, target in TERM_LINK.findall(rendered_body(content) or ""):
            term = TERMS[kind](urlparse(target).path, settings)
            if term.slug not in pages[kind]:
                problems.append(missing_term(content, kind, target, term, pages[kind], settings))
    return problems


def missing_term(content, kind: str, target: str, term, slugs: set[str], settings) -> str:
    """Pelican makes a link's address from the name as the HTML holds it (up to the ";" of "Q&amp;A"),
    so a name whose slug drops or changes more than its case is linked by that slug instead."""
    shown = html.unescape(target)
    lead = f"{source(content)}: links to {{{kind}}}{shown}, which leads to {term.url}"
    lead += ", a page the site does not have"
    named = TERMS[kind](urlparse(shown).path, settings)
    if named.slug == term.slug or named.slug.lower() == named.name.lower():
        return f"{lead}: no published post has that {kind}. Correct the name, or remove the link."
    reason = (
        f"{lead}: “{named.name}” holds characters its slug drops or changes, so link its page by the slug"
    )
    if named.slug in slugs:
        return f"{reason} instead: {{{kind}}}{named.slug}, the {kind} “{named.name}”."
    return (
        f"{reason}, {{{kind}}}{named.slug}; but no published post has that {kind} either. "
        "Correct the name, or remove the link."
    )


def resolved_path(here: str, path: str) -> str:
    return posixpath.normpath(path[1:] if path.startswith("/") else posixpath.join(here, path))


def published(found: str, here: str, path: str, settings) -> bool:
    """Whether Pelican copies the {static} or {attach} file ``found``: all of STATIC_PATHS, and
    the path it registers for a link (urlparse's, which ends at a ";", with "%20" a space)."""
    registered = resolved_path(here, urlparse(path).path.replace("%20", " "))
    return found == registered or inside(found, settings["STATIC_PATHS"]) is not None


def renamed(shown: str) -> str:
    """``shown`` with each name that an address must encode, or Pelican cuts (at a "&" or ";"), made safe."""
    names = shown.split("/")
    return "/".join(safe_name(n) if ADDRESS_CHARACTERS.sub("", n) or CUT.search(n) else n for n in names)


def where(content, kind: str, shown: str) -> str:
    """The post and the line that links ``shown``, as lint.py names a line: "articles/x.md:6"."""
    link = re.compile(rf"[{{|]{kind}[}}|]{re.escape(shown)}")
    with open(content.source_path, encoding="utf-8-sig") as handle:
        lines = enumerate(handle, start=1)  # the link's line, not a picture's of the same file
        line = next((n for n, text in lines if link.search(MARKDOWN_PICTURE.sub("", text))), None)
    return f"{source(content)}{f':{line}' if line else ''}"


def post_by_static(content, kind: str, target: str) -> str:
    """Pelican publishes a post as a page, never its source as a file: it leaves such a link as written."""
    shown = html.unescape(target)
    return (
        f"{where(content, kind, shown)}: links to {{{kind}}}{shown}, a post, which Pelican publishes "
        "as a page, not as a file, so the link would be left as written, broken. Link it as "
        f"{{filename}}{shown}, which links the page Pelican makes from it."
    )


def unencoded_link(content, kind: str, target: str, unsafe: str) -> str:
    """The message for a link to a file whose name an address must percent-encode (a picture's
    addresses are encoded by plugins/images), with the line and a name that needs none."""
    shown = html.unescape(target)
    characters = ", ".join("a space" if c == " " else f"“{c}”" for c in dict.fromkeys(unsafe))
    return (
        f"{where(content, kind, shown)}: links to {{{kind}}}{shown}, whose path holds "
        f"{characters}, which its address would carry unencoded, and a server may refuse. Rename "
        f"the file (or folder) to letters, digits, - and _, and link it as {{{kind}}}{renamed(shown)}."
    )


def safe_name(name: str) -> str:
    stem, suffix = posixpath.splitext(name)
    return f"{slug_of(stem, 80) or 'file'}{suffix.lower()}"


def check_rendering(contents):
    problems = []
    for content in contents:
        body = rendered_body(content) or ""
        problems += [
            f"{source(content)}: {html.unescape(problem)}" for problem in RENDERING_PROBLEMS.findall(body)
        ]
        problems += [
            f"{source(content)}: “{html.unescape(opener).strip()}” would be printed as typed: the block "
            "cannot be read with that title or those options (a quote needs “| Author”; see docs/writing.md "
            "for each block's options). Correct it."
            for opener in UNREAD_BLOCK.findall(body)
        ]
    return problems


def check_post(post, context, settings) -> list[str]:
    """The checks one post's body can fail (the live preview's early page runs them on the
    post it renders: sitebuild/preview/early_page.py)."""
    term_links = check_term_links([post], context["term_pages"], settings)
    return check_links([post], context, settings) + term_links + check_rendering([post])


def check_site(generators):
    gen = article_generator(generators)
    settings, context = gen.settings, gen.context
    articles = [*gen.articles, *gen.drafts, *gen.hidden_articles]
    # Translations too: Pelican keeps them apart, and one is written, and links, as any post.
    contents = list(every_content(generators, CONTENT_LISTS + EVERY_TRANSLATION))
    problems = [
        problem for label, attribute in PLURALS.items() for problem in check_terms(articles, attribute, label)
    ]
    statics = [static for generator in generators for static in getattr(generator, "staticfiles", [])]
    problems += check_output_paths(contents, statics, generated_paths(generators, settings), settings)
    problems += check_versions(contents)
    problems += check_originals(generators)
    problems += check_links(contents, context, settings)
    problems += check_term_links(contents, pages_of(gen), settings)
    problems += check_rendering(contents)
    for problem in problems:
        log.error("%s", problem)
    if problems:
        raise ContentError(f"{len(problems)} content problem(s)")


# The fields declared yes/no, from the settings of the Pelican run under way.
yes_no_fields = set()


def find_yes_no_fields(pelican):
    yes_no_fields.clear()
    yes_no_fields.update(key for key, kind in declared_fields(pelican.settings).items() if kind == "yes/no")


def understand_yes_no(content):
    """``Featured: True`` as ``Featured: yes``: "yes" or "no", however the author spelt it."""
    for key in yes_no_fields & content.metadata.keys():
        answer = "yes" if str(content.metadata[key]).lower() in YES else "no"
        content.metadata[key] = answer
        setattr(content, key, answer)


def register():
    signals.initialized.connect(find_yes_no_fields)
    signals.content_object_init.connect(understand_yes_no)
    signals.all_generators_finalized.connect(check_site)
