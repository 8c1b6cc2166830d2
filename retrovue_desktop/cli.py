"""The command line: one executable for the window and for unattended jobs.

With no command it opens the window; commands print results on stdout, progress and
the operator's sentences on stderr, and exit 0 only on success (DESIGN.md).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from retrovue_desktop import __version__
from retrovue_desktop.logs import configure_logging
from retrovue_desktop.store.engine import ENV_DATABASE_URL, describe_url, resolve_database_url
from retrovue_desktop.store.migrations import (
    DatabaseRefused,
    current_revision,
    head_revision,
    prepare_database,
)

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
    return parser


def cmd_db_status(args: argparse.Namespace) -> int:
    from retrovue_desktop.store.engine import create_engine_for

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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is not None:
        return handler(args)
    from retrovue_desktop.ui.app import run_gui

    return run_gui(resolve_database_url(args.database), smoke=args.smoke)
