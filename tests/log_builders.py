"""A small hand-built station for programme-log tests: items with playable files,
shows with episodes, channels and blocks, written through the real store."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import insert
from sqlalchemy.orm import Session

from retrovue_desktop.scheduling import ad_policies, ad_rules, blocks, constraints
from retrovue_desktop.scheduling.blocks import BlockValues
from retrovue_desktop.store import models as m
from retrovue_desktop.store.channels import ChannelValues, create_channel
from tests.builders import add

MINUTE = 60


@dataclass
class Catalogue:
    """Ids of what `Catalogue.make` and its helpers added."""

    session: Session
    library: int = 0
    files: dict[int, int] = field(default_factory=dict)  # item id -> primary file id
    _next_key: int = 0

    @classmethod
    def make(cls, session: Session) -> Catalogue:
        library = add(
            session, m.Library, source="local", root_path="/srv", title="All", library_type="mixed"
        )
        return cls(session, library)

    def _key(self) -> str:
        self._next_key += 1
        return str(self._next_key)

    def item(
        self,
        kind: str,
        title: str,
        seconds: int,
        *,
        rating: str | None = None,
        availability: str = "ok",
        show_id: int | None = None,
        season: int | None = None,
        episode: int | None = None,
        tags: tuple[str, ...] = (),
        with_file: bool = True,
    ) -> int:
        item_id = add(
            self.session,
            m.ContentItem,
            kind=kind,
            title=title,
            duration_ms=seconds * 1000,
            rating_code=rating,
            show_id=show_id,
            season_number=season,
            episode_number=episode,
            library_id=self.library,
            plex_rating_key=self._key(),
        )
        if with_file:
            file_id = add(
                self.session,
                m.MediaFile,
                library_id=self.library,
                local_file_path=f"/srv/{item_id}.mkv",
                duration_ms=seconds * 1000,
                availability=availability,
            )
            self.session.execute(
                insert(m.ContentItemFile).values(
                    content_item_id=item_id, media_file_id=file_id, role="primary"
                )
            )
            self.files[item_id] = file_id
        for tag in tags:
            namespace, key = tag.split(":", 1)
            self.session.execute(
                insert(m.ContentTag).values(content_item_id=item_id, namespace=namespace, key=key)
            )
        return item_id

    def show(
        self, title: str, episodes: int, seconds: int, seasons: int = 1, **kw: object
    ) -> tuple[int, list[int]]:
        """A show and its episodes, season by season; returns (show id, episode ids)."""
        server = add(self.session, m.PlexServer, name=f"S{self._key()}")
        show_id = add(
            self.session,
            m.Show,
            server_id=server,
            library_id=self.library,
            plex_rating_key=self._key(),
            title=title,
        )
        ids = []
        for season in range(1, seasons + 1):
            for episode in range(1, episodes + 1):
                ids.append(
                    self.item(
                        "episode",
                        f"{title} {season}x{episode:02d}",
                        seconds,
                        show_id=show_id,
                        season=season,
                        episode=episode,
                        **kw,  # type: ignore[arg-type]
                    )
                )
        return show_id, ids

    def marker(self, item_id: int, kind: str, at_seconds: int) -> None:
        add(
            self.session,
            m.MediaMarker,
            media_file_id=self.files[item_id],
            marker_kind=kind,
            start_ms=at_seconds * 1000,
            source="manual",
        )


def channel(
    session: Session,
    name: str = "Retro One",
    *,
    zone: str | None = "UTC",
    ceiling: str | None = None,
    number: str | None = None,
) -> int:
    return create_channel(
        session, ChannelValues(name=name, number=number, time_zone=zone, max_rating_code=ceiling)
    )


def block(
    session: Session,
    channel_id: int,
    name: str,
    day: int,
    start: str,
    end: str,
    strategy: str,
    rules: constraints.Constraints,
    policy: int | None = None,
) -> int:
    values = BlockValues(
        name, day, f"{start}:00", f"{end}:00", strategy, constraints.serialize(rules), policy
    )
    return blocks.create_blocks(session, channel_id, [values])[0]


def policy(session: Session, name: str = "Standard", **rules: object) -> int:
    return ad_policies.create_policy(session, name, ad_rules.AdRules(**rules))  # type: ignore[arg-type]
