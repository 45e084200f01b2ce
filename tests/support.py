"""Test support importable from any test module (``from support import need``).

Dataset and browser tests skip outside CI when their resource is missing, and
fail in CI (CI=true), so a missing folder never passes silently there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATASETS = Path(os.environ.get("FRAMING_DATASETS", ROOT.parent / "shared" / "datasets"))
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need(resource_ok: bool, reason: str):
    if not resource_ok:
        if IN_CI:
            pytest.fail(f"{reason} (required in CI)")
        pytest.skip(reason)
