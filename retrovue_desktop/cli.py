"""The command line: one executable for the window and for unattended jobs.

With no command it opens the window; commands print results on stdout, progress and
the operator's sentences on stderr, and exit 0 only on success (DESIGN.md).
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop import __version__
from retrovue_desktop.errors import OperatorError
from retrovue_desktop.logs import configure_logging
from retrovue_desktop.media.localfolder import (
    FOLDER_KINDS,
    add_folder_library,
    scan_folder_library,
)
from retrovue_desktop.media.pathmap import (
    add_mapping,
    library_locations,
    mapping_rows,
    prefix_key,
    remove_mapping,
)
from retrovue_desktop.media.validate import validate_library
from retrovue_desktop.plex.servers import add_server, find_server, list_servers
from retrovue_desktop.plex.sync import SyncCancelled, SyncOptions, sync_server
from retrovue_desktop.plex.tokens import TokenStore
from retrovue_desktop.scheduling.as_run import (
    DEFAULT_TOLERANCE_SECONDS,
    import_as_run,
    read_file,
)
from retrovue_desktop.scheduling.clock import zone
from retrovue_desktop.scheduling.exports import ExportSummary, write_atomically
from retrovue_desktop.scheduling.generation import BuildRequest, build
from retrovue_desktop.scheduling.m3u import (
    DEFAULT_STREAM_URL_TEMPLATE,
    check_stream_url_template,
    write_m3u,
)
from retrovue_desktop.scheduling.picking import PoolCache
from retrovue_desktop.scheduling.play_recording import end_play, start_play
from retrovue_desktop.scheduling.xmltv import MAX_DAYS as MAX_GUIDE_DAYS
from retrovue_desktop.scheduling.xmltv import write_xmltv
from retrovue_desktop.secrets import install_log_redaction, register_secret
from retrovue_desktop.store.channels import ChannelRow, list_channels
from retrovue_desktop.store.engine import (
    ENV_DATABASE_URL,
    create_engine_for,
    describe_url,
    make_session_factory,
    resolve_database_url,
)
from retrovue_desktop.store.migrations import (
    DatabaseRefused,
    current_revision,
    head_revision,
    prepare_database,
)
from retrovue_desktop.store.models import Library, PlexServer

ENV_PLEX_TOKEN = "RETROVUE_PLEX_TOKEN"
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
UNMATCHED_SHOWN = 20  # unmatched as-run lines listed on stderr; the rest are counted

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="retrovue-desktop",
        description=(
            "RetroVue Desktop: manage a home TV station's catalogue, tags, weekly grid,"
            " programme log and play log. With no command, opens the window."
        ),
        epilog=f"The database defaults to a SQLite file in your data folder; {ENV_DATABASE_URL}"
        " or --database point elsewhere (e.g. postgresql+psycopg://user@host/db).",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help=f"SQLAlchemy database URL (default: ${ENV_DATABASE_URL}, else the local file)",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="open the main window, process events once and quit (a start-up check)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    db = commands.add_parser("db", help="show or upgrade the database schema")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_status = db_commands.add_parser("status", help="where the database is and its revision")
    db_status.set_defaults(handler=cmd_db_status)
    db_upgrade = db_commands.add_parser(
        "upgrade", help="create or upgrade the database to this version's schema"
    )
    db_upgrade.set_defaults(handler=cmd_db_upgrade)

    server = commands.add_parser("server", help="add or list Plex servers")
    server_commands = server.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    server_add = server_commands.add_parser(
        "add",
        help="test a Plex server's address and token, then save it",
        description=(
            "Tests the connection first; nothing is saved if it fails. The token comes"
            f" from --token-file or ${ENV_PLEX_TOKEN}, never from the command line, so it"
            " stays out of shell history and process lists."
        ),
    )
    server_add.add_argument("name", help="a name for the server, e.g. 'Den'")
    server_add.add_argument("url", help="the server's address, e.g. http://192.168.1.10:32400")
    server_add.add_argument("--token-file", metavar="FILE", help="a file holding the token")
    server_add.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    server_add.set_defaults(handler=cmd_server_add)
    server_list = server_commands.add_parser("list", help="the saved Plex servers")
    server_list.set_defaults(handler=cmd_server_list)

    sync = commands.add_parser(
        "sync",
        help="sync Plex libraries into the catalogue",
        description="Progress goes to stderr, a summary per library to stdout.",
    )
    sync.add_argument("--server", metavar="NAME", help="only this server (default: all)")
    sync.add_argument("--library", metavar="TITLE", action="append", help="only this library")
    sync.add_argument(
        "--full", action="store_true", help="re-read every item, even if Plex says unchanged"
    )
    sync.add_argument("--timeout", type=float, default=30.0, help="seconds per Plex request")
    sync.add_argument("--concurrency", type=int, default=4, help="parallel detail requests")
    sync.set_defaults(handler=cmd_sync)

    validate = commands.add_parser(
        "validate",
        help="check that every catalogued file can be played from this computer",
        description=(
            "Looks at every file of the libraries (all, or those named): found through the"
            " path mappings, there, readable, of the size the catalogue knows; with --probe"
            " also of its duration and codecs. Progress goes to stderr, counts per library"
            " to stdout."
        ),
    )
    validate.add_argument("--library", metavar="TITLE", action="append", help="only this library")
    validate.add_argument(
        "--probe", action="store_true", help="also read each file with MediaInfo (slower)"
    )
    validate.add_argument(
        "--timeout", type=float, default=5.0, help="seconds a file may take to answer"
    )
    validate.add_argument("--workers", type=int, default=16, help="files looked at in parallel")
    validate.set_defaults(handler=cmd_validate)

    folder = commands.add_parser("folder", help="local-folder libraries (ads, bumpers, promos)")
    folder_commands = folder.add_subparsers(dest="folder_command", metavar="ACTION", required=True)
    folder_add = folder_commands.add_parser(
        "add", help="add a folder as a library and scan it", description="Adds, then scans."
    )
    folder_add.add_argument("path", help="the folder")
    folder_add.add_argument(
        "--kind", required=True, choices=FOLDER_KINDS, help="what the folder holds"
    )
    folder_add.add_argument("--title", help="the library's title (default: the folder's name)")
    folder_add.set_defaults(handler=cmd_folder_add)
    folder_scan = folder_commands.add_parser(
        "scan", help="rescan local-folder libraries for new, changed and removed files"
    )
    folder_scan.add_argument(
        "--library", metavar="TITLE", action="append", help="only this library (default: all)"
    )
    folder_scan.set_defaults(handler=cmd_folder_scan)

    mapping = commands.add_parser(
        "mapping", help="where a Plex library's files are found from this computer"
    )
    mapping_commands = mapping.add_subparsers(
        dest="mapping_command", metavar="ACTION", required=True
    )
    mapping_add = mapping_commands.add_parser(
        "add",
        help="map a Plex folder to a local folder",
        description=(
            "E.g. mapping add --library Movies /data/movies /mnt/nas/movies. The longest"
            " matching Plex folder wins; on a Windows Plex server case does not matter."
        ),
    )
    mapping_add.add_argument("--library", metavar="TITLE", required=True)
    mapping_add.add_argument(
        "plex_prefix", metavar="PLEX_PREFIX", help="the folder as Plex sees it"
    )
    mapping_add.add_argument(
        "local_prefix", metavar="LOCAL_PREFIX", help="the same folder on this computer"
    )
    mapping_add.set_defaults(handler=cmd_mapping_add)
    mapping_list = mapping_commands.add_parser(
        "list", help="a library's mappings and Plex's folders for it"
    )
    mapping_list.add_argument("--library", metavar="TITLE", required=True)
    mapping_list.set_defaults(handler=cmd_mapping_list)
    mapping_remove = mapping_commands.add_parser("remove", help="remove a mapping by its id")
    mapping_remove.add_argument("id", type=int, help="the id 'mapping list' shows")
    mapping_remove.set_defaults(handler=cmd_mapping_remove)

    export = commands.add_parser(
        "export", help="write the programme guide (XMLTV) or the channel playlist (M3U)"
    )
    export_commands = export.add_subparsers(dest="export_command", metavar="FORMAT", required=True)
    xmltv = export_commands.add_parser(
        "xmltv",
        help="the programme guide of every active channel, as XMLTV",
        description=(
            "Writes every active channel and its planned, approved and played programmes"
            " that overlap the days, counted from --from in each channel's time zone."
            " The file is replaced only once the whole guide is written."
        ),
    )
    _add_date_range(xmltv)
    xmltv.add_argument("-o", "--output", metavar="FILE", required=True, help="the file to write")
    xmltv.set_defaults(handler=cmd_export_xmltv)
    m3u = export_commands.add_parser(
        "m3u",
        help="the playlist of every active channel, as M3U with XMLTV ids",
        description=(
            "One entry per active channel with tvg-id (its XMLTV id), tvg-chno and"
            " tvg-name. In the stream address {number}, {id}, {callsign} and {guide_id}"
            " are replaced per channel."
        ),
    )
    m3u.add_argument("-o", "--output", metavar="FILE", required=True, help="the file to write")
    m3u.add_argument(
        "--stream-url",
        metavar="TEMPLATE",
        help=(
            "each channel's stream address (default: the window's setting, else"
            f" {DEFAULT_STREAM_URL_TEMPLATE.replace('%', '%%')})"
        ),
    )
    m3u.set_defaults(handler=cmd_export_m3u)

    schedule = commands.add_parser("schedule", help="turn the weekly grid into the programme log")
    schedule_commands = schedule.add_subparsers(
        dest="schedule_command", metavar="ACTION", required=True
    )
    schedule_build = schedule_commands.add_parser(
        "build",
        help="plan the programme log of channels for real dates",
        description=(
            "Plans each date's blocks with programmes, ad breaks and fill (docs/programme_log.md)."
            " Only planned entries are replaced; approved and played ones are kept and"
            " planned around. Each channel is one transaction: an error leaves its log as it"
            " was."
        ),
    )
    schedule_build.add_argument(
        "--channel",
        metavar="NUMBER",
        action="append",
        help="the channel's number (repeat for several; default: every active channel)",
    )
    _add_date_range(schedule_build)
    schedule_build.add_argument(
        "--seed", type=int, default=0, help="the shuffle's seed (same seed, same log; default 0)"
    )
    schedule_build.set_defaults(handler=cmd_schedule_build)

    demo = commands.add_parser("demo", help="the demo station, to look around before using Plex")
    demo_commands = demo.add_subparsers(dest="demo_command", metavar="ACTION", required=True)
    demo_create = demo_commands.add_parser(
        "create",
        help="make the demo station in its own database",
        description=(
            "Makes a believable small station with invented programmes (docs/demo.md) in a"
            " new database: the demo file in your data folder, or --database URL (a new"
            " file or an empty database; an existing demo file is replaced, anything else"
            " is refused untouched)."
        ),
    )
    demo_create.add_argument(
        "--today",
        metavar="DATE",
        type=_date_argument,
        help="the day the demo's log is built around, YYYY-MM-DD (default: today)",
    )
    demo_create.add_argument(
        "--seed", type=int, default=1, help="the invention's seed (same seed, same station)"
    )
    demo_create.set_defaults(handler=cmd_demo_create)

    playlog = commands.add_parser("playlog", help="the play log: what actually aired")
    playlog_commands = playlog.add_subparsers(
        dest="playlog_command", metavar="ACTION", required=True
    )
    playlog_import = playlog_commands.add_parser(
        "import",
        help="add an as-run log (CSV) to the play log",
        description=(
            "Reads an as-run CSV (docs/as_run.md), matches its rows to content and to the"
            " programme log, and adds them to the play log in one transaction: a malformed"
            " line is reported with its number and nothing is written. Rows already in the"
            " play log are skipped, so importing a file again adds nothing twice."
        ),
    )
    playlog_import.add_argument("file", metavar="FILE", help="the as-run CSV file (UTF-8)")
    playlog_import.add_argument(
        "--tolerance",
        metavar="SECONDS",
        type=_tolerance_argument,
        default=DEFAULT_TOLERANCE_SECONDS,
        help="how far a row's start may be from the planned start to count as that entry"
        f" (default {DEFAULT_TOLERANCE_SECONDS})",
    )
    playlog_import.set_defaults(handler=cmd_playlog_import)
    playlog_start = playlog_commands.add_parser(
        "start",
        help="record that an item went to air (ends the channel's item still on air)",
        description="Prints the new play-log row's id; give it to 'playlog end'.",
    )
    playlog_start.add_argument("--channel", metavar="NUMBER", required=True)
    playlog_start.add_argument(
        "--kind", required=True, choices=("program", "ad", "promo", "bumper", "clip", "unknown")
    )
    playlog_start.add_argument("--content", metavar="ID", type=int, help="the content item's id")
    playlog_start.add_argument("--file", metavar="ID", type=int, help="the media file's id")
    playlog_start.add_argument(
        "--instance", metavar="ID", type=int, help="the programme-log entry it airs"
    )
    playlog_start.add_argument("--seq", metavar="N", type=int, help="its place in an ad break")
    playlog_start.add_argument("--notes", metavar="TEXT")
    playlog_start.add_argument(
        "--at", metavar="TIME", type=_instant_argument, help="ISO 8601 with offset (default: now)"
    )
    playlog_start.set_defaults(handler=cmd_playlog_start)
    playlog_end = playlog_commands.add_parser("end", help="record that an item left the air")
    playlog_end.add_argument("id", type=int, help="the id 'playlog start' printed")
    playlog_end.add_argument(
        "--at", metavar="TIME", type=_instant_argument, help="ISO 8601 with offset (default: now)"
    )
    playlog_end.set_defaults(handler=cmd_playlog_end)
    return parser


def _tolerance_argument(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 3600:
        raise argparse.ArgumentTypeError(
            f"“{text}” is not a tolerance: give whole seconds from 0 to 3600"
        )
    return value


def _add_date_range(parser: argparse.ArgumentParser) -> None:
    """--from DATE (default today in the station's zone) and --days N."""
    parser.add_argument(
        "--from",
        dest="first_day",
        metavar="DATE",
        type=_date_argument,
        help="the first day, YYYY-MM-DD (default: today in the station's time zone)",
    )
    parser.add_argument(
        "--days", metavar="N", type=_days_argument, required=True, help="how many days"
    )


def _instant_argument(text: str) -> int:
    """An ISO 8601 time with its offset, as UTC seconds."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"“{text}” is not a time with its offset: write it as 2026-11-24T20:00:00-05:00"
        )
    return int(moment.timestamp())


def _date_argument(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"“{text}” is not a date: write it as YYYY-MM-DD, e.g. 2026-03-07"
        ) from None


def _days_argument(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = 0
    if not 1 <= days <= MAX_GUIDE_DAYS:
        raise argparse.ArgumentTypeError(
            f"“{text}” is not a number of days from 1 to {MAX_GUIDE_DAYS}"
        )
    return days


def cmd_db_status(args: argparse.Namespace) -> int:
    url = _database_url(args)
    engine = create_engine_for(url)
    try:
        current = current_revision(engine)
    finally:
        engine.dispose()
    head = head_revision()
    print(f"database: {describe_url(url)}")
    print(f"revision: {current or '(empty)'}")
    print(f"this version's schema: {head}")
    return EXIT_OK


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    url = _database_url(args)
    try:
        result = prepare_database(url)
    except DatabaseRefused as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAILED
    if result.from_revision == result.to_revision:
        print(f"{describe_url(url)} is up to date ({result.to_revision}).")
    else:
        print(f"{describe_url(url)} upgraded to {result.to_revision}.")
    if result.backup_path is not None:
        print(f"backup: {result.backup_path}")
    return EXIT_OK


def _database_url(args: argparse.Namespace) -> str:
    """`--database`, else RETROVUE_DATABASE_URL, else the location chosen in Settings
    (where "Move database" put it), else the default file: the window and every command
    open the same station."""
    from retrovue_desktop.ui.settings import database_location_setting

    return resolve_database_url(args.database, configured=database_location_setting())


def _sessions(args: argparse.Namespace) -> sessionmaker[Session]:
    """Prepare the database (create or upgrade) and return a session factory on it."""
    url = _database_url(args)
    prepare_database(url)
    return make_session_factory(create_engine_for(url))


def _read_token(args: argparse.Namespace) -> str:
    if args.token_file:
        try:
            token = Path(args.token_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise CommandFailed(
                f"The token file {args.token_file} could not be read ({exc.strerror})."
            ) from exc
    else:
        token = os.environ.get(ENV_PLEX_TOKEN, "").strip()
    if not token:
        raise CommandFailed(
            f"No Plex token given: put it in a file and pass --token-file FILE, or set"
            f" ${ENV_PLEX_TOKEN}."
        )
    register_secret(token)
    return token


def cmd_server_add(args: argparse.Namespace) -> int:
    token = _read_token(args)
    sessions = _sessions(args)
    tokens = TokenStore()
    summary = add_server(sessions, args.name, args.url, token, tokens, timeout=args.timeout)
    print(
        f"Saved Plex server '{summary.name}' at {summary.base_url}"
        f" ({summary.platform or 'unknown platform'}); token kept in {tokens.where}."
    )
    return EXIT_OK


def cmd_server_list(args: argparse.Namespace) -> int:
    servers = list_servers(_sessions(args))
    if not servers:
        print("No Plex servers yet: add one with 'retrovue-desktop server add NAME URL'.")
    for server in servers:
        print(
            f"{server.name}\t{server.base_url}\t{server.platform or '-'}"
            f"\t{server.libraries} libraries"
        )
    return EXIT_OK


def _stderr_progress(phase: str, done: int, total: int) -> None:
    print(f"{phase}: {done}/{total}", file=sys.stderr, flush=True)


def cmd_sync(args: argparse.Namespace) -> int:
    sessions = _sessions(args)
    servers = [find_server(sessions, args.server)] if args.server else list_servers(sessions)
    if not servers:
        raise CommandFailed(
            "No Plex servers to sync: add one with 'retrovue-desktop server add NAME URL'."
        )
    options = SyncOptions(full=args.full, timeout=args.timeout, concurrency=args.concurrency)
    tokens = TokenStore()
    for server in servers:
        result = sync_server(
            sessions,
            server.id,
            tokens,
            options,
            progress=_stderr_progress,
            library_titles=args.library,
        )
        print(f"{result.server_name}:")
        for library in result.libraries:
            print(f"  {library.line()}")
    return EXIT_OK


def _libraries(
    sessions: sessionmaker[Session], titles: Sequence[str] | None, source: str | None = None
) -> list[tuple[int, str]]:
    """(id, title) of the libraries called `titles` (all when None), of `source` if given."""
    with sessions() as session:
        query = select(Library.id, Library.title, Library.source).order_by(Library.title)
        known = [(row.id, row.title, row.source) for row in session.execute(query)]
    eligible = [(i, t) for i, t, src in known if source is None or src == source]
    if titles is None:
        return eligible
    wanted = [(i, t) for i, t in eligible if t in set(titles)]
    unknown = set(titles) - {t for _i, t in wanted}
    if unknown:
        kinds = {"plex": "Plex library", "local": "local-folder library"}
        other = sorted({(t, src) for _i, t, src in known if t in unknown})
        if other:
            title, other_source = other[0]
            raise CommandFailed(
                f"'{title}' is a {kinds.get(other_source, 'library')}, not a"
                f" {kinds.get(source or '', 'library')}."
            )
        names = ", ".join(sorted({t for _i, t in eligible})) or "none yet"
        raise CommandFailed(
            f"There is no {kinds.get(source or '', 'library')} called"
            f" {', '.join(repr(t) for t in sorted(unknown))} (known: {names})."
        )
    return wanted


def _one_library(sessions: sessionmaker[Session], title: str, source: str) -> int:
    found = _libraries(sessions, [title], source)
    if len(found) > 1:
        raise CommandFailed(
            f"More than one library is called '{title}': rename one in the window first."
        )
    return found[0][0]


def cmd_validate(args: argparse.Namespace) -> int:
    sessions = _sessions(args)
    libraries = _libraries(sessions, args.library)
    if not libraries:
        raise CommandFailed("No libraries to validate: sync a Plex server or add a folder first.")
    for library_id, _title in libraries:
        result = validate_library(
            sessions,
            library_id,
            probe=args.probe,
            progress=_stderr_progress,
            workers=args.workers,
            stat_timeout_s=args.timeout,
        )
        print(result.line())
    return EXIT_OK


def cmd_folder_add(args: argparse.Namespace) -> int:
    sessions = _sessions(args)
    with sessions() as session, session.begin():
        library_id = add_folder_library(session, args.path, args.kind, args.title)
        library = session.get(Library, library_id)
        assert library is not None
        title, root = library.title, library.root_path
    print(f"Added the {args.kind} library '{title}' at {root}.")
    result = scan_folder_library(sessions, library_id, progress=_stderr_progress)
    print(result.line())
    return EXIT_OK


def cmd_folder_scan(args: argparse.Namespace) -> int:
    sessions = _sessions(args)
    libraries = _libraries(sessions, args.library, "local")
    if not libraries:
        raise CommandFailed(
            "No local-folder libraries yet: add one with"
            " 'retrovue-desktop folder add PATH --kind KIND'."
        )
    for library_id, _title in libraries:
        print(scan_folder_library(sessions, library_id, progress=_stderr_progress).line())
    return EXIT_OK


def cmd_mapping_add(args: argparse.Namespace) -> int:
    sessions = _sessions(args)
    library_id = _one_library(sessions, args.library, "plex")
    with sessions() as session, session.begin():
        add_mapping(session, library_id, args.plex_prefix, args.local_prefix)
    print(
        f"'{args.library}': {args.plex_prefix.strip()} is found at {args.local_prefix.strip()}."
        " Run 'retrovue-desktop validate' to check its files."
    )
    return EXIT_OK


def cmd_mapping_list(args: argparse.Namespace) -> int:
    sessions = _sessions(args)
    library_id = _one_library(sessions, args.library, "plex")
    with sessions() as session:
        rows = mapping_rows(session, library_id)
        locations = library_locations(session, library_id)
        platform = session.execute(
            select(PlexServer.platform)
            .join(Library, Library.server_id == PlexServer.id)
            .where(Library.id == library_id)
        ).scalar_one_or_none()
    windows = (platform or "").lower().startswith("windows")
    if not rows:
        print(f"'{args.library}' has no path mappings yet.")
    for row in rows:
        print(f"{row.id}\t{row.plex_prefix}\t{row.local_prefix}")
    mapped = [prefix_key(row.plex_prefix, windows_server=windows) for row in rows]
    for location in locations:
        anchor, keys = prefix_key(location, windows_server=windows)
        covered = any(a == anchor and keys[: len(k)] == k for a, k in mapped)
        print(f"Plex folder: {location}{'' if covered else '  (not mapped)'}")
    return EXIT_OK


def cmd_mapping_remove(args: argparse.Namespace) -> int:
    sessions = _sessions(args)
    with sessions() as session, session.begin():
        removed = remove_mapping(session, args.id)
    if not removed:
        raise CommandFailed(f"There is no path mapping with id {args.id}: see 'mapping list'.")
    print(f"Removed path mapping {args.id}.")
    return EXIT_OK


def _export(args: argparse.Namespace, write: Callable[[Session, BinaryIO], ExportSummary]) -> int:
    """Run an export into args.output through a temporary file beside it; warnings go to
    stderr, the result line to stdout."""
    sessions = _sessions(args)
    try:
        with sessions() as session:
            summary = write_atomically(args.output, lambda out: write(session, out))
    except KeyboardInterrupt:
        print(f"Interrupted; {args.output} was not changed.", file=sys.stderr)
        return EXIT_FAILED
    for warning in summary.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(summary.line(args.output))
    return EXIT_OK


def cmd_export_xmltv(args: argparse.Namespace) -> int:
    from retrovue_desktop.ui.settings import station_time_zone

    station_zone = station_time_zone()
    first_day: date = args.first_day or datetime.now(zone(station_zone)).date()
    return _export(
        args,
        lambda session, out: write_xmltv(
            session,
            out,
            first_day=first_day,
            days=args.days,
            station_zone=station_zone,
            progress=_stderr_progress,
        ),
    )


def cmd_export_m3u(args: argparse.Namespace) -> int:
    from retrovue_desktop.ui.settings import stream_url_template

    template = args.stream_url if args.stream_url is not None else stream_url_template()
    check_stream_url_template(template)  # refused before the database is even opened
    return _export(
        args,
        lambda session, out: write_m3u(
            session, out, stream_url_template=template, progress=_stderr_progress
        ),
    )


def _channels_to_build(session: Session, numbers: list[str] | None) -> list[ChannelRow]:
    channels = list_channels(session)
    if not numbers:
        return [c for c in channels if c.values.is_active]
    chosen = []
    for number in numbers:
        found = [c for c in channels if c.values.number == number.strip()]
        if not found:
            known = ", ".join(c.values.number for c in channels if c.values.number) or "none"
            raise CommandFailed(
                f"No channel has the number “{number}”. Channel numbers here: {known}."
            )
        chosen.extend(found)
    return chosen


class _TenthsProgress:
    """Progress on stderr every tenth of the way, not every batch."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.shown: tuple[str, int] = ("", -1)

    def __call__(self, phase: str, done: int, total: int) -> None:
        tenth = done * 10 // total if total else 10
        if (phase, tenth) != self.shown:
            self.shown = (phase, tenth)
            print(f"{self.label}: {phase.lower()} {tenth * 10}%", file=sys.stderr, flush=True)


def cmd_schedule_build(args: argparse.Namespace) -> int:
    from retrovue_desktop.ui.settings import station_max_rating, station_time_zone

    station_zone = station_time_zone()
    first_day: date = args.first_day or datetime.now(zone(station_zone)).date()
    sessions = _sessions(args)
    with sessions() as session:
        channels = _channels_to_build(session, args.channel)
    if not channels:
        print("No active channels to build; add one on the Schedule tab.", file=sys.stderr)
        return EXIT_FAILED
    cache = PoolCache()
    for channel in channels:
        progress = _TenthsProgress(channel.label)
        with sessions.begin() as session:
            report = build(
                session,
                BuildRequest(channel.id, first_day, args.days, args.seed),
                station_zone=station_zone,
                station_ceiling=station_max_rating(),
                progress=progress,
                cache=cache,
            )
        for warning in report.warnings:
            print(f"warning: {channel.label}: {warning}", file=sys.stderr)
        print(f"{channel.label}: {report.summary()}")
    return 0


def cmd_demo_create(args: argparse.Namespace) -> int:
    from retrovue_desktop.demo.create import create_demo
    from retrovue_desktop.demo.location import demo_database_url
    from retrovue_desktop.demo.station import ZONE

    url = args.database or demo_database_url()
    today: date = args.today or datetime.now(zone(ZONE)).date()
    report = create_demo(url, today=today, seed=args.seed, progress=_stderr_progress)
    print(report.summary())
    print(f"database: {describe_url(url)}")
    return EXIT_OK


def cmd_playlog_start(args: argparse.Namespace) -> int:
    sessions = _sessions(args)
    at = args.at if args.at is not None else int(time.time())
    with sessions.begin() as session:
        (channel,) = _channels_to_build(session, [args.channel])
        play_id = start_play(
            session,
            channel.id,
            at,
            args.kind,
            content_item_id=args.content,
            media_file_id=args.file,
            schedule_instance_id=args.instance,
            ad_block_seq=args.seq,
            notes=args.notes,
        )
    print(play_id)
    return 0


def cmd_playlog_end(args: argparse.Namespace) -> int:
    sessions = _sessions(args)
    at = args.at if args.at is not None else int(time.time())
    with sessions.begin() as session:
        end_play(session, args.id, at)
    return 0


def cmd_playlog_import(args: argparse.Namespace) -> int:
    from retrovue_desktop.ui.settings import station_time_zone

    station_zone = station_time_zone()
    text = read_file(args.file)  # refused before the database is even opened
    sessions = _sessions(args)
    try:
        with sessions.begin() as session:
            report = import_as_run(
                session,
                text,
                station_zone=station_zone,
                tolerance_seconds=args.tolerance,
                progress=_TenthsProgress(Path(args.file).name),
            )
    except KeyboardInterrupt:  # the transaction was rolled back
        print("Interrupted; nothing of the file was written.", file=sys.stderr)
        return EXIT_FAILED
    shown = report.unmatched_lines[:UNMATCHED_SHOWN]
    for line, problem in shown:
        print(f"line {line}: {problem}", file=sys.stderr)
    if len(report.unmatched_lines) > len(shown):
        more = len(report.unmatched_lines) - len(shown)
        print(f"… and {more:,} more unmatched rows (see their notes).", file=sys.stderr)
    print(report.summary())
    return EXIT_OK


class CommandFailed(OperatorError):
    """A command could not do its work; `str()` is the operator's sentence."""


def main(argv: Sequence[str] | None = None) -> int:
    # A frozen (PyInstaller) build starts sync worker processes through this entry point.
    multiprocessing.freeze_support()
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    install_log_redaction()
    handler: Handler | None = getattr(args, "handler", None)
    if handler is not None:
        try:
            return handler(args)
        except OperatorError as exc:
            detail = getattr(exc, "detail", "")
            if detail:
                logging.getLogger(__name__).info("detail: %s", detail)
            print(str(exc), file=sys.stderr)
            return EXIT_FAILED
        except SyncCancelled:
            print("Sync canceled; what was written so far is kept.", file=sys.stderr)
            return EXIT_FAILED
        except KeyboardInterrupt:
            print("Interrupted; what was written so far is kept.", file=sys.stderr)
            return EXIT_FAILED
    from retrovue_desktop.ui.app import run_gui

    return run_gui(_database_url(args), smoke=args.smoke)
