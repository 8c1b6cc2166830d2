"""The channel playlist as extended M3U, the lineup IPTV players and DVRs tune from.

One entry per active channel, in dial order:

    #EXTINF:-1 tvg-id="ch7.retrovue" tvg-chno="7" tvg-name="Retro One",Retro One
    http://localhost:8409/channels/7.ts

`tvg-id` is the channel's id in the XMLTV guide (`exports.channel_guide_id`), so a player
finds each channel's programmes. Until the station has its own playout, each stream
address comes from a template (a setting, or the command line's --stream-url) in which
these placeholders are replaced, percent-encoded, per channel:

- `{number}`: the channel number ("7", "2.1");
- `{id}`: the channel's database id (never changes);
- `{callsign}`: the callsign ("KRTV");
- `{guide_id}`: the guide id ("ch7.retrovue").

`{{` and `}}` write a literal brace. A channel lacking a value its template uses (no
number, no callsign) is left out, with a warning. M3U has no escape for a double quote
inside an attribute, so one becomes an apostrophe there; line breaks and control
characters become spaces so an entry stays on its lines.
"""

from __future__ import annotations

import re
from string import Formatter
from typing import BinaryIO
from urllib.parse import quote

from sqlalchemy.orm import Session

from retrovue_desktop.progress import CancelFn, ProgressFn, never_cancelled, no_progress

from .exports import ExportCancelled, ExportError, ExportSummary, GuideChannel, active_channels

DEFAULT_STREAM_URL_TEMPLATE = "http://localhost:8409/channels/{number}.ts"
PLACEHOLDERS = ("number", "id", "callsign", "guide_id")
_SPACES = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def check_stream_url_template(template: str) -> str:
    """The template trimmed, or ExportError with a sentence saying what is wrong."""
    text = template.strip()
    known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
    if not text:
        raise ExportError(
            f"Give a stream address, such as {DEFAULT_STREAM_URL_TEMPLATE}; {known} are"
            " replaced per channel.",
            detail="empty stream URL template",
        )
    if _SPACES.search(text) or text.startswith("#"):
        raise ExportError(
            "A stream address is one line that does not start with #: remove the line"
            " break or the #.",
            detail=f"stream URL template {text!r}",
        )
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in Formatter().parse(text)]
    except ValueError as error:
        raise ExportError(
            f"The stream address “{text}” has an unmatched {{ or }}: placeholders are"
            f" {known}; write {{{{ or }}}} for a brace itself.",
            detail=repr(error),
        ) from error
    for name, spec, conversion in fields:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "")
            shown += (f":{spec}" if spec else "") + "}"
            raise ExportError(
                f"The stream address uses {shown}, which is not a placeholder: use {known}.",
                detail=f"stream URL template {text!r}",
            )
    return text


def _values(channel: GuideChannel) -> dict[str, str | None]:
    return {
        "number": channel.number,
        "id": str(channel.id),
        "callsign": channel.callsign,
        "guide_id": channel.guide_id,
    }


def missing_values(template: str, channel: GuideChannel) -> list[str]:
    """The placeholders of a checked template that the channel has no value for."""
    values = _values(channel)
    used = dict.fromkeys(name for _, name, _, _ in Formatter().parse(template) if name)
    return [name for name in used if not values[name]]


def stream_url(template: str, channel: GuideChannel) -> str | None:
    """The channel's stream address from a checked template; None when the channel
    lacks a value the template uses."""
    if missing_values(template, channel):
        return None
    return template.format_map({k: quote(v or "", safe="") for k, v in _values(channel).items()})


def _attribute(text: str) -> str:
    return _SPACES.sub(" ", text).replace('"', "'").strip()


def entry(channel: GuideChannel, url: str) -> str:
    """The channel's two playlist lines (with their line ends)."""
    attributes = [f'tvg-id="{channel.guide_id}"']
    if channel.number:
        attributes.append(f'tvg-chno="{_attribute(channel.number)}"')
    attributes.append(f'tvg-name="{_attribute(channel.name)}"')
    name = _SPACES.sub(" ", channel.name).strip()
    return f"#EXTINF:-1 {' '.join(attributes)},{name}\n{url}\n"


def write_m3u(
    session: Session,
    out: BinaryIO,
    *,
    stream_url_template: str = DEFAULT_STREAM_URL_TEMPLATE,
    progress: ProgressFn = no_progress,
    cancelled: CancelFn = never_cancelled,
) -> ExportSummary:
    """Write the playlist of every active channel onto `out` (UTF-8). ExportError for a
    bad template, before anything is written."""
    template = check_stream_url_template(stream_url_template)
    channels = active_channels(session)
    lines = ["#EXTM3U\n"]
    warnings: list[str] = []
    for index, channel in enumerate(channels):
        progress("Writing the playlist", index, len(channels))
        if cancelled():
            raise ExportCancelled()
        url = stream_url(template, channel)
        if url is None:
            missing = " or ".join(missing_values(template, channel))
            warnings.append(
                f"“{channel.name}” was left out of the playlist: it has no {missing}, which"
                " the stream address uses. Give it one, or use {id} in the address."
            )
            continue
        lines.append(entry(channel, url))
    out.write("".join(lines).encode("utf-8"))
    progress("Writing the playlist", len(channels), len(channels))
    return ExportSummary("playlist", len(lines) - 1, warnings=tuple(warnings))
