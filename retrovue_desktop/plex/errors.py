"""One error type for everything that can go wrong talking to Plex.

Each carries a sentence for the operator (what happened, what to do) and the detail for
the log. Neither ever holds the token: plexapi sends it as a header, and `redact` strips
any secret that might still slip into a message.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import requests
from plexapi import exceptions as plex_exceptions

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.secrets import redact

_DROPPED = (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError)


class PlexError(OperatorError):
    """A Plex failure: `str()` is the operator's sentence, `detail` goes to the log; both
    pass through `redact`, so a token can never be in either."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(redact(message), redact(detail))


def translate(exc: BaseException, base_url: str) -> PlexError:
    """Turn plexapi, requests and XML failures into a PlexError with a useful sentence."""
    where = f"Plex at {base_url}"
    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, PlexError):
        return exc
    if isinstance(exc, plex_exceptions.Unauthorized):
        message = f"{where} refused the token: sign in to Plex again and paste a new token."
    elif isinstance(exc, plex_exceptions.NotFound):
        message = (
            f"{where} answered 'not found': the library or item may have been removed."
            " Resync the server to refresh its list of libraries."
        )
    elif isinstance(exc, plex_exceptions.BadRequest):
        message = (
            f"{where} reported an error ({_status(exc)}). Check that Plex is running"
            " properly, then try again; the log has the details."
        )
    elif isinstance(exc, requests.exceptions.Timeout):
        message = (
            f"{where} did not answer in time. Check that the server is awake and reachable,"
            " or raise the Plex request timeout, then try again."
        )
    elif isinstance(exc, requests.exceptions.SSLError):
        message = f"{where} could not be reached securely: check the https address."
    elif isinstance(
        exc, requests.exceptions.ConnectionError | requests.exceptions.ChunkedEncodingError
    ):
        message = (
            f"{where} could not be reached or dropped the connection. Check the address and"
            " that Plex is running, then try again."
        )
    elif isinstance(exc, ElementTree.ParseError):
        message = (
            f"{where} sent a reply that is not valid Plex XML (it may have been cut off)."
            " Try again; if it keeps happening, restart Plex."
        )
    elif isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        message = f"'{base_url}' is not a valid Plex address: use e.g. http://192.168.1.10:32400."
    elif isinstance(exc, requests.exceptions.RequestException):
        message = f"{where} could not be reached ({type(exc).__name__}). Try again."
    else:
        message = f"Talking to {where} failed unexpectedly ({type(exc).__name__}). Try again."
    return PlexError(message, detail)


def _status(exc: BaseException) -> str:
    text = str(exc)
    if text.startswith("(") and ")" in text:
        return "HTTP " + text[1 : text.index(")")]
    return "unexpected answer"
