"""Span-level scores of the mentions (model and rules) against annotated texts: the rule-editing loop's metric.

A predicted mention is right when an annotated span has the same start, end and label. Labels are
scored as the union of what the model and the rules produce for them; each rule is also scored on
its own (how often it fired right and wrong), so a notebook can find the patterns worth fixing.
Annotations are partial (they name some entities, not all), so a prediction that overlaps no
annotated span is not counted against precision: it is listed as "unjudged".
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..annotations import AnnotatedText
from ..config import Settings, load_settings
from ..document import Document

# Our rule labels and the NER labels they are scored as.
SCORED_AS = {"ORG": "ORG", "GPE": "GPE", "LOC": "GPE", "PERSON": "PERSON", "DATE": "DATE"}


@dataclass
class MentionScores:
    per_label: dict[str, dict[str, float]]
    per_rule: list[dict]
    false_positives: list[dict] = field(default_factory=list)
    false_negatives: list[dict] = field(default_factory=list)

    def table(self):
        import pandas as pd

        return pd.DataFrame(self.per_label).T


def score_mentions(items: list[AnnotatedText], rules_dir: str | Path | None = None, settings: Settings | None = None) -> MentionScores:
    """Run the model and the rules (from ``rules_dir``, default: the package's) over the texts and score them."""
    from ..nlp.build import build_nlp
    from ..resources import Resources
    from ..stages.entities import mentions

    settings = settings or load_settings()
    if rules_dir is not None:
        settings = _with_rules(settings, rules_dir)
    resources = Resources(settings)
    nlp = build_nlp(settings, resources.rules_dir)
    patterns = nlp.rules.by_id()
    tp, fp, fn = Counter(), Counter(), Counter()
    rule_right, rule_wrong = Counter(), Counter()
    false_positives, false_negatives = [], []
    for item in items:
        pipeline = nlp.for_language(item.meta.get("language"))
        parsed = pipeline(item.text)
        doc = Document(doc_id="", source="", format="text", body_text=item.text, language=item.meta.get("language"), published=item.meta.get("published"))
        found = [s for s in mentions(doc, parsed, nlp.source_of(pipeline), patterns, resources.gazetteer, resources.vocabulary) if s.label in SCORED_AS]
        gold = {(s["start"], s["end"], s["label"]) for s in item.spans}
        predicted: dict[tuple, list[str]] = defaultdict(list)
        for span in found:
            predicted[(span.start, span.end, SCORED_AS[span.label])].append(span.source)
        for key, sources in predicted.items():
            right = key in gold
            judged = right or any(g[0] < key[1] and key[0] < g[1] for g in gold)
            for source in (s for s in sources if s.startswith("rule:")):
                if right:
                    rule_right[source] += 1
                elif judged:
                    rule_wrong[source] += 1
            if right:
                tp[key[2]] += 1
            elif judged:
                fp[key[2]] += 1
                false_positives.append(_context(item, key, sources))
        for key in gold - set(predicted):
            fn[key[2]] += 1
            false_negatives.append(_context(item, key, []))
    labels = sorted({k for c in (tp, fp, fn) for k in c})
    per_label = {label: _prf(tp[label], fp[label], fn[label]) for label in labels}
    per_rule = [
        {"rule": rule, "right": rule_right[rule], "wrong": rule_wrong[rule]}
        for rule in sorted(set(rule_right) | set(rule_wrong), key=lambda r: (-rule_wrong[r], r))
    ]
    return MentionScores(per_label, per_rule, false_positives, false_negatives)


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0, "tp": tp, "fp": fp, "fn": fn}


def _context(item: AnnotatedText, key: tuple, sources: list[str]) -> dict:
    start, end, label = key
    return {
        "page": item.meta.get("page"),
        "label": label,
        "text": item.text[start:end],
        "context": item.text[max(0, start - 40) : end + 40].replace("\n", " "),
        "sources": ", ".join(sources),
    }


def _with_rules(settings: Settings, rules_dir: str | Path) -> Settings:
    from dataclasses import replace

    return replace(settings, rules_dir=str(rules_dir))
