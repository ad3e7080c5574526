"""Scoring the pipeline's output against gold: ``extraction`` scores the boilerplate stage."""
