"""Pictures in posts (plugins/images/): what a reader's browser is offered and what the build writes.

Unit tests call the plugin on Markdown rendered as Pelican renders it; build tests read
the HTML and the image files a production build of made-up content publishes.
"""

import io
import json
import logging
import os
import posixpath
import re
import shutil
import struct
import time
import zlib
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
import pytest
from bs4 import BeautifulSoup
from conftest import SITEURL, new_content, run_build
from imagehelpers import save_photo
from lxml import etree
from PIL import Image
from pluginhelpers import site_settings

from plugins import images
from plugins.images import picture_cache, variants
from sitebuild import Build
from sitebuild.build import atomic

PHONE_WIDTH, PHONE_DPR = 390, 3
BUDGET = 60_000


@pytest.fixture
def build(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    # As sitebuild/build/pipeline.py runs every build.
    site = Build(cache=tmp_path / "cache", fingerprint="f" * 32)
    settings = site_settings(PATH=str(content), SITEBUILD=site, SITEURL="")
    return images.Pictures(settings)


def render(build, markdown_text, post="articles/post.md", first_is_eager=True):
    settings = build.settings["MARKDOWN"]
    html = markdown.Markdown(
        extensions=list(settings["extension_configs"]),
        extension_configs=settings["extension_configs"],
        output_format="html",
    ).convert(markdown_text)

    def picture(relative, alt, target):
        return build.picture(post, target, relative, alt)

    rewritten = images.rewrite(html, "articles", picture, first_is_eager=first_is_eager)
    return BeautifulSoup(rewritten, "html.parser")


def candidates(srcset):
    return [(url, int(width[:-1])) for url, width in (item.split() for item in srcset.split(", "))]


def test_a_picture_named_with_a_quote_becomes_a_picture(build):
    for name in QUOTED_NAMES:
        save_photo(build.content_root / "images" / name, 700, 500)
    soup = render(
        build, "![Ada's]({static}/images/Ada's rack.jpg)\n\n![Bo's]({static}/images/Bo \"big\" rack.png)\n"
    )
    assert [(p.img["alt"], p.img["width"]) for p in soup.find_all("picture")] == [
        ("Ada's", "700"),
        ("Bo's", "700"),
    ]


def css_px(length, viewport):
    """A `sizes` length (px, rem, vw or calc(Avw - Brem)) in CSS pixels."""
    if match := re.fullmatch(r"calc\((\d+)vw - ([\d.]+)rem\)", length):
        return viewport * int(match[1]) / 100 - float(match[2]) * 16
    number, unit = re.fullmatch(r"([\d.]+)(px|rem|vw)", length).groups()
    return float(number) * {"px": 1, "rem": 16, "vw": viewport / 100}[unit]


def slot_width(sizes, viewport):
    """The width `sizes` gives a picture on a screen ``viewport`` CSS px wide, as a browser reads it."""
    for entry in sizes.split(", "):
        if match := re.fullmatch(r"\(min-width: ([\d.]+rem)\) (.+)", entry):
            if viewport >= css_px(match[1], viewport):
                return css_px(match[2], viewport)
        else:
            return css_px(entry, viewport)


def chosen(srcset, sizes, viewport, dpr):
    """The candidate a browser downloads: the narrowest at least slot × DPR wide, else the widest."""
    need = slot_width(sizes, viewport) * dpr
    found = sorted(candidates(srcset), key=lambda c: c[1])
    return next((c for c in found if c[1] >= need), found[-1])


def test_markdown_images_become_pictures_with_their_box_and_lazy_after_the_first(build):
    save_photo(build.content_root / "images" / "rack.jpg", 1800, 1200)
    soup = render(
        build,
        '![A "rack" & more]({static}/images/rack.jpg "The rack")\n\n'
        "/// caption\nThe rack, *seen* from the front.\n///\n\n"
        "Text.\n\n![Second]({static}../images/rack.jpg)\n",
    )
    first, second = soup.find_all("picture")
    for picture in (first, second):
        img, source = picture.img, picture.source
        assert (img["width"], img["height"]) == ("1600", "1067")
        assert img["decoding"] == "async" and img["sizes"] == source["sizes"] == build.settings["IMAGE_SIZES"]
        assert source["type"] == "image/avif"
        assert [w for _, w in candidates(source["srcset"])] == [480, 800, 1200, 1600]
        assert [w for _, w in candidates(img["srcset"])] == [480, 800, 1200, 1600]
        assert all(url.endswith(".jpg") for url, _ in candidates(img["srcset"]))
    assert first.img["alt"] == 'A "rack" & more' and first.img["title"] == "The rack"
    assert "loading" not in first.img.attrs and first.img["fetchpriority"] == "high"
    assert second.img["loading"] == "lazy" and "fetchpriority" not in second.img.attrs
    assert first.find_parent("figure").figcaption.get_text().strip() == "The rack, seen from the front."


def test_every_picture_is_lazy_when_a_lead_image_comes_first(build):
    save_photo(build.content_root / "images" / "rack.jpg", 600, 400)
    soup = render(build, "![Rack]({static}/images/rack.jpg)", first_is_eager=False)
    assert soup.img["loading"] == "lazy"


@pytest.mark.system  # about 2 s of CPU: too slow for the unit tier
def test_a_phone_downloads_at_most_60_kb_for_a_full_width_photo(build):
    save_photo(build.content_root / "images" / "photo.jpg")
    source = render(build, "![Photo]({static}/images/photo.jpg)").source
    url, width = chosen(source["srcset"], source["sizes"], PHONE_WIDTH, PHONE_DPR)
    data = build.outputs[url.lstrip("/")]
    with Image.open(io.BytesIO(data)) as picture:
        assert (picture.format, picture.size) == ("AVIF", (width, round(width * 2 / 3)))
    assert width >= (PHONE_WIDTH - 32) * PHONE_DPR
    assert len(data) <= BUDGET, {path: len(d) for path, d in build.outputs.items()}


def test_a_small_picture_is_never_enlarged(build):
    save_photo(build.content_root / "images" / "small.png", 600, 400)
    img = render(build, "![Small]({static}/images/small.png)").img
    assert [w for _, w in candidates(img["srcset"])] == [480, 600]
    assert (img["width"], img["height"]) == ("600", "400") and img["src"].endswith(".png")


def test_a_camera_photo_is_shown_upright(build):
    path = build.content_root / "images" / "turned.jpg"
    path.parent.mkdir()
    stored = Image.new("RGB", (300, 200), "red")
    stored.paste("blue", (150, 0, 300, 200))  # stored on its side: red on the left is the top
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate a quarter turn clockwise to show it
    stored.save(path, exif=exif)
    img = render(build, "![Turned]({static}/images/turned.jpg)").img
    assert (img["width"], img["height"]) == ("200", "300")
    with Image.open(io.BytesIO(build.outputs[img["src"].lstrip("/")])) as picture:
        assert picture.size == (200, 300) and not picture.getexif()
        top, bottom = picture.getpixel((40, 30)), picture.getpixel((40, 270))
    assert top[0] > 200 > top[2] and bottom[2] > 200 > bottom[0]


def test_a_16_bit_grey_png_keeps_its_shades(build):
    path = build.content_root / "images" / "scan.png"
    path.parent.mkdir()
    scan = Image.new("I;16", (300, 200), 30000)  # 46 % grey, as a scanner saves it
    scan.paste(Image.new("I;16", (100, 200), 1000))
    scan.save(path, transparency=1000)  # the left third see-through
    img = render(build, "![Scan]({static}/images/scan.png)").img
    for url, _ in candidates(img["srcset"]):
        with Image.open(io.BytesIO(build.outputs[url.lstrip("/")])) as picture:
            picture = picture.convert("RGBA")
            assert picture.getpixel((picture.width - 10, 10)) == (117, 117, 117, 255)
            assert picture.getpixel((10, 10))[3] == 0


def test_variants_are_byte_identical_and_come_from_the_cache(build, monkeypatch):
    source_path = save_photo(build.content_root / "images" / "rack.jpg", 900, 600)
    source = variants.open_source(source_path, 10**8)
    fresh = variants.variants(source, (480, 800), None)
    assert variants.variants(source, (480, 800), None) == fresh
    cached = variants.variants(source, (480, 800), build.cache)
    monkeypatch.setattr(variants, "decode", lambda source: pytest.fail("decoded although cached"))
    assert variants.variants(source, (480, 800), build.cache) == cached == fresh


def test_a_changed_picture_gets_new_addresses(build):
    path = save_photo(build.content_root / "images" / "rack.jpg", 900, 600)
    before = render(build, "![Rack]({static}/images/rack.jpg)").img["srcset"]
    picture = Image.open(path)
    picture.putpixel((0, 0), (255, 0, 0))
    picture.save(path, quality=90)
    assert render(build, "![Rack]({static}/images/rack.jpg)").img["srcset"] != before


def png_header(width, height):
    """A PNG that claims ``width``×``height`` pixels in a few dozen bytes."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


def truncated_jpeg(path):
    save_photo(path, 800, 600)
    path.write_bytes(path.read_bytes()[:20_000])


def animated_png(path):
    frames = [Image.new("RGB", (10, 10), colour) for colour in ("white", "red")]
    frames[0].save(path, save_all=True, append_images=frames[1:])


BAD_IMAGES = {
    "text.jpg": (lambda p: p.write_text("not a picture"), "is not an image the build can read"),
    "cut.jpg": (truncated_jpeg, "is damaged (truncated or corrupt)"),
    "bomb.png": (lambda p: p.write_bytes(png_header(50_000, 50_000)), "has more pixels"),
    "moving.gif": (lambda p: Image.new("P", (10, 10)).save(p), "is a GIF image"),
    "missing.jpg": (lambda p: None, "does not exist"),
    "moving.png": (animated_png, "is an animated PNG; pictures are published still"),
}


@pytest.mark.parametrize("name", BAD_IMAGES)
def test_a_bad_picture_is_refused_naming_the_post_and_the_file(build, caplog, name):
    make, problem = BAD_IMAGES[name]
    (build.content_root / "images").mkdir()
    make(build.content_root / "images" / name)
    with caplog.at_level(logging.ERROR):
        soup = render(build, f"![Bad]({{static}}/images/{name})", post="articles/bad.md")
    assert soup.find("picture") is None and build.outputs == {}
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.getMessage().startswith(f"articles/bad.md: the image {{static}}/images/{name} {problem}")


def test_a_linked_file_in_the_share_cards_folder_is_refused(tmp_path):
    """The build writes every file under images/cards/: a linked original named like a card
    was copied over it, and every page previewed with the author's picture, the build silent."""
    content = new_content(tmp_path)
    (content / "images" / "cards").mkdir(parents=True)
    Image.new("RGB", (1200, 630), "green").save(content / "images" / "cards" / "b4964ecebc.png")
    (content / "articles" / "post.md").write_text(
        "Title: A post\nDate: 2011-06-01\n\n[Full size]({static}/images/cards/b4964ecebc.png)\n"
    )
    result = run_build(tmp_path / "output", content=content)
    assert result.returncode == 1
    published = "would be published at images/cards/b4964ecebc.png, inside images/cards/"
    assert f"images/cards/b4964ecebc.png: {published}, which holds the share cards" in result.stderr


def test_a_picture_outside_content_is_refused(build, caplog, tmp_path):
    save_photo(tmp_path / "secret.jpg", 100, 100)
    with caplog.at_level(logging.ERROR):
        assert render(build, "![x]({static}/../secret.jpg)").find("picture") is None
    assert "is outside content/" in caplog.text


# --- The published site --------------------------------------------------------------

LEAD = """Title: Racks, "cables" & <more>
Date: 2024-01-02
Category: news
Image: {static}/images/rack.jpg
Image_alt: A rack of servers, front panel lit

Intro.

![A cable loom]({static}/images/loom.png)

/// caption
Cables, *tied*.
///
"""
PLAIN = "Title: No picture\nDate: 2024-01-03\nCategory: news\n\nBody.\n"


def made_up_site(folder):
    content = new_content(folder)
    save_photo(content / "images" / "rack.jpg")
    Image.open(save_photo(folder / "loom.jpg", 1000, 700)).save(content / "images" / "loom.png")
    (content / "articles" / "lead.md").write_text(LEAD, encoding="utf-8")
    (content / "articles" / "plain.md").write_text(PLAIN, encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def pictured(tmp_path_factory):
    """Two cold production builds of made_up_site(): (one/output, two/output), each beside its
    own cache (one/cache, two/cache); the content is in content/ beside one/ and two/."""
    folder = tmp_path_factory.mktemp("pictured")
    content = made_up_site(folder)
    first = run_build(folder / "one" / "output", content=content)
    second = run_build(folder / "two" / "output", content=content)  # its own, empty cache
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    return folder / "one" / "output", folder / "two" / "output"


def cold_build_of(pictured, folder):
    """A copy in ``folder`` of the content, output/ and cache/ of pictured's first cold build,
    for a test that changes them; returns the content folder."""
    one = pictured[0]
    shutil.copytree(one.parent.parent / "content", folder / "content")
    shutil.copytree(one, folder / "output")
    atomic.record_built(folder / "output")
    shutil.copytree(one.parent / "cache", folder / "cache")
    return folder / "content"


def soup_of(output, relative):
    return BeautifulSoup((output / relative / "index.html").read_text(encoding="utf-8"), "html.parser")


def local(output, url):
    assert url.startswith(f"{SITEURL}/")
    return output / url.removeprefix(f"{SITEURL}/")


def test_the_built_post_offers_each_picture_as_published_files_of_its_stated_size(pictured):
    output = pictured[0]
    soup = soup_of(output, "2024/01/racks-cables")
    lead, body = soup.find_all("picture")
    assert lead.find_parent("figure")["class"] == ["lead-image"] and lead.img["alt"].startswith("A rack")
    assert lead.img.get("fetchpriority") == "high" and body.img["loading"] == "lazy"
    for picture, expected_format in ((lead, "JPEG"), (body, "PNG")):
        ratio = int(picture.img["width"]) / int(picture.img["height"])
        offered = ((picture.img["srcset"], expected_format), (picture.source["srcset"], "AVIF"))
        for srcset, image_format in offered:
            for url, width in candidates(srcset):
                with Image.open(local(output, url)) as published:
                    assert published.format == image_format and published.width == width
                    assert abs(published.width / published.height - ratio) < 0.01
                    assert not published.info.get("exif") and not published.info.get("icc_profile")
    assert soup.find("meta", property="og:image:alt")["content"] == "A rack of servers, front panel lit"
    with Image.open(local(output, soup.find("meta", property="og:image")["content"])) as shared:
        assert shared.format == "JPEG" and shared.width == 1200


def published(output):
    """Every file but the search index (Pagefind's own, not the pictures')."""
    files = (p.relative_to(output) for p in output.rglob("*") if p.is_file())
    return sorted(p for p in files if "pagefind" not in p.parts)


def test_two_builds_publish_byte_identical_pictures_and_pages(pictured):
    one, two = pictured
    files = published(one)
    assert [p for p in files if p.parts[0] == "images"], "no pictures were published"
    assert published(two) == files
    assert [p for p in files if (one / p).read_bytes() != (two / p).read_bytes()] == []


def cached_files(cache):
    return sorted(p.relative_to(cache) for p in cache.glob("images/**/*") if p.is_file())


@pytest.mark.parametrize("production", [False, True], ids=["development", "production"])
def test_a_rebuild_takes_every_picture_from_the_cache_and_tidies_it(tmp_path, production, pictured):
    """Production too: every key covers all that makes the bytes, so nothing can be stale,
    and a cold build draws a card for every post (seconds of CPU at thousands). The cold
    production build is pictured's first (the same content, site URL and empty cache). Then
    the cache loses what killed processes left and old entries no build uses, nothing else."""
    siteurl = SITEURL if production else None
    if production:
        content = cold_build_of(pictured, tmp_path)
    else:
        content = made_up_site(tmp_path)
        assert run_build(tmp_path / "output", content=content, production=False, siteurl=None).returncode == 0
    cache = cached_files(tmp_path / "cache")
    assert len(cache) == 2 * 4 + 2 * 3 + 3  # 4 and 3 widths in two formats; three cards (a post, two pages)
    images, hour, months = tmp_path / "cache" / "images", 3600, 60 * 24 * 3600
    aged = {  # path: age in seconds
        images / f"{'0a' * 16}.123.tmp": hour,  # left by killed processes
        images / "cards" / f"{'0b' * 16}.png.123.tmp": hour,
        images / ("0c" * 16): months,  # a picture and a card no build uses any more
        images / "cards" / f"{'0d' * 16}.png": months,
        images / "cards" / f"{'0e' * 16}.png.456.tmp": 0,  # being written
        images / "cards" / f"{'0f' * 16}.png": 0,  # made by another build meanwhile
    }
    for path, age in aged.items():
        path.write_bytes(b"an entry")
        os.utime(path, (time.time() - age,) * 2)
    for entry in cache:  # still used, however long ago made
        os.utime(tmp_path / "cache" / entry, (time.time() - months,) * 2)
    (content / "articles" / "plain.md").write_text(PLAIN.replace("Body.", "Body, edited."))
    assert (
        run_build(tmp_path / "output", content=content, production=production, siteurl=siteurl).returncode
        == 0
    )
    kept = [path.relative_to(tmp_path / "cache") for path, age in aged.items() if age == 0]
    assert cached_files(tmp_path / "cache") == sorted([*cache, *kept])


@pytest.mark.parametrize(
    "front_matter, problem",
    [
        ("Image: {static}/images/rack.jpg\n", "articles/bad.md: has an Image but no Image_alt"),
        (  # the file is there: the message gives the form that shows it
            "Image: images/rack.jpg\nImage_alt: A rack\n",
            "articles/bad.md: has Image: images/rack.jpg; write it as {static}/images/rack.jpg.\n",
        ),
        (
            "Image: /images/rack.jpg\nImage_alt: A rack\n",
            "articles/bad.md: has Image: /images/rack.jpg; write it as {static}/images/rack.jpg.\n",
        ),
        (
            "Image: https://example.org/rack.jpg\nImage_alt: A rack\n",
            "has Image: https://example.org/rack.jpg; write it as {static}/images/name.jpg (a path under "
            "content/).",
        ),
        (
            "Image: {static}/images/gone.jpg\nImage_alt: A rack\n",
            "articles/bad.md: the image {static}/images/gone.jpg does not exist",
        ),
        ("Image_caption: A rack\n", "articles/bad.md: has Image_caption but no Image. Add the Image: field"),
        ("Image_credit: Ada\n", "articles/bad.md: has Image_credit but no Image. Add the Image: field"),
    ],
)
def test_a_wrong_image_field_fails_the_build_naming_the_post(tmp_path, front_matter, problem):
    content = new_content(tmp_path)
    save_photo(content / "images" / "rack.jpg", 600, 400)
    (content / "articles" / "bad.md").write_text(f"Title: Bad\nDate: 2024-01-02\n{front_matter}\nText.\n")
    result = run_build(tmp_path / "output", content=content)
    assert result.returncode != 0 and problem in result.stderr, result.stderr
    assert not (tmp_path / "output").exists()


def test_a_picture_named_in_another_case_is_named_as_it_is_and_a_missing_one_once(tmp_path):
    """Linux and the server tell rotated.JPG from rotated.jpg: the build said "does not exist …
    check the path", with no word of the file meant; and a missing picture in a post's text was
    refused twice, by the pictures and by the links."""
    content = new_content(tmp_path)
    save_photo(content / "images" / "rotated.jpg", 600, 400)
    (content / "articles" / "bad.md").write_text(
        "Title: Bad\nDate: 2024-01-02\nImage: {static}/Images/Rotated.jpg\nImage_alt: A rack\n\n"
        "![A rack]({static}/images/rotated.JPG)\n\n![Gone]({static}/images/gone.jpg)\n"
    )
    result = run_build(tmp_path / "output", content=content, production=False, siteurl=None)
    assert result.returncode == 1
    case = "Did you mean {static}/images/rotated.jpg? A path's case counts."
    assert [line.strip() for line in result.stderr.splitlines() if "error:" in line] == [
        f"error: articles/bad.md: the image {{static}}/Images/Rotated.jpg does not exist. {case}",
        "error: articles/bad.md: links to {static}/images/rotated.JPG, but content/images/rotated.JPG "
        f"does not exist. {case}",
        "error: articles/bad.md: links to {static}/images/gone.jpg, but content/images/gone.jpg does not "
        "exist. Fix the path (relative to this file, or starting with / for content/) or remove the link.",
    ]
    assert not (tmp_path / "output").exists()


def test_a_damaged_picture_fails_the_build_naming_the_post_and_the_file(tmp_path):
    content = new_content(tmp_path)
    truncated_jpeg(content / "images" / "cut.jpg")
    post = "Title: Bad\nDate: 2024-01-02\n\n![Cut]({static}/images/cut.jpg)\n"
    (content / "articles" / "bad.md").write_text(post)
    result = run_build(tmp_path / "output", content=content)
    assert result.returncode != 0
    assert "articles/bad.md: the image {static}/images/cut.jpg is damaged" in result.stderr, result.stderr


def test_a_picture_over_the_pixel_limit_is_refused_before_it_is_decoded(build, caplog):
    save_photo(build.content_root / "images" / "wide.jpg", 1000, 100)
    build.settings["IMAGE_MAX_PIXELS"] = 99_999
    with caplog.at_level(logging.ERROR):
        assert render(build, "![Wide]({static}/images/wide.jpg)").find("picture") is None
    expected = (
        "the image {static}/images/wide.jpg has more pixels (1000×100) than the limit of 99,999. "
        "Scale it down (or raise IMAGE_MAX_PIXELS in pelicanconf.py)"
    )
    assert expected in caplog.text


def test_a_multi_picture_jpeg_is_published_from_its_primary_picture(build):
    path = build.content_root / "images" / "phone.jpg"
    path.parent.mkdir()
    primary, depth_map = Image.new("RGB", (800, 600), (200, 10, 10)), Image.new("RGB", (800, 600), "blue")
    primary.save(path, "MPO", save_all=True, append_images=[depth_map])
    img = render(build, "![A red square]({static}/images/phone.jpg)").img
    assert img["src"].endswith(".jpg") and (img["width"], img["height"]) == ("800", "600")
    with Image.open(io.BytesIO(build.outputs[img["src"].lstrip("/")])) as published:
        assert published.format == "JPEG" and getattr(published, "n_frames", 1) == 1
        red, _, blue = published.getpixel((400, 300))
    assert red > 150 > blue


def test_a_picture_too_long_for_avif_and_jpeg_is_refused_by_name(build, caplog):
    path = build.content_root / "images" / "strip.png"
    path.parent.mkdir()
    Image.new("RGB", (1, 70_000), (10, 20, 30)).save(path)
    with caplog.at_level(logging.ERROR):
        assert render(build, "![A strip]({static}/images/strip.png)").find("picture") is None
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.getMessage() == (
        "articles/post.md: the image {static}/images/strip.png would need a copy of 1×70,000 pixels, "
        "longer than the 65,500 pixels a side AVIF and JPEG can hold. "
        "Crop it or split it into several pictures."
    )


def test_a_damaged_or_foreign_cache_entry_is_made_again_never_published(tmp_path, pictured):
    """CI restores cache/images/ from a shared cache: an entry emptied by a full disk or
    replaced by other bytes must not reach the site (nor a published file reach the cache).
    The cache is a copy of pictured's first cold build's, and its output what must be published."""
    content = cold_build_of(pictured, tmp_path / "one")
    cache = tmp_path / "one" / "cache" / "images"
    entries = sorted(p for p in cache.rglob("*") if p.is_file())
    assert entries, "the cold build cached no picture"
    foreign = io.BytesIO()
    Image.new("RGB", (1200, 630), "black").save(foreign, "PNG")
    for number, entry in enumerate(entries):
        entry.write_bytes(b"" if number % 2 else foreign.getvalue())
    result = run_build(tmp_path / "two" / "output", content=content, cache=tmp_path / "one" / "cache")
    assert result.returncode == 0, result.stderr
    assert published_bytes(tmp_path / "two" / "output") == published_bytes(tmp_path / "one" / "output")
    for card in (tmp_path / "two" / "output" / "images" / "cards").iterdir():
        card.write_bytes(b"edited in the output")
    rebuilt = run_build(tmp_path / "three" / "output", content=content, cache=tmp_path / "one" / "cache")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert published_bytes(tmp_path / "three" / "output") == published_bytes(tmp_path / "one" / "output")


def test_a_linked_file_named_as_a_picture_s_resized_copy_is_refused(tmp_path, pictured):
    """Pelican copied a {static}-linked file named like one of a picture's resized copies over
    that copy: readers were served the author's file in its place, and the build said nothing."""
    content = cold_build_of(pictured, tmp_path)
    copy = next(path for path in (tmp_path / "output" / "images").glob("rack.480.*.jpg"))
    name, published = copy.relative_to(tmp_path / "output").as_posix(), copy.read_bytes()
    Image.new("RGB", (480, 320), "green").save(content / name)
    (content / "articles" / "linked.md").write_text(
        f"Title: Linked\nDate: 2024-01-04\n\n[The original]({{static}}/{name})\n", encoding="utf-8"
    )
    result = run_build(tmp_path / "output", content=content, cache=tmp_path / "cache")
    assert result.returncode == 1, result.stderr
    mark = name.removeprefix("images/rack").removesuffix(".jpg")
    assert (
        f"{name}: would be published at {name}, named as the build names its resized copies of pictures "
        f"(name.width.digest.jpg): it would replace the copy of that name. Rename the file (without its "
        f"{mark}), and change its links."
    ) in result.stderr
    assert copy.read_bytes() == published  # the site as it was: a failed build publishes nothing


def published_bytes(output):
    return {path: (output / path).read_bytes() for path in published(output) if path.parts[0] == "images"}


def with_text_after_pixels(path):
    """A PNG whose text chunk follows its pixels, where Pillow finds it only by decoding."""
    data = path.read_bytes()
    text = b"Comment\0taken at home"
    chunk = struct.pack(">I", len(text)) + b"tEXt" + text + struct.pack(">I", zlib.crc32(b"tEXt" + text))
    path.write_bytes(data[:-12] + chunk + data[-12:])


def test_an_original_carrying_metadata_is_refused_wherever_it_would_be_published(tmp_path):
    content = new_content(tmp_path)
    exif = Image.Exif()
    exif[0x010F] = "SECRETCAMERA"
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    Image.new("RGB", (900, 600), (200, 80, 40)).save(content / "extra" / "holiday.jpg", exif=exif)
    Image.new("RGB", (90, 60)).save(content / "extra" / "notes.png")
    with_text_after_pixels(content / "extra" / "notes.png")
    camera = Image.Exif()
    camera[0x0110] = "SECRETMODEL"
    save_photo(content / "images" / "linked.jpg", 600, 400)
    Image.open(content / "images" / "linked.jpg").save(content / "images" / "linked.jpg", exif=camera)
    post = "![The rack]({static}/extra/holiday.jpg)\n\n[The full photo]({static}/images/linked.jpg)\n"
    (content / "articles" / "post.md").write_text(f"Title: Photos\nDate: 2024-01-02\n\n{post}")
    result = run_build(tmp_path / "output", content=content)
    assert result.returncode != 0
    for refused in (
        "extra/holiday.jpg: the file carries location (GPS) and EXIF, which would be published with it. "
        "Put a picture under content/images/ (only clean copies are published from there), or remove "
        "them from the file (e.g. exiftool -all= content/extra/holiday.jpg).",
        "extra/notes.png: the file carries text, which would be published",
        "images/linked.jpg: the file carries EXIF, which would be published",
    ):
        assert refused in result.stderr, result.stderr
    assert not (tmp_path / "output").exists()


def test_an_original_without_metadata_may_be_published(tmp_path):
    Image.new("RGB", (90, 60)).save(tmp_path / "clean.jpg", icc_profile=b"")
    Image.new("RGBA", (90, 60)).save(tmp_path / "clean.png")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4\n")
    for name in ("clean.jpg", "clean.png", "report.pdf"):
        assert images.originals.metadata(tmp_path / name) == []


def test_a_lead_photo_without_a_credit_is_built_with_a_warning_naming_the_post(tmp_path):
    content = new_content(tmp_path)
    save_photo(content / "images" / "rack.jpg", 600, 400)
    photo = "Image: {static}/images/rack.jpg\nImage_alt: A rack\n"
    (content / "articles" / "uncredited.md").write_text(
        f"Title: Uncredited\nDate: 2024-01-02\n{photo}\nText.\n"
    )
    (content / "articles" / "credited.md").write_text(
        f"Title: Credited\nDate: 2024-01-01\n{photo}Image_credit: A. Photographer\n\nText.\n"
    )
    result = run_build(tmp_path / "output", content=content)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "Image_credit" in line]
    problem = "the lead photo has no Image_credit. Name its photographer or source."
    assert warnings == [f"WARNING: articles/uncredited.md: {problem}"]
    # The home page's lead photo is above the fold: it loads first, never lazily.
    home = BeautifulSoup((tmp_path / "output" / "index.html").read_text(encoding="utf-8"), "html.parser")
    lead = home.select_one(".teaser-lead figure.lead-image img")
    assert lead.get("fetchpriority") == "high" and "loading" not in lead.attrs


def test_tidying_a_cache_whose_folder_is_removed_meanwhile_does_nothing(tmp_path, monkeypatch):
    """``invoke clean`` may remove the cache while a build ends: tidying is only clutter."""

    def removed(self, pattern):
        raise FileNotFoundError(2, "No such file or directory", str(self))

    monkeypatch.setattr(Path, "glob", removed)
    picture_cache.tidy(tmp_path / "cache" / "images")


def test_tidying_the_cache_removes_only_its_own_entries(tmp_path, pictured):
    """A cache folder the author shares with other programs (``--cache ~/.cache``) keeps
    their files in images/, however old: the build removes only the entries it names. The
    build takes its own entries from a copy of pictured's cache, and tidies it all the same."""
    content, shared = cold_build_of(pictured, tmp_path), tmp_path / "cache"
    theirs = [
        shared / "images" / "holiday.jpg",
        shared / "images" / "2023" / "beach.png",
        shared / "images" / "x.tmp",
    ]
    for path in theirs:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"a picture of someone else's")
        os.utime(path, (time.time() - 90 * 24 * 3600,) * 2)
    assert run_build(tmp_path / "output", content=content, cache=shared).returncode == 0
    assert [path for path in theirs if not path.is_file()] == []


# --- What is published of posts whose pages are not ----------------------------------

HELD_BACK = {  # name: (front matter, pictures): the first its lead picture, whose original it links
    "published": ("Title: Racks at the summit\nSlug: racks\nDate: 2024-01-02", ("published-lead", "shared")),
    "draft": (
        "Title: Acme to acquire XenSource, sources say\nDate: 2024-01-03\nStatus: draft",
        ("draft-lead", "shared"),
    ),
    "scheduled": ("Title: A launch to come\nDate: 2999-01-01", ("scheduled-lead", "scheduled-body")),
    "hidden": ("Title: A hidden post\nDate: 2024-01-04\nStatus: hidden", ("hidden-lead", "hidden-body")),
    # A draft translation of the published post, with no lead picture: it links the original
    # of the published post's body picture.
    "published-fr": (
        "Title: Des baies au sommet\nSlug: racks\nLang: fr\nDate: 2024-01-02\nStatus: draft",
        ("shared", "fr-body"),
    ),
}


def held_back_site(folder):
    """A published post, a draft, a scheduled and a hidden post, each with a lead picture whose
    original it links and body pictures, a draft translation, and a draft without a picture
    and a draft page, each previewed with a card of its title."""
    content = new_content(folder)
    for name, (front_matter, pictures) in HELD_BACK.items():
        for picture in pictures:
            if not (content / "images" / f"{picture}.jpg").exists():
                save_photo(content / "images" / f"{picture}.jpg", 600, 400)
        lead, *body = pictures
        if name != "published-fr":
            front_matter += f"\nImage: {{static}}/images/{lead}.jpg\nImage_alt: {lead}\nImage_credit: Ada"
        figures = "".join(f"![{picture}]({{static}}/images/{picture}.jpg)\n\n" for picture in body)
        text = (
            f"{front_matter}\nCategory: news\n\nText.\n\n{figures}[Full size]({{static}}/images/{lead}.jpg)\n"
        )
        (content / "articles" / f"{name}.md").write_text(text, encoding="utf-8")
    (content / "articles" / "headline.md").write_text(
        "Title: Embargoed headline\nDate: 2024-01-05\nStatus: draft\n\nEmbargoed.\n", encoding="utf-8"
    )
    save_photo(content / "images" / "page-body.jpg", 600, 400)
    (content / "pages" / "draft-page.md").write_text(
        "Title: A page in progress\nStatus: draft\n\n![A page picture]({static}/images/page-body.jpg)\n",
        encoding="utf-8",
    )
    return content


@pytest.fixture(scope="module")
def held_back(tmp_path_factory):
    """held_back_site() built for production and for development: (production, development)."""
    folder = tmp_path_factory.mktemp("held-back")
    content = held_back_site(folder)
    production, development = folder / "production", folder / "development"
    for output, production_build in ((production, True), (development, False)):
        result = run_build(output, content=content, production=production_build, siteurl=None)
        assert result.returncode == 0, result.stderr
    return production, development


def image_urls(output):
    """Every address of a picture the pages and feeds of ``output`` give: each img's src and
    srcset, each source's srcset, link previews (og:image, twitter:image), JSON-LD images, links
    to files under images/, feed enclosures and JSON Feed images."""
    found = set()
    for page in output.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for element in soup.find_all(["img", "source"]):
            if element.get("srcset"):
                found.update(url for url, _ in candidates(element["srcset"]))
            found.add(element.get("src"))
        found.update(
            meta["content"]
            for meta in soup.find_all("meta")
            if meta.get("content", "").endswith((".png", ".jpg", ".avif"))
        )
        found.update(link["href"] for link in soup.find_all("a", href=True) if "/images/" in link["href"])
        for script in soup.find_all("script", type="application/ld+json"):
            found.update(ld_images(json.loads(script.string)))
    for feed in output.glob("feeds/**/*.xml"):
        found.update(
            element.get("url") or element.get("href")
            for element in etree.parse(feed).iter()
            if element.get("type", "").startswith("image/")
        )
    found.update(
        item["image"]
        for item in json.loads((output / "feeds/all.json").read_text())["items"]
        if "image" in item
    )
    found.discard(None)
    return {url for url in found if not url.startswith("data:")}


def ld_images(data):
    """The address of every ``image`` in JSON-LD, however deep."""
    if isinstance(data, list):
        return {url for item in data for url in ld_images(item)}
    if not isinstance(data, dict):
        return set()
    image = data.get("image")
    own = {image} if isinstance(image, str) else {image["url"]} if isinstance(image, dict) else set()
    return own | {url for value in data.values() for url in ld_images(value)}


def built_pictures(output):
    return {
        p.relative_to(output).as_posix()
        for p in output.glob("images/**/*")
        if p.is_file() and p.suffix not in {".gz", ".br"}
    }


def test_production_publishes_pictures_only_of_the_pages_it_writes(held_back):
    production, _ = held_back
    files = built_pictures(production)
    addressed = {unquote(urlsplit(url).path).lstrip("/") for url in image_urls(production)}
    assert addressed == files  # each picture given resolves to a file, and no other is published
    pictures = {
        posixpath.basename(path).split(".")[0] for path in files if not path.startswith("images/cards/")
    }
    assert pictures == {"published-lead", "shared", "hidden-lead", "hidden-body"}
    originals = {path for path in files if re.fullmatch(r"images/[a-z-]+\.jpg", path)}
    assert originals == {"images/published-lead.jpg", "images/hidden-lead.jpg"}
    # The site's card, and the corrections policy's: every post has a lead picture.
    assert len([path for path in files if path.startswith("images/cards/")]) == 2
    stamp = json.loads((production / ".publish-stamp.json").read_text())["files"]
    assert {
        path for path in stamp if path.startswith("images/") and not path.endswith((".gz", ".br"))
    } == files


def test_development_publishes_the_pictures_of_the_drafts_it_previews(held_back):
    _, development = held_back
    files = built_pictures(development)
    assert {unquote(urlsplit(url).path).lstrip("/") for url in image_urls(development)} == files
    pictures = {
        posixpath.basename(path).split(".")[0] for path in files if not path.startswith("images/cards/")
    }
    assert pictures == {picture for _, names in HELD_BACK.values() for picture in names} | {"page-body"}
    # Besides the site's and the policy's: the headline's, the draft page's and the translation's.
    assert len([path for path in files if path.startswith("images/cards/")]) == 5


FILES = {  # a file under content/: who links it
    "extra/embargo-report.pdf": "the draft",
    "embargoed/report.pdf": "the draft",
    "embargoed/released.pdf": "the published post",
}


def test_production_publishes_all_of_extra_but_of_elsewhere_only_what_a_written_page_links(tmp_path):
    """docs/writing.md, Drafts: everything under STATIC_PATHS (extra/) is published, a draft's
    file too; a file elsewhere under content/ only once a published page links it."""
    content = new_content(tmp_path)
    for path in FILES:
        (content / path).parent.mkdir(exist_ok=True)
        (content / path).write_bytes(b"%PDF-1.4 " + path.encode())
    links = {
        who: "".join(f"[a]({{static}}/{p}) " for p, by in FILES.items() if by == who)
        for who in FILES.values()
    }
    (content / "articles" / "draft.md").write_text(
        f"Title: Embargoed\nDate: 2024-01-03\nStatus: draft\n\n{links['the draft']}\n", encoding="utf-8"
    )
    (content / "articles" / "released.md").write_text(
        f"Title: Released\nDate: 2024-01-02\n\n{links['the published post']}\n", encoding="utf-8"
    )
    output = tmp_path / "output"
    result = run_build(output, content=content)
    assert result.returncode == 0, result.stderr
    stamped = set(json.loads((output / ".publish-stamp.json").read_text())["files"])
    published = {path for path in FILES if (output / path).is_file()}
    assert (
        published
        == {path for path in FILES if path in stamped}
        == {"extra/embargo-report.pdf", "embargoed/released.pdf"}
    )
    assert (output / "embargoed/released.pdf").read_bytes() == (
        content / "embargoed/released.pdf"
    ).read_bytes()
    released = soup_of(output, "2024/01/released").select_one(".post-body a")["href"]
    assert released == f"{SITEURL}/embargoed/released.pdf"
    assert not (output / "drafts").exists() and not (output / "2024/01/embargoed").exists()


# --- File names a URL must encode ----------------------------------------------------

NAMED_BY_A_CAMERA = ("My Photos/Rack Photo.JPG", "Café, 50% off.png")
# Names with quotes, shown in the body, written as they are.
QUOTED_NAMES = ("Ada's rack.jpg", 'Bo "big" rack.png')


@pytest.fixture(scope="module")
def awkward_names(tmp_path_factory):
    """A production build of a post whose lead and body pictures are named with a space, a
    comma, "%", "é" and quotes, as a camera or a colleague names files."""
    folder = tmp_path_factory.mktemp("awkward-names")
    content = new_content(folder)
    lead, body = NAMED_BY_A_CAMERA
    save_photo(content / "images" / lead, 900, 600)
    Image.open(save_photo(folder / "body.jpg", 700, 500)).save(content / "images" / body)
    apostrophe, double = QUOTED_NAMES
    save_photo(content / "images" / apostrophe, 700, 500)
    Image.open(folder / "body.jpg").save(content / "images" / double)
    (content / "articles" / "named.md").write_text(
        f"Title: Named by a camera\nDate: 2024-01-02\nImage: {{static}}/images/{lead}\nImage_alt: A rack\n"
        f"Image_credit: Ada\n\n![A rack]({{static}}/images/{lead})\n\n![A sign]({{static}}/images/{body})\n\n"
        f"![Ada's rack]({{static}}/images/{apostrophe})\n\n![Bo's rack]({{static}}/images/{double})\n",
        encoding="utf-8",
    )
    result = run_build(folder / "output", content=content)
    assert result.returncode == 0, result.stderr
    return folder / "output"


def test_pictures_named_with_spaces_and_accents_get_addresses_that_name_their_files(awkward_names):
    output = awkward_names
    page = soup_of(output, "2024/01/named-by-a-camera")
    for element in page.select("picture img, picture source"):
        # Each candidate: an address without a space or comma, a space, its width.
        assert re.fullmatch(r"[^\s,]+ \d+w(, [^\s,]+ \d+w)*", element["srcset"]), element["srcset"]
    addressed = {unquote(urlsplit(url).path).lstrip("/") for url in image_urls(output)}
    assert all(" " not in url for url in image_urls(output))
    assert addressed == built_pictures(output)
    originals = {posixpath.splitext(name)[0] for name in NAMED_BY_A_CAMERA + QUOTED_NAMES}
    assert {path.removeprefix("images/").split(".")[0] for path in addressed} >= originals


def test_pictures_named_with_quotes_are_published_as_pictures_of_their_size(awkward_names):
    body = soup_of(awkward_names, "2024/01/named-by-a-camera").select_one(".post-body")
    shown = {img["alt"]: img for img in body.find_all("img")}
    assert sorted(shown) == ["A rack", "A sign", "Ada's rack", "Bo's rack"]
    for alt, img in shown.items():
        assert img.parent.name == "picture", alt
        assert (img["width"], img["height"]) == (("900", "600") if alt == "A rack" else ("700", "500")), alt
        for url in [
            img["src"],
            *(u for s in img.parent.find_all(["source", "img"]) for u, _ in candidates(s["srcset"])),
        ]:
            assert re.fullmatch(r"[^\s,'\"]+", url) and local(awkward_names, unquote(url)).is_file(), url


def test_a_link_to_a_file_named_with_letters_beyond_ascii_is_published(tmp_path):
    """An accented name is an IRI a browser encodes itself and the Nu checker accepts: the
    check of links to originals refused "café.pdf" as it refuses a space."""
    content = new_content(tmp_path)
    (content / "extra" / "files").mkdir(parents=True)
    (content / "extra" / "files" / "café.pdf").write_bytes(b"%PDF-1.4 report")
    post = "Title: Linked\nDate: 2024-01-02\n\n[the report]({static}/extra/files/café.pdf)\n"
    (content / "articles" / "linked.md").write_text(post, encoding="utf-8")
    result = run_build(tmp_path / "output", content=content)
    assert result.returncode == 0, result.stderr
    link = soup_of(tmp_path / "output", "2024/01/linked").select_one(".post-body a")
    assert link["href"] == f"{SITEURL}/extra/files/café.pdf"
    assert local(tmp_path / "output", link["href"]).read_bytes() == b"%PDF-1.4 report"
    (content / "extra" / "files" / "report\ufdd0.pdf").write_bytes(b"%PDF-1.4")  # a noncharacter: no IRI's
    (content / "articles" / "linked.md").write_text(post.replace("café", "report\ufdd0"), encoding="utf-8")
    refused = run_build(tmp_path / "refused", content=content)
    assert (
        refused.returncode == 1
        and "articles/linked.md:4: links to {static}/extra/files/report" in refused.stderr
    )


def test_a_link_to_an_original_whose_name_needs_encoding_is_refused_by_line(tmp_path):
    """Pelican writes a {static} link's address as the file's path: a space and "%" went out raw,
    which nginx answers with 400. Its pictures are encoded; the link is refused, naming a fix."""
    content, target = new_content(tmp_path), f"{{static}}/images/{NAMED_BY_A_CAMERA[1]}"
    save_photo(content / "images" / NAMED_BY_A_CAMERA[1], 700, 500)
    post = f"Title: Linked\nDate: 2024-01-02\n\n![A sign]({target})\n\n[full size]({target})\n"
    (content / "articles" / "linked.md").write_text(post, encoding="utf-8")
    result = run_build(tmp_path / "output", content=content)
    assert result.returncode == 1, result.stderr
    assert [line.strip() for line in result.stderr.splitlines() if "error:" in line] == [
        "error: articles/linked.md:6: links to {static}/images/Café, 50% off.png, whose path holds "
        "a space, “%”, which its address would carry unencoded, and a server may refuse. Rename the file "
        "(or folder) to letters, digits, - and _, and link it as {static}/images/cafe-50-off.png."
    ], result.stderr
    assert not (tmp_path / "output").exists()
