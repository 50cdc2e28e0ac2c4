"""Share cards: the 1200×630 PNG a link preview shows for a post that has no picture.

Drawn with Pillow in the site's colours (read from the theme's tokens.css, light scheme)
with the site mark (the favicon's ring) and Pillow's own scalable font, which Pillow
carries inside itself: every machine draws the same pixels, and the build depends on no
font file a fresh machine might lack. Title lines are wrapped to the card, and a title too
long for four lines at the smallest size is cut at a word with an ellipsis.
"""

import hashlib
import io
import re
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont, features

from .variants import store

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
MARK = 88
TITLE_SIZES = (72, 62, 52)  # the largest at which the title fits in MAX_LINES
MAX_LINES = 4
NAME_SIZE = 40
TOKEN = re.compile(r"--color-([a-z-]+):\s*(#[0-9a-fA-F]{6})\b")
CODE_DIGEST = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=8).hexdigest()


def palette(tokens_css: str) -> dict:
    """The light scheme's colours: the first ``:root`` block of tokens.css."""
    first_block = tokens_css.split("}", 1)[0]
    return {name: value for name, value in TOKEN.findall(first_block)}


def design_version(colours: dict) -> str:
    """Changes whenever the drawing could: this code, the colours, Pillow and FreeType."""
    parts = [CODE_DIGEST, sorted(colours.items()), PIL.__version__, features.version("freetype2")]
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()


def font(size: int):
    return ImageFont.load_default(size=size)


def wrap(text: str, face, max_width: int) -> list[str]:
    """Greedy word wrap; a word wider than a line is broken between characters."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if face.getlength(candidate) <= max_width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for character in word:
            if face.getlength(line + character) > max_width and line:
                lines.append(line)
                line = ""
            line += character
    if line:
        lines.append(line)
    return lines


def fit_title(title: str, max_width: int) -> tuple:
    """(font, lines): the largest size that holds the title, else the smallest, shortened."""
    for size in TITLE_SIZES:
        face = font(size)
        lines = wrap(title, face, max_width)
        if len(lines) <= MAX_LINES:
            return face, lines
    kept = lines[:MAX_LINES]
    last = kept[-1]
    while last and face.getlength(last + " …") > max_width:
        last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
    kept[-1] = f"{last} …".strip()
    return face, kept


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


def draw_card(title: str, site_name: str, colours: dict) -> bytes:
    card = Image.new("RGB", (WIDTH, HEIGHT), colours["bg"])
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, WIDTH, 12), fill=colours["accent"])
    mark = site_mark(MARK, colours)
    card.paste(mark, (MARGIN, MARGIN), mark)
    name_face = font(NAME_SIZE)
    draw.text(
        (MARGIN + MARK + 28, MARGIN + MARK // 2), site_name, font=name_face, fill=colours["text"], anchor="lm"
    )
    face, lines = fit_title(title, WIDTH - 2 * MARGIN)
    line_height = round(face.size * 1.2)
    top = MARGIN + MARK + 56
    for number, line in enumerate(lines):
        draw.text(
            (MARGIN, top + number * line_height),
            line,
            font=face,
            fill=colours["text"],
            anchor="la",
            stroke_width=1,
            stroke_fill=colours["text"],
        )
    draw.rectangle((0, HEIGHT - 12, WIDTH, HEIGHT), fill=colours["border"])
    buffer = io.BytesIO()
    # zlib level 6, not optimize=True: 11 ms instead of 41 ms to encode, 3 % larger.
    card.save(buffer, "PNG", compress_level=6)
    return buffer.getvalue()


def card_key(title: str, site_name: str, version: str) -> str:
    return hashlib.blake2b(repr((title, site_name, version)).encode(), digest_size=16).hexdigest()


def share_card(title: str, site_name: str, colours: dict, cache: Path | None) -> bytes:
    """The card's PNG bytes, from the cache when an identical card was drawn before."""
    entry = cache / f"{card_key(title, site_name, design_version(colours))}.png" if cache else None
    if entry and entry.is_file():
        return entry.read_bytes()
    data = draw_card(title, site_name, colours)
    if entry:
        store(entry, data)
    return data
