"""The stages and their order: the only place the order lives.

Each stage is a plain function over one Document (or, when ``batched``, a list of them) that
returns it enriched or raises ``Drop(reason)``. Stages never read files, write files or keep
state between documents: the runner owns all of that.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

from ..config import Settings
from ..resources import Resources


@dataclass(frozen=True)
class Stage:
    name: str
    fn: Callable
    batched: bool = False
    # Loads what the stage reads from ``Resources`` (the gazetteer, the spaCy pipeline...) before the
    # first page, so building them is start-up time, never charged to a page's time limit.
    prepare: Callable[[], object] | None = None
    # Reads ``doc.tree``, the parsed page: the core drops the tree once no later stage reads it.
    reads_tree: bool = False


def build_stages(settings: Settings, resources: Resources) -> list[Stage]:
    from . import boilerplate, entities, metadata

    def loads(*parts: str) -> Callable[[], object]:
        return partial(resources.load, parts)

    return [
        Stage("boilerplate", partial(boilerplate.run, resources=resources), prepare=loads("profiles", "templates"), reads_tree=True),
        Stage("metadata", partial(metadata.run, resources=resources), prepare=loads("content_types", "gazetteer", "vocabulary", "date_rules"), reads_tree=True),
        Stage("ner", partial(entities.run_model, resources=resources, settings=settings), batched=True, prepare=loads("nlp", "gazetteer")),
        Stage("entities", partial(entities.run_rules, resources=resources), prepare=loads("vocabulary", "gazetteer.small_towns")),
    ]
