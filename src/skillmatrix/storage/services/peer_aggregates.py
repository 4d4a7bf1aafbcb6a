"""The peer feedback aggregate: per competency, the lower median and count, in whole batches.

With a threshold of t (at least 3), a competency's aggregate uses the first t, 2t, 3t...
answers in the order they came in (each peer's latest answer with a level, only of requests
that asked about it). A later single answer therefore never changes what is shown, so comparing
the aggregate before and after cannot isolate one peer's rating. The lower median is a level
some peer gave, as the evidence model takes it (engine/evidence.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import median_low

from sqlalchemy import select

from skillmatrix.engine.evidence import DEFAULT_PEER_THRESHOLD
from skillmatrix.errors import InputError
from skillmatrix.storage.access import Actor, Resource
from skillmatrix.storage.models import Assessment, PeerRequest, Rating
from skillmatrix.storage.services.profiles import configured_rule
from skillmatrix.storage.store import Store, UnitOfWork

PEER_THRESHOLD = DEFAULT_PEER_THRESHOLD
"""Answers needed before a competency's aggregate is shown by default; SKILLMATRIX_PEER_THRESHOLD
raises it (profiles.configured_rule, the evidence rule's setting), never below MIN_THRESHOLD."""
MIN_THRESHOLD = 3
"""Below three answers a median gives one peer away; no configuration may go lower."""
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class AggregateEntry:
    """One competency of the aggregate: the median and count once enough peers answered."""

    competency_id: str
    answered: int
    threshold: int
    median: float | None
    count: int

    @property
    def shown(self) -> bool:
        """True once the aggregate of this competency may be shown."""
        return self.median is not None

    @property
    def text(self) -> str:
        """The median and count, or how many answers are still needed."""
        if self.median is None:
            return f"{self.answered} of {self.threshold} answers needed"
        return f"median {self.median:g} from {self.count} peers"


@dataclass(frozen=True, slots=True)
class PeerAggregate:
    """The aggregate of a person's peer feedback: per competency, never per peer."""

    subject_id: int
    threshold: int
    requested: int
    answered: int
    entries: tuple[AggregateEntry, ...]


def check_threshold(threshold: int) -> int:
    """`threshold` if it is a whole number of at least MIN_THRESHOLD, else InputError."""
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < MIN_THRESHOLD:
        raise InputError(f"threshold: {threshold!r}; at least {MIN_THRESHOLD} answers are needed")
    return threshold


def resolve_threshold(threshold: int | None) -> int:
    """`threshold`, or the evidence rule's (SKILLMATRIX_PEER_THRESHOLD, else 3), checked."""
    return check_threshold(configured_rule().peer_threshold if threshold is None else threshold)


def aggregates_in(
    uow: UnitOfWork, subject_ids: Iterable[int], threshold: int, cycle_id: int | None = None
) -> dict[int, PeerAggregate]:
    """The aggregates of many people at once, inside a unit of work the caller authorised."""
    ids = sorted(set(subject_ids))
    requests: list[PeerRequest] = []
    for start in range(0, len(ids), _CHUNK):
        query = select(PeerRequest).where(PeerRequest.subject_id.in_(ids[start : start + _CHUNK]))
        if cycle_id is not None:
            query = query.where(PeerRequest.cycle_id == cycle_id)
        requests.extend(uow.session.scalars(query))
    by_assessment: dict[int, PeerRequest] = {}
    for request in requests:
        if request.status == "answered" and request.assessment_id is not None:
            by_assessment[request.assessment_id] = request
    levels: list[tuple[int, str, int]] = []
    answered_ids = sorted(by_assessment)
    for start in range(0, len(answered_ids), _CHUNK):
        levels.extend(
            (a, c, lv)
            for a, c, lv in uow.session.execute(
                select(Rating.assessment_id, Rating.competency_id, Rating.level)
                .join(Assessment, Assessment.id == Rating.assessment_id)
                .where(
                    Rating.assessment_id.in_(answered_ids[start : start + _CHUNK]),
                    Assessment.status == "submitted",
                    Rating.level.is_not(None),
                )
            ).all()
            if lv is not None
        )
    per_subject: dict[int, list[PeerRequest]] = defaultdict(list)
    for request in requests:
        per_subject[request.subject_id].append(request)
    answers: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for assessment_id, competency_id, level in levels:
        answers[by_assessment[assessment_id].subject_id].append(
            (assessment_id, competency_id, level)
        )
    return {
        subject: _aggregate(
            subject,
            per_subject.get(subject, []),
            answers.get(subject, []),
            by_assessment,
            threshold,
        )
        for subject in ids
    }


def _aggregate(
    subject_id: int,
    requests: Sequence[PeerRequest],
    levels: Sequence[tuple[int, str, int]],
    by_assessment: dict[int, PeerRequest],
    threshold: int,
) -> PeerAggregate:
    asked: set[str] = {c for r in requests for c in (r.competencies or [])}
    # Per competency and peer, that peer's latest answer with a level.
    latest: dict[str, dict[int, tuple[datetime, int, int]]] = defaultdict(dict)
    for assessment_id, competency_id, level in levels:
        request = by_assessment[assessment_id]
        if competency_id not in (request.competencies or []):
            continue
        stamp = (request.answered_at or request.created_at, request.id, level)
        known = latest[competency_id].get(request.peer_id)
        if known is None or stamp[:2] > known[:2]:
            latest[competency_id][request.peer_id] = stamp
    entries = []
    for competency_id in sorted(asked | set(latest)):
        answers = sorted(latest.get(competency_id, {}).values())
        # Only whole batches of `threshold` answers, oldest first, are published.
        published = answers[: len(answers) // threshold * threshold]
        entries.append(
            AggregateEntry(
                competency_id=competency_id,
                answered=len(answers),
                threshold=threshold,
                median=float(median_low(a[2] for a in published)) if published else None,
                count=len(published),
            )
        )
    return PeerAggregate(
        subject_id=subject_id,
        threshold=threshold,
        requested=len(requests),
        answered=sum(1 for r in requests if r.status == "answered"),
        entries=tuple(entries),
    )


def peer_aggregate(
    store: Store,
    actor: Actor,
    subject_id: int,
    *,
    threshold: int | None = None,
    cycle_id: int | None = None,
) -> PeerAggregate:
    """Per competency, the lower median and count of the peers' latest answers, in batches.

    `threshold` defaults to the evidence rule's (SKILLMATRIX_PEER_THRESHOLD, else 3).
    """
    resolved = resolve_threshold(threshold)
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("peer.aggregate", Resource("peer_request", subject_id=subject_id))
        return aggregates_in(uow, [subject_id], resolved, cycle_id)[subject_id]
