"""Kindle parser: time per clipping for one book of N and of 8 N clippings (linear: the same per clipping).

    .venv/bin/python bench/kindle_parse.py [--clippings 2000]

The baseline is reading the same file into lines (decode and split), which any parser must do.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.services.importing.kindle import parse  # noqa: E402
from server.services.importing.reading import decode_text  # noqa: E402


def clippings_file(count: int) -> bytes:
    entries = []
    for index in range(count):
        start = index * 7
        entries.append(f"One Long Book (A. Writer)\r\n- Your Highlight on page {index // 20} | Location {start}-"
                       f"{start + 3} | Added on Monday, March 5, 2018 10:15:02 PM\r\n\r\nPassage {index} of the "
                       "book, long enough to be a sentence.\r\n==========\r\n")
        if index % 4 == 0:
            entries.append(f"One Long Book (A. Writer)\r\n- Your Note on page {index // 20} | Location {start + 2} | "
                           f"Added on Monday, March 5, 2018 10:16:02 PM\r\n\r\nA note.\r\n==========\r\n")
    return "".join(entries).encode()


def timed(function, data: bytes) -> float:
    begin = time.perf_counter()
    function(data)
    return time.perf_counter() - begin


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__)
    arguments.add_argument("--clippings", type=int, default=2000)
    count = arguments.parse_args().clippings
    for size in (count, count * 8):
        data = clippings_file(size)
        parsing, reading = timed(parse, data), timed(lambda d: decode_text(d).split("\n"), data)
        print(f"{size:>7} clippings: parse {parsing:.3f} s ({parsing / size * 1e6:.1f} µs each), "
              f"read lines {reading:.4f} s, ratio {parsing / reading:.0f}")


if __name__ == "__main__":
    main()
