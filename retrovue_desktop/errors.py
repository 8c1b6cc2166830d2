"""The one shape of error every layer raises for the operator.

`str()` is a sentence for the operator (what happened, what to do); `detail` is for the
log. The window shows the sentence of any OperatorError as it is; anything else is
logged with its traceback and reported as a short generic sentence.
"""

from __future__ import annotations

from typing import Any


class OperatorError(Exception):
    """Base of PlexError, MediaError and StoreError."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail

    @property
    def message(self) -> str:
        return str(self)

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        """Keep the detail when the error crosses a process boundary (pickling)."""
        return (type(self), (str(self), self.detail))
