"""Suggestions: active activities that fit a person, best first, each with the reasons why."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlite_utils import Database

from linkworker.directory import suggestion_fit as fit
from linkworker.directory.freshness import is_stale, last_checked
from linkworker.directory.quality import freshness_rank
from linkworker.directory.rows import ActivityRow, activity_rows, decode_list, json_value
from linkworker.directory.search import AGE_FITS
from linkworker.directory.wording import and_list, cost_short
from linkworker.display import label
from linkworker.models import Barrier, NeedDomain
from linkworker.validation import (
    WEEKDAY_CODES,
    WEEKDAY_NAMES,
    age_on,
    normalise_weekday,
    outward_code,
)

#: Which directory categories (their codes) answer which need.
NEED_TO_CATEGORY: dict[str, list[str]] = {
    "loneliness": ["befriending", "arts-music", "mens-sheds"],
    "mental_wellbeing": ["mental-wellbeing", "arts-music", "gardening"],
    "physical_activity": ["walking-exercise", "gardening"],
    "money_debt": ["money-debt", "food"],
    "housing": ["housing"],
    "employment": ["employment", "digital"],
    "bereavement": ["bereavement", "befriending"],
    "caring": ["carers"],
    "long_term_condition": ["long-term-conditions", "walking-exercise"],
    "other": ["digital", "food"],
}


@dataclass
class PersonContext:
    """What the directory needs to know about a person to suggest activities."""

    person_id: int
    name: str
    age: int | None
    outward: str | None
    needs: list[str]  # need domain codes, from the latest conversation then the referral
    barriers: list[str]
    # The telling words of what matters to them (conversation, need notes, open goals).
    what_matters: list[str] = field(default_factory=list)
    # The languages other than English they speak, as the directory names them.
    languages: list[str] = field(default_factory=list)


@dataclass
class Suggestion:
    """An activity that fits a person, and why."""

    activity: ActivityRow
    score: float
    reasons: list[str]

    @property
    def why(self) -> str:
        return "; ".join(self.reasons)


def person_context(db: Database, person_id: int, today: date) -> PersonContext:
    """The person's age, area, needs (latest conversation, then referral) and barriers."""
    from linkworker.people import get_person
    from linkworker.referrals import latest_referral

    person = get_person(db, person_id)
    age = None
    if person["date_of_birth"]:
        age = age_on(date.fromisoformat(person["date_of_birth"]), today)
    needs: list[str] = []
    barriers: list[str] = []
    conversation = fit.latest_conversation(db, person_id)
    if conversation:
        found = json_value(conversation["needs"], {})
        if isinstance(found, dict | list):
            needs += [str(k) for k in found]
        listed = json_value(conversation["barriers"], [])
        barriers = [str(b) for b in listed] if isinstance(listed, list) else []
    referral = latest_referral(db, person_id)
    if referral:
        listed = json_value(referral["needs"], [])
        needs += [str(n) for n in listed] if isinstance(listed, list) else []
    name = person["preferred_name"] or person["given_name"]
    return PersonContext(
        person_id=person_id,
        name=str(name),
        age=age,
        outward=outward_code(person["postcode"]),
        needs=list(dict.fromkeys(n for n in needs if n in NEED_TO_CATEGORY)),
        barriers=barriers,
        what_matters=fit.what_matters_words(db, person_id),
        languages=fit.person_languages(db, person_id),
    )


def _age_words(low: int | None, high: int | None) -> str:
    if high is None:
        return f"{low}+"
    if low is None or low == 0:
        return f"up to {high}"
    return f"{low}-{high}"


def _day_list(days: Iterable[str]) -> str:
    return ", ".join(WEEKDAY_NAMES[d][:3] for d in WEEKDAY_CODES if d in set(days))


def _plural_days(days: list[str]) -> str:
    return and_list([WEEKDAY_NAMES[d] + "s" for d in WEEKDAY_CODES if d in set(days)])


def _candidates(db: Database, ctx: PersonContext) -> list[ActivityRow]:
    """Active activities of the person's age and needs they are not already connected to."""
    where = ["a.retired = 0", "a.status = 'active'"]
    params: list[object] = []
    if ctx.age is not None:
        where.append(AGE_FITS)
        params += [ctx.age, ctx.age]
    where.append(
        "NOT EXISTS (SELECT 1 FROM connections c WHERE c.activity_id = a.id "
        "AND c.person_id = ? AND c.status != 'stopped')"
    )
    params.append(ctx.person_id)
    wanted_codes = {c for n in ctx.needs for c in NEED_TO_CATEGORY[n]}
    if wanted_codes:
        marks = ", ".join("?" for _ in wanted_codes)
        where.append(
            f"EXISTS (SELECT 1 FROM json_each(a.category_codes) k WHERE k.value IN ({marks}))"
        )
        params += sorted(wanted_codes)
    return activity_rows(db, "SELECT a.* FROM activities a WHERE " + " AND ".join(where), params)


@dataclass
class _Scoring:
    """The points one activity earns for a person, and the reasons in the order earned."""

    ctx: PersonContext
    row: ActivityRow
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)

    def add(self, points: float, reason: str) -> None:
        self.score += points
        self.reasons.append(reason)

    def needs(self) -> None:
        codes = decode_list(self.row["category_codes"])
        labels = dict(zip(codes, decode_list(self.row["categories"]), strict=False))
        matched: list[str] = []
        for need in self.ctx.needs:
            hits = [labels.get(c, c) for c in NEED_TO_CATEGORY[need] if c in labels]
            if hits:
                self.score += 3
                matched.append(f"{label(NeedDomain, need).lower()} → {', '.join(hits)}")
        if matched:
            self.reasons.append("matches: " + "; ".join(matched))

    def what_matters(self) -> None:
        found = fit.matched_words(self.ctx.what_matters, self.row)
        if found:
            self.add(1.5 * len(found), "matches " + ", ".join(f"'{w}'" for w in found))

    def language(self) -> None:
        spoken = fit.spoken(self.ctx.languages, self.row)
        if spoken:
            barrier = Barrier.LANGUAGE.value in self.ctx.barriers
            self.add(3 if barrier else 2, f"{and_list(spoken)} spoken")

    def age(self) -> None:
        low, high = self.row["min_age"], self.row["max_age"]
        if self.ctx.age is not None and (low is not None or high is not None):
            self.reasons.append(f"age {self.ctx.age} fits {_age_words(low, high)}")

    def area(self) -> None:
        outward = outward_code(self.row["postcode"])
        area_match = re.match(r"^[A-Z]+", self.ctx.outward or "")
        area_letters = area_match.group(0) if area_match else None
        transport = Barrier.TRANSPORT.value in self.ctx.barriers
        if outward and self.ctx.outward and outward == self.ctx.outward:
            barrier = " (transport is a barrier)" if transport else ""
            self.add(3 if transport else 2, f"same area {outward}{barrier}")
        elif outward and area_letters and outward.startswith(area_letters):
            self.add(1, f"nearby ({outward})")

    def days(self, wanted_days: list[str]) -> None:
        on_days = decode_list(self.row["days"])
        if not wanted_days:
            return
        fits = [d for d in on_days if d in wanted_days]
        if fits:
            self.add(2, _plural_days(fits))
        elif on_days:
            self.add(-2, f"not on their days (runs {_day_list(on_days)})")

    def extras(self, today: date, stale_months: int) -> None:
        money = Barrier.COST.value in self.ctx.barriers
        if self.row["is_free"] == 1:
            if money:
                self.add(1.5, "free (cost is a barrier)")
            else:
                self.add(0.25, "free")
        elif money and cost_short(self.row):
            self.add(-1, f"costs {cost_short(self.row)} (cost is a barrier)")
        if self.row["favourite"]:
            self.add(0.5, "one of your favourites")
        if is_stale(self.row, today, stale_months):
            self.add(-0.5, "⚠ stale: check it first")


def suggest_activities(
    db: Database,
    person_id: int,
    today: date,
    *,
    days: list[str] | None = None,
    stale_months: int = 6,
    limit: int = 12,
) -> list[Suggestion]:
    """Active activities that fit a person, best first, each with the reasons why.

    Hard rules: the activity is active, not retired, its ages include the person's, and the
    person is not already connected to it, and its season is not over (valid_from/valid_to
    of its sessions). Then points for a language the person speaks, the words of what
    matters to them it answers, each need it answers (its category), the same postcode
    district (or area), the days that suit the person, being free when cost is a barrier
    (and fewer when it costs), being a favourite; one starting later loses a point and says
    when. Records assured more than 12 months ago (or never) sink below the fresh ones.
    """
    ctx = person_context(db, person_id, today)
    wanted_days = [normalise_weekday(d) for d in days or []]
    suggestions: list[Suggestion] = []
    for row in _candidates(db, ctx):
        season = fit.season(row, today)
        if season.over:
            continue
        scoring = _Scoring(ctx, row)
        scoring.needs()
        scoring.language()
        scoring.what_matters()
        if season.starts_on:
            scoring.add(-1, season.words())
        scoring.age()
        scoring.area()
        scoring.days(wanted_days)
        scoring.extras(today, stale_months)
        suggestions.append(Suggestion(activity=row, score=scoring.score, reasons=scoring.reasons))
    # Fresh records first (a stale one sinks), then the best score; among equals the most
    # recently checked, then by name.
    suggestions.sort(key=lambda s: str(s.activity["name"]).casefold())
    suggestions.sort(key=lambda s: last_checked(s.activity) or "", reverse=True)
    suggestions.sort(key=lambda s: (_rank(s.activity, today), -s.score))
    return suggestions[:limit]


def _rank(row: ActivityRow, today: date) -> int:
    checked = last_checked(row)
    return freshness_rank(date.fromisoformat(checked[:10]) if checked else None, today)
