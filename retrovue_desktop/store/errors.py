"""Errors of the store's data-access helpers: a sentence for the operator, detail for the log."""

from __future__ import annotations


class StoreError(Exception):
    """Input a helper refused before writing anything: `str()` is the operator's sentence,
    `detail` goes to the log."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail

    @property
    def message(self) -> str:
        return str(self)

    def __reduce__(self) -> tuple[type[StoreError], tuple[str, str]]:
        """Keep the detail when the error crosses a process boundary (pickling)."""
        return (type(self), (str(self), self.detail))
