"""The tag palette and the tags items carry: create, apply, remove, rename, merge, delete.

A tag is `namespace:key` (DESIGN.md "Tags"), both lower-case slugs. content_tags holds
what items carry; the `tags` table holds the palette, so a tag can exist before any item
carries it and after the last one lost it. Tags carried but missing from the palette
(written by an older version or a script) still show in it.

Every helper takes the caller's session and never commits: one user action is one unit
of work. Work over many items is set-based SQL in chunks of ids, so tagging 10,000 items
is a few dozen statements, not 10,000. Refused input raises StoreError before anything
is written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Text,
    and_,
    cast,
    delete,
    exists,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from .errors import StoreError
from .tables import CI, CT, TAGS

DEFAULT_NAMESPACES = ("audience", "holiday", "brand", "tone", "genre", "season")
SLUG_MAX = 64
# Ids per IN (...) list: few statements for 10,000 items, far below SQLite's 32,766 and
# PostgreSQL's 65,535 bound parameters.
IN_CHUNK = 2_000

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_EXAMPLE = {"namespace": "holiday", "key": "christmas"}


@dataclass(frozen=True)
class TagInfo:
    """One palette entry and how many items carry it."""

    namespace: str
    key: str
    label: str | None
    items: int

    @property
    def text(self) -> str:
        return tag_text(self.namespace, self.key)


def tag_text(namespace: str, key: str) -> str:
    """How a tag is shown: `holiday:christmas`."""
    return f"{namespace}:{key}"


def slugify(text: str) -> str:
    """The nearest acceptable slug: accents dropped, lower case, every run of other
    characters one hyphen, at most SLUG_MAX characters (may be empty)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-")


def check_slug(text: str, what: str = "key") -> str:
    """`text` if it is a slug ([a-z0-9]+ joined by single hyphens, at most SLUG_MAX
    characters); otherwise a StoreError whose sentence shows an acceptable one."""
    if len(text) <= SLUG_MAX and _SLUG.fullmatch(text):
        return text
    suggestion = slugify(text) or _EXAMPLE.get(what, "christmas")
    raise StoreError(
        f"“{text}” cannot be a tag {what}: use up to {SLUG_MAX} lower-case letters and"
        f" digits joined by single hyphens, such as “{suggestion}”.",
        detail=f"refused tag {what} {text!r}",
    )


def parse_tag(text: str) -> tuple[str, str]:
    """`namespace:key` as typed by the operator, checked."""
    namespace, sep, key = text.strip().partition(":")
    if not sep:
        raise StoreError(
            f"“{text}” is not a tag: write it as namespace:key, such as “holiday:christmas”."
        )
    return check_slug(namespace, "namespace"), check_slug(key, "key")


def _checked(namespace: str, key: str) -> tuple[str, str]:
    return check_slug(namespace, "namespace"), check_slug(key, "key")


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), IN_CHUNK):
        yield ids[start : start + IN_CHUNK]


def _unique_ids(item_ids: Iterable[int]) -> list[int]:
    ids: set[int] = set()
    for item_id in item_ids:
        if isinstance(item_id, bool) or not isinstance(item_id, int):
            raise StoreError(
                "An item could not be tagged: the selection is not a list of items.",
                detail=f"item id {item_id!r} is not an int",
            )
        ids.add(item_id)
    return sorted(ids)


def _rowcount(result: Any) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


def _is(namespace: str, key: str, table: Any = CT) -> ColumnElement[bool]:
    return and_(table.c.namespace == namespace, table.c.key == key)


def _any_of(pairs: Sequence[tuple[str, str]], table: Any = CT) -> ColumnElement[bool]:
    return or_(*(_is(namespace, key, table) for namespace, key in pairs))


def _text(value: str) -> ColumnElement[str]:
    """A typed bound string for a SELECT list (PostgreSQL needs the type)."""
    return cast(literal(value), Text)


def _in_palette(session: Session, namespace: str, key: str) -> bool:
    return session.execute(select(TAGS.c.id).where(_is(namespace, key, TAGS))).first() is not None


def _known(session: Session, namespace: str, key: str) -> bool:
    """In the palette, or carried by some item."""
    if _in_palette(session, namespace, key):
        return True
    return session.execute(select(CT.c.key).where(_is(namespace, key)).limit(1)).first() is not None


def _ensure_in_palette(
    session: Session, namespace: str, key: str, label: str | None = None
) -> bool:
    """Add the palette entry if missing; True if it was added."""
    if _in_palette(session, namespace, key):
        return False
    session.execute(insert(TAGS).values(namespace=namespace, key=key, label=label))
    return True


def _require_known(session: Session, namespace: str, key: str) -> None:
    if not _known(session, namespace, key):
        raise StoreError(
            f"There is no tag {tag_text(namespace, key)}; it may have been deleted meanwhile."
        )


def _clean_label(label: str | None) -> str | None:
    if label is None:
        return None
    label = label.strip()
    return label or None


def palette(session: Session) -> list[TagInfo]:
    """Every tag of the palette or carried by an item, with how many items carry it,
    sorted by namespace then key. content_tags is counted first (a GROUP BY the
    (namespace, key) index answers alone), then joined with the palette: counting after
    the union instead reads every tag row through a temporary table, ten times slower."""
    carried = select(
        CT.c.namespace,
        CT.c.key,
        cast(null(), Text).label("label"),
        func.count().label("carried"),
    ).group_by(CT.c.namespace, CT.c.key)
    both = union_all(
        select(TAGS.c.namespace, TAGS.c.key, TAGS.c.label, literal(0).label("carried")),
        carried,
    ).subquery()
    rows = session.execute(
        select(both.c.namespace, both.c.key, func.max(both.c.label), func.sum(both.c.carried))
        .group_by(both.c.namespace, both.c.key)
        .order_by(both.c.namespace, both.c.key)
    )
    return [TagInfo(ns, key, label, int(count)) for ns, key, label, count in rows]


def namespaces(session: Session) -> list[str]:
    """The default namespaces, then the custom ones in use, for the namespace picker."""
    used = session.execute(
        union_all(select(TAGS.c.namespace), select(CT.c.namespace)).subquery().select().distinct()
    ).scalars()
    custom = sorted(set(used) - set(DEFAULT_NAMESPACES))
    return [*DEFAULT_NAMESPACES, *custom]


def create_tag(session: Session, namespace: str, key: str, label: str | None = None) -> TagInfo:
    """Add a tag to the palette; refused if it is there already."""
    namespace, key = _checked(namespace, key)
    if _known(session, namespace, key):
        raise StoreError(f"The tag {tag_text(namespace, key)} already exists.")
    label = _clean_label(label)
    session.execute(insert(TAGS).values(namespace=namespace, key=key, label=label))
    return TagInfo(namespace, key, label, 0)


def apply_tag(
    session: Session,
    item_ids: Iterable[int],
    namespace: str,
    key: str,
    value: str | None = None,
) -> int:
    """Tag the items; returns how many newly got the tag. Items that carry it already are
    left as they are (their value too); the palette entry is made if missing. Refused,
    with nothing written, if any id is not a catalogue item."""
    namespace, key = _checked(namespace, key)
    ids = _unique_ids(item_ids)
    if not ids:
        return 0
    found = 0
    for chunk in _chunks(ids):
        found += session.execute(
            select(func.count()).select_from(CI).where(CI.c.id.in_(chunk))
        ).scalar_one()
    if found != len(ids):
        missing = len(ids) - found
        raise StoreError(
            f"{missing} of the selected items {'is' if missing == 1 else 'are'} no longer in"
            " the catalogue; reload the list and try again.",
            detail=f"apply_tag {tag_text(namespace, key)}: {missing} unknown ids",
        )
    _ensure_in_palette(session, namespace, key)
    value_column = cast(literal(value), Text) if value is not None else cast(null(), Text)
    added = 0
    for chunk in _chunks(ids):
        rows = select(CI.c.id, _text(namespace), _text(key), value_column).where(
            CI.c.id.in_(chunk),
            ~exists().where(CT.c.content_item_id == CI.c.id, _is(namespace, key)),
        )
        statement = insert(CT).from_select(["content_item_id", "namespace", "key", "value"], rows)
        # An INSERT's rowcount is only kept when asked for (SQLAlchemy 2.0.28+).
        added += _rowcount(session.execute(statement.execution_options(preserve_rowcount=True)))
    return added


def remove_tag(session: Session, item_ids: Iterable[int], namespace: str, key: str) -> int:
    """Take the tag off the items; returns how many lost it. The tag stays in the
    palette (with no items, if these were the last)."""
    namespace, key = _checked(namespace, key)
    ids = _unique_ids(item_ids)
    if not ids or not _known(session, namespace, key):
        return 0
    _ensure_in_palette(session, namespace, key)
    removed = 0
    for chunk in _chunks(ids):
        statement = delete(CT).where(_is(namespace, key), CT.c.content_item_id.in_(chunk))
        removed += _rowcount(session.execute(statement))
    return removed


def merge_tags(
    session: Session, sources: Sequence[tuple[str, str]], target: tuple[str, str]
) -> int:
    """Every item that carried any source carries the target, once; the sources leave
    the palette. Returns how many items carry the target afterwards.

    An item that already carries the target keeps its value; one that gets it takes a
    source's value. A new target takes a source's label, if any has one.
    """
    if not sources:
        raise StoreError("Choose at least one tag to merge.")
    target_ns, target_key = _checked(*target)
    pairs: list[tuple[str, str]] = []
    for namespace, key in sources:
        pair = _checked(namespace, key)
        if pair != (target_ns, target_key) and pair not in pairs:
            pairs.append(pair)
    for namespace, key in pairs:
        _require_known(session, namespace, key)
    if pairs:
        labels = session.execute(
            select(TAGS.c.label).where(_any_of(pairs, TAGS), TAGS.c.label.is_not(None))
        ).scalars()
        _ensure_in_palette(session, target_ns, target_key, next(iter(labels), None))
        already = CT.alias("already")
        rows = (
            select(CT.c.content_item_id, _text(target_ns), _text(target_key), func.max(CT.c.value))
            .where(
                _any_of(pairs),
                ~exists().where(
                    already.c.content_item_id == CT.c.content_item_id,
                    _is(target_ns, target_key, already),
                ),
            )
            .group_by(CT.c.content_item_id)
        )
        session.execute(
            insert(CT).from_select(["content_item_id", "namespace", "key", "value"], rows)
        )
        session.execute(delete(CT).where(_any_of(pairs)))
        session.execute(delete(TAGS).where(_any_of(pairs, TAGS)))
    return delete_impact(session, target_ns, target_key)


def rename_tag(session: Session, namespace: str, key: str, new_namespace: str, new_key: str) -> int:
    """Give a tag a new namespace and/or key on every item that carries it; if the new
    name is already a tag, the two are merged. Returns how many items carry it now."""
    namespace, key = _checked(namespace, key)
    _require_known(session, namespace, key)
    return merge_tags(session, [(namespace, key)], (new_namespace, new_key))


def delete_impact(session: Session, namespace: str, key: str) -> int:
    """How many items carry the tag: what deleting it would take off, for the
    confirmation."""
    return int(
        session.execute(
            select(func.count()).select_from(CT).where(_is(namespace, key))
        ).scalar_one()
    )


def delete_tag(session: Session, namespace: str, key: str) -> int:
    """Take the tag off every item and out of the palette; returns how many items lost it."""
    namespace, key = _checked(namespace, key)
    _require_known(session, namespace, key)
    removed = _rowcount(session.execute(delete(CT).where(_is(namespace, key))))
    session.execute(delete(TAGS).where(_is(namespace, key, TAGS)))
    return removed


def tags_of(session: Session, item_id: int) -> list[tuple[str, str, str | None]]:
    """The tags one item carries as (namespace, key, value), sorted."""
    rows = session.execute(
        select(CT.c.namespace, CT.c.key, CT.c.value)
        .where(CT.c.content_item_id == item_id)
        .order_by(CT.c.namespace, CT.c.key)
    )
    return [(ns, key, value) for ns, key, value in rows]


def items_with_tag(session: Session, namespace: str, key: str) -> list[int]:
    """The ids of the items that carry the tag, ascending."""
    rows = session.execute(
        select(CT.c.content_item_id).where(_is(namespace, key)).order_by(CT.c.content_item_id)
    )
    return [int(i) for i in rows.scalars()]


# -- exact undo ---------------------------------------------------------------------------
# The window's undo stack needs to put a tag back exactly as it was (which items, with
# which values, its palette entry and label); these read and write that state.


@dataclass(frozen=True)
class TagSnapshot:
    """Everything about one tag: its palette entry and every item carrying it."""

    namespace: str
    key: str
    in_palette: bool
    label: str | None
    values: dict[int, str | None]


def carriers(
    session: Session, item_ids: Iterable[int], namespace: str, key: str
) -> dict[int, str | None]:
    """Which of the items carry the tag, with each one's value."""
    found: dict[int, str | None] = {}
    for chunk in _chunks(_unique_ids(item_ids)):
        rows = session.execute(
            select(CT.c.content_item_id, CT.c.value).where(
                _is(namespace, key), CT.c.content_item_id.in_(chunk)
            )
        )
        found.update((int(item_id), value) for item_id, value in rows)
    return found


def snapshot_tag(session: Session, namespace: str, key: str) -> TagSnapshot:
    """The tag's whole state, to be restored by restore_tag."""
    label_row = session.execute(select(TAGS.c.label).where(_is(namespace, key, TAGS))).first()
    rows = session.execute(select(CT.c.content_item_id, CT.c.value).where(_is(namespace, key)))
    return TagSnapshot(
        namespace,
        key,
        label_row is not None,
        label_row.label if label_row is not None else None,
        {int(item_id): value for item_id, value in rows},
    )


def put_tag_values(
    session: Session, namespace: str, key: str, values: dict[int, str | None]
) -> None:
    """Give the items the tag with these values; the items must not carry it already."""
    rows = [
        {"content_item_id": item_id, "namespace": namespace, "key": key, "value": value}
        for item_id, value in values.items()
    ]
    for start in range(0, len(rows), IN_CHUNK):
        session.execute(insert(CT), rows[start : start + IN_CHUNK])


def restore_tag(session: Session, snapshot: TagSnapshot) -> None:
    """Make the tag exactly what the snapshot says (items gone since are skipped)."""
    namespace, key = snapshot.namespace, snapshot.key
    session.execute(delete(CT).where(_is(namespace, key)))
    session.execute(delete(TAGS).where(_is(namespace, key, TAGS)))
    if snapshot.in_palette:
        session.execute(insert(TAGS).values(namespace=namespace, key=key, label=snapshot.label))
    present: set[int] = set()
    for chunk in _chunks(sorted(snapshot.values)):
        present.update(
            int(i) for i in session.execute(select(CI.c.id).where(CI.c.id.in_(chunk))).scalars()
        )
    put_tag_values(
        session, namespace, key, {i: v for i, v in snapshot.values.items() if i in present}
    )


def tag_counts(session: Session, item_ids: Iterable[int]) -> list[tuple[str, str, int]]:
    """The tags the items carry with how many of them carry each, sorted: what a
    "remove a tag from these" menu offers."""
    counts: dict[tuple[str, str], int] = {}
    for chunk in _chunks(_unique_ids(item_ids)):
        rows = session.execute(
            select(CT.c.namespace, CT.c.key, func.count())
            .where(CT.c.content_item_id.in_(chunk))
            .group_by(CT.c.namespace, CT.c.key)
        )
        for namespace, key, count in rows:
            counts[(namespace, key)] = counts.get((namespace, key), 0) + int(count)
    return [(n, k, c) for (n, k), c in sorted(counts.items())]
