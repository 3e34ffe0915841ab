"""Vault sync: keep a folder of Markdown files (an Obsidian vault) up to date with Margins.

- A page's file is found by the ``margins_id`` in its front matter, wherever
  it is in the vault and whatever it is called, so a renamed page (or file)
  keeps its file. New pages get a new file named after their title
  (``file_names``), made only where no file is: a name some file already
  has, or gets meanwhile, is passed over for the next one.
- Only the managed block (between the marker lines) is rewritten. In the
  front matter Margins sets its own keys and keeps the others; the front
  matter text is left as it is when Margins' keys have not changed.
  Everything else the user wrote stays byte for byte, and a file with
  Windows line ends keeps them.
- A file is written only when its content changes (so a second sync with
  no change writes nothing), through a temporary file and a rename.
- Nothing is removed: a page deleted in Margins keeps its file.
"""

import errno
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from .file_names import FileNames
from .markdown import (
    BEGIN_STEM,
    END,
    FRONT_MATTER_KEYS,
    NO_OPTIONS,
    MarkdownOptions,
    PageFile,
    front_matter_text,
    managed_block,
    page_files,
)
from .selection import Source


@dataclass
class VaultSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} new files, {self.updated} updated, {self.unchanged} unchanged"


def sync_vault(source: Source, folder: Path, template: str | None = None,
               options: MarkdownOptions = NO_OPTIONS) -> VaultSummary:
    folder.mkdir(parents=True, exist_ok=True)
    known = _files_by_margins_id(folder)
    names = FileNames(path.name for path in folder.iterdir())
    summary = VaultSummary()
    for page_file in page_files(source, template, options):
        path = known.get(page_file.margins_id)
        if path is None:
            while not _write_new(folder / names.take(page_file.front_matter["title"], page_file.margins_id),
                                 page_file.content):
                pass  # a file of that name appeared since the folder was listed: the next name
            summary.created += 1
            continue
        raw = path.read_bytes().decode("utf-8")
        old = raw.replace("\r\n", "\n")
        new = merged(old, page_file)
        if new == old:
            summary.unchanged += 1
        else:  # in the file's own line ends
            _write(path, new.replace("\n", "\r\n") if "\r\n" in raw else new)
            summary.updated += 1
    return summary


def merged(old: str, page_file: PageFile) -> str:
    """The file with Margins' front matter keys and managed block brought up to date, the rest kept.
    A key of Margins' the page no longer has (an author removed) is taken out, not left stale."""
    front_text, data, rest = split_front_matter(old)
    if data is None:
        front_text = front_text or front_matter_text(page_file.front_matter)
    elif ({key: data[key] for key in FRONT_MATTER_KEYS if key in data} != page_file.front_matter):
        front_text = front_matter_text({**page_file.front_matter,
                                        **{k: v for k, v in data.items() if k not in FRONT_MATTER_KEYS}})
    lines = rest.splitlines(keepends=True)
    begin = next((i for i, line in enumerate(lines) if line.startswith(BEGIN_STEM)), None)
    end = next((i for i, line in enumerate(lines) if begin is not None and i > begin and line.rstrip("\r\n") == END),
               None)
    block = managed_block(page_file.body)
    if begin is None or end is None:
        joiner = "" if not rest or rest.endswith("\n\n") else "\n" if rest.endswith("\n") else "\n\n"
        return front_text + rest + joiner + block
    return front_text + "".join(lines[:begin]) + block + "".join(lines[end + 1:])


def split_front_matter(text: str) -> tuple[str, dict | None, str]:
    """(front matter text with its fences, its data if it is a YAML mapping, the rest)."""
    if not text.startswith("---\n"):
        return "", None, text
    close = text.find("\n---\n", 3)
    if close < 0:
        return "", None, text
    front_text, rest = text[:close + 5], text[close + 5:]
    try:
        data = yaml.safe_load(front_text[4:close + 1])
    except yaml.YAMLError:
        data = None
    return front_text, data if isinstance(data, dict) else None, rest


def _files_by_margins_id(folder: Path) -> dict[str, Path]:
    found = {}
    for path in sorted(folder.rglob("*.md")):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue  # .obsidian, .trash
        try:
            _, data, _ = split_front_matter(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        if data and isinstance(data.get("margins_id"), str):
            found.setdefault(data["margins_id"], path)
    return found


def _write_new(path: Path, text: str) -> bool:
    """Make the file ``path`` holding ``text``, whole or not at all; False (and nothing written) when
    something already has that name. Never replaces a file."""
    temporary = _written_beside(path, text)
    try:
        os.link(temporary, path)  # fails when the name is taken, unlike a rename
    except FileExistsError:
        return False
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        try:  # a file system without hard links (FAT, some network shares): create it exclusively
            with open(path, "x", encoding="utf-8", newline="") as out:
                out.write(text)
        except FileExistsError:
            return False
    finally:
        os.unlink(temporary)
    return True


def _written_beside(path: Path, text: str) -> str:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".margins-", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as out:
            out.write(text)
    except BaseException:
        os.unlink(temporary)
        raise
    return temporary


def _write(path: Path, text: str) -> None:
    """Replace the file Margins made at ``path`` with ``text`` in one step (a rename)."""
    temporary = _written_beside(path, text)
    try:
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
