"""What a page tells a user who has nothing to see there, in the words of the mode they are in.

Local mode's advice ("choose yourself under Act as", "tick With HR rights") names widgets that
shared mode does not have: a signed-in user cannot pick another identity or grant themself HR
rights. In shared mode the advice says who can fix it instead (an admin links a sign-in to a
person record; HR sets managers; a hiring manager adds interviewers to a panel).
"""

from __future__ import annotations

from enum import StrEnum

from skillmatrix.webapp.context import CurrentUser

NOT_LINKED = (
    "Your sign-in is not linked to a person record, so there is nothing of yours to show here. "
    "Ask an admin to link your email to your person record."
)


class Topic(StrEnum):
    """A page's "nothing to show" situation."""

    SELF_ASSESSMENT = "self-assessment"
    NOBODY_TO_SHOW = "nobody to show"
    NO_REPORTS = "no reports"
    RATE_WITHOUT_PERSON = "rate without a person record"
    NO_PANEL = "no panel"
    NO_TEAM = "no team"


_LOCAL: dict[Topic, str] = {
    Topic.SELF_ASSESSMENT: "Choose yourself under “Act as” in the sidebar to rate yourself.",
    Topic.NOBODY_TO_SHOW: (
        "Nobody to show: choose a person under “Act as”, or load the demo organisation."
    ),
    Topic.NO_REPORTS: (
        "Nobody reports to you. Act as a manager in the sidebar, or tick “With HR rights”."
    ),
    Topic.RATE_WITHOUT_PERSON: "HR can read reviews here; to rate, act as the report's manager.",
    Topic.NO_PANEL: (
        "You are on no interview panel. Act as an interviewer, or tick “With HR rights”."
    ),
    Topic.NO_TEAM: (
        "The team matrix is for managers and HR: act as a manager, or tick “With HR rights”."
    ),
}

_SHARED: dict[Topic, str] = {
    Topic.SELF_ASSESSMENT: NOT_LINKED,
    Topic.NOBODY_TO_SHOW: NOT_LINKED,
    Topic.NO_REPORTS: (
        "Nobody reports to you. If that is wrong, ask HR to record you as your reports' manager."
    ),
    Topic.RATE_WITHOUT_PERSON: (
        "You can read reviews here. Rating needs a person record: the report's manager rates "
        "them, or an admin links your sign-in to your person record."
    ),
    Topic.NO_PANEL: (
        "You are on no interview panel. The requisition's hiring manager or HR adds "
        "interviewers to its interview plan on the Requisitions page (Hiring › Requisitions)."
    ),
    Topic.NO_TEAM: (
        "The team matrix is for managers and HR, and nobody reports to you. If that is wrong, "
        "ask HR to record you as your reports' manager."
    ),
}

_NEEDS_PERSON = frozenset({Topic.NO_REPORTS, Topic.NO_PANEL, Topic.NO_TEAM})
"""Topics whose shared-mode advice assumes the user has a person record."""


def is_signed_in(user: CurrentUser) -> bool:
    """True in shared mode (a signed-in user), False in local mode."""
    return user.mode != "local"


def hint(user: CurrentUser, topic: Topic) -> str:
    """The advice for `topic`, worded for the user's mode (and person record, when signed in)."""
    if not is_signed_in(user):
        return _LOCAL[topic]
    if user.person is None and topic in _NEEDS_PERSON and not user.is_hr:
        return NOT_LINKED
    return _SHARED[topic]
