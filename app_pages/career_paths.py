"""Career paths: ranked next roles (ladder and lateral), a route to a goal role, and a chart."""

from __future__ import annotations

import streamlit as st

from skillmatrix.errors import ScoringError
from skillmatrix.storage.services.succession import roles_fit
from skillmatrix.webapp.assessing import role_title, scorable_roles
from skillmatrix.webapp.charts import career_paths_chart
from skillmatrix.webapp.context import page_context, people_in_scope
from skillmatrix.webapp.gaps import evidence_note, evidence_table, person_evidence
from skillmatrix.webapp.guidance import Topic, hint
from skillmatrix.webapp.paths import (
    EFFORT_NOTE,
    goal_choices,
    next_roles,
    route_caption,
    route_for,
)
from skillmatrix.webapp.safe_text import escape_markdown
from skillmatrix.webapp.succession import roles_fit_rows

ctx = page_context(st.session_state)
fw, store, actor = ctx.framework, ctx.store, ctx.user.actor
st.title("Career paths")
people = people_in_scope(ctx)
if not people:
    st.info(hint(ctx.user, Topic.NOBODY_TO_SHOW))
    st.stop()

labels = {p.id: f"{p.name} ({role_title(fw, p.role_id)})" for p in people}
person_id = st.selectbox("Person", list(labels), format_func=labels.__getitem__, key="path_person")
person = next(p for p in people if p.id == person_id)
roles = scorable_roles(fw)
current = st.selectbox(
    "Current role",
    roles,
    index=roles.index(person.role_id) if person.role_id in roles else 0,
    format_func=lambda r: role_title(fw, r),
    key=f"path_current:{person.id}",
)
evidence = person_evidence(store, actor, fw, person.id)
profile = evidence.levels()
rows = next_roles(fw, profile, current)

st.subheader("Next roles")
if rows:
    st.caption(EFFORT_NOTE)
    st.dataframe([row.table_row() for row in rows], hide_index=True, width="stretch")
    st.altair_chart(career_paths_chart([row.chart_row() for row in rows]), width="stretch")
    for row in rows:
        with st.expander(escape_markdown(f"{row.title}: what it takes ({row.gaps} gap(s))")):
            for line in row.explanations or ("Every target is already met.",):
                st.text(line)
else:
    st.info("This role has no ladder moves and no similar roles in the framework.")

st.caption(
    f"Scored on {len(evidence)} current level(s); the table at the end of the page says whose "
    "each is and from when."
)

st.subheader("Route to a goal role")
goal = st.selectbox(
    "Goal role",
    goal_choices(fw, current),
    index=None,
    placeholder="Choose a role further away",
    format_func=lambda r: role_title(fw, r),
    key=f"path_goal:{person.id}",
)
if goal is not None:
    try:
        route, steps = route_for(fw, profile, current, goal)
    except ScoringError as error:
        st.error(escape_markdown(str(error)))
        st.stop()
    st.caption(escape_markdown(route_caption(route)))
    st.dataframe([s.table_row() for s in steps], hide_index=True, width="stretch")
    for s in steps:
        with st.expander(escape_markdown(f"Step {s.step}: {s.source} → {s.target}")):
            for line in s.actions or ("No gaps on this step.",):
                st.text(line)

st.subheader("The levels used")
st.caption(evidence_note())
st.dataframe(evidence_table(fw, evidence), hide_index=True, width="stretch")

st.subheader("Roles you already fit")
fits = roles_fit(store, actor, fw, person.id)
st.caption(
    escape_markdown(
        f"The {len(fits.fits)} roles across the whole framework that {person.name} fits best "
        f"today, of {fits.roles_scored} scored."
    )
)
st.dataframe(roles_fit_rows(fits), hide_index=True, width="stretch")
