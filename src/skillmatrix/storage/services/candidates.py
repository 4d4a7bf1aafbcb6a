"""Candidates on a requisition: add one, import a CSV (all or nothing), list them, move stages.

A candidate is found by email (case-insensitive): a known candidate is linked to the
requisition, never duplicated; an email that belongs to a member of staff is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from skillmatrix.errors import InputError
from skillmatrix.storage.access import Actor, Resource, sees_every, storable_id
from skillmatrix.storage.hiring_records import CandidateImportReport, CandidateRecord
from skillmatrix.storage.models import (
    CANDIDATE_STAGES,
    Identity,
    PanelMember,
    Person,
    Requisition,
    RequisitionCandidate,
)
from skillmatrix.storage.scopes import visible_people
from skillmatrix.storage.services.common import get_authorized, require_choice
from skillmatrix.storage.services.hiring import _may_link
from skillmatrix.storage.services.interview_plans import create_missing_interviews
from skillmatrix.storage.services.people import EMAIL_PATTERN, TEXT_LIMITS, create_person_row
from skillmatrix.storage.services.requisitions import visible_requisition
from skillmatrix.storage.services.tables import Problems, read_csv, read_source
from skillmatrix.storage.store import Store, UnitOfWork

MAX_IMPORT_ROWS = 2000
"""A candidate file longer than this is refused: no requisition has that many applicants."""
SOURCE_LIMIT = 100
REASON_LIMIT = 2000
CSV_REQUIRED = ("name", "email")
CSV_OPTIONAL = ("source", "consent_date")
DECIDED_STAGES = ("hired", "rejected")
"""Stages only a recorded hiring decision sets."""
CLOSED_STATUSES = ("closed", "filled")


@dataclass(frozen=True, slots=True)
class CandidateInput:
    """A candidate as a form or a file row gives it."""

    name: str
    email: str
    source: str = ""
    consent_date: date | None = None


def _requisition(uow: UnitOfWork, requisition_id: int, action: str) -> Requisition:
    return get_authorized(
        uow,
        Requisition,
        requisition_id,
        action,
        lambda found: Resource("requisition", found.id, requisition_id=found.id),
        kind="requisition",
        what="requisition",
    )


def _open_for_candidates(row: Requisition) -> None:
    if row.status in CLOSED_STATUSES:
        raise InputError(
            f"requisition {row.id} is {row.status}; reopen it before adding candidates"
        )


def _problems_of(candidate: CandidateInput, today: date) -> list[tuple[str, str]]:
    """(field, message) for everything wrong with one candidate's fields."""
    problems: list[tuple[str, str]] = []
    name = candidate.name.strip()
    if not name:
        problems.append(("name", "must not be empty"))
    elif len(name) > TEXT_LIMITS["name"]:
        problems.append(("name", f"longer than {TEXT_LIMITS['name']} characters"))
    email = candidate.email.strip().lower()
    if not EMAIL_PATTERN.match(email) or len(email) > TEXT_LIMITS["email"]:
        problems.append(("email", f"{candidate.email!r} is not an email address"))
    if len(candidate.source.strip()) > SOURCE_LIMIT:
        problems.append(("source", f"longer than {SOURCE_LIMIT} characters"))
    if candidate.consent_date is not None and candidate.consent_date > today:
        problems.append(("consent_date", f"{candidate.consent_date} is in the future"))
    return problems


def _email_refusal(uow: UnitOfWork, email: str, known: Person | None) -> str | None:
    """Why `email` cannot be a candidate on this requisition, or None when it can.

    Someone without HR's reach learns only that the email cannot be used, never whose it is.
    """
    staff = uow.session.scalar(
        select(Identity.id).where(Identity.kind == "email", Identity.value == email)
    )
    usable = known is None or (known.kind == "candidate" and _may_link(uow, known, "candidate"))
    if staff is None and usable:
        return None
    if not sees_every(uow.actor, "people.create"):
        return f"{email} cannot be used for a candidate; ask HR if this person is already known"
    if known is not None and known.kind == "employee":
        return f"{email} belongs to an employee; candidates never take staff emails"
    return f"{email} signs in a member of staff; a candidate cannot have it"


def _enlist(
    uow: UnitOfWork, requisition: Requisition, candidate: CandidateInput, known: Person | None
) -> tuple[str, Person]:
    """Link (creating if new) one checked candidate: 'created', 'linked' or 'already'."""
    if known is None:
        person = create_person_row(
            uow, name=candidate.name.strip(), email=candidate.email, kind="candidate"
        )
        person.consent_date = candidate.consent_date
        outcome = "created"
    else:
        person = known
        if candidate.consent_date is not None and (
            person.consent_date is None or candidate.consent_date > person.consent_date
        ):
            person.consent_date = candidate.consent_date
        outcome = "linked"
    if uow.session.get(RequisitionCandidate, (requisition.id, person.id)) is not None:
        return "already", person
    uow.session.add(
        RequisitionCandidate(
            requisition_id=requisition.id,
            person_id=person.id,
            stage="applied",
            source=candidate.source.strip(),
            added_at=uow.now,
            stage_changed_at=uow.now,
        )
    )
    uow.session.flush()
    uow.audit(
        "requisition.add_candidate",
        "requisition",
        requisition.id,
        None,
        {"candidate": person.id, "source": candidate.source.strip(), "outcome": outcome},
    )
    return outcome, person


def _known(uow: UnitOfWork, emails: list[str]) -> dict[str, Person]:
    if not emails:
        return {}
    rows = uow.session.scalars(select(Person).where(Person.email.in_(emails)))
    return {row.email: row for row in rows}


def candidate_record(uow: UnitOfWork, link: RequisitionCandidate) -> CandidateRecord:
    """The record of a candidate's link to a requisition."""
    person = uow.session.get(Person, link.person_id)
    assert person is not None  # the foreign key guarantees it
    return CandidateRecord(
        requisition_id=link.requisition_id,
        person_id=person.id,
        name=person.name,
        email=person.email,
        stage=link.stage,
        source=link.source,
        consent_date=person.consent_date,
        retention_until=person.retention_until,
        added_at=link.added_at,
        stage_changed_at=link.stage_changed_at,
    )


def add_requisition_candidate(
    store: Store, actor: Actor, requisition_id: int, candidate: CandidateInput
) -> CandidateRecord:
    """Add a candidate to a requisition: a new person, or the known candidate with that email.

    Adding one already on the requisition changes nothing (a second submit is harmless).
    """
    with store.unit_of_work(actor) as uow:
        requisition = _requisition(uow, requisition_id, "requisition.candidate")
        _open_for_candidates(requisition)
        problems = _problems_of(candidate, uow.now.date())
        if problems:
            raise InputError("; ".join(f"{field}: {message}" for field, message in problems))
        email = candidate.email.strip().lower()
        known = _known(uow, [email]).get(email)
        refusal = _email_refusal(uow, email, known)
        if refusal is not None:
            raise InputError(f"email: {refusal}")
        if known is None:
            uow.authorize("people.create", Resource("person", facts={"kind": "candidate"}))
        _, person = _enlist(uow, requisition, candidate, known)
        link = uow.session.get(RequisitionCandidate, (requisition.id, person.id))
        assert link is not None
        return candidate_record(uow, link)


def _parse_file(
    source: Path | str, data: bytes | None, today: date
) -> tuple[str, list[tuple[str, CandidateInput]], Problems]:
    name, raw = read_source(source, data)
    rows = read_csv(name, raw, required=CSV_REQUIRED, optional=CSV_OPTIONAL)
    problems = Problems(name)
    if len(rows) > MAX_IMPORT_ROWS:
        raise InputError(
            f"{name}: {len(rows)} candidates; at most {MAX_IMPORT_ROWS} per import, split the file"
        )
    parsed: list[tuple[str, CandidateInput]] = []
    first_line: dict[str, str] = {}
    for row in rows:
        where = f"line {row.where}"
        consent: date | None = None
        consent_text = str(row.values.get("consent_date", "")).strip()
        if consent_text:
            try:
                consent = date.fromisoformat(consent_text)
            except ValueError:
                problems.add(where, "consent_date", f"{consent_text!r} is not a date (YYYY-MM-DD)")
        candidate = CandidateInput(
            name=str(row.values.get("name", "")),
            email=str(row.values.get("email", "")),
            source=str(row.values.get("source", "")),
            consent_date=consent,
        )
        for field, message in _problems_of(candidate, today):
            problems.add(where, field, message)
        email = candidate.email.strip().lower()
        if email and email in first_line:
            problems.add(where, "email", f"duplicate of {first_line[email]} ({email})")
            continue
        first_line.setdefault(email, where)
        parsed.append((where, candidate))
    return name, parsed, problems


def import_candidates(
    store: Store,
    actor: Actor,
    requisition_id: int,
    source: Path | str,
    *,
    data: bytes | None = None,
) -> CandidateImportReport:
    """Add every candidate of a CSV (name, email, source, consent_date) to a requisition.

    All or nothing: every bad row is reported with its line and column, and nothing is stored.
    `data` is the file's content when it was uploaded (then `source` only names it).
    """
    with store.unit_of_work(actor) as uow:
        requisition = _requisition(uow, requisition_id, "candidate.import")
        _open_for_candidates(requisition)
        name, parsed, problems = _parse_file(source, data, uow.now.date())
        emails = [candidate.email.strip().lower() for _, candidate in parsed]
        known = _known(uow, emails)
        for where, candidate in parsed:
            email = candidate.email.strip().lower()
            if not EMAIL_PATTERN.match(email):
                continue
            refusal = _email_refusal(uow, email, known.get(email))
            if refusal is not None:
                problems.add(where, "email", refusal)
        problems.raise_if_any()
        if any(email not in known for email in emails):
            uow.authorize("people.create", Resource("person", facts={"kind": "candidate"}))
        counts = {"created": 0, "linked": 0, "already": 0}
        for _, candidate in parsed:
            email = candidate.email.strip().lower()
            outcome, person = _enlist(uow, requisition, candidate, known.get(email))
            known[email] = person
            counts[outcome] += 1
        uow.audit(
            "candidate.import",
            "requisition",
            requisition.id,
            None,
            {"source": Path(name).name, **counts},
        )
        return CandidateImportReport(
            source=name,
            requisition_id=requisition.id,
            created=counts["created"],
            linked=counts["linked"],
            already_on=counts["already"],
        )


def list_candidates(store: Store, actor: Actor, requisition_id: int) -> list[CandidateRecord]:
    """The candidates of a requisition the actor may see, in the order they were added."""
    with store.unit_of_work(actor, write=False) as uow:
        visible_requisition(uow, requisition_id)
        links = uow.session.scalars(
            select(RequisitionCandidate)
            .join(Person, Person.id == RequisitionCandidate.person_id)
            .where(
                RequisitionCandidate.requisition_id == requisition_id,
                visible_people(uow.actor.roles, uow.actor.person_id),
            )
            # Links made before revision 0005 have no date: first, on both databases.
            .order_by(
                RequisitionCandidate.added_at.asc().nulls_first(), RequisitionCandidate.person_id
            )
        ).all()
        return [candidate_record(uow, link) for link in links]


def move_candidate(
    store: Store,
    actor: Actor,
    requisition_id: int,
    candidate_id: int,
    stage: str,
    *,
    reason: str = "",
) -> CandidateRecord:
    """Move a candidate to another stage of a requisition.

    Hired and rejected come from a recorded decision, not from here. Withdrawn needs a reason.
    Moving to "interviewing" sets up one interview per panel member (due after the
    requisition's scorecard_days). Moving to the stage they are in changes nothing.
    """
    with store.unit_of_work(actor) as uow:
        requisition = get_authorized(
            uow,
            Requisition,
            requisition_id,
            "candidate.stage",
            lambda found: Resource(
                "requisition", found.id, subject_id=candidate_id, requisition_id=found.id
            ),
            kind="requisition",
            what="requisition",
        )
        require_choice(stage, CANDIDATE_STAGES, "stage")
        if stage in DECIDED_STAGES:
            raise InputError(
                f"stage: {stage!r} is set by recording a hiring decision; record a decision instead"
            )
        reason = reason.strip()
        if stage == "withdrawn" and not reason:
            raise InputError("reason: say why the candidate withdrew")
        if len(reason) > REASON_LIMIT:
            raise InputError(f"reason: longer than {REASON_LIMIT} characters")
        link = (
            None
            if storable_id(candidate_id) is None
            else uow.session.get(RequisitionCandidate, (requisition_id, candidate_id))
        )
        if link is None:
            raise InputError(f"candidate: {candidate_id} is not a candidate on this requisition")
        if link.stage == stage:
            return candidate_record(uow, link)
        if link.stage in DECIDED_STAGES:
            raise InputError(
                f"stage: the candidate is {link.stage} by a recorded decision; only a new "
                "decision changes that"
            )
        if requisition.status in CLOSED_STATUSES:
            raise InputError(
                f"requisition {requisition.id} is {requisition.status}; reopen it first"
            )
        before = {"stage": link.stage}
        link.stage = stage
        link.stage_changed_at = uow.now
        uow.session.flush()
        after: dict[str, object] = {"stage": stage, "candidate": candidate_id}
        if reason:
            after["reason"] = reason
        uow.audit("candidate.stage", "requisition", requisition_id, before, after)
        if stage == "interviewing":
            panel = uow.session.scalars(
                select(PanelMember.person_id).where(PanelMember.requisition_id == requisition_id)
            ).all()
            create_missing_interviews(uow, requisition, [candidate_id], list(panel))
        return candidate_record(uow, link)
