"""Share cards: the 1200×630 PNG a link preview shows for a post that has no picture.

Drawn with Pillow in the theme's colours and fonts installed as packages, so every machine
draws the same pixels. A cold build draws one per post: a card is a 16-colour PNG written here
with zlib-ng, as Pillow's encoder took most of its time, and what cards share is drawn once."""

import functools
import hashlib
import re
import struct
import zlib
from importlib.metadata import version
from pathlib import Path

import fontpkg_inter
import fontpkg_noto_sans
import manimgx_fonts
import paperang_p2_fonts_cjk
import PIL
from PIL import Image, ImageDraw, ImageFont, features
from zlib_ng import zlib_ng

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
MARK = 88
STRIPE = 12
TITLE_SIZES = (72, 62, 52)  # the largest at which the title fits in MAX_LINES
TITLE_TOP = MARGIN + MARK + 56
LINE_SPACING = 1.2
MAX_LINES = 4
NAME_SIZE = 40
TITLE_WEIGHT, NAME_WEIGHT = 700, 500  # on the fonts' weight axis: bold, medium
# Tried in this order for each character: Noto Sans for letters (Latin, Greek, Cyrillic
# and more), Inter for the arrows and symbols Noto Sans lacks, WenQuanYi Micro Hei for
# Chinese, Japanese and Korean, Noto Emoji (in outline) for emoji.
FONT_FILES = (
    Path(fontpkg_noto_sans.ROOT) / "files" / "NotoSans[wdth,wght].ttf",
    Path(fontpkg_inter.ROOT) / "files" / "Inter[opsz,wght].ttf",
    Path(paperang_p2_fonts_cjk.__file__).parent / "fonts" / "wqy-microhei.ttc",
    Path(manimgx_fonts.__file__).parent / "NotoEmoji[wght].ttf",
)
FONT_PACKAGES = ("fontpkg-noto-sans", "fontpkg-inter", "paperang-p2-fonts-cjk", "manimgx-fonts")
NONCHARACTER = "\uffff"  # no font has it: what it draws is the font's missing-glyph box
SHADES = 9  # background to text, both included: 16 colours with the mark's six and the border
# Two index-0 pixels left of every row pack into the zero byte that starts a PNG row ("no filter").
ROW_START = 2
TOKEN = re.compile(r"--color-([a-z-]+):\s*(#[0-9a-fA-F]{6})\b")
CODE_DIGEST = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=8).hexdigest()
VERSIONS = [PIL.__version__, features.version("freetype2"), zlib_ng.ZLIBNG_VERSION]
VERSIONS += [version(package) for package in FONT_PACKAGES]


def palette(tokens_css: str) -> dict:
    """The light scheme's colours: the first ``:root`` block of tokens.css."""
    first_block = tokens_css.split("}", 1)[0]
    return {name: value for name, value in TOKEN.findall(first_block)}


def design_version(colours: dict) -> str:
    """Changes whenever the drawing could: this code, the colours, Pillow, FreeType, zlib-ng
    and the fonts."""
    parts = [CODE_DIGEST, sorted(colours.items()), VERSIONS]
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()


def card_key(title: str, site_name: str, version: str) -> str:
    """Names a card's file and its cache entry: everything that makes its bytes."""
    return hashlib.blake2b(repr((title, site_name, version)).encode(), digest_size=16).hexdigest()


@functools.lru_cache(maxsize=16)
def faces(size: int, weight: int) -> tuple:
    """``FONT_FILES`` at ``size`` and ``weight``, in the order they are tried."""
    loaded = []
    for path in FONT_FILES:
        face = ImageFont.truetype(str(path), size)
        if "[" in path.name:  # a variable font: set its weight (WenQuanYi has one weight)
            axes = face.get_variation_axes()
            face.set_variation_by_axes([weight if a["name"] == b"Weight" else a["default"] for a in axes])
        loaded.append(face)
    return tuple(loaded)


def mask_of(face, text: str) -> tuple:
    mask = face.getmask(text)
    return mask.size, bytes(mask)


@functools.lru_cache(maxsize=1 << 12)
def font_for(character: str) -> int | None:
    """The index of the first of ``FONT_FILES`` with a glyph for ``character``, or None.
    A font without one draws its missing-glyph box, as it does for ``NONCHARACTER``."""
    for number, face in enumerate(faces(24, TITLE_WEIGHT)):
        if mask_of(face, character) != mask_of(face, NONCHARACTER):
            return number
    return None


def drawable(text: str) -> str:
    """``text`` on one line, without the characters no font has."""
    return "".join(c for c in " ".join(text.split()) if font_for(c) is not None)


def runs(word: str) -> list[tuple[int, str]]:
    """``word`` (drawable) as (font index, characters) runs, each set in one font."""
    found = []
    for character in word:
        number = font_for(character)
        if found and found[-1][0] == number:
            found[-1] = (number, found[-1][1] + character)
        else:
            found.append((number, character))
    return found


@functools.lru_cache(maxsize=1 << 16)
def word_width(size: int, weight: int, word: str) -> float:
    """Titles share most of their words: each is measured once per process and size."""
    fonts = faces(size, weight)
    return sum(fonts[number].getlength(run) for number, run in runs(word))


def line_width(size: int, weight: int, line: str) -> float:
    """As ``draw_line`` sets it: its words and the spaces between, never kerned across."""
    words = line.split(" ")
    return sum(word_width(size, weight, w) for w in words) + (len(words) - 1) * word_width(size, weight, " ")


@functools.lru_cache(maxsize=1 << 12)
def word_mask(size: int, weight: int, word: str) -> tuple[Image.Image, int, int]:
    """``word`` drawn once per process (titles share most of their words, and drawing was
    most of a card's cost): its mask and where the mask sits from the pen on the baseline."""
    fonts, pen, boxes = faces(size, weight), 0.0, []
    for number, run in runs(word):
        boxes.append((pen, number, run, fonts[number].getbbox(run, anchor="ls")))
        pen += fonts[number].getlength(run)
    left = min((round(x + box[0]) for x, _, _, box in boxes), default=0)
    top = min((box[1] for *_, box in boxes), default=0)
    right = max((round(x + box[2]) for x, _, _, box in boxes), default=1)
    bottom = max((box[3] for *_, box in boxes), default=1)
    mask = Image.new("L", (max(1, right - left + 1), max(1, bottom - top)))
    draw = ImageDraw.Draw(mask)
    for x, number, run, _ in boxes:
        draw.text((x - left, -top), run, font=fonts[number], fill=255, anchor="ls")
    return mask, left, top


def draw_line(mask: Image.Image, baseline: int, line: str, size: int, weight: int) -> None:
    """``line`` in white from the left edge of ``mask``, each run in its font, on ``baseline``."""
    pen = 0.0
    for word in line.split(" "):
        image, left, top = word_mask(size, weight, word)
        mask.paste(255, (round(pen) + left, baseline + top), image)
        pen += word_width(size, weight, word) + word_width(size, weight, " ")


def wrap(text: str, size: int, max_width: int) -> list[str]:
    """Greedy word wrap of drawable ``text``; a word wider than a line is broken between
    characters."""
    space = word_width(size, TITLE_WEIGHT, " ")
    lines, line, width = [], "", 0.0
    for word in text.split():
        measured = word_width(size, TITLE_WEIGHT, word)
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
            if line and word_width(size, TITLE_WEIGHT, line + character) > max_width:
                lines.append(line)
                line = ""
            line += character
        width = word_width(size, TITLE_WEIGHT, line)
    if line:
        lines.append(line)
    return lines


def fit_title(title: str, max_width: int) -> tuple[int, list[str]]:
    """(size, lines): the largest size that holds the title, else the smallest, shortened."""
    title = drawable(title)
    for size in TITLE_SIZES:
        lines = wrap(title, size, max_width)
        if len(lines) <= MAX_LINES:
            break
    else:
        lines = lines[:MAX_LINES]
        last = lines[-1]
        while last and line_width(size, TITLE_WEIGHT, last + " …") > max_width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines[-1] = f"{last} …".strip()
    if any(line_width(size, TITLE_WEIGHT, line) > max_width for line in lines):
        raise ValueError(f"the title {title!r} was wrapped wider than the card")
    return size, lines


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


def text_mask(width: int, lines: list[str], size: int, weight: int, first_baseline: int) -> Image.Image:
    """``lines`` drawn in white on black, one every LINE_SPACING × ``size``."""
    ascent, descent = faces(size, weight)[0].getmetrics()
    line_height = round(size * LINE_SPACING)
    mask = Image.new("L", (width, first_baseline + line_height * (len(lines) - 1) + descent + 4))
    for number, line in enumerate(lines):
        draw_line(mask, first_baseline + number * line_height, line, size, weight)
    return mask


@functools.lru_cache(maxsize=4)
def base(site_name: str, colour_items: tuple) -> tuple[Image.Image, bytes]:
    """What every card of the site shares, as an "L" image of palette indices ROW_START
    pixels wider on the left (see png), and the palette."""
    colours = dict(colour_items)
    table = colour_table(colours)
    card = Image.new("L", (WIDTH, HEIGHT), 0)
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, WIDTH, STRIPE), fill=ACCENT)
    draw.rectangle((0, HEIGHT - STRIPE, WIDTH, HEIGHT), fill=BORDER)
    card.paste(mark_indices(colours, table), (MARGIN, MARGIN))
    name_left = MARGIN + MARK + 28
    ascent, descent = faces(NAME_SIZE, NAME_WEIGHT)[0].getmetrics()
    middle = MARK // 2 + (ascent - descent) // 2  # the baseline that centres the name on the mark
    name = text_mask(WIDTH - MARGIN - name_left, [drawable(site_name)], NAME_SIZE, NAME_WEIGHT, middle)
    card.paste(name.point(SHADE_OF), (name_left, MARGIN))
    rows = Image.new("L", (ROW_START + WIDTH, HEIGHT), 0)
    rows.paste(card, (ROW_START, 0))
    return rows, bytes(value for colour in table for value in colour)


# A mask's coverage (0-255) to the nearest of the shades from background to text.
SHADE_OF = [round(value * (SHADES - 1) / 255) for value in range(256)]


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(rows: Image.Image, table: bytes) -> bytes:
    """A 4-bit palette PNG of ``rows``: indices (below 16) whose first ROW_START columns are
    0, packed two to a byte, so each row already starts with its filter byte. Makes ``rows``
    a "P" image."""
    width, height = rows.width - ROW_START, rows.height
    rows.putpalette(table)  # a "P" image packs four bits a pixel
    # Run-length matching suits rows of one colour, and its output depends on no processor feature.
    compressor = zlib_ng.compressobj(1, zlib_ng.DEFLATED, 15, 9, zlib_ng.Z_RLE)
    data = compressor.compress(rows.tobytes("raw", "P;4")) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 4, 3, 0, 0, 0)  # 4 bits, palette, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"PLTE", table)
        + chunk(b"IDAT", data)
        + chunk(b"IEND", b"")
    )


def draw_card(title: str, site_name: str, colours: dict) -> bytes:
    rows, table = base(site_name, tuple(sorted(colours.items())))
    card = rows.copy()
    size, lines = fit_title(title, WIDTH - 2 * MARGIN)
    ascent = faces(size, TITLE_WEIGHT)[0].getmetrics()[0]
    title_mask = text_mask(WIDTH - 2 * MARGIN + 2, lines, size, TITLE_WEIGHT, ascent)
    card.paste(title_mask.point(SHADE_OF), (ROW_START + MARGIN, TITLE_TOP))
    return png(card, table)
