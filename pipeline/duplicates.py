"""Cross-document step: the same article at another URL or host is a duplicate of its first copy.

Each worker reduces every article body to a compact **MinHash signature** of its word 5-gram
shingles (120 hashes, 480 bytes) while it processes the page; this step sees only those signatures,
never the bodies, so its memory grows with the number of documents, not with their text.
Candidate pairs come from locality-sensitive hashing (20 bands of 6 rows: a pair with Jaccard
similarity 0.8 shares a band with probability 0.998, a pair at 0.5 with 0.27), and each candidate
is kept when its estimated similarity (the share of equal signature positions) is at least 0.8.

Which copy is "first": the copy on the host the crawl holds most pages of (a crawl of a site plus a
stray mirror: the site is the original), then the earlier publication date, then the earlier fetch,
then input order. The evidence goes to the ``duplicates`` table.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict

import numpy as np

SHINGLE = 5
NUM_PERM = 120
BANDS, ROWS = 20, 6
THRESHOLD = 0.8
MIN_WORDS = 25
METHOD = f"minhash-{NUM_PERM} of word {SHINGLE}-shingles, LSH {BANDS}x{ROWS}, similarity >= {THRESHOLD}"
_WORD = re.compile(r"\w+")
# Fixed seeds: the same body gives the same signature on every machine and run.
_RNG = np.random.default_rng(20261206)
_MASKS = _RNG.integers(0, 2**63, NUM_PERM, dtype=np.uint64)
_MULTIPLIERS = _RNG.integers(0, 2**63, NUM_PERM, dtype=np.uint64) | np.uint64(1)


def shingle_hashes(text: str, n: int = SHINGLE) -> np.ndarray:
    words = _WORD.findall(text.casefold())
    grams = [" ".join(words[i : i + n]) for i in range(max(1, len(words) - n + 1))] if words else []
    return np.array([int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "big") for g in set(grams)], dtype=np.uint64)


def signature(text: str) -> bytes | None:
    """The MinHash signature of a body (None when it has no words)."""
    hashes = shingle_hashes(text)
    if not hashes.size:
        return None
    with np.errstate(over="ignore"):  # multiplication modulo 2**64 is the point
        mixed = ((hashes[:, None] ^ _MASKS[None, :]) * _MULTIPLIERS[None, :]) >> np.uint64(32)
    return mixed.min(axis=0).astype(np.uint32).tobytes()


def similarity(a: bytes, b: bytes) -> float:
    return float(np.mean(np.frombuffer(a, np.uint32) == np.frombuffer(b, np.uint32)))


def sketch_row(doc, position: int) -> dict | None:
    """What this step needs of one document, computed in the worker that has the body."""
    if doc.page_kind != "article":
        return None
    words = len(doc.body_text.split())
    sig = signature(doc.body_text) if words >= MIN_WORDS else None
    if sig is None:
        return None
    return {"doc_id": doc.doc_id, "site": doc.site, "published": doc.published, "fetched_at": doc.fetched_at, "position": position, "signature": sig}


def find_duplicates_in(sketches: list[dict], site_size: Counter) -> list[dict]:
    """sketches: doc_id, site, published, fetched_at, position, signature; ``site_size``: pages per host."""

    def priority(d: dict) -> tuple:
        return (-site_size[d.get("site")], d.get("published") or "9999", d.get("fetched_at") or "9999", d["position"], d["doc_id"])

    by_band: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    for index, sketch in enumerate(sketches):
        sig = sketch["signature"]
        for band in range(BANDS):
            by_band[(band, sig[band * ROWS * 4 : (band + 1) * ROWS * 4])].append(index)
    pairs: set[tuple[int, int]] = set()
    for members in by_band.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pairs.add((a, b) if a < b else (b, a))

    original: dict[str, tuple[str, float]] = {}
    by_id = {s["doc_id"]: s for s in sketches}
    for a, b in sorted(pairs):
        score = similarity(sketches[a]["signature"], sketches[b]["signature"])
        if score < THRESHOLD:
            continue
        first, later = sorted((sketches[a], sketches[b]), key=priority)
        current = original.get(later["doc_id"])
        if current is None or priority(by_id[current[0]]) > priority(first):
            original[later["doc_id"]] = (first["doc_id"], score)

    def root(doc_id: str) -> str:
        seen = set()
        while doc_id in original and doc_id not in seen:
            seen.add(doc_id)
            doc_id = original[doc_id][0]
        return doc_id

    return [
        {"doc_id": later, "duplicate_of": root(first), "similarity": round(score, 4), "method": METHOD}
        for later, (first, score) in sorted(original.items())
    ]


def find_duplicates(docs: list[dict]) -> list[dict]:
    """docs: dicts with doc_id, body_text, site, published, fetched_at, n_words, page_kind (in input order)."""
    sketches = []
    for position, d in enumerate(docs):
        if d.get("page_kind") == "article" and (d.get("n_words") or 0) >= MIN_WORDS:
            sig = signature(d.get("body_text") or "")
            if sig is not None:
                sketches.append({**{k: d.get(k) for k in ("doc_id", "site", "published", "fetched_at")}, "position": position, "signature": sig})
    return find_duplicates_in(sketches, Counter(d.get("site") for d in docs))
