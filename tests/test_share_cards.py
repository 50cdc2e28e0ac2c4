"""Share cards (plugins/images/cards.py): the picture a link preview shows for a post
without one of its own, and the meta tags that point to it."""

import io
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, SITEURL, build_keeping_the_model, new_content, run_build
from PIL import Image, ImageDraw
from pluginhelpers import site_settings
from sitehelpers import digest

from plugins.images import Outputs, card_files, cards
from plugins.typography import smart

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


def test_the_png_written_for_a_card_holds_its_indices_and_palette():
    """cards.png writes the file itself: Pillow checks its chunks and reads back every
    pixel, on an odd width that leaves the last byte of each row half filled."""
    drawn = bytes(i * 7 % 16 for i in range(7 * 5))
    indices = Image.new("L", (cards.ROW_START + 7, 5), 0)
    indices.paste(Image.frombytes("L", (7, 5), drawn), (cards.ROW_START, 0))
    table = bytes(range(48))
    with Image.open(io.BytesIO(cards.png(indices, table))) as card:
        card.verify()  # chunk lengths and CRCs
    with Image.open(io.BytesIO(cards.png(indices, table))) as card:
        assert (card.mode, card.size) == ("P", (7, 5))
        assert card.tobytes() == drawn
        assert bytes(card.getpalette()) == table


def test_cards_are_byte_identical_for_the_same_title_and_differ_for_another():
    first = cards.draw_card("Same title", "Dom0 Dispatch", COLOURS)
    assert cards.draw_card("Same title", "Dom0 Dispatch", COLOURS) == first
    assert cards.draw_card("Other title", "Dom0 Dispatch", COLOURS) != first


def test_a_card_is_a_16_colour_png_whose_title_is_bold_and_antialiased():
    with Image.open(io.BytesIO(cards.draw_card("Xen", "Dom0 Dispatch", COLOURS))) as card:
        assert card.mode == "P" and len(card.getpalette()) <= 16 * 3
        title = card.convert("RGB").crop((cards.MARGIN, cards.TITLE_TOP, 400, cards.TITLE_TOP + 100))
        colours = {colour for _, colour in title.getcolors()}
    assert len(colours) == cards.SHADES  # background, text and the shades between
    stem = [title.getpixel((x, 40)) == rgb(COLOURS["text"]) for x in range(0, 40)]
    assert sum(stem) >= 8, "the X's strokes are thin"


ACCENTED = "Café — a résumé, Ωμέγα and Жизнь"
WRITTEN = "Café — a résumé: über Año, Straße – 5 € · Ωμέγα · Жизнь → ≥ ½ · 東京 한국 かな 🚀"


def missing_glyph_boxes(size: int) -> list[bytes]:
    """What each font draws for a character it has no glyph for."""
    boxes = []
    for face in cards.faces(size, cards.TITLE_WEIGHT):
        mask = Image.new("L", (200, 200))
        ImageDraw.Draw(mask).text((20, 150), "\uffff", font=face, fill=255, anchor="ls")
        boxes.append(mask.crop(mask.getbbox()).tobytes())
    return boxes


@pytest.mark.parametrize("character", sorted(set(WRITTEN) - {" "}))
def test_a_title_is_drawn_as_written_never_as_boxes(character):
    size = cards.TITLE_SIZES[0]
    drawn, _, _ = cards.word_mask(size, cards.TITLE_WEIGHT, character)
    assert drawn.getbbox(), f"nothing drawn for {character!r}"
    assert drawn.crop(drawn.getbbox()).tobytes() not in missing_glyph_boxes(size)


def test_characters_no_font_has_are_left_out_rather_than_boxed():
    plain = cards.draw_card("Xen on the desk", "Dom0 Dispatch", COLOURS)
    # Egyptian hieroglyphs and a private-use character: no font of the cards has them.
    assert cards.draw_card("Xen 𓀀 on the \U000f0000 desk", "Dom0 Dispatch", COLOURS) == plain
    assert cards.draw_card(WRITTEN, "Dom0 Dispatch", COLOURS) != cards.draw_card(
        WRITTEN.encode("ascii", "ignore").decode(), "Dom0 Dispatch", COLOURS
    )


def test_a_long_title_is_wrapped_and_shortened_to_fit():
    def width(size, line):
        return cards.line_width(size, cards.TITLE_WEIGHT, line)

    size, lines = cards.fit_title("word " * 80 + "Supercalifragilisticexpialidocious" * 5, 1040)
    assert size == cards.TITLE_SIZES[-1] and len(lines) == cards.MAX_LINES
    assert lines[-1].endswith("…") and all(width(size, line) <= 1040 for line in lines)
    size, lines = cards.fit_title("A" * 200, 1040)  # one word wider than the card: broken
    assert all(width(size, line) <= 1040 for line in lines)
    size, lines = cards.fit_title("Short", 1040)
    assert size == cards.TITLE_SIZES[0] and lines == ["Short"]
    title = "A title of ordinary words that wraps onto more lines of the card than one, at least"
    size, lines = cards.fit_title(title, 1040)
    assert len(lines) > 1 and " ".join(lines) == title
    # Greedy: no line could have held the next line's first word.
    for line, following in zip(lines, lines[1:], strict=False):
        assert width(size, line) <= 1040 < width(size, f"{line} {following.split()[0]}")


def made_cards(tmp_path, folder=None):
    outputs = Outputs(folder)
    return card_files.Cards(site_settings(SITENAME="Dom0 Dispatch"), outputs, tmp_path / "cache"), outputs


def test_a_card_drawn_before_is_copied_from_the_cache_under_its_key(tmp_path, monkeypatch):
    first, _ = made_cards(tmp_path, tmp_path / "one")
    path = first.path("Cached")
    drawn = (tmp_path / "one" / path).read_bytes()
    assert drawn == cards.draw_card("Cached", "Dom0 Dispatch", COLOURS)
    key = cards.card_key("Cached", "Dom0 Dispatch", cards.design_version(COLOURS))
    assert path == f"images/cards/{key[:10]}.png"
    monkeypatch.setattr(card_files, "draw_card", lambda *args: pytest.fail("drawn again"))
    again, outputs = made_cards(tmp_path, tmp_path / "two")
    assert again.path("Cached") == path and list(outputs) == [path]
    assert (tmp_path / "two" / path).read_bytes() == drawn
    entry = tmp_path / "cache" / "cards" / f"{key}.png"
    kept = entry.read_bytes()
    (tmp_path / "two" / path).write_bytes(b"edited in the output")  # a copy, not a link
    assert entry.read_bytes() == kept
    by_hand, outputs = made_cards(tmp_path)  # Pelican by hand: the bytes wait for the end
    assert by_hand.path("Cached") == path and outputs[path] == drawn
    with pytest.raises(pytest.fail.Exception):
        again.path("Not cached yet")


def test_a_card_that_cannot_be_made_fails_the_build_naming_it(tmp_path, caplog):
    made, _ = made_cards(tmp_path, tmp_path / "output")
    (tmp_path / "output" / "images").mkdir(parents=True)
    (tmp_path / "output" / "images" / "cards").write_text("a file where the folder goes")
    made.path("Blocked")
    [problem] = [record.getMessage() for record in caplog.records if record.levelname == "ERROR"]
    assert problem.startswith("the share card for “Blocked” could not be made: [Errno 17] File exists")


def test_the_design_version_follows_the_colours():
    assert cards.design_version(COLOURS) != cards.design_version({**COLOURS, "accent": "#000000"})


@pytest.fixture(scope="module")
def carded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("carded")
    content = new_content(folder)
    (content / "articles" / "hostile.md").write_text(f"Title: {HOSTILE}\nDate: 2024-01-02\n\nText.\n")
    (content / "pages" / "about.md").write_text("Title: About us\n\nText.\n")
    (content / "articles" / "cafe.md").write_text(f"Title: {ACCENTED}\nDate: 2024-01-03\n\nText.\n")
    for number in range(card_files.DRAWN_HERE_FIRST + 5):  # the rest go to a worker of the build
        post = content / "articles" / f"many-{number}.md"
        post.write_text(f"Title: Card {number}\nDate: 2023-01-01\n\nText.\n")
    first = run_build(folder / "one" / "output", content=content)
    second = run_build(folder / "two" / "output", content=content)
    warm = run_build(folder / "warm" / "output", content=content, cache=folder / "one" / "cache")
    assert first.returncode == second.returncode == warm.returncode == 0, first.stderr + second.stderr
    return folder / "one" / "output", folder / "two" / "output", folder / "warm" / "output"


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
        ("2024/01/alertx-quotes-sitename-curly", f"{smart(HOSTILE)} · Dom0 Dispatch"),
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
    assert [script.get("type") for script in soup.find_all("script")] == ["application/ld+json"] * 2
    assert soup.title.get_text() == f"{smart(HOSTILE)} · Dom0 Dispatch"


def test_cards_are_byte_identical_across_builds_and_not_loaded_by_the_page(carded):
    one, two, _ = carded
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


def without_search_index(output: Path) -> dict:
    return {path: sha for path, sha in digest(output).items() if not path.startswith("pagefind/")}


def test_a_built_card_draws_the_title_as_written(carded):
    """Before, the card of this title was the card with its accents and dashes replaced by a
    character no font has: each was drawn as the same missing-glyph box."""
    output = carded[0]
    card = card_file(output, preview(output, "2024/01/cafe-a-resume-omega-and-zhizn")).read_bytes()
    assert card == cards.draw_card(ACCENTED, "Dom0 Dispatch", COLOURS)
    boxed = "".join("\uffff" if ord(c) > 127 else c for c in ACCENTED)
    assert card != cards.draw_card(boxed, "Dom0 Dispatch", COLOURS)


def test_a_build_from_a_warm_cache_is_byte_identical_to_a_cold_one(carded):
    cold, _, warm = carded
    assert [p for p in (cold / "images" / "cards").iterdir()], "no cards were made"
    assert without_search_index(warm) == without_search_index(cold)


def test_every_og_image_of_every_page_is_in_the_output(carded):
    output = carded[0]
    shown = set()
    for page in output.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all("meta", property="og:image"):
            assert tag["content"].startswith(SITEURL + "/")
            shown.add(output / tag["content"].removeprefix(SITEURL + "/"))
    assert len(shown) >= 3  # the site's own card, the post's and the page's
    assert [str(path) for path in shown if not path.is_file()] == []


def test_cards_drawn_by_the_worker_are_the_cards_drawn_here(carded):
    """Past DRAWN_HERE_FIRST missing cards, a worker process draws the rest into the cache;
    every card in the output is the one draw_card makes for its page's title."""
    output = carded[0]
    titles = {}
    for page in output.rglob("index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        heading, tag = soup.find("h1"), soup.find("meta", property="og:image")
        if soup.find("article") and heading and tag and "/cards/" in tag["content"]:
            titles[heading.get_text(strip=True)] = output / tag["content"].removeprefix(SITEURL + "/")
    numbered = [title for title in titles if title.startswith("Card ")]
    assert len(numbered) == card_files.DRAWN_HERE_FIRST + 5
    for title in numbered:
        assert titles[title].read_bytes() == cards.draw_card(title, "Dom0 Dispatch", COLOURS), title


def test_the_card_worker_starts_without_importing_pelican():
    """It only draws: importing Pelican cost it more than Pillow and the fonts."""
    imported = "import sys, plugins.images.card_worker; print(sorted(sys.modules))"
    run = subprocess.run([sys.executable, "-c", imported], capture_output=True, text=True, check=True)
    modules = run.stdout.strip("[]\n").replace("'", "").split(", ")
    assert "PIL.ImageFont" in modules and not [name for name in modules if name.split(".")[0] == "pelican"]


FAILING_WORKER = [sys.executable, "-c", "raise SystemExit(1)"]
STUCK_WORKER = [sys.executable, "-c", "import time; time.sleep(600)"]


@pytest.mark.parametrize(
    "worker",
    [card_files.WORKER, FAILING_WORKER, STUCK_WORKER],
    ids=["worker", "failing worker", "stuck worker"],
)
def test_missing_cards_past_the_first_few_are_drawn_by_a_worker_or_else_here(tmp_path, monkeypatch, worker):
    monkeypatch.setattr(card_files, "DRAWN_HERE_FIRST", 1)
    monkeypatch.setattr(card_files, "WORKER", worker)
    if worker is STUCK_WORKER:  # the one waited for to the end; a real worker may start slowly
        monkeypatch.setattr(card_files, "WAIT_SECONDS", 0.5)
    made, outputs = made_cards(tmp_path, tmp_path / "output")
    titles = ["Drawn here", "By the worker", "By the worker too"]
    drawn_here, draw = [], card_files.draw_card

    def counted(title, *rest):
        drawn_here.append(title)
        return draw(title, *rest)

    monkeypatch.setattr(card_files, "draw_card", counted)
    paths = [made.path(title) for title in titles]
    started = made.worker
    read_back, load = [], card_files.load
    monkeypatch.setattr(card_files, "load", lambda entry: read_back.append(entry) or load(entry))
    made.collect()
    assert made.worker is None and started.poll() is not None and sorted(outputs) == sorted(paths)
    for title, path in zip(titles, paths, strict=True):
        assert (tmp_path / "output" / path).read_bytes() == cards.draw_card(title, "Dom0 Dispatch", COLOURS)
    failed = worker in (FAILING_WORKER, STUCK_WORKER)
    assert sorted(drawn_here) == sorted(titles if failed else titles[:1])  # a failed worker costs only time
    # A worker that ended well wrote its cards into the output: none is read back from the cache.
    assert len(read_back) == (2 if failed else 0)


def test_a_stuck_worker_with_a_full_pipe_does_not_hold_the_build(tmp_path, monkeypatch):
    """Past what its pipe holds, Pelican waits for the worker; a stuck one is stopped instead."""
    monkeypatch.setattr(card_files, "DRAWN_HERE_FIRST", 0)
    monkeypatch.setattr(card_files, "WORKER", STUCK_WORKER)
    monkeypatch.setattr(card_files, "WAIT_SECONDS", 0.5)
    monkeypatch.setattr(card_files, "PIPE_BYTES", 4096)  # one page: a few dozen cards' lines
    made, outputs = made_cards(tmp_path, tmp_path / "output")
    titles = [f"Card {number} " + "of a long title " * 8 for number in range(60)]
    finished = []

    def render():
        paths = [made.path(title) for title in titles]
        made.collect()
        finished.append(paths)

    pelican = threading.Thread(target=render, daemon=True)
    pelican.start()
    pelican.join(20)
    in_time, stuck = bool(finished), made.worker
    if stuck is not None:  # unblock a held write, so that the thread ends
        stuck.kill()
    pelican.join(20)
    assert in_time, "the build waited on a stuck worker"
    assert sorted(outputs) == sorted(finished[0]) and len(outputs) == len(titles)
    for title, path in zip(titles[::20], finished[0][::20], strict=True):
        assert (tmp_path / "output" / path).read_bytes() == cards.draw_card(title, "Dom0 Dispatch", COLOURS)


def ld_image(soup) -> str | None:
    for script in soup.find_all("script", type="application/ld+json"):
        data = json.loads(script.string)
        if data.get("@type") == "NewsArticle":
            return data["image"]["url"]
    return None


def test_pages_of_no_post_preview_with_the_site_card_a_template_variable_not_a_setting(tmp_path):
    """The site's card reaches the templates through the generators' shared context
    (plugins/images/), as the icon does: Pelican's settings stay what the settings files say."""
    content = new_content(tmp_path)
    (content / "articles" / "plain.md").write_text(
        "Title: A post without a picture\nDate: 2024-01-02\nCategory: xen\nTags: dom0\n\nText.\n"
    )
    (content / "pages" / "about.md").write_text("Title: About us\n\nText.\n")
    output = tmp_path / "output"
    kept = build_keeping_the_model(output, content, ["SHARE_IMAGE"])
    assert "SHARE_IMAGE" not in kept["settings"]
    card = kept["context"]["SHARE_IMAGE"]["path"]
    site_card, description = f"{SITEURL}/{card}", "News and background on Xen, dom0 and the Linux kernel."
    assert (output / card).read_bytes() == cards.draw_card(description, "Dom0 Dispatch", COLOURS)
    for listing in ["", "tag/dom0", "category/xen", "author/dom0-dispatch-editors", "archives", "tags"]:
        tags = preview(output, listing)
        assert tags["og:image"] == tags["twitter:image"] == site_card, listing
        assert tags["og:image:alt"] == tags["twitter:image:alt"] == f"{description} · Dom0 Dispatch"
    # A post or page without a picture previews with its own card; a post's JSON-LD names it too.
    post, page = "2024/01/a-post-without-a-picture", "about-us"
    for relative, title in [(post, "A post without a picture"), (page, "About us")]:
        tags = preview(output, relative)
        assert tags["og:image"] == tags["twitter:image"] != site_card, relative
        assert card_file(output, tags).read_bytes() == cards.draw_card(title, "Dom0 Dispatch", COLOURS)
    soup = BeautifulSoup((output / post / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert ld_image(soup) == preview(output, post)["og:image"]


def test_a_title_in_letters_no_font_has_previews_with_the_site_card_and_says_so(tmp_path):
    """A card of an Arabic or Hebrew title would show other words than the title (or none):
    its links preview with the site's card, with a warning naming the post."""
    content = new_content(tmp_path)
    for name, title in [("hebrew", "שלום עולם"), ("greek", "Ξεν στο Linux")]:
        (content / "articles" / f"{name}.md").write_text(
            f"Title: {title}\nSlug: {name}\nDate: 2024-01-02\n\nText.\n", encoding="utf-8"
        )
    output = tmp_path / "output"
    result = run_build(output, content=content, production=False)
    assert result.returncode == 0, result.stderr
    assert (
        "WARNING: articles/hebrew.md: the share card's fonts have no Hebrew letters, so links to it "
        "preview with the site's card; give it an Image: for a picture of its own"
    ) in result.stderr
    assert "greek.md" not in result.stderr
    site, hebrew, greek = (
        preview(output, ""),
        preview(output, "2024/01/hebrew"),
        preview(output, "2024/01/greek"),
    )
    assert hebrew["og:image"] == site["og:image"] and hebrew["og:image:alt"] == site["og:image:alt"]
    soup = BeautifulSoup((output / "2024/01/hebrew/index.html").read_text(encoding="utf-8"), "html.parser")
    assert ld_image(soup) == site["og:image"]
    assert card_file(output, greek).read_bytes() == cards.draw_card("Ξεν στο Linux", "Dom0 Dispatch", COLOURS)
