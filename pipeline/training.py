"""Updating the statistical NER from annotations, on the CPU, in minutes.

Annotations are usually partial (a gold file names some people, places and organizations, not
every entity), so tokens outside the annotated spans are marked *missing*, not "no entity": the
model learns the annotated spans without being taught to forget the rest. The result is saved as
a spaCy pipeline folder; put its path first in the ``models`` setting to run the pipeline with it.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from .annotations import AnnotatedText
from .nlp.build import RULE_PIPE


def _examples(nlp, items: list[AnnotatedText]):
    from spacy.training import Example

    examples = []
    for item in items:
        predicted = nlp.make_doc(item.text)
        reference = nlp.make_doc(item.text)
        spans = [reference.char_span(s["start"], s["end"], label=s["label"], alignment_mode="contract") for s in item.spans]
        reference.set_ents([s for s in spans if s is not None], default="missing")
        examples.append(Example(predicted, reference))
    return examples


def score_ner(nlp, items: list[AnnotatedText], labels: set[str] | None = None) -> dict[str, dict[str, float]]:
    """Precision, recall and F1 per label of ``nlp``'s entities against the annotated spans (exact span and label).

    Only labels that the annotations use are scored, and a prediction counts as a false positive only
    where it overlaps nothing annotated or overlaps an annotation with a different span or label, so
    partial annotations do not punish the model for entities nobody annotated.
    """
    tp, fp, fn = Counter(), Counter(), Counter()
    labels = labels or {s["label"] for item in items for s in item.spans}
    for item, doc in zip(items, nlp.pipe(item.text for item in items)):
        gold = {(s["start"], s["end"], s["label"]) for s in item.spans if s["label"] in labels}
        found = {(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in labels}
        for span in found:
            if span in gold:
                tp[span[2]] += 1
            elif any(g[0] < span[1] and span[0] < g[1] for g in gold):
                fp[span[2]] += 1
        for span in gold - found:
            fn[span[2]] += 1
    out = {}
    for label in sorted(labels):
        p = tp[label] / (tp[label] + fp[label]) if tp[label] + fp[label] else 0.0
        r = tp[label] / (tp[label] + fn[label]) if tp[label] + fn[label] else 0.0
        out[label] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0, "support": tp[label] + fn[label]}
    return out


def train_ner(nlp, items: list[AnnotatedText], iterations: int = 15, seed: int = 0, drop: float = 0.2) -> list[float]:
    """Update ``nlp``'s ner in place on the annotated texts; returns the loss of each iteration."""
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    ner = nlp.get_pipe("ner")
    for item in items:
        for span in item.spans:
            ner.add_label(span["label"])
    examples = _examples(nlp, items)
    optimizer = nlp.resume_training()
    losses_per_iteration = []
    rng = random.Random(seed)
    other = [name for name in nlp.pipe_names if name != "ner"]
    with nlp.select_pipes(disable=other):
        for _ in range(iterations):
            rng.shuffle(examples)
            losses: dict[str, float] = {}
            for batch in minibatch(examples, size=4):
                nlp.update(batch, sgd=optimizer, drop=drop, losses=losses)
            losses_per_iteration.append(round(float(losses.get("ner", 0.0)), 3))
    return losses_per_iteration


def save_model(nlp, directory: Path) -> Path:
    """The statistical part only (rules stay in their data files and are added when the pipeline loads)."""
    directory = Path(directory)
    if not nlp.meta.get("name", "").endswith("_retrained"):
        nlp.meta["name"] = f"{nlp.meta.get('name', 'model')}_retrained"
    rule_pipes = [name for name in nlp.pipe_names if name == RULE_PIPE]
    with nlp.select_pipes(disable=rule_pipes):
        nlp.to_disk(directory, exclude=rule_pipes)
    return directory
