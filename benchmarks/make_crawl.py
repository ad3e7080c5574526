"""Generate a large, varied crawl from real pages: real templates, recombined article text.

Not committed output: the crawl goes to a folder you name (it is derived from the pages of
../shared/data/trafilatura_eval, which stay where they are).

    python benchmarks/make_crawl.py OUT_DIR --pages 10000 [--seed 7]

Each generated page takes a real page's markup (navigation, sidebars, comments, scripts as crawled)
and replaces the text of its paragraphs, headings, list items, quotes and any other element with bare
text of its own outside the page's chrome (class and id tokens that start with a chrome word) with
texts of the same kind (long or short) drawn from pages of the same language, so every page is
a new article in a real layout: bodies differ, only the chrome repeats per host (as in a real crawl;
an article text repeated on every copy of a layout would be learnt as template), and sizes and
languages follow the source set. A crawl.jsonl sidecar gives
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
MIN_TEXT = 20
CHROME_TAGS = {"nav", "header", "footer", "aside", "form"}
CHROME_WORDS = ("nav", "menu", "footer", "sidebar", "comment", "cookie", "breadcrumb")
NOT_TEXT = {"script", "style", "noscript", "template", "title", "head", "option", "select", "textarea"}
BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "table", "section", "article", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "dl", "pre", "form"}


def _pages(source: Path) -> list[dict]:
    from pipeline.stages.ingest import decode_bytes

    pages = []
    for line in (source / "truth.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        try:
            decoded = decode_bytes(gzip.decompress((source / record["file"]).read_bytes()))
            if decoded is None:
                continue
            tree = html.fromstring(_xml_safe(decoded[0]))
        except (OSError, ValueError, etree.ParserError):
            continue
        language = (tree.get("lang") or "xx")[:2].lower()
        pages.append({"tree": tree, "url": record.get("url") or f"https://example.org/{record['id']}", "language": language})
    return pages


def _marks_chrome(node) -> bool:
    """A class or id token that starts with a chrome word ("sidebar-left", "navbar", "comments") names
    chrome; one that only contains it ("content-sidebar-wrap", "has-sidebar", "off-canvas") names a
    layout wrapper, which often holds the article itself."""
    for token in f"{node.get('class') or ''} {node.get('id') or ''}".lower().split():
        head = token.replace("_", "-").split("-")[0]
        if head.startswith(CHROME_WORDS):
            return True
    return False


def _in_chrome(element) -> bool:
    for node in element.iterancestors():
        if node.tag in ("body", "html", "article", "main"):
            break  # what an article or main holds is content unless a nearer ancestor says otherwise
        if node.tag in CHROME_TAGS or _marks_chrome(node):
            return True
    return False


def _own_text(element) -> str:
    """The element's text outside its children: what a page written with bare text in a <div>, <td>
    or <span> (or between <br>s) shows."""
    return " ".join(" ".join([element.text or "", *(child.tail or "" for child in element)]).split())


def _content_texts(tree) -> list:
    """The elements whose own text a reader would call the page's: paragraphs, headings, list items,
    quotes, and any other element with bare text of its own, outside menus, footers and comments."""
    return [e for e in tree.iter() if isinstance(e.tag, str) and e.tag not in NOT_TEXT
            and len(_own_text(e)) >= MIN_TEXT and not _in_chrome(e) and not _marks_chrome(e)]


def _replace_text(element, pick) -> None:
    """New text for the element's own text; children that are blocks keep their place (and get their
    own new text as elements of the list), inline children go with the old text."""
    if not any(child.tag in BLOCK_TAGS for child in element if isinstance(child.tag, str)):
        long = len(_own_text(element)) >= MIN_PARAGRAPH
        for child in list(element):
            element.remove(child)
        element.text = pick(long)
        return
    element.text = pick(len(element.text or "") >= MIN_PARAGRAPH) if (element.text or "").strip() else element.text
    for child in element:
        if (child.tail or "").strip():
            child.tail = pick(len(child.tail) >= MIN_PARAGRAPH)


_CONTROL = dict.fromkeys(c for c in range(160) if c < 32 and c not in (9, 10, 13) or 127 <= c < 160)


def _xml_safe(text: str) -> str:
    """lxml refuses C0 control characters in text nodes; C1 ones are mis-decoded bytes."""
    return text.translate(_CONTROL)


def generate(out: Path, n: int, seed: int = 7, source: Path = SOURCE) -> Path:
    rng = random.Random(seed)
    pages = _pages(source)
    long_pool: dict[str, list[str]] = defaultdict(list)
    short_pool: dict[str, list[str]] = defaultdict(list)
    for page in pages:
        for element in _content_texts(page["tree"]):
            text = _own_text(element)
            (long_pool if len(text) >= MIN_PARAGRAPH else short_pool)[page["language"]].append(text)
    out.mkdir(parents=True, exist_ok=True)
    sidecar = []
    for i in range(n):
        page = pages[i % len(pages)]
        tree = copy.deepcopy(page["tree"])  # an lxml.html tree, so text_content() still works
        language = page["language"]
        pools = long_pool.get(language) or long_pool["xx"], short_pool.get(language) or short_pool["xx"]

        def pick(long: bool) -> str:
            return rng.choice(pools[0] if long else pools[1] or pools[0])

        for element in _content_texts(tree):
            _replace_text(element, pick)
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
