"""Read posts' front matter directly from content/, independently of Pelican."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def read_front_matter(path: Path) -> dict:
    fields = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        fields[key.strip().lower()] = value.strip()
    return fields


def published_posts(content: Path = ROOT / "content"):
    posts = [read_front_matter(p) for p in sorted((content / "articles").rglob("*.md"))]
    return [p for p in posts if p.get("status", "published") == "published"]


def terms(post: dict, key: str) -> list[str]:
    return [t.strip() for t in post.get(key, "").split(",") if t.strip()]
