"""Shared fixtures. Dataset and browser tests skip outside CI when their
resource is missing, and fail in CI (CI=true), so a missing folder never
passes silently there."""

from __future__ import annotations

import os
import tempfile

import pytest
from hypothesis import settings

from support import DATASETS, IN_CI, ROOT, SEEDS, need  # noqa: F401  (re-exported for older imports)


# framing's start-up cache (framing.cache) goes to a folder of this test run, not the
# user's home, unless the caller chose one; spawned worker processes inherit it.
if "FRAMING_CACHE_DIR" not in os.environ:
    os.environ["FRAMING_CACHE_DIR"] = tempfile.mkdtemp(prefix="framing-test-cache-")

# In CI, property tests run a fixed set of examples (derandomised), so a run is
# reproducible; locally they explore new random examples each run.
settings.register_profile("ci", derandomize=True, database=None, deadline=None)
if IN_CI:
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def datasets_dir() -> Path:
    need(DATASETS.is_dir(), f"evaluation data not found at {DATASETS}")
    return DATASETS


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_corpus():
    import framing

    return framing.load_corpus(str(SEEDS))


@pytest.fixture(scope="session")
def seed_analysis(seed_corpus):
    import framing

    return framing.analyze(seed_corpus)
