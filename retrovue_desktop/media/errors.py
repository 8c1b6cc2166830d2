"""Errors of the media layer: a sentence for the operator, the detail for the log."""

from __future__ import annotations


class MediaError(Exception):
    """A file or folder problem: `str()` is the operator's sentence, `detail` goes to the log."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail

    @property
    def message(self) -> str:
        return str(self)

    def __reduce__(self) -> tuple[type[MediaError], tuple[str, str]]:
        """Keep the detail when the error crosses a process boundary (pickling)."""
        return (type(self), (str(self), self.detail))


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
