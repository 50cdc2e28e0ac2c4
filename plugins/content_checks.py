"""Refuse content that Pelican would publish wrongly, naming the posts involved.

Why a local plugin: Pelican silently merges tags whose slugs collide ("C++" and "C"
both become tag/c/), writes one post over another that has the same URL, and ships a
``{filename}`` link to a missing post as a dead link, logging at most a warning that
does not say which post holds it. These checks run once every generator has read its
content and before anything is written; each problem is logged as an error (the build
collects them, see sitebuild/errors.py) and the build stops.
"""

import logging
import posixpath
import re
from collections import defaultdict

from pelican import signals

log = logging.getLogger(__name__)
INTERNAL_LINK = re.compile(r"""(?:href|src)\s*=\s*(["'])\s*[{|](filename|static|attach)[}|](.*?)\1""")


class ContentError(Exception):
    """Raised after the problems were logged, to stop Pelican before it writes."""


def source(content):
    return content.relative_source_path


def all_contents(generators):
    for generator in generators:
        for name in ("articles", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages"):
            yield from getattr(generator, name, [])


def article_generator(generators):
    return next(g for g in generators if hasattr(g, "articles") and hasattr(g, "tags"))


def check_terms(articles, attribute, label):
    """Tags or categories: refuse slug collisions and empty slugs, merge case variants."""
    problems = []
    by_slug = defaultdict(lambda: defaultdict(list))
    for article in articles:
        for term in getattr(article, attribute, None) or []:
            if not term.slug:
                problems.append(f"{source(article)}: the {label} “{term.name}” has no letters or "
                                f"digits to make an address from; rename it.")
                continue
            by_slug[term.slug][term.name].append(article)
    for slug, names in sorted(by_slug.items()):
        if len(names) < 2:
            continue
        if len({name.lower() for name in names}) > 1:
            listed = "; ".join(f"“{name}” in {', '.join(sorted(source(a) for a in posts))}"
                               for name, posts in sorted(names.items()))
            problems.append(f"the {label}s {listed} would share the page {label}/{slug}/. "
                            f"Rename one of them so their names differ in letters or digits.")
            continue
        chosen = max(sorted(names), key=lambda name: len(names[name]))
        log.warning("%ss %s differ only in case; all are listed as “%s”. Use one spelling.",
                    label.capitalize(), ", ".join(f"“{n}”" for n in sorted(names)), chosen)
        for posts in names.values():
            for article in posts:
                for term in getattr(article, attribute, None) or []:
                    if term.slug == slug:
                        term.name = chosen
    return problems


def check_output_paths(contents, reserved):
    """Two things written to one file, or a file outside the output folder."""
    problems = []
    writers = defaultdict(list)
    for content in contents:
        if content.save_as:
            writers[posixpath.normpath(content.save_as)].append(source(content))
    for path, what in reserved:
        writers[posixpath.normpath(path)].append(what)
    for path, owners in sorted(writers.items()):
        if path.startswith("../") or path == ".." or posixpath.isabs(path):
            problems.append(f"{owners[0]}: would be written to {path}, outside the output folder. "
                            "Fix its Slug, URL or Save_as.")
        elif len(owners) > 1:
            problems.append(f"{' and '.join(sorted(set(owners)))} would all be written to {path}. "
                            "Give one of them another Slug (or Date).")
    return problems


def reserved_paths(generators, settings):
    """Files the generators write that do not come from a post or page."""
    paths = []
    gen = article_generator(generators)
    terms = {"tag": list(gen.tags), "category": [t for t, _ in gen.categories],
             "author": [t for t, _ in gen.authors]}
    for kind, named in terms.items():
        paths += [(term.save_as, f"the {kind} page of “{term.name}”") for term in named]
    for template in settings["DIRECT_TEMPLATES"]:
        save_as = settings.get(f"{template.upper()}_SAVE_AS", f"{template}.html")
        if save_as:
            paths.append((save_as, f"the {template} page"))
    for dest in settings.get("TEMPLATE_PAGES", {}).values():
        paths.append((dest, f"the generated {dest}"))
    for article in gen.dates:
        for key, label in (("YEAR_ARCHIVE_SAVE_AS", "%Y"), ("MONTH_ARCHIVE_SAVE_AS", "%B %Y")):
            if settings.get(key):
                paths.append((settings[key].format(date=article.date), f"the {article.date:{label}} archive"))
    return sorted(set(paths))


def check_links(contents, context, settings):
    """``{filename}`` / ``{static}`` links must name a file under content/ that is published."""
    problems = []
    generated = context.get("generated_content", {})
    production = not settings.get("DRAFT_SAVE_AS")
    root = settings["PATH"]
    for content in contents:
        here = posixpath.dirname(source(content))
        for _, kind, target in INTERNAL_LINK.findall(content._content):
            path = target.split("#", 1)[0].split("?", 1)[0]
            if not path:
                continue
            resolved = posixpath.normpath(path[1:] if path.startswith("/") else posixpath.join(here, path))
            if kind != "filename":
                # Pelican registers every {static} target, even a missing one, so ask the disk.
                found = resolved if posixpath.isfile(posixpath.join(root, resolved)) else None
            else:
                found = generated.get(resolved)
            if found is None:
                problems.append(f"{source(content)}: links to {{{kind}}}{target}, but content/{resolved} "
                                "does not exist. Fix the path (relative to this file, or starting with / "
                                "for content/) or remove the link.")
            elif production and getattr(found, "status", "published") == "draft" \
                    and getattr(content, "status", "published") != "draft":
                problems.append(f"{source(content)}: links to {{{kind}}}{target}, which is a draft and "
                                "is not published. Publish it first or remove the link.")
    return problems


def check_site(generators):
    gen = article_generator(generators)
    settings, context = gen.settings, gen.context
    articles = [*gen.articles, *gen.drafts, *gen.hidden_articles]
    contents = list(all_contents(generators))
    problems = check_terms(articles, "tags", "tag") + check_terms(articles, "categories", "category")
    problems += check_output_paths(contents, reserved_paths(generators, settings))
    problems += check_links(contents, context, settings)
    for problem in problems:
        log.error("%s", problem)
    if problems:
        raise ContentError(f"{len(problems)} content problem(s)")


def register():
    signals.all_generators_finalized.connect(check_site)
