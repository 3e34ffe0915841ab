"""URL keys: one key per article however the URL was spelled.

The rule's cases that the extension shares (URL -> key, refusals) are vectors
in tests/fixtures/rules/url-keys.json, run by tests/services/test_rules.py;
here are the server's own parts: the canonical link, the messages, properties.
"""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from server.services.urlkeys import (
    MAX_URL_LENGTH,
    TRACKING_PARAMS,
    InvalidURL,
    normalize_url,
    url_key,
)


def test_tracking_list_holds_the_documented_names_and_no_content_selectors():
    for name in ("gclid", "fbclid", "msclkid", "mc_cid", "_hsenc", "mkt_tok", "spm", "trk"):
        assert name in TRACKING_PARAMS
    for name in ("id", "p", "v", "page", "q", "ref", "si", "s", "lang", "sort"):
        assert name not in TRACKING_PARAMS
    assert all(name == name.lower() for name in TRACKING_PARAMS)


def test_spa_routes_give_different_keys():
    assert url_key("https://app.example/#/inbox") != url_key("https://app.example/#/settings")


# --- canonical ------------------------------------------------------------------

PAGE = "https://blog.example.com/2024/05/post?utm_source=rss#comments"
PAGE_KEY = "https://blog.example.com/2024/05/post"


@pytest.mark.parametrize(
    ("canonical", "key"),
    [
        (None, PAGE_KEY),
        # absolute canonical wins, and is normalized itself
        ("https://blog.example.com/2024/05/post-title", "https://blog.example.com/2024/05/post-title"),
        ("HTTPS://Blog.Example.com:443/p/1?utm_medium=x#top", "https://blog.example.com/p/1"),
        # relative canonicals resolve against the URL
        ("/posts/my-post", "https://blog.example.com/posts/my-post"),
        ("post-title", "https://blog.example.com/2024/05/post-title"),
        ("../archive/post", "https://blog.example.com/2024/archive/post"),
        ("?p=123", "https://blog.example.com/2024/05/post?p=123"),
        ("//cdn.example.net/a", "https://cdn.example.net/a"),
        ("  /posts/my-post\n", "https://blog.example.com/posts/my-post"),
        # canonical on another host (syndicated copy) is accepted
        ("https://original.example.org/story", "https://original.example.org/story"),
        ("http://www.example.com/post", "http://www.example.com/post"),
        # junk canonicals are ignored
        ("", PAGE_KEY),
        ("   ", PAGE_KEY),
        ("javascript:alert(1)", PAGE_KEY),
        ("data:text/html,hi", PAGE_KEY),
        ("mailto:me@example.com", PAGE_KEY),
        ("file:///etc/passwd", PAGE_KEY),
        ("ftp://example.com/x", PAGE_KEY),
        ("https://", PAGE_KEY),
        ("https://exa mple.com/x", PAGE_KEY),
        ("https://example.com:99999/x", PAGE_KEY),
        ("https://[::1/x", PAGE_KEY),
        ("https://example.com/a\nb", PAGE_KEY),
        ("https://example.com/" + "a" * MAX_URL_LENGTH, PAGE_KEY),
        # the site root declared canonical on a deep page is a misconfiguration
        ("https://blog.example.com/", PAGE_KEY),
        ("https://blog.example.com", PAGE_KEY),
        ("/", PAGE_KEY),
        ("https://example.com/", PAGE_KEY),
        ("https://blog.example.com/#top", PAGE_KEY),
        # ...but a root with a query names a page (WordPress shortlinks)
        ("/?p=123", "https://blog.example.com/?p=123"),
    ],
)
def test_canonical(canonical, key):
    assert url_key(PAGE, canonical) == key


@pytest.mark.parametrize(
    ("url", "canonical", "key"),
    [
        # a home page may declare the root canonical
        ("https://example.com/?utm_source=x", "https://example.com/", "https://example.com/"),
        ("https://example.com/index.html", "/", "https://example.com/"),
        ("https://example.com/index.php", "https://example.com", "https://example.com/"),
        ("http://example.com/", "https://www.example.com/", "https://www.example.com/"),
        # a root canonical does not merge distinct pages on the root path
        ("https://example.com/?p=42", "/", "https://example.com/?p=42"),
        ("https://app.example/#/inbox", "https://app.example/", "https://app.example/#/inbox"),
        # a canonical that keeps the route is accepted
        ("https://app.example/#!/a", "https://app.example/#!/b", "https://app.example/#!/b"),
        # www is merged only when the site says so
        ("https://example.com/post", "https://www.example.com/post", "https://www.example.com/post"),
    ],
)
def test_canonical_cases(url, canonical, key):
    assert url_key(url, canonical) == key


def test_canonical_merges_two_urls_of_one_article():
    canonical = "https://example.com/articles/42"
    assert url_key("https://example.com/articles/42?utm_source=x", canonical) == url_key(
        "https://m.example.com/a/42", canonical
    )


def test_invalid_url_raises_even_with_a_good_canonical():
    with pytest.raises(InvalidURL):
        url_key("javascript:void(0)", "https://example.com/a")


def test_non_string_canonical_is_ignored():
    assert url_key("https://example.com/a", 42) == "https://example.com/a"  # type: ignore[arg-type]


def test_normalize_url_is_url_key_without_canonical():
    assert normalize_url(PAGE) == PAGE_KEY
    assert normalize_url("HTTP://Example.COM:80") == "http://example.com/"


# --- invalid input --------------------------------------------------------------

@pytest.mark.parametrize(("url", "word"), [(None, "string"), (b"https://example.com/", "string")])
def test_invalid_urls_raise_with_a_useful_message(url, word):
    with pytest.raises(InvalidURL) as info:
        url_key(url)
    message = str(info.value)
    assert word.lower() in message.lower()
    assert "http://" in message and "https://" in message  # says what is accepted
    with pytest.raises(InvalidURL):
        normalize_url(url)


def test_invalid_url_is_a_value_error():
    assert issubclass(InvalidURL, ValueError)


def test_length_limit_is_inclusive():
    prefix = "https://example.com/"
    url = prefix + "a" * (MAX_URL_LENGTH - len(prefix))
    assert url_key(url) == url


# --- idempotence and properties ---------------------------------------------------


schemes = st.sampled_from(["http", "https", "HTTP", "Https", "hTTps"])
hosts = st.one_of(
    st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9_-]{0,10}[A-Za-z0-9])?(\.[A-Za-z0-9]{1,8}){0,3}\.?", fullmatch=True),
    st.text(min_size=1, max_size=20),
    st.ip_addresses(v=4).map(str),
    st.ip_addresses(v=6).map(lambda a: f"[{a}]"),
    st.sampled_from(["bücher.example", "例え.テスト", "MÜNCHEN.de", "xn--bcher-kva.example", "ß.de"]),
)
ports = st.one_of(st.none(), st.integers(min_value=0, max_value=70000).map(str), st.text(max_size=4))
url_pieces = st.one_of(
    st.sampled_from(list("/?#&=%.;:@+!$'()*,~-_ ") + ["%2e", "%2F", "%7e", "%C3%A9", "..", "utm_source=1", "#!/", "#/"]),
    st.characters(),
)
url_text = st.lists(url_pieces, max_size=25).map("".join)


@st.composite
def http_urls(draw):
    url = draw(schemes) + "://"
    if draw(st.booleans()):
        url += draw(st.text(max_size=8)) + "@"
    url += draw(hosts)
    port = draw(ports)
    if port is not None:
        url += ":" + port
    return url + draw(url_text)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(http_urls())
@example("https://example.com/a/..%2F..")
@example("https://example.com/%2e%2E/a")
@example("https://ß.de/")
@example("https://a.b/" + "é" * 2000)
def test_url_key_is_idempotent_and_raises_only_invalid_url(url):
    try:
        key = url_key(url)
    except InvalidURL:
        return
    assert url_key(key) == key
    assert key.startswith(("http://", "https://"))
    assert key.isascii()
    assert "#" not in key or key.split("#", 1)[1][:1] in "!/"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_text_raises_only_invalid_url(text):
    try:
        key = url_key(text)
    except InvalidURL:
        return
    assert url_key(key) == key


@settings(max_examples=300, deadline=None)
@given(http_urls(), st.one_of(st.none(), url_text, http_urls()))
def test_canonical_never_raises_for_a_valid_url(url, canonical):
    try:
        page = url_key(url)
    except InvalidURL:
        return
    key = url_key(page, canonical)
    assert url_key(key) == key
