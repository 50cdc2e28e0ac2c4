"""A front matter ``Lang``: a BCP 47 tag in its usual case ("pt-BR", not "pt-br": a tag spelt two
ways would name two folders), each of whose codes Babel's CLDR data names, so that the Nu checker
takes the page and the site can name the language; with the tag to write where a common mistake
has one ("jp": "ja", "en-UK": "en-GB", "iw": "he", "Français": "fr")."""

import functools
import re

from babel import Locale, localedata
from babel.core import get_global

# A language tag (BCP 47's common forms: fr, pt-BR, zh-Hant): a translation's folder is named by it.
# In BCP 47's case (language fr, script Hant, region BR or 419, variants 1996): a tag spelt
# two ways would name two folders, one on a file system that ignores case.
LANGUAGE_TAG = re.compile(
    r"(?P<language>[a-z]{2,3})(?:-(?P<script>[A-Z][a-z]{3}))?(?:-(?P<region>[A-Z]{2}|[0-9]{3}))?"
    r"(?P<variants>(?:-[a-z0-9]{5,8}|-[0-9][a-z0-9]{3})*)"
)
# Beyond its form, each of a tag's codes must be one CLDR knows (unknown_language); not its codes
# for an unknown script and region, which Babel reads as the likeliest ("en-ZZ": "English (United States)").
UNKNOWN_CODES = {"Zzzz", "ZZ"}
# CLDR names these as languages, but they say there is no one language: undetermined, none,
# several, uncoded.
NO_LANGUAGE = {"und", "zxx", "mul", "mis"}


def invalid_language_tag(key, value):
    fix = "-".join(
        part.upper()
        if len(part) == 2 and i
        else part.title()
        if len(part) == 4 and part.isalpha() and i
        else part.lower()
        for i, part in enumerate(value.split("-"))
    )
    spelt = f" Write “{fix}”." if LANGUAGE_TAG.fullmatch(fix) and not unknown_language(key, fix) else ""
    if not spelt and (named := tag_named(value)):  # the language's name: "Français", "French"
        spelt = f" Write “{named}”, the tag of {cldr_codes()['language'][named.replace('-', '_')]}."
    return (
        f"{key} “{value}” is not a language tag such as “fr”, “de” or “pt-BR”: it names the folder "
        f"a translation is published in (…/slug/fr/) and tells search engines the page's language.{spelt}"
    )


def invalid_language(key, value, settings):
    if not LANGUAGE_TAG.fullmatch(value):
        return invalid_language_tag(key, value)
    return unknown_language(key, value)


@functools.cache
def cldr_codes() -> dict[str, dict[str, str]]:
    """CLDR's codes of languages, scripts, regions and variants (variants in upper case), each
    with its English name. CLDR names languages it has no locale data for ("sm", Samoan)."""
    english = Locale("en")
    return {
        "language": english.languages,
        "script": english.scripts,
        "region": english.territories,
        "variant": english.variants,
    }


@functools.cache
def tags_by_name() -> dict[str, str]:
    """The tag of each language CLDR has data in, by its name in itself and in English, casefolded."""
    names = {}
    for code in (code for code in localedata.locale_identifiers() if "_" not in code):
        names.setdefault((Locale.parse(code).get_language_name(code) or "").casefold(), code)
    for code, name in cldr_codes()["language"].items():
        names.setdefault(name.casefold(), code.replace("_", "-"))
    return names


def tag_named(name: str) -> str | None:
    """The tag of the language called ``name``, if lint takes it; else None."""
    tag = tags_by_name().get(name.strip().casefold())
    return tag if tag and LANGUAGE_TAG.fullmatch(tag) and not unknown_language("Lang", tag) else None


def known(kind: str, code: str) -> bool:
    if kind == "language":  # not one CLDR writes otherwise ("tl": "fil"), nor "und"
        return code in cldr_codes()[kind] and code not in NO_LANGUAGE and not alias(kind, code)
    return code not in UNKNOWN_CODES and cldr_code(kind, code) in cldr_codes()[kind]


def cldr_code(kind: str, code: str) -> str:
    return code.upper() if kind == "variant" else code


def english_name(kind: str, code: str) -> str:
    """The English name CLDR gives ``code``, in brackets (" (Hebrew)"), or nothing if it has none."""
    name = cldr_codes()[kind].get(cldr_code(kind, code))
    return f" ({name})" if name else ""


def alias(kind: str, code: str) -> str | None:
    """The code CLDR writes for ``code`` instead (iw: he, tl: fil, UK: GB), if there is one."""
    aliases = {"language": "language_aliases", "script": "script_aliases", "region": "territory_aliases"}
    canonical = get_global(aliases.get(kind, "variant_aliases")).get(code)
    if isinstance(canonical, list):  # a region split in several (SU), which names none of them
        canonical = canonical[0] if len(canonical) == 1 else None
    return canonical.replace("_", "-") if canonical else None


def unknown_language(key, value):
    """Refuses a well-formed tag with a language, script, region or variant Babel's CLDR data does
    not know, where the Nu HTML checker would refuse the page ("jp", "en-UK"). A code counts as
    known if CLDR names it, with data in it or not ("sm"), and a variant only then: rarer ones can
    be dropped at no loss here. A tag CLDR has no data for as a whole (fr-JP) passes."""
    tag = LANGUAGE_TAG.fullmatch(value)
    parts = [(kind, tag[kind]) for kind in ("language", "script", "region") if tag[kind]]
    parts += [("variant", variant) for variant in tag["variants"].split("-")[1:]]
    for index, (kind, code) in enumerate(parts):
        if known(kind, code):
            continue
        if canonical := alias(kind, code):
            fix = rewritten(parts, index, canonical)
            return (
                f"{key} “{value}” writes the {kind} “{canonical}”{english_name(kind, canonical)} as "
                f"“{code}”, which browsers and search engines may not know.{fix}"
            )
        problem = (
            f"{key} “{value}” names no {kind} known to Babel's CLDR data, which names each version "
            "to readers in its own language."
        )
        region = code.upper()
        if kind == "language" and region in cldr_codes()["region"]:  # "jp": Japan's language
            likely = get_global("likely_subtags").get(f"und_{region}", "").split("_")[0]
            if fix := rewritten(parts, index, likely):
                return f"{problem}{fix[:-1]}, the language of “{region}”{english_name('region', region)}."
        return problem
    return None


def rewritten(parts, index: int, replacement: str) -> str:
    """The fix " Write “…”." of the tag of ``parts`` with ``replacement`` in place of its
    ``index``-th, if lint takes the tag that makes; else nothing."""
    codes = [code for _, code in parts]
    codes[index] = replacement
    tag = "-".join(codes)
    if not replacement or not LANGUAGE_TAG.fullmatch(tag) or unknown_language("", tag):
        return ""
    return f" Write “{tag}”."
