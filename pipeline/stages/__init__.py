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


def build_stages(settings: Settings, resources: Resources) -> list[Stage]:
    from . import boilerplate, entities, metadata

    return [
        Stage("boilerplate", partial(boilerplate.run, resources=resources)),
        Stage("metadata", partial(metadata.run, resources=resources)),
        Stage("ner", partial(entities.run_model, resources=resources, settings=settings), batched=True),
        Stage("entities", partial(entities.run_rules, resources=resources)),
    ]
