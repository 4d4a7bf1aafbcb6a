"""Gap analysis: a person against any role — chart, fit with its interval, readiness, actions."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from skillmatrix.webapp.assessing import role_title, scorable_roles
from skillmatrix.webapp.charts import gap_chart
from skillmatrix.webapp.context import page_context, people_in_scope
from skillmatrix.webapp.gaps import (
    chart_summary,
    evidence_note,
    fit_sentence,
    gap_csv,
    gap_report,
    gap_view,
    person_evidence,
    ratings_outside_framework,
)
from skillmatrix.webapp.guidance import Topic, hint
from skillmatrix.webapp.plans import agreed_plan, change_plan, may_acknowledge
from skillmatrix.webapp.safe_text import escape_markdown

ctx = page_context(st.session_state)
fw, store, actor = ctx.framework, ctx.store, ctx.user.actor
st.title("Gap analysis")
people = people_in_scope(ctx)
if not people:
    st.info(hint(ctx.user, Topic.NOBODY_TO_SHOW))
    st.stop()

left, right = st.columns(2)
labels = {p.id: f"{p.name} ({p.team or 'no team'})" for p in people}
person_id = left.selectbox("Person", list(labels), format_func=labels.__getitem__, key="gap_person")
person = next(p for p in people if p.id == person_id)
roles = scorable_roles(fw)
role_id = right.selectbox(
    "Role to compare against",
    roles,
    index=roles.index(person.role_id) if person.role_id in roles else 0,
    format_func=lambda r: role_title(fw, r),
    key=f"gap_role:{person.id}",
)
profile = person_evidence(store, actor, fw, person.id)
outside = ratings_outside_framework(store, actor, fw, person.id)
if outside:
    st.warning(
        f"{len(outside)} stored rating(s) are for competencies no longer in the framework "
        f"({escape_markdown(', '.join(outside))}); they are kept but not counted."
    )
if not len(profile):
    st.info(
        "No submitted ratings yet for this person: every target shows as not observed. "
        "Submit a self-assessment or ask for a manager review."
    )
view = gap_view(fw, person, role_id, profile)
fit = view.fit

fit_col, band_col, cover_col = st.columns([1, 2, 1])
fit_col.metric("Fit", f"{fit.low:.0%}", help="Lower bound: not observed counts as 0")
band_col.metric("Readiness", fit.readiness.value)
cover_col.metric("Observed", f"{fit.coverage:.0%}", help="Share of the role's weight rated")
st.caption(escape_markdown(fit_sentence(fit)))
st.caption(evidence_note())

st.altair_chart(
    gap_chart([row.chart_row() for row in view.rows], title=f"{person.name} vs {view.role_title}"),
    width="stretch",
)
st.caption(escape_markdown(chart_summary(view)))
with st.expander("The chart as a table (target, actual and gap per competency)"):
    st.dataframe([row.table_row() for row in view.rows], hide_index=True, width="stretch")

st.subheader("Development actions, most important first")
if view.actions:
    for number, action in enumerate(view.actions, 1):
        st.text(f"{number}. {action}")
else:
    st.success("Every target is met.")
if fit.strengths:
    st.caption(
        "Above target (a strength, not counted extra in fit): "
        + escape_markdown(", ".join(f"{s.name} ({s.current} vs {s.target})" for s in fit.strengths))
    )

csv_col, print_col = st.columns(2)
stem = f"gap-{person.id}-{role_id}"
csv_col.download_button(
    "Download CSV",
    gap_csv(view),
    f"{stem}.csv",
    "text/csv",
    key="gap_csv",
    on_click="ignore",
)
print_col.download_button(
    "Printable report (HTML)",
    gap_report(view, fw, now=datetime.now(UTC)),
    f"{stem}.html",
    "text/html",
    key="gap_print",
    on_click="ignore",
)

plan = agreed_plan(store, actor, fw, person.id)
if plan is not None:
    st.subheader("Agreed development plan")
    agreed_on = f"{plan.plan.agreed_at:%Y-%m-%d}" if plan.plan.agreed_at else "?"
    st.caption(
        escape_markdown(
            f"Towards {plan.role_title}, agreed on {agreed_on}"
            + (" and acknowledged." if plan.acknowledged else "; not yet acknowledged.")
        )
    )
    st.dataframe(list(plan.rows), hide_index=True, width="stretch")
    if may_acknowledge(actor, plan) and st.button(
        "I have read and acknowledge this plan", key="gap_plan_ack"
    ):
        st.toast(change_plan(store, actor, plan.plan, "acknowledge")[1])
        st.rerun()
