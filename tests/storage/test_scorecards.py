"""Interview scorecards: the overall recommendation and key take-aways, required to submit."""

from __future__ import annotations

import pytest

from skillmatrix.errors import ConflictError, InputError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, RatingInput, Store, services
from skillmatrix.storage.services.assessments import save_scorecard_summary


def _scorecard(store: Store, framework: Framework) -> tuple[int, int]:
    hm = services.add_person(store, LOCAL_ADMIN, name="Hana", email="hana@example.org")
    rater = services.add_person(store, LOCAL_ADMIN, name="Ivo", email="ivo@example.org")
    cand = services.add_person(
        store, LOCAL_ADMIN, name="Cleo", email="cleo@example.org", kind="candidate"
    )
    req = services.create_requisition(
        store, LOCAL_ADMIN, title="AE", role_id="account-executive", hiring_manager_id=hm.id
    )
    services.add_panel_member(store, LOCAL_ADMIN, req.id, rater.id)
    services.add_candidate(store, LOCAL_ADMIN, req.id, cand.id)
    draft = services.start_assessment(
        store,
        LOCAL_ADMIN,
        subject_id=cand.id,
        rater_id=rater.id,
        kind="interview",
        role_id="account-executive",
        framework_hash=framework.content_hash,
        requisition_id=req.id,
    )
    saved = services.save_draft(
        store, LOCAL_ADMIN, draft.id, [RatingInput("communication", 3)], expected_version=1
    )
    return draft.id, saved.version


def test_submit_needs_a_recommendation_then_takeaways(store: Store, framework: Framework) -> None:
    draft, version = _scorecard(store, framework)
    with pytest.raises(InputError, match=rf"assessment {draft}: recommendation: choose an overall"):
        services.submit_assessment(store, LOCAL_ADMIN, draft, expected_version=version)
    with pytest.raises(InputError, match=rf"assessment {draft}: takeaways: write the key"):
        services.submit_assessment(
            store, LOCAL_ADMIN, draft, expected_version=version, recommendation="yes"
        )
    # Nothing was stored by the refused submits.
    stored = services.get_assessment(store, LOCAL_ADMIN, draft)
    assert (stored.status, stored.version, stored.recommendation, stored.takeaways) == (
        "draft",
        version,
        None,
        "",
    )
    done = services.submit_assessment(
        store,
        LOCAL_ADMIN,
        draft,
        expected_version=version,
        recommendation="strong-yes",
        takeaways="  Handled the pricing objection well.  ",
    )
    assert (done.status, done.recommendation, done.takeaways) == (
        "submitted",
        "strong-yes",
        "Handled the pricing objection well.",
    )


def test_summary_saved_with_the_draft_under_the_optimistic_lock(
    store: Store, framework: Framework
) -> None:
    draft, version = _scorecard(store, framework)
    saved = save_scorecard_summary(
        store, LOCAL_ADMIN, draft, recommendation="no", takeaways="Vague.", expected_version=version
    )
    assert (saved.recommendation, saved.takeaways, saved.version) == ("no", "Vague.", version + 1)
    with pytest.raises(ConflictError, match=f"you edited version {version}"):
        save_scorecard_summary(
            store, LOCAL_ADMIN, draft, recommendation="yes", takeaways="", expected_version=version
        )
    # A draft may leave them empty again; submitting then names the field.
    cleared = save_scorecard_summary(
        store, LOCAL_ADMIN, draft, recommendation=None, takeaways="", expected_version=version + 1
    )
    assert (cleared.recommendation, cleared.takeaways) == (None, "")
    # Given on the draft save, kept by the submit.
    again = services.save_draft(
        store,
        LOCAL_ADMIN,
        draft,
        [],
        expected_version=cleared.version,
        recommendation="yes",
        takeaways="Good.",
    )
    done = services.submit_assessment(store, LOCAL_ADMIN, draft, expected_version=again.version)
    assert (done.recommendation, done.takeaways) == ("yes", "Good.")


def test_bad_summary_values_are_refused_by_field(store: Store, framework: Framework) -> None:
    draft, version = _scorecard(store, framework)
    with pytest.raises(InputError, match="recommendation: 'maybe' is not one of strong-no, no"):
        save_scorecard_summary(
            store,
            LOCAL_ADMIN,
            draft,
            recommendation="maybe",
            takeaways="",
            expected_version=version,
        )
    with pytest.raises(InputError, match="takeaways: 5001 characters; at most 5000"):
        save_scorecard_summary(
            store,
            LOCAL_ADMIN,
            draft,
            recommendation="yes",
            takeaways="x" * 5001,
            expected_version=version,
        )
    me = services.add_person(store, LOCAL_ADMIN, name="Sol", email="sol@example.org")
    own = services.start_assessment(
        store,
        LOCAL_ADMIN,
        subject_id=me.id,
        rater_id=me.id,
        kind="self",
        role_id="account-executive",
        framework_hash=framework.content_hash,
    )
    with pytest.raises(InputError, match="belong to interview scorecards, not to a self"):
        services.save_draft(
            store, LOCAL_ADMIN, own.id, [], expected_version=own.version, recommendation="yes"
        )
