"""The evidence model: which of a person's ratings counts, per competency, and whose it is.

The rule (docs/scoring.md, "Which rating counts"): per competency, among the person's
submitted ratings WITH a level (a "not observed" is no evidence and never erases older
evidence) and no older than the age limit, take the highest-precedence source:

1. calibrated: a rating changed in calibration, at its newest calibrated level, until a
   newer manager rating of the competency (the next review) replaces it;
2. manager;
3. interview: the panel's consensus (an interview assessment without a rater); one
   interviewer's scorecard never counts on its own;
4. peer: the aggregate of the peers' latest answers, only once at least `peer_threshold`
   peers have answered; published in whole batches of the threshold, oldest answers first
   (as the peer feedback page shows them), at the lower median (a level a peer gave);
5. self.

Within a source, the latest wins (ties: the higher assessment id). Every entry of the
resulting profile carries its level, source, date and assessment id, so any page can say
whose level it shows and from when.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import median_low

SOURCES = ("calibrated", "manager", "interview", "peer", "self")
"""Evidence sources, highest precedence first."""

SOURCE_TEXT: Mapping[str, str] = {
    "calibrated": "calibrated",
    "manager": "manager",
    "interview": "interview panel",
    "peer": "peers",
    "self": "self",
}
"""How pages name each source."""

DEFAULT_MAX_AGE_MONTHS = 24
DEFAULT_PEER_THRESHOLD = 3


@dataclass(frozen=True, slots=True)
class ProfileRule:
    """The evidence rule's settings: the age limit in months and the peers needed."""

    max_age_months: int = DEFAULT_MAX_AGE_MONTHS
    peer_threshold: int = DEFAULT_PEER_THRESHOLD

    def __post_init__(self) -> None:
        if self.max_age_months < 1:
            raise ValueError(f"max_age_months must be at least 1, not {self.max_age_months}")
        if self.peer_threshold < 3:
            # Below three answers a median gives one peer away.
            raise ValueError(f"peer_threshold must be at least 3, not {self.peer_threshold}")


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One submitted rating of one competency, as evidence.

    `source` is one of SOURCES; `rater` tells peers apart (and marks an interview
    scorecard by one interviewer, which does not count); `at` is when it was submitted
    (for a calibrated rating: when it was calibrated).
    """

    competency: str
    level: int | None
    source: str
    at: datetime
    assessment_id: int | None = None
    rater: int | None = None

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"unknown evidence source {self.source!r}; one of {SOURCES}")


@dataclass(frozen=True, slots=True)
class ProfileEntry:
    """The level that counts for one competency, with its source, date and assessment.

    `assessment_id` is None for the peers' aggregate (it combines several); `count` is the
    number of peers in it (1 for every other source).
    """

    competency: str
    level: int
    source: str
    at: datetime
    assessment_id: int | None
    count: int = 1

    @property
    def on(self) -> date:
        """The day of the evidence."""
        return self.at.date()

    def whose(self) -> str:
        """Whose level it is: 'manager', 'interview panel', '3 peers', ..."""
        return f"{self.count} peers" if self.source == "peer" else SOURCE_TEXT[self.source]

    def describe(self) -> str:
        """Whose level and from when, such as 'manager, 2026-03-01'."""
        return f"{self.whose()}, {self.on.isoformat()}"


@dataclass(frozen=True)
class Profile:
    """A person's current levels under the evidence rule, one entry per evidenced competency."""

    entries: Mapping[str, ProfileEntry] = field(default_factory=dict)

    def levels(self) -> dict[str, int | None]:
        """{competency: level}, the form the scoring functions take."""
        return {cid: entry.level for cid, entry in self.entries.items()}

    def get(self, competency: str) -> ProfileEntry | None:
        """The entry of `competency`, or None when nothing counts for it."""
        return self.entries.get(competency)

    def __iter__(self) -> Iterator[ProfileEntry]:
        return iter(sorted(self.entries.values(), key=lambda e: e.competency))

    def __len__(self) -> int:
        return len(self.entries)


def age_cutoff(now: datetime, months: int) -> datetime:
    """`now` moved back `months` calendar months (the day clamped to the month's end)."""
    total = now.year * 12 + (now.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    days = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return now.replace(year=year, month=month, day=min(now.day, days))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _peer_entry(competency: str, items: list[EvidenceItem], threshold: int) -> ProfileEntry | None:
    latest: dict[int | None, EvidenceItem] = {}
    for item in items:
        known = latest.get(item.rater)
        if known is None or (item.at, item.assessment_id or 0) > (
            known.at,
            known.assessment_id or 0,
        ):
            latest[item.rater] = item
    answers = sorted(latest.values(), key=lambda i: (i.at, i.assessment_id or 0))
    # Whole batches only: one more answer never moves the published level, so comparing
    # before and after cannot single out one peer's rating.
    published = answers[: len(answers) // threshold * threshold]
    if not published:
        return None
    level = int(median_low(i.level for i in published if i.level is not None))
    return ProfileEntry(competency, level, "peer", published[-1].at, None, len(published))


_ABOVE_PEERS = {"calibrated": 0, "manager": 1, "interview": 2}
"""Sources that beat the peers' aggregate, by precedence (lower wins)."""


def _newer(item: EvidenceItem, known: EvidenceItem | None) -> bool:
    return known is None or (item.at, item.assessment_id or 0) > (
        known.at,
        known.assessment_id or 0,
    )


def _entry(item: EvidenceItem) -> ProfileEntry:
    assert item.level is not None  # filtered before
    return ProfileEntry(item.competency, item.level, item.source, item.at, item.assessment_id)


def build_profile(
    items: Iterable[EvidenceItem], *, now: datetime, rule: ProfileRule | None = None
) -> Profile:
    """The profile the evidence rule gives for one person's evidence items (module docstring)."""
    rule = rule or ProfileRule()
    cutoff = age_cutoff(now, rule.max_age_months)
    # One pass, keeping per competency only the best candidate of each tier (this runs for
    # every person of an organisation on the bench and the inventory).
    best: dict[str, dict[str, EvidenceItem]] = {tier: {} for tier in _ABOVE_PEERS}
    own: dict[str, EvidenceItem] = {}
    peers: dict[str, list[EvidenceItem]] = defaultdict(list)
    for item in items:
        if item.level is None or item.at < cutoff:
            continue
        source, competency = item.source, item.competency
        if source == "self":
            if _newer(item, own.get(competency)):
                own[competency] = item
        elif source == "peer":
            peers[competency].append(item)
        elif source == "interview" and item.rater is not None:
            continue  # one interviewer's scorecard: only the panel's consensus counts
        elif _newer(item, best[source].get(competency)):
            best[source][competency] = item
    top: dict[str, EvidenceItem] = dict(best["interview"])
    top.update(best["manager"])
    for competency, item in best["calibrated"].items():
        # A calibrated level stands until a newer manager rating of the competency (the
        # next review) replaces it; an older one never outranks it.
        manager = best["manager"].get(competency)
        if manager is None or not _newer(manager, item):
            top[competency] = item
    entries: dict[str, ProfileEntry] = {cid: _entry(item) for cid, item in top.items()}
    for competency, answers in peers.items():
        if competency not in entries:
            peer = _peer_entry(competency, answers, rule.peer_threshold)
            if peer is not None:
                entries[competency] = peer
    for competency, item in own.items():
        entries.setdefault(competency, _entry(item))
    return Profile(entries)


def build_profiles(
    items: Mapping[int, Iterable[EvidenceItem]],
    *,
    now: datetime,
    rule: ProfileRule | None = None,
) -> dict[int, Profile]:
    """build_profile for many people at once: {person id: Profile}."""
    return {person: build_profile(found, now=now, rule=rule) for person, found in items.items()}
