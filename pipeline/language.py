"""Language of a page: py3langid on the text (its model ships inside the package), cross-checked with
what the page declares (``<html lang>``, ``og:locale``)."""

from __future__ import annotations

import re
from functools import lru_cache

# Trust the detector alone from this many characters of text; below it, a declared language wins.
MIN_TEXT_FOR_DETECTION = 200
MIN_CONFIDENCE = 0.8
# The detector reads this much of the text: its cost grows with the length, and its answer settles well
# before: on 1,524 bodies of trafilatura_eval and htmldate_bbaw, 2,000 characters gave the language
# 5,000 gave on every one.
DETECTION_SAMPLE = 2000
_LANG_CODE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_]|$)")
CHARS_PER_SPACED_WORD = 12  # more characters per whitespace-separated token: text written without spaces


def written_without_spaces(text: str) -> bool:
    """Chinese, Japanese, Thai: words are not separated by spaces, so compare characters, not words."""
    words = text.split()
    return bool(words) and len(text) > CHARS_PER_SPACED_WORD * len(words)


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> tuple[str | None, float]:
    sample = text[:DETECTION_SAMPLE]
    if not sample.strip():
        return None, 0.0
    language, probability = _identifier().classify(sample)
    return language, float(probability)


def declared_language(tree) -> str | None:
    """ISO 639-1 code the page declares for itself, if any."""
    if tree is None:
        return None
    candidates = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang"), tree.get("xml:lang")]
    candidates += [m.get("content") for m in tree.iter("meta") if (m.get("property") or m.get("name") or "").lower() in ("og:locale", "language", "content-language", "dc.language")]
    candidates += [m.get("content") for m in tree.iter("meta") if (m.get("http-equiv") or "").lower() == "content-language"]
    for value in candidates:
        m = _LANG_CODE.match((value or "").strip())
        if m and len(m.group(1)) == 2:
            return m.group(1).lower()
    return None


def decide_language(text: str, tree=None) -> tuple[str | None, str | None]:
    """(language, how it was decided): the detector on enough text, the declaration otherwise."""
    detected, confidence = detect(text)
    declared = declared_language(tree)
    if detected and declared == detected:
        return detected, "text+declared"
    if detected and len(text) >= MIN_TEXT_FOR_DETECTION and confidence >= MIN_CONFIDENCE:
        return detected, "text" if declared is None else f"text (page declares {declared})"
    if declared:
        return declared, "declared"
    if detected and confidence >= MIN_CONFIDENCE:
        return detected, "text (short)"
    return None, None
