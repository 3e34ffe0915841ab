"""Reading exported Markdown back the way other tools do: PyYAML for front matter, markdown-it for the body."""

from urllib.parse import unquote

import yaml
from markdown_it import MarkdownIt

from server.services.exporting.fragments import Fragment

PARSER = MarkdownIt("commonmark")


def split_front_matter(text: str) -> tuple[dict, str]:
    assert text.startswith("---\n"), text[:80]
    lines = text.split("\n")
    end = lines.index("---", 1)
    return yaml.safe_load("\n".join(lines[1:end])), "\n".join(lines[end + 1:])


def words(text: str) -> str:
    return " ".join(text.split())


def blockquotes(body: str) -> list[dict]:
    """Each top-level blockquote: its text (paragraphs joined by spaces) and its links' hrefs."""
    quotes, depth, current = [], 0, None
    for token in PARSER.parse(body):
        if token.type == "blockquote_open":
            depth += 1
            if depth == 1:
                current = {"text": [], "links": []}
        elif token.type == "blockquote_close":
            depth -= 1
            if depth == 0:
                quotes.append({"text": words(" ".join(current["text"])), "links": current["links"]})
        elif token.type == "inline" and depth:
            for child in token.children:
                if child.type in ("text", "code_inline"):
                    current["text"].append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    current["text"].append(" ")
                elif child.type == "link_open":
                    current["links"].append(child.attrs["href"])
    return quotes


def decode_fragment(href: str) -> Fragment:
    """The parts of a ``#:~:text=prefix-,start,end,-suffix`` link, percent-decoded."""
    parts = href.split("#:~:text=", 1)[1].split(",")
    prefix = unquote(parts.pop(0)[:-1]) if parts[0].endswith("-") else ""
    suffix = unquote(parts.pop()[1:]) if len(parts) > 1 and parts[-1].startswith("-") else ""
    for part in parts:
        assert "-" not in part and "&" not in part, part
    return Fragment(prefix, unquote(parts[0]), unquote(parts[1]) if len(parts) > 1 else "", suffix)
