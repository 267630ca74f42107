"""Tooling around the pipeline: evaluation, reports, benchmarks, the starter baseline and the
calibration fit. Nothing in the answer path imports this package."""
