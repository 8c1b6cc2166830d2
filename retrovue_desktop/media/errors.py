"""Errors of the media layer: a sentence for the operator, the detail for the log."""

from __future__ import annotations

from retrovue_desktop.errors import OperatorError


class MediaError(OperatorError):
    """A file or folder problem: `str()` is the operator's sentence, `detail` goes to the log."""


class MappingError(MediaError):
    """A path mapping that cannot be saved or used as given."""


class MediaCancelled(Exception):
    """The operator cancelled; every batch written so far is complete and kept.

    `result` holds the counts of the work done before the cancel (a ValidationResult or
    a ScanResult), so a window can still show them.
    """

    def __init__(self, result: object = None) -> None:
        super().__init__("cancelled; what was written so far is kept")
        self.result = result

    def __reduce__(self) -> tuple[type[MediaCancelled], tuple[object]]:
        return (type(self), (self.result,))
