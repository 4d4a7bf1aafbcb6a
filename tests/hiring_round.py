"""A small hiring round for the scorecard, debrief and decision tests: a requisition, a panel
with focus areas, candidates interviewing, and a helper that submits a scorecard."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import permutations

from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, Actor, RatingInput, Store, services
from skillmatrix.storage.services.candidates import move_candidate
from skillmatrix.storage.services.interview_plans import set_interviewer
from skillmatrix.storage.services.requisitions import RequisitionFields, open_requisition

ROLE = "account-executive"  # communication 3, forecasting 2, negotiation 3 (weights 1)


@dataclass
class Round:
    """Ids of one hiring round's people, by short name."""

    requisition: int
    framework: Framework
    hm: int
    raters: list[int] = field(default_factory=list)
    candidates: dict[str, int] = field(default_factory=dict)

    def hiring_manager(self) -> Actor:
        """The hiring manager as an actor."""
        return Actor(self.hm, frozenset({"hiring-manager"}), "Hana Manager")

    def interviewer(self, index: int) -> Actor:
        """Interviewer `index` as an actor."""
        return Actor(self.raters[index], frozenset({"interviewer"}), f"Rater {index}")


def build_round(
    store: Store,
    framework: Framework,
    *,
    tag: str = "r",
    raters: int = 3,
    candidates: tuple[str, ...] = ("Ann", "Bob"),
    openings: int = 1,
    focus: tuple[tuple[str, ...], ...] = (),
) -> Round:
    """A requisition for ROLE with `raters` interviewers and `candidates` interviewing."""
    hm = services.add_person(
        store, LOCAL_ADMIN, name="Hana Manager", email=f"hm.{tag}@example.org"
    ).id
    requisition = open_requisition(
        store,
        LOCAL_ADMIN,
        framework,
        RequisitionFields(
            title=f"AE {tag}", role_id=ROLE, hiring_manager_id=hm, team="north", openings=openings
        ),
    )
    built = Round(requisition.id, framework, hm)
    for index in range(raters):
        person = services.add_person(
            store, LOCAL_ADMIN, name=f"Rater {index}", email=f"rater{index}.{tag}@example.org"
        ).id
        areas = focus[index] if index < len(focus) else ()
        set_interviewer(store, LOCAL_ADMIN, framework, requisition.id, person, focus=areas)
        built.raters.append(person)
    for name in candidates:
        person = services.add_person(
            store,
            LOCAL_ADMIN,
            name=name,
            email=f"{name.lower()}.{tag}@example.org",
            kind="candidate",
            retention_until=date(2031, 1, 31),
        ).id
        services.add_candidate(store, LOCAL_ADMIN, requisition.id, person)
        move_candidate(store, LOCAL_ADMIN, requisition.id, person, "interviewing")
        built.candidates[name] = person
    return built


def score(
    store: Store,
    built: Round,
    candidate: str,
    rater: int,
    levels: dict[str, int | None],
    *,
    recommendation: str = "yes",
    takeaways: str = "Clear examples.",
) -> int:
    """Submit interviewer `rater`'s scorecard of `candidate`; returns the assessment id."""
    record = services.start_assessment(
        store,
        LOCAL_ADMIN,
        subject_id=built.candidates[candidate],
        rater_id=built.raters[rater],
        kind="interview",
        role_id=ROLE,
        framework_hash=built.framework.content_hash,
        requisition_id=built.requisition,
    )
    services.submit_assessment(
        store,
        LOCAL_ADMIN,
        record.id,
        expected_version=record.version,
        ratings=[RatingInput(c, lv) for c, lv in levels.items()],
        recommendation=recommendation,
        takeaways=takeaways,
    )
    return record.id


def alpha_by_hand(panel: dict[str, dict[str, int]]) -> float:
    """Krippendorff's ordinal alpha from its definition, with plain loops (no numpy)."""
    units: dict[str, list[int]] = {}
    for profile in panel.values():
        for cid, level in profile.items():
            units.setdefault(cid, []).append(level)
    coincidence: dict[tuple[int, int], float] = {}
    for values in units.values():
        if len(values) < 2:
            continue
        for i, j in permutations(range(len(values)), 2):
            pair = (values[i], values[j])
            coincidence[pair] = coincidence.get(pair, 0.0) + 1 / (len(values) - 1)
    levels = sorted({c for c, _ in coincidence})
    n_c = {c: sum(v for (a, _), v in coincidence.items() if a == c) for c in levels}
    n = sum(n_c.values())

    def delta(c: int, k: int) -> float:
        low, high = min(c, k), max(c, k)
        between = sum(n_c[g] for g in levels if low <= g <= high)
        return (between - (n_c[low] + n_c[high]) / 2) ** 2

    observed = sum(v * delta(c, k) for (c, k), v in coincidence.items())
    expected = sum(n_c[c] * n_c[k] * delta(c, k) for c in levels for k in levels)
    return 1 - (n - 1) * observed / expected
