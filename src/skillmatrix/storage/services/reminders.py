"""Reminders computed from the hiring tables into the notification outbox (`sweep`).

The sweep only reads the hiring tables and enqueues notices; running it twice stores nothing
new (every notice has a dedupe key), so the app, cron and two servers may all run it. Dates are
UTC dates. The rules (also in docs/hiring.md):

* **scorecard due**: an interview whose due date is today, on an open requisition, for a
  candidate still in play (applied, interviewing, debrief), without a submitted scorecard by
  its interviewer: to the interviewer, once per interview;
* **scorecard overdue**: the same with the due date passed: once per interview (not daily);
* **debrief ready**: every interview of an open requisition's candidates at the interviewing or
  debrief stage has its scorecard in (at least one), and the debrief is not open yet: to the
  hiring manager, once per requisition;
* **decision recorded**: each decision row: to the hiring manager, the panel, and, when HR
  overrode an earlier decision, to the HR people; never to whoever recorded it. The reason goes
  only to those who may read decisions (hiring manager, HR); the panel learns the outcome.

Review cycles and peer requests add their reminders from cycles_reminders.py.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import InstrumentedAttribute, aliased
from sqlalchemy.sql.expression import Exists

from skillmatrix.storage.access import Actor, Resource
from skillmatrix.storage.models import (
    Assessment,
    HiringDecision,
    Identity,
    Interview,
    Notification,
    PanelMember,
    Person,
    Requisition,
    RequisitionCandidate,
)
from skillmatrix.storage.services.cycles_reminders import cycle_notices
from skillmatrix.storage.services.notifications import enqueue
from skillmatrix.storage.store import Store, UnitOfWork

IN_PLAY = ("applied", "interviewing", "debrief")
"""Stages of a candidate whose scorecards are still wanted."""
DEBRIEF_STAGES = ("interviewing", "debrief")


@dataclass(frozen=True, slots=True)
class SweepReport:
    """What one sweep stored: new notices by kind (0 everywhere when nothing was new)."""

    created: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        """New notices in all."""
        return sum(self.created.values())


@dataclass(frozen=True, slots=True)
class _Notice:
    kind: str
    recipient_id: int
    subject: str
    body: str
    entity: str
    entity_id: str
    dedupe_key: str
    due_at: datetime | None = None


def sweep(
    store: Store,
    actor: Actor,
    now: datetime | None = None,
    *,
    recipient_id: int | None = None,
) -> SweepReport:
    """Compute every reminder due at `now` (default: the store's clock) into the outbox.

    HR and admins sweep for everyone; anyone may sweep their own (`recipient_id` = themselves),
    which is what the app's To do page does.
    """
    with store.unit_of_work(actor) as uow:
        if recipient_id is None:
            uow.authorize("notification.send", Resource("notification"))
        else:
            uow.authorize("notification.list", Resource("notification", subject_id=recipient_id))
        moment = now or uow.now
        today = moment.astimezone(UTC).date() if moment.tzinfo else moment.date()
        notices = [
            *_scorecard_notices(uow, today, recipient_id),
            *_debrief_notices(uow, recipient_id),
            *_decision_notices(uow, recipient_id),
            # Review cycles and peer requests (Part 10).
            *(_Notice(**asdict(n)) for n in cycle_notices(uow, today, recipient_id)),
        ]
        known = _known_keys(uow, [notice.dedupe_key for notice in notices])
        report = SweepReport()
        for notice in notices:
            if notice.dedupe_key in known:
                continue
            known.add(notice.dedupe_key)
            if enqueue(
                uow,
                kind=notice.kind,
                recipient_id=notice.recipient_id,
                subject=notice.subject,
                body=notice.body,
                entity=notice.entity,
                entity_id=notice.entity_id,
                dedupe_key=notice.dedupe_key,
                due_at=notice.due_at,
            ):
                report.created[notice.kind] += 1
        if report.total:
            uow.audit("notification.sweep", "notification", "sweep", None, dict(report.created))
        return report


def _known_keys(uow: UnitOfWork, keys: list[str]) -> set[str]:
    """Which of `keys` are stored already, so a repeated sweep writes nothing."""
    known: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        known.update(
            uow.session.scalars(
                select(Notification.dedupe_key).where(Notification.dedupe_key.in_(chunk))
            )
        )
    return known


def _submitted(
    interviewer: InstrumentedAttribute[int],
    candidate: InstrumentedAttribute[int],
    requisition: InstrumentedAttribute[int],
) -> Exists:
    """True where the interviewer's scorecard for the candidate on the requisition is in."""
    return exists().where(
        Assessment.kind == "interview",
        Assessment.status == "submitted",
        Assessment.requisition_id == requisition,
        Assessment.subject_id == candidate,
        Assessment.rater_id == interviewer,
    )


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def _scorecard_notices(uow: UnitOfWork, today: date, recipient_id: int | None) -> list[_Notice]:
    candidate = aliased(Person)
    query = (
        select(Interview, Requisition.title, candidate.name)
        .join(Requisition, Requisition.id == Interview.requisition_id)
        .join(candidate, candidate.id == Interview.candidate_id)
        .join(
            RequisitionCandidate,
            and_(
                RequisitionCandidate.requisition_id == Interview.requisition_id,
                RequisitionCandidate.person_id == Interview.candidate_id,
            ),
        )
        .where(
            Interview.due_date.is_not(None),
            Interview.due_date <= today,
            Requisition.status == "open",
            RequisitionCandidate.stage.in_(IN_PLAY),
            ~_submitted(Interview.interviewer_id, Interview.candidate_id, Interview.requisition_id),
        )
        .order_by(Interview.id)
    )
    if recipient_id is not None:
        query = query.where(Interview.interviewer_id == recipient_id)
    notices = []
    for interview, title, name in uow.session.execute(query):
        due = interview.due_date
        assert due is not None  # filtered above
        overdue = due < today
        kind = "scorecard-overdue" if overdue else "scorecard-due"
        when = f"overdue since {due.isoformat()}" if overdue else "due today"
        notices.append(
            _Notice(
                kind=kind,
                recipient_id=interview.interviewer_id,
                subject=f"Scorecard {when}: {name} ({title})",
                body=(
                    f"Your interview scorecard for {name} on the requisition {title} was due "
                    f"on {due.isoformat()}.\nSubmit it on the Interview scorecard page."
                    if overdue
                    else f"Your interview scorecard for {name} on the requisition {title} is "
                    "due today.\nSubmit it on the Interview scorecard page."
                ),
                entity="scorecard",
                entity_id=f"{interview.requisition_id}:{interview.candidate_id}",
                dedupe_key=f"{kind}:interview:{interview.id}",
                due_at=_midnight(due),
            )
        )
    return notices


def _debrief_notices(uow: UnitOfWork, recipient_id: int | None) -> list[_Notice]:
    query = (
        select(
            Requisition.id,
            Requisition.title,
            Requisition.hiring_manager_id,
            _submitted(
                Interview.interviewer_id, Interview.candidate_id, Interview.requisition_id
            ).label("submitted"),
        )
        .join(Interview, Interview.requisition_id == Requisition.id)
        .join(
            RequisitionCandidate,
            and_(
                RequisitionCandidate.requisition_id == Interview.requisition_id,
                RequisitionCandidate.person_id == Interview.candidate_id,
            ),
        )
        .where(
            Requisition.status == "open",
            Requisition.debrief_opened_at.is_(None),
            Requisition.hiring_manager_id.is_not(None),
            RequisitionCandidate.stage.in_(DEBRIEF_STAGES),
        )
    )
    if recipient_id is not None:
        query = query.where(Requisition.hiring_manager_id == recipient_id)
    done: dict[int, bool] = {}
    about: dict[int, tuple[str, int | None]] = {}
    for requisition_id, title, manager, submitted in uow.session.execute(query):
        done[requisition_id] = done.get(requisition_id, True) and bool(submitted)
        about[requisition_id] = (title, manager)
    employees = _employees(uow, {m for _, m in about.values() if m is not None})
    notices = []
    for requisition_id in sorted(r for r, ready in done.items() if ready):
        title, manager = about[requisition_id]
        if manager not in employees or manager is None:
            continue
        notices.append(
            _Notice(
                kind="debrief-ready",
                recipient_id=manager,
                subject=f"Debrief ready: every scorecard is in ({title})",
                body=(
                    f"Every interviewer has submitted their scorecard for the candidates of "
                    f"{title}.\nOpen the debrief to compare them and record a decision."
                ),
                entity="debrief",
                entity_id=str(requisition_id),
                dedupe_key=f"debrief-ready:requisition:{requisition_id}",
            )
        )
    return notices


def _hr_people(uow: UnitOfWork) -> set[int]:
    """People whose own sign-in identity grants HR (group grants name nobody in particular)."""
    rows = uow.session.execute(
        select(Identity.person_id, Identity.roles).where(
            Identity.kind == "email", Identity.person_id.is_not(None)
        )
    )
    return {person for person, roles in rows if person is not None and "hr" in roles.split(",")}


def _decision_notices(uow: UnitOfWork, recipient_id: int | None) -> list[_Notice]:
    candidate = aliased(Person)
    hr_people = _hr_people(uow)
    query = (
        select(HiringDecision, Requisition.title, Requisition.hiring_manager_id, candidate.name)
        .join(Requisition, Requisition.id == HiringDecision.requisition_id)
        .join(candidate, candidate.id == HiringDecision.candidate_id)
        .order_by(HiringDecision.id)
    )
    if recipient_id is not None:
        mine = or_(
            Requisition.hiring_manager_id == recipient_id,
            HiringDecision.requisition_id.in_(
                select(PanelMember.requisition_id).where(PanelMember.person_id == recipient_id)
            ),
        )
        if recipient_id in hr_people:
            mine = or_(mine, HiringDecision.overrides_id.is_not(None))
        query = query.where(mine)
    rows = uow.session.execute(query).all()
    panels: dict[int, set[int]] = defaultdict(set)
    requisitions = {row[0].requisition_id for row in rows}
    if requisitions:
        for requisition_id, person_id in uow.session.execute(
            select(PanelMember.requisition_id, PanelMember.person_id).where(
                PanelMember.requisition_id.in_(sorted(requisitions))
            )
        ):
            panels[requisition_id].add(person_id)
    employees = _employees(uow, {m for row in rows if (m := row[2]) is not None} | hr_people)
    employees |= _employees(uow, {p for members in panels.values() for p in members})
    notices = []
    for decision, title, manager, name in rows:
        readers = {manager} if manager is not None else set()
        if decision.overrides_id is not None:
            readers |= hr_people
        told = (readers | panels[decision.requisition_id]) & employees
        if decision.decided_by_id is not None:
            told.discard(decision.decided_by_id)
        if recipient_id is not None:
            told &= {recipient_id}
        verb = "overridden by HR" if decision.overrides_id is not None else "recorded"
        for person in sorted(told):
            reason = f"\nReason: {decision.reason}" if person in readers else ""
            notices.append(
                _Notice(
                    kind="decision-recorded",
                    recipient_id=person,
                    subject=f"Decision {verb}: {decision.outcome} for {name} ({title})",
                    body=f"The decision on {name} for {title} is {decision.outcome}.{reason}",
                    # The requisition, not its debrief: the panel may not read the debrief.
                    entity="requisition",
                    entity_id=str(decision.requisition_id),
                    dedupe_key=f"decision-recorded:decision:{decision.id}:to:{person}",
                )
            )
    return notices


def _employees(uow: UnitOfWork, ids: Iterable[int]) -> set[int]:
    """The employees among `ids`: candidates never get notices."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    return set(
        uow.session.scalars(
            select(Person.id).where(Person.id.in_(wanted), Person.kind == "employee")
        )
    )
