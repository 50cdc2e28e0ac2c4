"""Share cards: the 1200×630 PNG a link preview shows for a post that has no picture.

Drawn with Pillow in the site's colours (read from the theme's tokens.css, light scheme)
with the site mark (the favicon's ring) and Pillow's own scalable font, which Pillow
carries inside itself: every machine draws the same pixels, and the build depends on no
font file a fresh machine might lack. Title lines are wrapped to the card, and a title too
long for four lines at the smallest size is cut at a word with an ellipsis.

A cold build draws one card per post, so a card must be cheap (about 2 ms, where an
RGB card with stroked text cost 17.5 ms; docs/performance.md):

- it is a 16-colour palette PNG (4 bits a pixel, zlib's run-length strategy): nine
  shades from the background to the text colour for the antialiased text, and the
  mark's and stripes' colours. It encodes in 1.5 ms where RGB took 11, and is 15 KB
  instead of 49;
- what every card shares (background, stripes, mark, site name) is drawn once per
  process and copied (``base``);
- the title is laid out in a greyscale mask from glyphs rendered once per process
  (``glyph``), made bold by laying the mask over itself shifted (``BOLD``; a stroke
  cost twice the drawing), then turned into palette indices with a lookup table;
- the title is wrapped with each word measured once per process, not every candidate
  line.
"""

import functools
import hashlib
import io
import re
import zlib
from pathlib import Path

import PIL
from PIL import Image, ImageChops, ImageDraw, ImageFont, features

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
MARK = 88
STRIPE = 12
TITLE_SIZES = (72, 62, 52)  # the largest at which the title fits in MAX_LINES
TITLE_TOP = MARGIN + MARK + 56
LINE_SPACING = 1.2
MAX_LINES = 4
NAME_SIZE = 40
# The title is made bold by laying its mask over itself shifted by each step in turn:
# one pixel right and one down thickens each stroke by a pixel each way (the stroke of
# one pixel it replaces added two, and 1.7 ms a card; this adds 0.3).
BOLD = ((1, 0), (0, 1))
SHADES = 9  # background to text, both included: 16 colours with the mark's six and the border
# zlib's run-length strategy suits rows of one colour: about 1.5 ms and 15 KB a card,
# where the default strategy took 1.8 ms for 19 KB at level 1 and 3.5 ms for 15 KB at 6.
ZLIB = {"compress_level": 1, "compress_type": zlib.Z_RLE}
TOKEN = re.compile(r"--color-([a-z-]+):\s*(#[0-9a-fA-F]{6})\b")
CODE_DIGEST = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=8).hexdigest()
VERSIONS = [PIL.__version__, features.version("freetype2"), features.version("zlib")]


def palette(tokens_css: str) -> dict:
    """The light scheme's colours: the first ``:root`` block of tokens.css."""
    first_block = tokens_css.split("}", 1)[0]
    return {name: value for name, value in TOKEN.findall(first_block)}


def design_version(colours: dict) -> str:
    """Changes whenever the drawing could: this code, the colours, Pillow, FreeType and zlib."""
    parts = [CODE_DIGEST, sorted(colours.items()), VERSIONS]
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()


def card_key(title: str, site_name: str, version: str) -> str:
    """Names a card's file and its cache entry: everything that makes its bytes."""
    return hashlib.blake2b(repr((title, site_name, version)).encode(), digest_size=16).hexdigest()


@functools.lru_cache(maxsize=8)
def font(size: int):
    return ImageFont.load_default(size=size)


@functools.lru_cache(maxsize=1 << 16)
def word_width(size: int, word: str) -> float:
    """Titles share most of their words: each is measured once per process and size.
    Whole lines go through it too, as fitting a title and laying it out both measure them."""
    return font(size).getlength(word)


def wrap(text: str, face, max_width: int) -> list[str]:
    """Greedy word wrap; a word wider than a line is broken between characters. A line's
    width is the sum of its words' and spaces' widths (the font has no kerning across a
    space: ``fit_title`` checks the result)."""
    space = word_width(face.size, " ")
    lines, line, width = [], "", 0.0
    for word in text.split():
        measured = word_width(face.size, word)
        if line and width + space + measured <= max_width:
            line, width = f"{line} {word}", width + space + measured
            continue
        if line:
            lines.append(line)
        if measured <= max_width:
            line, width = word, measured
            continue
        line = ""
        for character in word:
            if line and face.getlength(line + character) > max_width:
                lines.append(line)
                line = ""
            line += character
        width = face.getlength(line)
    if line:
        lines.append(line)
    return lines


def fit_title(title: str, max_width: int) -> tuple:
    """(font, lines): the largest size that holds the title, else the smallest, shortened."""
    for size in TITLE_SIZES:
        face = font(size)
        lines = wrap(title, face, max_width)
        if len(lines) <= MAX_LINES:
            break
    else:
        lines = lines[:MAX_LINES]
        last = lines[-1]
        while last and face.getlength(last + " …") > max_width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines[-1] = f"{last} …".strip()
    if any(word_width(face.size, line) > max_width for line in lines):
        raise ValueError(f"the title {title!r} was wrapped wider than the card")
    return face, lines


def mix(one: str, other: str, share: float) -> tuple:
    """The colour ``share`` of the way from ``one`` to ``other`` (#rrggbb)."""
    a, b = (tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5)) for colour in (one, other))
    return tuple(round(x + (y - x) * share) for x, y in zip(a, b, strict=True))


def colour_table(colours: dict) -> list[tuple]:
    """The card's 16 colours. The first SHADES run from the background (index 0) to the
    text colour, so a text mask maps straight onto them; then the mark's colours, from
    ACCENT to white and to the background, and the bottom stripe's."""
    bg, text, accent = colours["bg"], colours["text"], colours["accent"]
    shades = [mix(bg, text, step / (SHADES - 1)) for step in range(SHADES)]
    mark = [mix(accent, "#ffffff", share) for share in (0, 1 / 3, 2 / 3, 1)]
    edges = [mix(accent, bg, share) for share in (1 / 3, 2 / 3)]
    return shades + mark + edges + [mix(colours["border"], bg, 0)]


ACCENT, BORDER = SHADES, 15


def nearest(colour: tuple, table: list[tuple]) -> int:
    """The index of the entry of ``table`` closest to ``colour``."""
    distances = [sum((a - b) ** 2 for a, b in zip(colour, entry, strict=True)) for entry in table]
    return distances.index(min(distances))


def site_mark(size: int, colours: dict) -> Image.Image:
    """The favicon (a rounded square with a ring, on a 32-unit grid), drawn four times
    larger and scaled down so its curves are smooth."""
    scale = size * 4 / 32
    big = Image.new("RGBA", (size * 4, size * 4), (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)
    corner = round(7 * scale)
    draw.rounded_rectangle((0, 0, size * 4 - 1, size * 4 - 1), radius=corner, fill=colours["accent"])
    outer, inner = 10.5 * scale, 6.5 * scale  # ring radius 8.5 with a stroke of 4
    centre = 16 * scale
    draw.ellipse((centre - outer, centre - outer, centre + outer, centre + outer), fill="#ffffff")
    draw.ellipse((centre - inner, centre - inner, centre + inner, centre + inner), fill=colours["accent"])
    return big.resize((size, size), Image.Resampling.LANCZOS)


def mark_indices(colours: dict, table: list[tuple]) -> Image.Image:
    """The site mark on the background, each pixel the nearest of the card's colours
    (exactly: Pillow's own quantizer rounds, and took white for the near-white background)."""
    mark = site_mark(MARK, colours)
    flat = Image.new("RGB", mark.size, colours["bg"])
    flat.paste(mark, (0, 0), mark)
    choice = {colour: nearest(colour, table) for _, colour in flat.getcolors(MARK * MARK)}
    pixels = flat.tobytes()
    indices = bytes(choice[tuple(pixels[i : i + 3])] for i in range(0, len(pixels), 3))
    return Image.frombytes("L", flat.size, indices)


def text_mask(size: tuple, lines: list[str], face, line_height: int, anchor: str, top=0) -> Image.Image:
    """``lines`` drawn in white on black, one every ``line_height`` from (0, ``top``)."""
    mask = Image.new("L", size)
    draw = ImageDraw.Draw(mask)
    for number, line in enumerate(lines):
        draw.text((0, top + number * line_height), line, font=face, fill=255, anchor=anchor)
    return mask


@functools.lru_cache(maxsize=4)
def base(site_name: str, colour_items: tuple) -> tuple[Image.Image, bytes]:
    """What every card of the site shares, as an "L" image of palette indices, and the palette."""
    colours = dict(colour_items)
    table = colour_table(colours)
    card = Image.new("L", (WIDTH, HEIGHT), 0)
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, WIDTH, STRIPE), fill=ACCENT)
    draw.rectangle((0, HEIGHT - STRIPE, WIDTH, HEIGHT), fill=BORDER)
    card.paste(mark_indices(colours, table), (MARGIN, MARGIN))
    name_left = MARGIN + MARK + 28
    name = text_mask((WIDTH - MARGIN - name_left, MARK), [site_name], font(NAME_SIZE), 0, "lm", MARK // 2)
    card.paste(name.point(SHADE_OF), (name_left, MARGIN))
    return card, bytes(value for colour in table for value in colour)


# A mask's coverage (0-255) to the nearest of the shades from background to text.
SHADE_OF = [round(value * (SHADES - 1) / 255) for value in range(256)]


@functools.lru_cache(maxsize=1 << 12)
def glyph(size: int, character: str) -> tuple:
    """A character's mask at ``size``, where it sits from the pen (anchor "la"), and its
    advance: titles share their letters, and rendering them was most of a card's drawing."""
    face = font(size)
    left, top, right, bottom = face.getbbox(character, anchor="la")
    mask = Image.new("L", (max(1, right - left), max(1, bottom - top)))
    ImageDraw.Draw(mask).text((-left, -top), character, font=face, fill=255, anchor="la")
    return mask, (left, top), face.getlength(character)


def set_line(mask: Image.Image, line: str, face, top: int) -> bool:
    """Lay ``line``'s glyphs along the pen from (0, ``top``): the same pixels as Pillow
    drawing the line (tests/test_share_cards.py), with each glyph rendered once per
    process. False (nothing drawn) where Pillow would place glyphs otherwise: kerning, or
    an advance of part of a pixel."""
    glyphs = [glyph(face.size, character) for character in line]
    advances = [advance for *_, advance in glyphs]
    if sum(advances) != word_width(face.size, line) or not all(a.is_integer() for a in advances):
        return False
    pen = 0
    for image, (left, up), advance in glyphs:
        mask.paste(255, (pen + left, top + up), image)
        pen += int(advance)
    return True


def title_shades(lines: list[str], face) -> Image.Image:
    """The title as palette indices 0 (background) to SHADES - 1 (text), faux-bold."""
    line_height = round(face.size * LINE_SPACING)
    size = (WIDTH - 2 * MARGIN + 2, line_height * (len(lines) - 1) + face.size + 24)
    mask = Image.new("L", size)
    for number, line in enumerate(lines):
        if not set_line(mask, line, face, number * line_height):
            ImageDraw.Draw(mask).text((0, number * line_height), line, font=face, fill=255, anchor="la")
    for step in BOLD:
        mask = ImageChops.lighter(mask, shifted(mask, *step))
    return mask.point(SHADE_OF)


def shifted(mask: Image.Image, right: int, down: int) -> Image.Image:
    """``mask`` moved by (right, down); the mask's blank right and bottom edges fall off."""
    moved = Image.new("L", mask.size)
    moved.paste(mask.crop((0, 0, mask.width - right, mask.height - down)), (right, down))
    return moved


def draw_card(title: str, site_name: str, colours: dict) -> bytes:
    indices, table = base(site_name, tuple(sorted(colours.items())))
    card = indices.copy()
    face, lines = fit_title(title, WIDTH - 2 * MARGIN)
    card.paste(title_shades(lines, face), (MARGIN, TITLE_TOP))
    card.putpalette(table)  # "L" indices become a "P" image
    buffer = io.BytesIO()
    card.save(buffer, "PNG", bits=4, **ZLIB)
    return buffer.getvalue()
