"""Measurements outside the pipeline: scaling benchmarks on synthetic corpora, sensitivity of the pillar model."""
