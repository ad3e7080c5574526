"""Main text of a page with no site profile.

1. trafilatura (run on the tree we already parsed; it works on its own copy) proposes the article.
   Its output is mapped back onto our text blocks by line identity and word 4-gram coverage, so the
   body keeps our paragraph structure and every body paragraph still knows its element.
2. When trafilatura finds nothing, our own density choice takes over: the run of consecutive
   blocks where prose outweighs links. When its text is not in our blocks at all (it read the
   article from JSON-LD), its text is taken as it is.
3. The proposal is refined with cues trafilatura does not use: "read also" link paragraphs,
   boxes named as non-article (``rules/boilerplate.toml``) inside the article's container,
   headings or link lists trailing after the last real paragraph, paragraphs repeating an earlier
   one (a print view or a second tab of the article), and blocks after the densest container (scored
   the way readability scores containers) that sit in boxes named as side boxes.

Every rule here was kept because it raised the snippet F1 on the trafilatura evaluation set or the
shingle F1 on dragnet without lowering the other, measured on the sets' tuning halves and checked on
the held-out halves (``benchmarks/results/extraction.md``), not because it fixed one page.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from ..language import written_without_spaces
from .cues import Cues
from .html import HEADING_TAGS, TextBlock, class_tokens

_LIST_MARKER = re.compile(r"^(?:[-*•]|\d+[.)])\s+")
_CELL_SPLIT = re.compile(r"\s*\|\s*")
_LABEL_FIRST = re.compile(r"\W{0,3}\w+(?: \w+){0,2}:")  # "Tags:", "Read also:", "See more here:"
_URL_OR_EMAIL = re.compile(r"https?://|www\.|\S@\S|\.\w{2,4}/")
SHINGLE = 4  # words per shingle when matching trafilatura's text to our blocks
MIN_COVERAGE = 0.8  # share of a block's shingles trafilatura's text must hold to cover it
MIN_SHINGLED_WORDS = 8  # shorter blocks must match one of its lines exactly
CHAR_SHINGLE = 6  # characters per shingle for text written without spaces
MIN_SHINGLED_CHARS = 12
LINE_KEY_CHARS = 12  # prefix length indexing trafilatura's lines, to find lines split over several blocks
MAX_LINK_DENSITY = 0.5  # a block more made of links than this must match a line exactly
PROMO_LINK_DENSITY = 0.6  # a paragraph this much made of links is a "read also" teaser...
MAX_PROMO_OWN_WORDS = 4  # ...when, outside its links, it has no more words than a cue ("Read also:")
TRAILING_LINK_DENSITY = 0.4
SUBSTANTIAL_WORDS = 15  # a paragraph of the article itself, not a caption, label or teaser
MIN_PROPOSAL_CHARS = 200  # trafilatura text shorter than this is never taken as it is
MIN_MAPPED_SHARE = 0.3  # below this share of trafilatura's text found in our blocks, its text is used as is

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


@dataclass
class GenericResult:
    body: list[TextBlock]
    source: str
    dropped: list[tuple[TextBlock, str]] = field(default_factory=list)  # (block, why) the refinement removed
    notes: list[str] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)  # body paragraphs found in no block (structured data)


def extract_generic(tree, candidates: list[TextBlock], url: str | None, cues: Cues, known: set[str] = frozenset()) -> GenericResult:
    """Choose the body among ``candidates`` (blocks not already known to be title, metadata...).

    ``known`` holds texts already placed elsewhere (title, metadata values): never body paragraphs.
    """
    text = trafilatura_text(tree, url)
    proposal = mapped_blocks(text, candidates) if text else []
    mapped = sum(len(b.text) for b in proposal)
    if text and len(text) >= MIN_PROPOSAL_CHARS and mapped < MIN_MAPPED_SHARE * len(text):
        # trafilatura read the article from structured data (JSON-LD articleBody) or markup our
        # blocks do not show: take its text as it is
        lines = [" ".join(line.split()) for line in text.splitlines()]
        unplaced = [line for line in lines if line and line not in known]
        note = "trafilatura's text is not in the page's visible blocks (structured data?): taken as it is"
        return GenericResult([], "trafilatura:text", [], [note], unplaced)
    source, notes = "trafilatura", []
    if not text:
        proposal, source = density_body(candidates), "generic:density"
        notes.append("trafilatura found no text; the densest run of prose was taken instead")
    trimmed: list[tuple[TextBlock, str]] = []
    dense = densest_container(candidates, cues) if text else None
    if dense is not None and proposal and in_sidebar(proposal, cues) and not in_sidebar(dense.blocks[:1], cues):
        proposal, trimmed = dense_without_side_boxes(dense, cues)
        source = "generic:densest-container"
        notes.append("trafilatura's choice lies in the page's sidebar; the densest container outside it was taken")
    elif dense is not None:
        proposal, trimmed = without_trailing_side_boxes(proposal, dense, cues)
    body, dropped = refine(proposal, cues, known)
    return GenericResult(body, source, trimmed + dropped, notes)


# ------------------------------------------------------------------------------------ trafilatura


def trafilatura_text(tree, url: str | None) -> str | None:
    """trafilatura's main text for an already parsed tree, or None."""
    import trafilatura

    try:
        result = trafilatura.bare_extraction(
            tree,
            url=url,
            include_comments=False,
            include_tables=True,
            include_formatting=False,
            with_metadata=False,
            output_format="python",
        )
    except Exception:  # noqa: BLE001 - a failing extractor means "no opinion", not a failed page
        return None
    text = getattr(result, "text", None) if result is not None else None
    return text or None


def mapped_blocks(text: str, candidates: list[TextBlock]) -> list[TextBlock]:
    """The candidates trafilatura's text is made of, in document order."""
    index = TextIndex(text)
    covered = [index.covers(b) for b in candidates]
    _cover_split_lines(index, candidates, covered)
    return [b for b, yes in zip(candidates, covered) if yes]


def _cover_split_lines(index: "TextIndex", candidates: list[TextBlock], covered: list[bool]) -> None:
    """One output line made of several consecutive blocks of ours (a list item whose title and
    source sit in separate <div>s) covers all of them."""
    for i, block in enumerate(candidates):
        if covered[i]:
            continue
        for line in index.lines_starting(block.text):
            text, j = block.text, i
            while text != line and j + 1 < len(candidates) and line.startswith(f"{text} {candidates[j + 1].text}"):
                j += 1
                text = f"{text} {candidates[j].text}"
            if text == line and j > i:
                covered[i : j + 1] = [True] * (j + 1 - i)
                break


def _shingles(words: list[str], size: int) -> set[str]:
    """Every run of ``size`` consecutive words, as one string: words hold no whitespace, so joining
    them with a space keeps runs apart, and strings are built and hashed faster than tuples."""
    return set(map(" ".join, zip(*(words[i:] for i in range(size)))))


def _char_shingles(chars: str, size: int) -> set[str]:
    """Every run of ``size`` consecutive characters (for text written without spaces)."""
    return {chars[i : i + size] for i in range(len(chars) - size + 1)}


class TextIndex:
    """What an extractor's output contains, asked block by block."""

    def __init__(self, text: str):
        self.lines: set[str] = set()
        words: list[str] = []
        for raw in text.splitlines():
            line = " ".join(raw.split())
            if not line:
                continue
            self.lines.add(line)
            line = _LIST_MARKER.sub("", line)
            self.lines.add(line)
            self.lines.update(c for c in _CELL_SPLIT.split(line.strip("| ")) if c)
            words.extend(line.replace("|", " ").split())
        self._by_start: dict[str, list[str]] = {}
        for line in self.lines:
            self._by_start.setdefault(line[:LINE_KEY_CHARS], []).append(line)
        self.word_shingles = _shingles(words, SHINGLE)
        self._chars = "".join(words)
        self.char_shingles: set[str] | None = None  # built when a block written without spaces asks

    def lines_starting(self, text: str) -> list[str]:
        """Output lines that begin with the text (and are longer than it)."""
        if len(text) < LINE_KEY_CHARS:
            return []
        return [l for l in self._by_start.get(text[:LINE_KEY_CHARS], ()) if len(l) > len(text) and l.startswith(text)]

    def _coverage(self, text: str) -> float | None:
        """Share of the text's shingles found in the output; None when it is too short to tell."""
        if written_without_spaces(text):
            chars = "".join(text.split())
            if len(chars) < MIN_SHINGLED_CHARS:
                return None
            if self.char_shingles is None:
                self.char_shingles = _char_shingles(self._chars, CHAR_SHINGLE)
            own = _char_shingles(chars, CHAR_SHINGLE)
            return len(own & self.char_shingles) / len(own)
        words = text.split()
        if len(words) < MIN_SHINGLED_WORDS:
            return None
        own = _shingles(words, SHINGLE)
        return len(own & self.word_shingles) / len(own)

    def covers_text(self, text: str, linky: bool) -> bool:
        """The text is a line of the output or, when long and not mostly links, mostly made of its n-grams.

        Short texts must match a whole line: "Mission to Bosnia" as a menu entry is not covered by a
        body sentence that happens to contain those words.
        """
        if text in self.lines:
            return True
        if linky:
            return False
        coverage = self._coverage(text)
        return coverage is not None and coverage >= MIN_COVERAGE

    def covers(self, block: TextBlock) -> bool:
        linky = block.link_density > MAX_LINK_DENSITY
        if self.covers_text(block.text, linky):
            return True
        if len(block.lines) < 2:
            return False
        covered = sum(len(line) for line in block.lines if self.covers_text(line, linky))
        return covered >= MIN_COVERAGE * sum(len(line) for line in block.lines)


# ------------------------------------------------------------------------------------ our own choice


def density_body(candidates: list[TextBlock]) -> list[TextBlock]:
    """The stretch of the page where prose outweighs links.

    Each block scores its non-link characters (fully for sentence-like blocks, a third for short
    ones) minus twice its link characters and a small cost per block; the body is the
    highest-scoring run of consecutive blocks (maximum subarray), without its link lists.
    """
    best_sum, best = 0.0, (0, -1)
    running, start = 0.0, 0
    for i, block in enumerate(candidates):
        running += _density_value(block)
        if running <= 0:
            running, start = 0.0, i + 1
        elif running > best_sum:
            best_sum, best = running, (start, i)
    first, last = best
    return [b for b in candidates[first : last + 1] if b.link_density <= MAX_LINK_DENSITY]


def _density_value(block: TextBlock) -> float:
    plain = len(block.text) - block.link_chars
    weight = 1.0 if (block.words >= 8 and block.link_density < 0.3) else 0.3
    return weight * plain - 2.0 * block.link_chars - 20.0


# ------------------------------------------------------------------------------------ container density

_TAG_WEIGHTS = {"div": 5, "article": 5, "main": 5, "section": 3, "td": 3, "pre": 3, "blockquote": 3,
                "form": -3, "ul": -3, "ol": -3, "dl": -3, "dd": -3, "dt": -3, "li": -3, "address": -3,
                "th": -5, "header": -5, "footer": -5, "nav": -5, "aside": -5}
CLASS_WEIGHT = 25  # a container named as the article's (or as a side box) counts this much more (less)
MIN_PARAGRAPH_CHARS = 25  # shorter blocks add nothing to their container's score
AGREEMENT = 0.5  # share of the densest container's text trafilatura must hold for the two to agree
SIBLING_SHARE = 0.2  # a sibling container scoring this share of the best one's is part of the article
MIN_SIBLING_SCORE = 10.0


@dataclass
class DenseContainer:
    """Where prose is densest: the best-scoring container and the sibling containers taken with it."""

    blocks: list[TextBlock]
    scope: object  # the best container's parent (the best container itself when it has none)

    @property
    def chars(self) -> int:
        return sum(len(b.text) for b in self.blocks)


def densest_container(candidates: list[TextBlock], cues: Cues) -> DenseContainer | None:
    """The blocks of the container where prose is densest, scored the way readability scores them.

    Each paragraph (a block of at least 25 characters) scores 1, one per comma and one per 100
    characters (at most 3); its parent gets the score, its grandparent half. A container starts
    from its tag (a ``div`` more than a list) and its class (``rules/boilerplate.toml``
    [container_weights]), and its total is scaled down by its share of link text. The best
    container's blocks are kept, with sibling containers scoring at least a fifth as much.
    """
    scores: dict = {}
    for block in candidates:
        if len(block.text) < MIN_PARAGRAPH_CHARS or len(block.ancestors) < 2:
            continue
        score = 1 + block.text.count(",") + min(3, len(block.text) // 100)
        for share, container in ((1.0, block.ancestors[-2]), (0.5, block.ancestors[-3] if len(block.ancestors) > 2 else None)):
            if container is None:
                continue
            if container not in scores:
                scores[container] = _TAG_WEIGHTS.get(container.tag, 0) + CLASS_WEIGHT * cues.container_weight(class_tokens(container))
            scores[container] += share * score
    if not scores:
        return None
    chars = dict.fromkeys(scores, 0)
    links = dict.fromkeys(scores, 0)
    for block in candidates:
        size, link_chars = len(block.text), block.link_chars
        for ancestor in block.ancestors:
            if ancestor in chars:
                chars[ancestor] += size
                links[ancestor] += link_chars
    final = {c: s * (1 - links[c] / max(1, chars[c])) for c, s in scores.items()}
    best = max(final, key=final.get)
    chosen = {best}
    parent = best.getparent()
    if parent is not None:
        threshold = max(MIN_SIBLING_SCORE, SIBLING_SHARE * final[best])
        chosen.update(c for c in parent if c is not best and final.get(c, 0.0) >= threshold)
    return DenseContainer([b for b in candidates if b.inside(chosen)], parent if parent is not None else best)


def without_trailing_side_boxes(proposal: list[TextBlock], dense: DenseContainer, cues: Cues) -> tuple[list[TextBlock], list[tuple[TextBlock, str]]]:
    """Drop what trafilatura took in after the article's densest container, from boxes named as
    side boxes (``rules/boilerplate.toml`` [container_weights] side: a comment thread, a sponsor or
    "more stories" widget).

    Only when trafilatura and the container agree on the article (its proposal holds at least half
    of the container's text), and never for a name the article's own containers carry too: on a
    page builder's page every box is an ``elementor-widget``, the article's included.
    """
    inside = {id(b) for b in dense.blocks}
    proposed = {id(b) for b in proposal}
    if not dense.blocks or sum(len(b.text) for b in dense.blocks if id(b) in proposed) < AGREEMENT * dense.chars:
        return proposal, []
    last = dense.blocks[-1].index
    shared = {dense.scope, *dense.scope.iterancestors()}
    # blocks share most of their ancestors: name each container once, not once per block under it
    own_containers = {a for b in dense.blocks for a in b.ancestors}
    own_names = {t for a in own_containers if (t := cues.side_name(class_tokens(a)))}
    kept, dropped = [], []
    for block in proposal:
        token = None
        if block.index > last and id(block) not in inside:
            token = next((t for a in block.ancestors if a not in shared and (t := cues.side_box(class_tokens(a))) and t not in own_names), None)
        if token:
            dropped.append((block, f"after the article's densest container, inside a .{token} box"))
        else:
            kept.append(block)
    return kept, dropped


def in_sidebar(blocks: list[TextBlock], cues: Cues) -> bool:
    """Every block lies in an ``<aside>`` or a box named as the page's sidebar column, with no
    ``<article>`` or ``<main>`` between (a layout class such as ``wrap cb-sidebar-right`` on the
    wrapper of the article and its sidebar names no sidebar box)."""
    return all(_in_sidebar(b, cues) for b in blocks)


def _in_sidebar(block: TextBlock, cues: Cues) -> bool:
    found = False
    for ancestor in block.ancestors:
        if ancestor.tag == "aside" or cues.is_sidebar(class_tokens(ancestor)):
            found = True
        elif ancestor.tag in ("article", "main"):
            found = False
    return found


def dense_without_side_boxes(dense: DenseContainer, cues: Cues) -> tuple[list[TextBlock], list[tuple[TextBlock, str]]]:
    """The densest container's blocks without those in boxes named as side boxes below it (the
    post's comment thread, its share buttons)."""
    shared = {dense.scope, *dense.scope.iterancestors()}
    kept, dropped = [], []
    for block in dense.blocks:
        token = next((t for a in block.ancestors if a not in shared and (t := cues.side_box(class_tokens(a)))), None)
        if token:
            dropped.append((block, f"inside a .{token} box of the densest container"))
        else:
            kept.append(block)
    return kept, dropped


# ------------------------------------------------------------------------------------ refinement


def refine(body: list[TextBlock], cues: Cues, known: set[str] = frozenset()) -> tuple[list[TextBlock], list[tuple[TextBlock, str]]]:
    """Remove what trafilatura (or the density choice) took in but is not the article.

    ``known`` holds texts already placed elsewhere (the title, metadata values): a second copy of
    the title in a breadcrumb or a repeated heading is not body text either.
    """
    dropped: list[tuple[TextBlock, str]] = []
    container_depth = _common_depth(body)
    kept = []
    seen: set[str] = set()
    for block in body:
        if block.text in known:
            why = "repeats the title or a labelled value"
        elif block.text in seen:  # a print view or a second tab of the same article
            why = "repeats an earlier paragraph of the body"
        else:
            why = _link_promo(block) or _excluded_box(block, container_depth, cues)
        if why:
            dropped.append((block, why))
        else:
            kept.append(block)
            seen.add(block.text)
    kept, trailing = _without_trailing_chrome(kept)
    return kept, dropped + trailing


def _link_promo(block: TextBlock) -> str | None:
    """A "Read also: <link>" paragraph: mostly links, and of its own only a few words (the cue).
    Headings, list items and visible URLs or e-mail addresses are spared, and so is a sentence
    written around its links ("Refer to <the guide> if you are new to Twitter") unless it opens with
    a label ("Published: ... | Tags: <links>"): linked headings, link lists and linked sentences are
    often the article's own content."""
    if block.link_density <= PROMO_LINK_DENSITY or _is_list_item(block) or _URL_OR_EMAIL.search(block.text):
        return None
    if block.words * (1 - block.link_density) > MAX_PROMO_OWN_WORDS and not _LABEL_FIRST.match(block.text):
        return None
    if any(a.tag in HEADING_TAGS for a in block.ancestors):
        return None
    return f"a paragraph of links ({block.link_density:.0%}) inside the text"


def _excluded_box(block: TextBlock, container_depth: int, cues: Cues) -> str | None:
    """Inside a box named as non-article (newsletter, copyright, related...) within the body's container."""
    for ancestor in block.ancestors[container_depth:]:
        token = cues.excluded_box(class_tokens(ancestor))
        if token:
            return f"inside a .{token} box"
    return None


def _without_trailing_chrome(body: list[TextBlock]) -> tuple[list[TextBlock], list[tuple[TextBlock, str]]]:
    """After the last real paragraph, headings ("Related articles") and link paragraphs ("Read more:
    ...") are chrome. List items (an ``<li>``, or a paragraph written as one: "• Tips for ...") stay:
    an article often ends with a list of its sources, a reading list or the products it recommends,
    every item a link (boxes of related links are caught by their names and by the side boxes after
    the densest container)."""
    substantial = [i for i, b in enumerate(body) if b.words >= SUBSTANTIAL_WORDS and b.link_density < 0.3]
    if not substantial:
        return body, []
    last = substantial[-1]
    kept, dropped = body[: last + 1], []
    for block in body[last + 1 :]:
        if block.tag in HEADING_TAGS:
            dropped.append((block, "a heading after the last paragraph"))
        elif block.link_density > TRAILING_LINK_DENSITY and not _is_list_item(block):
            dropped.append((block, f"links ({block.link_density:.0%}) after the last paragraph"))
        else:
            kept.append(block)
    return kept, dropped


def _is_list_item(block: TextBlock) -> bool:
    """An ``<li>``, or a paragraph written as one ("• Tips for staying awake", "2) The data")."""
    return block.tag == "li" or bool(_LIST_MARKER.match(block.text))


def _common_depth(blocks: list[TextBlock]) -> int:
    """How many ancestors all blocks share (the depth of their lowest common ancestor, plus one)."""
    if not blocks:
        return 0
    common = blocks[0].ancestors
    depth = len(common)
    for block in blocks[1:]:
        k, limit = 0, min(depth, len(block.ancestors))
        while k < limit and block.ancestors[k] is common[k]:
            k += 1
        depth = k
    return depth
