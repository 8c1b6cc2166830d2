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
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop import __version__
from retrovue_desktop.logs import configure_logging
from retrovue_desktop.plex.errors import PlexError
from retrovue_desktop.plex.servers import add_server, find_server, list_servers
from retrovue_desktop.plex.sync import SyncCancelled, SyncOptions, sync_server
from retrovue_desktop.plex.tokens import TokenStore, TokenStoreError
from retrovue_desktop.secrets import install_log_redaction, register_secret
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

ENV_PLEX_TOKEN = "RETROVUE_PLEX_TOKEN"
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

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
    return parser


def cmd_db_status(args: argparse.Namespace) -> int:
    url = resolve_database_url(args.database)
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
    url = resolve_database_url(args.database)
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


def _sessions(args: argparse.Namespace) -> sessionmaker[Session]:
    """Prepare the database (create or upgrade) and return a session factory on it."""
    url = resolve_database_url(args.database)
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


class CommandFailed(Exception):
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
        except (CommandFailed, DatabaseRefused, PlexError, TokenStoreError) as exc:
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

    return run_gui(resolve_database_url(args.database), smoke=args.smoke)
