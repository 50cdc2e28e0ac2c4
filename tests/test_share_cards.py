"""Share cards (plugins/images/cards.py): the picture a link preview shows for a post
without one of its own, and the meta tags that point to it."""

import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, SITEURL, new_content, run_build
from PIL import Image
from pluginhelpers import site_settings  # noqa: F401  (puts plugins/ on sys.path)

from images import cards

COLOURS = cards.palette((ROOT / "theme" / "static" / "css" / "tokens.css").read_text(encoding="utf-8"))
HOSTILE = """</title><script>alert("x")</script> & 'quotes' {{ SITENAME }} “curly”"""


def rgb(hex_colour):
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def test_a_card_is_a_1200_by_630_png_in_the_site_colours_with_the_mark():
    data = cards.draw_card("Linux 3.0 full support for Xen dom0", "Dom0 Dispatch", COLOURS)
    with Image.open(io.BytesIO(data)) as card:
        assert (card.format, card.size) == ("PNG", (1200, 630))
        card = card.convert("RGB")
        assert card.getpixel((1100, 560)) == rgb(COLOURS["bg"])
        assert card.getpixel((600, 4)) == rgb(COLOURS["accent"])
        left, top = cards.MARGIN, cards.MARGIN
        centre = left + cards.MARK // 2
        assert card.getpixel((left + 4, top + cards.MARK // 2)) == rgb(COLOURS["accent"])  # the square
        ring = round(cards.MARK * 8.5 / 32)
        assert card.getpixel((centre + ring, centre)) == (255, 255, 255)  # the ring
        assert card.getpixel((centre, centre)) == rgb(COLOURS["accent"])  # its hole
        title_rows = card.crop((cards.MARGIN, 250, 1120, 320)).getcolors(1 << 16)
        assert any(colour == rgb(COLOURS["text"]) for _, colour in title_rows), "no title drawn"


def test_cards_are_byte_identical_for_the_same_title_and_differ_for_another():
    first = cards.draw_card("Same title", "Dom0 Dispatch", COLOURS)
    assert cards.draw_card("Same title", "Dom0 Dispatch", COLOURS) == first
    assert cards.draw_card("Other title", "Dom0 Dispatch", COLOURS) != first


def test_a_long_title_is_wrapped_and_shortened_to_fit():
    face, lines = cards.fit_title("word " * 80 + "Supercalifragilisticexpialidocious" * 5, 1040)
    assert face.size == cards.TITLE_SIZES[-1] and len(lines) == cards.MAX_LINES
    assert lines[-1].endswith("…") and all(face.getlength(line) <= 1040 for line in lines)
    face, lines = cards.fit_title("A" * 200, 1040)  # one word wider than the card: broken
    assert all(face.getlength(line) <= 1040 for line in lines)
    face, lines = cards.fit_title("Short", 1040)
    assert face.size == cards.TITLE_SIZES[0] and lines == ["Short"]


def test_a_card_drawn_before_comes_from_the_cache(tmp_path, monkeypatch):
    first = cards.share_card("Cached", "Dom0 Dispatch", COLOURS, tmp_path)
    monkeypatch.setattr(cards, "draw_card", lambda *args: pytest.fail("drawn again"))
    assert cards.share_card("Cached", "Dom0 Dispatch", COLOURS, tmp_path) == first
    with pytest.raises(pytest.fail.Exception):
        cards.share_card("Cached", "Another site", COLOURS, tmp_path)


def test_the_design_version_follows_the_colours():
    assert cards.design_version(COLOURS) != cards.design_version({**COLOURS, "accent": "#000000"})


@pytest.fixture(scope="module")
def carded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("carded")
    content = new_content(folder)
    (content / "articles" / "hostile.md").write_text(f"Title: {HOSTILE}\nDate: 2024-01-02\n\nText.\n")
    (content / "pages" / "about.md").write_text("Title: About us\n\nText.\n")
    first = run_build(folder / "one" / "output", content=content)
    second = run_build(folder / "two" / "output", content=content)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    return folder / "one" / "output", folder / "two" / "output"


def preview(output: Path, relative: str) -> dict:
    soup = BeautifulSoup((output / relative / "index.html").read_text(encoding="utf-8"), "html.parser")
    return {
        tag.get("property") or tag.get("name"): tag["content"]
        for tag in soup.find_all("meta")
        if (tag.get("property") or tag.get("name") or "").startswith(("og:image", "twitter:"))
    }


def card_file(output, tags):
    assert tags["og:image"].startswith(SITEURL + "/") and tags["twitter:image"] == tags["og:image"]
    return output / tags["og:image"].removeprefix(SITEURL + "/")


@pytest.mark.parametrize(
    "relative, alt",
    [
        ("2024/01/alertx-quotes-sitename-curly", f"{HOSTILE} · Dom0 Dispatch"),
        ("about-us", "About us · Dom0 Dispatch"),
        ("", "News and background on Xen, dom0 and the Linux kernel. · Dom0 Dispatch"),
        ("category/uncategorized", "News and background on Xen, dom0 and the Linux kernel. · Dom0 Dispatch"),
    ],
)
def test_every_page_previews_with_a_built_card_named_in_absolute_meta_tags(carded, relative, alt):
    output = carded[0]
    tags = preview(output, relative)
    assert tags["twitter:card"] == "summary_large_image"
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["og:image:alt"] == tags["twitter:image:alt"] == alt
    with Image.open(card_file(output, tags)) as card:
        assert (card.format, card.size) == ("PNG", (1200, 630))


def test_a_hostile_title_stays_text_in_the_head(carded):
    html = (carded[0] / "2024/01/alertx-quotes-sitename-curly/index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "lxml")  # parses <title> as browsers do; html.parser does not
    assert [script.get("type") for script in soup.find_all("script")] == ["application/ld+json"]
    assert soup.title.get_text() == f"{HOSTILE} · Dom0 Dispatch"


def test_cards_are_byte_identical_across_builds_and_not_loaded_by_the_page(carded):
    one, two = carded
    relative = "2024/01/alertx-quotes-sitename-curly"
    card = card_file(one, preview(one, relative))
    assert card.read_bytes() == card_file(two, preview(two, relative)).read_bytes()
    soup = BeautifulSoup((one / relative / "index.html").read_text(encoding="utf-8"), "html.parser")
    loaded = [
        tag
        for tag in soup.find_all(["img", "picture", "source"])
        if not tag.get("src", "").startswith("data:")
    ]
    assert not loaded and card.name not in str(soup.body)  # the masthead's mark is inline
