"""Made-up pictures for the image tests: generated, so no binary sits in the repository."""

import random

from PIL import Image, ImageDraw, ImageFilter


def photo(width=3000, height=2000, seed=7) -> Image.Image:
    """A picture as hard to compress as a busy photograph: gradients, hundreds of
    overlapping shapes with soft edges, and sensor-like grain."""
    rng = random.Random(seed)
    size = (width, height)
    gradient = Image.linear_gradient("L")
    image = Image.merge(
        "RGB",
        [gradient.resize(size), Image.radial_gradient("L").resize(size), gradient.rotate(90).resize(size)],
    )
    draw = ImageDraw.Draw(image)
    for _ in range(width * height // 4000):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(8, 160)
        colour = tuple(rng.randrange(256) for _ in range(3))
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape((x - r, y - r // 2, x + r, y + r // 2), fill=colour)
    grain = Image.frombytes("L", size, rng.randbytes(width * height)).convert("RGB")
    return Image.blend(image.filter(ImageFilter.GaussianBlur(2)), grain, 0.12)


def save_photo(path, width=3000, height=2000):
    path.parent.mkdir(parents=True, exist_ok=True)
    photo(width, height).save(path, quality=90)
    return path
