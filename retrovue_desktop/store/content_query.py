"""The Content tab's catalogue query: filter and sort every item in SQL, read a page of rows.

DESIGN.md: a 100,000-item catalogue must not be loaded into memory. `select_ids` returns
only the ids of every matching item, in order (one integer each, what the table model
holds); `fetch_rows` reads the display values of the few hundred ids a view shows, in two
queries. Both work on the existing indexes: per-item values (primary file, first tag,
editorial override) are primary-key lookups, never scans of another table per row.

What the operator sees is the override where set, else the source value (DESIGN.md
"Editorial layering"), so search and the title sort use the effective title.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    FromClause,
    Select,
    and_,
    case,
    exists,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session

from retrovue_desktop import ratings

from .editorial import effective_synopsis, effective_title
from .overview import PROBLEM_AVAILABILITY
from .tables import CI, CIF, CT, ED, LIB, MF, SHOW

# Availability of an item's primary file, plus "none" when it has no primary file.
NO_FILE = "none"
# Ascending order of the availability sort: playable first, then by how bad it is.
AVAILABILITY_ORDER = (
    "ok", "demo", "unknown", "unmapped", "missing", "unreadable", "size_mismatch", "probe_mismatch",
    "gone", NO_FILE,
)  # fmt: skip
# The filter's grouped choices; any other value is matched exactly.
AVAILABILITY_OK = "ok"
AVAILABILITY_PROBLEM = "problem"
AVAILABILITY_UNKNOWN = "unknown"

# Every code on the shared scale (ratings.py), gentlest first; ranks come from ratings.
RATING_CODES = ratings.CODES

SORT_KEYS = (
    "title", "kind", "show", "episode", "duration", "rating", "kids", "tags", "availability",
    "library",
)  # fmt: skip
# Ids per IN (...) list, far below both backends' bound-parameter limits.
IN_CHUNK = 2_000


@dataclass(frozen=True)
class ContentFilter:
    """What the Content tab's search box and filter widgets ask for; empty means all."""

    text: str = ""
    kinds: tuple[str, ...] = ()
    library_ids: tuple[int, ...] = ()
    tag: tuple[str, str] | None = None  # (namespace, key)
    rating_ceiling: str | None = None
    # "ok", "problem" (any of PROBLEM_AVAILABILITY), "unknown", or one exact value
    # (including "none": no primary file).
    availability: str | None = None
    include_gone: bool = False


@dataclass(frozen=True, slots=True)
class ContentRow:
    """Display values of one item, plain values only (safe to hand across threads)."""

    id: int
    title: str | None
    kind: str
    show_title: str | None
    season_number: int | None
    episode_number: int | None
    duration_ms: int | None
    rating_code: str | None
    is_kids_friendly: bool
    tags: tuple[str, ...]  # "namespace:key", sorted
    availability: str  # of the primary file, or NO_FILE
    library_title: str | None
    gone: bool


def _primary_availability() -> ColumnElement[str]:
    """The primary file's availability (lowest file id if there are several), else "none".

    A correlated lookup through content_item_files' primary key (content_item_id first)
    and media_files' primary key: two index probes per item, no scan.
    """
    first = (
        select(MF.c.availability)
        .select_from(CIF.join(MF, MF.c.id == CIF.c.media_file_id))
        .where(CIF.c.content_item_id == CI.c.id, CIF.c.role == "primary")
        .order_by(CIF.c.media_file_id)
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(first, literal(NO_FILE))


def _first_tag() -> ColumnElement[str]:
    """The item's alphabetically first "namespace:key" (its tags column starts with it)."""
    return (
        select(func.min(CT.c.namespace + ":" + CT.c.key))
        .where(CT.c.content_item_id == CI.c.id)
        .scalar_subquery()
    )


def _rating_rank() -> ColumnElement[int]:
    """Rank on the shared scale; NULL (unrated) for unknown codes."""
    return case(
        {code: ratings.rank(code) for code in RATING_CODES},
        value=CI.c.rating_code,
        else_=None,
    )


def _availability_rank() -> ColumnElement[int]:
    return case(
        {value: position for position, value in enumerate(AVAILABILITY_ORDER)},
        value=_primary_availability(),
        else_=len(AVAILABILITY_ORDER),
    )


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _search(words: Sequence[str], dialect: str) -> ColumnElement[bool]:
    """Every word appears in the effective title, the effective synopsis or the show title.

    SQLite's LIKE already ignores ASCII case, so it is used as is (lower() over every
    synopsis would cost a copy per row); PostgreSQL gets ILIKE.
    """
    fields = (effective_title(), SHOW.c.title, effective_synopsis())
    clauses = []
    for word in words:
        pattern = f"%{_escape_like(word)}%"
        if dialect == "postgresql":
            matches = [field.ilike(pattern, escape="\\") for field in fields]
        else:
            matches = [field.like(pattern, escape="\\") for field in fields]
        clauses.append(or_(*matches))
    return and_(*clauses)


def rating_clause(ceiling: str | None, allow_unrated: bool) -> ColumnElement[bool] | None:
    """Items that may air under `ceiling` (ratings.within_ceiling in SQL); None: all may.
    Shared by the Content tab's rating filter and what a schedule block matches.

    An unknown ceiling lets no rated item through, as in ratings.within_ceiling.
    """
    if ceiling is None:
        return None
    limit = ratings.rank(ceiling)
    above = [c for c in ratings.CODES if limit is None or (ratings.rank(c) or 0) > limit]
    if allow_unrated:
        # Unrated is NULL or a code the scale does not know: anything not above the line.
        return or_(CI.c.rating_code.is_(None), CI.c.rating_code.not_in(above))
    allowed = [c for c in ratings.CODES if c not in above]
    return CI.c.rating_code.in_(allowed)


def _where(flt: ContentFilter, dialect: str) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if not flt.include_gone:
        where.append(CI.c.gone_from_source_at.is_(None))
    if flt.kinds:
        where.append(CI.c.kind.in_(flt.kinds))
    if flt.library_ids:
        where.append(CI.c.library_id.in_(flt.library_ids))
    if flt.tag is not None:
        namespace, key = flt.tag
        where.append(
            exists().where(
                CT.c.content_item_id == CI.c.id, CT.c.namespace == namespace, CT.c.key == key
            )
        )
    rating = rating_clause(flt.rating_ceiling, allow_unrated=False)
    if rating is not None:
        # Unrated never passes a ceiling (ratings.within_ceiling), nor does a bad ceiling.
        where.append(rating)
    if flt.availability:
        availability = _primary_availability()
        if flt.availability == AVAILABILITY_PROBLEM:
            where.append(availability.in_(PROBLEM_AVAILABILITY))
        else:
            where.append(availability == flt.availability)
    words = flt.text.split()
    if words:
        where.append(_search(words, dialect))
    return where


def _title_key() -> ColumnElement[str]:
    """Lower-cased effective title; an untitled item sorts as "" on both backends."""
    return func.coalesce(func.lower(effective_title()), literal(""))


def _order(sort: str, descending: bool) -> list[ColumnElement[Any]]:
    """The sort key's columns in the chosen direction (empty values last either way),
    then the id, so the order is total and the same on both backends.

    Ties go by id (catalogue order), not by title: a second text key costs a third of
    the sort's time at 100,000 items.
    """
    keys: list[ColumnElement[Any]]
    if sort == "title":
        keys = [_title_key()]
    elif sort == "kind":
        keys = [CI.c.kind]
    elif sort == "show":
        keys = [func.lower(SHOW.c.title), CI.c.show_id]
    elif sort == "episode":
        keys = [func.lower(SHOW.c.title), CI.c.show_id, CI.c.season_number, CI.c.episode_number]
    elif sort == "duration":
        keys = [CI.c.duration_ms]
    elif sort == "rating":
        keys = [_rating_rank()]
    elif sort == "kids":
        keys = [CI.c.is_kids_friendly]
    elif sort == "tags":
        keys = [_first_tag()]
    elif sort == "availability":
        keys = [_availability_rank()]
    elif sort == "library":
        keys = [func.lower(LIB.c.title), CI.c.library_id]
    else:
        raise ValueError(f"unknown sort key {sort!r}; expected one of {SORT_KEYS}")
    ordered: list[ColumnElement[Any]] = [
        (key.desc() if descending else key.asc()).nulls_last() for key in keys
    ]
    ordered.append(CI.c.id.desc() if descending else CI.c.id.asc())
    return ordered


def select_statement(flt: ContentFilter, sort: str, descending: bool, dialect: str) -> Select[int]:
    """The ids query (also what the benchmark EXPLAINs). Only the joins the filter and
    the sort need: each is a primary-key lookup per row, but 100,000 of them add up."""
    searching = bool(flt.text.split())
    source: FromClause = CI
    if searching or sort == "title":
        source = source.outerjoin(ED, ED.c.content_item_id == CI.c.id)
    if searching or sort in ("show", "episode"):
        source = source.outerjoin(SHOW, SHOW.c.id == CI.c.show_id)
    if sort == "library":
        source = source.outerjoin(LIB, LIB.c.id == CI.c.library_id)
    return (
        select(CI.c.id)
        .select_from(source)
        .where(*_where(flt, dialect))
        .order_by(*_order(sort, descending))
    )


def select_ids(
    session: Session,
    flt: ContentFilter,
    sort: str = "title",
    descending: bool = False,
    limit: int | None = None,
) -> list[int]:
    """Ids of every item that passes `flt` (or the first `limit`), in `sort` order;
    filtered and sorted in SQL. With a limit the database keeps only the top rows while
    it scans, several times faster than sorting everything: the first screenful."""
    if sort not in SORT_KEYS:
        raise ValueError(f"unknown sort key {sort!r}; expected one of {SORT_KEYS}")
    dialect = session.get_bind().dialect.name
    statement = select_statement(flt, sort, descending, dialect)
    if limit is not None:
        statement = statement.limit(limit)
    result = session.execute(statement)
    # The driver's own rows: SQLAlchemy's per-row processing would cost more than the
    # query itself at 100,000 ids, and an integer id needs none.
    assert isinstance(result, CursorResult)
    try:
        return list(map(itemgetter(0), result.cursor.fetchall()))
    finally:
        result.close()


def fetch_rows(session: Session, ids: Sequence[int]) -> dict[int, ContentRow]:
    """Display values of `ids` (ids that no longer exist are absent), in two queries per
    IN_CHUNK ids: the item with its joins, then its tags."""
    rows: dict[int, ContentRow] = {}
    for start in range(0, len(ids), IN_CHUNK):
        chunk = list(ids[start : start + IN_CHUNK])
        tags: dict[int, list[str]] = {}
        for item_id, namespace, key in session.execute(
            select(CT.c.content_item_id, CT.c.namespace, CT.c.key).where(
                CT.c.content_item_id.in_(chunk)
            )
        ):
            tags.setdefault(item_id, []).append(f"{namespace}:{key}")
        statement = (
            select(
                CI.c.id,
                effective_title(),
                CI.c.kind,
                SHOW.c.title,
                CI.c.season_number,
                CI.c.episode_number,
                CI.c.duration_ms,
                CI.c.rating_code,
                CI.c.is_kids_friendly,
                _primary_availability(),
                LIB.c.title,
                CI.c.gone_from_source_at,
            )
            .select_from(
                CI.outerjoin(ED, ED.c.content_item_id == CI.c.id)
                .outerjoin(SHOW, SHOW.c.id == CI.c.show_id)
                .outerjoin(LIB, LIB.c.id == CI.c.library_id)
            )
            .where(CI.c.id.in_(chunk))
        )
        for (
            item_id, title, kind, show_title, season, episode, duration, rating, kids,
            availability, library_title, gone_at,
        ) in session.execute(statement):  # fmt: skip
            rows[item_id] = ContentRow(
                id=item_id,
                title=title,
                kind=kind,
                show_title=show_title,
                season_number=season,
                episode_number=episode,
                duration_ms=duration,
                rating_code=rating,
                is_kids_friendly=bool(kids),
                tags=tuple(sorted(tags.get(item_id, ()))),
                availability=availability,
                library_title=library_title,
                gone=gone_at is not None,
            )
    return rows


def library_choices(session: Session) -> list[tuple[int, str]]:
    """(id, title) of every library, by title, for the library filter."""
    return [
        (int(i), str(t)) for i, t in session.execute(select(LIB.c.id, LIB.c.title).order_by(
            func.lower(LIB.c.title), LIB.c.id))
    ]  # fmt: skip


def tag_choices(session: Session) -> list[tuple[str, str]]:
    """Every (namespace, key) some item carries, sorted; read from the (namespace, key)
    index alone."""
    return [
        (str(n), str(k))
        for n, k in session.execute(
            select(CT.c.namespace, CT.c.key).distinct().order_by(CT.c.namespace, CT.c.key)
        )
    ]
