"""The permission table: for each action, the roles that may do it and the scope that limits them.

For example a manager may start a manager assessment only of their own reports.
`docs/security.md` shows the same table (permissions_markdown) and a test checks the two agree.
access.py checks an actor against it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from skillmatrix.storage.actors import ROLES
from skillmatrix.storage.scope_checks import SCOPES

EMP, MGR, INT, HMG, HR, ADM = ROLES
_EVERYONE_NARROWED = dict.fromkeys(ROLES, "narrowed") | {HR: "all"}
_NOT_HR_OR_ADMIN = (EMP, MGR, INT, HMG)
_READERS = dict.fromkeys(_NOT_HR_OR_ADMIN, "visible-person")
_RATERS = dict.fromkeys(_NOT_HR_OR_ADMIN, "own-rating") | {HR: "all"}

PERMISSIONS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "people.list": _EVERYONE_NARROWED | {ADM: "all"},
        "people.read": _READERS | {HR: "all", ADM: "all"},
        "people.create": {HMG: "candidate", HR: "all", ADM: "all"},
        "people.update": {HR: "all", ADM: "all"},
        "people.delete": {HR: "all"},
        "assessment.start.self": {EMP: "own-self", HR: "all"},
        "assessment.start.manager": {MGR: "own-report", HR: "all"},
        "assessment.start.peer": {EMP: "own-peer", HR: "all"},
        "assessment.start.interview": {INT: "own-panel", HMG: "own-requisition-panel", HR: "all"},
        "assessment.save": _RATERS,
        "assessment.submit": _RATERS,
        # HR reads any assessment except one peer's answer (only the aggregate is shown).
        "assessment.read": dict.fromkeys(ROLES, "visible-assessment") | {HR: "not-peer-answer"},
        "assessment.list": _EVERYONE_NARROWED,
        "team.read": dict.fromkeys(_NOT_HR_OR_ADMIN, "narrowed") | {HR: "all"},
        # Skills inventory and succession (Part 10): a manager searches the chain below them
        # (narrowed), HR everyone; "roles you already fit" is one's own, or a report's.
        "inventory.search": {MGR: "narrowed", HR: "all"},
        "succession.bench": {MGR: "narrowed", HR: "all"},
        "roles.fit": dict.fromkeys(_NOT_HR_OR_ADMIN, "about-self")
        | {MGR: "their-report", HR: "all"},
        # Development plans: the manager (of the whole chain below them) or HR writes and
        # agrees a plan; the employee reads it once agreed and acknowledges it themselves.
        "plan.propose": {MGR: "their-report", HR: "all"},
        "plan.revise": {MGR: "their-report", HR: "all"},
        "plan.agree": {MGR: "their-report", HR: "all"},
        "plan.complete": {MGR: "their-report", HR: "all"},
        "plan.acknowledge": {EMP: "about-self"},
        "plan.read": {EMP: "visible-plan", MGR: "visible-plan", HR: "all"},
        "plan.list": dict.fromkeys(_NOT_HR_OR_ADMIN, "narrowed") | {HR: "all"},
        "framework.read": dict.fromkeys(ROLES, "all"),
        "framework.list": dict.fromkeys(ROLES, "all"),
        # Recording the edition in use is not editing it, and holds no personal data: every
        # signed-in user's first assessment may need it.
        "framework.snapshot": dict.fromkeys(ROLES, "all"),
        "framework.remap": {HR: "all"},
        "requisition.create": {HMG: "own-new-requisition", HR: "all"},
        "requisition.panel": {HMG: "own-requisition", HR: "all"},
        "requisition.candidate": {HMG: "own-requisition", HR: "all"},
        "requisition.update": {HMG: "own-requisition", HR: "all"},
        "requisition.list": _EVERYONE_NARROWED,
        "panel.results": {INT: "panel-after-own", HMG: "own-requisition-blind", HR: "all"},
        # Hiring rounds (Part 9): the hiring manager runs their requisitions; HR runs every one
        # and alone may override a decision; interviewers see their own interviews.
        "candidate.import": {HMG: "own-requisition", HR: "all"},
        "candidate.stage": {HMG: "own-requisition", HR: "all"},
        "interview.plan": {HMG: "own-requisition", HR: "all"},
        "interview.list": dict.fromkeys(_NOT_HR_OR_ADMIN, "narrowed") | {HR: "all"},
        "debrief.open": {HMG: "own-requisition", HR: "all"},
        "debrief.read": {HMG: "own-requisition-blind", HR: "all"},
        "decision.record": {HMG: "own-requisition", HR: "all"},
        "decision.override": {HR: "all"},
        "decision.read": {HMG: "own-requisition", HR: "all"},
        # The notification outbox: everyone reads and dismisses their own notices.
        "notification.list": dict.fromkeys(ROLES, "about-self") | {HR: "all"},
        "notification.read": dict.fromkeys(ROLES, "about-self") | {HR: "all"},
        "notification.send": {HR: "all", ADM: "all"},
        # Review cycles (Part 10): HR runs them; a manager follows their people's progress;
        # everyone lists the cycles they take part in.
        "cycle.open": {HR: "all"},
        "cycle.close": {HR: "all"},
        "cycle.list": dict.fromkeys(_NOT_HR_OR_ADMIN, "narrowed") | {HR: "all"},
        "cycle.progress": {MGR: "narrowed", HR: "all"},
        "cycle.export": {HR: "all"},
        # Peer feedback: asked by the person or their manager; answered by the named peer only;
        # the aggregate (never one peer's answer) reaches the person and their manager.
        "peer.request": {EMP: "about-self", MGR: "their-report", HR: "all"},
        "peer.list": dict.fromkeys(_NOT_HR_OR_ADMIN, "narrowed") | {HR: "all"},
        "peer.answer": {EMP: "own-rating"},
        "peer.aggregate": {EMP: "about-self", MGR: "their-report", HR: "all"},
        # Calibration: HR records an adjustment agreed in a calibration session; a manager reads
        # the calibration view of themselves and of the managers below them.
        "calibration.read": {MGR: "self-or-report", HR: "all"},
        "calibration.adjust": {HR: "all"},
        "retention.purge": {HR: "all"},
        "audit.read": {HR: "all"},
        "store.backup": {HR: "all", ADM: "all"},
        "demo.load": {HR: "all", ADM: "all"},
        "data.import.people": {HR: "all"},
        "data.import.ratings": {HR: "all"},
        "data.export.people": {HR: "all"},
        "data.export.ratings": {HR: "all"},
        "privacy.export": {HR: "all"},
        "privacy.erase": {HR: "all"},
        "identity.list": {ADM: "all"},
        "identity.grant": {ADM: "all"},
        "identity.revoke": {ADM: "all"},
    }
)


ACTION_TEXT: Mapping[str, str] = MappingProxyType(
    {
        "people.list": "list people",
        "people.read": "read a person's record",
        "people.create": "add a person",
        "people.update": "change a person's record",
        "people.delete": "delete a person",
        "assessment.start.self": "start a self assessment",
        "assessment.start.manager": "start a manager assessment",
        "assessment.start.peer": "start a peer assessment",
        "assessment.start.interview": "start an interview scorecard",
        "assessment.save": "save a draft",
        "assessment.submit": "submit an assessment",
        "assessment.read": "read an assessment",
        "assessment.list": "list assessments",
        "team.read": "team matrix",
        "inventory.search": "search the skills inventory",
        "succession.bench": "see the bench for a role",
        "roles.fit": "see the roles a person already fits",
        "plan.propose": "propose a development plan",
        "plan.revise": "revise a development plan",
        "plan.agree": "agree a development plan",
        "plan.complete": "mark a development plan done",
        "plan.acknowledge": "acknowledge one's agreed plan",
        "plan.read": "read a development plan",
        "plan.list": "list development plans",
        "framework.read": "read a framework edition",
        "framework.list": "list framework editions",
        "framework.snapshot": "record the framework edition in use",
        "framework.remap": "remap competencies between editions",
        "requisition.create": "open a requisition",
        "requisition.panel": "add an interviewer to a panel",
        "requisition.candidate": "add a candidate to a requisition",
        "requisition.update": "open, close or fill a requisition",
        "requisition.list": "list requisitions",
        "panel.results": "panel consensus of a candidate",
        "candidate.import": "import candidates into a requisition",
        "candidate.stage": "move a candidate to another stage",
        "interview.plan": "set the interview plan (interviewers and focus areas)",
        "interview.list": 'list interviews ("my interviews")',
        "debrief.open": "open a requisition's debrief",
        "debrief.read": "read a requisition's debrief",
        "decision.record": "record a hiring decision",
        "decision.override": "override a hiring decision",
        "decision.read": "read hiring decisions",
        "notification.list": "list notifications",
        "notification.read": "mark a notification read",
        "notification.send": "compute reminders and send notifications",
        "cycle.open": "open a review cycle",
        "cycle.close": "close a review cycle",
        "cycle.list": "list review cycles",
        "cycle.progress": "follow a review cycle's progress",
        "cycle.export": "export a review cycle's results",
        "peer.request": "ask peers for feedback",
        "peer.list": "list peer feedback requests",
        "peer.answer": "answer or decline a peer feedback request",
        "peer.aggregate": "read the peer feedback aggregate",
        "calibration.read": "read the calibration view and adjustments",
        "calibration.adjust": "calibrate a submitted rating (with a reason)",
        "retention.purge": "purge candidates past retention",
        "audit.read": "read the audit log",
        "store.backup": "back up the store",
        "demo.load": "load the demo organisation",
        "data.import.people": "import people",
        "data.import.ratings": "import ratings",
        "data.export.people": "export people",
        "data.export.ratings": "export ratings",
        "privacy.export": "export everything about a person",
        "privacy.erase": "erase a person",
        "identity.list": "list sign-in identities",
        "identity.grant": "grant roles to an identity",
        "identity.revoke": "revoke roles from an identity",
    }
)


def permissions_markdown() -> str:
    """The permission table as Markdown (docs/security.md embeds it; a test keeps them equal)."""
    header = ["action", *ROLES]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for action, rules in PERMISSIONS.items():
        cells = []
        for role in ROLES:
            scope = rules.get(role)
            cells.append("—" if scope is None else "yes" if scope == "all" else SCOPES[scope].text)
        lines.append(f"| {ACTION_TEXT[action]} (`{action}`) | " + " | ".join(cells) + " |")
    return "\n".join(lines)
