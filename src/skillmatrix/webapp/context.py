"""Who is using the app, on which framework and store: the session context every page reads."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skillmatrix.errors import FrameworkError, SkillmatrixError
from skillmatrix.framework.issues import Severity
from skillmatrix.framework.loader import validate_cached
from skillmatrix.framework.model import Framework
from skillmatrix.framework.validation import COMPETENCY_DIR, ROLE_DIR
from skillmatrix.storage import LOCAL_ADMIN, Actor, PersonRecord, RequisitionRecord, Store, services
from skillmatrix.storage.demo import DemoSummary, load_demo
from skillmatrix.webapp.safe_text import escape_markdown

LOCAL_MODE_LABEL = (
    "Local single-user mode: no sign-in. You choose who you act as; "
    "use it on your own machine only, never as a shared server."
)
HR_IDENTITY = "HR administrator (no person record)"
HR_CHOICE = "hr"
"""The "act as" choice for the HR administrator (Streamlit shows a None choice as empty)."""
CONTEXT_KEY = "skillmatrix.context"
"""Where app.py leaves the AppContext in the session state for the pages."""


@dataclass(frozen=True, slots=True)
class CurrentUser:
    """The person the app acts for (None for the HR administrator), their roles and the mode."""

    person: PersonRecord | None
    roles: frozenset[str]
    mode: str = "local"

    @property
    def actor(self) -> Actor:
        """The actor every service call is made as."""
        if self.person is None:
            return LOCAL_ADMIN
        return Actor(self.person.id, self.roles, self.person.name)

    @property
    def is_hr(self) -> bool:
        """True when the user has HR or admin rights."""
        return bool(self.roles & {"hr", "admin"})

    @property
    def label(self) -> str:
        """How the user is named in the sidebar."""
        name = self.person.name if self.person else HR_IDENTITY
        return f"{name} · {', '.join(sorted(self.roles)) or 'no roles'}"


def acting_as(user: CurrentUser) -> str:
    """Who the app acts as, for the line every page shows: a person's name, or HR's identity."""
    return user.person.name if user.person else HR_IDENTITY


@dataclass(frozen=True, slots=True)
class AppContext:
    """Everything a page needs: the framework, the open store, the people and the current user."""

    framework: Framework
    store: Store
    user: CurrentUser
    people: tuple[PersonRecord, ...]
    requisitions: tuple[RequisitionRecord, ...]

    def person(self, person_id: int) -> PersonRecord | None:
        """A person by id among those loaded for this run."""
        for person in self.people:
            if person.id == person_id:
                return person
        return None

    def name(self, person_id: int | None) -> str:
        """A person's name, or a placeholder when they are unknown (for example deleted)."""
        person = self.person(person_id) if person_id is not None else None
        return person.name if person else f"person {person_id}"

    @property
    def employees(self) -> tuple[PersonRecord, ...]:
        """The employees (not candidates)."""
        return tuple(p for p in self.people if p.kind == "employee")


def page_context(state: Mapping[str, Any]) -> AppContext:
    """The AppContext app.py stored for this run; SkillmatrixError when there is none."""
    context = state.get(CONTEXT_KEY)
    if not isinstance(context, AppContext):
        raise SkillmatrixError("the app context is missing: start the app with `make app`")
    return context


def framework_fingerprint(path: Path | str) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of a framework's files: changes when HR edits one.

    Cheap enough to compute on every rerun, so an edited framework is picked up without a
    restart while an unchanged one is served from the cache.
    """
    root = Path(path)
    entries: list[tuple[str, int, int]] = []
    for folder in (root, root / COMPETENCY_DIR, root / ROLE_DIR):
        try:
            with os.scandir(folder) as scan:
                for entry in scan:
                    if entry.is_file() and entry.name.endswith((".yaml", ".yml")):
                        stat = entry.stat()
                        entries.append((entry.path, stat.st_size, stat.st_mtime_ns))
        except OSError:
            continue
    return tuple(sorted(entries))


def load_app_framework(store: Store, path: Path | str) -> Framework:
    """Validate the framework at `path`, keep its edition in the store and return it.

    Raises FrameworkError with every located error when it is invalid; warnings do not stop
    the app (HR sees them on the Framework check page).
    """
    report, documents = validate_cached(path)
    if documents is None:
        errors = [issue for issue in report.issues if issue.severity is Severity.ERROR]
        raise FrameworkError(f"{report.root}: the framework has {len(errors)} error(s)", errors)
    # Keeping the edition in the store lets assessments name it by content hash forever.
    return services.snapshot_framework(store, LOCAL_ADMIN, documents)


def store_is_empty(store: Store) -> bool:
    """True when the store holds nobody yet (the app then offers the demo organisation)."""
    return services.count_people(store, LOCAL_ADMIN) == 0


def load_demo_organisation(store: Store, framework_path: Path | str) -> DemoSummary:
    """Fill a fresh store with the fictional demo organisation."""
    return load_demo(store, LOCAL_ADMIN, framework_path)


def default_person(people: Sequence[PersonRecord]) -> PersonRecord | None:
    """Who a fresh session acts as: an ordinary team member, so the first page shows real data.

    That is the first employee (by id) who has a manager and no reports; failing that, the first
    employee; failing that, nobody (the HR administrator).
    """
    employees = sorted((p for p in people if p.kind == "employee"), key=lambda p: p.id)
    managers = {p.manager_id for p in people if p.manager_id is not None}
    for person in employees:
        if person.manager_id is not None and person.id not in managers:
            return person
    return employees[0] if employees else None


def infer_roles(
    person: PersonRecord | None,
    people: Iterable[PersonRecord],
    requisitions: Iterable[RequisitionRecord],
    *,
    hr: bool = False,
) -> frozenset[str]:
    """The app roles of `person` from the store: employee, manager, interviewer, hiring manager.

    In local mode the roles follow from the data (who manages whom, who sits on which panel);
    `hr` adds HR rights. Nobody (the HR administrator) has hr and admin.
    """
    if person is None:
        return frozenset({"hr", "admin"})
    roles: set[str] = {"employee"} if person.kind == "employee" else set()
    if any(p.manager_id == person.id for p in people):
        roles.add("manager")
    for requisition in requisitions:
        if person.id in requisition.panel:
            roles.add("interviewer")
        if requisition.hiring_manager_id == person.id:
            roles.add("hiring-manager")
    if hr:
        roles.add("hr")
    return frozenset(roles)


def build_context(
    store: Store,
    framework: Framework,
    people: Sequence[PersonRecord] | None = None,
    *,
    person_id: int | None,
    hr: bool = False,
) -> AppContext:
    """Read the people (unless given) and requisitions and make the context for one rerun."""
    people = tuple(services.list_people(store, LOCAL_ADMIN) if people is None else people)
    requisitions = tuple(services.list_requisitions(store, LOCAL_ADMIN))
    person = next((p for p in people if p.id == person_id), None)
    roles = infer_roles(person, people, requisitions, hr=hr)
    return AppContext(framework, store, CurrentUser(person, roles), people, requisitions)


def list_everyone(store: Store) -> list[PersonRecord]:
    """Everyone in the store, for the "act as" picker of local mode."""
    return services.list_people(store, LOCAL_ADMIN)


def settle_identity(
    state: MutableMapping[str, Any], key: str, people: Sequence[PersonRecord]
) -> None:
    """Make sure the "act as" choice in `state` is one of the current people (or the default)."""
    if state.get(key) not in identity_options(people):
        first = default_person(people)
        state[key] = first.id if first else HR_CHOICE


def identity_options(people: Sequence[PersonRecord]) -> list[int | str]:
    """The choices of the "act as" picker: the HR administrator, then every employee."""
    return [HR_CHOICE, *(p.id for p in people if p.kind == "employee")]


def person_id_of(choice: object) -> int | None:
    """The person id an "act as" choice stands for (None for the HR administrator)."""
    return choice if isinstance(choice, int) and not isinstance(choice, bool) else None


def identity_label(people: Sequence[PersonRecord], option: int | str) -> str:
    """How an "act as" choice is shown: name, team and role id."""
    if not isinstance(option, int):
        return HR_IDENTITY
    for person in people:
        if person.id == option:
            details = ", ".join(x for x in (person.team, person.role_id) if x)
            return f"{person.name} ({details})" if details else person.name
    return f"person {option}"


def reports_of(people: Sequence[PersonRecord], manager_id: int) -> list[PersonRecord]:
    """Everyone below `manager_id` in the management chain, direct reports first."""
    below: list[PersonRecord] = []
    frontier = [manager_id]
    seen = {manager_id}
    while frontier:
        current = frontier.pop(0)
        for person in people:
            if person.manager_id == current and person.id not in seen:
                seen.add(person.id)
                below.append(person)
                frontier.append(person.id)
    return below


def people_in_scope(context: AppContext) -> list[PersonRecord]:
    """The employees the user may look at: HR everyone, a manager themself and their reports.

    This only narrows what the pickers offer; the service layer's permission hook is where
    access is enforced (Part 5).
    """
    user = context.user
    if user.is_hr:
        return list(context.employees)
    if user.person is None:
        return []
    return [user.person, *(p for p in reports_of(context.people, user.person.id))]


def error_text(error: Exception) -> str:
    """The message of `error` and, for a framework error, every located issue, Markdown-escaped.

    Messages quote user input (names, file names, values), so they are escaped before st.error
    renders them.
    """
    lines = [str(error)]
    lines.extend(issue.format() for issue in getattr(error, "issues", ()))
    return escape_markdown("\n".join(lines))
