"""Laying out a block window: programme parts, ad breaks and fill, as log rows.

The picked programmes are cut at their break points (`breaks.cuts`), the breaks get the
policy's length or an even share of the spare time when it is short, and are filled from
the policy's ads, promos and bumpers (`_Filler`): least recently aired first, each fitting
the time left, an ad never again on the channel within the policy's separation, bumpers
around the break when asked. The rest of the window after the last programme is filled
the same way. Each part and each fill item is one schedule_instances row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from . import ad_rules, breaks, clock
from .eligibility import Candidate
from .occurrences import Occurrence
from .picking import Cost, Picker
from .rotation import NEVER, Rotation

# How each strategy's picks are recorded in the spec's three words.
PICK_STRATEGY = {
    "series": "series_next",
    "specific": "specific",
    "collection": "auto",
    "auto": "auto",
}


# The schedule_instances columns of a planned row, in `Layout.rows` order.
ROW_COLUMNS = (
    "channel_id", "block_id", "air_date", "start_time", "end_time", "content_item_id",
    "show_id", "pick_strategy", "status", "notes", "starts_at", "ends_at", "item_kind",
    "segment", "offset_ms", "break_number", "break_seq",
)  # fmt: skip


class Layout:
    """One channel's block windows laid out as rows, in time order."""

    def __init__(
        self,
        picker: Picker,
        policies: dict[int, ad_rules.AdRules | None],
        tz: ZoneInfo,
        channel_id: int,
    ) -> None:
        self.picker = picker
        self.policies = policies
        self.tz = tz
        self.channel_id = channel_id
        self.rows: list[tuple[Any, ...]] = []
        self.programmes = 0

    def plan_window(self, occ: Occurrence, start: int, end: int, numbering: list[int]) -> int:
        """Plan [start, end) of the block's window; returns the seconds left unfilled."""
        rules = self.policies.get(occ.ad_policy_id) if occ.ad_policy_id is not None else None
        pools = self.picker.fill_pools(occ, rules) if rules is not None and rules.fill_kinds else {}
        shortest = min((p.shortest for p in pools.values() if len(p)), default=0)
        # Leave room for each programme's breaks at the policy's length; when that fits
        # nothing at all, take programmes as they come and let the breaks shrink.
        cost = Cost(rules if shortest else None)
        programmes = self.picker.pick(occ, start, end - start, cost)
        if not programmes and cost.rules is not None:
            programmes = self.picker.pick(occ, start, end - start, Cost(None))
        layout = []
        for programme in programmes:
            wanted = breaks.wanted_breaks(rules, programme.seconds) if pools else 0
            ad_marks, chapters = self.picker.markers(programme.file_id) if wanted else ([], [])
            layout.append((programme, breaks.cuts(programme.seconds, wanted, ad_marks, chapters)))
        total_cuts = sum(len(cuts) for _, cuts in layout)
        budget = end - start - sum(p.seconds for p in programmes)
        target = 0
        if total_cuts and rules is not None:
            target = min(rules.break_seconds, budget // total_cuts)
            if target < shortest or not shortest:
                target = 0
        if not target:
            layout = [(p, []) for p, _ in layout]
        t = start
        filler = _Filler(self, occ, rules, pools) if rules is not None else None
        for programme, cuts in layout:
            pieces = breaks.parts(programme.seconds, cuts)
            for number, (offset, length) in enumerate(pieces, start=1):
                note = f"{occ.strategy.capitalize()} block “{occ.name}”"
                if len(pieces) > 1:
                    note += f"; part {number} of {len(pieces)}"
                self.add_row(
                    occ,
                    t,
                    t + length,
                    programme,
                    item_kind="program",
                    pick=PICK_STRATEGY[occ.strategy],
                    notes=note,
                    segment=number,
                    offset_ms=offset * 1000,
                )
                t += length
                if number < len(pieces) and filler is not None:
                    numbering[0] += 1
                    t = filler.fill(t, t + target, numbering[0], f"Break {numbering[0]}")
            self.programmes += 1
        if filler is not None and end - t >= shortest > 0:
            numbering[0] += 1
            t = filler.fill(t, end, numbering[0], "End-of-block fill")
        return end - t

    def add_row(
        self,
        occ: Occurrence,
        start: int,
        end: int,
        item: Candidate,
        *,
        item_kind: str,
        pick: str,
        notes: str,
        segment: int | None = None,
        offset_ms: int | None = None,
        break_number: int | None = None,
        break_seq: int | None = None,
    ) -> None:
        air_date, start_time = clock.local_parts(start, self.tz)
        # A tuple of plain values (ROW_COLUMNS order): the garbage collector stops
        # tracking such tuples, where 50,000 dicts would make its pauses stall the UI.
        self.rows.append(
            (
                self.channel_id,
                occ.block_id,
                air_date,
                start_time,
                clock.local_parts(end, self.tz)[1],
                item.id,
                item.show_id,
                pick,
                "planned",
                notes,
                start,
                end,
                item_kind,
                segment,
                offset_ms,
                break_number,
                break_seq,
            )
        )


class _Filler:
    """Fills one block window's breaks from its policy's ads, promos and bumpers."""

    def __init__(
        self,
        planner: Layout,
        occ: Occurrence,
        rules: ad_rules.AdRules,
        pools: dict[str, Rotation],
    ) -> None:
        self.planner = planner
        self.occ = occ
        self.rules = rules
        self.pools = pools
        self.separation = rules.min_repeat_minutes * 60
        self.airings = planner.picker.history.airings

    def _take(
        self, kinds: Sequence[str], seconds: int, at: int, used: set[int]
    ) -> Candidate | None:
        """The least recently aired item of `kinds` that fits, ads kept apart by the
        policy's separation."""
        offers: list[tuple[int, int, str, Candidate]] = []
        for kind in kinds:
            pool = self.pools.get(kind)
            if pool is None:
                continue
            separation = self.separation if kind == "ad" else 0
            item = pool.take(seconds, at, separation=separation, skip=used)
            if item is not None:
                offers.append(
                    (
                        self.airings.last.get(item.id, NEVER),
                        item.id,
                        kind,
                        item,
                    )
                )
        if not offers:
            return None
        offers.sort(key=lambda o: (o[0], o[1]))
        chosen = offers[0][3]
        self.airings.aired(chosen.id, at)
        for _, _, kind, item in offers:
            self.pools[kind].give_back(item)
        return chosen

    def fill(self, start: int, end: int, number: int, label: str) -> int:
        """Fill [start, end) as break `number`; returns where the break ends."""
        rules = self.rules
        bumpers_around = [k for k in ("bumper",) if k in rules.fill_kinds]
        middle = [k for k in rules.fill_kinds if k != "bumper"] or bumpers_around
        used: set[int] = set()
        picked: list[Candidate] = []
        t = start
        closing: Candidate | None = None
        if rules.bumper_after and bumpers_around:
            closing = self._take(bumpers_around, end - t, t, used)
            if closing is not None:
                used.add(closing.id)
        limit = end - (closing.seconds if closing else 0)
        if rules.bumper_before and bumpers_around:
            opening = self._take(bumpers_around, limit - t, t, used)
            if opening is not None:
                picked.append(opening)
                used.add(opening.id)
                t += opening.seconds
        while t < limit:
            item = self._take(middle, limit - t, t, used)
            if item is None:
                break
            picked.append(item)
            used.add(item.id)
            t += item.seconds
        if closing is not None:
            picked.append(closing)
            t += closing.seconds
        at = start
        note = f"{label} in “{self.occ.name}”"
        for seq, item in enumerate(picked, start=1):
            self.airings.last[item.id] = at
            self.planner.add_row(
                self.occ,
                at,
                at + item.seconds,
                item,
                item_kind=item.kind,
                pick="auto",
                notes=note,
                break_number=number,
                break_seq=seq,
            )
            at += item.seconds
        return at
