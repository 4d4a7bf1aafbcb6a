"""Team matrix: people × competencies heatmap, coverage and bus-factor list, by team and role."""

from __future__ import annotations

import streamlit as st

from skillmatrix.engine.matrix_order import MATRIX_ORDERS, order_matrix
from skillmatrix.webapp.assessing import role_title
from skillmatrix.webapp.charts import team_heatmap
from skillmatrix.webapp.context import page_context, people_in_scope
from skillmatrix.webapp.gaps import evidence_note
from skillmatrix.webapp.guidance import Topic, hint
from skillmatrix.webapp.teams import ORDER_LABELS, team_names, team_page

ctx = page_context(st.session_state)
fw, store, actor = ctx.framework, ctx.store, ctx.user.actor
st.title("Team matrix")
people = [p for p in people_in_scope(ctx) if p.kind == "employee"]
if len(people) < 2 and not ctx.user.is_hr:
    st.info(hint(ctx.user, Topic.NO_TEAM))
    st.stop()

teams = team_names(people)
left, right = st.columns(2)
team = left.selectbox("Team", [None, *teams], format_func=lambda t: t or "All teams", key="tm_team")
in_team = [p for p in people if team is None or p.team == team]
role_options = sorted({p.role_id for p in in_team if p.role_id}, key=lambda r: role_title(fw, r))
role_ids = right.multiselect(
    "Roles (none = all)",
    role_options,
    format_func=lambda r: role_title(fw, r),
    key=f"tm_roles:{team}",
)
page = team_page(store, actor, fw, people, team=team, role_ids=role_ids)
if page is None:
    st.info("Nobody in this team has one of the chosen roles.")
    st.stop()

rows = page.heatmap_rows(fw)
how = st.radio(
    "Order people and competencies",
    MATRIX_ORDERS,
    format_func=ORDER_LABELS.__getitem__,
    horizontal=True,
    key="tm_order",
)
order = order_matrix(((r["person"], r["competency"], r["level"]) for r in rows), how)
st.altair_chart(team_heatmap(rows, order), width="stretch")
st.caption(
    f"{len(page.view.people)} people × {len(page.view.competencies)} competencies; "
    "each cell is the person's assessed level (▼ below the team's need, – not observed)."
)
with st.expander("The matrix as a table (the chart's numbers)"):
    st.dataframe(page.matrix_table_rows(fw), hide_index=True, width="stretch")
st.subheader("Bus factor: needed at level 3 or more, held by at most one person")
if page.view.bus_factor:
    st.dataframe(page.bus_factor_rows(fw), hide_index=True, width="stretch")
else:
    st.success("No bus-factor risks: every need at level 3+ is held by two people or more.")
st.subheader("Coverage of what the team's roles need")
st.dataframe(page.cover_rows(), hide_index=True, width="stretch")
with st.expander("Whose level each cell shows, and from when"):
    st.caption(evidence_note())
    st.dataframe(page.evidence_rows(fw), hide_index=True, width="stretch")
