"""Errors of the store's data-access helpers: a sentence for the operator, detail for the log."""

from __future__ import annotations

from retrovue_desktop.errors import OperatorError


class StoreError(OperatorError):
    """Input a helper refused before writing anything."""
