"""Stage lists for the runner tests that run in worker processes: they travel by import path
("stage_factories:hanging"), so they live in a module, not in a test function."""

from __future__ import annotations

import os
import signal
import time

from pipeline.stages import Stage



def first_paragraph(doc):
    doc.body_text = doc.text[doc.text.find("<p>") + 3 : doc.text.find("</p>")] if "<p>" in doc.text else ""
    return doc


def _hang_in_native_code(doc):
    """Stands in for native code that never returns to the interpreter (a C extension's loop, a
    regex engine that does not check for signals): with SIGALRM blocked, the soft limit never fires."""
    if "Sarajevo" in doc.text:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        while True:
            pass
    return doc


def _slow_python(doc):
    if "Tiraspol" in doc.text:
        while True:  # Python code: the soft limit's SIGALRM interrupts it
            time.sleep(0.01)
    return doc


def _crash(doc):
    if "Bern" in doc.text:
        os._exit(3)  # a segfault or the kernel's OOM killer, as far as the supervisor can tell
    return doc


def _hold_memory(doc):
    if "Bern" in doc.text:
        held = b"x" * (1 << 30)  # filled, so the pages are resident; above any start-up peak (a gazetteer build)
        del held
    return doc


def _hang_batch(docs):
    for doc in docs:
        _hang_in_native_code(doc)
    return docs


def hanging(settings, resources):
    return [Stage("boilerplate", first_paragraph), Stage("metadata", _hang_in_native_code)]


def slow(settings, resources):
    return [Stage("boilerplate", first_paragraph), Stage("metadata", _slow_python)]


def crashing(settings, resources):
    return [Stage("boilerplate", first_paragraph), Stage("metadata", _crash)]


def memory_hungry(settings, resources):
    return [Stage("boilerplate", first_paragraph), Stage("metadata", _hold_memory)]


def hanging_batch(settings, resources):
    return [Stage("boilerplate", first_paragraph), Stage("ner", _hang_batch, batched=True)]


def plain(settings, resources):
    return [Stage("boilerplate", first_paragraph)]
