"""The story page: every sentence of the original, the attributed quotes, the footer."""

import re
from pathlib import Path

DATA = Path(__file__).parent / "data"
STORY = "2011/06/linux-3-0-full-support-for-xen-dom0/"
LKML = "https://lkml.indiana.edu/hypermail/linux/kernel/0906.0/00864.html"
# The WordPress footer of the original is site chrome, not story text.
NOT_BODY = ("This entry was posted in", "Comments are closed.")


def normalize(text: str) -> str:
    """Fold typography that may differ between the seed and the page, and white space."""
    for plain, fancy in {'"': "“”″", "'": "‘’", "-": "–—"}.items():
        for char in fancy:
            text = text.replace(char, plain)
    return " ".join(text.split())


def seed_sentences():
    lines = (DATA / "seed-story.txt").read_text(encoding="utf-8").splitlines()[1:]
    paragraphs = [line.removeprefix("- ") for line in lines if line.strip() and not line.startswith(NOT_BODY)]
    sentences = []
    for paragraph in paragraphs:
        text = normalize(re.sub(r"\b_(\w+)_\b", r"\1", paragraph))
        sentences += [s for s in re.split(r"(?<=[.!?:])\s+", text) if s]
    return sentences


def test_every_seed_sentence_is_on_the_article_page(site):
    sentences = seed_sentences()
    assert len(sentences) > 30 and "Seriously." in sentences, "the seed was not read: nothing to compare"
    blocks = site.soup(STORY).find("article").find_all(["h1", "p", "li", "dd"])
    page = normalize(" ".join(block.get_text() for block in blocks))
    missing = [sentence for sentence in sentences if sentence not in page]
    assert not missing, "sentences missing from the article:\n" + "\n".join(missing)


def test_title_is_the_heading(site):
    soup = site.soup(STORY)
    assert soup.find("h1").get_text(strip=True) == "Linux 3.0 full support for Xen dom0"
    assert soup.title.get_text().startswith("Linux 3.0 full support for Xen dom0")


def quote_figures(site):
    return site.soup(STORY).select("article figure.quote")


def test_linus_email_is_an_attributed_quote(site):
    figure = next(f for f in quote_figures(site) if "Linus Torvalds" in f.figcaption.get_text())
    blockquote = figure.find("blockquote")
    assert blockquote["cite"] == LKML
    caption = figure.figcaption.get_text(" ")
    for fact in ("Linus Torvalds", "Re: Xen is a feature", "linux-kernel mailing list", "2 June 2009"):
        assert fact in caption
    assert figure.figcaption.find("time")["datetime"] == "2009-06-02"
    assert figure.figcaption.find("a", href=LKML)
    assert "Xen is a total mess from a development standpoint" in blockquote.get_text()
    emphasised = {em.get_text() for em in blockquote.find_all("em")}
    assert emphasised == {"fact", "I", "explicitly", "anybody", "why"}


def test_jeremy_reply_is_attributed_without_a_link(site):
    figure = next(f for f in quote_figures(site) if "Jeremy Fitzhardinge" in f.figcaption.get_text())
    assert "Slashdot" in figure.figcaption.get_text()
    assert not figure.find("blockquote").has_attr("cite")
    assert not figure.figcaption.find("a")
    assert "incremental dom0 upstreaming strategy" in figure.find("blockquote").get_text()
    assert len(figure.select("blockquote ul > li")) == 2


def test_quotes_hold_only_quoted_text(site):
    """The story's own narration stays outside the blockquotes."""
    for figure in quote_figures(site):
        assert "The title says it all" not in figure.get_text()
        assert "VPS Hosting Pro understood" not in figure.get_text()


def test_footer_names_categories_tags_permalink_and_closed_comments(site):
    footer = site.soup(STORY).select_one("article > footer")
    links = {a.get_text(strip=True): a["href"] for a in footer.find_all("a") if "/category/" in a["href"]}
    assert len(links) == 4
    # Display names (CATEGORY_DISPLAY_NAMES); the addresses keep the slugs of the names as written.
    for name, slug in [
        ("Linux", "linux"),
        ("News VPS hosting", "news-vps-hosting"),
        ("Operating system", "operating-system"),
        ("Xen", "xen"),
    ]:
        assert links[name] == f"{site.siteurl}/category/{slug}/"
    assert footer.find("a", href=f"{site.siteurl}/tag/dom0/")
    assert footer.find("a", rel="bookmark")["href"] == f"{site.siteurl}/{STORY}"
    assert "Comments are closed." in footer.get_text()


def test_post_date_is_machine_readable(site):
    time = site.soup(STORY).select_one("article header time")
    assert time["datetime"].startswith("2011-06-01")


def test_code_is_highlighted_at_build_time(site):
    soup = site.soup("2011/06/is-this-kernel-ready-for-dom0/")
    blocks = soup.select("div.highlight pre")
    assert len(blocks) >= 3
    assert any(block.find("span", class_=True) for block in blocks), "no Pygments token spans"
    assert all(script.get("type") == "application/ld+json" for script in soup.find_all("script"))


def test_companion_posts_link_the_story(site):
    for slug in ("what-dom0-is-and-why-it-had-to-be-upstream", "is-this-kernel-ready-for-dom0"):
        soup = site.soup(f"2011/06/{slug}/")
        assert soup.find("a", href=f"{site.siteurl}/{STORY}")


def test_home_page_leads_with_the_story_as_a_teaser(site):
    home = site.soup("")
    lead = home.select_one("main article.teaser-lead")
    assert lead.find("h2").get_text(strip=True) == "Linux 3.0 full support for Xen dom0"
    assert not lead.select("figure.quote"), "the home page prints the whole story again"
    listed = [a.get_text() for a in home.select(".post-list h2 a")]
    assert "Linux 3.0 full support for Xen dom0" not in listed and len(listed) == 2
