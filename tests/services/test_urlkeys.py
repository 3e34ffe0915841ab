"""URL keys: one key per article however the URL was spelled (DESIGN.md)."""

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


def same_key(*urls):
    keys = {url_key(u) for u in urls}
    assert len(keys) == 1, keys
    return keys.pop()


# --- scheme, host, port ------------------------------------------------------

@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://example.com/a", "https://example.com/a"),
        ("  https://example.com/a \n", "https://example.com/a"),
        ("\thttps://example.com/a\t", "https://example.com/a"),
        ("HTTPS://EXAMPLE.COM/a", "https://example.com/a"),
        ("hTtP://Example.Com/a", "http://example.com/a"),
        ("https://example.com./a", "https://example.com/a"),
        ("https://user:secret@example.com/a", "https://example.com/a"),
        ("https://user@example.com/a", "https://example.com/a"),
        ("https://a@b@example.com/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:/a", "https://example.com/a"),
        ("https://example.com:0443/a", "https://example.com/a"),
        ("http://example.com:443/a", "http://example.com:443/a"),
        ("https://example.com:80/a", "https://example.com:80/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("http://localhost:5000/a", "http://localhost:5000/a"),
        ("http://127.0.0.1/a", "http://127.0.0.1/a"),
        ("http://192.168.1.10:8080/", "http://192.168.1.10:8080/"),
        ("https://my_host.example.com/", "https://my_host.example.com/"),
        ("https://ex%61mple.com/", "https://example.com/"),
        # www is a different host: kept (a canonical merges mirrored sites)
        ("https://www.example.com/a", "https://www.example.com/a"),
    ],
)
def test_scheme_host_and_port(url, key):
    assert url_key(url) == key


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("http://[::1]/", "http://[::1]/"),
        ("http://[::1]:8080/a", "http://[::1]:8080/a"),
        ("https://[2001:DB8::1]/a", "https://[2001:db8::1]/a"),
        ("https://[2001:0db8:0000:0000:0000:0000:0000:0001]:443/a", "https://[2001:db8::1]/a"),
        ("https://user:pw@[2001:db8::1]:8443/", "https://[2001:db8::1]:8443/"),
    ],
)
def test_ipv6_hosts_keep_brackets(url, key):
    assert url_key(url) == key


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://bücher.example/", "https://xn--bcher-kva.example/"),
        ("https://BÜCHER.example/", "https://xn--bcher-kva.example/"),
        ("https://xn--bcher-kva.example/", "https://xn--bcher-kva.example/"),
        ("https://XN--BCHER-KVA.EXAMPLE/", "https://xn--bcher-kva.example/"),
        ("https://b%C3%BCcher.example/", "https://xn--bcher-kva.example/"),
        ("https://bücher.example./a", "https://xn--bcher-kva.example/a"),
        ("https://例え.テスト/", "https://xn--r8jz45g.xn--zckzah/"),
        ("https://münchen.de:443/straße", "https://xn--mnchen-3ya.de/stra%C3%9Fe"),
    ],
)
def test_idn_hosts_become_punycode(url, key):
    assert url_key(url) == key


def test_both_idn_spellings_give_one_key():
    same_key("https://bücher.example/", "https://xn--bcher-kva.example/")


# --- path -----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://example.com", "https://example.com/"),
        ("https://example.com?a=1", "https://example.com/?a=1"),
        ("https://example.com#!/x", "https://example.com/#!/x"),
        ("https://example.com/a/./b", "https://example.com/a/b"),
        ("https://example.com/a/b/../c", "https://example.com/a/c"),
        ("https://example.com/a/b/..", "https://example.com/a/"),
        ("https://example.com/a/b/.", "https://example.com/a/b/"),
        ("https://example.com/../../a", "https://example.com/a"),
        ("https://example.com/a/%2E%2E/b", "https://example.com/b"),
        ("https://example.com/a/%2e/b", "https://example.com/a/b"),
        ("https://example.com/a..b/.c", "https://example.com/a..b/.c"),
        # trailing slash and case may name a different resource: kept
        ("https://example.com/a/", "https://example.com/a/"),
        ("https://example.com/a", "https://example.com/a"),
        ("https://example.com/About/Team", "https://example.com/About/Team"),
        ("https://example.com/a//b", "https://example.com/a//b"),
    ],
)
def test_path(url, key):
    assert url_key(url) == key


@pytest.mark.parametrize(
    ("url", "key"),
    [
        # hex digits uppercased
        ("https://example.com/a%2fb", "https://example.com/a%2Fb"),
        ("https://example.com/%c3%a9t%c3%a9", "https://example.com/%C3%A9t%C3%A9"),
        # unreserved characters decoded
        ("https://example.com/%7Euser/%41%2D%5F%2E", "https://example.com/~user/A-_."),
        # reserved characters stay encoded (%2F is not '/')
        ("https://example.com/a%2Fb%3Fc%23d", "https://example.com/a%2Fb%3Fc%23d"),
        # characters that must be encoded get encoded, non-ASCII as UTF-8
        ("https://example.com/a b", "https://example.com/a%20b"),
        ("https://example.com/été", "https://example.com/%C3%A9t%C3%A9"),
        ("https://example.com/日本", "https://example.com/%E6%97%A5%E6%9C%AC"),
        ('https://example.com/"<>`{|}^\\', "https://example.com/%22%3C%3E%60%7B%7C%7D%5E%5C"),
        ("https://example.com/[x]", "https://example.com/%5Bx%5D"),
        # a stray '%' that starts no escape is encoded
        ("https://example.com/100%", "https://example.com/100%25"),
        ("https://example.com/%zz", "https://example.com/%25zz"),
        # sub-delims and ':' '@' are legal in a path
        ("https://example.com/a:b@c!$&'()*+,;=", "https://example.com/a:b@c!$&'()*+,;="),
        # session ids in the path are not content
        ("https://example.com/shop;jsessionid=ABC123", "https://example.com/shop"),
        ("https://example.com/a;JSESSIONID=1/b", "https://example.com/a/b"),
    ],
)
def test_path_percent_encoding(url, key):
    assert url_key(url) == key


@pytest.mark.parametrize(
    "urls",
    [
        ("https://example.com/été", "https://example.com/%C3%A9t%C3%A9", "https://example.com/%c3%a9t%c3%a9"),
        ("https://example.com/a b", "https://example.com/a%20b"),
        ("https://example.com/~me", "https://example.com/%7Eme", "https://example.com/%7eme"),
        ("https://example.com/x?q=été", "https://example.com/x?q=%C3%A9t%C3%A9"),
    ],
)
def test_equivalent_encodings_give_one_key(urls):
    same_key(*urls)


# --- query ----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://example.com/a?utm_source=x", "https://example.com/a"),
        ("https://example.com/a?UTM_Source=x&Utm_Medium=y", "https://example.com/a"),
        ("https://example.com/a?utm_whatever_new=1", "https://example.com/a"),
        ("https://example.com/a?id=7&utm_source=x&utm_medium=email", "https://example.com/a?id=7"),
        ("https://example.com/a?gclid=1&p=2&fbclid=3", "https://example.com/a?p=2"),
        (
            "https://example.com/a?msclkid=1&yclid=2&dclid=3&gbraid=4&wbraid=5&page=3",
            "https://example.com/a?page=3",
        ),
        ("https://example.com/a?mc_cid=1&mc_eid=2&q=x", "https://example.com/a?q=x"),
        ("https://example.com/a?_ga=1&_gl=2&_hsenc=3&_hsmi=4&v=9", "https://example.com/a?v=9"),
        ("https://example.com/a?mkt_tok=1&vero_id=2&igshid=3", "https://example.com/a"),
        ("https://example.com/a?oly_anon_id=1&oly_enc_id=2&__s=3", "https://example.com/a"),
        ("https://example.com/a?ref_src=twsrc&ref_url=x&spm=a.b", "https://example.com/a"),
        ("https://example.com/a?trk=feed&s_cid=1&ncid=2&cmpid=3", "https://example.com/a"),
        ("https://example.com/a?GCLID=1&FbClId=2", "https://example.com/a"),
        ("https://example.com/a?utm%5Fsource=x", "https://example.com/a"),
        ("https://example.com/a?PHPSESSID=abc&id=1", "https://example.com/a?id=1"),
        # only the utm_ prefix is tracking; a plain 'utm' key is not
        ("https://example.com/a?utm=1", "https://example.com/a?utm=1"),
        # ref is kept: it selects a branch on GitHub/GitLab
        ("https://github.com/o/r/blob/x.py?ref=main", "https://github.com/o/r/blob/x.py?ref=main"),
        ("https://example.com/a?ref=hn", "https://example.com/a?ref=hn"),
        # si is tracking only on YouTube and Spotify share links
        ("https://youtu.be/dQw4w9WgXcQ?si=AbC123", "https://youtu.be/dQw4w9WgXcQ"),
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&si=x&feature=share",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        ),
        ("https://m.youtube.com/watch?si=x&v=1", "https://m.youtube.com/watch?v=1"),
        ("https://open.spotify.com/track/123?si=abc", "https://open.spotify.com/track/123"),
        ("https://www.instagram.com/p/xyz/?igsh=abc", "https://www.instagram.com/p/xyz/"),
        ("https://example.com/a?si=2", "https://example.com/a?si=2"),
        ("https://example.com/a?feature=dark", "https://example.com/a?feature=dark"),
        ("https://notyoutube.com/a?si=2", "https://notyoutube.com/a?si=2"),
    ],
)
def test_tracking_parameters_are_dropped(url, key):
    assert url_key(url) == key


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("https://example.com/a?z=1&a=2&m=3", "https://example.com/a?a=2&m=3&z=1"),
        # repeated keys keep their relative order (stable sort)
        ("https://example.com/a?t=3&a=x&t=1&t=2", "https://example.com/a?a=x&t=3&t=1&t=2"),
        ("https://example.com/a?tag=b&tag=a", "https://example.com/a?tag=b&tag=a"),
        # blank values and keys without '=' are kept, and stay distinct
        ("https://example.com/a?a=", "https://example.com/a?a="),
        ("https://example.com/a?a", "https://example.com/a?a"),
        ("https://example.com/a?b&a=", "https://example.com/a?a=&b"),
        ("https://example.com/a?=x", "https://example.com/a?=x"),
        # empty query and empty pieces vanish
        ("https://example.com/a?", "https://example.com/a"),
        ("https://example.com/a?&&", "https://example.com/a"),
        ("https://example.com/a?a=1&&b=2&", "https://example.com/a?a=1&b=2"),
        ("https://example.com/a?utm_source=x&", "https://example.com/a"),
        # values keep '=' after the first, and encoded separators stay encoded
        ("https://example.com/a?x=1=2", "https://example.com/a?x=1=2"),
        ("https://example.com/a?x=a%26b%3dc", "https://example.com/a?x=a%26b%3Dc"),
        # encoding is normalized in keys and values
        ("https://example.com/a?q=caf%c3%a9&%7e=1", "https://example.com/a?q=caf%C3%A9&~=1"),
        ("https://example.com/a?q=a b", "https://example.com/a?q=a%20b"),
        ("https://example.com/a?q=ü", "https://example.com/a?q=%C3%BC"),
        ("https://example.com/a?u=/x/?y:z@w", "https://example.com/a?u=/x/?y:z@w"),
        # '+' and '%20' are different to servers that do not form-decode
        ("https://example.com/a?q=a+b", "https://example.com/a?q=a+b"),
    ],
)
def test_query(url, key):
    assert url_key(url) == key


def test_tracking_params_mixed_with_real_ones_in_any_order():
    same_key(
        "https://news.example/story?id=42&page=2",
        "https://news.example/story?utm_source=tw&page=2&fbclid=XYZ&id=42",
        "https://news.example/story?page=2&id=42&utm_campaign=c#comments",
        "HTTPS://News.Example:443/story?gclid=1&id=42&page=2&_ga=2.1",
    )


def test_tracking_list_holds_the_documented_names_and_no_content_selectors():
    for name in ("gclid", "fbclid", "msclkid", "mc_cid", "_hsenc", "mkt_tok", "spm", "trk"):
        assert name in TRACKING_PARAMS
    for name in ("id", "p", "v", "page", "q", "ref", "si", "s", "lang", "sort"):
        assert name not in TRACKING_PARAMS
    assert all(name == name.lower() for name in TRACKING_PARAMS)


# --- fragment -------------------------------------------------------------------

@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://example.com/a#section-2", "https://example.com/a"),
        ("https://example.com/a#", "https://example.com/a"),
        ("https://example.com/a?x=1#top", "https://example.com/a?x=1"),
        ("https://example.com/a#:~:text=hello", "https://example.com/a"),
        # single-page-app routes name different content: kept
        ("https://mail.example/#!/inbox", "https://mail.example/#!/inbox"),
        ("https://app.example/#/settings", "https://app.example/#/settings"),
        ("https://app.example/#/settings/", "https://app.example/#/settings/"),
        ("https://app.example/#!inbox", "https://app.example/#!inbox"),
        ("https://app.example/#/search?q=a b&utm_source=x", "https://app.example/#/search?q=a%20b&utm_source=x"),
        ("https://app.example/#/caf%c3%a9", "https://app.example/#/caf%C3%A9"),
        # the app's root route is the same content as no route
        ("https://app.example/#/", "https://app.example/"),
        ("https://app.example/#!", "https://app.example/"),
        ("https://app.example/#!/", "https://app.example/"),
    ],
)
def test_fragment(url, key):
    assert url_key(url) == key


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

@pytest.mark.parametrize(
    ("url", "word"),
    [
        ("", "empty"),
        ("   \n", "empty"),
        ("/relative/path", "relative"),
        ("example.com/a", "relative"),
        ("//example.com/a", "relative"),
        ("?q=1", "relative"),
        ("javascript:alert(1)", "javascript"),
        ("JavaScript:alert(1)", "javascript"),
        ("data:text/html,<b>x</b>", "data"),
        ("file:///etc/passwd", "file"),
        ("chrome://settings", "chrome"),
        ("chrome-extension://abc/page.html", "chrome-extension"),
        ("about:blank", "about"),
        ("mailto:me@example.com", "mailto"),
        ("ftp://example.com/a", "ftp"),
        ("ws://example.com/socket", "ws"),
        ("localhost:8080/a", "http://"),
        ("http://", "host"),
        ("https:///path", "host"),
        ("https://user@/path", "host"),
        ("https://:443/", "host"),
        ("https:example.com", "host"),
        ("http:/example.com", "host"),
        ("https://.", "host"),
        ("https://exa mple.com/", "host"),
        ("https://exa<mple.com/", "host"),
        ("https://a..b/", "host"),
        ("https://.example.com/", "host"),
        ("https://-bad.example.com/", "host"),
        ("https://" + "a" * 64 + ".com/", "host"),
        ("https://example.com\\evil/", "host"),
        ("https://ex%ffample.com/", "UTF-8"),
        ("https://example.com:http/", "port"),
        ("https://example.com:65536/", "port"),
        ("https://example.com:-1/", "port"),
        ("https://example.com:٨٠/", "port"),
        ("https://::1/", "brackets"),
        ("https://[::1/", "never closes"),
        ("https://[::1]x/", "after"),
        ("https://[not:an:ip]/", "IPv6"),
        ("https://[fe80::1%25eth0]/", "zone"),
        ("https://[v1.abc]/", "IPvFuture"),
        ("https://example.com/a\nb", "control"),
        ("https://example.com/a\x00b", "U+0000"),
        ("https://exa\tmple.com/", "control"),
        ("https://example.com/\x7f", "control"),
        ("https://example.com/a\x85b", "control"),
        ("https://example.com/\ud800", "surrogate"),
        ("https://example.com/" + "a" * MAX_URL_LENGTH, "long"),
        ("https://example.com/" + "é" * 3000, "long"),
        (None, "string"),
        (b"https://example.com/", "string"),
    ],
)
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

EXAMPLES = [
    "HTTPS://Bücher.Example.:443/a/./b/../c%7e%2f?utm_Source=x&b=2&a=1&a=0&&c&d=#frag",
    "http://user:pw@[2001:DB8:0::1]:8080",
    "https://example.com/%zz/é?q=a b&t=2&t=1#!/route",
    "https://example.com/a;jsessionid=1?x=%2525",
    "https://app.example/#/search?q=%c3%a9",
]


@pytest.mark.parametrize("url", EXAMPLES)
def test_idempotent_on_examples(url):
    key = url_key(url)
    assert url_key(key) == key
    assert normalize_url(key) == key


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
