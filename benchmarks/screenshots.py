"""Screenshots of the production site for reviewing the theme (`invoke screenshots`): home,
article, tag, search, 404 and the newsroom's series, author, corrections and Follow pages,
light and dark, phone and desktop, as docs/screenshots/<page>-<width>-<scheme>.png, cropped
so the committed files stay small."""

import sys
import tempfile
from pathlib import Path

from PIL import Image

from devtools.browser import chromium
from devtools.serving import serving

from .audit import ROOT, build_for

FOLDER = ROOT / "docs" / "screenshots"
PAGES = {
    "home": "/",
    "article": "/2011/06/linux-3-0-full-support-for-xen-dom0/",
    "tag": "/tag/xen/",
    "search": "/search/",
    "404": "/no-such-page/",
    "series": "/series/the-road-to-dom0/",
    "author": "/author/dom0-dispatch-editors/",
    "corrections": "/corrections/",
    "follow": "/follow/",
}
# (width, viewport height, how much of the page to keep)
VIEWPORTS = {"phone": (390, 844, 2 * 844), "desktop": (1280, 800, 800)}
SCHEMES = ("light", "dark")


def capture(browser, base_url: str, folder: Path) -> list[Path]:
    written = []
    for width, height, keep in VIEWPORTS.values():
        for scheme in SCHEMES:
            context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
            page = context.new_page()
            for name, path in PAGES.items():
                page.goto(base_url + path, wait_until="networkidle")
                full = page.evaluate("document.documentElement.scrollHeight")
                target = folder / f"{name}-{width}-{scheme}.png"
                page.screenshot(
                    path=str(target),
                    full_page=True,
                    clip={"x": 0, "y": 0, "width": width, "height": min(full, keep)},
                )
                # A palette of 128 colours keeps text crisp at a third of the bytes.
                Image.open(target).convert("RGB").quantize(128).save(target, optimize=True)
                written.append(target)
            context.close()
    return written


def main() -> int:
    FOLDER.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as temporary:
        output = Path(temporary) / "output"
        with serving(output) as base_url:
            build_for(base_url, output)
            with chromium() as browser:
                written = capture(browser, base_url, FOLDER)
    total = sum(path.stat().st_size for path in written)
    print(f"{len(written)} screenshots, {total:,} bytes, in {FOLDER.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
