"""A loopback fake Plex Media Server that the real plexapi library can talk to.

Why: the sync engine's tests and benchmark drive real plexapi over real HTTP against a
catalogue they control, with injectable faults, instead of mocking plexapi or requests.

    data = generate_library(seed=1, movies=10, shows=2)
    with FakePlexServer(data, token="secret-token") as srv:
        plex = PlexServer(srv.url, "secret-token")
"""

from .model import (
    MOVIE_RATINGS,
    TV_RATINGS,
    UNICODE_TITLES,
    FakeChapter,
    FakeEpisode,
    FakeItem,
    FakeLocation,
    FakeMarker,
    FakeMedia,
    FakeMovie,
    FakePart,
    FakePlexData,
    FakePlexLibrary,
    FakeSeason,
    FakeSection,
    FakeShow,
    FakeStream,
    generate_library,
)
from .server import (
    XML_CONTENT_TYPE,
    FakePlexServer,
    Fault,
    FaultKind,
    PlexRequestError,
    RecordedRequest,
)

__all__ = [
    "MOVIE_RATINGS",
    "TV_RATINGS",
    "UNICODE_TITLES",
    "XML_CONTENT_TYPE",
    "FakeChapter",
    "FakeEpisode",
    "FakeItem",
    "FakeLocation",
    "FakeMarker",
    "FakeMedia",
    "FakeMovie",
    "FakePart",
    "FakePlexData",
    "FakePlexLibrary",
    "FakePlexServer",
    "FakeSeason",
    "FakeSection",
    "FakeShow",
    "FakeStream",
    "Fault",
    "FaultKind",
    "PlexRequestError",
    "RecordedRequest",
    "generate_library",
]
