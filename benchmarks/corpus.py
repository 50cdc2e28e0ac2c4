"""A deterministic synthetic archive for build benchmarks: ``python -m benchmarks.corpus N FOLDER``.

The same N and seed give byte-identical files: posts of random ordinary words (so they claim
nothing about anyone), with a quote, a code block, tags, several categories and dates in
2015-2024, plus the site's own pages, so every page type is built."""

import argparse
import datetime
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = """
able account across action active add address after again against agree ahead allow almost
along already also always amount answer any appear apply area around arrive article aside
available avoid away back balance base basic batch become before begin behind below best better
between beyond block board both bottom branch brief bring broad buffer build bundle busy call
calm capacity careful carry case cause center certain chance change channel check choice clean
clear close common compare complete concern condition connect consider constant contain content
context control copy core correct cost count course cover create current cycle daily data
decide default define degree delay depend design detail develop device differ direct discuss
display distance divide document domain double draft early easy edge effect effort either
enable enough entire entry equal error even event every exact example expect explain extend
factor fail fair fast feature field figure file final find first fix follow force form forward
frame free full function gather general given goal good graph group grow guide handle happen
hard header heavy help hidden high hold host idea image impact improve include increase index
inform input inside instead issue item join keep kind known label large last later layer lead
learn least leave level light limit line link list little local long look loop main major make
manage manual map mark match matter measure memory method middle minor mode model modern module
more most move much name narrow native near need network never next node normal note notice
number object occur offer often older only open option order other output over owner page pair
part pass patch path pattern pause place plain plan point policy pool port power prefer present
press prior private problem process produce program proper provide public pull purpose push
quick quiet range rate rather reach read ready reason record reduce region release remain remote
repeat reply report request require reserve resource rest result return review right role root
round route rule safe sample scale schedule scope second section secure select send separate
series serve session set shape share short show side signal simple single size slow small
solid some sort source space special speed split stable stage standard start state step still
storage store stream strong structure subject suggest support switch system table target task
team test text thread through time together token total track trade transfer tree trial true
turn type under unit update upper usual value version view visible wait wide window within word
work write yield zone
""".split()
TAGS = """
allocator audit backport benchmark boot bridge bugfix build-system caching cgroups checksum
clock compiler configuration console containers debugging documentation drivers
emulation filesystems firmware graphics hotplug hypercalls interrupts io-scheduling logging
live-migration locking memory-management microcode migration monitoring namespaces networking
numa packaging paging paravirtualization patch-review power-management profiling
qemu regressions release-notes scheduling security serial-console snapshots storage testing
timers tracing upgrades usb virtio vcpu workqueues xenstore
""".split()
CATEGORIES = [
    "Kernel",
    "Virtualization",
    "Security",
    "Hardware",
    "Releases",
    "Tooling",
    "Community notes",
    "Performance",
]
CODE_BLOCKS = [
    (
        "python",
        "def {a}_{b}(items):\n    total = 0\n    for item in items:\n        total += item.{c}\n"
        "    return total\n\n\nprint({a}_{b}([]))",
    ),
    ("sh", "mkdir -p /srv/{a}\ncd /srv/{a}\ntar -xf {b}.tar.gz\nls -l {c}/"),
    (
        "c",
        "static int {a}_{b}(struct {c} *item)\n{{\n\tif (!item)\n\t\treturn -1;\n"
        "\titem->count++;\n\treturn 0;\n}}",
    ),
    ("ini", "[{a}]\n{b} = true\n{c}_limit = 64"),
]
START = datetime.datetime(2015, 1, 1)
TEN_YEARS = int((datetime.datetime(2025, 1, 1) - START).total_seconds())
assert len(TAGS) == 60 and len(CATEGORIES) == 8


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(6, 16))
    return " ".join(words).capitalize() + rng.choice(".....?")


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 7)))


def code_block(rng: random.Random) -> str:
    language, template = rng.choice(CODE_BLOCKS)
    a, b, c = rng.sample(WORDS, 3)
    return f"```{language}\n{template.format(a=a, b=b, c=c)}\n```"


def post(rng: random.Random, number: int) -> tuple[datetime.datetime, str]:
    title = " ".join(rng.choices(WORDS, k=rng.randint(3, 8))).capitalize()
    date = START + datetime.timedelta(seconds=rng.randrange(TEN_YEARS))
    tags = rng.sample(TAGS, rng.randint(1, 4))
    categories = rng.sample(CATEGORIES, rng.randint(1, 2))
    body = [paragraph(rng) for _ in range(rng.randint(4, 12))]
    body.insert(rng.randint(1, len(body) - 1), "> " + paragraph(rng))
    body.insert(rng.randint(1, len(body) - 1), code_block(rng))
    front = [
        f"Title: {title}",
        f"Slug: post-{number:05d}",
        f"Date: {date:%Y-%m-%d %H:%M}",
        f"Category: {', '.join(categories)}",
        f"Tags: {', '.join(tags)}",
    ]
    return date, "\n".join(front) + "\n\n" + "\n\n".join(body) + "\n"


def generate(count: int, folder: Path, seed: int = 5000) -> Path:
    """Write ``count`` posts (and the site's pages) into ``folder``, replacing what was there."""
    folder = Path(folder)
    shutil.rmtree(folder, ignore_errors=True)
    for name in ("pages", "extra"):
        shutil.copytree(ROOT / "content" / name, folder / name)
    rng = random.Random(seed)
    for number in range(1, count + 1):
        date, text = post(rng, number)
        path = folder / "articles" / f"{date:%Y}" / f"post-{number:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.corpus", description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=5000)
    args = parser.parse_args(argv)
    generate(args.count, args.folder, args.seed)


if __name__ == "__main__":
    main()
