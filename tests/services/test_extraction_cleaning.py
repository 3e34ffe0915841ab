"""The cleaning rules of server.services.extraction, one by one, on small made-up pages.

Each page holds a real-looking article (so that readability picks it) and
one thing a rule is about; the test checks the rule's effect on the
extracted text or HTML, and that the article itself is still there.
"""

import lxml.html
import pytest

from server.services import extraction
from server.services.extraction import STEPS, extract
from server.services.extraction.text import WORDS_PER_MINUTE, reading_minutes

URL = "https://news.example.com/2025/05/24/story"
PARAGRAPHS = [
    "City officials approved the new cycling plan on Tuesday after a long debate, "
    "promising forty kilometres of protected lanes by the end of next year.",
    "The plan, which had been delayed twice, links the northern suburbs to the centre "
    "and adds secure parking at every station of the regional railway.",
    "Residents who spoke at the meeting were divided: shop owners feared losing parking, "
    "while parents said their children could finally ride to school safely.",
    "The council will publish a detailed timetable next month, and the first section "
    "along the river is expected to open in the spring.",
]
ARTICLE = "".join(f"<p>{text}</p>" for text in PARAGRAPHS)


def page(inside: str = "", *, outside: str = "", head: str = "", title: str = "Cycling plan approved") -> str:
    """A page whose <article> holds the paragraphs plus `inside`; `outside` goes after it."""
    return (f"<html><head><title>{title}</title>{head}</head><body>"
            f"<article>{inside}{ARTICLE}</article>{outside}</body></html>")


def text_of(html: str, **kwargs) -> str:
    article = extract(html, URL, **kwargs)
    assert all(paragraph in article.text for paragraph in PARAGRAPHS), article.text
    return article.text


@pytest.mark.parametrize("hidden", [
    '<div hidden>Secret offer for members</div>',
    '<div aria-hidden="true">Secret offer for members</div>',
    '<p style="color: red; display: none">Secret offer for members</p>',
    '<p style="visibility:hidden">Secret offer for members</p>',
    '<span class="sr-only">Secret offer for members</span>',
    '<span class="visually-hidden">Secret offer for members</span>',
    '<div class="d-none">Secret offer for members</div>',
])
def test_hidden_elements_are_dropped(hidden):
    assert "Secret offer" not in text_of(page(f"<p>{PARAGRAPHS[0]} {hidden}</p>"))


def test_a_hidden_class_word_in_a_longer_name_does_not_hide():
    """Drupal's "field-label-hidden" hides a label, not the field holding the article."""
    html = f'<html><body><div class="field field-label-hidden">{ARTICLE}</div></body></html>'
    text_of(html)


def test_a_rule_never_drops_most_of_the_page():
    """Some pages hide their body until a script shows it; the article is still kept."""
    html = f'<html><body><div style="display:none" class="share-wrapper">{ARTICLE}</div></body></html>'
    text_of(html)


@pytest.mark.parametrize(("chrome", "phrase"), [
    ("<nav><a href='/a'>World</a> <a href='/b'>Business</a> <a href='/c'>Culture</a></nav>", "Business"),
    ("<header><a href='/'>The Daily Example</a> Independent news since 1998</header>", "Daily Example"),
    ("<footer>About us. Privacy policy. All rights reserved.</footer>", "Privacy policy"),
    ("<aside><h3>Most read</h3><p>Ten gadgets we loved this year, and why we loved them so much.</p>"
     "</aside>", "Ten gadgets"),
    ("<form action='/subscribe'><p>Get the morning briefing in your inbox every day.</p>"
     "<input type='email'><button>Sign up</button></form>", "morning briefing"),
    ("<div role='navigation'><a href='/a'>World</a> <a href='/b'>Business</a></div>", "Business"),
    ("<div role='dialog'><p>We use cookies to improve your experience on this website.</p></div>",
     "cookies"),
])
def test_page_chrome_is_dropped(chrome, phrase):
    assert phrase not in text_of(page(chrome, outside=chrome))


@pytest.mark.parametrize("widget", [
    '<div class="share-bar"><a href="/s">Share this story on your favourite network</a></div>',
    '<div class="socialShare"><p>Share this story on your favourite network</p></div>',
    '<div id="ad_slot_3"><p>Share this story on your favourite network</p></div>',
    '<div class="newsletter-signup"><p>Share this story on your favourite network</p></div>',
    '<section class="related-stories"><p>Share this story on your favourite network</p></section>',
    '<div id="comments"><p>Share this story on your favourite network</p></div>',
    '<span class="rollover-people-block">Share this story on your favourite network</span>',
])
def test_widgets_are_dropped_by_their_names(widget):
    assert "favourite network" not in text_of(page(widget))


def test_similar_names_are_not_widgets():
    kept = '<div class="shareholder-news"><p>Shareholders of the bicycle maker cheered the decision.</p></div>'
    assert "Shareholders of the bicycle maker" in text_of(page(kept))


_TWEET = ('<blockquote class="twitter-tweet"><p>Forty kilometres of protected lanes is a start, not a '
          'finish. We will keep pushing for more.</p>— Cyclists Union (@cyclists) '
          '<a href="https://twitter.com/cyclists/status/1">May 24, 2025</a></blockquote>')
_MEDIA_LEAD = ('<div class="el__leafmedia"><p>Hong Kong: the city unveiled a bold plan for bicycles on '
               'Tuesday, the first of its kind in the region.</p></div>')
_CLAIM = ('<div class="claim-card"><h3>Claim</h3><p>The city says it will build forty kilometres '
          'of new lanes within a single year.</p></div>')
KEPT_BY_STEP = {
    # readability drops elements named "tweet"; an embedded post is a quotation.
    "quotes": (page(f"<p>{PARAGRAPHS[0]}</p>{_TWEET}"), "a start, not a finish"),
    # readability removes wrappers named "media" with what they hold.
    "lone-paragraphs": (f'<html><body><div class="story">{_MEDIA_LEAD}{ARTICLE}</div></body></html>',
                        "the first of its kind in the region"),
    # readability picks the block of paragraphs; a claim or lead before it is article too.
    "leads": (f'<html><body><article>{_CLAIM}<div class="content">{ARTICLE}</div></article></body></html>',
              "kilometres of new lanes"),
}


@pytest.mark.parametrize("step", KEPT_BY_STEP)
def test_text_readability_alone_loses_is_kept(step):
    html, phrase = KEPT_BY_STEP[step]
    assert phrase in text_of(html)
    assert phrase not in text_of(html, skip=frozenset({step}))


def test_a_caption_before_the_pick_is_no_lead():
    html, phrase = KEPT_BY_STEP["leads"]
    assert phrase not in text_of(html.replace("claim-card", "photo-caption"))


def test_headline_byline_and_dateline_are_not_text():
    inside = ('<h1>Cycling plan approved</h1><div class="byline">By Jane Doe, City reporter</div>'
              '<p class="article-meta">Updated 5:27 am, Wednesday, May 24, 2025</p>')
    text = text_of(page(inside, head='<meta property="og:title" content="Cycling plan approved">'))
    assert "Cycling plan approved" not in text
    assert "Jane Doe" not in text and "5:27 am" not in text


def test_a_long_block_named_meta_is_kept():
    long = " ".join(["The vote was close."] * 12)
    assert long in text_of(page(f'<div class="meta">{long}</div>'))


@pytest.mark.parametrize("credit", [
    '<span class="credit">Jane Doe / Example Agency</span>',
    "<span>Photo: Jane Doe, AP</span>",
    "<span>(Image credit: Example Agency)</span>",
    "<span>Image copyright Getty Images</span>",
    "<small>© Example Agency</small>",
])
def test_photo_credits_are_dropped_and_captions_kept(credit):
    figure = (f'<figure><img src="/img/lanes.jpg" alt="lanes"><figcaption>The new lanes along the '
              f'river. {credit}</figcaption></figure>')
    article = extract(page(f"<p>{PARAGRAPHS[0]}</p>{figure}"), URL)
    assert "The new lanes along the river." in article.text
    assert "Jane Doe" not in article.text and "Agency" not in article.text
    assert "Getty" not in article.text
    assert 'src="https://news.example.com/img/lanes.jpg"' in article.content_html


def test_repeated_captions_are_kept_once():
    caption = "Cyclists ride along the river in Example City on Tuesday, May 20, 2025, as the plan is debated."
    slides = "".join(f'<div class="slide"><img src="/s{n}.jpg" alt=""><div class="caption-full">{caption}'
                     f'</div><div class="caption-truncated">{caption[:60]}… more</div></div>' for n in range(3))
    text = text_of(page(f'<div class="gallery">{slides}</div>'))
    assert text.count("Cyclists ride along the river") == 1


@pytest.mark.parametrize("label", ["Advertisement", "ADVERT", "Image 2 of 5", "Photo 3 / 12"])
def test_labels_are_dropped(label):
    inside = f"<p>{PARAGRAPHS[0]}</p><div>{label}</div><p>{PARAGRAPHS[1]}</p>"
    assert label not in text_of(page(inside))


def test_link_lists_are_dropped_and_prose_with_links_kept():
    inside = (f'<p>{PARAGRAPHS[0]}</p>'
              '<p>READ MORE: <a href="/a">City votes on a new tram line for the northern suburbs</a></p>'
              '<ul><li><a href="/b">Ten bicycles we loved this year</a></li>'
              '<li><a href="/c">The quiet return of the city bicycle</a></li></ul>'
              '<p>The <a href="/plan">full plan</a> is on the council website, with maps of every lane.</p>')
    text = text_of(page(inside))
    assert "tram line" not in text and "Ten bicycles" not in text
    assert "The full plan is on the council website" in text


@pytest.mark.parametrize(("image", "src"), [
    ('<img src="data:image/gif;base64,R0lGOD" data-src="/img/real.jpg" alt="x">',
     "https://news.example.com/img/real.jpg"),
    ('<img data-lazy-src="https://cdn.example.com/real.jpg" alt="x">', "https://cdn.example.com/real.jpg"),
    ('<img srcset="/img/small.jpg 480w, /img/large.jpg 1200w, /img/mid.jpg 800w" alt="x">',
     "https://news.example.com/img/large.jpg"),
    ('<img data-srcset="/img/a.jpg 1x, /img/b.jpg 2x" alt="x">', "https://news.example.com/img/b.jpg"),
    ('<picture><source srcset="/img/p.webp 1x, /img/p2.webp 2x"><img alt="x"></picture>',
     "https://news.example.com/img/p2.webp"),
    ('<img src="/img/plain.jpg" srcset="/img/plain-2x.jpg 2x" alt="x">', "https://news.example.com/img/plain.jpg"),
])
def test_lazy_images_show(image, src):
    inside = f"<p>{PARAGRAPHS[0]}</p><figure>{image}<figcaption>The river lanes.</figcaption></figure>"
    root = lxml.html.fragment_fromstring(extract(page(inside), URL).content_html, create_parent="div")
    assert root.xpath("//img/@src") == [src]


def test_empty_wrappers_are_dropped():
    inside = f"<div><div><span>\u200b</span></div></div><p>{PARAGRAPHS[0]}</p><div> <p>&nbsp;</p> </div>"
    article = extract(page(inside), URL)
    root = lxml.html.fragment_fromstring(article.content_html, create_parent="div")
    assert [element.tag for element in root.iter() if not element.text_content().strip(" \u200b\xa0")] == []


def test_fallback_when_readability_keeps_almost_nothing(monkeypatch):
    """readability-lxml 0.9 empties some pages; then the page's <main> or <article> is used."""
    monkeypatch.setattr(extraction, "readability_pick",
                        lambda doc, **options: lxml.html.fragment_fromstring("<div><p>Share</p></div>"))
    html = ("<html><body><nav><a href='/'>Home</a> <a href='/world'>World news</a></nav>"
            f"<div class='promo'>Win a bicycle today</div><main>{ARTICLE}</main>"
            "<footer>All rights reserved</footer></body></html>")
    text = text_of(html)
    assert "World news" not in text and "rights reserved" not in text and "Win a bicycle" not in text


def test_structure_is_kept():
    inside = ("<h2>What changes</h2><ul><li>Protected lanes on the ring road and the river.</li>"
              "<li>Secure parking at every regional railway station.</li></ul>"
              "<blockquote><p>It is the best news for cyclists in a decade, said the union.</p></blockquote>"
              "<pre><code>lanes = 40  # kilometres</code></pre>"
              "<table><tr><th>Section of the network</th><th>Expected to open</th></tr>"
              "<tr><td>Along the river, from the old port</td><td>Spring, once the bridge is done</td></tr>"
              "</table>")
    root = lxml.html.fragment_fromstring(extract(page(inside), URL).content_html, create_parent="div")
    for tag in ("h2", "ul", "li", "blockquote", "pre", "code", "table", "th", "td", "p"):
        assert root.xpath(f"//{tag}"), tag


def test_every_step_can_be_left_out():
    for step in STEPS:
        text_of(page("<nav><a href='/'>Home</a></nav>"), skip=frozenset({step}))


def test_reading_time():
    assert reading_minutes(0) == 0
    assert reading_minutes(1) == 1
    assert reading_minutes(WORDS_PER_MINUTE) == 1
    assert reading_minutes(WORDS_PER_MINUTE + 1) == 2
    article = extract(page(), URL)
    assert article.reading_minutes == reading_minutes(article.word_count) == 1
