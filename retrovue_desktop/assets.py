"""Finding the app's resources (icons): inside the installed package
retrovue_desktop.resources through importlib.resources (which also works in a PyInstaller
bundle and a wheel), or the top-level resources/ folder of a source checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PACKAGE = "retrovue_desktop.resources"
SOURCE_TREE_RESOURCES = Path(__file__).resolve().parents[1] / "resources"


def resource_bytes(name: str) -> bytes:
    """The content of resource `name` (e.g. "tab-tags.svg").

    Raises FileNotFoundError when neither the package nor the source tree has it."""
    try:
        return resources.files(PACKAGE).joinpath(name).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        return (SOURCE_TREE_RESOURCES / name).read_bytes()


def resource_path(name: str) -> Path:
    """A file-system path of resource `name`, for APIs that want a file name (the
    window icon); the package's copy when installed, else the source tree's."""
    try:
        candidate = resources.files(PACKAGE).joinpath(name)
    except ModuleNotFoundError:
        return SOURCE_TREE_RESOURCES / name
    if isinstance(candidate, Path) and candidate.is_file():
        return candidate
    return SOURCE_TREE_RESOURCES / name
