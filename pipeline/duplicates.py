"""Cross-document step after the merge: the same article at another URL or host is a duplicate.

Bodies are compared by their word 5-gram shingles. Candidate pairs come from a bottom-k sketch
(the k smallest shingle hashes of each body: near-identical bodies share most of them), and each
candidate pair is then scored by exact Jaccard similarity, so the decision never rests on the sketch.

Which copy is "first": the copy on the host the crawl holds most pages of (a crawl of a site plus a
stray mirror: the site is the original), then the earlier publication date, then the earlier fetch,
then input order. The evidence goes to the ``duplicates`` table.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict

import pyarrow as pa

from .schema import to_arrow

SHINGLE = 5
SKETCH = 24
THRESHOLD = 0.8
MIN_WORDS = 25
_WORD = re.compile(r"\w+")


def shingles(text: str, n: int = SHINGLE) -> set[int]:
    words = _WORD.findall(text.casefold())
    if len(words) < n:
        return {_hash(" ".join(words))} if words else set()
    return {_hash(" ".join(words[i : i + n])) for i in range(len(words) - n + 1)}


def _hash(s: str) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big")


def jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def find_duplicates(docs: list[dict]) -> list[dict]:
    """docs: dicts with doc_id, body_text, site, published, fetched_at, n_words, page_kind (in input order)."""
    candidates = [d for d in docs if d.get("page_kind") == "article" and (d.get("n_words") or 0) >= MIN_WORDS]
    site_size = Counter(d.get("site") for d in docs)
    order = {d["doc_id"]: i for i, d in enumerate(docs)}

    def priority(d: dict) -> tuple:
        return (-site_size[d.get("site")], d.get("published") or "9999", d.get("fetched_at") or "9999", order[d["doc_id"]])

    sets = {d["doc_id"]: shingles(d["body_text"] or "") for d in candidates}
    by_sketch: dict[int, list[str]] = defaultdict(list)
    for doc_id, s in sets.items():
        for h in sorted(s)[:SKETCH]:
            by_sketch[h].append(doc_id)
    pairs: set[tuple[str, str]] = set()
    for ids in by_sketch.values():
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                pairs.add((a, b) if a < b else (b, a))

    by_id = {d["doc_id"]: d for d in candidates}
    original: dict[str, tuple[str, float]] = {}
    for a, b in sorted(pairs):
        similarity = jaccard(sets[a], sets[b])
        if similarity < THRESHOLD:
            continue
        first, later = sorted((by_id[a], by_id[b]), key=priority)
        current = original.get(later["doc_id"])
        if current is None or priority(by_id[current[0]]) > priority(first):
            original[later["doc_id"]] = (first["doc_id"], similarity)

    def root(doc_id: str) -> str:
        seen = set()
        while doc_id in original and doc_id not in seen:
            seen.add(doc_id)
            doc_id = original[doc_id][0]
        return doc_id

    return [
        {"doc_id": later, "duplicate_of": root(first), "similarity": round(sim, 4), "method": f"jaccard word-{SHINGLE}-shingles >= {THRESHOLD}"}
        for later, (first, sim) in sorted(original.items())
    ]


def mark_duplicates(documents: pa.Table) -> tuple[pa.Table, pa.Table]:
    """Fill ``documents.duplicate_of`` and build the ``duplicates`` table."""
    columns = ["doc_id", "body_text", "site", "published", "fetched_at", "n_words", "page_kind"]
    docs = documents.select(columns).to_pylist()
    found = find_duplicates(docs)
    first_of = {row["doc_id"]: row["duplicate_of"] for row in found}
    column = pa.array([first_of.get(d) for d in documents.column("doc_id").to_pylist()], pa.string())
    index = documents.schema.get_field_index("duplicate_of")
    return documents.set_column(index, documents.schema.field(index), column), to_arrow("duplicates", found)
