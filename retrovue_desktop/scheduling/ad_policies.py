"""Named ad policies in the database: list, read, create, update, delete; no Qt.

A policy is a name and a `rules_json` (schema in ad_rules.py). Reading never raises on a
stored text that does not parse: the row comes back with `rules=None` and the sentence in
`problem`, so the operator can see and fix it. Writes check everything first and write
nothing on a refusal. Helpers take the caller's session and never commit: the caller
owns the transaction (`with sessions() as s, s.begin(): ...`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import CursorResult, delete, func, insert, select, update
from sqlalchemy.orm import Session

from retrovue_desktop.store.tables import AD_POLICIES as AP
from retrovue_desktop.store.tables import BLOCKS as SB

from . import ad_rules
from .ad_rules import AdRules
from .errors import AdRulesError, ScheduleError

NAME_MAX = 100
_KIND_WORDS = {"ad": "ads", "promo": "promos", "bumper": "bumpers"}
_PER_WORDS = {"half_hour": "half hour", "programme": "programme"}


class AdPolicyError(ScheduleError):
    """A policy name refused, or a policy that no longer exists."""


@dataclass(frozen=True)
class PolicyRow:
    """One policy as lists and pickers show it."""

    id: int
    name: str
    rules: AdRules | None  # None when rules_json does not parse
    problem: str | None  # the sentence when it does not parse
    blocks_using: int  # schedule_blocks pointing at it


def _rowcount(result: Any) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


def _row(row: Any) -> PolicyRow:
    try:
        rules: AdRules | None = ad_rules.parse(row.rules_json)
        problem = None
    except AdRulesError as error:
        rules, problem = None, str(error)
    return PolicyRow(
        id=int(row.id),
        name=str(row.name),
        rules=rules,
        problem=problem,
        blocks_using=int(row.blocks_using or 0),
    )


def _select() -> Any:
    using = (
        select(SB.c.ad_policy_id, func.count().label("n"))
        .where(SB.c.ad_policy_id.is_not(None))
        .group_by(SB.c.ad_policy_id)
        .subquery()
    )
    return select(AP.c.id, AP.c.name, AP.c.rules_json, using.c.n.label("blocks_using")).select_from(
        AP.outerjoin(using, using.c.ad_policy_id == AP.c.id)
    )


def list_policies(session: Session) -> list[PolicyRow]:
    """Every policy, by name (case-insensitive), then id."""
    rows = [_row(row) for row in session.execute(_select())]
    return sorted(rows, key=lambda r: (r.name.casefold(), r.id))


def _gone(policy_id: int) -> AdPolicyError:
    return AdPolicyError(
        "This ad policy no longer exists (it was deleted, perhaps in another window);"
        " choose or create another.",
        detail=f"ad policy {policy_id} not found",
    )


def get_policy(session: Session, policy_id: int) -> PolicyRow:
    """One policy, or AdPolicyError if it is gone."""
    row = session.execute(_select().where(AP.c.id == policy_id)).first()
    if row is None:
        raise _gone(policy_id)
    return _row(row)


def _checked_name(session: Session, name: str, policy_id: int | None) -> str:
    """Trimmed, present, not too long, and no other policy has it in any letter case."""
    clean = " ".join(name.split())
    if not clean:
        raise AdPolicyError("Give the ad policy a name, such as “Prime time”.")
    if len(clean) > NAME_MAX:
        raise AdPolicyError(
            f"An ad policy name can be at most {NAME_MAX} characters.",
            detail=f"name of {len(clean)} characters",
        )
    for other_id, other_name in session.execute(select(AP.c.id, AP.c.name)):
        if other_id != policy_id and " ".join(str(other_name).split()).casefold() == (
            clean.casefold()
        ):
            raise AdPolicyError(
                f"Another ad policy is already called “{other_name}”; choose another name.",
                detail=f"name {clean!r} clashes with policy {other_id}",
            )
    return clean


def create_policy(session: Session, name: str, rules: AdRules) -> int:
    """A new policy; returns its id. AdPolicyError / AdRulesError on refused input."""
    text = ad_rules.serialize(ad_rules.check(rules))
    clean = _checked_name(session, name, None)
    result = session.execute(insert(AP).values(name=clean, rules_json=text).returning(AP.c.id))
    return int(result.scalar_one())


def update_policy(session: Session, policy_id: int, name: str, rules: AdRules) -> None:
    """New name and rules for a policy (this also replaces rules that did not parse)."""
    text = ad_rules.serialize(ad_rules.check(rules))
    if session.execute(select(AP.c.id).where(AP.c.id == policy_id)).first() is None:
        raise _gone(policy_id)
    clean = _checked_name(session, name, policy_id)
    session.execute(
        update(AP)
        .where(AP.c.id == policy_id)
        .values(name=clean, rules_json=text, updated_at=func.current_timestamp())
    )


def delete_policy(session: Session, policy_id: int) -> int:
    """Delete a policy; blocks that used it get no policy. Returns how many blocks lost it.

    The blocks are cleared here rather than left to ON DELETE SET NULL, which SQLite
    applies only when its foreign_keys pragma is on."""
    if session.execute(select(AP.c.id).where(AP.c.id == policy_id)).first() is None:
        raise _gone(policy_id)
    cleared = _rowcount(
        session.execute(
            update(SB)
            .where(SB.c.ad_policy_id == policy_id)
            .values(ad_policy_id=None, updated_at=func.current_timestamp())
        )
    )
    session.execute(delete(AP).where(AP.c.id == policy_id))
    return cleared


def _length(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}:{rest:02d}"


def describe(rules: AdRules) -> str:
    """One line for pickers and lists, such as
    "2 breaks per half hour · 2:00 each · ads, promos · bumpers around"."""
    per = _PER_WORDS.get(rules.breaks_per, rules.breaks_per)
    if rules.breaks == 0:
        return f"No breaks (per {per})"
    noun = "break" if rules.breaks == 1 else "breaks"
    parts = [f"{rules.breaks} {noun} per {per}", f"{_length(rules.break_seconds)} each"]
    kinds = [_KIND_WORDS[k] for k in ("ad", "promo", "bumper") if k in rules.fill_kinds]
    if kinds:
        parts.append(", ".join(kinds))
    if rules.bumper_before and rules.bumper_after:
        parts.append("bumpers around")
    elif rules.bumper_before:
        parts.append("bumper before")
    elif rules.bumper_after:
        parts.append("bumper after")
    return " · ".join(parts)
