"""A small library made of the seed texts, through the API as the extension would make it."""

import json
import uuid
from dataclasses import dataclass, field

from tests.paths import SEEDS

PAGES = (
    ("001_f340124abb79570d.txt", "https://podcast-digest.example/ai-sovereignty?utm_source=feed", "AI sovereignty, in five insights", ["china", "policy"]),
    ("002_7e9d346e9de488ee.txt", "https://frontier.example/labs-funding", "Frontier Labs, Funding and Geopolitics", ["funding"]),
    ("003_217b821a38cd2db6.txt", "https://podcast-digest.example/open-models", "Open models after Llama", ["china"]),
    ("004_a06334fa0a2d9d84.txt", "https://notes.example/ai-geopolitics", "AI Geopolitics and the Open Model Question", []),
)
COLORS = ("yellow", "green", "blue", "pink", "orange")


@dataclass
class Library:
    pages: dict = field(default_factory=dict)        # title -> page id
    highlights: dict = field(default_factory=dict)   # page id -> [highlight uuid] in reading order
    orphan: str = ""                                 # on the first page, not in its copy


def paragraphs(name: str) -> list[str]:
    lines = SEEDS.joinpath(name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if len(line.strip()) > 60 and not line.startswith(("{", "---"))]


def article_html(title: str, texts: list[str]) -> str:
    body = "".join(f"<p>{text}</p>" for text in texts)
    return (f"<!doctype html><html><head><title>{title}</title></head>"
            f"<body><nav>Home · About</nav><article><h1>{title}</h1>{body}</article></body></html>")


def seed_library(person) -> Library:
    made = Library()
    for n, (name, url, title, tags) in enumerate(PAGES):
        texts = paragraphs(name)[:8]
        page = person.api.put("/pages", {"url": url, "title": title, "html": article_html(title, texts), "tags": tags})
        assert page.status_code in (200, 201), page.json
        made.pages[title] = page.json["id"]
        made.highlights[page.json["id"]] = []
        for k, text in enumerate(texts[:3]):
            exact = text.split(". ")[0].rstrip(".")
            highlight_id = str(uuid.uuid4())
            answer = person.api.put(f"/highlights/{highlight_id}", {
                "url": url, "quote": {"exact": exact, "prefix": "", "suffix": text[len(exact):len(exact) + 32]},
                "position": {"start": 1000 * k, "end": 1000 * k + len(exact)},
                "color": COLORS[(n + k) % len(COLORS)], "note": "Worth **re-reading**." if k == 0 else "",
                "tags": tags[:1] if k == 1 else []})
            assert answer.status_code == 201, json.dumps(answer.json)
            made.highlights[page.json["id"]].append(highlight_id)
    # An orphan: its text is not in the kept copy.
    made.orphan = str(uuid.uuid4())
    answer = person.api.put(f"/highlights/{made.orphan}", {
        "url": PAGES[0][1], "quote": {"exact": "A sentence the page has since lost", "prefix": "", "suffix": ""},
        "position": {"start": 99_000, "end": 99_034}, "color": "purple", "note": "", "tags": []})
    assert answer.status_code == 201, json.dumps(answer.json)
    return made
