"""Scores of the entity tables on public annotated corpora in the ``entities_dev`` JSONL format.

One JSON object per line: ``id``, ``text``, ``dct`` (the document date, or null) and ``spans`` (``start``,
``end``, ``label``, by task a ``norm``). The task is read from the spans, not from the file name:

- ``ner``: labels PER, LOC, ORG, MISC without norm (WikiGold);
- ``geo``: LOC spans whose norm has coordinates (LGL);
- ``timex``: DATE, TIME, DURATION, SET spans with a TIMEX3 value (TimeBank);
- ``quote``: QUOTE spans with a speaker (PolNeAR).

Every text goes through ``pipeline.analyze_text`` with ``published`` = the document date, so the
tables are exactly what a notebook gets. The measures are the corpora's usual ones:

- ``ner_scores``: a predicted mention counts when start, end and label equal a gold span's
  (PERSON = PER; GPE, LOC, FAC = LOC; ORG = ORG; MISC is not scored); P/R/F1 per label and micro.
- ``geo_scores``: a gold toponym is detected when a row of the places table overlaps it, resolved
  right when the row's coordinates are within 161 km of the gold ones (or it has the same GeoNames id);
  ``acc@161 over gold`` = right / gold, ``over detected`` = right / detected.
- ``timex_scores``: a gold DATE with a day value is reproduced when an overlapping row of the dates
  table resolves to that day (``day value``); gold ``YYYY`` and ``YYYY-MM`` values are compared with the
  row's value cut to their width; ``calendar value`` is the share of all day, month and year values
  reproduced at their width.
- ``quote_scores``: a gold direct quote is found when a predicted direct quote covers at least half of
  it; its speaker is right when the predicted speaker's name occurs at the gold speaker's offsets or
  shares a content word with the gold speaker; a pronoun speaker ("he") counts when the predicted speaker
  is the person the text names last before the pronoun (the model's PERSON mentions). ``quote and speaker
  recall`` = both right / gold direct quotes (also given without the pronoun cases, as measured before
  issue #10); ``detection precision`` = predicted direct quotes over a gold quote / predicted direct quotes.

``half`` (0 or 1) keeps the documents of even or odd index, so rules tuned on one half can be checked
on the other.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path

NER_LABELS = ("PER", "LOC", "ORG")
SCORED_AS = {"PERSON": "PER", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "ORG": "ORG"}
TIMEX_LABELS = frozenset({"DATE", "TIME", "DURATION", "SET"})
NER_GOLD_LABELS = frozenset({"PER", "LOC", "ORG", "MISC"})
ACCURACY_KM = 161.0
# Pronouns a gold speaker can be (the person named last before it is the speaker then), and the words
# two speaker strings may share without naming the same speaker.
_PRONOUNS = frozenset("he she they i we him her them it".split())
_FUNCTION_WORDS = frozenset("the a an of in on at for from to and or by with mr mrs ms dr".split())
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CALENDAR = re.compile(r"^\d{4}(?:-\d{2})?$")


def read_corpus(path: str | Path, half: int | None = None, limit: int | None = None) -> list[dict]:
    """The documents of a corpus file; ``half`` 0/1 keeps even/odd document indexes."""
    docs = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if not line.strip():
                continue
            if half is None or i % 2 == half:
                docs.append(json.loads(line))
            if limit is not None and len(docs) >= limit:
                break
    return docs


def corpus_task(path: str | Path) -> str | None:
    """``ner``, ``geo``, ``timex`` or ``quote`` for a file in the entities_dev format; None for anything else
    (e.g. Prodigy-style JSONL, whose spans carry our own labels)."""
    labels: set[str] = set()
    has_coordinates = has_value = False
    try:
        with open(path, encoding="utf-8") as f:
            for line, _ in zip(f, range(20)):
                record = json.loads(line) if line.strip() else {}
                if not isinstance(record, dict) or "text" not in record or not isinstance(record.get("spans"), list):
                    return None
                for span in record["spans"]:
                    labels.add(span.get("label"))
                    norm = span.get("norm")
                    has_coordinates |= isinstance(norm, dict) and "lat" in norm
                    has_value |= isinstance(norm, str)
    except (OSError, ValueError):
        return None
    if "QUOTE" in labels:
        return "quote"
    if labels & TIMEX_LABELS and has_value:
        return "timex"
    if labels == {"LOC"} and has_coordinates:
        return "geo"
    if labels and labels <= NER_GOLD_LABELS and not has_coordinates:
        return "ner"
    return None


def score_corpus(path: str | Path, half: int | None = None, limit: int | None = None, resources=None) -> dict:
    """The corpus's measures, whichever task its spans show."""
    scorer = {"ner": ner_scores, "geo": geo_scores, "timex": timex_scores, "quote": quote_scores}.get(corpus_task(path))
    if scorer is None:
        raise ValueError(f"{path}: not a corpus in the entities_dev format (text + spans with PER/LOC/ORG/MISC, geo LOC, TIMEX or QUOTE)")
    return scorer(path, half=half, limit=limit, resources=resources)


def _analyzed(path, half, limit, resources):
    from ..analyze import analyze_text
    from ..config import load_settings
    from ..resources import Resources

    resources = resources or Resources(load_settings())
    for record in read_corpus(path, half, limit):
        yield record, analyze_text(record["text"], published=record.get("dct"), resources=resources)


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0, "tp": tp, "fp": fp, "fn": fn}


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def ner_scores(path, half: int | None = None, limit: int | None = None, resources=None) -> dict:
    tp, fp, fn = Counter(), Counter(), Counter()
    docs = 0
    for record, tables in _analyzed(path, half, limit, resources):
        docs += 1
        gold = {(s["start"], s["end"], s["label"]) for s in record["spans"] if s["label"] in NER_LABELS}
        mentions = tables["mentions"]
        predicted = {
            (int(m.start), int(m.end), SCORED_AS[m.label]) for m in mentions.itertuples() if m.label in SCORED_AS
        }
        for key in predicted:
            (tp if key in gold else fp)[key[2]] += 1
        for key in gold - predicted:
            fn[key[2]] += 1
    per_label = {label: _prf(tp[label], fp[label], fn[label]) for label in NER_LABELS}
    micro = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return {"task": "ner", "docs": docs, "micro": micro, "per_label": per_label}


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def geo_scores(path, half: int | None = None, limit: int | None = None, resources=None, errors: list | None = None) -> dict:
    """``errors``, when given a list, receives one dict per gold toponym missed or resolved wrong."""
    gold_n = detected = right = predicted_n = predicted_on_gold = 0
    docs = 0
    for record, tables in _analyzed(path, half, limit, resources):
        docs += 1
        places = [p for p in tables["places"].itertuples()]
        predicted_n += len(places)
        predicted_on_gold += sum(
            any(_overlaps(p.start, p.end, s["start"], s["end"]) for s in record["spans"]) for p in places
        )
        for span in record["spans"]:
            gold_n += 1
            norm = span["norm"]
            hits = [p for p in places if _overlaps(int(p.start), int(p.end), span["start"], span["end"])]
            ok = False
            if hits:
                detected += 1
                ok = any(_resolved_right(p, norm) for p in hits)
                right += ok
            if not ok and errors is not None:
                errors.append({
                    "doc": record["id"], "text": record["text"][span["start"]:span["end"]], "gold": f"{norm.get('name')} ({norm.get('country')}, {norm.get('fcode')})",
                    "found": [f"{p.name} ({p.country}, {p.kind})" for p in hits] or None,
                })
    return {
        "task": "geo", "docs": docs, "gold": gold_n, "detected": detected, "right": right,
        "predicted": predicted_n, "predicted on gold": predicted_on_gold,
        "acc@161 over gold": round(right / gold_n, 3) if gold_n else 0.0,
        "acc@161 over detected": round(right / detected, 3) if detected else 0.0,
        "detection recall": round(detected / gold_n, 3) if gold_n else 0.0,
        "detection precision": round(predicted_on_gold / predicted_n, 3) if predicted_n else 0.0,
    }


def _resolved_right(place, norm: dict) -> bool:
    if norm.get("geonameid") is not None and place.geonames_id is not None and _known(place.geonames_id) and int(place.geonames_id) == int(norm["geonameid"]):
        return True
    if not (_known(place.lat) and _known(place.lon)) or norm.get("lat") is None:
        return False
    return _km(float(place.lat), float(place.lon), float(norm["lat"]), float(norm["lon"])) <= ACCURACY_KM


def _known(value) -> bool:
    try:
        return value is not None and value == value and str(value) != "<NA>"
    except (TypeError, ValueError):  # pandas NA refuses comparisons
        return False


def timex_scores(path, half: int | None = None, limit: int | None = None, resources=None, errors: list | None = None) -> dict:
    day_n = day_right = calendar_n = calendar_right = 0
    docs = 0
    for record, tables in _analyzed(path, half, limit, resources):
        docs += 1
        dates = [d for d in tables["dates"].itertuples() if _known(d.resolved) and d.resolved]
        for span in record["spans"]:
            value = span.get("norm")
            if span["label"] != "DATE" or not isinstance(value, str):
                continue
            hits = [str(d.resolved) for d in dates if _overlaps(int(d.start), int(d.end), span["start"], span["end"])]
            if _DAY.match(value):
                day_n += 1
                ok = value in hits
                day_right += ok
            elif _CALENDAR.match(value):
                calendar_n += 1
                ok = any(h[: len(value)] == value for h in hits)
                calendar_right += ok
            else:
                continue
            if not ok and errors is not None:
                errors.append({"doc": record["id"], "text": record["text"][span["start"]:span["end"]], "gold": value, "dct": record.get("dct"), "found": hits or None})
    return {
        "task": "timex", "docs": docs, "day gold": day_n, "day right": day_right, "calendar gold": calendar_n, "calendar right": calendar_right,
        "day value": round(day_right / day_n, 3) if day_n else 0.0,
        "calendar value": round((day_right + calendar_right) / (day_n + calendar_n), 3) if day_n + calendar_n else 0.0,
    }


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", str(text or "").casefold()) if w not in _FUNCTION_WORDS and w not in _PRONOUNS}


def quote_scores(path, half: int | None = None, limit: int | None = None, resources=None, errors: list | None = None) -> dict:
    gold_n = found = both = both_by_name = predicted_n = predicted_on_gold = 0
    docs = 0
    for record, tables in _analyzed(path, half, limit, resources):
        docs += 1
        text = record["text"]
        quotes = [q for q in tables["quotes"].itertuples() if bool(q.direct)]
        persons = sorted((int(m.start), int(m.end), m.text) for m in tables["mentions"].itertuples() if m.label == "PERSON")
        gold = [s for s in record["spans"] if s["label"] == "QUOTE" and s["norm"].get("direct")]
        predicted_n += len(quotes)
        predicted_on_gold += sum(any(_overlaps(int(q.start), int(q.end), s["start"], s["end"]) for s in gold) for q in quotes)
        for span in gold:
            gold_n += 1
            length = span["end"] - span["start"]
            hit = next((q for q in quotes if min(int(q.end), span["end"]) - max(int(q.start), span["start"]) >= length / 2), None)
            if hit is None:
                if errors is not None:
                    errors.append({"doc": record["id"], "kind": "quote missed", "quote": text[span["start"]:span["end"]][:80]})
                continue
            found += 1
            right = _speaker_right(hit.speaker, span["norm"], text, persons)
            if right:
                both += 1
                both_by_name += right == "name"
            elif errors is not None:
                errors.append({"doc": record["id"], "kind": "wrong speaker", "quote": text[span["start"]:span["end"]][:60], "gold": span["norm"].get("speaker"), "found": None if not _known(hit.speaker) else hit.speaker})
    return {
        "task": "quote", "docs": docs, "gold direct quotes": gold_n, "found": found, "with right speaker": both,
        "with right speaker by name": both_by_name, "predicted": predicted_n, "predicted on gold": predicted_on_gold,
        "quote and speaker recall": round(both / gold_n, 3) if gold_n else 0.0,
        "quote and speaker recall, speaker named at the gold offsets": round(both_by_name / gold_n, 3) if gold_n else 0.0,
        "quote recall": round(found / gold_n, 3) if gold_n else 0.0,
        "detection precision": round(predicted_on_gold / predicted_n, 3) if predicted_n else 0.0,
    }


def _speaker_right(speaker, norm: dict, text: str, persons: list[tuple[int, int, str]]) -> str | None:
    """"name" when the speaker matches the gold speaker's words, "pronoun" when the gold speaker is a
    pronoun and the predicted one is the person the text names last before it, else None."""
    if not _known(speaker) or not speaker:
        return None
    words = _content_words(speaker)
    start, end = norm.get("speaker_start"), norm.get("speaker_end")
    gold_speaker = str(norm.get("speaker") or "")
    if start is not None and end is not None and words & _content_words(text[start:end]):
        return "name"
    if words & _content_words(gold_speaker):
        return "name"
    if gold_speaker.casefold().strip() in _PRONOUNS and start is not None:
        before = [p for p in persons if p[1] <= start]
        if before and words & _content_words(before[-1][2]):
            return "pronoun"
    return None
