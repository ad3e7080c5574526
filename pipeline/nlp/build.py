"""The spaCy pipelines: the English model (only the components that matter) plus our rules.

Order: the statistical ``ner`` runs first and writes ``doc.ents``; then a ``span_ruler`` writes the
rule matches to ``doc.spans["rules"]`` without touching ``doc.ents``. Both kinds of mentions are kept,
each with its own provenance, and later steps decide between them (a rule's ORG over the model's
GPE inside "OSCE Centre in Bishkek", for instance). Pages in other languages get a blank tokenizer
for their language plus the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language

from ..config import Settings
from .rules import RuleSet

RULES_KEY = "rules"


@dataclass
class NLP:
    model: Language | None
    model_id: str
    rules: RuleSet
    settings: Settings
    _blank: dict[str, Language] = field(default_factory=dict)

    def for_language(self, language: str | None) -> Language:
        """The model for the languages it was trained on; a blank pipeline with the rules otherwise."""
        if self.model is not None and (language or "en") in self.settings.model_languages:
            return self.model
        code = language or "xx"
        if code not in self._blank:
            try:
                blank = spacy.blank(code)
            except Exception:  # noqa: BLE001 - spaCy has no tokenizer for this language
                blank = spacy.blank("xx")
            _add_rules(blank, self.rules)
            self._blank[code] = blank
        return self._blank[code]

    def source_of(self, pipeline: Language) -> str:
        return f"model:{self.model_id}" if pipeline is self.model else f"model:spacy-blank-{pipeline.lang}"


def load_model(settings: Settings) -> tuple[Language | None, str]:
    """The first available model of ``settings.models`` (an installed package or a model folder, e.g. one
    the retraining notebook saved), with only ``settings.enable`` kept."""
    for name in settings.models:
        if Path(name).is_dir() and (Path(name) / "meta.json").exists():
            meta = spacy.util.get_model_meta(Path(name))
            name_for_id = f"{meta.get('lang', 'xx')}_{meta.get('name', Path(name).name)}"
        elif spacy.util.is_package(name):
            meta = spacy.util.get_model_meta(spacy.util.get_package_path(name))
            name_for_id = name
        else:
            continue
        components = meta.get("pipeline", [])
        exclude = [c for c in components if c not in settings.enable]
        model = spacy.load(name, exclude=exclude)
        return model, f"{name_for_id}-{meta.get('version', '?')}"
    return None, "none"


def build_nlp(settings: Settings, rules_dir: Path) -> NLP:
    rules = RuleSet.load(Path(rules_dir) / "patterns")
    model, model_id = load_model(settings)
    if model is not None:
        _add_rules(model, rules)
    return NLP(model, model_id, rules, settings)


def _add_rules(nlp: Language, rules: RuleSet) -> None:
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": RULES_KEY, "validate": True, "overwrite": False})
    ruler.add_patterns([{k: p[k] for k in ("id", "label", "pattern")} for p in rules.patterns()])
