"""Pelican's own objects for the plugin unit tests: the site's settings, posts read from
made-up files, generators. The tests call a plugin's functions on them directly, as
pelican-neighbors' tests do, instead of building the whole site."""

from pathlib import Path

from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent


def site_settings(**overrides) -> dict:
    """pelicanconf.py's settings, as Pelican reads them."""
    return read_settings(str(ROOT / "pelicanconf.py"), override=overrides)


def write_content(folder: Path, articles=(), pages=()) -> Path:
    """A content folder holding ``articles`` and ``pages``: (file name, Markdown text) pairs."""
    for kind, files in (("articles", articles), ("pages", pages)):
        (folder / kind).mkdir(parents=True, exist_ok=True)
        for name, text in files:
            (folder / kind / name).write_text(text, encoding="utf-8")
    return folder


def post(title, date="2011-06-01 10:00", body="Text.", **fields) -> str:
    """A post's Markdown: front matter from keyword arguments (Tags=…, Status=…)."""
    header = "".join(f"{name.capitalize()}: {value}\n" for name, value in fields.items())
    return f"Title: {title}\nDate: {date}\n{header}\n{body}\n"


def generators(tmp_path: Path, articles=(), pages=(), **overrides):
    """The article and page generators after reading made-up content (no cache, no plugins)."""
    content = write_content(tmp_path / "content", articles, pages)
    settings = site_settings(PATH=str(content), CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False, **overrides)
    context = {**settings, "generated_content": {}, "static_links": set(), "static_content": {}}
    made = []
    for kind in (ArticlesGenerator, PagesGenerator):
        generator = kind(
            context=context,
            settings=settings,
            path=settings["PATH"],
            theme=settings["THEME"],
            output_path=str(tmp_path / "output"),
        )
        generator.generate_context()
        made.append(generator)
    return made
