"""Scores of the entity tables against gold: precision, recall and F1 per label, per rule, with the errors.

Gold: our osce_dev-style folders (``gold/*.json`` beside the pages; sections people, places,
organizations, counts, not_counts, dates_mentioned, quotes) and seed-style gold files (the same
sections split into must / should / must_not; ``must`` and ``should`` are scored), run through the
real pipeline stages. Public corpora in the ``entities_dev`` JSONL format (WikiGold, LGL, TimeBank,
PolNeAR) are scored with their own measures by ``pipeline.evaluation.corpora``; other Prodigy-style JSONL
(text + spans with our labels) is scored span by span with ``pipeline.evaluation.mentions``.

What counts as a match, per label:
- people: same name and same role (case-insensitive, a leading possessive such as "Tajikistan's" ignored:
  it names the country, not the office, and so a trailing origin "from Finland"; a gold role the text
  does not state is not scored);
- places: same canonical name and country (one per distinct place in a document);
- organizations: the gold name equals a row's canonical name or written text;
- counts: same value (or range), same qualifier, and an object sharing a content word with the gold object
  (words compared by stem, so that inflected forms match: "юристов" ~ "юристы", "officers" ~ "officer");
- dates: same text (ignoring a leading preposition: "on", "since", "в", "с"...), the same resolved value
  and, for a range, the same end;
- quotes: a direct quote starting with the gold words, attributed to the gold speaker.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from pathlib import Path

from ..nlp.people import same_stem

LABELS = ("people", "places", "organizations", "counts", "dates", "quotes")
_QUALIFIER_ALIASES = {"some": "about", "around": "about", "approximately": "about", "over": "more than"}
_FUNCTION_WORDS = set("the a an of in on at for from to and or by with since during new other".split())

log = logging.getLogger("pipeline")


def evaluate_entities(paths: list[Path], half: int | None = None, resources=None) -> dict:
    """Scores over all ``paths``; ``half`` 0/1 keeps the even/odd pages (or documents) of each;
    ``resources``: the rules to run (default: built from the current settings)."""
    from ..annotations import read_prodigy
    from .corpora import corpus_task, score_corpus
    from .mentions import score_mentions

    tp, fp, fn = Counter(), Counter(), Counter()
    rules_right, rules_wrong = Counter(), Counter()
    errors: list[dict] = []
    span_scores = None
    corpora: dict[str, dict] = {}
    for path in map(Path, paths):
        if path.suffix == ".jsonl":
            if corpus_task(path) is not None:
                corpora[str(path)] = score_corpus(path, half=half, resources=resources)
            else:
                span_scores = score_mentions(read_prodigy(path))
            continue
        for page, gold, records in _run_gold(path, half, resources):
            for label in LABELS:
                expected = _expected(label, gold)
                if expected is None:
                    continue
                found = records.get(label, [])
                matched_rows = set()
                for item in expected:
                    hit = next((i for i, row in enumerate(found) if i not in matched_rows and _matches(label, item, row)), None)
                    if hit is None:
                        fn[label] += 1
                        errors.append({"page": page, "label": label, "kind": "missed", "expected": item})
                    else:
                        matched_rows.add(hit)
                        tp[label] += 1
                for i, row in enumerate(_distinct(label, found)):
                    if any(_same_row(label, row, found[j]) for j in matched_rows):
                        rules_right[(label, row["source"])] += 1
                        continue
                    if _judgeable(label, row, gold):
                        fp[label] += 1
                        rules_wrong[(label, row["source"])] += 1
                        errors.append({"page": page, "label": label, "kind": "wrong", "found": _show(label, row)})
    summary = {}
    for label in LABELS:
        p = tp[label] / (tp[label] + fp[label]) if tp[label] + fp[label] else 0.0
        r = tp[label] / (tp[label] + fn[label]) if tp[label] + fn[label] else 0.0
        summary[label] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
                          "tp": tp[label], "fp": fp[label], "fn": fn[label]}
    if not tp and not fp and not fn:
        summary = {}
    summary.update(corpora)
    if span_scores is not None:
        summary["spans (prodigy)"] = span_scores.per_label
    rules = [
        {"label": label, "source": source, "right": rules_right[(label, source)], "wrong": rules_wrong[(label, source)]}
        for label, source in sorted(set(rules_right) | set(rules_wrong), key=lambda k: (-rules_wrong[k], k))
    ]
    return {"summary": summary, "rules": rules, "errors": errors}


def _run_gold(path: Path, half: int | None = None, resources=None):
    """(page name, gold dict, {table: rows}) for every article page of a gold folder or file
    (``half`` 0/1: only the pages of even/odd index in the folder's sorted gold files)."""
    from ..annotations import gold_pages
    from ..config import load_settings
    from ..core import run_pages
    from ..resources import Resources
    from ..stages.ingest import make_document

    resources = resources or Resources(load_settings())
    settings = resources.settings
    for index, (gold_path, page, url) in enumerate(gold_pages([path])):
        if half is not None and index % 2 != half:
            continue
        gold = json.loads(gold_path.read_text("utf-8"))
        result = next(run_pages([make_document(page.read_bytes(), str(page), settings, url=url)], settings, resources))
        doc = result.doc
        if doc is None:
            for error in result.rows.get("errors", []):
                log.warning("%s: %s/%s %s", page.name, error["stage"], error["error_type"], error["message"])
            continue
        if doc.page_kind != "article":
            continue
        yield page.name, gold, doc.records


def _entries(value) -> list | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return value.get("must", []) + value.get("should", [])
    return value


def _expected(label: str, gold: dict) -> list | None:
    key = {"dates": "dates_mentioned"}.get(label, label)
    entries = _entries(gold.get(key))
    if entries is None:
        return None
    if label == "places":
        seen, out = set(), []
        for e in entries:
            k = (e.get("name") or e.get("text"), e.get("country"))
            if k not in seen:
                seen.add(k)
                out.append(e)
        return out
    if label == "people":
        return [e for e in entries if isinstance(e, dict)]
    return entries


def _distinct(label: str, rows: list[dict]) -> list[dict]:
    if label != "places" and label != "organizations":
        return rows
    seen, out = set(), []
    for row in rows:
        key = (row.get("name"), row.get("country")) if label == "places" else row.get("name")
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out


def _same_row(label: str, a: dict, b: dict) -> bool:
    if label == "places":
        return (a.get("name"), a.get("country")) == (b.get("name"), b.get("country"))
    if label == "organizations":
        return a.get("name") == b.get("name")
    return a is b


def _judgeable(label: str, row: dict, gold: dict) -> bool:
    """A row is counted wrong only for labels the gold covers in full (quotes: direct ones)."""
    if label == "quotes":
        return bool(row.get("direct"))
    if label == "dates":
        return row.get("resolved") is not None  # gold lists the dates that resolve; vague ones cannot be wrong
    return True


def _norm(text) -> str:
    return " ".join(str(text or "").casefold().replace("’", "'").split())


def _content_words(text) -> set[str]:
    return {w for w in re.findall(r"[\w'-]+", _norm(text)) if w not in _FUNCTION_WORDS}


def _share_content_word(a, b) -> bool:
    words_b = _content_words(b)
    return any(same_stem(x, y) for x in _content_words(a) for y in words_b)


_POSSESSIVE = re.compile(r"^(?:[A-Z][\w-]+\s+){0,2}[A-Z][\w-]+['’]s\s+")
# "a police trainer from Finland": where the person comes from is not the office (the two gold sets
# differ here: osce_dev writes "editor" for "an editor from Khujand", osce_dev2 keeps the origin).
_ORIGIN = re.compile(r"\s+from\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}$")
# A date's leading preposition ("on 4 May", "в октябре", "с 2009 года"): the gold sets differ on
# whether the span includes it, in English and in Russian.
_DATE_LEAD = re.compile(r"^(?:on|since|from|until|by|in|at|the|for|в|во|с|со|до|к|по)\s+", re.I)


def _role(text) -> str:
    return _norm(_ORIGIN.sub("", _POSSESSIVE.sub("", str(text or ""))))


def _matches(label: str, item, row: dict) -> bool:
    if label == "people":
        if _norm(item.get("name")) != _norm(row.get("name")):
            return False
        if item.get("role_in_text") is False or not item.get("role"):
            return True
        return _role(item["role"]) == _role(row.get("role"))
    if label == "places":
        name = item.get("name") or item.get("text")
        return _norm(name) in (_norm(row.get("name")), _norm(row.get("text"))) and (item.get("country") in (None, row.get("country")))
    if label == "organizations":
        name = item if isinstance(item, str) else item.get("name")
        return _norm(name) in (_norm(row.get("name")), _norm(row.get("text")))
    if label == "counts":
        value = item.get("value")
        if isinstance(value, list):
            if (row.get("low"), row.get("high")) != (float(value[0]), float(value[1])):
                return False
        elif value is None or row.get("value") is None or float(value) != float(row["value"]):
            return False
        qualifier = _QUALIFIER_ALIASES.get(item.get("qualifier"), item.get("qualifier"))
        if "qualifier" in item and qualifier != row.get("qualifier") and not (qualifier == "between" and row.get("high") is not None):
            return False
        if item.get("object"):
            return _share_content_word(item["object"], row.get("object"))
        return True
    if label == "dates":
        same_text = _norm(_DATE_LEAD.sub("", item["text"])) == _norm(_DATE_LEAD.sub("", row.get("text", "")))
        return same_text and str(item.get("resolved")) == str(row.get("resolved")) and str(item.get("end")) == str(row.get("resolved_end"))
    if label == "quotes":
        return bool(row.get("direct")) and _norm(row.get("quote")).startswith(_norm(item["starts_with"])) and _norm(row.get("speaker")) == _norm(item["speaker"])
    return False


def _show(label: str, row: dict) -> dict:
    keys = {
        "people": ("name", "role"), "places": ("text", "name", "country"), "organizations": ("text", "name"),
        "counts": ("text", "value", "qualifier", "object"), "dates": ("text", "resolved", "resolved_end"), "quotes": ("speaker", "quote"),
    }[label]
    return {k: row.get(k) for k in keys}
