"""The generated part of the newsroom fixture (conftest.py `newsroom`): thirty clearly
made-up posts over two years in five sections, by three bylines (some shared), some with a
lead photo, an update or a correction, plus one draft and one scheduled post."""

from datetime import datetime, timedelta

from imagehelpers import photo

SECTIONS = ["xen", "linux", "operating system", "News VPS hosting", "security"]
TAGS = ["dom0", "releases", "storage", "networking", "howto", "kernel-config", "xen"]
BYLINES = ["Ada Testwriter", "Cy Testeditor", None, "Ada Testwriter, Cy Testeditor"]
PHOTOS = ["desk-0.jpg", "desk-1.jpg", "desk-2.jpg"]
# The newest posts, in the news sitemap's two-day window counted back from the last one
# (2011-07-26 10:00); series part 1 (2011-07-24 08:00) falls just outside it.
LATEST = [datetime(2011, 7, 24, 10, 0), datetime(2011, 7, 25, 15, 30), datetime(2011, 7, 26, 10, 0)]
DRAFT = "generated-draft"
SCHEDULED = "generated-scheduled"


def dates():
    first = datetime(2010, 1, 4, 9, 0)
    return [first + timedelta(days=20 * n) for n in range(27)] + LATEST


def front_matter(number: int, date: datetime) -> list[str]:
    section = SECTIONS[number % len(SECTIONS)]
    if number % 6 == 0:
        section += ", " + SECTIONS[(number + 2) % len(SECTIONS)]
    lines = [
        f"Title: Made-up report number {number}",
        f"Slug: made-up-report-{number}",
        f"Date: {date:%Y-%m-%d %H:%M}",
        f"Category: {section}",
        f"Tags: {TAGS[number % len(TAGS)]}, {TAGS[(number + 3) % len(TAGS)]}",
        f"Summary: Standfirst of made-up report {number}, written for the test suite only.",
    ]
    if BYLINES[number % len(BYLINES)]:
        key = "Authors" if "," in BYLINES[number % len(BYLINES)] else "Author"
        lines.append(f"{key}: {BYLINES[number % len(BYLINES)]}")
    if number % 5 == 2:
        lines += [
            f"Image: {{static}}/images/newsroom/{PHOTOS[number % len(PHOTOS)]}",
            f"Image_alt: A made-up picture for report {number}",
            f"Image_caption: Made-up scene number {number}",
            "Image_credit: A. Test Photographer",
        ]
    if number % 8 == 3:
        lines.append(f"Modified: {date + timedelta(days=1):%Y-%m-%d %H:%M}")
    return lines


def body(number: int, date: datetime) -> str:
    paragraphs = [f"The made-up report number {number} says nothing true about anything."] * 3
    if number % 8 == 3:
        paragraphs.insert(
            0, f"/// update | Update, {date + timedelta(days=1):%-d %B %Y}\nMore made-up detail.\n///"
        )
    if number % 9 == 4:
        paragraphs.append(
            f"/// correction | Correction, {date + timedelta(days=2):%-d %B %Y}\nA made-up error.\n///"
        )
    return "\n\n".join(paragraphs)


def write_generated_posts(content) -> None:
    folder = content / "articles" / "generated"
    folder.mkdir(parents=True)
    for number, date in enumerate(dates()):
        text = "\n".join(front_matter(number, date)) + "\n\n" + body(number, date) + "\n"
        (folder / f"report-{number}.md").write_text(text, encoding="utf-8")
    unpublished = {DRAFT: ["Date: 2011-07-26 11:00", "Status: draft"], SCHEDULED: ["Date: 2099-01-01 09:00"]}
    for slug, lines in unpublished.items():
        header = [f"Title: Unpublished {slug}", f"Slug: {slug}", "Category: xen", *lines]
        header.append(f"Summary: The {slug} standfirst no reader may see yet.")
        (folder / f"{slug}.md").write_text(
            "\n".join(header) + f"\n\nSecret text of {slug}.\n", encoding="utf-8"
        )
    (content / "images" / "newsroom").mkdir(parents=True, exist_ok=True)
    for seed, name in enumerate(PHOTOS):
        photo(1000, 600, seed=seed).save(content / "images" / "newsroom" / name, quality=90)


def generated_urls() -> list[str]:
    """The URL paths of the thirty published generated posts."""
    return [f"{date:%Y/%m}/made-up-report-{number}/" for number, date in enumerate(dates())]
