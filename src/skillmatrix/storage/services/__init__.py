"""The service layer: the only way the app and the CLI read or change stored data.

Every function takes the open Store and the acting Actor, runs in one transaction, checks the
permission hook (skillmatrix.storage.access.authorize) and writes the audit log in that same
transaction.
"""

from __future__ import annotations

from skillmatrix.storage.services.assessment_views import (
    current_levels,
    get_assessment,
    list_assessments,
    team_matrix,
)
from skillmatrix.storage.services.assessments import (
    save_draft,
    save_scorecard_summary,
    start_assessment,
    submit_assessment,
)
from skillmatrix.storage.services.candidates import (
    CandidateInput,
    add_requisition_candidate,
    import_candidates,
    list_candidates,
    move_candidate,
)
from skillmatrix.storage.services.debriefs import (
    Debrief,
    DebriefCandidate,
    PendingScorecard,
    ScorecardNote,
    get_debrief,
    open_debrief,
)
from skillmatrix.storage.services.decisions import (
    DecisionRecord,
    list_decisions,
    record_decision,
)
from skillmatrix.storage.services.exports import export_people, export_ratings
from skillmatrix.storage.services.frameworks import (
    RemapRecord,
    SnapshotRecord,
    framework_documents,
    get_framework,
    list_snapshots,
    parse_level_map,
    record_remap,
    snapshot_framework,
)
from skillmatrix.storage.services.hiring import (
    add_candidate,
    add_panel_member,
    create_requisition,
    list_requisitions,
    panel_results,
    set_requisition_status,
)
from skillmatrix.storage.services.identities import (
    IdentityRecord,
    grant_access,
    list_access,
    resolve_actor,
    revoke_access,
)
from skillmatrix.storage.services.interview_plans import (
    interview_plan,
    list_interviews,
    remove_interviewer,
    set_interviewer,
)
from skillmatrix.storage.services.maintenance import audit_log, backup_sqlite, purge_candidates
from skillmatrix.storage.services.people import (
    add_person,
    count_people,
    delete_person,
    find_person,
    get_person,
    list_people,
    update_person,
)
from skillmatrix.storage.services.people_import import import_people
from skillmatrix.storage.services.plans import (
    PlanGoal,
    PlanRecord,
    acknowledge_plan,
    agree_plan,
    complete_plan,
    get_plan,
    latest_plan,
    list_plans,
    propose_plan,
    revise_plan,
)
from skillmatrix.storage.services.privacy import (
    ErasureReport,
    erase_person,
    export_person_data,
)
from skillmatrix.storage.services.ratings_import import import_ratings
from skillmatrix.storage.services.requisitions import (
    RequisitionFields,
    edit_requisition,
    fields_of,
    get_requisition,
    open_requisition,
)

__all__ = [
    "ErasureReport",
    "IdentityRecord",
    "PlanGoal",
    "PlanRecord",
    "RemapRecord",
    "SnapshotRecord",
    "acknowledge_plan",
    "add_candidate",
    "add_panel_member",
    "add_person",
    "agree_plan",
    "audit_log",
    "backup_sqlite",
    "complete_plan",
    "count_people",
    "create_requisition",
    "current_levels",
    "delete_person",
    "erase_person",
    "export_people",
    "export_person_data",
    "export_ratings",
    "find_person",
    "framework_documents",
    "get_assessment",
    "get_framework",
    "get_person",
    "get_plan",
    "grant_access",
    "import_people",
    "import_ratings",
    "latest_plan",
    "list_access",
    "list_assessments",
    "list_people",
    "list_plans",
    "list_requisitions",
    "list_snapshots",
    "panel_results",
    "parse_level_map",
    "propose_plan",
    "purge_candidates",
    "record_remap",
    "resolve_actor",
    "revise_plan",
    "revoke_access",
    "save_draft",
    "set_requisition_status",
    "snapshot_framework",
    "start_assessment",
    "submit_assessment",
    "team_matrix",
    "update_person",
]

# The hiring round (Part 9): requisitions, candidates, the interview plan, interviews.
__all__ += [
    "CandidateInput",
    "RequisitionFields",
    "add_requisition_candidate",
    "edit_requisition",
    "fields_of",
    "get_requisition",
    "import_candidates",
    "interview_plan",
    "list_candidates",
    "list_interviews",
    "move_candidate",
    "open_requisition",
    "remove_interviewer",
    "set_interviewer",
]

# The hiring round's end (Part 9): the debrief and the decision.
__all__ += [
    "Debrief",
    "DebriefCandidate",
    "DecisionRecord",
    "PendingScorecard",
    "ScorecardNote",
    "get_debrief",
    "list_decisions",
    "open_debrief",
    "record_decision",
    "save_scorecard_summary",
]
