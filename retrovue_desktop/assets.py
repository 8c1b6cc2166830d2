"""Finding the app's resources (icons): inside the installed package as
retrovue_desktop.resources, or the top-level resources/ folder of a source checkout."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SOURCE_TREE_RESOURCES = Path(__file__).resolve().parents[1] / "resources"


def resource_path(name: str) -> Path:
    """The path of resource `name` (e.g. "retrovue.svg")."""
    spec = importlib.util.find_spec("retrovue_desktop.resources")
    if spec is not None and spec.submodule_search_locations:
        candidate = Path(next(iter(spec.submodule_search_locations))) / name
        if candidate.exists():
            return candidate
    return SOURCE_TREE_RESOURCES / name
