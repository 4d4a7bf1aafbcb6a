"""The demo's two staged hiring rounds: one early (interviews under way), one at its debrief.

The early round has candidates applied and interviewing, an interview plan with focus areas,
scorecards submitted, in draft, due, and exactly one overdue. The debrief round has every
scorecard in and one candidate who withdrew; one candidate's panel is split (three
interviewers levels apart on the role's critical competencies and crossing each other
elsewhere), so its debrief says "calibrate before deciding", beside a candidate the panel
agrees to hire and one it agrees not to.

Levels and names come from the demo's seeded random generator. Dates are counted back from the
day the demo is loaded, so due and overdue mean something on that day.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from skillmatrix.framework.model import Framework, Role, Target
from skillmatrix.storage.models import PanelMember, Person, Requisition, RequisitionCandidate
from skillmatrix.storage.records import RatingInput
from skillmatrix.storage.services.assessments import (
    apply_ratings,
    apply_summary,
    mark_submitted,
    start_assessment_row,
)
from skillmatrix.storage.services.hiring import create_requisition_row, link_person
from skillmatrix.storage.services.interview_plans import create_missing_interviews
from skillmatrix.storage.store import UnitOfWork

PersonFactory = Callable[..., Person]
"""Makes one demo person (kind first, then Person fields): the demo builder's `person`."""

SOURCES = ("referral", "job board", "careers page", "agency")
EARLY_SCORECARD_DAYS = 3
# The first interviewing candidate was set up this many days ago (due 2 days ago: overdue),
# the second yesterday (due in 2 days).
EARLY_STARTED_DAYS_AGO = (5, 1)
DEBRIEF_STARTED_DAYS_AGO = 9
WITHDRAWN_REASON = "Accepted another offer before the interviews."
SPLIT_CALLS = ("strong-yes", "no", "yes")
"""The split panel's overall calls: the enthusiast, the sceptic, the one in between."""
TAKEAWAYS = {
    "strong-yes": (
        "Concrete, recent examples for every question; would raise the team's bar.",
        "Walked through a lost deal and what they changed afterwards; very strong.",
    ),
    "yes": (
        "Solid answers with real examples; a little thin on numbers.",
        "Good judgement in the role play; needs support on the planning side.",
    ),
    "no": (
        "Answers stayed general; few examples of doing this themselves.",
        "Struggled with the follow-up questions on the critical areas.",
    ),
    "strong-no": (
        "Could not give an example for most questions; not ready for this role.",
        "Contradicted their own account when probed; would not hire.",
    ),
}


@dataclass(frozen=True, slots=True)
class StagedRounds:
    """The ids of the demo's staged rounds: the early one and the one at its debrief."""

    early: int | None
    debrief: int | None


def _clamp(level: int) -> int:
    return max(0, min(5, level))


def _recommendation(ratings: Sequence[RatingInput], targets: Sequence[Target]) -> str:
    """The interviewer's overall call, from the share of the rated targets they saw met."""
    wanted = {t.competency: t.level for t in targets}
    rated = [r for r in ratings if r.level is not None and r.competency_id in wanted]
    if not rated:
        return "no"
    met = sum(1 for r in rated if (r.level or 0) >= wanted[r.competency_id])
    share = met / len(rated)
    if share >= 0.9:
        return "strong-yes"
    if share >= 0.6:
        return "yes"
    return "no" if share >= 0.3 else "strong-no"


class HiringRounds:
    """Writes the staged rounds inside the demo's unit of work (its clock, its generator)."""

    def __init__(
        self,
        uow: UnitOfWork,
        framework: Framework,
        rng: random.Random,
        person: PersonFactory,
        today: date,
    ) -> None:
        self.uow, self.framework, self.rng, self.person = uow, framework, rng, person
        self.today = today
        self.retention = today + timedelta(days=180)

    def at(self, days_ago: int, hour: int = 9) -> None:
        """Set the clock to `hour`:00 UTC, `days_ago` days before the day of loading."""
        self.uow.now = datetime.combine(self.today - timedelta(days=days_ago), time(hour), UTC)

    def _requisition(
        self, role: Role, manager: Person, *, opened_days_ago: int, scorecard_days: int
    ) -> Requisition:
        self.at(opened_days_ago)
        return create_requisition_row(
            self.uow,
            title=f"{role.title} ({manager.team}, {self.rng.choice(('new', 'backfill'))})",
            role_id=role.id,
            hiring_manager_id=manager.id,
            is_demo=True,
            team=manager.team,
            openings=1,
            target_date=self.today + timedelta(days=60),
            scorecard_days=scorecard_days,
        )

    def _panel(
        self, requisition: Requisition, people: Sequence[Person], focus: Sequence[list[str]]
    ) -> None:
        for index, member in enumerate(people):
            link_person(self.uow, requisition.id, member.id, as_="panel")
            row = self.uow.session.get(PanelMember, (requisition.id, member.id))
            assert row is not None  # link_person just added it
            row.focus = list(focus[index]) if index < len(focus) else []
        self.uow.session.flush()

    def _candidate(self, requisition: Requisition, role: Role) -> Person:
        candidate = self.person("candidate", role_id=role.id, retention_until=self.retention)
        link_person(self.uow, requisition.id, candidate.id, as_="candidate")
        link = self.uow.session.get(RequisitionCandidate, (requisition.id, candidate.id))
        assert link is not None
        link.source = self.rng.choice(SOURCES)
        return candidate

    def _stage(self, requisition: Requisition, candidate: Person, stage: str) -> None:
        link = self.uow.session.get(RequisitionCandidate, (requisition.id, candidate.id))
        assert link is not None
        link.stage = stage
        link.stage_changed_at = self.uow.now
        self.uow.session.flush()

    def _interviewing(
        self, requisition: Requisition, candidate: Person, panel: Sequence[Person], days_ago: int
    ) -> None:
        """Move to interviewing `days_ago` days back: the interviews fall due from then on."""
        self.at(days_ago, hour=10)
        self._stage(requisition, candidate, "interviewing")
        create_missing_interviews(self.uow, requisition, [candidate.id], [p.id for p in panel])

    def _scorecard(
        self,
        requisition: Requisition,
        role: Role,
        candidate: Person,
        interviewer: Person,
        ratings: list[RatingInput],
        *,
        submit: bool = True,
        call: str | None = None,
    ) -> None:
        row = start_assessment_row(
            self.uow,
            subject_id=candidate.id,
            rater_id=interviewer.id,
            kind="interview",
            role_id=role.id,
            framework_hash=self.framework.content_hash,
            requisition_id=requisition.id,
        )
        self.uow.now += timedelta(minutes=40)
        apply_ratings(self.uow, row, ratings)
        call = call or _recommendation(ratings, role.targets)
        apply_summary(self.uow, row, call, self.rng.choice(TAKEAWAYS[call]))
        self.uow.session.flush()
        if submit:
            mark_submitted(self.uow, row)

    def early(self, role: Role, manager: Person, panel: Sequence[Person]) -> int:
        """An early round: focus areas, two candidates interviewing (one overdue), two applied."""
        requisition = self._requisition(
            role, manager, opened_days_ago=12, scorecard_days=EARLY_SCORECARD_DAYS
        )
        # Critical targets first, dealt round the panel so each has an interviewer.
        ordered = sorted(role.targets, key=lambda t: (not t.critical, -t.weight, t.competency))
        focus: list[list[str]] = [[] for _ in panel]
        for index, target in enumerate(ordered):
            focus[index % len(panel)].append(target.competency)
        self._panel(requisition, panel, focus)
        self.at(11)
        candidates = [self._candidate(requisition, role) for _ in range(4)]
        # Submitted scorecards per interviewing candidate: 2 of 3 (the third is overdue), then
        # 1 of 3 with a draft (due in two days).
        plans = ((True, True, None), (True, False, None))
        interviewing = zip(candidates[:2], EARLY_STARTED_DAYS_AGO, plans, strict=True)
        for candidate, days_ago, plan in interviewing:
            self._interviewing(requisition, candidate, panel, days_ago)
            for interviewer, areas, submit in zip(panel, focus, plan, strict=True):
                if submit is None:
                    continue
                ratings = [
                    RatingInput(t.competency, _clamp(t.level + self.rng.choice((-1, 0, 0, 1))))
                    for t in role.targets
                    if t.competency in areas
                ]
                self._scorecard(requisition, role, candidate, interviewer, ratings, submit=submit)
        return requisition.id

    def debrief(self, role: Role, manager: Person, panel: Sequence[Person]) -> int:
        """A round at its debrief: every scorecard in, one candidate's panel split."""
        requisition = self._requisition(
            role, manager, opened_days_ago=20, scorecard_days=EARLY_SCORECARD_DAYS
        )
        self._panel(requisition, panel, [])  # no focus: everyone rates every target
        self.at(18)
        candidates = [self._candidate(requisition, role) for _ in range(3)]
        profiles = (_split(role), _agreed(role, 0), _agreed(role, -2))
        calls = (SPLIT_CALLS, (None,) * 3, (None,) * 3)
        for candidate, levels, said in zip(candidates, profiles, calls, strict=True):
            self._interviewing(requisition, candidate, panel, DEBRIEF_STARTED_DAYS_AGO)
            self.uow.now += timedelta(days=1)
            for interviewer, given, call in zip(panel, levels, said, strict=True):
                self._scorecard(requisition, role, candidate, interviewer, given, call=call)
        self.at(DEBRIEF_STARTED_DAYS_AGO - 3, hour=16)
        for candidate in candidates:
            self._stage(requisition, candidate, "debrief")
        self._withdraw(requisition, self._candidate(requisition, role))
        return requisition.id

    def _withdraw(self, requisition: Requisition, candidate: Person) -> None:
        """A candidate who withdrew before the interviews, with the reason audited."""
        self._stage(requisition, candidate, "withdrawn")
        self.uow.audit(
            "candidate.stage",
            "requisition",
            requisition.id,
            {"stage": "applied"},
            {"stage": "withdrawn", "candidate": candidate.id, "reason": WITHDRAWN_REASON},
        )


def _split(role: Role) -> tuple[list[RatingInput], ...]:
    """Three views of one candidate: an enthusiast, a sceptic and one in between.

    On a critical target they are three levels apart (the enthusiast highest); elsewhere the
    first two cross (one above the target where the other is below), so agreement (alpha)
    stays low even on a role without a critical target.
    """
    views: tuple[list[RatingInput], ...] = ([], [], [])
    for index, target in enumerate(role.targets):
        if target.critical:
            high = max(3, _clamp(target.level + 1))
            levels = (high, high - 3, high - 1)
        else:
            up, down = _clamp(target.level + 1), _clamp(target.level - 2)
            levels = (up, down, target.level) if index % 2 else (down, up, target.level)
        for view, level in zip(views, levels, strict=True):
            view.append(RatingInput(target.competency, level))
    return views


def _agreed(role: Role, shift: int) -> tuple[list[RatingInput], ...]:
    """Three matching views, `shift` levels off every target: a panel in agreement."""
    view = [RatingInput(t.competency, _clamp(t.level + shift)) for t in role.targets]
    return list(view), list(view), list(view)


def staged_count(requisitions: int) -> int:
    """How many of the demo's `requisitions` are staged rounds: the first stays a plain one."""
    return min(2, max(0, requisitions - 1))


def pick_team(
    teams: Sequence[tuple[Person, Role, list[Person]]],
    framework: Framework,
    start: int,
    *,
    critical: bool = False,
) -> int:
    """The index of a team with three members for a panel, tried from `start` on; -1 if none.

    With `critical`, a team whose members' role has a critical target comes first (a split
    panel on a critical competency is what the debrief round shows).
    """
    order: list[int] = [*range(start, len(teams)), *range(start)]
    usable: list[int] = [i for i in order if len(teams[i][2]) >= 3]
    if critical:
        for index in usable:
            role = framework.roles.get(teams[index][2][0].role_id or "")
            if role is not None and any(t.critical for t in role.targets):
                return index
    return usable[0] if usable else -1
