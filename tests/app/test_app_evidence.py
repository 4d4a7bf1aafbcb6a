"""The issue's inconsistency, through the pages: a review leaves four competencies unrated.

Before, Self vs manager showed them as not observed while Gap analysis still counted older
ratings without saying whose. Now both say which level counts today and whose it is.
"""

from __future__ import annotations

from app_helpers import frame, open_app

from skillmatrix.storage import LOCAL_ADMIN, RatingInput, services


def _submit(env, subject, rater, kind, levels):
    started = services.start_assessment(
        env.store,
        LOCAL_ADMIN,
        subject_id=subject.id,
        rater_id=rater,
        kind=kind,
        role_id=subject.role_id,
        framework_hash=env.framework.content_hash,
    )
    services.submit_assessment(
        env.store,
        LOCAL_ADMIN,
        started.id,
        expected_version=started.version,
        ratings=[RatingInput(c, level) for c, level in levels.items()],
    )


def test_a_review_leaving_four_unrated_reads_the_same_on_both_pages(demo_env):
    boss = next(p for p in demo_env.people() if p.manager_id is not None).manager_id
    report = services.add_person(
        demo_env.store,
        LOCAL_ADMIN,
        name="Nia Newcomer",
        email="nia@example.org",
        manager_id=boss,
        team="Aurora",
        role_id="sales-manager",
    )
    targets = [t.competency for t in demo_env.framework.role(report.role_id).targets]
    assert len(targets) == 4
    _submit(demo_env, report, report.id, "self", dict.fromkeys(targets, 2))
    _submit(demo_env, report, report.manager_id, "manager", dict.fromkeys(targets))

    gap = open_app("gap_analysis", person=report.manager_id)
    gap.selectbox(key="gap_person").set_value(report.id).run()
    gap.selectbox(key=f"gap_role:{report.id}").set_value(report.role_id).run()
    table = gap.dataframe[0].value
    assert list(table["actual"]) == ["2"] * 4
    whose = set(table["whose level"])
    assert len(whose) == 1
    assert whose.pop().startswith("self, ")

    review = open_app("manager_review", person=report.manager_id)
    review.selectbox(key="mr_report").set_value(report.id).run()
    rows = frame(review)
    assert list(rows["manager"]) == ["Not observed"] * 4
    assert all(cell.startswith("2 (self, ") for cell in rows["counts today"])
