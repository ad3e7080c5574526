"""Generate a large, varied crawl from real pages: real templates, recombined article text.

Not committed output: the crawl goes to a folder you name (it is derived from the pages of
../shared/data/trafilatura_eval, which stay where they are).

    python benchmarks/make_crawl.py OUT_DIR --pages 10000 [--seed 7]

Each generated page takes a real page's markup (navigation, sidebars, comments, scripts as crawled)
and replaces the text of its long paragraphs with paragraphs drawn from other pages of the same
language, so every page is a new article in a real layout: bodies differ, templates repeat per host
(as in a real crawl), and sizes and languages follow the source set. A crawl.jsonl sidecar gives
each page a URL on its source host.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import json
import random
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree, html

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "data" / "trafilatura_eval"
MIN_PARAGRAPH = 80


def _pages(source: Path) -> list[dict]:
    pages = []
    for line in (source / "truth.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        try:
            data = gzip.decompress((source / record["file"]).read_bytes())
            tree = html.fromstring(data)
        except (OSError, ValueError, etree.ParserError):
            continue
        language = (tree.get("lang") or "xx")[:2].lower()
        pages.append({"tree": tree, "url": record.get("url") or f"https://example.org/{record['id']}", "language": language})
    return pages


def _long_paragraphs(tree) -> list:
    return [p for p in tree.iter("p") if len(p.text_content()) >= MIN_PARAGRAPH]


_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def _xml_safe(text: str) -> str:
    """lxml refuses control characters in text nodes (some source pages carry them)."""
    return text.translate(_CONTROL)


def generate(out: Path, n: int, seed: int = 7, source: Path = SOURCE) -> Path:
    rng = random.Random(seed)
    pages = _pages(source)
    pool: dict[str, list[str]] = defaultdict(list)
    for page in pages:
        pool[page["language"]].extend(_xml_safe(p.text_content()).strip() for p in _long_paragraphs(page["tree"]))
    out.mkdir(parents=True, exist_ok=True)
    sidecar = []
    for i in range(n):
        page = pages[i % len(pages)]
        tree = copy.deepcopy(page["tree"])  # an lxml.html tree, so text_content() still works
        texts = pool[page["language"]] or pool["xx"]
        for p in _long_paragraphs(tree):
            for child in list(p):
                p.remove(child)
            p.text = rng.choice(texts)
        parts = urlsplit(page["url"])
        url = f"{parts.scheme or 'https'}://{parts.netloc or 'example.org'}/generated/{i:06d}"
        name = f"{i:06d}.html"
        (out / name).write_bytes(etree.tostring(tree, method="html", encoding="utf-8"))
        sidecar.append({"file": name, "url": url, "status": 200, "content_type": "text/html; charset=utf-8"})
    (out / "crawl.jsonl").write_text("".join(json.dumps(r) + "\n" for r in sidecar), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.out, args.pages, args.seed)
    print(f"{args.pages} pages in {args.out}")


if __name__ == "__main__":
    main()
