"""The To do page's logic: the user's reminders, where each one leads, and a cheap own sweep.

The page shows the actor's unread notices (HR may look at everyone's). Opening the page runs
the reminders sweep for the actor's own items, at most once a minute per session: the sweep
is a handful of indexed queries (docs/hiring.md has the measurement), and the throttle keeps a
rerun (every click) from repeating it.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from skillmatrix.errors import PermissionDeniedError
from skillmatrix.storage import Store
from skillmatrix.storage.access import Actor
from skillmatrix.storage.services.notifications import (
    NOTIFICATION_KINDS,
    NotificationRecord,
    count_unread,
    list_notifications,
    mark_read,
)
from skillmatrix.storage.services.reminders import sweep

SWEEP_EVERY_SECONDS = 60.0
"""A session sweeps its own reminders at most this often."""
SWEPT_KEY = "todo.swept_at"
OPEN_KEY = "todo.open"
"""Where a link's button leaves the page to switch to."""
KEPT_ACROSS_PAGES = ("act_as", "as_hr")
"""app.py's sidebar widgets (local mode) whose values must survive a page switch."""
APP_PAGES = Path(__file__).resolve().parents[3] / "app_pages"

KIND_LABELS = {
    "scorecard-due": "Scorecard due",
    "scorecard-overdue": "Scorecard overdue",
    "debrief-ready": "Debrief ready",
    "decision-recorded": "Decision",
    "cycle-self-due": "Self assessment due",
    "cycle-self-overdue": "Self assessment overdue",
    "cycle-review-due": "Manager review due",
    "cycle-review-overdue": "Manager review overdue",
    "peer-request-due": "Peer feedback due",
    "rating-calibrated": "Rating calibrated",
}
# Each entity a notice is about, and the pages (in app_pages/) that show it, best first: the
# debrief page when this app has one, else the requisition. Someone who does not run
# requisitions (an interviewer told of a decision) is sent to their interviews instead.
ENTITY_PAGES = {
    "scorecard": (("interview_scorecard", "Open the scorecard"),),
    "debrief": (("debrief", "Open the debrief"), ("requisitions", "Open the requisition")),
    "requisition": (("requisitions", "Open the requisition"),),
    "cycle": (("review_cycles", "Open the review cycle"),),
    "peer-request": (("peer_feedback", "Open peer feedback"),),
    "calibration": (("calibration", "Open calibration"),),
}
RUNS_REQUISITIONS = frozenset({"hiring-manager", "hr"})
PANEL_PAGE = ("my_interviews", "Open my interviews")


@dataclass(frozen=True, slots=True)
class TodoLink:
    """Where a notice leads: a page, the button's label, and the choices to preselect there."""

    page: str
    label: str
    state: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TodoItem:
    """One line of the To do list."""

    id: int
    kind: str
    subject: str
    body: str
    when: str
    recipient_id: int
    link: TodoLink | None


def kind_label(kind: str) -> str:
    """A notice kind as the list names it."""
    if kind in KIND_LABELS:
        return KIND_LABELS[kind]
    known = NOTIFICATION_KINDS.get(kind)
    return known.text.capitalize() if known else kind


def link_for(
    notice: NotificationRecord, roles: frozenset[str] = RUNS_REQUISITIONS, pages: Path = APP_PAGES
) -> TodoLink | None:
    """The page a notice is about for someone with `roles`, if that page exists in this app."""
    choices = ENTITY_PAGES.get(notice.entity, ())
    if notice.entity in {"debrief", "requisition"} and not roles & RUNS_REQUISITIONS:
        choices = (PANEL_PAGE,)
    found = next(((p, t) for p, t in choices if (pages / f"{p}.py").is_file()), None)
    if found is None:
        return None
    page, label = found
    state: dict[str, Any] = {}
    if notice.entity == "scorecard":
        requisition, _, candidate = notice.entity_id.partition(":")
        if not (requisition.isdigit() and candidate.isdigit()):
            return None
        # The scorecard page's own selectbox keys: it opens on this requisition and candidate.
        state = {"iv_requisition": int(requisition), f"iv_cand:{requisition}": int(candidate)}
    elif page == "requisitions" and notice.entity_id.isdigit():
        state = {"rq_chosen": int(notice.entity_id)}
    elif page == "review_cycles" and notice.entity_id.isdigit():
        state = {"cycle_pick": int(notice.entity_id)}
    elif page == "calibration" and notice.entity_id.isdigit():
        state = {"calibration_manager": int(notice.entity_id)}
    return TodoLink(f"app_pages/{page}.py", label, state)


def opener(state: MutableMapping[str, Any], link: TodoLink) -> Callable[[], None]:
    """A button callback that preselects the link's choices and asks the page to switch.

    It runs before the next run draws any widget, the one moment Streamlit lets the sidebar's
    choices (who you act as, HR rights) be written back: a page switch would forget them.
    """

    def run() -> None:
        kept = {key: state[key] for key in KEPT_ACROSS_PAGES if key in state}
        state.update(link.state | kept)
        state[OPEN_KEY] = link.page

    return run


def todo_item(notice: NotificationRecord, roles: frozenset[str] = RUNS_REQUISITIONS) -> TodoItem:
    """The list line of a stored notice."""
    return TodoItem(
        id=notice.id,
        kind=kind_label(notice.kind),
        subject=notice.subject,
        body=notice.body,
        when=notice.created_at.strftime("%Y-%m-%d %H:%M UTC"),
        recipient_id=notice.recipient_id,
        link=link_for(notice, roles),
    )


def sweep_if_due(
    store: Store,
    actor: Actor,
    state: MutableMapping[str, Any],
    now: datetime,
) -> bool:
    """Sweep the actor's own reminders unless this session did so within the last minute."""
    if actor.person_id is None:
        return False
    key = f"{SWEPT_KEY}:{actor.person_id}"
    last = state.get(key)
    if isinstance(last, datetime) and (now - last).total_seconds() < SWEEP_EVERY_SECONDS:
        return False
    sweep(store, actor, recipient_id=actor.person_id)
    state[key] = now
    return True


def todo_items(store: Store, actor: Actor, *, everyone: bool = False) -> list[TodoItem]:
    """The actor's unread notices (HR with `everyone`: all unread notices), newest first."""
    if actor.person_id is None and not everyone:
        return []
    return [
        todo_item(notice, actor.roles)
        for notice in list_notifications(store, actor, everyone=everyone, unread_only=True)
    ]


def badge(store: Store, actor: Actor) -> str:
    """The sidebar's line on every page, e.g. "To do: 3 unread" ("" when there is nothing)."""
    if actor.person_id is None:
        return ""
    try:
        unread = count_unread(store, actor)
    except PermissionDeniedError:
        return ""
    return f"To do: {unread} unread" if unread else ""


def title(items: Sequence[TodoItem]) -> str:
    """The page title with its count, e.g. "To do (3)"."""
    return f"To do ({len(items)})" if items else "To do"


def dismiss(store: Store, actor: Actor, notification_id: int) -> Callable[[], None]:
    """A button callback that marks one notice read."""

    def run() -> None:
        mark_read(store, actor, notification_id)

    return run
