"""A store and framework where every user-controlled field holds hostile Markdown and HTML.

Person names, teams, requisition titles, evidence notes, plan goals, and the names, level
names and indicators of the framework all carry PAYLOAD behind a tag that says which field it
is, so a test can tell both that the text is shown and that it is shown as plain text.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from factories import competency_doc, role_doc, write_framework
from skillmatrix.framework.loader import load_framework
from skillmatrix.storage import LOCAL_ADMIN, Actor, RatingInput, Store, services
from skillmatrix.storage.services.plans import PlanGoal

LINK = "[click](https://example.org)"
IMAGE = "![t](http://host/t.png)"
SHORT_PAYLOAD = f"{LINK} {IMAGE} <b>b</b> :red[r] $x^2$"
"""A link, an image, HTML, a colour directive and LaTeX: short enough for a team name."""
PAYLOAD = (
    f"{SHORT_PAYLOAD} <img src=x> <https://a.example> https://b.example www.c.example me@d.example"
)
"""SHORT_PAYLOAD, more HTML, an autolink, bare URLs and an email (fits a person's name)."""


def hostile(tag: str, payload: str = PAYLOAD) -> str:
    """`payload` behind `tag`, the words that name the field it is put in."""
    return f"{tag} {payload}"


COMPETENCIES = ["communication", "forecasting", "negotiation", "coaching"]
TAGS = {
    "person": "Rep",
    "team": "Team",
    "requisition": "Req",
    "evidence": "Evidence",
    "plan goal": "Goal",
    "framework": "Framework",
    "family": "Family",
    "category": "Category",
    "scale": "Scale",
    "competency": "Skill",
    "indicator": "Indicator",
    "level summary": "Summary",
    "role": "Role",
    "interview question": "Question",
    "follow-up": "FollowUp",
    "looking for": "LookFor",
    "cycle": "Cycle",
}
"""Every hostile field and the tag that marks its text."""

PEOPLE = ("boss", "mgr", "emp1", "emp2", "hm", "int1", "int2", "hrp")
"""Who is in the world: boss > mgr > emp1, emp2; a hiring manager, two interviewers, HR."""


def name_of(key: str) -> str:
    """The hostile name of person `key`."""
    return hostile(f"{TAGS['person']} {key}")


def _competency(ident: str) -> dict[str, Any]:
    doc = competency_doc(ident, indicators=3)
    doc["name"] = hostile(f"{TAGS['competency']} {ident}")
    doc["description"] = hostile("Description")
    for level, content in doc["levels"].items():
        content["summary"] = hostile(f"{TAGS['level summary']} {level}")
        content["indicators"] = [
            hostile(f"{TAGS['indicator']} {ident} {level}.{i}") for i in range(1, 4)
        ]
    if ident != COMPETENCIES[-1]:  # the last one keeps no kit: the page falls back to indicators
        doc["interview"] = {
            "questions": [
                {
                    "question": hostile(f"{TAGS['interview question']} {ident}"),
                    "follow_ups": [hostile(f"{TAGS['follow-up']} {ident}")],
                }
            ],
            "looking_for": {
                str(level): [hostile(f"{TAGS['looking for']} {ident} {level}")]
                for level in range(1, 6)
            },
        }
    return doc


def write_hostile_framework(root: Path) -> Path:
    """A valid framework whose every name, level name and indicator is hostile."""
    roles = {
        "account-executive": role_doc(
            "account-executive",
            {"communication": {"level": 3, "critical": True}, "forecasting": 3, "negotiation": 3},
            next_roles=("sales-manager",),
            salary=(60000, 80000),
        ),
        "sales-manager": role_doc(
            "sales-manager", {"communication": 4, "forecasting": 4, "coaching": 3}
        ),
    }
    for ident, doc in roles.items():
        doc["title"] = hostile(f"{TAGS['role']} {ident}")
        doc["summary"] = hostile("Role summary")
    settings = {
        "name": hostile(TAGS["framework"]),
        "version": hostile("Edition", f"{LINK} {IMAGE}"),  # at most 64 characters
        "families": {"sales": {"name": hostile(TAGS["family"])}},
        "categories": {"core": {"name": hostile(TAGS["category"])}},
        "scale": {
            str(level): {"name": hostile(f"{TAGS['scale']} {level}"), "description": "A level."}
            for level in range(1, 6)
        },
        "attribution": {"source": hostile("Source"), "licence": hostile("Licence")},
    }
    docs = {c: _competency(c) for c in COMPETENCIES}
    return write_framework(root, docs, roles, settings=settings)


def build_hostile_store(store: Store, framework_dir: Path) -> dict[str, int]:
    """People, a requisition, assessments and an agreed plan, all with hostile text; ids by key."""
    framework = services.snapshot_framework(
        store, LOCAL_ADMIN, services.framework_documents(framework_dir)
    )
    assert framework.content_hash == load_framework(framework_dir).content_hash
    ids: dict[str, int] = {}
    managers = {"mgr": "boss", "emp1": "mgr", "emp2": "mgr"}
    for key in PEOPLE:
        ids[key] = services.add_person(
            store,
            LOCAL_ADMIN,
            name=name_of(key),
            email=f"{key}@example.org",
            manager_id=ids[managers[key]] if key in managers else None,
            team=hostile(f"{TAGS['team']} {'north' if key != 'hm' else 'south'}", SHORT_PAYLOAD),
            role_id="account-executive" if key.startswith("emp") else "sales-manager",
        ).id
    ids["cand"] = services.add_person(
        store, LOCAL_ADMIN, name=name_of("cand"), email="cand@example.org", kind="candidate"
    ).id
    requisition = services.create_requisition(
        store,
        LOCAL_ADMIN,
        title=hostile(TAGS["requisition"]),
        role_id="account-executive",
        hiring_manager_id=ids["hm"],
    )
    ids["req"] = requisition.id
    for member in ("int1", "int2"):
        services.add_panel_member(store, LOCAL_ADMIN, requisition.id, ids[member])
    services.add_candidate(store, LOCAL_ADMIN, requisition.id, ids["cand"])
    # Interviewing: the panel's interviews exist, so My interviews shows the hostile names.
    services.move_candidate(store, LOCAL_ADMIN, requisition.id, ids["cand"], "interviewing")

    def assess(
        subject: str, rater: str, kind: str, levels: dict[str, int], *, submit: bool
    ) -> None:
        record = services.start_assessment(
            store,
            LOCAL_ADMIN,
            subject_id=ids[subject],
            rater_id=ids[rater],
            kind=kind,
            role_id="account-executive",
            framework_hash=framework.content_hash,
            requisition_id=requisition.id if kind == "interview" else None,
        )
        evidence = hostile(f"{TAGS['evidence']} {rater} on {subject}")
        ratings = [RatingInput(c, level, evidence=evidence) for c, level in levels.items()]
        if not submit:
            # A draft whose first competency was rated by ticking indicators: the form then
            # shows the indicators and the derived level.
            first = RatingInput(COMPETENCIES[0], None, {1: [1, 2, 3], 2: [1]}, evidence=evidence)
            ratings = [first, *ratings[1:]]
        if submit:
            summary = (
                {"recommendation": "yes", "takeaways": evidence} if kind == "interview" else {}
            )
            services.submit_assessment(
                store,
                LOCAL_ADMIN,
                record.id,
                expected_version=record.version,
                ratings=ratings,
                **summary,
            )
        else:
            services.save_draft(
                store, LOCAL_ADMIN, record.id, ratings, expected_version=record.version
            )

    # Self and manager two levels apart: blind spots and hidden strengths name competencies.
    assess(
        "emp1",
        "emp1",
        "self",
        {"communication": 4, "forecasting": 1, "negotiation": 2},
        submit=True,
    )
    assess(
        "emp1",
        "mgr",
        "manager",
        {"communication": 2, "forecasting": 3, "negotiation": 2},
        submit=True,
    )
    assess("emp2", "emp2", "self", {"communication": 2, "forecasting": 2}, submit=False)
    # The manager's draft also holds a rating the form does not ask about (not in the role).
    assess(
        "emp2",
        "mgr",
        "manager",
        {"communication": 1, "forecasting": 2, "coaching": 2},
        submit=False,
    )
    assess(
        "cand",
        "int2",
        "interview",
        {"communication": 3, "forecasting": 1, "negotiation": 4},
        submit=True,
    )
    assess("cand", "int1", "interview", {"communication": 3, "forecasting": 2}, submit=False)
    plan = services.propose_plan(
        store,
        LOCAL_ADMIN,
        person_id=ids["emp1"],
        role_id="account-executive",
        framework_hash=framework.content_hash,
        goals=[
            PlanGoal("communication", 2, 3, notes=hostile(TAGS["plan goal"]), due=date(2030, 1, 31))
        ],
    )
    services.agree_plan(store, LOCAL_ADMIN, plan.id, expected_version=plan.version)
    _cycle_and_peers(store, framework.content_hash, ids)
    return ids


def _cycle_and_peers(store: Store, framework_hash: str, ids: dict[str, int]) -> None:
    """A review cycle with a hostile name over the north team; emp1 asked emp2 and hrp."""
    from skillmatrix.storage.services.cycles import open_cycle
    from skillmatrix.storage.services.peer_feedback import answer_request, request_feedback

    north = services.get_person(store, LOCAL_ADMIN, ids["emp1"]).team or ""
    open_cycle(
        store,
        LOCAL_ADMIN,
        name=hostile(TAGS["cycle"]),
        framework_hash=framework_hash,
        teams=[north],
        kinds=["self", "manager", "peer"],
        self_due=date(2099, 1, 15),
        manager_due=date(2099, 1, 31),
        peer_due=date(2099, 1, 22),
    )
    asked = request_feedback(
        store,
        LOCAL_ADMIN,
        subject_id=ids["emp1"],
        peer_ids=[ids["emp2"], ids["hrp"]],
        competencies=["communication", "negotiation"],
        framework_hash=framework_hash,
    )
    answer_request(
        store,
        Actor(ids["emp2"], frozenset({"employee"})),
        asked[0].id,
        [RatingInput("communication", 3, evidence=hostile(TAGS["evidence"]))],
    )
