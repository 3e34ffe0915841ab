"""The extension's URL keys (extension/src/lib/url-key.js, run in Node) are the
server's (services/urlkeys.normalize_url) on generated URLs, not only on the
vectors of tests/fixtures/rules/url-keys.json: its local cache and queue must
find the page the server files a highlight under."""

import json
import re
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from server.services.urlkeys import HOST_TRACKING_PARAMS, TRACKING_PARAMS, InvalidURL, normalize_url
from tests.browser import EXTENSION
from tests.services.test_urlkeys import http_urls

# Node.js and the server's URL rule, on generated URLs: no database in it.
pytestmark = pytest.mark.same_on_every_database

# One URL (a JSON string) a line in, its key (JSON) a line out.
KEYS_IN_NODE = """
import { createInterface } from "node:readline";
import { urlKey } from "./src/lib/url-key.js";
for await (const line of createInterface({ input: process.stdin })) {
  process.stdout.write(JSON.stringify(urlKey(JSON.parse(line))) + "\\n");
}
"""

# The one known difference (url-keys.json, "known_difference"): hosts the server converts
# with IDNA 2003 and browsers with UTS 46, which disagree on these and on characters beyond
# the Basic Multilingual Plane; a real page's host is converted by the browser before the
# extension sees it.
IDNA_2003_ONLY = re.compile("[ßς\u200c\u200d\U00010000-\U0010ffff]")


@pytest.fixture(scope="module")
def extension_key():
    node = shutil.which("node")
    assert node, "this test runs the extension's code in Node.js 20 or newer"
    process = subprocess.Popen([node, "--input-type=module", "-e", KEYS_IN_NODE], cwd=EXTENSION, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def key(url: str) -> str | None:
        process.stdin.write(json.dumps(url) + "\n")
        process.stdin.flush()
        return json.loads(process.stdout.readline())

    yield key
    process.stdin.close()
    process.wait(timeout=10)


def optional(strategy, before: str = "", after: str = ""):
    return st.one_of(st.just(""), strategy.map(lambda text: before + text + after))


# URLs as pages have them, each part drawn from what the rule treats specially, or any text.
hosts = st.one_of(st.sampled_from([
    "example.com", "Example.COM.", "www.youtube.com", "youtu.be", "open.spotify.com", "www.instagram.com",
    "notyoutube.com", "bücher.example", "XN--BCHER-KVA.example", "b%C3%BCcher.example", "例え.テスト", "[::1]",
    "[2001:DB8:0::1]", "127.0.0.1", "localhost", "my_host.example", "ex%61mple.com", "-bad.example", "a..b",
]), st.text(max_size=6))
ports = optional(st.one_of(st.sampled_from(["80", "443", "0443", "8080", "", "65536", "x"]), st.text(max_size=3)), ":")
segments = st.one_of(st.sampled_from([
    "a", "About", ".", "..", "%2e", "%2E%2E", "%7e", "%7Euser", "é", "a b", "%zz", "100%", "x%2fy", "[x]", "~", "",
    "shop;jsessionid=AB1", "a;JSESSIONID=1", "index.html",
]), st.text(max_size=4))
names = st.one_of(st.sampled_from(sorted(TRACKING_PARAMS | {n for ns in HOST_TRACKING_PARAMS.values() for n in ns})
                                  + ["utm_source", "UTM_Medium", "utm%5Fx", "utm", "id", "p", "q", "ref", "b", "a",
                                     "Z", "%7e", "GCLID", ""]), st.text(max_size=4))
values = st.one_of(st.sampled_from(["", "1", "a+b", "a%20b", "a b", "%zz", "%c3%a9", "é", "x=y", "a%26b"]),
                   st.text(max_size=4))
pairs = st.tuples(names, st.sampled_from(["=", ""]), values).map(lambda p: p[0] + p[1] + (p[2] if p[1] else ""))
fragments = st.one_of(st.sampled_from(["top", "!/inbox", "/settings", "/", "!", "!/", "/search?q=a b", ":~:text=x",
                                       "/caf%c3%a9", ""]), st.text(max_size=5))
page_urls = st.builds(
    lambda scheme, user, host, port, path, query, fragment: f"{scheme}://{user}{host}{port}{path}{query}{fragment}",
    st.sampled_from(["http", "https", "HTTPS", "hTtP"]), optional(st.sampled_from(["user", "u:pw", "a@b"]), after="@"),
    hosts, ports, st.lists(segments, max_size=5).map(lambda parts: "".join("/" + part for part in parts)),
    optional(st.lists(pairs, max_size=6).map("&".join), "?"), optional(fragments, "#"),
)


def server_key(url: str) -> str | None:
    try:
        return normalize_url(url)
    except InvalidURL:
        return None


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.one_of(page_urls, http_urls()).filter(lambda url: not IDNA_2003_ONLY.search(url)))
@example("https://Bücher.example/a/%7euser/./b?q=a+b&z=%20&utm_source=x&SPM=1#!/route")
def test_the_extension_keys_a_url_as_the_server_does(extension_key, url):
    assert extension_key(url) == server_key(url)
