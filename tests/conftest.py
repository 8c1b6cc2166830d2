"""Test configuration shared by the whole suite.

The suite sets its own environment: Qt runs offscreen, and the app's data and config
folders point into a temporary folder so no test touches the real user's files.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

_SANDBOX = Path(tempfile.mkdtemp(prefix="retrovue-tests-"))
# Offscreen Qt with one 1920x1080 screen (the plugin's default is 800x600, smaller than
# the window's minimum size, which would clamp restored geometry).
_SCREEN = _SANDBOX / "offscreen.json"
_SCREEN.write_text(
    json.dumps(
        {
            "windowFrameMargins": False,
            "screens": [
                {
                    "name": "Test",
                    "x": 0,
                    "y": 0,
                    "width": 1920,
                    "height": 1080,
                    "logicalDpi": 96,
                    "logicalBaseDpi": 96,
                    "dpr": 1,
                }
            ],
        }
    )
)
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREEN}"
os.environ["XDG_CONFIG_HOME"] = str(_SANDBOX / "config")
os.environ["XDG_DATA_HOME"] = str(_SANDBOX / "data")
os.environ["XDG_CACHE_HOME"] = str(_SANDBOX / "cache")
os.environ["XDG_STATE_HOME"] = str(_SANDBOX / "state")
os.environ.pop("RETROVUE_DATABASE_URL", None)

import pytest  # noqa: E402
from sqlalchemy import Engine, create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

ENV_POSTGRES = "RETROVUE_TEST_POSTGRES_URL"
ENV_REQUIRE_POSTGRES = "RETROVUE_REQUIRE_POSTGRES"
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A URL for a fresh, not yet existing SQLite file."""
    return f"sqlite:///{tmp_path / 'station.db'}"


def _postgres_admin_url() -> str:
    url = os.environ.get(ENV_POSTGRES)
    if not url:
        if os.environ.get(ENV_REQUIRE_POSTGRES):
            pytest.fail(f"{ENV_REQUIRE_POSTGRES} is set but {ENV_POSTGRES} is not")
        pytest.skip(
            f"PostgreSQL tests need a server: set {ENV_POSTGRES} to a URL such as "
            "postgresql+psycopg://postgres@127.0.0.1:5432/postgres (.ci/run does)"
        )
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL for a fresh, empty PostgreSQL database, dropped after the test."""
    yield from _fresh_postgres_database()


@pytest.fixture
def second_postgres_url() -> Iterator[str]:
    """Another fresh PostgreSQL database, for tests that need two (database moves)."""
    yield from _fresh_postgres_database()


def _fresh_postgres_database() -> Iterator[str]:
    admin_url = _postgres_admin_url()
    name = f"retrovue_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        if os.environ.get(ENV_REQUIRE_POSTGRES):
            raise
        pytest.skip(f"PostgreSQL at {ENV_POSTGRES} is not reachable: {exc}")
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a fresh database built by the migrations, on each backend in turn."""
    from tests.builders import migrated_engine

    engine = migrated_engine(db_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    """Sessions on `engine`; each test's unit of work commits for itself."""
    from retrovue_desktop.store.engine import make_session_factory

    return make_session_factory(engine)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest) -> str:
    """A fresh, empty database on each backend in turn."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(name)
    return url


# Tokens go to a private file in the sandbox, never to the developer's real keyring.
os.environ["RETROVUE_TOKEN_STORE"] = "file"
pytest_plugins = ["tests.fakeplex.fixtures"]


@pytest.fixture
def app_context(sqlite_url: str, tmp_path: Path) -> Iterator[object]:
    """What the window needs, on a fresh migrated SQLite file with a private token file."""
    from retrovue_desktop.plex.tokens import TokenStore
    from retrovue_desktop.store.migrations import prepare_database
    from retrovue_desktop.ui.context import AppContext

    result = prepare_database(sqlite_url)
    context = AppContext.open(
        sqlite_url, result.to_revision, TokenStore(tmp_path / "tokens.json", use_keyring=False)
    )
    yield context
    context.close()


@pytest.fixture
def edits(app_context: object) -> object:
    """The window's undo stack and catalogue writer, on `app_context`'s database."""
    from retrovue_desktop.ui.context import AppContext
    from retrovue_desktop.ui.edits import CatalogEdits

    assert isinstance(app_context, AppContext)
    return CatalogEdits(app_context.sessions)


@pytest.fixture(autouse=True)
def _play_log_rotated_today() -> None:
    """Every window rotates the play log at start-up once a day; tests' databases hold
    rows from fixed dates, so mark today's rotation done. Tests of the rotation remove
    the mark themselves."""
    import time

    from retrovue_desktop.ui.rotation_job import KEY_LAST_ROTATION
    from retrovue_desktop.ui.settings import put

    put(KEY_LAST_ROTATION, int(time.time()))


@pytest.fixture(autouse=True, scope="session")
def _no_thread_outlives_the_session() -> Iterator[None]:
    """A content id loader still running at exit would abort the interpreter
    ("QThread destroyed while running"): wait for every one after the last test."""
    yield
    if "retrovue_desktop.ui.content_model" in sys.modules:
        from retrovue_desktop.ui.content_model import wait_for_loaders

        wait_for_loaders()
    if "retrovue_desktop.ui.constraint_forms" in sys.modules:
        from retrovue_desktop.ui.constraint_forms import wait_for_jobs

        wait_for_jobs()
